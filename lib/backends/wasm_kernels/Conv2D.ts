/**
 * Conv2D, with our own SIMD kernel for a single input channel (see single_channel_conv_wat):
 * float32, channels last, stride 1, no dilation, on the threaded backend. LeNet-5's first layer,
 * [128, 28, 28, 1] * [5, 5, 1, 6] 'same', took 3.2 to 4.2 ms of a training step on XNNPACK and
 * takes 1.6 to 3.1 ms here (2 threads; four profiles each, on a noisy machine). The input
 * is first copied into a zero-padded buffer (by the same module, on every thread), so that the
 * kernel has no borders to test. Every other convolution runs the backend's own kernel.
 */
import { tf } from '../../tf';
import {
  asShape4D,
  asWasmBackend,
  heapOffset,
  replacementConfig,
  requireInput,
  runKernelFunc,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { ownKernels } from './own_kernels';
import { SINGLE_CHANNEL_CONV_OVERREAD_VALUES } from './single_channel_conv_wat';

const KERNEL_NAME = tf.Conv2D;

/** A convolution our kernel computes, with the size of each zero-padded input image. */
interface SingleChannelConvolution {
  info: tf.backend_util.Conv2DInfo;
  paddedHeight: number;
  paddedWidth: number;
}

/**
 * The convolution when our kernel computes it (one float32 input channel, channels last, stride
 * 1, no dilation, padding that holds the whole input), else null.
 */
function singleChannelStride1(x: TensorInfo, filter: TensorInfo, attrs: tf.Conv2DAttrs): SingleChannelConvolution | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const info = tf.backend_util.computeConv2DInfo(
    asShape4D(x.shape, 'x', KERNEL_NAME),
    asShape4D(filter.shape, 'filter', KERNEL_NAME),
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
  const { inHeight, inWidth, padInfo } = info;
  const paddedHeight = info.outHeight + info.filterHeight - 1;
  const paddedWidth = info.outWidth + info.filterWidth - 1;
  const paddingHoldsInput =
    padInfo.top >= 0 && padInfo.left >= 0 && padInfo.top + inHeight <= paddedHeight && padInfo.left + inWidth <= paddedWidth;
  const ours =
    info.dataFormat === 'channelsLast' &&
    info.inChannels === 1 &&
    filter.shape[2] === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    paddingHoldsInput;
  return ours ? { info, paddedHeight, paddedWidth } : null;
}

export function makeConv2DConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const filter = requireInput(inputs, 'filter', KERNEL_NAME);
    const own = ownKernels();
    const convolution = own === null ? null : singleChannelStride1(x, filter, attrs as unknown as tf.Conv2DAttrs);
    if (own === null || convolution === null) return runKernelFunc(original, inputs, attrs ?? {}, wasm);

    const { info, paddedHeight, paddedWidth } = convolution;
    const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, filterHeight, filterWidth, padInfo } = info;
    return withIntermediates(wasm, (scratch) => {
      const y = scratch.keep(wasm.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32'));
      const padded = scratch.keep(wasm.makeOutput([batchSize * paddedHeight * paddedWidth + SINGLE_CHANNEL_CONV_OVERREAD_VALUES], 'float32'));
      own.singleChannelConv({
        x: heapOffset(wasm, x),
        inHeight,
        inWidth,
        padded: heapOffset(wasm, padded),
        top: padInfo.top,
        left: padInfo.left,
        w: heapOffset(wasm, filter),
        y: heapOffset(wasm, y),
        paddedHeight,
        paddedWidth,
        batch: batchSize,
        outHeight,
        outWidth,
        filterHeight,
        filterWidth,
        channels: outChannels,
      });
      return scratch.release(y);
    });
  };
  return replacementConfig(original, kernelFunc);
}
