/**
 * Matrix products on wasm. Where our own kernels run (the threaded backend), a product of one
 * matrix by another goes to our SIMD kernel (mat_mul_wat) on every thread: the backend's XNNPACK
 * route runs on one thread and packs the right-hand operand, a weight that is new on every
 * training step, again each time (a [128, 2048] x [2048, 1024] product: 52 ms in a VGG-style
 * step against 10-12 ms here).
 *
 * Otherwise the backend's kernel does the product. It sends only the plain (no transpose)
 * product to XNNPACK; a transposed operand falls back to a plain loop that is 10 to 70 times
 * slower, and every dense layer's gradient asks for one. So the operands are transposed first (a
 * memory-bound pass). When that would transpose a large operand, the transposed product is
 * computed instead: op(a)·op(b) = (op(b)ᵀ·op(a)ᵀ)ᵀ, trading it for the two smaller tensors.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import { MAT_MUL_COLUMN_MULTIPLE } from './mat_mul_wat';
import { ownKernels, type OwnKernels } from './own_kernels';
import {
  asWasmBackend,
  heapOffset,
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

/** A stored matrix's [rows, columns]: a rank-2 tensor, or rank 3 with a batch of one; else null. */
function storedMatrix(info: TensorInfo): [number, number] | null {
  const [first, second, third] = info.shape;
  if (info.shape.length === 2 && first !== undefined && second !== undefined) return [first, second];
  if (info.shape.length === 3 && first === 1 && second !== undefined && third !== undefined) return [second, third];
  return null;
}

/**
 * Below this depth each of our kernel's tiles does too few multiplies to pay for its setup: a
 * depth of 10 ([128, 10] x [10, 1024]) took 0.87 ms against XNNPACK's 0.30.
 */
export const OWN_PRODUCT_MIN_DEPTH = 32;

/**
 * op(a)·b (+ bias along the product's columns) by our kernel on every thread, or null where it
 * does not take the operands: not one float32 matrix each, a transposed b, product columns that
 * are not whole vectors, a depth below OWN_PRODUCT_MIN_DEPTH, or a bias that is not one float32
 * per column. The caller owns the product.
 *
 * A transposed b (a dense layer's input gradient) stays on the backend's route: transposing
 * b, or computing the transposed product, cost our kernel more than XNNPACK's packing does
 * there (VGG's [128, 1024] x [2048, 1024]ᵀ: 19-21 ms on XNNPACK, 25-29 ms by transposing).
 */
export function multiplyWithOwnKernel(backend: BackendWasm, own: OwnKernels, operands: MatMulOperands, bias: TensorInfo | null): TensorInfo | null {
  const { a, b, transposeA, transposeB } = operands;
  const storedA = storedMatrix(a);
  const storedB = storedMatrix(b);
  if (transposeB || storedA === null || storedB === null || a.shape.length !== b.shape.length) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [rows, depth] = transposeA ? [storedA[1], storedA[0]] : storedA;
  const columns = storedB[1];
  if (rows === 0 || depth < OWN_PRODUCT_MIN_DEPTH || columns % MAT_MUL_COLUMN_MULTIPLE !== 0) return null;
  if (bias !== null && (bias.dtype !== 'float32' || sizeOf(bias) !== columns || bias.shape[bias.shape.length - 1] !== columns)) return null;
  return withIntermediates(backend, (scratch) => {
    const product = scratch.keep(backend.makeOutput(a.shape.length === 3 ? [1, rows, columns] : [rows, columns], 'float32'));
    const scratchFloats = scratch.keep(backend.makeOutput([own.matMulScratchFloats], 'float32'));
    own.matMul({
      a: heapOffset(backend, a),
      b: heapOffset(backend, b),
      c: heapOffset(backend, product),
      rows,
      depth,
      columns,
      aRowStep: 4 * (transposeA ? 1 : depth),
      aDepthStep: 4 * (transposeA ? rows : 1),
      scratch: heapOffset(backend, scratchFloats),
      bias: bias === null ? 0 : heapOffset(backend, bias),
    });
    return scratch.release(product);
  });
}

/** The wasm BatchMatMul kernel: our kernel where it takes the operands, else the plain fast path. */
export function makeBatchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, tf.BatchMatMul);
    const a = requireInput(inputs, 'a', tf.BatchMatMul);
    const b = requireInput(inputs, 'b', tf.BatchMatMul);
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const operands = { a, b, transposeA, transposeB };
    const own = ownKernels();
    const ours = own === null ? null : multiplyWithOwnKernel(wasm, own, operands, null);
    return (
      ours ??
      multiplyWithPlainKernel(wasm, operands, (left, right) =>
        runKernelFunc(original, { a: left, b: right }, { transposeA: false, transposeB: false }, wasm),
      )
    );
  };
  return replacementConfig(original, kernelFunc);
}
