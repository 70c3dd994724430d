import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { DATASETS, DATASET_NAMES, datasetInfo, isDatasetName, loadDataset, type DatasetName } from '../../lib/data';
import { ConfigError, DataError } from '../../lib/errors';

describe('the list of data sets', () => {
  it('gives each data set its input shape and class count', () => {
    expect(DATASET_NAMES).toEqual(['mnist', 'fashion-mnist', 'cifar10', 'folder']);
    const summary = DATASETS.map(({ name, inputShape, classCount, needsDataDir }) => [name, inputShape, classCount, needsDataDir]);
    expect(summary).toEqual([
      ['mnist', [28, 28, 1], 10, false],
      ['fashion-mnist', [28, 28, 1], 10, true],
      ['cifar10', [32, 32, 3], 10, true],
      ['folder', undefined, undefined, true],
    ]);
    expect(datasetInfo('cifar10').dataDirHint).toMatch(/https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar\.html/);
    expect(isDatasetName('mnist')).toBe(true);
    expect(isDatasetName('imagenet')).toBe(false);
  });
});

describe('loadDataset', () => {
  it('loads the embedded MNIST with limits', () => {
    const mnist = loadDataset('mnist', { trainLimit: 10, testLimit: 5 });
    expect([mnist.train.count, mnist.test.count]).toEqual([10, 5]);
    expect(mnist.train.imageShape).toEqual(datasetInfo('mnist').inputShape);
  });

  it('asks for --data-dir, saying what it must hold and where to get it', () => {
    expect(() => loadDataset('fashion-mnist')).toThrow(ConfigError);
    expect(() => loadDataset('fashion-mnist')).toThrow(
      /^data set 'fashion-mnist': --data-dir must be the folder holding the official Fashion-MNIST IDX files .*https:\/\/github\.com\/zalandoresearch\/fashion-mnist, got undefined$/,
    );
    expect(() => loadDataset('cifar10', { dataDir: '' })).toThrow(
      /^data set 'cifar10': --data-dir must be the cifar-10-batches-bin folder .*https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar\.html, got undefined$/,
    );
    expect(() => loadDataset('folder')).toThrow(/^data set 'folder': --data-dir must be a folder with one sub-folder/);
  });

  it('passes a missing folder on as a DataError', () => {
    const absent = path.join(os.tmpdir(), 'no-such-cifar-folder-for-tests');
    expect(() => loadDataset('cifar10', { dataDir: absent })).toThrow(DataError);
  });

  it('needs an image shape for a folder and loads it with the default split', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'index-test-'));
    try {
      for (const className of ['no', 'yes']) {
        for (let i = 0; i < 5; i++) {
          fs.mkdirSync(path.join(root, className), { recursive: true });
          fs.writeFileSync(path.join(root, className, `${i}.png`), PNG.sync.write(new PNG({ width: 3, height: 3 })));
        }
      }
      expect(() => loadDataset('folder', { dataDir: root })).toThrow(/^data set 'folder': imageShape must be \[height, width, channels\]/);
      const data = loadDataset('folder', { dataDir: root, imageShape: [2, 2, 3], seed: 1 });
      expect(data.classNames).toEqual(['no', 'yes']);
      expect([data.train.count, data.test.count]).toEqual([8, 2]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects an unknown name', () => {
    expect(() => loadDataset('imagenet' as DatasetName)).toThrow(
      /^loadDataset: name must be 'mnist', 'fashion-mnist', 'cifar10' or 'folder', got 'imagenet'$/,
    );
  });
});
