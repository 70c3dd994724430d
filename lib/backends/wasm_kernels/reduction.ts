/**
 * Sum and mean over a contiguous run of axes that are not the innermost ones. The wasm
 * backend's Sum and Mean first move the reduced axes innermost with a transpose that costs
 * 15 ns a float, and BatchNormalization's statistics and gradient reduce [N, H, W, C] over
 * N, H, W several times a step.
 *
 * Here XNNPACK's average pooling, which runs over the channel axis with SIMD, averages the
 * trailing reduced axes (a pooling window of up to POOLED_MAX elements, to keep float32
 * rounding small), and a short JS loop in float64 adds up what is left.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import {
  asWasmBackend,
  heapView,
  replacementConfig,
  requireInput,
  reshapeInfo,
  runKernelFunc,
  runWasmKernel,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';

/** The most elements one pooling window averages: float32 error grows with the count. */
const POOLED_MAX = 4096;

/** x seen as [outer, reduced, inner], reduced over the middle axis. */
export interface ReductionLayout {
  outer: number;
  reduced: number;
  inner: number;
  /** The trailing part of `reduced` that a pooling window averages; 1 when none is. */
  pooled: number;
  /** The output shape, with or without the reduced axes kept as 1. */
  outShape: number[];
}

/**
 * The layout for reducing `x` over `axis`, or null when another path is better: the reduced axes
 * are innermost already (the wasm kernel needs no transpose then), not contiguous, or the
 * tensor is empty or not float32.
 */
export function middleAxesLayout(x: TensorInfo, axis: number | number[], keepDims: boolean): ReductionLayout | null {
  if (x.dtype !== 'float32' || x.shape.some((dim) => dim === 0)) return null;
  const rank = x.shape.length;
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (first === undefined || last === undefined || last - first + 1 !== axes.length) return null;
  if (last === rank - 1) return null;
  const product = (from: number, to: number): number =>
    x.shape.slice(from, to).reduce((total, dim) => total * dim, 1);
  const outShape = keepDims
    ? x.shape.map((dim, i) => (i >= first && i <= last ? 1 : dim))
    : x.shape.filter((_, i) => i < first || i > last);
  let pooled = 1;
  for (let i = last; i >= first && pooled * (x.shape[i] as number) <= POOLED_MAX; i--) pooled *= x.shape[i] as number;
  return {
    outer: product(0, first),
    reduced: product(first, last + 1),
    inner: product(last + 1, rank),
    pooled,
    outShape,
  };
}

/** out[o, i] = scale * sum over r of x[o, r, i]. */
export function reduceMiddleAxis(backend: BackendWasm, x: TensorInfo, layout: ReductionLayout, scale: number): TensorInfo {
  const { outer, reduced, inner, pooled } = layout;
  if (pooled === 1) return sumMiddleAxis(backend, x, outer, reduced, inner, layout.outShape, scale);
  return withIntermediates(backend, (scratch) => {
    const remaining = reduced / pooled;
    const windows = scratch.keep(reshapeInfo(backend, x, [outer * remaining, pooled, 1, inner]));
    const means = scratch.keep(
      runWasmKernel('AvgPool', { x: windows }, { filterSize: [pooled, 1], strides: [pooled, 1], pad: 'valid' }, backend),
    );
    return sumMiddleAxis(backend, means, outer, remaining, inner, layout.outShape, scale * pooled);
  });
}

/** out[o, i] = scale * sum over r of x[o, r, i], accumulated in float64. */
function sumMiddleAxis(
  backend: BackendWasm,
  x: TensorInfo,
  outer: number,
  reduced: number,
  inner: number,
  outShape: number[],
  scale: number,
): TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  const source = heapView(backend, x);
  const target = heapView(backend, out);
  const sums = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    let offset = o * reduced * inner;
    for (let r = 0; r < reduced; r++, offset += inner) {
      for (let i = 0; i < inner; i++) sums[i] = (sums[i] as number) + (source[offset + i] as number);
    }
    const outOffset = o * inner;
    for (let i = 0; i < inner; i++) target[outOffset + i] = (sums[i] as number) * scale;
  }
  return out;
}

/**
 * A Sum or Mean kernel that reduces leading or middle axes itself and leaves every other case
 * to `original`, the backend's own kernel (for Mean also an empty reduction, whose mean is NaN).
 */
export function middleAxesReductionConfig(original: tf.KernelConfig, reduction: 'sum' | 'mean'): tf.KernelConfig {
  const kernelName = original.kernelName;
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, kernelName);
    const x = requireInput(inputs, 'x', kernelName);
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const layout = middleAxesLayout(x, axis, keepDims);
    if (layout === null || (reduction === 'mean' && layout.reduced === 0)) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    return reduceMiddleAxis(wasm, x, layout, reduction === 'mean' ? 1 / layout.reduced : 1);
  };
  return replacementConfig(original, kernelFunc);
}
