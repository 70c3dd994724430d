import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // 4 or more channels run our one-pass SIMD kernel; 3 the backend's Sub, Multiply and Add.
  expect(ownKernels()).not.toBeNull();
});

describe('FusedBatchNorm on wasm', () => {
  test('matches cpu with and without offset and scale, per channel and single-valued', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 5, 6, 3], 1).mul(3).add(2);
      const mean = seededTensor([3], 2).add(2);
      const variance = seededTensor([3], 3).abs().add(0.5);
      const offset = seededTensor([3], 4);
      const scale = seededTensor([3], 5).add(1.5);
      return [
        tf.batchNorm(x, mean, variance, offset, scale, 0.001),
        tf.batchNorm(x, mean, variance, undefined, scale, 0.01),
        tf.batchNorm(x, mean, variance, offset, undefined, 0.001),
        tf.batchNorm(x, tf.scalar(0.5), tf.scalar(2), tf.scalar(0.1), tf.scalar(3), 0.001),
        tf.batchNorm(x.reshape([20, 18]), seededTensor([18], 6), seededTensor([18], 7).abs().add(0.1)),
      ];
    });
  });

  // 4 and 16 channels are whole vectors; 6 and 13 end each pixel with a vector shifted back;
  // [16, 16, 16, 8] is large enough for both threads.
  test.each([[[2, 3, 5, 4]], [[2, 3, 5, 6]], [[3, 13]], [[2, 4, 4, 16]], [[16, 16, 16, 8]]])(
    'matches cpu for x of shape %j in one pass, with every kind of parameter',
    async (shape) => {
      await expectBackendsAgree(() => {
        const channels = shape[shape.length - 1] ?? 0;
        const x = seededTensor(shape, channels).mul(3).add(2);
        const mean = seededTensor([channels], 2).add(2);
        const variance = seededTensor([channels], 3).abs().add(0.5);
        const offset = seededTensor([channels], 4);
        const scale = seededTensor([channels], 5).add(1.5);
        const asRank = (t: tf.Tensor): tf.Tensor => t.reshape([...shape.slice(1).map(() => 1), channels]);
        return [
          tf.batchNorm(x, mean, variance, offset, scale, 0.001),
          tf.batchNorm(x, mean, variance, undefined, scale, 0.01),
          tf.batchNorm(x, mean, variance, offset, undefined, 0.001),
          tf.batchNorm(x, asRank(mean), asRank(variance), asRank(offset), asRank(scale), 0.001),
          tf.batchNorm(x, tf.scalar(0.5), tf.scalar(2), tf.scalar(0.1), tf.scalar(3), 0.001),
        ];
      });
    },
  );

  test('keeps its precision when the mean is large against the spread', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 3, 3, 4], 11).add(1000);
      const mean = tf.fill([4], 1000);
      const narrow = seededTensor([2, 3, 3, 3], 12).add(1000);
      return [
        tf.batchNorm(x, mean, tf.ones([4]), tf.zeros([4]), tf.ones([4]), 0),
        tf.batchNorm(narrow, tf.fill([3], 1000), tf.ones([3]), tf.zeros([3]), tf.ones([3]), 0),
      ];
    });
  });

  test('gives the gradients of a training-mode normalisation, as BatchNormalization computes it', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([6, 5, 4, 3], 21).mul(2).add(1);
      const offset = seededTensor([3], 22);
      const scale = seededTensor([3], 23).add(1.5);
      const upstream = seededTensor([6, 5, 4, 3], 24);
      const normalise = (input: tf.Tensor, beta: tf.Tensor, gamma: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(input, [0, 1, 2]);
        return tf.batchNorm(input, mean, variance, beta, gamma, 0.001).mul(upstream).sum();
      };
      return tf.grads((input: tf.Tensor, beta: tf.Tensor, gamma: tf.Tensor) => normalise(input, beta, gamma))([x, offset, scale]);
    });
  });
});
