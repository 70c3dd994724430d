import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { MOMENTS_KERNEL } from '../../../lib/layers/training_calls';
import { tf } from '../../../lib/tf';
import { compareBackends, runKernel, seededTensor, seededValues, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // Channel counts that are multiples of 4 sum with our SIMD kernel, others with a JS loop.
  expect(ownKernels()).not.toBeNull();
});

/** Mean and biased variance per channel (last axis), in float64. */
function referenceMoments(values: ArrayLike<number>, channels: number): { mean: number[]; variance: number[] } {
  const pixels = values.length / channels;
  const mean = Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += values[p * channels + c] as number;
    return sum / pixels;
  });
  const variance = mean.map((m, c) => {
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += ((values[p * channels + c] as number) - m) ** 2;
    return sum / pixels;
  });
  return { mean, variance };
}

function expectClose(actual: ArrayLike<number>, expected: number[], relative: number): void {
  expected.forEach((value, i) => expect(Math.abs((actual[i] as number) - value)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(value))));
}

describe('Moments on wasm', () => {
  // 3 and 6 channels: JS sums; 8 and 16: SIMD; [16, 16, 16, 8] spans many chunks and both threads.
  test.each([[[4, 5, 5, 3]], [[3, 4, 5, 6]], [[2, 7, 5, 8]], [[37, 16]], [[16, 16, 16, 8]]])('gives the mean and variance of float64 math for shape %j', async (shape) => {
    await tf.setBackend('wasm');
    const channels = shape[shape.length - 1] ?? 0;
    const values = seededValues(shape.reduce((a, b) => a * b, 1), channels).map((v, i) => 3 * v + (i % channels));
    const x = tf.tensor(values, shape);
    const [mean, variance] = runKernel(MOMENTS_KERNEL, { x }, {}) as unknown as tf.Tensor[];
    const expected = referenceMoments(values, channels);
    expectClose(mean?.dataSync() ?? [], expected.mean, 1e-6);
    expectClose(variance?.dataSync() ?? [], expected.variance, 1e-5);
    tf.dispose([x, mean, variance] as tf.Tensor[]);
  });

  it('keeps the variance precise when the mean is large against the spread, and 0 for a constant channel', async () => {
    await tf.setBackend('wasm');
    const pixels = 4096;
    const values = seededValues(pixels * 4, 9).map((v, i) => (i % 4 === 3 ? 7 : 1000 + v));
    const [mean, variance] = runKernel(MOMENTS_KERNEL, { x: tf.tensor2d(values, [pixels, 4]) }, {}) as unknown as tf.Tensor[];
    const expected = referenceMoments(values, 4);
    expectClose(variance?.dataSync() ?? [], expected.variance, 1e-4);
    expect(variance?.dataSync()[3]).toBe(0);
    expect(mean?.dataSync()[3]).toBe(7);
  });

  it('agrees with tf.moments on the cpu backend', async () => {
    const { errors } = await compareBackends(() => {
      const x = seededTensor([8, 6, 6, 12], 4).mul(2).add(0.5);
      if (tf.getBackend() === 'wasm') return runKernel(MOMENTS_KERNEL, { x }, {}) as unknown as tf.Tensor[];
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return [mean, variance];
    });
    errors.forEach((error) => expect(error).toBeLessThan(1e-5));
  });
});
