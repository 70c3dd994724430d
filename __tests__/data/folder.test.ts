import * as fs from 'fs';
import * as jpeg from 'jpeg-js';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { classCounts } from '../../lib/data/dataset';
import { loadImageFile, loadImageFolder } from '../../lib/data/folder';
import { decodeImage, resizeBilinear } from '../../lib/data/image';
import { ConfigError, DataError } from '../../lib/errors';
import { Random } from '../../lib/random';
import { tf } from '../../lib/tf';


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Rgba = [number, number, number, number];

/** A PNG of `width` x `height` whose pixels come from `pixel(row, column)`. */
function pngBytes(width: number, height: number, pixel: (row: number, column: number) => Rgba, colorType: 0 | 2 | 6 = 6): Buffer {
  const png = new PNG({ width, height });
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) png.data.set(pixel(row, column), (row * width + column) * 4);
  }
  return PNG.sync.write(png, { colorType, inputColorType: 6 });
}

function jpegBytes(width: number, height: number, rgba: Rgba): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4);
  return jpeg.encode({ width, height, data }, 100).data;
}

const solid =
  (rgba: Rgba) =>
  (): Rgba =>
    rgba;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'folder-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string, bytes: Uint8Array | string): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** Classes by sorted name: bird 5 images, cat 10, dog 5; every image a solid gray of its index. */
function writeClasses(): void {
  const sizes: Record<string, number> = { cat: 10, dog: 5, bird: 5 };
  for (const [className, count] of Object.entries(sizes)) {
    for (let i = 0; i < count; i++) {
      const level = className === 'cat' ? 10 * i : 100 + 10 * i;
      const name = `${className}/${i}.${i % 2 === 0 ? 'png' : 'jpg'}`;
      write(name, i % 2 === 0 ? pngBytes(6, 5, solid([level, level, level, 255])) : jpegBytes(8, 8, [level, level, level, 255]));
    }
  }
}

describe('loadImageFolder', () => {
  it('takes sorted sub-folder names as classes and holds out a stratified test split', () => {
    writeClasses();
    const data = loadImageFolder({ dataDir: root, imageShape: [4, 4, 3] });
    expect(data.name).toBe('folder');
    expect(data.source).toBe(root);
    expect(data.classNames).toEqual(['bird', 'cat', 'dog']);
    expect(data.train.imageShape).toEqual([4, 4, 3]);
    expect(classCounts(data.test, 3)).toEqual([1, 2, 1]);
    expect(classCounts(data.train, 3)).toEqual([4, 8, 4]);
    expect(data.train.images.length).toBe(16 * 48);
    expect(data.test.images.length).toBe(4 * 48);
    // Shuffled, not class by class.
    expect(Array.from(data.train.labels)).not.toEqual([...data.train.labels].sort());
  });

  it('repeats the split and order for a seed and changes them for another', () => {
    writeClasses();
    const load = (seed: number): string =>
      JSON.stringify(Array.from(loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], testSplit: 0.4, seed }).test.images));
    expect(load(3)).toBe(load(3));
    expect([4, 5, 6].map(load).some((other) => other !== load(3))).toBe(true);
  });

  it('keeps every image with its label', () => {
    writeClasses();
    const data = loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], testSplit: 0.25, seed: 1 });
    for (const set of [data.train, data.test]) {
      set.labels.forEach((label, i) => {
        const level = Math.round((set.images[i * 4] as number) * 255);
        // cat images have levels 0..90, bird and dog 100..140.
        expect(data.classNames[label] === 'cat').toBe(level < 100);
      });
    }
  });

  it('applies limits after the split, and testSplit 0 leaves the test set empty', () => {
    writeClasses();
    const data = loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], testSplit: 0, trainLimit: 7, testLimit: 3 });
    expect(data.train.count).toBe(7);
    expect(data.test.count).toBe(0);
  });

  it('ignores hidden and non-image files, and reads nested folders', () => {
    write('a/1.png', pngBytes(2, 2, solid([0, 0, 0, 255])));
    write('a/nested/2.PNG', pngBytes(2, 2, solid([0, 0, 0, 255])));
    write('a/.hidden.png', 'not an image');
    write('a/README.txt', 'notes');
    write('b/1.jpeg', jpegBytes(4, 4, [255, 255, 255, 255]));
    write('.git/x.png', 'not an image');
    const data = loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], testSplit: 0 });
    expect(data.classNames).toEqual(['a', 'b']);
    expect(classCounts(data.train, 2)).toEqual([2, 1]);
  });

  it('explains the expected layout when the folder is wrong', () => {
    write('only/1.png', pngBytes(2, 2, solid([0, 0, 0, 255])));
    write('loose.png', pngBytes(2, 2, solid([0, 0, 0, 255])));
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(
        `^${escapeRegExp(root)}: needs at least 2 class sub-folders, found 1 class sub-folder and 1 images directly in the folder\\. ` +
          'Expected one sub-folder per class',
      ),
    );
    fs.mkdirSync(path.join(root, 'empty'));
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(`^${escapeRegExp(path.join(root, 'empty'))}: class 'empty' has no PNG or JPEG images`),
    );
    const absent = path.join(root, 'absent');
    expect(() => loadImageFolder({ dataDir: absent, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(`^${escapeRegExp(absent)}: folder not found\\. Expected one sub-folder per class`),
    );
  });

  it('names an unsupported, corrupt or non-image file', () => {
    write('a/1.png', pngBytes(2, 2, solid([0, 0, 0, 255])));
    const gif = write('b/1.gif', 'GIF89a');
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(`^${escapeRegExp(gif)}: \\.gif images are not supported; convert them to PNG or JPEG$`),
    );
    fs.rmSync(gif);
    const text = write('b/2.jpg', 'hello');
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(`^${escapeRegExp(text)}: not a PNG or JPEG image \\(first bytes: 68 65 6c 6c\\)$`),
    );
    const png = pngBytes(4, 4, solid([1, 2, 3, 255]));
    const cut = write('b/2.jpg', png.subarray(0, png.length - 20));
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1] })).toThrow(
      new RegExp(`^${escapeRegExp(cut)}: corrupt or unsupported image \\(.+\\)$`),
    );
  });

  it('rejects bad options', () => {
    writeClasses();
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 4] })).toThrow(
      /^folder: imageShape must be \[height, width, channels\] with 1 or 3 channels, got \[2, 2, 4\]$/,
    );
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], testSplit: 1 })).toThrow(
      /testSplit must be a fraction in \[0, 1\), got 1/,
    );
    expect(() => loadImageFolder({ dataDir: root, imageShape: [2, 2, 1], seed: 0.5 })).toThrow(ConfigError);
  });
});

