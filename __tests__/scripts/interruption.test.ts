/**
 * Faults injected into real training processes: Ctrl-C and SIGTERM mid-epoch, and kill -9 at
 * seeded random moments. What a user made must survive: the last completed epoch's checkpoint
 * and history, files never half written, and a resume that ends where an uninterrupted run does.
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadModelFiles } from '../../lib/io/model_files';
import { seededValues } from '../helpers/reference';

const root = join(__dirname, '..', '..');
const TRAIN = ['--train-limit', '480', '--test-limit', '32', '--batch-size', '32', '--backend', 'wasm', '--seed', '2'];

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  exitedAfterMs: number;
}

function startTraining(args: string[]): { child: ChildProcess; output: () => string; finished: Promise<Finished>; signalled: (at: number) => void } {
  const child = spawn(process.execPath, [join(root, 'dist', 'scripts', 'train.js'), ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  let signalledAt = 0;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, exitedAfterMs: performance.now() - signalledAt }));
  });
  return { child, output: () => stdout, finished, signalled: (at) => (signalledAt = at) };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out waiting for the training process');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));

/** Every file a run folder may hold parses, and every model.json loads with its full weights. */
async function expectIntact(runDir: string): Promise<number> {
  for (const file of ['run.json', 'history.json', 'metrics.json']) {
    if (existsSync(join(runDir, file))) expect(() => readJson(join(runDir, file))).not.toThrow();
  }
  let epochs = 0;
  if (existsSync(join(runDir, 'checkpoint', 'model.json'))) {
    const { metadata } = await loadModelFiles(join(runDir, 'checkpoint'));
    epochs = (metadata['checkpoint'] as { epoch: number }).epoch;
    expect(epochs).toBeGreaterThan(0);
  }
  if (existsSync(join(runDir, 'model.json'))) await loadModelFiles(runDir);
  return epochs;
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during training', (signal, exitCode) => {
  it('keeps the last completed epoch, says how to resume, and the resumed run ends at the asked epochs', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'tfjs-keras-stop-')), 'run');
    const run = startTraining(['lecture-pool', '--epochs', '6', '--out', runDir, ...TRAIN]);
    await waitFor(() => run.output().includes('Epoch 3/6'), 60000);
    run.signalled(performance.now());
    run.child.kill(signal);
    const stopped = await run.finished;
    expect(stopped.code).toBe(exitCode);
    expect(stopped.exitedAfterMs).toBeLessThan(5000);
    const completed = await expectIntact(runDir);
    expect(completed).toBeGreaterThanOrEqual(2);
    expect(stopped.stderr).toBe(
      `error: interrupted by ${signal} after ${completed} completed epoch(s); resume with: npm run train -- lecture-pool --out ${runDir} --resume\n`,
    );
    expect((readJson(join(runDir, 'history.json'))['loss'] as number[]).length).toBe(completed);

    const resumed = await startTraining(['lecture-pool', '--out', runDir, '--resume']).finished;
    expect([resumed.code, resumed.stderr]).toEqual([0, '']);
    expect(resumed.stdout).toContain(`resuming after epoch ${completed} of 6`);
    expect((readJson(join(runDir, 'history.json'))['loss'] as number[]).length).toBe(6);
    expect(readJson(join(runDir, 'metrics.json'))['epochs']).toBe(6);
  });
});

describe('kill -9 at random moments', () => {
  it('never leaves a half-written file, and the run always resumes or restarts to completion', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'tfjs-keras-kill-')), 'run');
    const delays = seededValues(5, 99).map((v) => 1200 + Math.round((v + 1) * 1400));
    for (const delay of delays) {
      const resume = existsSync(join(runDir, 'checkpoint', 'model.json'));
      const run = startTraining(['lecture-pool', '--epochs', '40', '--out', runDir, ...(resume ? ['--resume'] : TRAIN)]);
      await new Promise((resolve) => setTimeout(resolve, delay));
      run.child.kill('SIGKILL');
      const killed = await run.finished;
      expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);
      await expectIntact(runDir);
    }
    const resume = existsSync(join(runDir, 'checkpoint', 'model.json'));
    const last = await startTraining(['lecture-pool', '--epochs', '40', '--out', runDir, ...(resume ? ['--resume'] : TRAIN)]).finished;
    expect([last.code, last.stderr]).toEqual([0, '']);
    expect(await expectIntact(runDir)).toBe(40);
    expect((readJson(join(runDir, 'history.json'))['loss'] as number[]).length).toBe(40);
  });
});
