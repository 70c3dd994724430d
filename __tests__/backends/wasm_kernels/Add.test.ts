import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { compareBackends, expectBackendsAgree, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // A float32 bias of 4 or more channels runs our SIMD kernel; every other Add the backend's own.
  expect(ownKernels()).not.toBeNull();
});

describe('Add on wasm', () => {
  // 4 and 16 channels are whole vectors; 6 and 13 end each pixel with a vector shifted back;
  // [64, 32, 32] is large enough for both threads; 3 channels and other broadcasts are not ours.
  test.each([
    [[2, 5, 7, 4], [4]],
    [[2, 5, 7, 6], [6]],
    [[3, 13], [13]],
    [[4, 3, 3, 16], [16]],
    [[64, 32, 32], [32]],
    [[6], [2, 5, 7, 6]],
    [[2, 5, 7, 3], [3]],
    [[2, 5, 1, 6], [2, 1, 7, 6]],
    [[2, 5, 7, 6], [2, 5, 7, 6]],
  ])('%j + %j matches the cpu backend, its gradient too', async (aShape, bShape) => {
    await expectBackendsAgree(() => {
      const a = seededTensor(aShape, aShape.length * 10 + (aShape[0] ?? 0));
      const b = seededTensor(bShape, 7);
      const sum = tf.add(a, b);
      const upstream = seededTensor(sum.shape, 8);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.add(x, y).mul(upstream).sum())([a, b]);
      return [sum, da as tf.Tensor, db as tf.Tensor];
      // The bias gradient sums up to 2,048 values, in another order than the cpu backend's.
    }, 1e-5);
  });

  it('adds a bias exactly (one float32 rounding per value), as the cpu backend does', async () => {
    const { cpu, wasm } = await compareBackends(() => [tf.add(seededTensor([3, 4, 5, 6], 21), seededTensor([6], 22))]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual(Array.from(cpu[0]?.values ?? []));
  });

  it('adds int32 tensors with the backend kernel', async () => {
    const { cpu, wasm } = await compareBackends(() => [tf.add(tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], undefined, 'int32'), tf.tensor1d([10, 20, 30, 40], 'int32'))]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual([11, 22, 33, 44, 15, 26, 37, 48]);
    expect(Array.from(cpu[0]?.values ?? [])).toEqual([11, 22, 33, 44, 15, 26, 37, 48]);
  });
});
