/**
 * The benchmark's ratios to the peer: the pure rules, then `npm run bench -- --peer --rounds`
 * as users run it, against a stand-in peer script that prints known throughputs, so that every
 * ratio it prints can be recomputed here from the lines before it.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { median, medianRatios, ratiosOf } from '../../scripts/bench_ratios';

const root = join(__dirname, '..', '..');

describe('median', () => {
  it.each([
    [[3], 3],
    [[0.9, 1.2, 0.7], 0.9],
    [[4, 1, 3, 2], 2.5],
    [[1.1, 1.1, 0.5, 2], 1.1],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/median: expected at least one value, got none/);
  });
});

describe('ratiosOf and medianRatios', () => {
  it('divides ours by the peer, to thousandths', () => {
    expect(ratiosOf({ trainImagesPerSecond: 2805, inferImagesPerSecond: 9000 }, { trainImagesPerSecond: 3164, inferImagesPerSecond: 7000 })).toEqual({
      trainRatio: 0.887,
      inferRatio: 1.286,
    });
  });

  it('keeps every round and takes the median of each ratio on its own', () => {
    const rounds = [
      { trainRatio: 0.76, inferRatio: 1.3 },
      { trainRatio: 1.17, inferRatio: 1.2 },
      { trainRatio: 0.96, inferRatio: 1.6 },
    ];
    expect(medianRatios(rounds)).toEqual({ rounds: 3, trainRatios: [0.76, 1.17, 0.96], inferRatios: [1.3, 1.2, 1.6], trainRatio: 0.96, inferRatio: 1.3 });
  });
});

describe('npm run bench -- --peer --rounds', () => {
  function bench(args: string[]): { lines: Record<string, unknown>[]; stderr: string; status: number | null } {
    const result = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'bench.js'), ...args], { cwd: root, encoding: 'utf8' });
    const lines = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { lines, stderr: result.stderr, status: result.status };
  }

  it('alternates ours and the peer, prints each round, then the medians', () => {
    // A stand-in for torch_peer.py: each call prints slower figures than the one before.
    const folder = mkdtempSync(join(tmpdir(), 'tfjs-keras-peer-'));
    const peer = join(folder, 'peer.py');
    const counter = join(folder, 'calls');
    writeFileSync(counter, '0');
    writeFileSync(
      peer,
      [
        'import json, sys',
        `calls = int(open(${JSON.stringify(counter)}).read()) + 1`,
        `open(${JSON.stringify(counter)}, "w").write(str(calls))`,
        'model = sys.argv[sys.argv.index("--models") + 1]',
        'print(json.dumps({"model": model, "framework": "stand-in", "batchSize": 8, "trainImagesPerSecond": 1000.0 / calls, "inferImagesPerSecond": 3000.0 / calls, "threads": 2}))',
      ].join('\n'),
    );
    const { lines, stderr, status } = bench(['--model', 'lenet5', '--backend', 'wasm', '--batch-size', '8', '--steps', '1', '--warm-up-seconds', '0', '--peer', '--peer-script', peer, '--rounds', '3']);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^backend: wasm/);
    expect(lines).toHaveLength(10);
    const rounds = [0, 1, 2].map((round) => {
      const [ours, theirs, ratios] = lines.slice(3 * round, 3 * round + 3) as [Record<string, number>, Record<string, number>, Record<string, unknown>];
      expect(theirs).toMatchObject({ model: 'lenet5', framework: 'stand-in', trainImagesPerSecond: 1000 / (round + 1) });
      const trainRatio = Math.round((ours['trainImagesPerSecond']! / theirs['trainImagesPerSecond']!) * 1000) / 1000;
      const inferRatio = Math.round((ours['inferImagesPerSecond']! / theirs['inferImagesPerSecond']!) * 1000) / 1000;
      expect(ratios).toEqual({ model: 'lenet5', backend: 'wasm', peer: 'stand-in (2 threads)', batchSize: 8, round: round + 1, trainRatio, inferRatio });
      return { trainRatio, inferRatio };
    });
    const middle = (values: number[]): number => [...values].sort((a, b) => a - b)[1] as number;
    expect(lines[9]).toEqual({
      model: 'lenet5',
      backend: 'wasm',
      peer: 'stand-in (2 threads)',
      batchSize: 8,
      rounds: 3,
      trainRatios: rounds.map((r) => r.trainRatio),
      inferRatios: rounds.map((r) => r.inferRatio),
      trainRatio: middle(rounds.map((r) => r.trainRatio)),
      inferRatio: middle(rounds.map((r) => r.inferRatio)),
    });
  });

  it.each([
    [['--rounds', '0', '--peer'], /^error: --rounds must be a positive integer, got 0$/],
    [['--rounds', '2'], /^error: --rounds 2 needs --peer: rounds alternate our benchmark and PyTorch's$/],
    [['--warm-up-seconds', '-1'], /^error: --warm-up-seconds must be a number >= 0, got -1$/],
  ])('refuses %j in one line', (args, message) => {
    const { lines, stderr, status } = bench(args);
    expect(status).toBe(1);
    expect(lines).toEqual([]);
    expect(stderr.trim()).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
