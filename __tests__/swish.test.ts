import { swish } from '../lib/swish';
import { tf } from '../lib/tf';
import { relativeError, seededTensor } from './helpers/backend_comparison';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Values from -30 to 30 and the special ones, with float64 swish and d swish / dx beside them. */
function reference(): { x: number[]; y: number[]; gradient: number[] } {
  const x = [...Array.from({ length: 121 }, (_, i) => (i - 60) / 2), 0, -0, 88, -88, 1e-30];
  const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
  return {
    x,
    y: x.map((v) => v * sigmoid(v)),
    gradient: x.map((v) => sigmoid(v) * (1 + v * (1 - sigmoid(v)))),
  };
}

describe('swish (one op, closed-form gradient)', () => {
  it('computes x * sigmoid(x) and its derivative as float64 math does', () => {
    const { x, y, gradient } = reference();
    const input = tf.tensor1d(x);
    expect(relativeError(swish(input).dataSync(), new Float32Array(y))).toBeLessThan(1e-6);
    expect(relativeError(tf.grad(swish)(input).dataSync(), new Float32Array(gradient))).toBeLessThan(1e-6);
  });

  it('gives the gradient that tfjs derives from x * sigmoid(x), for an upstream gradient of another shape than a vector', () => {
    const x = seededTensor([2, 3, 4], 5).mul(6);
    const upstream = seededTensor([2, 3, 4], 6);
    const ours = tf.grad((t: tf.Tensor) => swish(t).mul(upstream).sum())(x);
    const derived = tf.grad((t: tf.Tensor) => t.mul(tf.sigmoid(t)).mul(upstream).sum())(x);
    expect(ours.shape).toEqual([2, 3, 4]);
    expect(relativeError(ours.dataSync(), derived.dataSync())).toBeLessThan(1e-6);
  });

  // Copies, casts and the scope customGrad wraps its op in ('forward' or 'unnamed scope') do no arithmetic.
  const arithmeticKernels = async (f: () => tf.Tensor): Promise<string[]> =>
    (await tf.profile(f)).kernels.map((kernel) => kernel.name).filter((name) => !['Identity', 'Cast', 'forward', 'unnamed scope'].includes(name));

  it("is what tf.layers's 'swish' activation runs now, under the same saved name", async () => {
    const x = tf.tensor2d([[1, -2, 0.5, -0.25]]);
    const dense = tf.layers.dense({ units: 3, activation: 'swish', inputShape: [4], kernelInitializer: 'ones', biasInitializer: 'zeros' });
    const activation = tf.layers.activation({ activation: 'swish' });
    expect(Array.from((dense.apply(x) as tf.Tensor).dataSync())).toEqual(Array(3).fill(swish(tf.scalar(-0.75)).dataSync()[0]));
    expect(Array.from((activation.apply(x) as tf.Tensor).dataSync())).toEqual(Array.from(swish(x).dataSync()));
    // tf.layers's own class would also multiply x by its alpha of 1 first.
    expect(await arithmeticKernels(() => activation.apply(x) as tf.Tensor)).toEqual(['Sigmoid', 'Multiply']);
    expect([dense.getConfig()['activation'], activation.getConfig()['activation']]).toEqual(['swish', 'swish']);
  });

  it('runs 2 kernels forward and 4 backward on a backend without our kernels, where tfjs derived 3 and 7', async () => {
    const x = seededTensor([3, 4], 7);
    expect(await arithmeticKernels(() => tf.grad(swish)(x))).toEqual(['Sigmoid', 'Multiply', 'Sub', 'Multiply', 'Add', 'Multiply']);
    expect(await arithmeticKernels(() => tf.grad((t: tf.Tensor) => tf.mul(tf.sigmoid(tf.mul(t, 1)), t))(x))).toHaveLength(10);
  });
});
