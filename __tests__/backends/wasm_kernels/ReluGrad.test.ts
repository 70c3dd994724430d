import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { relu, RELU_GRAD_KERNEL } from '../../../lib/relu';
import { tf } from '../../../lib/tf';
import { compareBackends, expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // 4 or more values run our SIMD kernel (16,384 or more on both threads), fewer the JS loop; the
  // cpu backend differentiates tf.relu as tfjs does.
  expect(ownKernels()).not.toBeNull();
});

describe('ReluGrad on wasm', () => {
  // 3 values take the JS loop; 4 is one vector; 7 and 13 end with a vector shifted back; 20,011
  // splits over both threads; a VGG-like activation last.
  test.each([[[3]], [[4]], [[7]], [[13]], [[20011]], [[2, 16, 16, 32]]])('gives the gradient tfjs gives on cpu for shape %j', async (shape) => {
    await expectBackendsAgree(() => {
      const x = seededTensor(shape, shape.length + (shape[0] ?? 0));
      const upstream = seededTensor(shape, 5);
      return [relu(x), tf.grad((t: tf.Tensor) => relu(t).mul(upstream).sum())(x)];
    }, 1e-7);
  });

  it('gives 0 at 0 and below, dy above, and NaN at NaN, as the cpu backend does', async () => {
    const x = [Number.NaN, Number.NEGATIVE_INFINITY, -1, -0, 0, 1e-30, 2, Number.POSITIVE_INFINITY];
    const { cpu, wasm } = await compareBackends(() => [tf.grad((t: tf.Tensor) => relu(t).mul(tf.range(1, 9)).sum())(tf.tensor1d(x))]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual([Number.NaN, 0, 0, 0, 0, 6, 7, 8]);
    expect(Array.from(cpu[0]?.values ?? [])).toEqual(Array.from(wasm[0]?.values ?? []));
  });

  it('rejects a dy whose size differs from y, naming both shapes', async () => {
    await tf.setBackend('wasm');
    expect(() => runKernel(RELU_GRAD_KERNEL, { y: tf.zeros([2, 3]), dy: tf.zeros([3, 3]) }, {})).toThrow(/TfjsKerasReluGrad: dy has shape \[3, 3\], y has \[2, 3\]/);
  });
});
