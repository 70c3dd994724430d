/**
 * What `fit` and `evaluate` read batches from: tensors (Keras's `fit(x, y)`) or an image set kept
 * in typed arrays (the data sets, which would double their memory as one tensor).
 */
import type { ImageSet } from '../data/dataset';
import { gather, toTensors } from '../data/dataset';
import type { Augmenter } from '../data/augment';
import { GraphError } from '../errors';
import { formatShape } from '../format';
import { tf } from '../tf';

/** Examples that can be cut into batches. */
export interface TrainingData {
  /** How many examples. */
  readonly count: number;
  /** The batch of these examples, as tensors the caller disposes. */
  batch(indices: readonly number[], purpose: 'train' | 'evaluate'): { xs: tf.Tensor; ys: tf.Tensor };
}

/** Keras's `fit(x, y)`: the examples are the first axis of both tensors. */
export function tensorData(x: tf.Tensor, y: tf.Tensor): TrainingData {
  if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor)) {
    throw new GraphError('fit', 'x and y must be tf.Tensors (or x a TrainingData)');
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new GraphError('fit', `x and y must hold the same number of examples, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`);
  }
  return {
    count: x.shape[0] ?? 0,
    batch: (indices) =>
      tf.tidy(() => {
        const at = tf.tensor1d(indices as number[], 'int32');
        return { xs: tf.gather(x, at), ys: tf.gather(y, at) };
      }),
  };
}

/** Options of {@link imageSetData}. */
export interface ImageSetDataOptions {
  /** How the loss wants labels: one-hot rows or class indices. */
  labels: 'onehot' | 'sparse';
  /** The number of classes. */
  classes: number;
  /** Applied to training batches only (random crops, flips, ...). */
  augment?: Augmenter;
}

/** A data set's images, batched on demand, optionally augmented while training. */
export function imageSetData(set: ImageSet, options: ImageSetDataOptions): TrainingData {
  return {
    count: set.count,
    batch: (indices, purpose) => {
      const batch = toTensors(gather(set, indices), { labels: options.labels, classes: options.classes });
      if (purpose !== 'train' || options.augment === undefined) return batch;
      const augmented = options.augment(batch.xs);
      if (augmented !== batch.xs) batch.xs.dispose();
      return { xs: augmented, ys: batch.ys };
    },
  };
}

/** Examples `[start, end)` of another source. */
export function sliceData(data: TrainingData, start: number, end: number): TrainingData {
  return {
    count: end - start,
    batch: (indices, purpose) => data.batch(indices.map((i) => i + start), purpose),
  };
}
