import { BatchNormalization, clearSession, Input, Model, tf } from '../../lib';

beforeEach(() => clearSession());

describe('BatchNormalization', () => {
  it('has 4 * C params, of which the moving mean and variance (2 * C) are not trainable', () => {
    const X = Input({ shape: [8, 8, 32] });
    const layer = BatchNormalization();
    const model = Model(X, layer(X));
    expect(layer.countParams()).toBe(128);
    expect(model.paramCounts()).toEqual({ trainable: 64, nonTrainable: 64 });
  });

  it('uses the moving statistics at inference: (x - mean) / sqrt(var + eps) * gamma + beta', () => {
    const X = Input({ shape: [2] });
    const layer = BatchNormalization({ epsilon: 0.001 });
    const model = Model(X, layer(X));
    // tf.layers orders the weights gamma, beta, moving mean, moving variance.
    layer.setWeights([tf.tensor1d([2, 1]), tf.tensor1d([0.5, 0]), tf.tensor1d([1, -1]), tf.tensor1d([4, 0.999])]);
    const y = (model.predict(tf.tensor2d([[3, 0]])) as tf.Tensor).arraySync() as number[][];
    expect(y[0]![0]).toBeCloseTo(((3 - 1) / Math.sqrt(4.001)) * 2 + 0.5, 5);
    expect(y[0]![1]).toBeCloseTo(1, 5);
  });

  it('keeps the Keras defaults: momentum 0.99, epsilon 0.001', () => {
    const config = BatchNormalization().tfLayer.getConfig();
    expect([config['momentum'], config['epsilon']]).toEqual([0.99, 0.001]);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['negative epsilon', () => BatchNormalization({ epsilon: -1 }), /epsilon must be a positive number, got -1/],
    ['momentum above 1', () => BatchNormalization({ momentum: 1.5 }), /momentum must be a number in \[0, 1\), got 1\.5/],
    ['axis out of range', () => BatchNormalization({ axis: 3 })(Input({ shape: [4] })), /axis 3 is out of range for a 2-D input \(input shape \[null, 4\]\)/],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
