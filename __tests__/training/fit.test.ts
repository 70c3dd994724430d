import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { clearSession, Dense, DivergenceError, Flatten, Input, loadModel, Model, setRandomSeed, tf, type Callback, type FunctionalModel } from '../../lib';
import { imageSetData, tensorData } from '../../lib/training/data_source';
import { createImageSet } from '../../lib/data/dataset';

/** Two Gaussian blobs, linearly separable: a logistic model must learn them. */
function blobs(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const values: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    values.push(cls === 0 ? -1 + ((i * 7) % 5) / 10 : 1 - ((i * 3) % 5) / 10, ((i * 11) % 7) / 7 - 0.5);
    labels.push(cls === 0 ? 1 : 0, cls === 0 ? 0 : 1);
  }
  return { x: tf.tensor2d(values, [n, 2]), y: tf.tensor2d(labels, [n, 2]) };
}

function classifier(): FunctionalModel {
  const X = Input({ shape: [2] });
  return Model(X, Dense(2, { activation: 'softmax' })(X));
}

beforeEach(() => {
  clearSession();
  setRandomSeed(3);
});
afterAll(() => setRandomSeed(null));

describe('fit', () => {
  it('learns a separable problem and returns a Keras History', async () => {
    const { x, y } = blobs(64);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', learningRate: 0.1, metrics: 'accuracy' });
    const history = await model.fit(x, y, { epochs: 5, batchSize: 16, validationSplit: 0.25, verbose: 0 });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const losses = history.history['loss'] as number[];
    expect(losses[4]!).toBeLessThan(losses[0]!);
    expect(history.history['accuracy']?.[4]).toBe(1);
    expect(await model.evaluate(x, y)).toEqual({ loss: expect.any(Number), accuracy: 1 });
  });

  it('shuffles each epoch as an uninterrupted run would, also when resumed at a later epoch', async () => {
    const x = tf.tensor2d(Array.from({ length: 16 }, (_, i) => [i, 0]).flat(), [16, 2]);
    const y = tf.tensor2d(Array.from({ length: 16 }, () => [1, 0]).flat(), [16, 2]);
    const firstBatches = async (initialEpoch: number): Promise<number[][]> => {
      const model = classifier();
      model.compile({ loss: 'categorical_crossentropy', optimizer: tf.train.sgd(0) });
      const seen: number[][] = [];
      // Callbacks do not see which examples a batch holds: record what the data source is asked for.
      const data = tensorData(x, y);
      const recording = { count: data.count, batch: (indices: readonly number[], purpose: 'train' | 'evaluate') => {
        if (purpose === 'train' && indices.length === 16) seen.push([...indices]);
        return data.batch(indices, purpose);
      } };
      await model.fit(recording, { epochs: 3, batchSize: 16, initialEpoch, verbose: 0 });
      return seen;
    };
    const uninterrupted = await firstBatches(0);
    const resumed = await firstBatches(2);
    expect(uninterrupted).toHaveLength(3);
    expect(resumed).toEqual([uninterrupted[2]]);
    expect(uninterrupted[0]).not.toEqual(uninterrupted[1]);
  });

  it('validates on the last fraction of the examples, as Keras does', async () => {
    const { x, y } = blobs(40);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy', optimizer: tf.train.sgd(0) });
    const history = await model.fit(x, y, { epochs: 1, validationSplit: 0.25, verbose: 0 });
    const tail = await model.evaluate(x.slice([30, 0], [10, 2]), y.slice([30, 0], [10, 2]));
    expect(history.history['val_loss']?.[0]).toBeCloseTo(tail['loss']!, 5);
  });

  it('evaluates the categorical cross-entropy and accuracy of hand-set weights', async () => {
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy', metrics: 'accuracy' });
    model.layers[1]!.setWeights([tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([0, 0])]);
    const x = tf.tensor2d([[2, 0], [0, 1], [1, 3]]);
    const y = tf.tensor2d([[1, 0], [1, 0], [0, 1]]);
    const softmax = (a: number, b: number) => Math.exp(a) / (Math.exp(a) + Math.exp(b));
    const expectedLoss = -(Math.log(softmax(2, 0)) + Math.log(softmax(0, 1)) + Math.log(softmax(3, 1))) / 3;
    const logs = await model.evaluate(x, y);
    expect(logs['loss']).toBeCloseTo(expectedLoss, 5);
    expect(logs['accuracy']).toBeCloseTo(2 / 3, 6);
  });

  it('stops after the current batch when stopTraining is set, abandoning the epoch', async () => {
    const { x, y } = blobs(64);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy' });
    const seen: number[] = [];
    const stopper: Callback = {
      onBatchEnd: (batch) => {
        seen.push(batch);
        if (seen.length === 6) model.stopTraining = true;
      },
    };
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, callbacks: [stopper], verbose: 0 });
    expect(seen).toEqual([0, 1, 2, 3, 0, 1]);
    expect(history.epoch).toEqual([0]);
    expect(history.interrupted).toBe(true);
  });

  it('stops with the epoch and batch when the loss is not finite', async () => {
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy' });
    const x = tf.tensor2d([[1, 1], [1, 1], [Number.NaN, 1], [1, 1]]);
    const y = tf.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
    const fit = model.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
    await expect(fit).rejects.toThrow(DivergenceError);
    const fresh = classifier();
    fresh.compile({ loss: 'categorical_crossentropy' });
    await expect(fresh.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 })).rejects.toThrow(
      /loss became NaN at epoch 1, batch 2: training stopped; try a lower learning rate \(--lr\)/,
    );
  });

  it('keeps the last good epoch when the loss diverges later', async () => {
    const { x, y } = blobs(32);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-keras-nan-'));
    const checkpointing: Callback = {
      onEpochEnd: async (epoch) => {
        await model.save(dir, { includeOptimizer: true, metadata: { epoch: epoch + 1 } });
        // Poison the weights after the first good epoch, as a runaway learning rate would.
        if (epoch === 0) model.layers[1]!.setWeights([tf.fill([2, 2], Number.NaN), tf.zeros([2])]);
      },
    };
    const fit = model.fit(x, y, { epochs: 3, batchSize: 8, callbacks: [checkpointing], verbose: 0 });
    await expect(fit).rejects.toThrow(/^loss became NaN at epoch 2, batch 1: training stopped; try a lower learning rate \(--lr\)$/);
    const kept = await loadModel(dir);
    const weights = kept.layers[1]!.getWeights()[0]!.dataSync();
    expect(Array.from(weights).every(Number.isFinite)).toBe(true);
  });

  it('leaks no tensors from one step to the next', async () => {
    const { x, y } = blobs(64);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: 'accuracy' });
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads batches of a data set kept in typed arrays', async () => {
    const images = Float32Array.from({ length: 8 * 4 }, (_, i) => (i % 4) / 4);
    const set = createImageSet(images, Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), [2, 2, 1]);
    const X = Input({ shape: [2, 2, 1] });
    const model = Model(X, Dense(2, { activation: 'softmax' })(Flatten()(X)));
    model.compile({ loss: 'sparse_categorical_crossentropy', metrics: 'accuracy' });
    const history = await model.fit(imageSetData(set, { labels: 'sparse', classes: 2 }), { epochs: 2, batchSize: 3, verbose: 0 });
    expect(history.epoch).toEqual([0, 1]);
  });

  it.each<[string, object, RegExp]>([
    ['zero epochs', { epochs: 0 }, /fit: epochs must be a positive integer, got 0/],
    ['a fractional batch size', { batchSize: 2.5 }, /fit: batchSize must be a positive integer, got 2\.5/],
    ['a validation split of 1', { validationSplit: 1 }, /fit: validationSplit must be a number in \[0, 1\), got 1/],
    ['an unknown option', { epoch: 3 }, /fit: epoch must be one of the options/],
  ])('rejects %s', async (_, options, message) => {
    const { x, y } = blobs(8);
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy' });
    await expect(model.fit(x, y, options)).rejects.toThrow(message);
  });

  it('asks for compile first', async () => {
    const { x, y } = blobs(8);
    await expect(classifier().fit(x, y)).rejects.toThrow(/call model\.compile\(\{ loss, optimizer, metrics \}\) before fit or evaluate/);
  });

  it('names both shapes when x and y disagree', async () => {
    const model = classifier();
    model.compile({ loss: 'categorical_crossentropy' });
    await expect(model.fit(tf.zeros([4, 2]), tf.zeros([3, 2]))).rejects.toThrow(/same number of examples, got x \[4, 2\] and y \[3, 2\]/);
  });
});
