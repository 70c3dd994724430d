/**
 * Batch normalisation, y = (x - mean) * scale / sqrt(variance + epsilon) + offset, computed as
 * y = (x - mean) * a + offset with a = scale / sqrt(variance + epsilon) worked out once per
 * channel. The wasm backend's kernel works out every parameter's index per element and runs at
 * 4 ns an element. Where our own kernels run and there are 4 or more channels, one SIMD pass on
 * every thread (channel_affine_wat's normalizeChannels: VGG's 18 calls a step went from 76 ms as
 * three passes to 31 ms); otherwise three passes of the backend's Sub, Multiply and Add, under 1 ns
 * an element each. Folding the mean into the offset would save work but lose precision when the
 * mean is large against the spread, so the mean is subtracted first, as the other backends do.
 */
import { tf } from '../../tf';
import { CHANNEL_AFFINE_MIN_CHANNELS } from './channel_affine_wat';
import {
  asWasmBackend,
  heapOffset,
  heapView,
  replacementConfig,
  requireInput,
  runKernelFunc,
  runWasmKernel,
  sizeOf,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { ownKernels } from './own_kernels';

const KERNEL_NAME = tf.FusedBatchNorm;

export function makeFusedBatchNormConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const mean = requireInput(inputs, 'mean', KERNEL_NAME);
    const variance = requireInput(inputs, 'variance', KERNEL_NAME);
    const { offset, scale } = inputs;
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const channels = x.shape[x.shape.length - 1] ?? 0;
    // Parameters are per channel (or single values) in every use tfjs makes of this kernel;
    // anything else keeps the backend's own kernel.
    const parameters = [mean, variance, offset, scale].filter((p): p is TensorInfo => p !== undefined);
    const perChannel = parameters.every(
      (p) =>
        p.dtype === 'float32' &&
        (sizeOf(p) === channels || sizeOf(p) === 1) &&
        p.shape.every((dim, axis) => dim === 1 || axis === p.shape.length - 1),
    );
    if (x.dtype !== 'float32' || channels === 0 || sizeOf(x) === 0 || !perChannel) {
      return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    }

    const perChannelValue = (parameter: TensorInfo | undefined, c: number, absent: number): number => {
      if (parameter === undefined) return absent;
      const values = heapView(wasm, parameter);
      return (values.length === 1 ? values[0] : values[c]) as number;
    };
    const multiplierOf = (c: number): number => perChannelValue(scale, c, 1) / Math.sqrt(perChannelValue(variance, c, 1) + varianceEpsilon);

    const own = ownKernels();
    if (own !== null && channels >= CHANNEL_AFFINE_MIN_CHANNELS) {
      return withIntermediates(wasm, (scratch) => {
        const parameters = scratch.keep(wasm.makeOutput([3, channels], 'float32'));
        const table = heapView(wasm, parameters);
        for (let c = 0; c < channels; c++) {
          table[c] = perChannelValue(mean, c, 0);
          table[channels + c] = multiplierOf(c);
          table[2 * channels + c] = perChannelValue(offset, c, 0);
        }
        const y = wasm.makeOutput(x.shape, 'float32');
        own.normalizeChannels({
          x: heapOffset(wasm, x),
          parameters: heapOffset(wasm, parameters),
          y: heapOffset(wasm, y),
          pixels: sizeOf(x) / channels,
          channels,
        });
        return y;
      });
    }

    return withIntermediates(wasm, (scratch) => {
      const multiplier = scratch.keep(wasm.makeOutput([channels], 'float32'));
      const factors = heapView(wasm, multiplier);
      for (let c = 0; c < channels; c++) factors[c] = multiplierOf(c);
      const centred = scratch.keep(runWasmKernel('Sub', { a: x, b: mean }, {}, wasm));
      const scaled = runWasmKernel('Multiply', { a: centred, b: multiplier }, {}, wasm);
      if (offset === undefined) return scaled;
      scratch.keep(scaled);
      return runWasmKernel('Add', { a: scaled, b: offset }, {}, wasm);
    });
  };
  return replacementConfig(original, kernelFunc);
}
