import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

const CASES: Array<[number[], number[]]> = [
  [[1, 1, 1, 5], [2, 3, 4, 1]],
  [[2, 3], [3, 2]],
  [[3], [4]],
  [[2, 1, 3], [1, 5, 2]],
  [[2, 40], [3, 1]],
  [[2, 3, 4], [1, 1, 1]],
  [[4, 1], [1, 0]],
];

beforeAll(setUpBackends);

describe('Tile on wasm', () => {
  test.each(CASES)('matches cpu: [%j] by %j, float32 and int32, with the gradient', async (shape, reps) => {
    await expectBackendsAgree(() => {
      const x = seededTensor(shape, 7);
      const integers = x.mul(100).round().cast('int32');
      const upstream = seededTensor(tf.tile(x, reps).shape, 8);
      return [tf.tile(x, reps), tf.tile(integers, reps), tf.grad((input: tf.Tensor) => tf.tile(input, reps).mul(upstream).sum())(x)];
    });
  });

  test('tiles bool tensors and scalars', async () => {
    await expectBackendsAgree(() => [tf.tile(tf.tensor1d([true, false, true], 'bool'), [3]), tf.tile(tf.scalar(2.5), [])]);
  });
});
