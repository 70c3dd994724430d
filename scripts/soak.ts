/**
 * `npm run soak -- [--minutes 10] [--model lenet5] [--backend auto]`: trains on MNIST for a fixed
 * time and samples the process's memory (RSS) and TensorFlow.js's tensor count after every
 * epoch, to show that long runs neither leak tensors nor grow. Not part of CI.
 */
import { BACKEND_NAMES, clearSession, imageSetData, setRandomSeed, tf, useBackend } from '../lib';
import { loadDataset } from '../lib/data';
import { ZOO } from '../models';
import { checkChoice, checkFlag, commandLine, runCli, zooName } from './cli';

interface Sample {
  epoch: number;
  seconds: number;
  rssMB: number;
  tensors: number;
  tensorMB: number;
}

const megabytes = (bytes: number): number => Math.round(bytes / 1e5) / 10;

runCli(async () => {
  const argv = commandLine('$0 [--minutes 10] [--model lenet5] [--backend auto] [--train-limit 6000]')
    .option('minutes', { type: 'number', default: 10 })
    .option('model', { type: 'string', default: 'lenet5' })
    .option('backend', { type: 'string', default: 'auto' })
    .option('train-limit', { type: 'number', default: 6000 })
    .parseSync();
  const minutes = checkFlag('minutes', argv.minutes, 'positive number');
  const name = zooName(argv.model);
  const choice = await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  const limit = checkFlag('train-limit', argv['train-limit'], 'positive integer');
  const dataset = loadDataset('mnist', { trainLimit: limit, testLimit: 1 });
  setRandomSeed(0);
  clearSession();
  const model = ZOO[name].build();
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: 'accuracy' });
  const data = imageSetData(dataset.train, { labels: 'onehot', classes: 10 });
  const samples: Sample[] = [];
  const started = performance.now();
  const sample = (epoch: number): void => {
    global.gc?.();
    const memory = tf.memory();
    samples.push({
      epoch,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      rssMB: megabytes(process.memoryUsage().rss),
      tensors: memory.numTensors,
      tensorMB: megabytes(memory.numBytes),
    });
    process.stdout.write(`${JSON.stringify(samples[samples.length - 1])}\n`);
  };
  process.stderr.write(`soak: ${name} on ${choice.name}, ${limit} MNIST images per epoch, ${minutes} minutes\n`);
  let epoch = 0;
  while (performance.now() - started < minutes * 60000) {
    await model.fit(data, { epochs: 1, batchSize: 32, verbose: 0 });
    epoch += 1;
    sample(epoch);
  }
  // The first epoch allocates the optimiser's slots and warms caches: compare from there.
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return;
  const rssMax = Math.max(...samples.map((s) => s.rssMB));
  const verdict = {
    model: name,
    backend: choice.name,
    minutes,
    epochs: epoch,
    tensorsAfterFirstEpoch: first.tensors,
    tensorsAtEnd: last.tensors,
    rssAfterFirstEpochMB: first.rssMB,
    rssAtEndMB: last.rssMB,
    rssMaxMB: rssMax,
    flat: last.tensors === first.tensors && last.rssMB <= first.rssMB * 1.1,
  };
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  if (!verdict.flat) process.exitCode = 1;
});
