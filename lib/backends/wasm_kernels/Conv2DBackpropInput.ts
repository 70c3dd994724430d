/**
 * The input gradient of a 2-D convolution (also the forward pass of conv2dTranspose).
 *
 * dx[n, i, j, ci] = sum over kh, kw, co of dyStuffed[n, i + top - kh, j + left - kw, co] * W[kh, kw, ci, co],
 * where dyStuffed is dy with (stride - 1) zeros between its pixels. Where dy's channels come in
 * whole SIMD vectors, our own kernel computes that sum directly, visiting only the dy pixels
 * whose window covers each dx pixel (see input_gradient_wat): with any stride, and at stride 1
 * where XNNPACK would spend much of its work on padding (see directInputGradientIsCheaper).
 * Otherwise, at stride 1 it is a forward convolution of the padded dy with W flipped in both
 * spatial axes and its channel axes swapped, run by the registered Conv2D: Winograd on our
 * kernel for 3x3 with channels in fours from 16 (see winograd_conv), else XNNPACK (the wasm
 * backend's own input-gradient kernel is a plain loop); for dx with one or two channels, see
 * NARROW_MAX_CHANNELS. With a stride above 1,
 * the zeros would be (stride^2 - 1) / stride^2 of that convolution's work, so there each pixel
 * of dy is multiplied by all of W at once instead (a 1x1 convolution on XNNPACK giving, per dy
 * pixel, its contribution to every tap: "columns"), and the columns are added into dx (col2im):
 * by our own SIMD kernel for 4 or more channels (see add_columns_wat), else by a JS pass.
 *
 * Measured on 2 threads (medians of runs on a noisy machine): the three-conv baseline's two
 * strided input gradients, dx [128, 13, 13, 32] and [128, 6, 6, 64], took 15.2-15.4 and
 * 4.7-5.9 ms with a JS col2im, 7.6-9.4 and 3.2-4.0 ms with the SIMD col2im, and 6.6-7.4 and
 * 2.0-3.6 ms direct; LeNet-5's second layer, dx [128, 14, 14, 6] from a 5x5 'valid'
 * convolution, 4.3-6.3 ms on XNNPACK and 2.7-3.6 ms direct.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError } from '../../errors';
import { tf } from '../../tf';
import { ADD_COLUMNS_MIN_CHANNELS } from './add_columns_wat';
import { INPUT_GRADIENT_CHANNEL_MULTIPLE } from './input_gradient_wat';
import {
  asShape4D,
  asWasmBackend,
  CHANNELS_FIRST_TO_LAST,
  CHANNELS_LAST_TO_FIRST,
  convolutionOfGradient,
  explicitPadding,
  heapOffset,
  heapView,
  requireFloat32,
  requireInput,
  runWasmKernel,
  transposeInfo,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { ownKernels, type InputGradientGeometry, type OwnKernels } from './own_kernels';
import { dilateAndPadSpatial } from './spatial_copy';

const KERNEL_NAME = tf.Conv2DBackpropInput;

export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, KERNEL_NAME);
  const dy = requireInput(inputs, 'dy', KERNEL_NAME);
  const filter = requireInput(inputs, 'filter', KERNEL_NAME);
  requireFloat32(dy, KERNEL_NAME);
  requireFloat32(filter, KERNEL_NAME);
  const convolution = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = convolutionOfGradient(convolution.inputShape, asShape4D(filter.shape, 'filter', KERNEL_NAME), convolution, dy, KERNEL_NAME);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth } = info;
  const channelsFirst = info.dataFormat === 'channelsFirst';

  return withIntermediates(wasm, (scratch) => {
    const dyNhwc = channelsFirst ? scratch.keep(transposeInfo(wasm, dy, CHANNELS_FIRST_TO_LAST)) : dy;

    const stuffedHeight = (outHeight - 1) * strideHeight + 1;
    const stuffedWidth = (outWidth - 1) * strideWidth + 1;
    const padding = {
      top: filterHeight - 1 - info.padInfo.top,
      bottom: inHeight - stuffedHeight + info.padInfo.top,
      left: filterWidth - 1 - info.padInfo.left,
      right: inWidth - stuffedWidth + info.padInfo.left,
    };
    const convolvableAsIs =
      strideHeight === 1 &&
      strideWidth === 1 &&
      padding.top >= 0 &&
      padding.bottom >= 0 &&
      padding.left >= 0 &&
      padding.right >= 0;

    const own = ownKernels();
    const direct = own !== null && directInputGradientTakes(info) && (!convolvableAsIs || directInputGradientIsCheaper(info));
    let dxNhwc: TensorInfo;
    if (direct) {
      dxNhwc = directInputGradient(wasm, own, dyNhwc, filter, info);
    } else if (convolvableAsIs && inChannels <= NARROW_MAX_CHANNELS && filterWidth > 1) {
      const wideFilter = scratch.keep(flipIntoColumnTaps(wasm, filter));
      const columnSums = scratch.keep(
        runWasmKernel(
          'Conv2D',
          { x: dyNhwc, filter: wideFilter },
          { strides: [1, 1], pad: explicitPadding(padding.top, padding.bottom, padding.left, padding.right), dilations: [1, 1], dataFormat: 'NHWC' },
          wasm,
        ),
      );
      dxNhwc = addShiftedColumns(wasm, columnSums, filterWidth, inChannels);
    } else if (convolvableAsIs) {
      const flipped = scratch.keep(flipAndSwapChannels(wasm, filter));
      dxNhwc = runWasmKernel(
        'Conv2D',
        { x: dyNhwc, filter: flipped },
        { strides: [1, 1], pad: explicitPadding(padding.top, padding.bottom, padding.left, padding.right), dilations: [1, 1], dataFormat: 'NHWC' },
        wasm,
      );
    } else if (strideHeight > 1 || strideWidth > 1) {
      const columnsFilter = scratch.keep(filterAsColumns(wasm, filter));
      const columns = scratch.keep(
        runWasmKernel('Conv2D', { x: dyNhwc, filter: columnsFilter }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' }, wasm),
      );
      const gathered = own !== null && inChannels >= ADD_COLUMNS_MIN_CHANNELS && leadingPaddingNonNegative(info);
      dxNhwc = gathered ? gatherColumns(wasm, own, columns, info) : addColumnsIntoImage(wasm, columns, info);
    } else {
      const flipped = scratch.keep(flipAndSwapChannels(wasm, filter));
      const stuffed = scratch.keep(dilateAndPadSpatial(wasm, dyNhwc, padding, strideHeight, strideWidth));
      dxNhwc = runWasmKernel(
        'Conv2D',
        { x: stuffed, filter: flipped },
        { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' },
        wasm,
      );
    }
    const expectedDx = [batchSize, inHeight, inWidth, inChannels].join(',');
    if (dxNhwc.shape.join(',') !== expectedDx) {
      wasm.disposeData(dxNhwc.dataId);
      throw new BackendError('wasm', `kernel ${KERNEL_NAME}: computed dx [${dxNhwc.shape.join(', ')}], expected [${expectedDx}]`);
    }
    if (!channelsFirst) return dxNhwc;
    scratch.keep(dxNhwc);
    return transposeInfo(wasm, dxNhwc, CHANNELS_LAST_TO_FIRST);
  });
}

/**
 * XNNPACK computes 8 output channels at a time, so a convolution producing 1 or 2 channels (the
 * input gradient of a first layer fed grey or two-channel images) wastes most of its work. Up to
 * this many channels, the kernel's columns become output channels instead: a KH x 1 convolution
 * gives, for every column tap kw, its partial sum at each position, and a JS pass adds each
 * output pixel's KW partial sums from the columns they were computed at.
 */
