import { tf } from '../../../lib/tf';
import { describePoolCase, POOL_CASES } from '../../helpers/window_cases';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(setUpBackends);

describe('AvgPoolGrad on wasm', () => {
  test.each(POOL_CASES.map((c, i) => [describePoolCase(c), c, i] as const))('matches cpu: %s', async (_, poolCase, index) => {
    await expectBackendsAgree(() => {
      const x = seededTensor(poolCase.x, 10 * index + 1) as tf.Tensor4D;
      const pool = (input: tf.Tensor4D): tf.Tensor4D => tf.avgPool(input, poolCase.filter, poolCase.strides, poolCase.pad);
      const upstream = seededTensor(pool(x).shape, 10 * index + 2);
      return [tf.grad((input: tf.Tensor) => pool(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
  });

  test('backpropagates through dilated pooling (tf.pool)', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 9, 9, 2], 311) as tf.Tensor4D;
      const pool = (input: tf.Tensor4D): tf.Tensor4D => tf.pool(input, [2, 2], 'avg', 'valid', [2, 2], 1) as tf.Tensor4D;
      const upstream = seededTensor(pool(x).shape, 312);
      return [tf.grad((input: tf.Tensor) => pool(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
  });
});
