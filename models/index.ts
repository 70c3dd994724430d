/** The model zoo: every course model by its command-line name. */
import type { FunctionalModel } from '../lib';
import { baseline } from './baseline';
import { lectureConv } from './lecture_conv';
import { lectureDense } from './lecture_dense';
import { lecturePool } from './lecture_pool';
import { lenet5 } from './lenet5';
import { mnistCnn } from './mnist_cnn';
import { vggCifar } from './vgg_cifar';
import type { ZooOptions } from './zoo_options';

export type { ZooOptions };
export { baseline, lectureConv, lectureDense, lecturePool, lenet5, mnistCnn, vggCifar };

/** The data sets a zoo model is meant for; the first is its default. */
export type ZooDataset = 'mnist' | 'fashion-mnist' | 'cifar10';

export interface ZooEntry {
  /** The builder, e.g. `lenet5`. */
  readonly build: (options?: ZooOptions) => FunctionalModel;
  /** The data set it trains on when none is named. */
  readonly defaultDataset: ZooDataset;
  /** Epochs of the course's run. */
  readonly epochs: number;
  /** The optimiser the course trains it with (Keras's default, rmsprop, where the course names none). */
  readonly optimizer: 'rmsprop' | 'adam';
  /** The course's training-time augmentation, if any (a preset of `lib/data/augment.ts`). */
  readonly augment?: 'vgg-cifar10';
  /** One line for listings. */
  readonly description: string;
}

const ZOO_ENTRIES = {
  lenet5: { build: lenet5, defaultDataset: 'mnist', epochs: 10, optimizer: 'rmsprop', description: 'LeNet-5, the Keras course version (swish)' },
  baseline: { build: baseline, defaultDataset: 'fashion-mnist', epochs: 10, optimizer: 'adam', description: 'three stride-2 convolutions, the PyTorch course baseline' },
  'vgg-cifar': { build: vggCifar, defaultDataset: 'cifar10', epochs: 30, optimizer: 'adam', augment: 'vgg-cifar10', description: 'VGG-style CIFAR-10 net with BatchNormalization' },
  'mnist-cnn': { build: mnistCnn, defaultDataset: 'mnist', epochs: 5, optimizer: 'adam', description: 'the PyTorch course MNIST CNN' },
  'lecture-dense': { optimizer: 'rmsprop', build: lectureDense, defaultDataset: 'mnist', epochs: 5, description: 'lecture step 1: Flatten and two Dense layers' },
  'lecture-conv': { optimizer: 'rmsprop', build: lectureConv, defaultDataset: 'mnist', epochs: 5, description: 'lecture step 2: two convolutions, no pooling' },
  'lecture-pool': { optimizer: 'rmsprop', build: lecturePool, defaultDataset: 'mnist', epochs: 5, description: 'lecture step 3: convolutions with pooling (9,532 params)' },
} as const satisfies Record<string, ZooEntry>;

export type ZooName = keyof typeof ZOO_ENTRIES;
export const ZOO: Readonly<Record<ZooName, ZooEntry>> = ZOO_ENTRIES;
export const ZOO_NAMES = Object.keys(ZOO) as ZooName[];

export function isZooName(name: string): name is ZooName {
  return Object.prototype.hasOwnProperty.call(ZOO, name);
}
