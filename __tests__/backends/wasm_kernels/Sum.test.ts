import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

const AXES: Array<number | number[]> = [0, 1, 2, 3, -1, [0, 1], [1, 2], [0, 1, 2], [2, 3], [0, 2], [0, 1, 2, 3]];

beforeAll(setUpBackends);

describe('Sum on wasm', () => {
  test.each(AXES.map((axis) => [JSON.stringify(axis), axis] as const))('matches cpu over axes %s, with and without keepDims', async (_, axis) => {
    await expectBackendsAgree(() => {
      const x = seededTensor([3, 4, 5, 6], 1);
      return [tf.sum(x, axis), tf.sum(x, axis, true)];
    });
  });

  test("matches cpu over a BatchNormalization-sized reduction, pooled in XNNPACK's average pooling", async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([16, 48, 40, 8], 2).add(0.5);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 2]), tf.sum(x, 0)];
    });
  });

  test('sums empty tensors', async () => {
    await expectBackendsAgree(() => [tf.sum(tf.zeros([0, 3, 2]), 0), tf.sum(tf.zeros([4, 0, 2]), [0, 1])]);
  });

  test('sums int32 and bool tensors as the cpu backend does', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 5, 3], 3).mul(50).round();
      return [tf.sum(x.cast('int32'), [0, 1]), tf.sum(x.greater(0), 0)];
    });
  });

  test('gives the gradient of a broadcast addition, which reduces the leading axes', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([6, 5, 4, 3], 4);
      const bias = seededTensor([3], 5);
      const upstream = seededTensor([6, 5, 4, 3], 6);
      return [tf.grad((b: tf.Tensor) => x.add(b).mul(upstream).sum())(bias)];
    });
  });
});
