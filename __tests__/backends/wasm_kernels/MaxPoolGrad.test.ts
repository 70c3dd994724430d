import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { describePoolCase, POOL_CASES } from '../../helpers/window_cases';
import { expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // 2x2, stride 2 windows of 4 or more channels run our SIMD kernel, the rest the JS loops.
  expect(ownKernels()).not.toBeNull();
});

/** Gradients of 2x2, stride 2 max pooling and of an overlapping 3x3 one, for the same x. */
function poolingGradients(x: tf.Tensor4D, seed: number): tf.Tensor[] {
  const [batch, height, width, channels] = x.shape;
  const upstream = seededTensor([batch, Math.floor(height / 2), Math.floor(width / 2), channels], seed);
  const overlapping = seededTensor([batch, Math.ceil(height / 2), Math.ceil(width / 2), channels], seed + 1);
  return [
    tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid').mul(upstream).sum())(x),
    tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 3, 2, 'same').mul(overlapping).sum())(x),
  ];
}

describe('MaxPoolGrad on wasm', () => {
  test.each(POOL_CASES.map((c, i) => [describePoolCase(c), c, i] as const))('matches cpu: %s', async (_, poolCase, index) => {
    await expectBackendsAgree(() => {
      const x = seededTensor(poolCase.x, 10 * index + 1) as tf.Tensor4D;
      const pool = (input: tf.Tensor4D): tf.Tensor4D => tf.maxPool(input, poolCase.filter, poolCase.strides, poolCase.pad);
      const upstream = seededTensor(pool(x).shape, 10 * index + 2);
      return [tf.grad((input: tf.Tensor) => pool(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
  });

  // 4 channels is one vector; 6 and 13 end with a vector shifted back over the previous one; 16
  // is LeNet-5's second pooling; 3 stays on the JS loops. 3 output rows split unevenly over 2 threads.
  test.each([[3], [4], [6], [13], [16]])('2x2 stride 2 pooling of %i channels matches cpu', async (channels) => {
    await expectBackendsAgree(() => poolingGradients(seededTensor([3, 6, 8, channels], 330 + channels) as tf.Tensor4D, 340));
  });

  test.each([[3], [6]])('gives a tied window of %i channels its gradient at the first maximum, as the cpu backend does', async (channels) => {
    await expectBackendsAgree(() => {
      // Rounded values and ReLU zeros make many windows hold their maximum more than once.
      const x = seededTensor([2, 8, 8, channels], 301).mul(2).round().relu() as tf.Tensor4D;
      return poolingGradients(x, 302);
    });
  });

  test.each([[2], [5]])('skips NaN and -Infinity in %i channels when looking for the maximum, as the cpu backend does', async (channels) => {
    await expectBackendsAgree(() => {
      const values = Array.from(seededTensor([1, 4, 6, channels], 321).dataSync());
      [0, 1, 2, 3, 9, 17, 30, 41].forEach((i) => (values[i] = Number.NEGATIVE_INFINITY));
      [4, 5, 12, 26, 33, 47].forEach((i) => (values[i] = Number.NaN));
      return poolingGradients(tf.tensor4d(values, [1, 4, 6, channels]), 322);
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
