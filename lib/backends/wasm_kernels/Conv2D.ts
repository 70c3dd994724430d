/**
 * Conv2D, with our own SIMD kernel for a single input channel (see single_channel_conv_wat):
 * float32, channels last, stride 1, no dilation, on the threaded backend. LeNet-5's first layer,
 * [128, 28, 28, 1] * [5, 5, 1, 6] 'same', took 3.2 to 4.2 ms of a training step on XNNPACK and
 * takes 1.6 to 3.1 ms here (2 threads; four profiles each, on a noisy machine). The input
 * is first copied into a zero-padded buffer (by the same module, on every thread), so that the
 * kernel has no borders to test. A 3x3, stride 1 convolution with channels in fours from 16 runs
 * Winograd's F(2x2, 3x3) on our kernel (see winograd_conv). Every other convolution runs the
 * backend's own kernel.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import {
  asWasmBackend,
  float32ConvolutionInfo,
  heapOffset,
  replacementConfig,
  requireInput,
  runKernelFunc,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { ownKernels, type OwnKernels } from './own_kernels';
import { SINGLE_CHANNEL_CONV_OVERREAD_VALUES } from './single_channel_conv_wat';
import { convolveWinograd, winogradTakes } from './winograd_conv';

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
  const info = float32ConvolutionInfo(x, filter, attrs, KERNEL_NAME);
  if (info === null) return null;
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

/** y = conv(x, filter) (+ bias per channel) by our kernel, for a convolution singleChannelStride1 took. */
function convolveSingleChannel(
  wasm: BackendWasm,
  own: OwnKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  { info, paddedHeight, paddedWidth }: SingleChannelConvolution,
): TensorInfo {
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
      bias: bias === null ? 0 : heapOffset(wasm, bias),
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
}

export function makeConv2DConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const filter = requireInput(inputs, 'filter', KERNEL_NAME);
    const convAttrs = attrs as unknown as tf.Conv2DAttrs;
    const own = ownKernels();
    if (own === null) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    const singleChannel = singleChannelStride1(x, filter, convAttrs);
    if (singleChannel !== null) return convolveSingleChannel(wasm, own, x, filter, null, singleChannel);
    const winograd = winogradTakes(x, filter, convAttrs, KERNEL_NAME);
    if (winograd !== null) return convolveWinograd(wasm, own, x, filter, null, false, winograd);
    return runKernelFunc(original, inputs, attrs ?? {}, wasm);
  };
  return replacementConfig(original, kernelFunc);
}

/**
 * FusedConv2D (what tf.layers's Conv2D runs outside training: the bias added in the same kernel)
 * with our kernels under the same conditions, for a float32 bias per channel: the single-channel
 * kernel with no activation, Winograd with none or ReLU.
 * LeNet-5's first layer in inference: 3.0-3.3 ms on XNNPACK, 2.0-2.2 ms here (40 calls each).
 */
export function makeFusedConv2DConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelName = tf.FusedConv2D;
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, kernelName);
    const x = requireInput(inputs, 'x', kernelName);
    const filter = requireInput(inputs, 'filter', kernelName);
    const bias = inputs['bias'] ?? null;
    const fusedAttrs = attrs as unknown as tf.FusedConv2DAttrs;
    const plainBias = bias === null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
    const activation = inputs['preluActivationWeights'] === undefined ? (fusedAttrs.activation ?? 'linear') : 'prelu';
    const own = ownKernels();
    if (own === null || !plainBias) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    const singleChannel = activation === 'linear' ? singleChannelStride1(x, filter, fusedAttrs) : null;
    if (singleChannel !== null) return convolveSingleChannel(wasm, own, x, filter, bias, singleChannel);
    const winograd = activation === 'linear' || activation === 'relu' ? winogradTakes(x, filter, fusedAttrs, kernelName) : null;
    if (winograd !== null) return convolveWinograd(wasm, own, x, filter, bias, activation === 'relu', winograd);
    return runKernelFunc(original, inputs, attrs ?? {}, wasm);
  };
  return replacementConfig(original, kernelFunc);
}
