import { tf } from '../../lib';
import { makeOptimizer, resolveCompile } from '../../lib/training/compile';

describe('compile arguments in Keras spellings', () => {
  it.each([
    ['categorical_crossentropy', 'categoricalCrossentropy', 'onehot'],
    ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy', 'sparse'],
    ['categoricalCrossentropy', 'categoricalCrossentropy', 'onehot'],
    ['mse', 'meanSquaredError', 'onehot'],
  ] as const)('loss %s -> %s with %s labels', (loss, tfLoss, labels) => {
    const settings = resolveCompile({ loss });
    expect([settings.tfLoss, settings.labels]).toEqual([tfLoss, labels]);
  });

  it("defaults to Keras's rmsprop with learning rate 0.001 and logs loss and accuracy", () => {
    const settings = resolveCompile({ loss: 'categorical_crossentropy', metrics: 'accuracy' });
    expect(settings.optimizer).toBeInstanceOf(tf.RMSPropOptimizer);
    expect(settings.optimizer.getConfig()).toEqual({ learningRate: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(settings.logNames).toEqual(['loss', 'accuracy']);
  });

  it.each([
    ['adam', 0.001],
    ['sgd', 0.01],
    ['adamax', 0.001],
  ] as const)("%s takes Keras's default learning rate %d", (name, rate) => {
    expect(makeOptimizer(name).getConfig()['learningRate']).toBe(rate);
    expect(makeOptimizer(name, 0.5).getConfig()['learningRate']).toBe(0.5);
  });

  it('accepts a tf.train optimizer object', () => {
    const optimizer = tf.train.sgd(0.1);
    expect(resolveCompile({ loss: 'mse', optimizer }).optimizer).toBe(optimizer);
  });

  it.each<[string, object, RegExp]>([
    ['an unknown loss', { loss: 'crossentropy' }, /compile: loss must be one of 'categorical_crossentropy', .* got 'crossentropy'/],
    ['an unknown optimizer', { loss: 'mse', optimizer: 'adamw' }, /compile: optimizer must be one of 'adam', 'rmsprop', 'sgd', .* got 'adamw'/],
    ['an unknown metric', { loss: 'mse', metrics: ['precision'] }, /compile: metrics must be one of 'accuracy' or 'acc', got 'precision'/],
    ['a bad learning rate', { loss: 'mse', optimizer: 'sgd', learningRate: -1 }, /compile: learningRate must be a positive number, got -1/],
    ['a learning rate beside an optimizer object', { loss: 'mse', optimizer: tf.train.sgd(1), learningRate: 0.1 }, /learningRate must be left out when the optimizer is an object/],
    ['a misspelt option', { loss: 'mse', metric: 'accuracy' }, /compile: metric must be one of the options .* \(unknown option\)/],
  ])('rejects %s', (_, options, message) => {
    expect(() => resolveCompile(options as never)).toThrow(message);
  });
});

describe("'rmsprop' follows Keras's rule", () => {
  // Keras (2.11 to 3.x): v = rho * v + (1 - rho) * g^2, then w -= lr * g / sqrt(v + epsilon).
  // The second weight's gradients are near sqrt(epsilon), where epsilon's place in the rule shows.
  it('takes w -= lr * g / sqrt(v + eps) with v = rho * v + (1 - rho) * g^2', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'rmsprop_test_w');
    const optimizer = makeOptimizer('rmsprop', 0.1);
    let v = [0, 0];
    let expected = [1, -2];
    let epsilonOutside = [1, -2];
    for (const g of [[0.5, -0.0001], [0.2, 0.0002]]) {
      optimizer.applyGradients({ rmsprop_test_w: tf.tensor1d(g) });
      v = v.map((vi, i) => 0.9 * vi + 0.1 * g[i]! ** 2);
      expected = expected.map((wi, i) => wi - (0.1 * g[i]!) / Math.sqrt(v[i]! + 1e-7));
      epsilonOutside = epsilonOutside.map((wi, i) => wi - (0.1 * g[i]!) / (Math.sqrt(v[i]!) + 1e-7));
    }
    const actual = Array.from(w.dataSync());
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    expect(Math.abs(actual[1]! - epsilonOutside[1]!)).toBeGreaterThan(0.05);
    optimizer.dispose();
    w.dispose();
  });
});
