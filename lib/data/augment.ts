/**
 * Random augmentation of training batches, with torchvision's semantics: RandomCrop with zero
 * padding, RandomHorizontalFlip, RandomAffine's translation, ColorJitter. Parameters are drawn per
 * image from a seeded generator, so `--seed` repeats a run exactly.
 *
 * The three geometric steps are composed in JS into one index per output pixel and applied with
 * a single `gather`: exact integer shifts, no interpolation, and one kernel for the whole batch
 * whatever the backend.
 */
import { ConfigError } from '../errors';
import { Random, randomSeed } from '../random';
import { tf } from '../tf';

/** ColorJitter strengths: each factor is drawn from [max(0, 1 - s), 1 + s]; 0 or absent leaves it alone. */
export interface ColorJitterOptions {
  /** Multiplies the pixel values. */
  readonly brightness?: number;
  /** Blends each image with its mean gray level. */
  readonly contrast?: number;
  /** Blends each RGB image with its gray version; ignored for one channel. */
  readonly saturation?: number;
}

/** Options of {@link createAugmenter}; every step is off unless asked for. */
export interface AugmentOptions {
  /** Zero-pad each side by this many pixels, then crop back to the original size at a random place. */
  readonly cropPadding?: number;
  /** Mirror left-right with probability 0.5. */
  readonly horizontalFlip?: boolean;
  /** Shift by a whole number of pixels up to this fraction of the height and width, in [0, 1); zeros fill in. */
  readonly translate?: number;
  /** Random brightness, contrast and saturation, applied in that order, values clipped to [0, 1]. */
  readonly colorJitter?: ColorJitterOptions;
  /** Fixes the random choices; a random seed when absent. */
  readonly seed?: number;
}

/** Augments a `[n, height, width, channels]` batch into a new float32 tensor; the input stays the caller's. */
export type Augmenter = (batch: tf.Tensor4D) => tf.Tensor4D;

/** Named augmentation settings, without a seed. */
export const AUGMENT_PRESETS = {
  /** The VGG-style CIFAR-10 net of the course: crop 32 with padding 4, flip, translate 10%, mild jitter. */
  'vgg-cifar10': {
    cropPadding: 4,
    horizontalFlip: true,
    translate: 0.1,
    colorJitter: { brightness: 0.2, contrast: 0.2, saturation: 0.2 },
  },
} as const satisfies Record<string, Omit<AugmentOptions, 'seed'>>;

/** The name of a preset in {@link AUGMENT_PRESETS}. */
export type AugmentPresetName = keyof typeof AUGMENT_PRESETS;

const LUMA_WEIGHTS = [0.299, 0.587, 0.114];

interface GeometricDraw {
  cropTop: number;
  cropLeft: number;
  flip: boolean;
  shiftDown: number;
  shiftRight: number;
}

function checkOptions(options: AugmentOptions): void {
  const { cropPadding = 0, translate = 0, colorJitter = {}, seed } = options;
  if (!Number.isSafeInteger(cropPadding) || cropPadding < 0) {
    throw new ConfigError('augmentation', 'cropPadding', cropPadding, 'a non-negative integer');
  }
  if (!Number.isFinite(translate) || translate < 0 || translate >= 1) {
    throw new ConfigError('augmentation', 'translate', translate, 'a fraction in [0, 1)');
  }
  for (const [name, strength] of Object.entries(colorJitter)) {
    if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0) {
      throw new ConfigError('augmentation', `colorJitter.${name}`, strength, 'a non-negative number');
    }
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new ConfigError('augmentation', 'seed', seed, 'an integer');
  }
}

/** For each output pixel, the flat index of its source pixel, or `fill` where zeros come in. */
function sourceIndices(draws: readonly GeometricDraw[], height: number, width: number, padding: number): Int32Array {
  const imagePixels = height * width;
  const fill = draws.length * imagePixels;
  const indices = new Int32Array(fill);
  draws.forEach((draw, image) => {
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        // Undo the steps last to first: translation, flip, then crop.
        const shiftedRow = row - draw.shiftDown;
        let shiftedColumn = column - draw.shiftRight;
        let source = fill;
        if (shiftedRow >= 0 && shiftedRow < height && shiftedColumn >= 0 && shiftedColumn < width) {
          if (draw.flip) shiftedColumn = width - 1 - shiftedColumn;
          const sourceRow = shiftedRow + draw.cropTop - padding;
          const sourceColumn = shiftedColumn + draw.cropLeft - padding;
          if (sourceRow >= 0 && sourceRow < height && sourceColumn >= 0 && sourceColumn < width) {
            source = image * imagePixels + sourceRow * width + sourceColumn;
          }
        }
        indices[image * imagePixels + row * width + column] = source;
      }
    }
  });
  return indices;
}

