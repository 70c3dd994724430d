/**
 * Tile, done as block copies on the wasm heap. BatchNormalization's gradient tiles a [1, 1, 1, C]
 * tensor to the full activation shape once per layer and step; the wasm backend's kernel
 * computes every output element's source index one at a time and took a fifth of a VGG-style
 * training step. Here each input row is copied once and whole tiled blocks are then doubled
 * with copyWithin, which runs at memcpy speed.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';

const KERNEL_NAME = tf.Tile;

/** Below this run length a plain loop beats allocating a `subarray` view. */
const SHORT_RUN = 16;

type HeapArray = Float32Array | Int32Array | Uint8Array;

function strides(shape: readonly number[]): number[] {
  const result = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) {
    result[axis] = (result[axis + 1] as number) * (shape[axis + 1] as number);
  }
  return result;
}

/** Copies out[start, start + blockLength) after itself until it fills `times` blocks. */
function repeatBlock(out: HeapArray, start: number, blockLength: number, times: number): void {
  const total = blockLength * times;
  let filled = blockLength;
  while (filled < total) {
    const chunk = Math.min(filled, total - filled);
    out.copyWithin(start + filled, start, start + chunk);
    filled += chunk;
  }
}

export function tileInto(x: HeapArray, xShape: readonly number[], reps: readonly number[], out: HeapArray): void {
  const rank = xShape.length;
  if (rank === 0) {
    out[0] = x[0] as number;
    return;
  }
  const outShape = xShape.map((dim, axis) => dim * (reps[axis] as number));
  const xStrides = strides(xShape);
  const outStrides = strides(outShape);
  const innermost = rank - 1;

  const fill = (axis: number, xOffset: number, outOffset: number): void => {
    const length = xShape[axis] as number;
    if (axis === innermost) {
      if (length < SHORT_RUN) {
        for (let i = 0; i < length; i++) out[outOffset + i] = x[xOffset + i] as number;
      } else {
        out.set(x.subarray(xOffset, xOffset + length), outOffset);
      }
      repeatBlock(out, outOffset, length, reps[axis] as number);
      return;
    }
    const xStride = xStrides[axis] as number;
    const outStride = outStrides[axis] as number;
    for (let i = 0; i < length; i++) fill(axis + 1, xOffset + i * xStride, outOffset + i * outStride);
    repeatBlock(out, outOffset, length * outStride, reps[axis] as number);
  };
  fill(0, 0, 0);
}

function heapArray(backend: BackendWasm, info: TensorInfo): HeapArray {
  return backend.typedArrayFromHeap(info) as HeapArray;
}

export function makeTileConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const { reps } = attrs as unknown as tf.TileAttrs;
    if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) {
      return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    }
    const outShape = x.shape.map((dim, axis) => dim * (reps[axis] as number));
    const out = wasm.makeOutput(outShape, x.dtype);
    if (outShape.every((dim) => dim > 0)) tileInto(heapArray(wasm, x), x.shape, reps, heapArray(wasm, out));
    return out;
  };
  return replacementConfig(original, kernelFunc);
}
