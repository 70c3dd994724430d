/**
 * `npm run train`, `evaluate` and `predict` as users run them: the built scripts in a child
 * process, on small slices of the embedded MNIST.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import { loadMnist } from '../../lib/data/mnist';

const root = join(__dirname, '..', '..');

function run(script: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', `${script}.js`), ...args], { cwd: root, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const tiny = ['--train-limit', '96', '--test-limit', '64', '--batch-size', '32', '--backend', 'wasm', '--seed', '4'];
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));

describe('npm run train', () => {
  const runDir = join(mkdtempSync(join(tmpdir(), 'tfjs-keras-run-')), 'lecture');

  it('trains, then writes the model, history, metrics and a checkpoint', () => {
    const { stdout, stderr, status } = run('train', ['lecture-pool', '--epochs', '1', '--out', runDir, ...tiny]);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^backend: wasm \(WebAssembly/);
    expect(stdout).toContain('data: mnist, 96 training and 64 test images of [28,28,1]');
    expect(stdout).toMatch(/\n 3\/3 \[==============================\] - \d+s \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n/);
    expect(stdout).toMatch(/test accuracy \d+\.\d\d% \(loss \d\.\d{4}\) on 64 images; \d+ training images\/s on wasm; .*saved in /);
    const files = readdirSync(runDir).sort();
    expect(files).toEqual(expect.arrayContaining(['checkpoint', 'history.json', 'metrics.json', 'model.json', 'run.json']));
    expect(files.some((file) => /^weights-[0-9a-f]{12}\.bin$/.test(file))).toBe(true);
    const metrics = readJson(join(runDir, 'metrics.json'));
    expect(Object.keys(metrics).sort()).toEqual(
      ['backend', 'dataset', 'epochs', 'model', 'seconds', 'testAccuracy', 'testExamples', 'testLoss', 'trainExamples', 'trainImagesPerSecond'].sort(),
    );
    expect(metrics).toMatchObject({ model: 'lecture-pool', dataset: 'mnist', backend: 'wasm', epochs: 1, trainExamples: 96, testExamples: 64 });
    expect((readJson(join(runDir, 'history.json'))['loss'] as number[]).length).toBe(1);
    expect(readJson(join(runDir, 'run.json'))['classNames']).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('resumes from the checkpoint and ends with as many epochs as asked', () => {
    const { stdout, status, stderr } = run('train', ['lecture-pool', '--out', runDir, '--resume', '--epochs', '2']);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('resuming after epoch 1 of 2');
    expect(stdout).toContain('Epoch 2/2');
    expect(stdout).not.toContain('Epoch 1/2');
    const history = readJson(join(runDir, 'history.json'));
    expect((history['loss'] as number[]).length).toBe(2);
    expect(readJson(join(runDir, 'metrics.json'))['epochs']).toBe(2);
  });

  it('evaluate re-computes the test accuracy written in metrics.json', () => {
    const { stdout, status } = run('evaluate', [runDir, '--backend', 'wasm']);
    expect(status).toBe(0);
    const accuracy = (readJson(join(runDir, 'metrics.json'))['testAccuracy'] as number) * 100;
    expect(stdout).toBe(`lecture-pool on mnist: test accuracy ${accuracy.toFixed(2)}%, loss ${(readJson(join(runDir, 'metrics.json'))['testLoss'] as number).toFixed(4)} on 64 images\n`);
  });

  it('predict prints a class and probability for each image', () => {
    const { test } = loadMnist({ trainLimit: 1, testLimit: 1 });
    const png = new PNG({ width: 28, height: 28 });
    test.images.forEach((value, i) => {
      png.data.set([Math.round(value * 255), Math.round(value * 255), Math.round(value * 255), 255], i * 4);
    });
    const image = join(runDir, 'digit.png');
    writeFileSync(image, PNG.sync.write(png));
    const { stdout, status, stderr } = run('predict', [runDir, image, image, '--backend', 'wasm']);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(new RegExp(`^${image}: \\d \\(\\d+\\.\\d%\\)\\n${image}: \\d \\(\\d+\\.\\d%\\)\\n$`));
  });

  it.each<[string, string[], RegExp]>([
    ['negative epochs', ['lenet5', '--epochs', '-1'], /^error: --epochs must be a positive integer, got -1\n$/],
    ['a zero batch size', ['lenet5', '--batch-size', '0'], /^error: --batch-size must be a positive integer, got 0\n$/],
    ['an unknown data set', ['lenet5', '--dataset', 'imagenet'], /^error: --dataset must be 'mnist', 'fashion-mnist', 'cifar10' or 'folder', got 'imagenet'\n$/],
    ['an unknown model', ['lenet6'], /^error: unknown model 'lenet6'; the zoo has 'lenet5', /],
    ['an unknown optimizer', ['lenet5', '--optimizer', 'lion'], /^error: --optimizer must be 'adam', 'rmsprop', .*got 'lion'\n$/],
    ['a validation split of 1.5', ['lenet5', '--validation-split', '1.5'], /^error: --validation-split must be a number in \[0, 1\), got 1\.5\n$/],
    ['CIFAR-10 without --data-dir', ['vgg-cifar'], /^error: --data-dir is needed for cifar10: the cifar-10-batches-bin folder \(or its parent\) .*https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar\.html\n$/],
    ['--resume without --out', ['lenet5', '--resume'], /^error: --resume needs --out <run folder>/],
    ['a data folder that does not exist', ['baseline', '--data-dir', '/nonexistent/fashion'], /^error: \/nonexistent\/fashion.*\n$/],
  ])('rejects %s in one line with exit code 1', (_, args, message) => {
    const { stdout, stderr, status } = run('train', args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stdout).not.toContain('Epoch');
  });

  it('refuses to overwrite a run folder', () => {
    const { stderr, status } = run('train', ['lecture-pool', '--out', runDir]);
    expect(status).toBe(1);
    expect(stderr).toBe(`error: ${runDir} already holds a run; pass --resume to continue it or choose another --out\n`);
  });

  it('evaluate names a folder that is not a run', () => {
    const { stderr, status } = run('evaluate', [tmpdir()]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^error: .*run\.json: not found: expected the run\.json of a training run \(is this a run folder\?\)\n$/);
    expect(existsSync(join(tmpdir(), 'run.json'))).toBe(false);
  });
});
