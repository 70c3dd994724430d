import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { swish, SWISH_KERNEL } from '../../../lib/swish';
import { tf } from '../../../lib/tf';
import { compareBackends, expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // 8 or more values run our SIMD kernel (16,384 or more on both threads), fewer the JS loop.
  expect(ownKernels()).not.toBeNull();
});

/** swish(x) and the gradient of sum(swish(x) * upstream), for x spread over [-scale, scale). */
function swishAndGradient(shape: number[], scale: number, seed: number): tf.Tensor[] {
  const x = seededTensor(shape, seed).mul(scale);
  const upstream = seededTensor(shape, seed + 1);
  return [swish(x), tf.grad((t: tf.Tensor) => swish(t).mul(upstream).sum())(x)];
}

describe('swish and its gradient on wasm', () => {
  // 3 and 7 values take the JS loop; 8 is one unit; 13 and 1,001 end with a unit shifted back
  // over the previous one; 20,011 splits over both threads; LeNet-5's first activation last.
  test.each([[[3]], [[7]], [[8]], [[13]], [[7, 11, 13]], [[20011]], [[4, 28, 28, 6]]])('match the cpu backend for shape %j', async (shape) => {
    await expectBackendsAgree(() => swishAndGradient(shape, 12, shape.length * 100 + (shape[0] ?? 0)), 1e-6);
  });

  it('match the cpu backend beyond where exp leaves the normal floats, both ways', async () => {
    await expectBackendsAgree(() => swishAndGradient([3001], 120, 71), 1e-6);
  });

  it('give NaN for NaN and -Infinity and keep Infinity, as the cpu backend does', async () => {
    const special = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, -0, 1, -1, 100, -100, 87.5, -87.5];
    const { cpu, wasm } = await compareBackends(() => [swish(tf.tensor1d(special))]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual(Array.from(cpu[0]?.values ?? []).map((v) => (Math.abs(v) < 1e-36 ? expect.closeTo(0, 36) : v)));
  });

  it('returns sigmoid(x) beside swish(x) from the forward kernel, for the gradient to reuse', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([-3, -1, 0, 0.5, 2, 4, 6, 9, 12]);
    const [y, s] = tf.engine().runKernel(SWISH_KERNEL, { x }) as tf.Tensor[];
    const sigmoid = Array.from(x.dataSync()).map((v) => 1 / (1 + Math.exp(-v)));
    Array.from(s?.dataSync() ?? []).forEach((value, i) => expect(value).toBeCloseTo(sigmoid[i] ?? NaN, 6));
    Array.from(y?.dataSync() ?? []).forEach((value, i) => expect(value).toBeCloseTo((x.dataSync()[i] ?? NaN) * (sigmoid[i] ?? NaN), 5));
    tf.dispose([x, y, s] as tf.Tensor[]);
  });

  it('rejects a gradient whose dy does not match y, naming both shapes', async () => {
    await tf.setBackend('wasm');
    const y = tf.zeros([2, 3]);
    expect(() => runKernel('TfjsKerasSwishGrad', { y, s: y, dy: tf.zeros([3, 3]) }, {})).toThrow(/TfjsKerasSwishGrad: dy has shape \[3, 3\], y has \[2, 3\]/);
  });
});
