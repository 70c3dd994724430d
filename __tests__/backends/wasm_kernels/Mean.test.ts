import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

const AXES: Array<number | number[]> = [0, 1, 2, 3, -1, [0, 1], [1, 2], [0, 1, 2], [2, 3], [0, 2], [0, 1, 2, 3]];

beforeAll(setUpBackends);

describe('Mean on wasm', () => {
  test.each(AXES.map((axis) => [JSON.stringify(axis), axis] as const))('matches cpu over axes %s, with and without keepDims', async (_, axis) => {
    await expectBackendsAgree(() => {
      const x = seededTensor([3, 4, 5, 6], 1);
      return [tf.mean(x, axis), tf.mean(x, axis, true)];
    });
  });

  test("matches cpu over a BatchNormalization-sized reduction, pooled in XNNPACK's average pooling", async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([16, 48, 40, 8], 2).add(0.5);
      return [tf.mean(x, [0, 1, 2]), tf.mean(x, [1, 2]), tf.mean(x, 0)];
    });
  });

  test('averages int32 tensors as the cpu backend does', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 5, 3], 3).mul(50).round();
      return [tf.mean(x.cast('int32'), [0, 1])];
    });
  });

  test('gives the gradient of a mean over the leading axes', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([6, 5, 4, 3], 4);
      const upstream = seededTensor([3], 5);
      return [tf.grad((input: tf.Tensor) => tf.mean(input, [0, 1, 2]).mul(upstream).sum())(x)];
    });
  });
});
