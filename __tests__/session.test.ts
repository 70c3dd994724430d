import { clearSession, Conv2D, Dense, Input, MaxPool2D, Model, setRandomSeed, tf } from '../lib';
import { toSnakeCase } from '../lib/session';

describe('Keras 2 naming', () => {
  beforeEach(() => clearSession());

  it.each([
    ['Conv2D', 'conv2d'],
    ['MaxPooling2D', 'max_pooling2d'],
    ['AveragePooling2D', 'average_pooling2d'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['Dense', 'dense'],
  ])('snake-cases %s as %s', (className, snake) => {
    expect(toSnakeCase(className)).toBe(snake);
  });

  it('counts layers from zero and inputs from one, per kind, across models', () => {
    const first = Input({ shape: [8, 8, 1] });
    const a = Conv2D(2, 3)(first);
    const b = Conv2D(2, 3)(MaxPool2D()(a));
    const m1 = Model(first, b);
    const second = Input({ shape: [8, 8, 1] });
    const m2 = Model(second, Conv2D(1, 1)(second));
    expect(m1.layers.map((l) => l.name)).toEqual(['input_1', 'conv2d', 'max_pooling2d', 'conv2d_1']);
    expect(m2.layers.map((l) => l.name)).toEqual(['input_2', 'conv2d_2']);
    expect([m1.name, m2.name]).toEqual(['model', 'model_1']);
  });

  it('clearSession starts every counter again', () => {
    const before = Input({ shape: [3] });
    Model(before, Dense(1)(before));
    clearSession();
    const X = Input({ shape: [3] });
    const model = Model(X, Dense(1)(X));
    expect([model.name, ...model.layers.map((l) => l.name)]).toEqual(['model', 'input_1', 'dense']);
  });

  it('keeps explicit names and does not advance the counters for them', () => {
    const X = Input({ shape: [3], name: 'pixels' });
    const Y = Dense(2, { name: 'logits' })(Dense(2)(X));
    const model = Model(X, Y, { name: 'tiny' });
    expect([model.name, ...model.layers.map((l) => l.name)]).toEqual(['tiny', 'pixels', 'dense', 'logits']);
  });
});

describe('setRandomSeed', () => {
  afterEach(() => setRandomSeed(null));

  it('makes weight initialisation repeatable, and different without a seed', () => {
    const weights = (): Float32Array => {
      const X = Input({ shape: [5] });
      const layer = Dense(3);
      layer(X);
      return layer.getWeights()[0]?.dataSync() as Float32Array;
    };
    setRandomSeed(42);
    const first = weights();
    setRandomSeed(42);
    expect(weights()).toEqual(first);
    setRandomSeed(null);
    expect(weights()).not.toEqual(first);
    expect(tf.memory().numTensors).toBeGreaterThan(0);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => setRandomSeed(1.5)).toThrow(/seed must be an integer or null, got 1\.5/);
  });
});
