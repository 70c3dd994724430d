/**
 * The confusion matrix of a classifier on a test set: how often each true class was predicted as
 * each class. Rows are true classes, columns predicted ones, as scikit-learn and Keras courses
 * print it.
 */
import { ConfigError } from '../errors';

/** Counts of (true class, predicted class) pairs. */
export interface ConfusionMatrix {
  /** The name of each class, row and column `i` being class `i`. */
  readonly classNames: readonly string[];
  /** `counts[trueClass][predictedClass]`: how many test images of that class got that prediction. */
  readonly counts: readonly (readonly number[])[];
  /** Images on the diagonal: predicted right. */
  readonly correct: number;
  /** All images counted. */
  readonly total: number;
}

/** Counts every (true, predicted) pair; labels must be class indices below `classNames.length`. */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predictedLabels: ArrayLike<number>,
  classNames: readonly string[],
): ConfusionMatrix {
  if (trueLabels.length !== predictedLabels.length) {
    throw new ConfigError('confusionMatrix', 'predictedLabels', `${predictedLabels.length} labels`, `one per true label (${trueLabels.length})`);
  }
  const classes = classNames.length;
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const truth = trueLabels[i] as number;
    const predicted = predictedLabels[i] as number;
    for (const [name, label] of [['trueLabels', truth], ['predictedLabels', predicted]] as const) {
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new ConfigError('confusionMatrix', `${name}[${i}]`, label, `a class index in [0, ${classes})`);
      }
    }
    (counts[truth] as number[])[predicted] = ((counts[truth] as number[])[predicted] as number) + 1;
    if (truth === predicted) correct += 1;
  }
  return { classNames, counts, correct, total: trueLabels.length };
}

/**
 * Each row divided by its total: the fraction of each true class given each prediction, so that
 * rare and common classes compare (the diagonal is each class's recall). A class with no test
 * image has a row of zeros.
 */
export function normalizedByTrueClass(matrix: ConfusionMatrix): number[][] {
  return matrix.counts.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
}
