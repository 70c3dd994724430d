import { AUGMENT_PRESETS, createAugmenter, createPresetAugmenter } from '../../lib/data/augment';
import { ConfigError } from '../../lib/errors';
import { Random } from '../../lib/random';
import { tf } from '../../lib/tf';


const HEIGHT = 6;
const WIDTH = 5;
const CHANNELS = 2;

/** A hand-made image whose every value is distinct and non-zero: 1 + index / 100. */
const IMAGE = Float32Array.from({ length: HEIGHT * WIDTH * CHANNELS }, (_, i) => (1 + i) / 100);

function valueAt(image: Float32Array, row: number, column: number, channel: number): number {
  if (row < 0 || row >= HEIGHT || column < 0 || column >= WIDTH) return 0;
  return image[(row * WIDTH + column) * CHANNELS + channel] as number;
}

/** The image moved down by `down` and right by `right`, zeros filling in. */
function shifted(image: Float32Array, down: number, right: number): number[] {
  const values: number[] = [];
  for (let row = 0; row < HEIGHT; row++) {
    for (let column = 0; column < WIDTH; column++) {
      for (let channel = 0; channel < CHANNELS; channel++) values.push(valueAt(image, row - down, column - right, channel));
    }
  }
  return values;
}

function mirrored(image: Float32Array): number[] {
  const values: number[] = [];
  for (let row = 0; row < HEIGHT; row++) {
    for (let column = 0; column < WIDTH; column++) {
      for (let channel = 0; channel < CHANNELS; channel++) values.push(valueAt(image, row, WIDTH - 1 - column, channel));
    }
  }
  return values;
}

/** A batch of `count` copies of IMAGE. */
function copies(count: number): tf.Tensor4D {
  const values = new Float32Array(count * IMAGE.length);
  for (let i = 0; i < count; i++) values.set(IMAGE, i * IMAGE.length);
  return tf.tensor4d(values, [count, HEIGHT, WIDTH, CHANNELS]);
}

/** Runs `augment` on `count` copies and returns each output image's values, disposing everything. */
function augmentCopies(augment: (batch: tf.Tensor4D) => tf.Tensor4D, count: number): number[][] {
  const batch = copies(count);
  const result = augment(batch);
  expect(result.shape).toEqual([count, HEIGHT, WIDTH, CHANNELS]);
  expect(result.dtype).toBe('float32');
  const values = Array.from(result.dataSync());
  tf.dispose([batch, result]);
  return Array.from({ length: count }, (_, i) => values.slice(i * IMAGE.length, (i + 1) * IMAGE.length));
}

const asFloat32 = (values: number[]): number[] => values.map(Math.fround);

