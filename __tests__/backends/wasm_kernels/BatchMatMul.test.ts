import { transposedProductIsCheaper } from '../../../lib/backends/wasm_kernels/BatchMatMul';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackendsWithOwnKernels } from '../../helpers/backend_comparison';

interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const CASES: MatMulCase[] = [
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  // A dense layer's input gradient (a large transposed weight) and weight gradient.
  { a: [16, 40], b: [96, 40], transposeA: false, transposeB: true },
  { a: [16, 96], b: [16, 40], transposeA: true, transposeB: false },
  { a: [3, 4, 6], b: [3, 5, 6], transposeA: false, transposeB: true },
];

/** Batch dimensions that broadcast: tfjs's BatchMatMul gradient does not reduce them, so forward only. */
const BROADCAST_CASES: MatMulCase[] = [
  { a: [3, 6, 4], b: [1, 6, 5], transposeA: true, transposeB: false },
  { a: [2, 6, 4], b: [5, 6], transposeA: true, transposeB: true },
  { a: [2, 3, 4, 6], b: [3, 5, 6], transposeA: false, transposeB: true },
];

/**
 * Products our kernel computes: LeNet-5's first dense layer (two blocks of depth, 15 panels);
 * row tiles of 1 to 3 rows and a last panel of one vector; a transposed a (copied a tile at a
 * time) over two blocks of depth and over three blocks of rows; more rows than a block; one
 * panel, so the second thread's share is empty; a batch of one.
 */
const OWN_CASES: MatMulCase[] = [
  { a: [128, 400], b: [400, 120], transposeA: false, transposeB: false },
  { a: [5, 300], b: [300, 12], transposeA: false, transposeB: false },
  { a: [33, 7], b: [33, 20], transposeA: true, transposeB: false },
  { a: [300, 9], b: [300, 16], transposeA: true, transposeB: false },
  { a: [36, 261], b: [36, 4], transposeA: true, transposeB: false },
  { a: [130, 40], b: [40, 8], transposeA: false, transposeB: false },
  { a: [1, 6, 64], b: [1, 64, 16], transposeA: false, transposeB: false },
];

/** Products that stay on the backend's route: b transposed, a depth below 32, columns not whole vectors, a batch. */
const BACKEND_CASES: MatMulCase[] = [
  { a: [8, 40], b: [12, 40], transposeA: false, transposeB: true },
  { a: [8, 31], b: [31, 8], transposeA: false, transposeB: false },
  { a: [8, 40], b: [40, 10], transposeA: false, transposeB: false },
  { a: [2, 8, 40], b: [2, 40, 8], transposeA: false, transposeB: false },
];

function describeCase({ a, b, transposeA, transposeB }: MatMulCase): string {
  return `[${a.join(', ')}]${transposeA ? 'ᵀ' : ''} x [${b.join(', ')}]${transposeB ? 'ᵀ' : ''}`;
}

beforeAll(setUpBackendsWithOwnKernels);

describe('BatchMatMul on wasm', () => {
  test.each(CASES.map((c, i) => [describeCase(c), c, i] as const))('matches cpu, with gradients: %s', async (_, matMulCase, index) => {
    await expectBackendsAgree(() => {
      const a = seededTensor(matMulCase.a, 10 * index + 1);
      const b = seededTensor(matMulCase.b, 10 * index + 2);
      const multiply = (left: tf.Tensor, right: tf.Tensor): tf.Tensor =>
        tf.matMul(left, right, matMulCase.transposeA, matMulCase.transposeB);
      const upstream = seededTensor(multiply(a, b).shape, 10 * index + 3);
      const [gradA, gradB] = tf.grads((left: tf.Tensor, right: tf.Tensor) => multiply(left, right).mul(upstream).sum())([a, b]);
      if (gradA === undefined || gradB === undefined) throw new Error('tf.grads returned too few gradients');
      return [multiply(a, b), gradA, gradB];
    });
  });

  test.each(OWN_CASES.map((c, i) => [describeCase(c), c, i] as const))('matches cpu with our kernel: %s', async (_, matMulCase, index) => {
    const ours = jest.spyOn(ownKernels()!, 'matMul');
    await expectBackendsAgree(() => [
      tf.matMul(seededTensor(matMulCase.a, 10 * index + 201), seededTensor(matMulCase.b, 10 * index + 202), matMulCase.transposeA, matMulCase.transposeB),
    ]);
    expect(ours).toHaveBeenCalled();
    ours.mockRestore();
  });

  test.each(BACKEND_CASES.map((c, i) => [describeCase(c), c, i] as const))('keeps %s off our kernel', async (_, matMulCase, index) => {
    const ours = jest.spyOn(ownKernels()!, 'matMul');
    await expectBackendsAgree(() => [
      tf.matMul(seededTensor(matMulCase.a, 10 * index + 301), seededTensor(matMulCase.b, 10 * index + 302), matMulCase.transposeA, matMulCase.transposeB),
    ]);
    expect(ours).not.toHaveBeenCalled();
    ours.mockRestore();
  });

  test.each(BROADCAST_CASES.map((c, i) => [describeCase(c), c, i] as const))('matches cpu, broadcasting: %s', async (_, matMulCase, index) => {
    await expectBackendsAgree(() => [
      tf.matMul(
        seededTensor(matMulCase.a, 10 * index + 101),
        seededTensor(matMulCase.b, 10 * index + 102),
        matMulCase.transposeA,
        matMulCase.transposeB,
      ),
    ]);
  });

  test('takes both routes: transposing the operands, and computing the transposed product', () => {
    const info = (shape: number[]): tf.TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
    // dy · Wᵀ of a 2048 -> 1024 dense layer: transposing W would move 2M floats.
    expect(transposedProductIsCheaper({ a: info([128, 1024]), b: info([2048, 1024]), transposeA: false, transposeB: true })).toBe(true);
    // xᵀ · dy of the same layer: transposing x is the small move.
    expect(transposedProductIsCheaper({ a: info([128, 2048]), b: info([128, 1024]), transposeA: true, transposeB: false })).toBe(false);
  });
});
