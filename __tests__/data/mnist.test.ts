import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { embeddedMnistFolder, loadMnist, MNIST_CLASS_NAMES } from '../../lib/data/mnist';
import { DataError } from '../../lib/errors';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('loadMnist', () => {
  it('loads the embedded files: 60,000 + 10,000 images of [28, 28, 1], first label 5', () => {
    const mnist = loadMnist();
    expect(mnist.name).toBe('mnist');
    expect(mnist.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(mnist.source).toBe(embeddedMnistFolder());
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.imageShape).toEqual([28, 28, 1]);
    expect(mnist.train.images.length).toBe(60000 * 784);
    expect(mnist.test.images.length).toBe(10000 * 784);
    expect(mnist.train.labels[0]).toBe(5);
    expect(mnist.test.labels[0]).toBe(7);
    let min = Infinity;
    let max = -Infinity;
    for (const value of mnist.test.images) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('keeps only the first images up to the limits', () => {
    const mnist = loadMnist({ trainLimit: 100, testLimit: 0 });
    expect(mnist.train.count).toBe(100);
    expect(mnist.train.images.length).toBe(100 * 784);
    expect(mnist.train.labels[0]).toBe(5);
    expect(mnist.test.count).toBe(0);
    expect(() => loadMnist({ trainLimit: -5 })).toThrow(/^mnist: trainLimit must be a non-negative integer, got -5$/);
    expect(MNIST_CLASS_NAMES).toHaveLength(10);
  });

  it('reads the same files from a given dataDir, and says which are missing there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-test-'));
    try {
      expect(() => loadMnist({ dataDir: dir })).toThrow(DataError);
      expect(() => loadMnist({ dataDir: dir })).toThrow(
        new RegExp(
          `^${escapeRegExp(dir)}: MNIST files missing: train-images-idx3-ubyte\\[\\.gz\\], train-labels-idx1-ubyte\\[\\.gz\\], ` +
            't10k-images-idx3-ubyte\\[\\.gz\\], t10k-labels-idx1-ubyte\\[\\.gz\\] not found .*--data-dir',
        ),
      );
      for (const name of fs.readdirSync(embeddedMnistFolder())) {
        fs.symlinkSync(path.join(embeddedMnistFolder(), name), path.join(dir, name));
      }
      const mnist = loadMnist({ dataDir: dir, trainLimit: 3, testLimit: 3 });
      expect(mnist.source).toBe(dir);
      expect(Array.from(mnist.train.labels)).toEqual([5, 0, 4]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
