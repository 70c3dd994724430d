import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_SIZE, loadCifar10 } from '../../lib/data/cifar10';
import { DataError } from '../../lib/errors';
import { Random } from '../../lib/random';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PLANE = 1024;

/** A record whose planes are filled with `fill` (R, G, B), with hand-set pixels 0 and 33. */
function record(label: number, fill: [number, number, number] = [0, 0, 0]): Buffer {
  const bytes = Buffer.alloc(CIFAR10_RECORD_SIZE);
  bytes[0] = label;
  fill.forEach((value, channel) => bytes.fill(value, 1 + channel * PLANE, 1 + (channel + 1) * PLANE));
  // Pixel 0 (row 0, column 0): R 255, G 51, B 0. Pixel 33 (row 1, column 1): R 102, G 204, B 255.
  bytes[1] = 255;
  bytes[1 + PLANE] = 51;
  bytes[1 + 2 * PLANE] = 0;
  bytes[1 + 33] = 102;
  bytes[1 + PLANE + 33] = 204;
  bytes[1 + 2 * PLANE + 33] = 255;
  return bytes;
}

/** Writes data_batch_1..5 with `perBatch` records each (labels 0, 1, 2, ... overall) and test_batch with 2. */
function writeCifar(folder: string, perBatch = 2, meta = true): void {
  fs.mkdirSync(folder, { recursive: true });
  let label = 0;
  for (let batch = 1; batch <= 5; batch++) {
    const records = Array.from({ length: perBatch }, () => record(label++ % 10));
    fs.writeFileSync(path.join(folder, `data_batch_${batch}.bin`), Buffer.concat(records));
  }
  fs.writeFileSync(path.join(folder, 'test_batch.bin'), Buffer.concat([record(9, [51, 102, 153]), record(4)]));
  if (meta) fs.writeFileSync(path.join(folder, 'batches.meta.txt'), `${CIFAR10_CLASS_NAMES.join('\n')}\n\n`);
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cifar-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('loadCifar10', () => {
  it('converts the R, G and B planes of each record to channels-last pixels', () => {
    writeCifar(root);
    const cifar = loadCifar10({ dataDir: root });
    expect(cifar.name).toBe('cifar10');
    expect(cifar.source).toBe(root);
    expect(cifar.train.count).toBe(10);
    expect(cifar.test.count).toBe(2);
    expect(cifar.train.imageShape).toEqual([32, 32, 3]);
    expect(cifar.train.images.length).toBe(10 * 3072);
    expect(Array.from(cifar.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const test = cifar.test.images;
    expect(Array.from(test.subarray(0, 3))).toEqual([1, 0.2, 0].map(Math.fround));
    expect(Array.from(test.subarray(33 * 3, 33 * 3 + 3))).toEqual([0.4, 0.8, 1].map(Math.fround));
    expect(Array.from(test.subarray(2 * 3, 2 * 3 + 3))).toEqual([0.2, 0.4, 0.6].map(Math.fround));
    expect(Array.from(test.subarray(3072, 3072 + 3))).toEqual([1, 0.2, 0].map(Math.fround));
    expect(Array.from(cifar.test.labels)).toEqual([9, 4]);
  });

  it('finds cifar-10-batches-bin inside the given folder and reads the class names from the meta file', () => {
    const inner = path.join(root, 'cifar-10-batches-bin');
    writeCifar(inner);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    fs.writeFileSync(path.join(inner, 'batches.meta.txt'), names.join('\r\n'));
    const cifar = loadCifar10({ dataDir: root });
    expect(cifar.source).toBe(inner);
    expect(cifar.classNames).toEqual(names);
  });

  it('uses the standard class names without a meta file and rejects a malformed one', () => {
    writeCifar(root, 1, false);
    expect(loadCifar10({ dataDir: root }).classNames).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
    const meta = path.join(root, 'batches.meta.txt');
    fs.writeFileSync(meta, 'cat\ndog\n');
    expect(() => loadCifar10({ dataDir: root })).toThrow(
      new RegExp(`^${escapeRegExp(meta)}: expected 10 class names, one a line, found 2$`),
    );
  });

  it('reads batches in order only as far as the limits need', () => {
    writeCifar(root, 2);
    // Batches 4 and 5 are not even read: a damaged one would go unnoticed.
    fs.writeFileSync(path.join(root, 'data_batch_5.bin'), Buffer.alloc(10));
    const cifar = loadCifar10({ dataDir: root, trainLimit: 5, testLimit: 1 });
    expect(cifar.train.count).toBe(5);
    expect(cifar.train.images.length).toBe(5 * 3072);
    expect(Array.from(cifar.train.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(cifar.test.labels)).toEqual([9]);
    expect(() => loadCifar10({ dataDir: root, testLimit: 1.5 })).toThrow(/testLimit must be a non-negative integer/);
  });

  it('names the missing files, the folder and where to get the binary version', () => {
    writeCifar(root);
    fs.rmSync(path.join(root, 'data_batch_3.bin'));
    fs.rmSync(path.join(root, 'test_batch.bin'));
    expect(() => loadCifar10({ dataDir: root })).toThrow(
      new RegExp(
        `^${escapeRegExp(root)}: CIFAR-10 files missing: data_batch_3\\.bin, test_batch\\.bin not found ` +
          '\\(expected data_batch_1\\.bin, .*, test_batch\\.bin and optionally batches\\.meta\\.txt.*\\)\\. ' +
          'Download the "CIFAR-10 binary version" .*https://www\\.cs\\.toronto\\.edu/~kriz/cifar\\.html.*--data-dir\\.$',
      ),
    );
    const absent = path.join(root, 'nope');
    expect(() => loadCifar10({ dataDir: absent })).toThrow(new RegExp(`^${escapeRegExp(absent)}: folder not found;`));
  });

  it('rejects a file whose size is not a multiple of 3073, an empty file and labels over 9', () => {
    writeCifar(root);
    const batch = path.join(root, 'data_batch_2.bin');
    fs.writeFileSync(batch, Buffer.concat([record(1), Buffer.alloc(100)]));
    expect(() => loadCifar10({ dataDir: root })).toThrow(
      new RegExp(`^${escapeRegExp(batch)}: size 3,173 bytes is not a multiple of 3073 .*truncated`),
    );
    fs.writeFileSync(batch, Buffer.alloc(0));
    expect(() => loadCifar10({ dataDir: root })).toThrow(new RegExp(`^${escapeRegExp(batch)}: empty file`));
    fs.writeFileSync(batch, Buffer.concat([record(1), record(57)]));
    expect(() => loadCifar10({ dataDir: root })).toThrow(
      new RegExp(`^${escapeRegExp(batch)}: record 1 has label 57, expected 0\\.\\.9 \\(is this the CIFAR-100 version\\?`),
    );
  });

  it('turns random or truncated batch files into DataErrors, never wrong-sized arrays', () => {
    writeCifar(root, 1);
    const random = new Random(31337);
    const test = path.join(root, 'test_batch.bin');
    const original = fs.readFileSync(test);
    let errors = 0;
    for (let trial = 0; trial < 40; trial++) {
      const length = trial % 4 === 0 ? CIFAR10_RECORD_SIZE * (1 + random.nextInt(2)) : random.nextInt(original.length * 2);
      const bytes = trial % 2 === 0 ? Buffer.from(Uint8Array.from({ length }, () => random.nextInt(256))) : original.subarray(0, length % original.length);
      fs.writeFileSync(test, bytes);
      try {
        const cifar = loadCifar10({ dataDir: root });
        expect(cifar.test.images.length).toBe(cifar.test.count * 3072);
        expect(cifar.test.count * CIFAR10_RECORD_SIZE).toBe(bytes.length);
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(DataError);
        expect((error as DataError).path).toBe(test);
        errors += 1;
      }
    }
    expect(errors).toBeGreaterThan(20);
  });
});
