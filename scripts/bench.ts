/**
 * `npm run bench -- [--model lenet5,baseline,vgg-cifar] [--backend] [--batch-size 128] [--steps N] [--warm-up-seconds S] [--peer] [--rounds R]`:
 * times training steps (forward, backward, Adam update) and inference on random data after a
 * warm-up, one JSON line per model. `--peer` runs the same models in PyTorch on this machine
 * (../shared/bench/torch_peer.py), each model right after ours, and prints the ratios; with
 * `--rounds`, ours and the peer alternate R times per model, and a last line gives the median
 * ratios (see bench_ratios).
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { BACKEND_NAMES, clearSession, setRandomSeed, tf, useBackend, type FunctionalModel } from '../lib';
import { formatChoices } from '../lib/format';
import { ZOO } from '../models';
import { medianRatios, ratiosOf, type Ratios } from './bench_ratios';
import { checkChoice, checkFlag, commandLine, runCli, UsageError } from './cli';

/** The benchmarked models, named as the PyTorch peer names them. */
const BENCH_MODELS: Record<string, () => FunctionalModel> = {
  lenet5: () => ZOO.lenet5.build(),
  baseline: () => ZOO.baseline.build({ inputShape: [28, 28, 1] }),
  'baseline-cifar10': () => ZOO.baseline.build({ inputShape: [32, 32, 3] }),
  'vgg-cifar': () => ZOO['vgg-cifar'].build(),
  'mnist-cnn': () => ZOO['mnist-cnn'].build(),
};
const PEER_NAMES: Record<string, string | undefined> = {
  lenet5: 'lenet5',
  baseline: 'baseline-fashion-mnist',
  'baseline-cifar10': 'baseline-cifar10',
  'vgg-cifar': 'vgg-cifar',
};

interface BenchResult {
  model: string;
  framework: string;
  backend: string;
  batchSize: number;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  tensorsLeakedPerStep: number;
}

interface PeerResult {
  model: string;
  framework: string;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  threads: number;
}

/**
 * The warm-up before timing: at least this many steps, and at least --warm-up-seconds. V8 runs
 * JavaScript and WebAssembly on a quick first tier and compiles what is hot at its top tier in
 * the background: after 3 steps, LeNet-5's next 20 training steps ran 15-25% slower than the
 * 20 after them (three runs), and steps took until about the 60th to settle.
 */
const WARM_UP_STEPS = 3;
const DEFAULT_WARM_UP_SECONDS = 2;

/** Seconds for `steps` timed steps after the warm-up, and tensors left behind per timed step. */
async function timeSteps(steps: number, warmUpSeconds: number, step: () => Promise<void>): Promise<{ seconds: number; leakedPerStep: number }> {
  // The warm-up also creates what lives on (the optimiser's slots), which is no leak.
  const warmUpStart = performance.now();
  for (let i = 0; i < WARM_UP_STEPS || performance.now() - warmUpStart < 1000 * warmUpSeconds; i++) await step();
  const tensorsBefore = tf.memory().numTensors;
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const seconds = (performance.now() - start) / 1000;
  return { seconds, leakedPerStep: (tf.memory().numTensors - tensorsBefore) / steps };
}

async function benchModel(name: string, backend: string, batchSize: number, steps: number, warmUpSeconds: number): Promise<BenchResult> {
  clearSession();
  setRandomSeed(0);
  const model = (BENCH_MODELS[name] as () => FunctionalModel)();
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
  const inputShape = model.inputs[0]?.shape.slice(1) as number[];
  const classes = model.outputs[0]?.shape[1] as number;
  const x = tf.randomNormal([batchSize, ...inputShape], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batchSize], 0, classes, 'int32', 2), classes).toFloat());

  const inference = await timeSteps(steps, warmUpSeconds, async () => {
    const out = model.predict(x, { batchSize }) as tf.Tensor;
    await out.data();
    out.dispose();
  });
  const training = await timeSteps(steps, warmUpSeconds, async () => {
    await model.tfModel.trainOnBatch(x, y);
  });
  tf.dispose([x, y]);
  model.tfModel.dispose();
  return {
    model: name,
    framework: `tfjs-${tf.version.tfjs}`,
    backend,
    batchSize,
    trainImagesPerSecond: Math.round((batchSize * steps * 10) / training.seconds) / 10,
    inferImagesPerSecond: Math.round((batchSize * steps * 10) / inference.seconds) / 10,
    tensorsLeakedPerStep: Math.max(training.leakedPerStep, inference.leakedPerStep),
  };
}

