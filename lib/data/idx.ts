/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * number (two zero bytes, a type code, the number of dimensions), one big-endian uint32 per
 * dimension, then the values. Only unsigned bytes (type 0x08) occur in these data sets.
 */
import * as path from 'path';
import { DataError } from '../errors';
import { withThousands } from '../format';
import { createImageSet, imageSize, scaleBytesInto, type ImageSet } from './dataset';
import { pathKind, readMaybeGzipped } from './files';

/** Magic number of a label file: unsigned bytes, one dimension. */
export const IDX_LABELS_MAGIC = 0x00000801;
/** Magic number of an image file: unsigned bytes, three dimensions (count, height, width). */
export const IDX_IMAGES_MAGIC = 0x00000803;

/** A parsed IDX file. */
export interface IdxArray {
  /** The dimensions from the header, e.g. `[60000, 28, 28]`. */
  readonly dims: readonly number[];
  /** The values, `product(dims)` bytes, row-major. */
  readonly data: Uint8Array;
}

/** Options of {@link loadIdxImageSet}. */
export interface IdxImageSetOptions {
  /** The image file (`*-images-idx3-ubyte`, raw or gzipped). */
  readonly imagesPath: string;
  /** The label file (`*-labels-idx1-ubyte`, raw or gzipped). */
  readonly labelsPath: string;
  /** The number of classes; a label outside [0, classes) is an error. */
  readonly classes: number;
  /** The `[height, width]` every image must have, e.g. `[28, 28]`. */
  readonly imageSize: readonly [height: number, width: number];
  /** Keep only the first this many images; all by default. */
  readonly limit?: number;
}

const UBYTE_TYPE = 0x08;

function hex(magic: number): string {
  return `0x${magic.toString(16).padStart(8, '0')}`;
}

function describeMagic(magic: number): string {
  if (magic === IDX_LABELS_MAGIC) return 'an IDX label file';
  if (magic === IDX_IMAGES_MAGIC) return 'an IDX image file';
  return 'an IDX file of unsigned bytes';
}

/** What is wrong with a magic number, with the likely cause when one can be told. */
function describeMagicMismatch(magic: number, expectedMagic: number): string {
  const numbers = `magic number ${hex(magic)}, expected ${hex(expectedMagic)}`;
  if (magic === IDX_LABELS_MAGIC || magic === IDX_IMAGES_MAGIC) {
    return `${numbers} (this is ${describeMagic(magic)}; are the image and label files swapped?)`;
  }
  const typeCode = (magic >>> 8) & 0xff;
  if (magic >>> 16 === 0 && typeCode !== UBYTE_TYPE) {
    const code = `0x${typeCode.toString(16).padStart(2, '0')}`;
    return `${numbers} (type code ${code}; only unsigned bytes, 0x08, are supported)`;
  }
  return numbers;
}

/**
 * Parses IDX bytes, checking the magic number and that the size matches the header exactly.
 * `filePath` only names the file in errors.
 */
export function parseIdx(bytes: Uint8Array, filePath: string, expectedMagic: number): IdxArray {
  const expectedRank = expectedMagic & 0xff;
  const headerSize = 4 + 4 * expectedRank;
  if (bytes.length < 4) {
    throw new DataError(filePath, `truncated: ${bytes.length} bytes, shorter than an IDX magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const mismatch = describeMagicMismatch(magic, expectedMagic);
    throw new DataError(filePath, `not ${describeMagic(expectedMagic)}: ${mismatch}`);
  }
  if (bytes.length < headerSize) {
    throw new DataError(
      filePath,
      `truncated: ${bytes.length} bytes, shorter than the ${headerSize}-byte header of ` +
        describeMagic(expectedMagic),
    );
  }
  const dims: number[] = [];
  for (let axis = 0; axis < expectedRank; axis++) {
    const dim = view.getUint32(4 + 4 * axis, false);
    if (dim === 0) throw new DataError(filePath, `the header gives dimension ${axis} as 0`);
    dims.push(dim);
  }
  const expectedBytes = headerSize + dims.reduce((product, dim) => product * dim, 1);
  if (bytes.length !== expectedBytes) {
    const problem =
      bytes.length < expectedBytes ? 'truncated' : `${withThousands(bytes.length - expectedBytes)} bytes too many`;
    throw new DataError(
      filePath,
      `size mismatch (${problem}): the header's ${dims.join(' x ')} needs ${withThousands(expectedBytes)} bytes, ` +
        `the data has ${withThousands(bytes.length)} bytes`,
    );
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Reads and parses an IDX file, raw or gzipped (detected by its first bytes, not its name). */
export function readIdxFile(filePath: string, expectedMagic: number): IdxArray {
  return parseIdx(readMaybeGzipped(filePath), filePath, expectedMagic);
}

/**
 * Reads a pair of IDX image and label files into an image set of [height, width, 1] images
 * scaled to [0, 1], checking that they agree.
 */
export function loadIdxImageSet(options: IdxImageSetOptions): ImageSet {
  const { imagesPath, labelsPath, classes } = options;
  const images = readIdxFile(imagesPath, IDX_IMAGES_MAGIC);
  const labels = readIdxFile(labelsPath, IDX_LABELS_MAGIC);
  const [imageCount, height, width] = images.dims as [number, number, number];
  const [labelCount] = labels.dims as [number];
  const [wantedHeight, wantedWidth] = options.imageSize;
  if (height !== wantedHeight || width !== wantedWidth) {
    throw new DataError(imagesPath, `images are ${height} x ${width}, expected ${wantedHeight} x ${wantedWidth}`);
  }
  if (imageCount !== labelCount) {
    throw new DataError(
      imagesPath,
      `holds ${withThousands(imageCount)} images but ${labelsPath} holds ${withThousands(labelCount)} labels`,
    );
  }
  const count = Math.min(imageCount, options.limit ?? imageCount);
  const labelArray = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i] as number;
    if (label >= classes) {
      throw new DataError(labelsPath, `label ${label} of image ${i} is not a class index in 0..${classes - 1}`);
    }
    labelArray[i] = label;
  }
  const imageShape = [height, width, 1] as const;
  const pixels = new Float32Array(count * imageSize(imageShape));
  scaleBytesInto(images.data.subarray(0, pixels.length), pixels);
  return createImageSet(pixels, labelArray, imageShape);
}

/**
 * The path of an IDX file named `baseName` in `folder`, as distributed (`name.gz`) or unpacked
 * (`name`, or `train-images.idx3-ubyte`, the name some unpackers produce); undefined if none.
 */
export function findIdxFile(folder: string, baseName: string): string | undefined {
  const dotted = baseName.replace(/-(idx\d-ubyte)$/, '.$1');
  for (const name of [baseName, `${baseName}.gz`, dotted, `${dotted}.gz`]) {
    const candidate = path.join(folder, name);
    if (pathKind(candidate) === 'file') return candidate;
  }
  return undefined;
}
