/**
 * CIFAR-10, 60,000 colour images of 32 x 32 in ten classes, from the official binary version
 * (`cifar-10-batches-bin`). Each record is one label byte and 3,072 pixel bytes stored plane by
 * plane (all red, all green, all blue, each 32 x 32 row-major); they are turned channels-last here.
 */
import * as path from 'path';
import { DataError } from '../errors';
import { withThousands } from '../format';
import { checkLimit, createImageSet, unitOfByte, type Dataset, type ImageSet, type LoadLimits } from './dataset';
import { fileSize, pathKind, readBytes } from './files';

/** Options of {@link loadCifar10}. */
export interface Cifar10Options extends LoadLimits {
  /** The `cifar-10-batches-bin` folder, or the folder it was unpacked in. */
  readonly dataDir: string;
}

/** Where the official files are published. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar.html';

/** The classes, label order, as in `batches.meta.txt`. */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
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
];

/** The folder the official archive unpacks to. */
export const CIFAR10_FOLDER_NAME = 'cifar-10-batches-bin';
/** The training files, in order. */
export const CIFAR10_TRAIN_FILES: readonly string[] = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);
/** The test file. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** The class-name file; optional, the standard names are used without it. */
export const CIFAR10_META_FILE = 'batches.meta.txt';

const SIDE = 32;
const CHANNELS = 3;
const PLANE_SIZE = SIDE * SIDE;
const PIXEL_BYTES = PLANE_SIZE * CHANNELS;
/** Bytes per record: one label byte and the pixels. */
export const CIFAR10_RECORD_SIZE = 1 + PIXEL_BYTES;

const HOW_TO_OBTAIN =
  `Download the "CIFAR-10 binary version" (cifar-10-binary.tar.gz) from ${CIFAR10_URL}, unpack it ` +
  `and pass the ${CIFAR10_FOLDER_NAME} folder (or the folder holding it) with --data-dir.`;

function requiredFiles(): string[] {
  return [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
}

/** The folder holding the batches: `dataDir` itself or its `cifar-10-batches-bin`. */
function locateFolder(dataDir: string): string {
  const kind = pathKind(dataDir);
  if (kind !== 'folder') {
    const what = kind === 'missing' ? 'folder not found' : 'is not a folder';
    throw new DataError(dataDir, `${what}; expected the CIFAR-10 binary files. ${HOW_TO_OBTAIN}`);
  }
  const candidates = [dataDir, path.join(dataDir, CIFAR10_FOLDER_NAME)];
  const searches = candidates.map((folder) => ({
    folder,
    missing: requiredFiles().filter((name) => pathKind(path.join(folder, name)) !== 'file'),
  }));
  const complete = searches.find((search) => search.missing.length === 0);
  if (complete !== undefined) return complete.folder;
  const best = searches.reduce((a, b) => (b.missing.length < a.missing.length ? b : a));
  throw new DataError(
    best.folder,
    `CIFAR-10 files missing: ${best.missing.join(', ')} not found (expected ${requiredFiles().join(', ')} ` +
      `and optionally ${CIFAR10_META_FILE} in this folder or in its ${CIFAR10_FOLDER_NAME}). ${HOW_TO_OBTAIN}`,
  );
}

/** The class names from `batches.meta.txt`, or the standard ones when the file is absent. */
function readClassNames(folder: string): string[] {
  const metaPath = path.join(folder, CIFAR10_META_FILE);
  if (pathKind(metaPath) === 'missing') return [...CIFAR10_CLASS_NAMES];
  const names = readBytes(metaPath)
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== CIFAR10_CLASS_NAMES.length) {
    throw new DataError(
      metaPath,
      `expected ${CIFAR10_CLASS_NAMES.length} class names, one a line, found ${names.length}`,
    );
  }
  return names;
}

