import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { ADAM_KERNEL, OneKernelAdam } from '../../../lib/training/adam';
import { compareBackends, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // 4 or more values run our SIMD kernel (16,384 or more on both threads), fewer the JS loop.
  expect(ownKernels()).not.toBeNull();
});

/** Weights after 4 Adam steps with seeded gradients, then the optimizer's saved slots. */
function adamSteps(optimizer: tf.Optimizer, shapes: number[][]): tf.Tensor[] {
  const weights = shapes.map((shape, i) => tf.variable(seededTensor(shape, i + 1), true, `adam_test_${tf.getBackend()}_${i}_${Math.random()}`));
  for (let step = 0; step < 4; step++) {
    optimizer.applyGradients(weights.map((w, i) => ({ name: w.name, tensor: seededTensor(w.shape, 100 * step + i).mul(step === 2 ? 1e-4 : 1) })));
  }
  const result = weights.map((w) => w.clone());
  weights.forEach((w) => w.dispose());
  return result;
}

// 3 values take the JS loop; 4 is one vector; 13 ends with a vector shifted back; [400, 120] is
// LeNet-5's largest weight, on both threads.
const SHAPES = [[3], [4], [13], [5, 5, 1, 6], [400, 120]];

describe('Adam on wasm', () => {
  it("takes the same steps as TensorFlow.js's Adam on the cpu backend", async () => {
    const { errors, wasm } = await compareBackends(() => {
      const optimizer = tf.getBackend() === 'wasm' ? new OneKernelAdam(0.01, 0.9, 0.999, 1e-7) : tf.train.adam(0.01, 0.9, 0.999, 1e-7);
      const weights = adamSteps(optimizer, SHAPES);
      optimizer.dispose();
      return weights;
    });
    expect(wasm.map((r) => r.shape)).toEqual(SHAPES);
    errors.forEach((error) => expect(error).toBeLessThan(1e-6));
  });

  it('runs one kernel per weight and keeps the slots, names and config of tfjs Adam', async () => {
    await tf.setBackend('wasm');
    const optimizer = new OneKernelAdam(0.01, 0.9, 0.999, 1e-7);
    const w = tf.variable(tf.ones([8]), true, 'adam_slots_w');
    const { kernels } = await tf.profile(() => optimizer.applyGradients([{ name: 'adam_slots_w', tensor: tf.fill([8], 0.5) }]));
    expect(kernels.filter((kernel) => kernel.name === ADAM_KERNEL)).toHaveLength(1);
    expect((await optimizer.getWeights()).map((weight) => weight.name)).toEqual(['iter', 'adam_slots_w/m', 'adam_slots_w/v']);
    expect(optimizer.getClassName()).toBe('Adam');
    expect(tf.serialization.SerializationMap.getMap().classNameMap['Adam']?.[0]).toBe(OneKernelAdam);
    optimizer.dispose();
    w.dispose();
  });

  it('names a gradient whose weight does not exist', async () => {
    await tf.setBackend('wasm');
    const optimizer = new OneKernelAdam(0.01, 0.9, 0.999, 1e-7);
    expect(() => optimizer.applyGradients([{ name: 'adam_no_such_weight', tensor: tf.ones([4]) }])).toThrow(/Adam: no variable named 'adam_no_such_weight'/);
    optimizer.dispose();
  });

  it('rejects a gradient whose size differs from the weight, naming both shapes', async () => {
    await tf.setBackend('wasm');
    const value = tf.zeros([2, 3]);
    const scalar = tf.scalar(0.9);
    expect(() =>
      runKernel(ADAM_KERNEL, { value, m: value, v: value, gradient: tf.zeros([3, 3]), accBeta1: scalar, accBeta2: scalar }, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
    ).toThrow(/TfjsKerasAdam: gradient has shape \[3, 3\], value has \[2, 3\]/);
  });
});
