import { relu } from '../lib/relu';
import { tf } from '../lib/tf';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('relu', () => {
  it('is max(x, 0) with gradient 1 above 0 and 0 at or below it', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.25, 3]);
    expect(Array.from(relu(x).dataSync())).toEqual([0, 0, 0, 0.25, 3]);
    expect(Array.from(tf.grad(relu)(x, tf.tensor1d([5, 6, 7, 8, 9])).dataSync())).toEqual([0, 0, 0, 8, 9]);
  });

  it("is what tf.layers's unfused 'relu' activation runs now, under the same saved name", () => {
    const activation = tf.layers.activation({ activation: 'relu' });
    const x = tf.tensor2d([[1, -2, 0.5, -0.25]]);
    expect(Array.from((activation.apply(x) as tf.Tensor).dataSync())).toEqual([1, 0, 0.5, 0]);
    expect(activation.getConfig()['activation']).toBe('relu');
    expect(tf.serialization.SerializationMap.getMap().classNameMap['relu']?.[0].name).toBe('OneOpActivation');
  });

  it("runs tfjs's own kernels on a backend without our gradient kernel", async () => {
    const x = tf.tensor1d([-1, 2]);
    const names = async (f: (t: tf.Tensor) => tf.Tensor): Promise<string[]> => (await tf.profile(() => tf.grad(f)(x))).kernels.map((k) => k.name);
    expect(await names(relu)).toEqual(await names(tf.relu));
  });
});
