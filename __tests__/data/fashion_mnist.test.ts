import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from '../../lib/data/fashion_mnist';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../lib/data/idx';
import { DataError } from '../../lib/errors';
import { Random } from '../../lib/random';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function idxBytes(magic: number, dims: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, axis) => header.writeUInt32BE(dim, 4 + 4 * axis));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

/** Image i is filled with byte 51 * i, so its scaled value is 0.2 * i. */
function writeSplit(folder: string, prefix: 'train' | 't10k', labels: number[], gzip: boolean): void {
  const pixels = new Uint8Array(labels.length * 784);
  labels.forEach((_, i) => pixels.fill(51 * i, i * 784, (i + 1) * 784));
  const encode = (bytes: Buffer): Buffer => (gzip ? zlib.gzipSync(bytes) : bytes);
  const suffix = gzip ? '.gz' : '';
  fs.writeFileSync(
    path.join(folder, `${prefix}-images-idx3-ubyte${suffix}`),
    encode(idxBytes(IDX_IMAGES_MAGIC, [labels.length, 28, 28], pixels)),
  );
  fs.writeFileSync(
    path.join(folder, `${prefix}-labels-idx1-ubyte${suffix}`),
    encode(idxBytes(IDX_LABELS_MAGIC, [labels.length], labels)),
  );
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('loadFashionMnist', () => {
  it('loads the four gzipped files with the official class names', () => {
    writeSplit(root, 'train', [9, 0, 3], true);
    writeSplit(root, 't10k', [8, 1], true);
    const fashion = loadFashionMnist({ dataDir: root });
    expect(fashion.name).toBe('fashion-mnist');
    expect(fashion.classNames).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
    expect(FASHION_MNIST_CLASS_NAMES).toEqual(fashion.classNames);
    expect(fashion.train.imageShape).toEqual([28, 28, 1]);
    expect(fashion.train.count).toBe(3);
    expect(fashion.test.count).toBe(2);
    expect(Array.from(fashion.train.labels)).toEqual([9, 0, 3]);
    expect(Array.from(fashion.test.labels)).toEqual([8, 1]);
    expect(fashion.train.images[784 * 1]).toBe(Math.fround(0.2));
    expect(fashion.train.images[784 * 3 - 1]).toBe(Math.fround(0.4));
    expect(fashion.test.images[784 * 2 - 1]).toBe(Math.fround(0.2));
  });

  it('loads raw files, files in data/fashion of a repository clone, and applies limits', () => {
    const inClone = path.join(root, 'data', 'fashion');
    fs.mkdirSync(inClone, { recursive: true });
    writeSplit(inClone, 'train', [1, 2, 3, 4], false);
    writeSplit(inClone, 't10k', [5, 6], false);
    const fashion = loadFashionMnist({ dataDir: root, trainLimit: 2, testLimit: 1 });
    expect(fashion.source).toBe(inClone);
    expect(Array.from(fashion.train.labels)).toEqual([1, 2]);
    expect(fashion.train.images.length).toBe(2 * 784);
    expect(Array.from(fashion.test.labels)).toEqual([5]);
  });

  it('names the missing files, the folder and where to download them', () => {
    writeSplit(root, 'train', [1], true);
    expect(() => loadFashionMnist({ dataDir: root })).toThrow(
      new RegExp(
        `^${escapeRegExp(root)}: Fashion-MNIST files missing: t10k-images-idx3-ubyte\\[\\.gz\\], ` +
          't10k-labels-idx1-ubyte\\[\\.gz\\] not found \\(expected train-images-idx3-ubyte\\[\\.gz\\], .* in this folder\\)\\. ' +
          'Download .* from https://github\\.com/zalandoresearch/fashion-mnist .*--data-dir\\.$',
      ),
    );
    const absent = path.join(root, 'absent');
    expect(() => loadFashionMnist({ dataDir: absent })).toThrow(
      new RegExp(`^${escapeRegExp(absent)}: folder not found; .*zalandoresearch/fashion-mnist.*--data-dir`),
    );
  });

  it('rejects images that are not 28 x 28, naming the file', () => {
    fs.writeFileSync(
      path.join(root, 'train-images-idx3-ubyte'),
      idxBytes(IDX_IMAGES_MAGIC, [1, 32, 32], new Uint8Array(1024)),
    );
    fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [1], [0]));
    writeSplit(root, 't10k', [0], false);
    expect(() => loadFashionMnist({ dataDir: root })).toThrow(/train-images-idx3-ubyte: images are 32 x 32, expected 28 x 28$/);
  });

  it('turns truncated or damaged files into DataErrors, never wrong-sized arrays', () => {
    writeSplit(root, 'train', [1, 2], true);
    writeSplit(root, 't10k', [3], true);
    const random = new Random(99);
    const names = fs.readdirSync(root);
    const originals = new Map(names.map((name) => [name, fs.readFileSync(path.join(root, name))]));
    for (let trial = 0; trial < 40; trial++) {
      const name = names[random.nextInt(names.length)] as string;
      const original = originals.get(name) as Buffer;
      const damaged = Buffer.from(original);
      if (trial % 2 === 0) {
        const at = random.nextInt(damaged.length);
        damaged[at] = (damaged[at] as number) ^ (1 + random.nextInt(255));
      }
      fs.writeFileSync(path.join(root, name), trial % 2 === 0 ? damaged : damaged.subarray(0, random.nextInt(damaged.length)));
      try {
        const fashion = loadFashionMnist({ dataDir: root });
        expect(fashion.train.images.length).toBe(fashion.train.count * 784);
        expect(fashion.test.images.length).toBe(fashion.test.count * 784);
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(DataError);
        expect((error as DataError).path).toBe(path.join(root, name));
      }
      fs.writeFileSync(path.join(root, name), original);
    }
  });
});
