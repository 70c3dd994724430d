/**
 * The command-line scripts run as users run them: the built `dist/` (made by `npm ci` through the
 * `prepare` script), in a child process, checking stdout, stderr and the exit code.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');

function run(script: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', `${script}.js`), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'scripts', 'summary.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the script tests');
  }
});

describe('npm run summary', () => {
  it("prints LeNet-5 as Keras 2.11 does, apart from the model's input shape", () => {
    const { stdout, stderr, status } = run('summary', ['lenet5']);
    expect([status, stderr]).toEqual([0, '']);
    const keras = readFileSync(join(__dirname, '..', 'fixtures', 'keras_lenet5_32x32_summary.txt'), 'utf8');
    const expected = `Model: "model"\n${keras.replace('[(None, 32, 32, 1)]', '[(None, 28, 28, 1)]')}`;
    expect(stdout).toBe(expected);
  });

  it('takes the input shape and classes from --dataset', () => {
    const { stdout, status } = run('summary', ['baseline', '--dataset', 'cifar10']);
    expect(status).toBe(0);
    expect(stdout).toContain(' input_1 (InputLayer)        [(None, 32, 32, 3)]       0         \n');
    expect(stdout).toContain('Total params: 1,284,170\n');
  });

  it.each<[string, string[], RegExp]>([
    ['an unknown model', ['lenet'], /^error: unknown model 'lenet'; the zoo has 'lenet5', 'baseline', 'vgg-cifar', 'mnist-cnn', 'lecture-dense', 'lecture-conv' or 'lecture-pool'\n$/],
    ['an unknown data set', ['lenet5', '--dataset', 'imagenet'], /^error: --dataset must be 'mnist', 'fashion-mnist' or 'cifar10', got 'imagenet'\n$/],
    ['an unknown flag', ['lenet5', '--bogus'], /^error: Unknown argument: bogus\n$/],
    ['no model', [], /^error: Not enough non-option arguments: got 0, need at least 1\n$/],
  ])('rejects %s in one line with exit code 1', (_, args, message) => {
    const { stdout, stderr, status } = run('summary', args);
    expect([status, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(message);
  });
});

describe('the package from plain JavaScript', () => {
  it.each(['api_example.mjs', 'api_example.cjs'])('%s runs the API example silently', (file) => {
    const result = spawnSync(process.execPath, [join(root, 'examples', file)], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(file.endsWith('.mjs') ? /\[null,10,10,16\] 2416 61706\n\[2,10\]\n$/ : /^34726 61706\n$/);
  });
});

describe('npm run repl', () => {
  it('has the exports and the zoo in scope', () => {
    const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'repl.js')], {
      cwd: root,
      encoding: 'utf8',
      input: 'lenet5().countParams()\ntypeof Conv2D\n.exit\n',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('61706');
    expect(result.stdout).toContain("'function'");
  });
});
