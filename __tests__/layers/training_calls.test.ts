import {
  normalizeBatchInTraining,
  TrainingBatchNormalization,
  TrainingConv2D,
} from '../../lib/layers/training_calls';
import { tf } from '../../lib/tf';
import { relativeError, seededTensor } from '../helpers/backend_comparison';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type ConvArguments = ConstructorParameters<typeof TrainingConv2D>[0];

/** Output and gradients of sum(layer(x) * weighting) w.r.t. the layer's weights and, if asked, x. */
function trainingGradients(layer: tf.layers.Layer, x: tf.Tensor, withInput: boolean): tf.Tensor[] {
  return tf.tidy(() => {
    const variables = layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const input = tf.variable(x, true);
    const loss = (): tf.Scalar => {
      const y = layer.apply(input, { training: true }) as tf.Tensor;
      return tf.sum(tf.mul(y, seededTensor(y.shape, 99)));
    };
    const { grads } = tf.variableGrads(loss, withInput ? [...variables, input] : variables);
    const output = layer.apply(x, { training: true }) as tf.Tensor;
    const result = [output, ...Object.values(grads)];
    input.dispose();
    return result;
  });
}

function copyWeights(from: tf.layers.Layer, to: tf.layers.Layer, input: tf.Tensor): void {
  from.apply(input);
  to.apply(input);
  to.setWeights(from.getWeights());
}

describe('TrainingConv2D', () => {
  const cases: [string, ConvArguments, number[]][] = [
    ['swish, kernel 2x3, strides 2x1, same', { filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', activation: 'swish' }, [2, 7, 6, 2]],
    ['relu, kernel 3, valid', { filters: 4, kernelSize: 3, activation: 'relu' }, [3, 6, 5, 3]],
    ['sigmoid, no bias, kernel 1x2, strides 1x2', { filters: 2, kernelSize: [1, 2], strides: [1, 2], useBias: false, activation: 'sigmoid' }, [2, 3, 6, 1]],
  ];

  it.each(cases)('%s: training output and weight gradients equal tf.layers.conv2d', (_, options, shape) => {
    const x = seededTensor(shape, 1);
    const ours = new TrainingConv2D(options);
    const theirs = tf.layers.conv2d(options);
    copyWeights(ours, theirs, x);
    const results = trainingGradients(ours, x, true);
    const expected = trainingGradients(theirs, x, true);
    expect(results.map((t) => t.shape)).toEqual(expected.map((t) => t.shape));
    results.forEach((result, i) => expect(relativeError(result.dataSync(), expected[i]!.dataSync())).toBeLessThan(1e-5));
  });

  it('skips the input gradient that no variable needs, which the fused op computes anyway', async () => {
    const options: ConvArguments = { filters: 3, kernelSize: 3, padding: 'same', activation: 'swish' };
    const x = seededTensor([2, 5, 5, 1], 2);
    const kernelsRun = async (layer: tf.layers.Layer): Promise<string[]> => {
      layer.apply(x);
      const profile = await tf.profile(() => trainingGradients(layer, x, false));
      return profile.kernels.map((kernel) => kernel.name);
    };
    expect(await kernelsRun(new TrainingConv2D(options))).not.toContain('Conv2DBackpropInput');
    expect(await kernelsRun(tf.layers.conv2d(options))).toContain('Conv2DBackpropInput');
  });

  it('keeps tf.layers\'s class name and config, so saved models load in plain TensorFlow.js', () => {
    const options: ConvArguments = { filters: 3, kernelSize: [2, 3], activation: 'swish', name: 'c' };
    const ours = new TrainingConv2D(options);
    expect(ours.getClassName()).toBe('Conv2D');
    expect(ours.getConfig()).toEqual(tf.layers.conv2d(options).getConfig());
  });

  it.each<[string, ConvArguments]>([
    ['swish', { filters: 2, kernelSize: 3, activation: 'swish' }],
    ['dilation 2', { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }],
  ])('%s: leaves inference to tf.layers, with the same output as while training', (_, options) => {
    const layer = new TrainingConv2D(options);
    const x = seededTensor([1, 5, 5, 2], 3);
    const inference = layer.apply(x) as tf.Tensor;
    const training = layer.apply(x, { training: true }) as tf.Tensor;
    expect(training.shape).toEqual(inference.shape);
    expect(relativeError(training.dataSync(), inference.dataSync())).toBeLessThan(1e-6);
  });
});

/** Batch normalisation written op by op and differentiated by tfjs: the independent reference. */
function normalizeByOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, axis) => axis);
  const mean = tf.mean(x, axes);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
}