describe('createAugmenter', () => {
  it('flips some images left-right and leaves the others untouched', () => {
    const outputs = augmentCopies(createAugmenter({ horizontalFlip: true, seed: 1 }), 40);
    const original = asFloat32(Array.from(IMAGE));
    const flipped = asFloat32(mirrored(IMAGE));
    const kinds = outputs.map((output) => (JSON.stringify(output) === JSON.stringify(original) ? 'same' : 'flipped'));
    outputs.forEach((output, i) => expect(output).toEqual(kinds[i] === 'same' ? original : flipped));
    expect(kinds.filter((kind) => kind === 'flipped').length).toBeGreaterThan(10);
    expect(kinds.filter((kind) => kind === 'same').length).toBeGreaterThan(10);
  });

  it('crops after zero padding: every output is the image shifted by at most the padding', () => {
    const padding = 2;
    const outputs = augmentCopies(createAugmenter({ cropPadding: padding, seed: 2 }), 60);
    const seen = new Set<string>();
    for (const output of outputs) {
      let match: string | undefined;
      for (let down = -padding; down <= padding && match === undefined; down++) {
        for (let right = -padding; right <= padding && match === undefined; right++) {
          if (JSON.stringify(output) === JSON.stringify(asFloat32(shifted(IMAGE, down, right)))) match = `${down},${right}`;
        }
      }
      expect(match).toBeDefined();
      seen.add(match as string);
    }
    // 25 possible shifts, 60 draws: most should turn up, including the extremes.
    expect(seen.size).toBeGreaterThan(15);
  });

  it('translates by whole pixels up to the fraction of the size', () => {
    const outputs = augmentCopies(createAugmenter({ translate: 0.34, seed: 3 }), 40);
    // 0.34 * 6 = 2.04 rows, 0.34 * 5 = 1.7 columns: shifts round to at most 2.
    const allowed = new Set<string>();
    for (let down = -2; down <= 2; down++) {
      for (let right = -2; right <= 2; right++) allowed.add(JSON.stringify(asFloat32(shifted(IMAGE, down, right))));
    }
    for (const output of outputs) expect(allowed.has(JSON.stringify(output))).toBe(true);
    expect(new Set(outputs.map((output) => JSON.stringify(output))).size).toBeGreaterThan(5);
  });

  it('jitters brightness by one factor per image, within the range, clipped to [0, 1]', () => {
    const outputs = augmentCopies(createAugmenter({ colorJitter: { brightness: 0.5 }, seed: 4 }), 20);
    const factors = outputs.map((output) => {
      const factor = (output[0] as number) / (IMAGE[0] as number);
      output.forEach((value, i) => expect(value).toBeCloseTo(Math.min(1, factor * (IMAGE[i] as number)), 5));
      return factor;
    });
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5 - 1e-6);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.5 + 1e-6);
    expect(new Set(factors).size).toBeGreaterThan(10);
  });

  it('jitters contrast and saturation of RGB images, keeping values in [0, 1]', () => {
    const random = new Random(5);
    const batch = tf.tensor4d(Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => random.nextFloat()), [4, 8, 8, 3]);
    const augment = createAugmenter({ colorJitter: { contrast: 0.9, saturation: 0.9 }, seed: 5 });
    const result = augment(batch);
    const values = Array.from(result.dataSync());
    expect(result.shape).toEqual([4, 8, 8, 3]);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values).not.toEqual(Array.from(batch.dataSync()));
    tf.dispose([batch, result]);
  });

  it('leaves gray pixels alone under saturation and keeps the mean gray level under contrast', () => {
    const random = new Random(10);
    const levels = Float32Array.from({ length: 3 * 16 }, () => 0.4 + 0.2 * random.nextFloat());
    const grayRgb = tf.tensor4d(Float32Array.from({ length: 3 * 16 * 3 }, (_, i) => levels[Math.floor(i / 3)] as number), [3, 4, 4, 3]);
    const saturated = createAugmenter({ colorJitter: { saturation: 0.9 }, seed: 10 })(grayRgb);
    Array.from(saturated.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(grayRgb.dataSync()[i] as number, 5));
    const contrasted = createAugmenter({ colorJitter: { contrast: 0.5 }, seed: 10 })(grayRgb);
    const meanOf = (tensor: tf.Tensor4D): number[] => Array.from(tf.tidy(() => tf.mean(tensor, [1, 2, 3]).dataSync()));
    meanOf(contrasted).forEach((mean, i) => expect(mean).toBeCloseTo(meanOf(grayRgb)[i] as number, 5));
    expect(Array.from(contrasted.dataSync())).not.toEqual(Array.from(grayRgb.dataSync()));
    tf.dispose([grayRgb, saturated, contrasted]);
  });

  it('returns an equal copy when every step is off', () => {
    const batch = copies(2);
    const result = createAugmenter({})(batch);
    expect(result).not.toBe(batch);
    expect(Array.from(result.dataSync())).toEqual(Array.from(batch.dataSync()));
    tf.dispose([batch, result]);
  });

  it('repeats for a seed, draws anew on each call, and differs for another seed', () => {
    const options = { cropPadding: 2, horizontalFlip: true, translate: 0.2, colorJitter: { brightness: 0.3 } };
    const first = createAugmenter({ ...options, seed: 6 });
    const again = createAugmenter({ ...options, seed: 6 });
    const other = createAugmenter({ ...options, seed: 7 });
    const firstCall = augmentCopies(first, 8);
    expect(augmentCopies(again, 8)).toEqual(firstCall);
    expect(augmentCopies(first, 8)).not.toEqual(firstCall);
    expect(augmentCopies(other, 8)).not.toEqual(firstCall);
  });

  it('leaks no tensors', () => {
    const augment = createPresetAugmenter('vgg-cifar10', 8);
    const batch = tf.zeros<tf.Rank.R4>([3, 32, 32, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const result = augment(batch);
      expect(tf.memory().numTensors).toBe(before + 1);
      result.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(batch.isDisposed).toBe(false);
    batch.dispose();
  });

  it('rejects bad options', () => {
    expect(() => createAugmenter({ cropPadding: -1 })).toThrow(/cropPadding must be a non-negative integer, got -1/);
    expect(() => createAugmenter({ translate: 1 })).toThrow(/translate must be a fraction in \[0, 1\), got 1/);
    expect(() => createAugmenter({ colorJitter: { contrast: -0.1 } })).toThrow(
      /colorJitter\.contrast must be a non-negative number, got -0\.1/,
    );
    expect(() => createAugmenter({ seed: 0.5 })).toThrow(ConfigError);
  });
});

describe('the VGG CIFAR-10 preset', () => {
  it('crops 32 with padding 4, flips, translates up to 10% and jitters mildly', () => {
    expect(AUGMENT_PRESETS['vgg-cifar10']).toEqual({
      cropPadding: 4,
      horizontalFlip: true,
      translate: 0.1,
      colorJitter: { brightness: 0.2, contrast: 0.2, saturation: 0.2 },
    });
    const random = new Random(9);
    const batch = tf.tensor4d(Float32Array.from({ length: 2 * 32 * 32 * 3 }, () => random.nextFloat()), [2, 32, 32, 3]);
    const result = createPresetAugmenter('vgg-cifar10', 9)(batch);
    expect(result.shape).toEqual([2, 32, 32, 3]);
    const values = result.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    tf.dispose([batch, result]);
  });
});