/** Checks a batch file's size and returns how many records it holds. */
function recordCount(byteCount: number, filePath: string): number {
  if (byteCount === 0) throw new DataError(filePath, 'empty file, expected CIFAR-10 records');
  if (byteCount % CIFAR10_RECORD_SIZE !== 0) {
    throw new DataError(
      filePath,
      `size ${withThousands(byteCount)} bytes is not a multiple of ${CIFAR10_RECORD_SIZE} ` +
        `(1 label byte + 3,072 pixel bytes per image): truncated or not a CIFAR-10 binary batch`,
    );
  }
  return byteCount / CIFAR10_RECORD_SIZE;
}

/**
 * Decodes CIFAR-10 records into `images`/`labels` from image `start`, at most `limit` of them;
 * returns how many were decoded.
 */
function decodeRecords(
  bytes: Uint8Array,
  filePath: string,
  target: { images: Float32Array; labels: Int32Array; start: number; limit: number },
): number {
  const count = Math.min(recordCount(bytes.length, filePath), target.limit);
  for (let record = 0; record < count; record++) {
    const recordStart = record * CIFAR10_RECORD_SIZE;
    const label = bytes[recordStart] as number;
    if (label >= CIFAR10_CLASS_NAMES.length) {
      throw new DataError(
        filePath,
        `record ${record} has label ${label}, expected 0..9 (is this the CIFAR-100 version? ` +
          'its records are 3,074 bytes)',
      );
    }
    target.labels[target.start + record] = label;
    const pixelStart = recordStart + 1;
    const imageStart = (target.start + record) * PIXEL_BYTES;
    for (let pixel = 0; pixel < PLANE_SIZE; pixel++) {
      for (let channel = 0; channel < CHANNELS; channel++) {
        target.images[imageStart + pixel * CHANNELS + channel] = unitOfByte(
          bytes[pixelStart + channel * PLANE_SIZE + pixel] as number,
        );
      }
    }
  }
  return count;
}

/**
 * Reads batch files in order until `limit` images are read (all when undefined). The sizes are
 * checked first so that the result is allocated once and only one file is in memory at a time.
 */
function loadBatches(files: readonly string[], limit: number | undefined): ImageSet {
  const needed: { filePath: string; records: number }[] = [];
  let available = 0;
  for (const filePath of files) {
    if (limit !== undefined && available >= limit) break;
    const records = recordCount(fileSize(filePath), filePath);
    available += records;
    needed.push({ filePath, records });
  }
  const count = Math.min(available, limit ?? available);
  const images = new Float32Array(count * PIXEL_BYTES);
  const labels = new Int32Array(count);
  let start = 0;
  for (const { filePath, records } of needed) {
    const bytes = readBytes(filePath);
    // A file that shrank since its size was taken would leave images unset, zero and mislabelled.
    if (bytes.length !== records * CIFAR10_RECORD_SIZE) {
      const sizes = `${withThousands(records * CIFAR10_RECORD_SIZE)} bytes expected, ${withThousands(bytes.length)} read`;
      throw new DataError(filePath, `changed while loading: ${sizes}`);
    }
    start += decodeRecords(bytes, filePath, { images, labels, start, limit: count - start });
  }
  return createImageSet(images, labels, [SIDE, SIDE, CHANNELS]);
}

/** Loads CIFAR-10 from the official binary files in `options.dataDir`. */
export function loadCifar10(options: Cifar10Options): Dataset {
  checkLimit('cifar10', 'trainLimit', options.trainLimit);
  checkLimit('cifar10', 'testLimit', options.testLimit);
  const folder = locateFolder(options.dataDir);
  const classNames = readClassNames(folder);
  const train = loadBatches(
    CIFAR10_TRAIN_FILES.map((name) => path.join(folder, name)),
    options.trainLimit,
  );
  const test = loadBatches([path.join(folder, CIFAR10_TEST_FILE)], options.testLimit);
  return { name: 'cifar10', classNames, train, test, source: folder };
}