const NARROW_MAX_CHANNELS = 2;

/** Whether the padding before the first row and column is >= 0, as both our kernels need. */
function leadingPaddingNonNegative(info: tf.backend_util.Conv2DInfo): boolean {
  return info.padInfo.top >= 0 && info.padInfo.left >= 0;
}

/** Whether our direct kernel computes this input gradient: dy's channels whole vectors, padding >= 0. */
function directInputGradientTakes(info: tf.backend_util.Conv2DInfo): boolean {
  return info.outChannels % INPUT_GRADIENT_CHANNEL_MULTIPLE === 0 && leadingPaddingNonNegative(info);
}

/**
 * How much longer our direct kernel takes per multiply-add than XNNPACK's convolution, both on 2
 * threads: a VGG-style dx, [128, 32, 32, 32] from a 3x3 'same' convolution, took 78-100 ms here
 * against XNNPACK's 53-63 ms, whose padded convolution does 4% more multiply-adds.
 */
const DIRECT_COST_PER_MULTIPLY = 1.5;

/** Output pixels along one axis whose window covers input index `index`, with stride 1. */
function coveringCount(index: number, before: number, filterSize: number, outSize: number): number {
  const padded = index + before;
  return Math.max(0, Math.min(outSize - 1, padded) - Math.max(0, padded - filterSize + 1) + 1);
}

