import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackendsWithOwnKernels } from '../../helpers/backend_comparison';

beforeAll(setUpBackendsWithOwnKernels);

describe('_FusedMatMul on wasm', () => {
  test.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const)('matches cpu with bias and relu, transposeA %s, transposeB %s', async (transposeA, transposeB) => {
    await expectBackendsAgree(() => {
      const a = seededTensor(transposeA ? [9, 6] : [6, 9], 1) as tf.Tensor2D;
      const b = seededTensor(transposeB ? [5, 9] : [9, 5], 2) as tf.Tensor2D;
      const bias = seededTensor([5], 3);
      const product = (left: tf.Tensor2D, right: tf.Tensor2D): tf.Tensor =>
        tf.fused.matMul({ a: left, b: right, transposeA, transposeB, bias, activation: 'relu' });
      const upstream = seededTensor([6, 5], 4);
      const [gradA, gradB] = tf.grads((left: tf.Tensor, right: tf.Tensor) =>
        product(left as tf.Tensor2D, right as tf.Tensor2D).mul(upstream).sum(),
      )([a, b]);
      if (gradA === undefined || gradB === undefined) throw new Error('tf.grads returned too few gradients');
      return [product(a, b), gradA, gradB];
    });
  });

  test.each([
    [false, [70, 64], [64, 12]],
    [true, [64, 70], [64, 12]],
  ] as const)('adds the bias in our kernel when there is no activation, transposeA %s', async (transposeA, aShape, bShape) => {
    const ours = jest.spyOn(ownKernels()!, 'matMul');
    await expectBackendsAgree(() => [
      tf.fused.matMul({ a: seededTensor([...aShape], 11) as tf.Tensor2D, b: seededTensor([...bShape], 12) as tf.Tensor2D, transposeA, bias: seededTensor([12], 13) }),
    ]);
    expect(ours).toHaveBeenCalled();
    ours.mockRestore();
  });

  test('leaves a product with an activation to the backend', async () => {
    const ours = jest.spyOn(ownKernels()!, 'matMul');
    await expectBackendsAgree(() => [
      tf.fused.matMul({ a: seededTensor([6, 64], 21) as tf.Tensor2D, b: seededTensor([64, 8], 22) as tf.Tensor2D, bias: seededTensor([8], 23), activation: 'relu' }),
    ]);
    expect(ours).not.toHaveBeenCalled();
    ours.mockRestore();
  });
});
