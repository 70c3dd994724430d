/**
 * The filter gradient of a 2-D convolution, which the wasm backend lacks.
 *
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co]
 *
 * Read with ci as the batch, (kh, kw) as the output pixel and n as the channel to reduce over,
 * this is itself a forward convolution: of x transposed to [ci, h, w, n] with dy transposed to a
 * [oh, ow, n, co] filter, the forward stride becoming the filter's dilation. That runs on
 * XNNPACK's convolution, the fastest code in the wasm binary, instead of a plain loop.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import {
  asShape4D,
  asWasmBackend,
  CHANNELS_FIRST_TO_LAST,
  expectOutputGradientShape,
  explicitPadding,
  type Intermediates,
  requireFloat32,
  requireInput,
  runWasmKernel,
  transposeInfo,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { cropSpatial } from './spatial_copy';
import { swapBatchAndChannels, swapBatchAndChannelsIsFaster } from './transposes';

const KERNEL_NAME = tf.Conv2DBackpropFilter;

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, KERNEL_NAME);
  const x = requireInput(inputs, 'x', KERNEL_NAME);
  const dy = requireInput(inputs, 'dy', KERNEL_NAME);
  requireFloat32(x, KERNEL_NAME);
  requireFloat32(dy, KERNEL_NAME);
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    asShape4D(x.shape, 'x', KERNEL_NAME),
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  expectOutputGradientShape(dy, info, KERNEL_NAME);
  return withIntermediates(wasm, (scratch) => {
    const channelsFirst = info.dataFormat === 'channelsFirst';
    const xNhwc = channelsFirst ? scratch.keep(transposeInfo(wasm, x, CHANNELS_FIRST_TO_LAST)) : x;
    const dyNhwc = channelsFirst ? scratch.keep(transposeInfo(wasm, dy, CHANNELS_FIRST_TO_LAST)) : dy;
    return filterGradientNhwc(wasm, xNhwc, dyNhwc, info, scratch);
  });
}

function filterGradientNhwc(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  scratch: Intermediates,
): TensorInfo {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  // The span of input rows the gradient convolution reads; rows past it never met a filter tap,
  // as happens when (h + pads - k) is not a multiple of the stride.
  const spanHeight = (outHeight - 1) * strideHeight + filterHeight;
  const spanWidth = (outWidth - 1) * strideWidth + filterWidth;
  let top = info.padInfo.top;
  let left = info.padInfo.left;
  let bottom = spanHeight - inHeight - top;
  let right = spanWidth - inWidth - left;

  let xUsed = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    xUsed = scratch.keep(
      cropSpatial(backend, x, Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right)),
    );
    top = Math.max(0, top);
    bottom = Math.max(0, bottom);
    left = Math.max(0, left);
    right = Math.max(0, right);
  }

  const xByChannel = scratch.keep(
    swapBatchAndChannelsIsFaster(xUsed) ? swapBatchAndChannels(backend, xUsed) : transposeInfo(backend, xUsed, [3, 1, 2, 0]),
  );
  const dyAsFilter = scratch.keep(transposeInfo(backend, dy, [1, 2, 0, 3]));
  const gradientByChannel = scratch.keep(
    runWasmKernel(
      'Conv2D',
      { x: xByChannel, filter: dyAsFilter },
      {
        strides: [1, 1],
        pad: explicitPadding(top, bottom, left, right),
        dilations: [strideHeight, strideWidth],
        dataFormat: 'NHWC',
      },
      backend,
    ),
  );
  return transposeInfo(backend, gradientByChannel, [1, 2, 0, 3]);
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
