import {
  batchesOf,
  classCounts,
  createImageSet,
  gather,
  oneHot,
  shuffleSet,
  sparseLabels,
  stratifiedSplit,
  take,
  toTensors,
  type ImageSet,
} from '../../lib/data/dataset';
import { ConfigError } from '../../lib/errors';
import { Random } from '../../lib/random';
import { tf } from '../../lib/tf';


/** Image i of a [1, 2, 1] set holds the values [i, i + 0.5], so pairs can be traced after reordering. */
function tracedSet(labels: number[]): ImageSet {
  const images = new Float32Array(labels.length * 2);
  labels.forEach((_, i) => images.set([i, i + 0.5], i * 2));
  return createImageSet(images, Int32Array.from(labels), [1, 2, 1]);
}

/** For each image of a traced set, [original index, label]; checks the image is intact. */
function pairs(set: ImageSet): [number, number][] {
  return Array.from(set.labels, (label, i) => {
    const original = set.images[i * 2] as number;
    expect(set.images[i * 2 + 1]).toBe(original + 0.5);
    return [original, label];
  });
}

describe('createImageSet', () => {
  it('derives the count and checks the array sizes', () => {
    const set = createImageSet(new Float32Array(12), new Int32Array(2), [2, 3, 1]);
    expect(set.count).toBe(2);
    expect(set.imageShape).toEqual([2, 3, 1]);
    expect(() => createImageSet(new Float32Array(11), new Int32Array(2), [2, 3, 1])).toThrow(
      /images must be 2 labels x 2 x 3 x 1 = 12 values, got '11 values'/,
    );
    expect(() => createImageSet(new Float32Array(0), new Int32Array(0), [0, 3, 1])).toThrow(ConfigError);
  });
});

describe('take', () => {
  it('keeps the first n images as views', () => {
    const set = tracedSet([0, 1, 2, 0]);
    const first = take(set, 2);
    expect(first.count).toBe(2);
    expect(Array.from(first.labels)).toEqual([0, 1]);
    expect(Array.from(first.images)).toEqual([0, 0.5, 1, 1.5]);
    expect(first.images.buffer).toBe(set.images.buffer);
    expect(take(set, 10)).toBe(set);
    expect(take(set, undefined)).toBe(set);
    expect(take(set, 0).count).toBe(0);
    expect(() => take(set, -1)).toThrow(/n must be a non-negative integer, got -1/);
    expect(() => take(set, 1.5)).toThrow(ConfigError);
  });
});

describe('gather and shuffleSet', () => {
  it('gathers images with their labels in the given order', () => {
    const set = tracedSet([3, 4, 5]);
    expect(pairs(gather(set, [2, 0]))).toEqual([
      [2, 5],
      [0, 3],
    ]);
    expect(() => gather(set, [3])).toThrow(/indices\[0\] must be an integer in \[0, 3\), got 3/);
  });

  it('shuffles repeatably for a seed, keeping each image with its label', () => {
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    const set = tracedSet(labels);
    const shuffled = shuffleSet(set, 7);
    const tracedPairs = pairs(shuffled);
    expect(tracedPairs.map(([original]) => original)).not.toEqual(labels.map((_, i) => i));
    for (const [original, label] of tracedPairs) expect(label).toBe(labels[original]);
    expect(pairs(shuffleSet(set, 7))).toEqual(tracedPairs);
    expect(pairs(shuffleSet(set, 8))).not.toEqual(tracedPairs);
  });
});

