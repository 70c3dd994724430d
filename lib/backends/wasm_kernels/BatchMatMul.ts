/**
 * Matrix products with transposed operands. The wasm backend sends only the plain
 * (no transpose) product to XNNPACK; a transposed operand falls back to a plain loop that is
 * 10 to 70 times slower, and every dense layer's gradient asks for one.
 *
 * So the operands are transposed first (a memory-bound pass) and the backend's plain kernel does
 * the product. When that would transpose a large operand, the transposed product is computed
 * instead: op(a)·op(b) = (op(b)ᵀ·op(a)ᵀ)ᵀ, trading it for the two smaller tensors.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import {
  asWasmBackend,
  replacementConfig,
  requireInput,
  runKernelFunc,
  sizeOf,
  transposeInfo,
  withIntermediates,
  type Intermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';

interface MatMulOperands {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
}

/** The permutation that swaps a tensor's last two axes. */
export function swapLastTwoAxes(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function outputSize({ a, b, transposeA, transposeB }: MatMulOperands): number {
  const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)] ?? 1;
  const columns = b.shape[b.shape.length - (transposeB ? 2 : 1)] ?? 1;
  const batchA = sizeOf(a) / ((a.shape[a.shape.length - 1] ?? 1) * (a.shape[a.shape.length - 2] ?? 1));
  const batchB = sizeOf(b) / ((b.shape[b.shape.length - 1] ?? 1) * (b.shape[b.shape.length - 2] ?? 1));
  return Math.max(batchA, batchB) * rows * columns;
}

/**
 * Whether computing the transposed product moves fewer floats. Each path pays for the
 * transposes it needs, and XNNPACK repacks the right-hand operand, new on every call.
 */
export function transposedProductIsCheaper(operands: MatMulOperands): boolean {
  const sizeA = sizeOf(operands.a);
  const sizeB = sizeOf(operands.b);
  const direct = (operands.transposeA ? sizeA : 0) + (operands.transposeB ? sizeB : 0) + sizeB;
  const swapped =
    (operands.transposeA ? 0 : sizeA) + (operands.transposeB ? 0 : sizeB) + outputSize(operands) + sizeA;
  return swapped < direct;
}

function transposeLastTwo(backend: BackendWasm, info: TensorInfo, scratch: Intermediates): TensorInfo {
  return scratch.keep(transposeInfo(backend, info, swapLastTwoAxes(info.shape.length)));
}

/**
 * Runs `plainProduct` (the backend's kernel with transposeA = transposeB = false) on operands
 * rearranged so that it gives op(a)·op(b). Returns the product; the caller owns it.
 * `mayTransposeProduct` is false where the kernel adds a bias or activation per output column,
 * which the transposed product would apply along the wrong axis.
 */
export function multiplyWithPlainKernel(
  backend: BackendWasm,
  operands: MatMulOperands,
  plainProduct: (a: TensorInfo, b: TensorInfo) => TensorInfo,
  mayTransposeProduct = true,
): TensorInfo {
  const { a, b, transposeA, transposeB } = operands;
  if (!transposeA && !transposeB) return plainProduct(a, b);
  return withIntermediates(backend, (scratch) => {
    if (!mayTransposeProduct || !transposedProductIsCheaper(operands)) {
      const left = transposeA ? transposeLastTwo(backend, a, scratch) : a;
      const right = transposeB ? transposeLastTwo(backend, b, scratch) : b;
      return plainProduct(left, right);
    }
    const left = transposeB ? b : transposeLastTwo(backend, b, scratch);
    const right = transposeA ? a : transposeLastTwo(backend, a, scratch);
    const productTransposed = scratch.keep(plainProduct(left, right));
    return transposeInfo(backend, productTransposed, swapLastTwoAxes(productTransposed.shape.length));
  });
}

/** The wasm BatchMatMul kernel, with transposed operands routed to the plain fast path. */
export function makeBatchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, tf.BatchMatMul);
    const a = requireInput(inputs, 'a', tf.BatchMatMul);
    const b = requireInput(inputs, 'b', tf.BatchMatMul);
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    return multiplyWithPlainKernel(wasm, { a, b, transposeA, transposeB }, (left, right) =>
      runKernelFunc(original, { a: left, b: right }, { transposeA: false, transposeB: false }, wasm),
    );
  };
  return replacementConfig(original, kernelFunc);
}
