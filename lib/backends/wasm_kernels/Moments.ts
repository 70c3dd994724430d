/**
 * Batch normalisation's statistics while training: mean and biased variance per channel (the
 * last axis) over every other axis, in two passes of channel_sums (sum(x), then the sums of
 * x - m and (x - m)^2 for that mean m), where tf.moments takes four (Mean, Sub, Square, Mean)
 * and writes two intermediates the size of x. See layers/training_calls's MOMENTS_KERNEL.
 */
import { BackendError } from '../../errors';
import { MOMENTS_KERNEL } from '../../layers/training_calls';
import { tf } from '../../tf';
import { channelSums } from './channel_sums';
import { asWasmBackend, heapView, requireFloat32, requireInput, sizeOf, withIntermediates, type KernelArgs, type TensorInfo } from './kernel_utils';

export function moments({ inputs, backend }: KernelArgs): TensorInfo[] {
  const wasm = asWasmBackend(backend, MOMENTS_KERNEL);
  const x = requireInput(inputs, 'x', MOMENTS_KERNEL);
  requireFloat32(x, MOMENTS_KERNEL);
  const channels = x.shape[x.shape.length - 1] ?? 0;
  if (x.shape.length < 2 || sizeOf(x) === 0) {
    throw new BackendError('wasm', `kernel ${MOMENTS_KERNEL}: expected x of rank 2 or more with values, got [${x.shape.join(', ')}]`);
  }
  const pixels = sizeOf(x) / channels;
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  const totals = withIntermediates(wasm, (scratch) => {
    const zeros = scratch.keep(wasm.makeOutput([channels], 'float32'));
    heapView(wasm, zeros).fill(0);
    return channelSums(wasm, x, x, zeros, channels).dy;
  });
  // A view only now: the allocation above may have grown the heap, which detaches earlier views
  // of the single-threaded build's memory.
  const means = heapView(wasm, mean);
  for (let c = 0; c < channels; c++) means[c] = (totals[c] as number) / pixels;
  // The mean is rounded to float32: the sum of x - m corrects for that.
  const { dy: sumCentred, dyCentred: sumSquares } = channelSums(wasm, x, null, mean, channels);
  const variances = heapView(wasm, variance);
  for (let c = 0; c < channels; c++) {
    const offCentre = (sumCentred[c] as number) / pixels;
    variances[c] = (sumSquares[c] as number) / pixels - offCentre * offCentre;
  }
  return [mean, variance];
}

export const momentsConfig: tf.KernelConfig = { kernelName: MOMENTS_KERNEL, backendName: 'wasm', kernelFunc: moments };
