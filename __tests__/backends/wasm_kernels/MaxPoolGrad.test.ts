import { tf } from '../../../lib/tf';
import { describePoolCase, POOL_CASES } from '../../helpers/window_cases';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(setUpBackends);

describe('MaxPoolGrad on wasm', () => {
  test.each(POOL_CASES.map((c, i) => [describePoolCase(c), c, i] as const))('matches cpu: %s', async (_, poolCase, index) => {
    await expectBackendsAgree(() => {
      const x = seededTensor(poolCase.x, 10 * index + 1) as tf.Tensor4D;
      const pool = (input: tf.Tensor4D): tf.Tensor4D => tf.maxPool(input, poolCase.filter, poolCase.strides, poolCase.pad);
      const upstream = seededTensor(pool(x).shape, 10 * index + 2);
      return [tf.grad((input: tf.Tensor) => pool(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
  });

  test('gives a tied window its gradient at the first maximum, as the cpu backend does', async () => {
    await expectBackendsAgree(() => {
      // Rounded values and ReLU zeros make many windows hold their maximum more than once.
      const x = seededTensor([2, 8, 8, 3], 301).mul(2).round().relu() as tf.Tensor4D;
      const upstream = seededTensor([2, 4, 4, 3], 302);
      const overlapping = seededTensor([2, 4, 4, 3], 303);
      return [
        tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid').mul(upstream).sum())(x),
        tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 3, 2, 'same').mul(overlapping).sum())(x),
      ];
    });
  });

  test('skips NaN and -Infinity when looking for the maximum, as the cpu backend does', async () => {
    await expectBackendsAgree(() => {
      const values = Array.from(seededTensor([1, 4, 6, 2], 321).dataSync());
      [0, 1, 2, 3, 9, 17, 30].forEach((i) => (values[i] = Number.NEGATIVE_INFINITY));
      [4, 5, 12, 26].forEach((i) => (values[i] = Number.NaN));
      const x = tf.tensor4d(values, [1, 4, 6, 2]);
      const upstream = seededTensor([1, 2, 3, 2], 322);
      const overlapping = seededTensor([1, 2, 3, 2], 323);
      return [
        tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid').mul(upstream).sum())(x),
        tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 3, 2, 'same').mul(overlapping).sum())(x),
      ];
    });
  });

  test('backpropagates through dilated pooling (tf.pool)', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 9, 9, 2], 311) as tf.Tensor4D;
      const pool = (input: tf.Tensor4D): tf.Tensor4D => tf.pool(input, [2, 2], 'max', 'valid', [2, 2], 1) as tf.Tensor4D;
      const upstream = seededTensor(pool(x).shape, 312);
      return [tf.grad((input: tf.Tensor) => pool(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
  });
});