function luminance(batch: tf.Tensor4D): tf.Tensor4D {
  return tf.sum<tf.Tensor4D>(tf.mul(batch, tf.tensor1d(LUMA_WEIGHTS)), -1, true);
}

/** `factor * batch + (1 - factor) * other`, clipped to [0, 1], per image. */
function blend(batch: tf.Tensor4D, other: tf.Tensor4D, factors: number[]): tf.Tensor4D {
  const factor = tf.tensor4d(factors, [factors.length, 1, 1, 1]);
  const mixed = tf.add<tf.Tensor4D>(tf.mul(batch, factor), tf.mul(other, tf.sub(1, factor)));
  return tf.clipByValue(mixed, 0, 1);
}

function jitterFactors(random: Random, strength: number | undefined, count: number): number[] | undefined {
  if (strength === undefined || strength === 0) return undefined;
  return Array.from({ length: count }, () => random.uniform(Math.max(0, 1 - strength), 1 + strength));
}

/** Creates an augmenter; each call draws new random choices from the same seeded sequence. */
export function createAugmenter(options: AugmentOptions): Augmenter {
  checkOptions(options);
  const padding = options.cropPadding ?? 0;
  const flip = options.horizontalFlip ?? false;
  const translate = options.translate ?? 0;
  const jitter = options.colorJitter ?? {};
  const random = new Random(options.seed ?? randomSeed());

  return (batch: tf.Tensor4D): tf.Tensor4D => {
    if (batch.rank !== 4) {
      throw new ConfigError('augmentation', 'batch', batch.shape, 'a [n, height, width, channels] tensor');
    }
    const [count, height, width, channels] = batch.shape;
    const maxShiftDown = translate * height;
    const maxShiftRight = translate * width;
    const draws: GeometricDraw[] = Array.from({ length: count }, () => ({
      cropTop: padding > 0 ? random.nextInt(2 * padding + 1) : 0,
      cropLeft: padding > 0 ? random.nextInt(2 * padding + 1) : 0,
      flip: flip && random.nextFloat() < 0.5,
      shiftDown: translate > 0 ? Math.round(random.uniform(-maxShiftDown, maxShiftDown)) : 0,
      shiftRight: translate > 0 ? Math.round(random.uniform(-maxShiftRight, maxShiftRight)) : 0,
    }));
    const brightness = jitterFactors(random, jitter.brightness, count);
    const contrast = jitterFactors(random, jitter.contrast, count);
    const saturation = channels === 3 ? jitterFactors(random, jitter.saturation, count) : undefined;

    return tf.tidy(() => {
      let result: tf.Tensor4D = tf.cast(batch, 'float32');
      if (count > 0 && (padding > 0 || flip || translate > 0)) {
        const flat = tf.reshape(result, [count * height * width, channels]);
        const withFill = tf.concat([flat, tf.zeros([1, channels])]);
        const indices = tf.tensor1d(sourceIndices(draws, height, width, padding), 'int32');
        result = tf.reshape(tf.gather(withFill, indices), [count, height, width, channels]);
      }
      // Blending with black, as torchvision's adjust_brightness does.
      if (brightness !== undefined) result = blend(result, tf.zerosLike(result), brightness);
      if (contrast !== undefined) {
        const gray = channels === 3 ? luminance(result) : result;
        result = blend(result, tf.mean(gray, [1, 2, 3], true), contrast);
      }
      if (saturation !== undefined) result = blend(result, luminance(result), saturation);
      return result;
    });
  };
}

/** An augmenter with a preset's settings, e.g. `createPresetAugmenter('vgg-cifar10', seed)`. */
export function createPresetAugmenter(name: AugmentPresetName, seed?: number): Augmenter {
  return createAugmenter({ ...AUGMENT_PRESETS[name], seed });
}