function printLine(record: object): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function requirePeerScript(script: string): void {
  if (!existsSync(script)) throw new UsageError(`--peer: ${script} not found (it lives in ../shared/bench beside the repository); pass --peer-script`);
}

function runPeer(script: string, models: string[], batchSize: number, steps: number): PeerResult[] {
  const python = '/usr/bin/python3';
  const names = models.map((m) => PEER_NAMES[m]).filter((m): m is string => m !== undefined);
  const result = spawnSync(python, [script, '--models', names.join(','), '--batch-size', String(batchSize), '--steps', String(steps)], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? (result.stderr.trim().split('\n').pop() ?? `exit code ${result.status}`);
    throw new UsageError(`--peer: PyTorch peer failed (${why}); install it with: apt-get install -y python3-torch`);
  }
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as PeerResult);
}

runCli(async () => {
  const argv = commandLine('$0 [--model lenet5,baseline,vgg-cifar] [--backend auto] [--batch-size 128] [--steps 20] [--warm-up-seconds 2] [--peer] [--rounds 1]')
    .option('model', { type: 'string', default: 'lenet5,baseline,vgg-cifar', describe: `comma-separated: ${Object.keys(BENCH_MODELS).join(', ')}` })
    .option('backend', { type: 'string', default: 'auto', describe: BACKEND_NAMES.join(', ') })
    .option('batch-size', { type: 'number', default: 128 })
    .option('steps', { type: 'number', default: 20, describe: 'timed steps, after the warm-up' })
    .option('warm-up-seconds', {
      type: 'number',
      default: DEFAULT_WARM_UP_SECONDS,
      describe: `warm up for at least ${WARM_UP_STEPS} steps and this long, until V8 has compiled the hot code at its top tier`,
    })
    .option('threads', { type: 'number', describe: 'wasm backend: threads (default: one per core)' })
    .option('peer', { type: 'boolean', default: false, describe: 'also run PyTorch (CPU) and print the ratios' })
    .option('rounds', { type: 'number', default: 1, describe: 'with --peer: alternate ours and the peer this many times per model and print the median ratios' })
    .option('peer-script', { type: 'string', default: join(__dirname, '..', '..', '..', 'shared', 'bench', 'torch_peer.py') })
    .parseSync();
  const models = String(argv.model).split(',').map((m) => m.trim());
  for (const model of models) {
    if (!(model in BENCH_MODELS)) throw new UsageError(`--model: unknown model '${model}'; the benchmark has ${formatChoices(Object.keys(BENCH_MODELS))}`);
  }
  const batchSize = checkFlag('batch-size', argv['batch-size'], 'positive integer');
  const steps = checkFlag('steps', argv.steps, 'positive integer');
  const warmUpSeconds = checkFlag('warm-up-seconds', argv['warm-up-seconds'], 'non-negative number');
  const rounds = checkFlag('rounds', argv.rounds, 'positive integer');
  if (rounds > 1 && !argv.peer) throw new UsageError(`--rounds ${rounds} needs --peer: rounds alternate our benchmark and PyTorch's`);
  const threads = argv.threads === undefined ? {} : { threads: checkFlag('threads', argv.threads, 'positive integer') };
  // Checked with the flags, not after the first model's minutes of benchmarking.
  if (argv.peer) requirePeerScript(String(argv['peer-script']));
  const choice = await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES), threads);
  process.stderr.write(`backend: ${choice.name} (${choice.description})\n`);
  // With --peer, each model's PyTorch run follows ours at once, so that both see the same load on
  // a shared machine.
  for (const model of models) {
    const withPeer = argv.peer && PEER_NAMES[model] !== undefined;
    const roundRatios: Ratios[] = [];
    let peerLabel = '';
    for (let round = 1; round <= (withPeer ? rounds : 1); round++) {
      const result = await benchModel(model, choice.name, batchSize, steps, warmUpSeconds);
      printLine(result);
      if (!withPeer) continue;
      const [peer] = runPeer(String(argv['peer-script']), [model], batchSize, steps);
      if (peer === undefined) continue;
      printLine(peer);
      peerLabel = `${peer.framework} (${peer.threads} threads)`;
      const ratios = ratiosOf(result, peer);
      roundRatios.push(ratios);
      printLine({ model, backend: choice.name, peer: peerLabel, batchSize, ...(rounds > 1 ? { round } : {}), ...ratios });
    }
    if (roundRatios.length > 1) printLine({ model, backend: choice.name, peer: peerLabel, batchSize, ...medianRatios(roundRatios) });
  }
});
