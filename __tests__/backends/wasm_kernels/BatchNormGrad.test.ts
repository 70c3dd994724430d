import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { BATCH_NORM_GRAD_KERNEL, normalizeBatchInTraining } from '../../../lib/layers/training_calls';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // Sums: our SIMD kernel for channel counts that are multiples of 4, else a JS loop; dx: SIMD
  // from 4 channels. The cpu backend runs the gradient as tfjs ops.
  expect(ownKernels()).not.toBeNull();
});

/** The normalised batch and the gradients of sum(normalised * upstream) for x, gamma and beta. */
function normalizationGradients(shape: number[], seed: number): tf.Tensor[] {
  const channels = shape[shape.length - 1] ?? 0;
  const x = seededTensor(shape, seed).mul(3).add(1.5);
  const gamma = seededTensor([channels], seed + 1).add(1.5) as tf.Tensor1D;
  const beta = seededTensor([channels], seed + 2) as tf.Tensor1D;
  const upstream = seededTensor(shape, seed + 3);
  const loss = (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor): tf.Scalar =>
    normalizeBatchInTraining(input, scale as tf.Tensor1D, offset as tf.Tensor1D, 1e-3).normalized.mul(upstream).sum();
  return [normalizeBatchInTraining(x, gamma, beta, 1e-3).normalized, ...tf.grads(loss)([x, gamma, beta])];
}

describe('BatchNormGrad on wasm', () => {
  // 3 channels: JS sums and dx; 6 and 13: JS sums, SIMD dx with a shifted last vector; 8 and 16:
  // SIMD both; [16, 16, 16, 8] spans many chunks and both threads; rank 2 as after a Dense layer.
  test.each([[[4, 5, 5, 3]], [[3, 4, 5, 6]], [[37, 13]], [[2, 7, 5, 8]], [[3, 3, 3, 16]], [[16, 16, 16, 8]], [[150, 12]]])(
    'gives the gradients that tfjs ops give on cpu, for x of shape %j',
    async (shape) => {
      await expectBackendsAgree(() => normalizationGradients(shape, shape.length * 7 + (shape[0] ?? 0)), 1e-5);
    },
  );

  it('is the kernel that the gradient runs on wasm', async () => {
    await tf.setBackend('wasm');
    const x = seededTensor([2, 3, 3, 8], 1);
    const { kernels } = await tf.profile(() => tf.grad((input: tf.Tensor) => normalizeBatchInTraining(input, tf.ones([8]), tf.zeros([8]), 1e-3).normalized.sum())(x));
    expect(kernels.map((kernel) => kernel.name)).toContain(BATCH_NORM_GRAD_KERNEL);
    x.dispose();
  });

  it('rejects statistics of the wrong size, naming the input and both shapes', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([2, 8]);
    const perChannel = tf.ones([8]);
    expect(() => runKernel(BATCH_NORM_GRAD_KERNEL, { x, dy: x, mean: tf.zeros([4]), variance: perChannel, scale: perChannel }, { varianceEpsilon: 1e-3 })).toThrow(
      /TfjsKerasBatchNormGrad: mean has shape \[4\], x has \[2, 8\]/,
    );
  });
});
