/**
 * A data set stored as the four IDX files of MNIST's layout (training and test images and
 * labels), as MNIST and Fashion-MNIST both are.
 */
import * as path from 'path';
import { DataError } from '../errors';
import { checkLimit, type Dataset, type LoadLimits } from './dataset';
import { pathKind } from './files';
import { findIdxFile, loadIdxImageSet } from './idx';

/** The base names of the four files, without `.gz`. */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** What distinguishes one IDX data set from another. */
export interface IdxDatasetSpec {
  /** The data set's name, e.g. `fashion-mnist`. */
  readonly name: string;
  /** Its name in messages, e.g. `Fashion-MNIST`. */
  readonly title: string;
  /** The class names, label order. */
  readonly classNames: readonly string[];
  /** Sub-folders of the given folder searched as well, e.g. `data/fashion` in a clone of the official repository. */
  readonly subfolders: readonly string[];
  /** A sentence saying where the files come from and how to pass them, for error messages. */
  readonly howToObtain: string;
}

const IMAGE_SIZE = [28, 28] as const;

type FileRole = keyof typeof IDX_FILE_NAMES;
const ROLES = Object.keys(IDX_FILE_NAMES) as FileRole[];

function expectedFilesLine(): string {
  return ROLES.map((role) => `${IDX_FILE_NAMES[role]}[.gz]`).join(', ');
}

/** The four files in `folder`, or the base names of those missing. */
function locateFiles(folder: string): { found: Partial<Record<FileRole, string>>; missing: string[] } {
  const found: Partial<Record<FileRole, string>> = {};
  const missing: string[] = [];
  for (const role of ROLES) {
    const file = findIdxFile(folder, IDX_FILE_NAMES[role]);
    if (file === undefined) missing.push(IDX_FILE_NAMES[role]);
    else found[role] = file;
  }
  return { found, missing };
}

/** Loads the four IDX files of `spec` from `folder` (or one of its `spec.subfolders`). */
export function loadIdxDataset(spec: IdxDatasetSpec, folder: string, limits: LoadLimits = {}): Dataset {
  checkLimit(spec.name, 'trainLimit', limits.trainLimit);
  checkLimit(spec.name, 'testLimit', limits.testLimit);
  const kind = pathKind(folder);
  if (kind !== 'folder') {
    const what = kind === 'missing' ? 'folder not found' : 'is not a folder';
    throw new DataError(folder, `${what}; expected the folder holding the ${spec.title} files. ${spec.howToObtain}`);
  }
  const candidates = [folder, ...spec.subfolders.map((sub) => path.join(folder, sub))];
  const searches = candidates.map((candidate) => ({ candidate, ...locateFiles(candidate) }));
  const complete = searches.find((search) => search.missing.length === 0);
  if (complete === undefined) {
    const best = searches.reduce((a, b) => (b.missing.length < a.missing.length ? b : a));
    throw new DataError(
      best.candidate,
      `${spec.title} files missing: ${best.missing.map((name) => `${name}[.gz]`).join(', ')} not found ` +
        `(expected ${expectedFilesLine()} in this folder). ${spec.howToObtain}`,
    );
  }
  const files = complete.found as Record<FileRole, string>;
  const classes = spec.classNames.length;
  const train = loadIdxImageSet({
    imagesPath: files.trainImages,
    labelsPath: files.trainLabels,
    classes,
    imageSize: IMAGE_SIZE,
    limit: limits.trainLimit,
  });
  const test = loadIdxImageSet({
    imagesPath: files.testImages,
    labelsPath: files.testLabels,
    classes,
    imageSize: IMAGE_SIZE,
    limit: limits.testLimit,
  });
  return { name: spec.name, classNames: [...spec.classNames], train, test, source: complete.candidate };
}
