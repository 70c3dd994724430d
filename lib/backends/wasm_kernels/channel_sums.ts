/**
 * sum(dy) and sum(dy * (x - shift)) per channel (the last axis) of two tensors of one shape, in
 * float64: batch normalisation's statistics (dy = x - shift) and gradient are made of them. Where our own kernels
 * run and the channel count is a multiple of 4, one SIMD pass on every thread over chunks of
 * pixels (each chunk summed in float32, the chunks added here); otherwise a JS loop.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { CHANNEL_SUMS_VECTOR } from './channel_sums_wat';
import { heapOffset, heapView, sizeOf, withIntermediates, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';

/** Values per chunk of the SIMD sums: short enough for float32 sums, long enough to amortise. */
const CHUNK_VALUES = 1 << 14;

export interface ChannelSums {
  /** sum(dy) per channel. */
  dy: Float64Array;
  /** sum(dy * (x - shift)) per channel. */
  dyCentred: Float64Array;
}

/**
 * The sums over `x` and `dy`, with `shift` ([channels] float32 on the heap) subtracted from x;
 * `dy` null stands for x - shift, whose sums give a variance without cancellation.
 */
export function channelSums(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo | null, shift: TensorInfo, channels: number): ChannelSums {
  const sums = { dy: new Float64Array(channels), dyCentred: new Float64Array(channels) };
  const own = ownKernels();
  if (own === null || channels % CHANNEL_SUMS_VECTOR !== 0) {
    const xs = heapView(wasm, x);
    const gradients = dy === null ? null : heapView(wasm, dy);
    const shifts = heapView(wasm, shift);
    for (let i = 0; i < xs.length; i++) {
      const c = i % channels;
      const centred = (xs[i] as number) - (shifts[c] as number);
      const gradient = gradients === null ? centred : (gradients[i] as number);
      sums.dy[c] = (sums.dy[c] as number) + gradient;
      sums.dyCentred[c] = (sums.dyCentred[c] as number) + gradient * centred;
    }
    return sums;
  }
  const pixels = sizeOf(x) / channels;
  const chunkPixels = Math.max(1, Math.floor(CHUNK_VALUES / channels));
  const chunks = Math.ceil(pixels / chunkPixels);
  return withIntermediates(wasm, (scratch) => {
    const partials = scratch.keep(wasm.makeOutput([chunks, 2, channels], 'float32'));
    const job = { x: heapOffset(wasm, x), dy: heapOffset(wasm, dy ?? x), shift: heapOffset(wasm, shift), partials: heapOffset(wasm, partials), pixels, channels, chunkPixels };
    own.channelSums(job, dy === null);
    const values = heapView(wasm, partials);
    for (let chunk = 0; chunk < chunks; chunk++) {
      for (let c = 0; c < channels; c++) {
        sums.dy[c] = (sums.dy[c] as number) + (values[2 * chunk * channels + c] as number);
        sums.dyCentred[c] = (sums.dyCentred[c] as number) + (values[(2 * chunk + 1) * channels + c] as number);
      }
    }
    return sums;
  });
}
