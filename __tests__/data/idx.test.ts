import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  findIdxFile,
  loadIdxImageSet,
  parseIdx,
  readIdxFile,
} from '../../lib/data/idx';
import { DataError } from '../../lib/errors';
import { Random } from '../../lib/random';

function idxBytes(magic: number, dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, axis) => header.writeUInt32BE(dim, 4 + 4 * axis));
  return Buffer.concat([header, Buffer.from(values)]);
}

/** Two 2 x 3 images: the first 0, 51, 255, 102, 204, 1; the second 255 - those. */
const PIXELS = [0, 51, 255, 102, 204, 1];
const IMAGES = idxBytes(IDX_IMAGES_MAGIC, [2, 2, 3], [...PIXELS, ...PIXELS.map((v) => 255 - v)]);
const LABELS = idxBytes(IDX_LABELS_MAGIC, [2], [7, 2]);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('parseIdx', () => {
  it('reads the big-endian dimensions and the values', () => {
    const parsed = parseIdx(IMAGES, 'images', IDX_IMAGES_MAGIC);
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data.subarray(0, 6))).toEqual(PIXELS);
    const big = idxBytes(IDX_LABELS_MAGIC, [300], new Array<number>(300).fill(4));
    expect(parseIdx(big, 'labels', IDX_LABELS_MAGIC).dims).toEqual([300]);
  });

  it('rejects a wrong magic number, naming both numbers and a likely swap', () => {
    expect(() => parseIdx(LABELS, 'some/train-images', IDX_IMAGES_MAGIC)).toThrow(
      /^some\/train-images: not an IDX image file: magic number 0x00000801, expected 0x00000803 \(this is an IDX label file; are the image and label files swapped\?\)$/,
    );
    expect(() => parseIdx(Buffer.from([1, 2, 3, 4, 0, 0, 0, 0]), 'x', IDX_LABELS_MAGIC)).toThrow(
      /^x: not an IDX label file: magic number 0x01020304, expected 0x00000801$/,
    );
    expect(() => parseIdx(idxBytes(0x00000d01, [1], [0, 0, 0, 0]), 'floats', IDX_LABELS_MAGIC)).toThrow(
      /type code 0x0d; only unsigned bytes, 0x08, are supported/,
    );
  });

  it('rejects a file shorter than its header', () => {
    expect(() => parseIdx(Buffer.from([0, 0]), 'tiny', IDX_LABELS_MAGIC)).toThrow(
      /^tiny: truncated: 2 bytes, shorter than an IDX magic number$/,
    );
    expect(() => parseIdx(IMAGES.subarray(0, 10), 'short', IDX_IMAGES_MAGIC)).toThrow(
      /^short: truncated: 10 bytes, shorter than the 16-byte header of an IDX image file$/,
    );
  });

  it('rejects a size that does not match the header, giving expected and actual bytes', () => {
    expect(() => parseIdx(IMAGES.subarray(0, 20), 'cut', IDX_IMAGES_MAGIC)).toThrow(
      /^cut: size mismatch \(truncated\): the header's 2 x 2 x 3 needs 28 bytes, the data has 20 bytes$/,
    );
    const real = idxBytes(IDX_IMAGES_MAGIC, [60000, 28, 28], []);
    expect(() => parseIdx(real, 'train', IDX_IMAGES_MAGIC)).toThrow(/needs 47,040,016 bytes, the data has 16 bytes/);
    expect(() => parseIdx(Buffer.concat([LABELS, Buffer.from([9])]), 'long', IDX_LABELS_MAGIC)).toThrow(
      /^long: size mismatch \(1 bytes too many\): the header's 2 needs 10 bytes, the data has 11 bytes$/,
    );
  });

  it('rejects a zero dimension', () => {
    expect(() => parseIdx(idxBytes(IDX_IMAGES_MAGIC, [0, 28, 28], []), 'empty', IDX_IMAGES_MAGIC)).toThrow(
      /^empty: the header gives dimension 0 as 0$/,
    );
  });
});

