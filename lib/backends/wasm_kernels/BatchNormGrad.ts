/**
 * The gradient of batch normalisation while training, in closed form (see
 * layers/training_calls's normalizeBatchInTraining, which calls it where it is registered):
 * dOffset = sum(dy), dScale = sum(dy * x̂) and dx = (dy - mean(dy) - x̂ * mean(dy * x̂)) * s,
 * with x̂ = (x - mean) / sigma and s = scale / sigma, sums over every axis but the channels.
 *
 * Where our own kernels run: one SIMD pass for both sums (channel_sums) and one for dx, where
 * tfjs's ops take 7 passes over the activations; otherwise JS loops on the heap.
 */
import { BATCH_NORM_GRAD_KERNEL } from '../../layers/training_calls';
import { tf } from '../../tf';
import { CHANNEL_AFFINE_MIN_CHANNELS } from './channel_affine_wat';
import { channelSums } from './channel_sums';
import { asWasmBackend, heapOffset, heapView, requireFloat32Sizes, requireInput, sizeOf, withIntermediates, type KernelArgs, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';

const KERNEL_NAME = BATCH_NORM_GRAD_KERNEL;

export function batchNormGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const wasm = asWasmBackend(backend, KERNEL_NAME);
  const input = (name: string): TensorInfo => requireInput(inputs, name, KERNEL_NAME);
  const [x, dy, mean, variance, scale] = [input('x'), input('dy'), input('mean'), input('variance'), input('scale')];
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const expectedSizes = [['x', x, sizeOf(x)], ['dy', dy, sizeOf(x)], ['mean', mean, channels], ['variance', variance, channels], ['scale', scale, channels]] as const;
  requireFloat32Sizes(KERNEL_NAME, ['x', x], expectedSizes);
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  const pixels = sizeOf(x) / channels;
  const own = ownKernels();

  const sums = channelSums(wasm, x, dy, mean, channels);

  const dScale = wasm.makeOutput([channels], 'float32');
  const dOffset = wasm.makeOutput([channels], 'float32');
  // Views only now: the allocations above may have grown the heap, which detaches earlier views
  // of the single-threaded build's memory.
  const means = heapView(wasm, mean);
  const variances = heapView(wasm, variance);
  const scales = heapView(wasm, scale);
  // dx = (dy - meanDy - (x - mean) * k) * s, the four per-channel tables in one buffer.
  const table = new Float32Array(4 * channels);
  const scaleGradient = heapView(wasm, dScale);
  const offsetGradient = heapView(wasm, dOffset);
  for (let c = 0; c < channels; c++) {
    const inverseSigma = 1 / Math.sqrt((variances[c] as number) + varianceEpsilon);
    const sumDy = sums.dy[c] as number;
    const sumDyCentred = sums.dyCentred[c] as number;
    offsetGradient[c] = sumDy;
    scaleGradient[c] = sumDyCentred * inverseSigma;
    table[c] = means[c] as number;
    table[channels + c] = sumDy / pixels;
    table[2 * channels + c] = (sumDyCentred / pixels) * inverseSigma * inverseSigma;
    table[3 * channels + c] = (scales[c] as number) * inverseSigma;
  }

  const dx = wasm.makeOutput(x.shape, 'float32');
  if (own !== null && channels >= CHANNEL_AFFINE_MIN_CHANNELS) {
    withIntermediates(wasm, (scratch) => {
      const parameters = scratch.keep(wasm.makeOutput([4, channels], 'float32'));
      heapView(wasm, parameters).set(table);
      own.batchNormInputGradient({ x: heapOffset(wasm, x), dy: heapOffset(wasm, dy), parameters: heapOffset(wasm, parameters), y: heapOffset(wasm, dx), pixels, channels });
    });
    return [dx, dScale, dOffset];
  }
  const xs = heapView(wasm, x);
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  for (let i = 0; i < xs.length; i++) {
    const c = i % channels;
    const centred = (xs[i] as number) - (table[c] as number);
    gradIn[i] = ((gradOut[i] as number) - (table[channels + c] as number) - centred * (table[2 * channels + c] as number)) * (table[3 * channels + c] as number);
  }
  return [dx, dScale, dOffset];
}

export const batchNormGradConfig: tf.KernelConfig = { kernelName: KERNEL_NAME, backendName: 'wasm', kernelFunc: batchNormGrad };