describe('stratifiedSplit', () => {
  const labels = [...new Array<number>(10).fill(0), ...new Array<number>(5).fill(1), ...new Array<number>(3).fill(2)];

  it('holds out round(fraction * count) images, each class by its share', () => {
    const { kept, heldOut } = stratifiedSplit(tracedSet(labels), 0.2, 1);
    // 0.2 * [10, 5, 3] = [2, 1, 0.6]: 4 in all, the remainder going to class 2.
    expect(classCounts(heldOut, 3)).toEqual([2, 1, 1]);
    expect(classCounts(kept, 3)).toEqual([8, 4, 2]);
    const originals = [...pairs(kept), ...pairs(heldOut)].map(([original]) => original).sort((a, b) => a - b);
    expect(originals).toEqual(labels.map((_, i) => i));
    for (const [original, label] of [...pairs(kept), ...pairs(heldOut)]) expect(label).toBe(labels[original]);
  });

  it('keeps the stored order in both parts and repeats for a seed', () => {
    const set = tracedSet(labels);
    const split = stratifiedSplit(set, 0.5, 3);
    for (const part of [split.kept, split.heldOut]) {
      const originals = pairs(part).map(([original]) => original);
      expect(originals).toEqual([...originals].sort((a, b) => a - b));
    }
    expect(pairs(stratifiedSplit(set, 0.5, 3).heldOut)).toEqual(pairs(split.heldOut));
    const others = [4, 5, 6, 7].map((seed) => JSON.stringify(pairs(stratifiedSplit(set, 0.5, seed).heldOut)));
    expect(others.some((other) => other !== JSON.stringify(pairs(split.heldOut)))).toBe(true);
  });

  it('holds out nothing for fraction 0 and rejects fractions outside [0, 1)', () => {
    const { kept, heldOut } = stratifiedSplit(tracedSet(labels), 0, 1);
    expect(kept.count).toBe(18);
    expect(heldOut.count).toBe(0);
    expect(() => stratifiedSplit(tracedSet(labels), 1, 1)).toThrow(/fraction must be a number in \[0, 1\), got 1/);
  });
});

describe('label encodings', () => {
  it('converts class indices to one-hot rows and back', () => {
    const encoded = oneHot([2, 0, 1], 3);
    expect(Array.from(encoded)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(sparseLabels(encoded, 3))).toEqual([2, 0, 1]);
    expect(Array.from(sparseLabels([0.1, 0.7, 0.2, 0.5, 0.2, 0.3], 3))).toEqual([1, 0]);
    expect(() => oneHot([3], 3)).toThrow(/label must be a class index in \[0, 3\), got 3/);
    expect(() => sparseLabels([1, 0, 0, 1], 3)).toThrow(ConfigError);
  });
});

describe('toTensors', () => {
  const set = createImageSet(Float32Array.from([0, 0.2, 0.4, 1]), Int32Array.from([1, 0]), [1, 2, 1]);

  it('makes NHWC images and one-hot labels', () => {
    const { xs, ys } = toTensors(set, { labels: 'onehot', classes: 3 });
    expect(xs.shape).toEqual([2, 1, 2, 1]);
    expect(Array.from(xs.dataSync())).toEqual(Array.from(set.images));
    expect(ys.shape).toEqual([2, 3]);
    expect(Array.from(ys.dataSync())).toEqual([0, 1, 0, 1, 0, 0]);
    tf.dispose([xs, ys]);
  });

  it('makes float sparse labels and checks them against the class count', () => {
    const before = tf.memory().numTensors;
    const { xs, ys } = toTensors(set, { labels: 'sparse', classes: 2 });
    expect(ys.shape).toEqual([2]);
    expect(ys.dtype).toBe('float32');
    expect(Array.from(ys.dataSync())).toEqual([1, 0]);
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => toTensors(set, { labels: 'sparse', classes: 1 })).toThrow(/got 1/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batchesOf', () => {
  it('cuts the set into views of batchSize, the last one smaller', () => {
    const set = tracedSet([0, 1, 0, 1, 0]);
    const batches = [...batchesOf(set, { batchSize: 2 })];
    expect(batches.map((batch) => batch.count)).toEqual([2, 2, 1]);
    expect(batches.map((batch) => pairs(batch).map(([original]) => original))).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[0]?.images.buffer).toBe(set.images.buffer);
  });

  it('follows a given order', () => {
    const set = tracedSet([0, 1, 0, 1, 0]);
    const order = new Random(2).permutation(5);
    const visited = [...batchesOf(set, { batchSize: 3, order })].flatMap((batch) =>
      pairs(batch).map(([original]) => original),
    );
    expect(visited).toEqual(Array.from(order));
    expect(() => [...batchesOf(set, { batchSize: 0 })]).toThrow(/batchSize must be a positive integer/);
    expect(() => [...batchesOf(set, { batchSize: 2, order: [0, 1] })]).toThrow(/one index per image \(5\)/);
  });
});
