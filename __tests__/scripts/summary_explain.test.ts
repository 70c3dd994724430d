/** `npm run summary -- <model> --explain`: the built script in a child process. */
import { spawnSync } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..', '..');

function summary(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'summary.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('npm run summary -- <model> --explain', () => {
  it('prints the Keras table, then the arithmetic, the mult-adds and the memory', () => {
    const plain = summary(['lenet5']);
    const { stdout, stderr, status } = summary(['lenet5', '--explain']);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout.startsWith(plain.stdout)).toBe(true);
    const added = stdout.slice(plain.stdout.length);
    expect(added).toContain('  params: 6 * (5 * 5 * 1 + 1) = 156\n');
    expect(added).toContain('Total mult-adds: 423,038\n');
    expect(added).toContain('Parameter memory: 61,706 params * 4 bytes = 246,824 bytes (241.0 KiB)\n');
  });

  it('explains for the input shape of --dataset', () => {
    const { stdout, status } = summary(['baseline', '--dataset', 'cifar10', '--explain']);
    expect(status).toBe(0);
    expect(stdout).toContain('conv2d (Conv2D)\n  output size: floor((32 + 2*0 - 3) / 2) + 1 = 15, so (None, 15, 15, 32)\n  params: 32 * (3 * 3 * 3 + 1) = 896\n');
  });
});
