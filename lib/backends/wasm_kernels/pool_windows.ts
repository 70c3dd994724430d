/**
 * What the two pooling gradients share: their arguments, and the walk over pooling windows in
 * dy's order with each window clipped to the input (padding covers no pixel).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import { asShape4D, asWasmBackend, requireFloat32, requireInput, type KernelArgs, type TensorInfo } from './kernel_utils';

export interface PoolGradientArguments {
  wasm: BackendWasm;
  dy: TensorInfo;
  /** The pooling's input, whose shape dx takes. */
  input: TensorInfo;
  info: tf.backend_util.Conv2DInfo;
}

/** Checks a pooling gradient's inputs (dy must be float32) and computes the pooling geometry. */
export function poolGradientArguments({ inputs, backend, attrs }: KernelArgs, kernelName: string): PoolGradientArguments {
  const wasm = asWasmBackend(backend, kernelName);
  const dy = requireInput(inputs, 'dy', kernelName);
  const input = requireInput(inputs, 'input', kernelName);
  requireFloat32(dy, kernelName);
  // AvgPoolGrad's attributes are these without dimRoundingMode.
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    asShape4D(input.shape, 'input', kernelName),
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return { wasm, dy, input, info };
}

/**
 * Calls `visit` once per output pixel, in dy's order: `dyOffset` is the pixel's first channel in
 * dy, `imageStart` its image's first float in x, and rows [firstRow, endRow) by columns
 * [firstColumn, endColumn) the input pixels its window covers.
 */
export function forEachPoolWindow(
  info: tf.backend_util.Conv2DInfo,
  visit: (dyOffset: number, imageStart: number, firstRow: number, endRow: number, firstColumn: number, endColumn: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const imageSize = inHeight * inWidth * channels;
  let dyOffset = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageStart = n * imageSize;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - info.padInfo.top;
      const firstRow = Math.max(0, rowStart);
      const endRow = Math.min(inHeight, rowStart + filterHeight);
      for (let ow = 0; ow < outWidth; ow++, dyOffset += channels) {
        const columnStart = ow * strideWidth - info.padInfo.left;
        visit(dyOffset, imageStart, firstRow, endRow, Math.max(0, columnStart), Math.min(inWidth, columnStart + filterWidth));
      }
    }
  }
}