/**
 * At stride 1, whether the direct kernel beats XNNPACK's convolution of the padded dy, which
 * multiplies every tap at every pixel (zeros of the padding included) and computes the
 * channels 8 at a time. LeNet-5's second layer, dx [128, 14, 14, 6] from a 5x5 'valid'
 * convolution, covers a pixel with 12.8 taps of 25 on average: XNNPACK takes 4.3-6.3 ms, the
 * direct kernel 2.7-3.6.
 */
export function directInputGradientIsCheaper(info: tf.backend_util.Conv2DInfo): boolean {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, padInfo } = info;
  let rowTaps = 0;
  for (let i = 0; i < inHeight; i++) rowTaps += coveringCount(i, padInfo.top, filterHeight, outHeight);
  let columnTaps = 0;
  for (let j = 0; j < inWidth; j++) columnTaps += coveringCount(j, padInfo.left, filterWidth, outWidth);
  const directMultiplies = rowTaps * columnTaps * inChannels;
  const xnnpackMultiplies = inHeight * inWidth * filterHeight * filterWidth * Math.ceil(inChannels / 8) * 8;
  return directMultiplies * DIRECT_COST_PER_MULTIPLY < xnnpackMultiplies;
}

function inputGradientGeometry(info: tf.backend_util.Conv2DInfo): InputGradientGeometry {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  return { batch: batchSize, inHeight, inWidth, channels: inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left };
}

/** dx straight from dy and W by our SIMD kernel on every thread (see input_gradient_wat). */
function directInputGradient(backend: BackendWasm, own: OwnKernels, dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  return withIntermediates(backend, (scratch) => {
    const dx = scratch.keep(backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32'));
    own.inputGradient({
      ...inputGradientGeometry(info),
      dy: heapOffset(backend, dy),
      w: heapOffset(backend, filter),
      dx: heapOffset(backend, dx),
      outChannels: info.outChannels,
    });
    return scratch.release(dx);
  });
}

/** dx from the columns, gathered per dx pixel by our SIMD kernel on every thread (see add_columns_wat). */
function gatherColumns(backend: BackendWasm, own: OwnKernels, columns: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  return withIntermediates(backend, (scratch) => {
    const dx = scratch.keep(backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32'));
    own.addColumns({ ...inputGradientGeometry(info), columns: heapOffset(backend, columns), dx: heapOffset(backend, dx) });
    return scratch.release(dx);
  });
}

/** W[kh, kw, ci, co] to F[kh, 0, co, kw * CI + ci] = W[KH-1-kh, KW-1-kw, ci, co]. */
function flipIntoColumnTaps(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = asShape4D(filter.shape, 'filter', KERNEL_NAME);
  const tapOutputs = width * inChannels;
  const out = backend.makeOutput([height, 1, outChannels, tapOutputs], 'float32');
  const source = heapView(backend, filter);
  const target = heapView(backend, out);
  for (let kh = 0; kh < height; kh++) {
    for (let kw = 0; kw < width; kw++) {
      const sourceTap = ((height - 1 - kh) * width + (width - 1 - kw)) * inChannels * outChannels;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) {
          target[(kh * outChannels + co) * tapOutputs + kw * inChannels + ci] = source[sourceTap + ci * outChannels + co] as number;
        }
      }
    }
  }
  return out;
}

