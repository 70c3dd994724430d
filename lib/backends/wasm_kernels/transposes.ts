/**
 * [N, H, W, C] -> [C, H, W, N] for the filter gradient, in JS on the wasm heap. The wasm
 * backend's Transpose writes this permutation a whole plane apart for every element and slows
 * down as C grows: 18 to 30 ns a float at C = 32 against about 7 here, where the reads are
 * sequential and the writes fill runs of N floats, one in each of the C planes. For small C the
 * wasm kernel is faster, hence `swapBatchAndChannelsIsFaster`.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { asShape4D, heapView, type TensorInfo } from './kernel_utils';

/** From this many channels on, the JS loop below beats the wasm Transpose kernel (measured). */
const JS_TRANSPOSE_MIN_CHANNELS = 16;

export function swapBatchAndChannelsIsFaster(x: TensorInfo): boolean {
  return (x.shape[3] ?? 0) >= JS_TRANSPOSE_MIN_CHANNELS;
}

/** [N, H, W, C] -> [C, H, W, N]: the batch becomes the channel axis and the channels the batch. */
export function swapBatchAndChannels(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const [batch, height, width, channels] = asShape4D(x.shape, 'x', 'swapBatchAndChannels');
  const out = backend.makeOutput([channels, height, width, batch], 'float32');
  const source = heapView(backend, x);
  const target = heapView(backend, out);
  const pixels = height * width;
  const sourceImageStride = pixels * channels;
  const targetPlaneStride = pixels * batch;
  for (let pixel = 0; pixel < pixels; pixel++) {
    const targetPixel = pixel * batch;
    for (let n = 0; n < batch; n++) {
      const from = n * sourceImageStride + pixel * channels;
      const to = targetPixel + n;
      for (let c = 0; c < channels; c++) target[to + c * targetPlaneStride] = source[from + c] as number;
    }
  }
  return out;
}
