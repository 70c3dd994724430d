/**
 * The in-memory form every loader returns, and the helpers that reorder, cut and batch it.
 * Images stay in typed arrays until a batch is needed: CIFAR-10's 50,000 training images are
 * 614 MB as float32, and a second copy inside one huge tensor would double that.
 */
import { ConfigError } from '../errors';
import { Random } from '../random';
import { tf } from '../tf';

/** `[height, width, channels]` of one image, channels last. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** Images and their class labels, all images of one shape, pixel values in [0, 1]. */
export interface ImageSet {
  /** `count * height * width * channels` values, image after image, each row-major, channels last (NHWC). */
  readonly images: Float32Array;
  /** One class index per image, in [0, number of classes). */
  readonly labels: Int32Array;
  /** How many images. */
  readonly count: number;
  /** The shape of each image. */
  readonly imageShape: ImageShape;
}

/** A data set as loaded: a training and a test set over the same classes. */
export interface Dataset {
  /** The data set's name, e.g. `mnist`. */
  readonly name: string;
  /** The name of each class; label `i` means `classNames[i]`. */
  readonly classNames: readonly string[];
  /** The images to train (and validate) on. */
  readonly train: ImageSet;
  /** The held-out images to evaluate on. */
  readonly test: ImageSet;
  /** Where the data was read from, for logs: a folder or a package. */
  readonly source: string;
}

/** How many images a loader keeps, to try a model quickly (`--train-limit`, `--test-limit`). */
export interface LoadLimits {
  /** Keep at most this many training images (the first ones); all by default. */
  readonly trainLimit?: number;
  /** Keep at most this many test images (the first ones); all by default. */
  readonly testLimit?: number;
}

/** How labels are turned into a tensor. */
export type LabelEncoding = 'onehot' | 'sparse';

/** Options of {@link toTensors}. */
export interface ToTensorsOptions {
  /** `onehot`: float32 `[n, classes]`; `sparse`: float32 `[n]` of class indices. */
  readonly labels: LabelEncoding;
  /** The number of classes; needed for `onehot`, checked against the labels for both. */
  readonly classes: number;
}

/** A batch as tensors; the caller disposes both. */
export interface TensorBatch {
  /** The images, `[n, height, width, channels]`, float32. */
  readonly xs: tf.Tensor4D;
  /** The labels, encoded as asked. */
  readonly ys: tf.Tensor1D | tf.Tensor2D;
}

/** Options of {@link batchesOf}. */
export interface BatchesOptions {
  /** Images per batch; the last batch may be smaller. */
  readonly batchSize: number;
  /** Visit the images in this order (e.g. `Random.permutation(count)`); in stored order by default. */
  readonly order?: ArrayLike<number>;
}

/** The two parts of {@link stratifiedSplit}. */
export interface SplitSets {
  /** The images not held out. */
  readonly kept: ImageSet;
  /** The held-out images, about `fraction` of each class. */
  readonly heldOut: ImageSet;
}

/** The number of values in one image. */
export function imageSize(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** Builds an image set, checking that the arrays agree with the count and shape. */
export function createImageSet(images: Float32Array, labels: Int32Array, imageShape: ImageShape): ImageSet {
  const [height, width, channels] = imageShape;
  for (const dim of imageShape) {
    if (!Number.isSafeInteger(dim) || dim <= 0) {
      throw new ConfigError('image set', 'imageShape', [height, width, channels], 'three positive integers');
    }
  }
  const count = labels.length;
  if (images.length !== count * imageSize(imageShape)) {
    throw new ConfigError(
      'image set',
      'images',
      `${images.length} values`,
      `${count} labels x ${height} x ${width} x ${channels} = ${count * imageSize(imageShape)} values`,
    );
  }
  return { images, labels, count, imageShape: [height, width, channels] };
}

/** An image set with no images, for a split that holds nothing out. */
export function emptyImageSet(imageShape: ImageShape): ImageSet {
  return createImageSet(new Float32Array(0), new Int32Array(0), imageShape);
}

/** Byte value -> [0, 1]; a table because the loaders convert hundreds of millions of bytes. */
const UNIT_OF_BYTE = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);

/** Scales bytes 0..255 to floats 0..1 (255 -> 1, 51 -> 0.2) into `target` at `offset`. */
export function scaleBytesInto(bytes: Uint8Array, target: Float32Array, offset = 0): void {
  for (let i = 0; i < bytes.length; i++) target[offset + i] = UNIT_OF_BYTE[bytes[i] as number] as number;
}

/** The float in [0, 1] of one byte 0..255. */
export function unitOfByte(byte: number): number {
  return UNIT_OF_BYTE[byte] as number;
}

/** Checks a `trainLimit`/`testLimit` option: undefined or a non-negative integer. */
export function checkLimit(subject: string, option: string, limit: number | undefined): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new ConfigError(subject, option, limit, 'a non-negative integer');
  }
}

/** The first `n` images (all if there are fewer); views onto the same memory, not a copy. */
export function take(set: ImageSet, n: number | undefined): ImageSet {
  checkLimit('take', 'n', n);
  if (n === undefined || n >= set.count) return set;
  const size = imageSize(set.imageShape);
  return {
    images: set.images.subarray(0, n * size),
    labels: set.labels.subarray(0, n),
    count: n,
    imageShape: set.imageShape,
  };
}

