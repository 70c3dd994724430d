/**
 * Fashion-MNIST (Zalando): MNIST's format and sizes with ten kinds of clothing, a harder drop-in
 * replacement. Read from the official IDX files in a folder the user gives (--data-dir).
 */
import type { Dataset, LoadLimits } from './dataset';
import { IDX_FILE_NAMES, loadIdxDataset, type IdxDatasetSpec } from './idx_folder';

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions extends LoadLimits {
  /** The folder holding the four official IDX files (raw or .gz), or a clone of the official repository. */
  readonly dataDir: string;
}

/** Where the official files are published. */
export const FASHION_MNIST_URL = 'https://github.com/zalandoresearch/fashion-mnist';

/** The classes, label order, as in the official README. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
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
];

/** Where to get the files and how to pass them, for error messages. */
export const FASHION_MNIST_HOW_TO_OBTAIN =
  `Download ${Object.values(IDX_FILE_NAMES)
    .map((name) => `${name}.gz`)
    .join(', ')} from ${FASHION_MNIST_URL} (folder data/fashion) and pass their folder with --data-dir.`;

const SPEC: IdxDatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  classNames: FASHION_MNIST_CLASS_NAMES,
  // A clone of the official repository keeps the files in data/fashion.
  subfolders: ['data/fashion', 'fashion'],
  howToObtain: FASHION_MNIST_HOW_TO_OBTAIN,
};

/** Loads Fashion-MNIST from the official IDX files in `options.dataDir`. */
export function loadFashionMnist(options: FashionMnistOptions): Dataset {
  return loadIdxDataset(SPEC, options.dataDir, options);
}