describe('normalizeBatchInTraining', () => {
  it.each([[[3, 4, 5, 6]], [[7, 5]], [[2, 3, 1]]])('matches the op-by-op math and its gradients for %j', (shape) => {
    const channels = shape[shape.length - 1]!;
    const x = tf.add(tf.mul(seededTensor(shape, 4), 3), 0.5);
    const gamma = tf.add(seededTensor([channels], 5), 1.5);
    const beta = seededTensor([channels], 6);
    const weighting = seededTensor(shape, 7);
    const gradients = (normalize: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(normalize(a, g, b), weighting)))([x, gamma, beta]);
    const ours = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      normalizeBatchInTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).normalized;
    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => normalizeByOps(a, g, b, 1e-3);

    expect(relativeError(ours(x, gamma, beta).dataSync(), reference(x, gamma, beta).dataSync())).toBeLessThan(1e-5);
    const expected = gradients(reference);
    gradients(ours).forEach((gradient, i) => {
      expect(gradient.shape).toEqual(expected[i]!.shape);
      expect(relativeError(gradient.dataSync(), expected[i]!.dataSync())).toBeLessThan(1e-4);
    });
  });

  it('returns the batch mean and the biased variance per channel', () => {
    const x = tf.tensor2d([[1, 10], [3, 10], [8, 13]]);
    const { mean, variance } = normalizeBatchInTraining(x, tf.ones([2]), tf.zeros([2]), 1e-3);
    expect(Array.from(mean.dataSync())).toEqual([4, 11]);
    expect(variance.dataSync()[0]).toBeCloseTo(26 / 3, 5);
    expect(variance.dataSync()[1]).toBeCloseTo(2, 5);
  });
});

describe('TrainingBatchNormalization', () => {
  it('trains like tf.layers.batchNormalization: output, gradients, moving mean and variance', () => {
    const options = { momentum: 0.9, epsilon: 0.01 };
    const x = tf.add(tf.mul(seededTensor([4, 3, 3, 5], 8), 2), 1);
    const ours = new TrainingBatchNormalization(options);
    const theirs = tf.layers.batchNormalization(options);
    copyWeights(ours, theirs, x);
    ours.setWeights([seededTensor([5], 9), seededTensor([5], 10), seededTensor([5], 11), tf.add(seededTensor([5], 12), 2)]);
    theirs.setWeights(ours.getWeights());
    const results = trainingGradients(ours, x, true);
    const expected = trainingGradients(theirs, x, true);
    results.forEach((result, i) => expect(relativeError(result.dataSync(), expected[i]!.dataSync())).toBeLessThan(1e-4));
    // Both layers took two training calls, so their moving averages moved alike.
    ours.getWeights().slice(2).forEach((average, i) => {
      expect(relativeError(average.dataSync(), theirs.getWeights()[i + 2]!.dataSync())).toBeLessThan(1e-5);
    });
  });

  it('trains with center and scale off, where tf.layers\'s own training call fails', () => {
    const x = seededTensor([6, 4], 13);
    const layer = new TrainingBatchNormalization({ center: false, scale: false, epsilon: 1e-3 });
    const [output] = trainingGradients(layer, x, true);
    expect(relativeError(output!.dataSync(), normalizeByOps(x, tf.ones([4]), tf.zeros([4]), 1e-3).dataSync())).toBeLessThan(1e-5);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[4], [4]]);
    const original = tf.layers.batchNormalization({ center: false, scale: false });
    expect(() => original.apply(x, { training: true })).toThrow();
  });

  it('leaves an axis other than the last to tf.layers', () => {
    const options = { axis: 1 };
    const x = seededTensor([4, 3, 2], 14);
    const ours = new TrainingBatchNormalization(options);
    const theirs = tf.layers.batchNormalization(options);
    copyWeights(ours, theirs, x);
    const training = (layer: tf.layers.Layer) => (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    expect(relativeError(training(ours), training(theirs))).toBeLessThan(1e-6);
  });

  it('keeps tf.layers\'s class name and config', () => {
    const ours = new TrainingBatchNormalization({ momentum: 0.9, name: 'bn' });
    expect(ours.getClassName()).toBe('BatchNormalization');
    expect(ours.getConfig()).toEqual(tf.layers.batchNormalization({ momentum: 0.9, name: 'bn' }).getConfig());
  });
});