describe('loadImageFile', () => {
  it('scales bytes exactly and keeps RGB order, dropping alpha', () => {
    const file = write('x.png', pngBytes(2, 1, (_, column) => (column === 0 ? [255, 51, 0, 0] : [102, 204, 255, 128])));
    expect(Array.from(loadImageFile(file, [1, 2, 3]))).toEqual([1, 0.2, 0, 0.4, 0.8, 1].map(Math.fround));
  });

  it('converts RGB to gray by luminance and gray to RGB by repeating', () => {
    const colour = write('c.png', pngBytes(3, 1, (_, column) => [[255, 0, 0, 255], [0, 255, 0, 255], [51, 51, 51, 255]][column] as Rgba));
    expect(Array.from(loadImageFile(colour, [1, 3, 1]))).toEqual([0.299, 0.587, 0.2].map(Math.fround));
    const gray = write('g.png', pngBytes(2, 1, (_, column) => (column === 0 ? [51, 51, 51, 255] : [255, 255, 255, 255]), 0));
    expect(Array.from(loadImageFile(gray, [1, 2, 3]))).toEqual([0.2, 0.2, 0.2, 1, 1, 1].map(Math.fround));
  });

  it('decodes JPEG images to the wanted shape', () => {
    const file = write('j.jpg', jpegBytes(16, 8, [200, 100, 50, 255]));
    const values = loadImageFile(file, [4, 5, 3]);
    expect(values.length).toBe(60);
    for (let i = 0; i < 60; i += 3) {
      expect(values[i]).toBeCloseTo(200 / 255, 1);
      expect(values[i + 1]).toBeCloseTo(100 / 255, 1);
      expect(values[i + 2]).toBeCloseTo(50 / 255, 1);
    }
  });

  it('resizes bilinearly with half-pixel centres', () => {
    const file = write('r.png', pngBytes(2, 1, (_, column) => (column === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255])));
    expect(Array.from(loadImageFile(file, [1, 4, 1]))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('names a missing file', () => {
    const missing = path.join(root, 'missing.png');
    expect(() => loadImageFile(missing, [2, 2, 1])).toThrow(new RegExp(`^${escapeRegExp(missing)}: cannot be read: not found`));
  });
});

describe('resizeBilinear', () => {
  it('matches tf.image.resizeBilinear with half-pixel centres', () => {
    const random = new Random(4);
    const source = Float32Array.from({ length: 7 * 5 * 3 }, () => random.nextFloat());
    for (const [height, width] of [
      [3, 2],
      [14, 11],
      [7, 5],
      [1, 9],
    ] as const) {
      const expected = tf.tidy(() =>
        tf.image.resizeBilinear(tf.tensor3d(source, [7, 5, 3]), [height, width], false, true).dataSync(),
      );
      const actual = resizeBilinear(source, [7, 5, 3], height, width);
      expect(actual.length).toBe(expected.length);
      actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
    }
  });
});

describe('fuzzing', () => {
  it('turns random, truncated or damaged PNG and JPEG bytes into DataErrors, never wrong-sized images', () => {
    const random = new Random(123456);
    const png = pngBytes(5, 4, (row, column) => [row * 40, column * 50, 7, 255]);
    const jpg = jpegBytes(9, 7, [10, 200, 30, 255]);
    const outcomes = { errors: 0, images: 0 };
    for (let trial = 0; trial < 120; trial++) {
      const original = trial % 2 === 0 ? png : jpg;
      let bytes: Uint8Array;
      if (trial % 3 === 0) bytes = Uint8Array.from({ length: random.nextInt(200) }, () => random.nextInt(256));
      else if (trial % 3 === 1) bytes = original.subarray(0, random.nextInt(original.length));
      else {
        bytes = Uint8Array.from(original);
        for (let flips = 0; flips < 3; flips++) {
          const at = random.nextInt(bytes.length);
          bytes[at] = (bytes[at] as number) ^ (1 + random.nextInt(255));
        }
      }
      try {
        const image = decodeImage(bytes, 'fuzz.img');
        expect(image.data.length).toBe(image.width * image.height * 4);
        outcomes.images += 1;
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(DataError);
        expect((error as DataError).path).toBe('fuzz.img');
        outcomes.errors += 1;
      }
    }
    expect(outcomes.errors).toBeGreaterThan(60);
  });
});