/** The images at `indices`, in that order, copied into new arrays. */
export function gather(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = imageSize(set.imageShape);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i] as number;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new ConfigError('gather', `indices[${i}]`, index, `an integer in [0, ${set.count})`);
    }
    images.set(set.images.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = set.labels[index] as number;
  }
  return createImageSet(images, labels, set.imageShape);
}

/** A copy of `set` in a random order fixed by `seed`. */
export function shuffleSet(set: ImageSet, seed: number): ImageSet {
  return gather(set, new Random(seed).permutation(set.count));
}

/**
 * Holds out `fraction` of the images, the same fraction of every class, chosen at random by
 * `seed`, so that a small or unbalanced data set keeps every class on both sides. The total held
 * out is `round(fraction * count)`; classes get their share by largest remainder. Both parts keep
 * the stored order.
 */
export function stratifiedSplit(set: ImageSet, fraction: number, seed: number): SplitSets {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1) {
    throw new ConfigError('stratified split', 'fraction', fraction, 'a number in [0, 1)');
  }
  const membersOfClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i] as number;
    const members = membersOfClass.get(label);
    if (members === undefined) membersOfClass.set(label, [i]);
    else members.push(i);
  }
  const classes = [...membersOfClass.keys()].sort((a, b) => a - b);
  const shares = classes.map((label) => {
    const exact = fraction * (membersOfClass.get(label) as number[]).length;
    return { label, whole: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let unassigned = Math.round(fraction * set.count) - shares.reduce((sum, share) => sum + share.whole, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.label - b.label);
  for (const share of byRemainder) {
    if (unassigned <= 0) break;
    if (share.remainder > 0) {
      share.whole += 1;
      unassigned -= 1;
    }
  }

  const random = new Random(seed);
  const heldOut = new Uint8Array(set.count);
  for (const share of shares) {
    const members = random.shuffle([...(membersOfClass.get(share.label) as number[])]);
    for (const index of members.slice(0, share.whole)) heldOut[index] = 1;
  }
  const keptIndices: number[] = [];
  const heldOutIndices: number[] = [];
  for (let i = 0; i < set.count; i++) (heldOut[i] === 1 ? heldOutIndices : keptIndices).push(i);
  return { kept: gather(set, keptIndices), heldOut: gather(set, heldOutIndices) };
}

/** How many images of each class, indexed by label. */
export function classCounts(set: ImageSet, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of set.labels) {
    checkLabel(label, classes);
    counts[label] = (counts[label] as number) + 1;
  }
  return counts;
}

function checkLabel(label: number, classes: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new ConfigError('labels', 'label', label, `a class index in [0, ${classes})`);
  }
}

function checkClasses(classes: number): void {
  if (!Number.isSafeInteger(classes) || classes <= 0) {
    throw new ConfigError('labels', 'classes', classes, 'a positive integer');
  }
}

/** Class indices -> one-hot rows, `labels.length * classes` values. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  checkClasses(classes);
  const encoded = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    checkLabel(label, classes);
    encoded[i * classes + label] = 1;
  }
  return encoded;
}

/** One-hot (or probability) rows -> class indices, taking the largest value of each row. */
export function sparseLabels(rows: ArrayLike<number>, classes: number): Int32Array {
  checkClasses(classes);
  if (rows.length % classes !== 0) {
    throw new ConfigError('labels', 'rows', `${rows.length} values`, `a multiple of ${classes} classes`);
  }
  const labels = new Int32Array(rows.length / classes);
  for (let row = 0; row < labels.length; row++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if ((rows[row * classes + k] as number) > (rows[row * classes + best] as number)) best = k;
    }
    labels[row] = best;
  }
  return labels;
}

/** The whole set (or a batch of it) as tensors; the caller disposes them. */
export function toTensors(set: ImageSet, options: ToTensorsOptions): TensorBatch {
  const [height, width, channels] = set.imageShape;
  let ys: tf.Tensor1D | tf.Tensor2D;
  if (options.labels === 'onehot') {
    ys = tf.tensor2d(oneHot(set.labels, options.classes), [set.count, options.classes]);
  } else {
    checkClasses(options.classes);
    for (const label of set.labels) checkLabel(label, options.classes);
    // Float, not int32: the losses and metrics of TensorFlow.js do float arithmetic on labels.
    ys = tf.tensor1d(Float32Array.from(set.labels));
  }
  const xs = tf.tensor4d(set.images, [set.count, height, width, channels]);
  return { xs, ys };
}

/**
 * The set cut into batches, each an image set of its own: views in stored order, copies when an
 * order is given. Turn each into tensors with {@link toTensors} only when it is used.
 */
export function* batchesOf(set: ImageSet, options: BatchesOptions): Generator<ImageSet> {
  const { batchSize, order } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
    throw new ConfigError('batches', 'batchSize', batchSize, 'a positive integer');
  }
  if (order !== undefined && order.length !== set.count) {
    throw new ConfigError('batches', 'order', `${order.length} indices`, `one index per image (${set.count})`);
  }
  const size = imageSize(set.imageShape);
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(start + batchSize, set.count);
    if (order === undefined) {
      yield {
        images: set.images.subarray(start * size, end * size),
        labels: set.labels.subarray(start, end),
        count: end - start,
        imageShape: set.imageShape,
      };
    } else {
      const indices = new Float64Array(end - start);
      for (let i = start; i < end; i++) indices[i - start] = order[i] as number;
      yield gather(set, indices);
    }
  }
}
