/**
 * "Use your own images": a folder with one sub-folder per class, as Keras's
 * `image_dataset_from_directory` reads it. Sorted sub-folder names are the class names; every
 * PNG or JPEG inside (sub-folders included) is one example of that class.
 */
import * as path from 'path';
import { ConfigError, DataError } from '../errors';
import { Random } from '../random';
import {
  checkLimit,
  createImageSet,
  imageSize,
  shuffleSet,
  stratifiedSplit,
  take,
  type Dataset,
  type ImageShape,
  type LoadLimits,
} from './dataset';
import { isSymbolicLink, listFolder, pathKind, readBytes } from './files';
import { IMAGE_EXTENSIONS, checkImageShape, decodeImage, imageToInput } from './image';

export { loadImageFile } from './image';

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions extends LoadLimits {
  /** The folder holding one sub-folder of images per class. */
  readonly dataDir: string;
  /** `[height, width, channels]` every image is converted to; channels 1 (gray) or 3 (RGB). */
  readonly imageShape: ImageShape;
  /** The fraction of each class held out as the test set, in [0, 1); 0.2 by default. */
  readonly testSplit?: number;
  /**
   * Fixes which images are held out and the order of both sets; 0 by default, so that the test
   * images stay the same from run to run and never leak into training.
   */
  readonly seed?: number;
}

/** The default fraction of each class held out for testing. */
export const DEFAULT_TEST_SPLIT = 0.2;

/** Image formats users are likely to have that the decoders here do not read. */
const UNSUPPORTED_IMAGE_EXTENSIONS: readonly string[] = ['.gif', '.bmp', '.webp', '.tif', '.tiff', '.heic'];

const LAYOUT_HINT =
  'Expected one sub-folder per class holding its PNG or JPEG images, e.g. DIR/cat/1.png, DIR/dog/1.jpg.';

function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function extensionOf(name: string): string {
  return path.extname(name).toLowerCase();
}

/** Every image file under `folder`, sub-folders included, in sorted order. */
function collectImageFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of listFolder(folder)) {
    if (isHidden(name)) continue;
    const entry = path.join(folder, name);
    const kind = pathKind(entry);
    if (kind === 'folder') {
      // A linked folder could lead back to an ancestor and recurse for ever.
      if (!isSymbolicLink(entry)) files.push(...collectImageFiles(entry));
    } else if (kind === 'file') {
      const extension = extensionOf(name);
      if (IMAGE_EXTENSIONS.includes(extension)) files.push(entry);
      else if (UNSUPPORTED_IMAGE_EXTENSIONS.includes(extension)) {
        throw new DataError(entry, `${extension} images are not supported; convert them to PNG or JPEG`);
      }
    }
  }
  return files;
}

/** The class folders of `dataDir`, sorted, each with its image files. */
function findClasses(dataDir: string): { className: string; files: string[] }[] {
  const kind = pathKind(dataDir);
  if (kind !== 'folder') {
    throw new DataError(dataDir, `${kind === 'missing' ? 'folder not found' : 'is not a folder'}. ${LAYOUT_HINT}`);
  }
  const names = listFolder(dataDir).filter((name) => !isHidden(name));
  const classNames = names.filter((name) => pathKind(path.join(dataDir, name)) === 'folder');
  if (classNames.length < 2) {
    const looseImages = names.filter((name) => IMAGE_EXTENSIONS.includes(extensionOf(name))).length;
    const found =
      `found ${classNames.length} class sub-folder${classNames.length === 1 ? '' : 's'}` +
      (looseImages > 0 ? ` and ${looseImages} images directly in the folder` : '');
    throw new DataError(dataDir, `needs at least 2 class sub-folders, ${found}. ${LAYOUT_HINT}`);
  }
  return classNames.map((className) => {
    const classFolder = path.join(dataDir, className);
    const files = collectImageFiles(classFolder);
    if (files.length === 0) {
      const extensions = IMAGE_EXTENSIONS.join(', ');
      throw new DataError(classFolder, `class '${className}' has no PNG or JPEG images (${extensions})`);
    }
    return { className, files };
  });
}

function checkOptions(options: ImageFolderOptions): void {
  checkImageShape('folder', options.imageShape);
  const { testSplit } = options;
  if (testSplit !== undefined && !(Number.isFinite(testSplit) && testSplit >= 0 && testSplit < 1)) {
    throw new ConfigError('folder', 'testSplit', testSplit, 'a fraction in [0, 1)');
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new ConfigError('folder', 'seed', options.seed, 'an integer');
  }
  checkLimit('folder', 'trainLimit', options.trainLimit);
  checkLimit('folder', 'testLimit', options.testLimit);
}

/**
 * Loads a folder of class sub-folders, converts every image to `imageShape`, holds out a
 * stratified `testSplit` of each class, and shuffles both parts: images arrive class by class,
 * and a trainer that takes its validation split from the end would otherwise see one class only.
 */
export function loadImageFolder(options: ImageFolderOptions): Dataset {
  checkOptions(options);
  const { dataDir, imageShape } = options;
  const classes = findClasses(dataDir);
  const count = classes.reduce((sum, { files }) => sum + files.length, 0);
  const size = imageSize(imageShape);
  const images = new Float32Array(count * size);
  const labels = new Int32Array(count);
  let index = 0;
  classes.forEach(({ files }, label) => {
    for (const file of files) {
      images.set(imageToInput(decodeImage(readBytes(file), file), imageShape), index * size);
      labels[index] = label;
      index += 1;
    }
  });
  const all = createImageSet(images, labels, imageShape);

  const random = new Random(options.seed ?? 0);
  const { kept, heldOut } = stratifiedSplit(all, options.testSplit ?? DEFAULT_TEST_SPLIT, random.nextUint32());
  const train = shuffleSet(kept, random.nextUint32());
  const test = shuffleSet(heldOut, random.nextUint32());
  return {
    name: 'folder',
    classNames: classes.map(({ className }) => className),
    train: take(train, options.trainLimit),
    test: take(test, options.testLimit),
    source: dataDir,
  };
}
