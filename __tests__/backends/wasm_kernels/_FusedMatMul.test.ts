import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(setUpBackends);

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
});