/** dx[n, i, j, ci] = sum over kw of partial[n, i, j + kw, kw * CI + ci]. */
function addShiftedColumns(
  backend: BackendWasm,
  partial: TensorInfo,
  filterWidth: number,
  channels: number,
): TensorInfo {
  const [batch, height, paddedWidth, tapOutputs] = asShape4D(partial.shape, 'partial sums', KERNEL_NAME);
  const width = paddedWidth - filterWidth + 1;
  const out = backend.makeOutput([batch, height, width, channels], 'float32');
  const source = heapView(backend, partial);
  const target = heapView(backend, out);
  const diagonalStep = tapOutputs + channels;
  let to = 0;
  for (let row = 0; row < batch * height; row++) {
    const rowStart = row * paddedWidth * tapOutputs;
    for (let j = 0; j < width; j++) {
      for (let ci = 0; ci < channels; ci++, to++) {
        let sum = 0;
        for (let kw = 0, from = rowStart + j * tapOutputs + ci; kw < filterWidth; kw++, from += diagonalStep) {
          sum += source[from] as number;
        }
        target[to] = sum;
      }
    }
  }
  return out;
}

/** W[kh, kw, ci, co] to the 1x1 filter F[0, 0, co, (kh * KW + kw) * CI + ci]. */
function filterAsColumns(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = asShape4D(filter.shape, 'filter', KERNEL_NAME);
  const rows = height * width * inChannels;
  const out = backend.makeOutput([1, 1, outChannels, rows], 'float32');
  const source = heapView(backend, filter);
  const target = heapView(backend, out);
  for (let row = 0; row < rows; row++) {
    for (let co = 0; co < outChannels; co++) target[co * rows + row] = source[row * outChannels + co] as number;
  }
  return out;
}

/** dx[n, oh*sh + kh - top, ow*sw + kw - left, ci] += columns[n, oh, ow, (kh * KW + kw) * CI + ci], inside dx only. */
function addColumnsIntoImage(backend: BackendWasm, columns: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const out = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  const source = heapView(backend, columns);
  const target = heapView(backend, out);
  target.fill(0);
  let from = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - info.padInfo.top;
          for (let kw = 0; kw < filterWidth; kw++, from += inChannels) {
            const iw = ow * strideWidth + kw - info.padInfo.left;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) continue;
            const to = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) target[to + ci] = (target[to + ci] as number) + (source[from + ci] as number);
          }
        }
      }
    }
  }
  return out;
}

/** W[kh, kw, ci, co] to W'[kh, kw, co, ci] = W[KH-1-kh, KW-1-kw, ci, co]. Filters are small; one JS pass. */
function flipAndSwapChannels(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = asShape4D(filter.shape, 'filter', KERNEL_NAME);
  const out = backend.makeOutput([height, width, outChannels, inChannels], 'float32');
  const source = heapView(backend, filter);
  const target = heapView(backend, out);
  const tapSize = inChannels * outChannels;
  const taps = height * width;
  for (let tap = 0; tap < taps; tap++) {
    const sourceTap = (taps - 1 - tap) * tapSize;
    const targetTap = tap * tapSize;
    for (let ci = 0; ci < inChannels; ci++) {
      const sourceRow = sourceTap + ci * outChannels;
      for (let co = 0; co < outChannels; co++) {
        target[targetTap + co * inChannels + ci] = source[sourceRow + co] as number;
      }
    }
  }
  return out;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
