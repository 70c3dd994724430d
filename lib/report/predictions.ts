/** A model's predicted class, and how sure it was, for every image of a set. */
import type { ImageSet } from '../data/dataset';
import { imageSize } from '../data/dataset';
import type { FunctionalModel } from '../model';
import { tf } from '../tf';

/** One prediction per image, in the set's order. */
export interface Predictions {
  /** The class with the highest probability. */
  readonly predicted: Int32Array;
  /** That highest probability, in [0, 1]. */
  readonly confidence: Float32Array;
}

/** Runs the model over the set in batches (inference mode), keeping only the argmax and its probability. */
export async function predictClasses(model: FunctionalModel, set: ImageSet, batchSize = 256): Promise<Predictions> {
  const predicted = new Int32Array(set.count);
  const confidence = new Float32Array(set.count);
  const size = imageSize(set.imageShape);
  for (let start = 0; start < set.count; start += batchSize) {
    const count = Math.min(batchSize, set.count - start);
    const [classes, probabilities] = tf.tidy(() => {
      const batch = tf.tensor4d(set.images.subarray(start * size, (start + count) * size), [count, ...set.imageShape]);
      const output = model.predict(batch) as tf.Tensor2D;
      return [output.argMax(-1), output.max(-1)];
    });
    // Read asynchronously: a GPU backend in Node cannot read tensors synchronously.
    predicted.set(await classes.data(), start);
    confidence.set(await probabilities.data(), start);
    tf.dispose([classes, probabilities]);
  }
  return { predicted, confidence };
}
