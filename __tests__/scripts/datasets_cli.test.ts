/**
 * The zoo's npm scripts on their own data sets, given --data-dir: tiny files in each official
 * format, written here, trained through the built CLI.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { PNG } from 'pngjs';

const root = join(__dirname, '..', '..');

function train(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'train.js'), ...args, '--epochs', '1', '--backend', 'wasm'], {
    cwd: root,
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function idx(magic: number, dims: number[], body: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(body)]);
}

function bytes(count: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (i * 37 + seed * 11) % 256);
}

describe('zoo scripts on their data sets', () => {
  it('baseline trains on Fashion-MNIST IDX files (.gz)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fashion-'));
    for (const [prefix, n] of [['train', 64], ['t10k', 32]] as const) {
      writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(idx(0x803, [n, 28, 28], bytes(n * 784, n))));
      writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(idx(0x801, [n], Uint8Array.from({ length: n }, (_, i) => i % 10))));
    }
    const out = join(dir, 'run');
    const { stdout, stderr, status } = train(['baseline', '--dataset', 'fashion-mnist', '--data-dir', dir, '--out', out]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('data: fashion-mnist, 64 training and 32 test images of [28,28,1]');
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).classNames).toEqual(
      ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    );
  });

  it('baseline on CIFAR-10 trains on the binary version', () => {
    const parent = mkdtempSync(join(tmpdir(), 'cifar-'));
    const dir = join(parent, 'cifar-10-batches-bin');
    mkdirSync(dir);
    const records = (n: number, seed: number): Uint8Array => {
      const data = bytes(n * 3073, seed);
      for (let i = 0; i < n; i++) data[i * 3073] = i % 10;
      return data;
    };
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), records(20, b));
    writeFileSync(join(dir, 'test_batch.bin'), records(20, 9));
    writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    const { stdout, stderr, status } = train(['baseline', '--dataset', 'cifar10', '--data-dir', parent, '--out', join(parent, 'run')]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('data: cifar10, 100 training and 20 test images of [32,32,3]');
    expect(stdout).toContain('model: baseline, 1,284,170 params');
  });

  it('lenet5 trains on a folder of PNG images, one sub-folder per class', () => {
    const dir = mkdtempSync(join(tmpdir(), 'folder-'));
    for (const [c, name] of ['circle', 'square', 'cross'].entries()) {
      mkdirSync(join(dir, name));
      for (let i = 0; i < 10; i++) {
        const png = new PNG({ width: 20, height: 16 });
        png.data.set(bytes(20 * 16 * 4, c * 10 + i));
        writeFileSync(join(dir, name, `${i}.png`), PNG.sync.write(png));
      }
    }
    const { stdout, stderr, status } = train(['lenet5', '--dataset', 'folder', '--data-dir', dir, '--out', join(dir, 'run')]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('data: folder, 24 training and 6 test images of [28,28,1]');
    expect(JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8')).classNames).toEqual(['circle', 'cross', 'square']);
  });

  it.each([
    ['baseline', 'fashion-mnist', /^error: --data-dir is needed for fashion-mnist: the folder holding the official Fashion-MNIST IDX files .*https:\/\/github\.com\/zalandoresearch\/fashion-mnist\n$/],
    ['mnist-cnn', 'folder', /^error: --data-dir is needed for folder: a folder with one sub-folder of PNG or JPEG images per class\n$/],
  ])('%s on %s without --data-dir says what to pass', (model, dataset, message) => {
    const { stderr, status } = train([model, '--dataset', dataset]);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
  });
});