describe('readIdxFile', () => {
  it('reads raw and gzipped files alike', () => {
    const raw = readIdxFile(write('raw-labels', LABELS), IDX_LABELS_MAGIC);
    const gzipped = readIdxFile(write('gz-labels.gz', zlib.gzipSync(LABELS)), IDX_LABELS_MAGIC);
    expect(Array.from(raw.data)).toEqual([7, 2]);
    expect(Array.from(gzipped.data)).toEqual([7, 2]);
  });

  it('names the file for corrupt gzip data and for a missing file', () => {
    const gzipped = zlib.gzipSync(IMAGES);
    const file = write('cut-images.gz', gzipped.subarray(0, gzipped.length - 10));
    expect(() => readIdxFile(file, IDX_IMAGES_MAGIC)).toThrow(
      new RegExp(`^${escape(file)}: corrupt or truncated gzip data \\(.+\\)$`),
    );
    const missing = path.join(dir, 'nothing-here');
    expect(() => readIdxFile(missing, IDX_IMAGES_MAGIC)).toThrow(
      new RegExp(`^${escape(missing)}: cannot be read: not found \\(ENOENT\\)$`),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('loadIdxImageSet', () => {
  it('scales bytes to [0, 1] in [h, w, 1] images with their labels', () => {
    const set = loadIdxImageSet({
      imagesPath: write('images', IMAGES),
      labelsPath: write('labels.gz', zlib.gzipSync(LABELS)),
      classes: 10,
      imageSize: [2, 3],
    });
    expect(set.count).toBe(2);
    expect(set.imageShape).toEqual([2, 3, 1]);
    expect(set.images.length).toBe(12);
    expect(Array.from(set.images.subarray(0, 6))).toEqual([0, 0.2, 1, 0.4, 0.8, 1 / 255].map(Math.fround));
    expect(set.images[6]).toBe(1);
    expect(Array.from(set.labels)).toEqual([7, 2]);
  });

  it('keeps only the first images up to a limit', () => {
    const set = loadIdxImageSet({
      imagesPath: write('images', IMAGES),
      labelsPath: write('labels', LABELS),
      classes: 10,
      imageSize: [2, 3],
      limit: 1,
    });
    expect(set.count).toBe(1);
    expect(set.images.length).toBe(6);
    expect(Array.from(set.labels)).toEqual([7]);
  });

  it('rejects images of another size, unequal counts and labels beyond the classes', () => {
    const imagesPath = write('images', IMAGES);
    const labelsPath = write('labels', LABELS);
    expect(() => loadIdxImageSet({ imagesPath, labelsPath, classes: 10, imageSize: [28, 28] })).toThrow(
      new RegExp(`^${escape(imagesPath)}: images are 2 x 3, expected 28 x 28$`),
    );
    const threeLabels = write('three-labels', idxBytes(IDX_LABELS_MAGIC, [3], [1, 2, 3]));
    expect(() =>
      loadIdxImageSet({ imagesPath, labelsPath: threeLabels, classes: 10, imageSize: [2, 3] }),
    ).toThrow(new RegExp(`^${escape(imagesPath)}: holds 2 images but ${escape(threeLabels)} holds 3 labels$`));
    expect(() => loadIdxImageSet({ imagesPath, labelsPath, classes: 5, imageSize: [2, 3] })).toThrow(
      new RegExp(`^${escape(labelsPath)}: label 7 of image 0 is not a class index in 0..4$`),
    );
  });
});

describe('findIdxFile', () => {
  it('finds the raw, gzipped or dot-named file', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'find-'));
    expect(findIdxFile(folder, 'train-images-idx3-ubyte')).toBeUndefined();
    fs.writeFileSync(path.join(folder, 'train-images.idx3-ubyte'), IMAGES);
    expect(findIdxFile(folder, 'train-images-idx3-ubyte')).toBe(path.join(folder, 'train-images.idx3-ubyte'));
    fs.writeFileSync(path.join(folder, 'train-images-idx3-ubyte.gz'), IMAGES);
    expect(findIdxFile(folder, 'train-images-idx3-ubyte')).toBe(path.join(folder, 'train-images-idx3-ubyte.gz'));
  });
});

describe('fuzzing', () => {
  /** Either a DataError or an array whose size matches its dimensions: nothing else. */
  function expectCleanOutcome(bytes: Uint8Array, magic: number): 'error' | 'parsed' {
    try {
      const parsed = parseIdx(bytes, 'fuzz', magic);
      expect(parsed.data.length).toBe(parsed.dims.reduce((a, b) => a * b, 1));
      return 'parsed';
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).message).toMatch(/^fuzz: /);
      return 'error';
    }
  }

  it('turns random bytes, truncations and flipped header bytes into DataErrors', () => {
    const random = new Random(20240601);
    const outcomes: string[] = [];
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Uint8Array.from({ length: random.nextInt(64) }, () => random.nextInt(256));
      if (trial % 2 === 0 && bytes.length >= 4) bytes.set([0, 0, 8, 3]);
      outcomes.push(expectCleanOutcome(bytes, IDX_IMAGES_MAGIC));
    }
    for (let length = 0; length < IMAGES.length; length++) {
      expect(expectCleanOutcome(IMAGES.subarray(0, length), IDX_IMAGES_MAGIC)).toBe('error');
    }
    for (let trial = 0; trial < 200; trial++) {
      const bytes = Uint8Array.from(IMAGES);
      bytes[random.nextInt(16)] = random.nextInt(256);
      outcomes.push(expectCleanOutcome(bytes, IDX_IMAGES_MAGIC));
    }
    expect(outcomes).toContain('error');
  });

  it('turns damaged gzip files into DataErrors', () => {
    const random = new Random(7);
    const gzipped = zlib.gzipSync(IMAGES);
    for (let trial = 0; trial < 60; trial++) {
      const bytes = Uint8Array.from(gzipped);
      if (trial % 2 === 0) {
        const at = 2 + random.nextInt(bytes.length - 2);
        bytes[at] = (bytes[at] as number) ^ (1 + random.nextInt(255));
      }
      const file = write('fuzz.gz', trial % 2 === 0 ? bytes : bytes.subarray(0, random.nextInt(bytes.length)));
      try {
        const parsed = readIdxFile(file, IDX_IMAGES_MAGIC);
        expect(parsed.data.length).toBe(parsed.dims.reduce((a, b) => a * b, 1));
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(DataError);
        expect((error as DataError).path).toBe(file);
      }
    }
  });
});
