/**
 * One training run as `npm run train` performs it: data, model, backend, fit with a checkpoint
 * after every epoch, the final evaluation and the run folder's files. Ctrl-C or SIGTERM stops
 * after the current batch and keeps the last completed epoch; a diverging loss stops with the
 * last good checkpoint kept.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import {
  clearSession,
  DivergenceError,
  imageSetData,
  loadModel,
  makeOptimizer,
  setRandomSeed,
  useBackend,
  type BackendChoice,
  type Callback,
  type FunctionalModel,
  type UseBackendOptions,
} from '../lib';
import { createPresetAugmenter } from '../lib/data/augment';
import { loadDataset, type Dataset } from '../lib/data';
import { KerasError, messageOf } from '../lib/errors';
import { ZOO } from '../models';
import { writeRunReport } from './report_run';
import {
  checkpointFolder,
  readCheckpointState,
  writeHistory,
  writeMetrics,
  writeRunConfig,
  type RunConfig,
  type RunMetrics,
} from './run_folder';

/** Where a run's messages go; the CLI prints them, tests collect them. */
export type Report = (line: string) => void;

/** Thrown when a run stops on a signal; its message says where the checkpoint is. */
export class InterruptedRun extends KerasError {
  /** The shell's convention for a process ended by a signal: 128 + its number. */
  readonly exitCode: number;

  constructor(
    readonly signal: string,
    readonly completedEpochs: number,
    readonly resumeCommand: string,
  ) {
    super(
      completedEpochs > 0
        ? `interrupted by ${signal} after ${completedEpochs} completed epoch(s); resume with: ${resumeCommand}`
        : `interrupted by ${signal} before the first epoch completed; nothing to resume (start again)`,
    );
    this.exitCode = signal === 'SIGTERM' ? 143 : 130;
  }
}

/** The data set of a run, with the same files, limits, split and seed every time. */
export function loadRunDataset(config: RunConfig): Dataset {
  return loadDataset(config.dataset, {
    ...(config.dataDir === null ? {} : { dataDir: config.dataDir }),
    imageShape: config.inputShape as [number, number, number],
    testSplit: config.testSplit,
    seed: config.seed,
    ...(config.trainLimit === null ? {} : { trainLimit: config.trainLimit }),
    ...(config.testLimit === null ? {} : { testLimit: config.testLimit }),
  });
}

function buildModel(config: RunConfig): FunctionalModel {
  clearSession();
  const model = ZOO[config.model].build({ inputShape: config.inputShape, classes: config.classNames.length });
  model.compile({
    loss: 'categorical_crossentropy',
    optimizer: makeOptimizer(config.optimizer, config.learningRate ?? undefined),
    metrics: 'accuracy',
  });
  return model;
}

function resumeCommand(config: RunConfig, runDir: string): string {
  return `npm run train -- ${config.model} --out ${runDir} --resume`;
}

/** Measures training throughput from the batches alone, leaving validation out. */
function throughputMeter(batchSize: number): { callback: Callback; imagesPerSecond: () => number } {
  let images = 0;
  let seconds = 0;
  let epochStart = 0;
  return {
    callback: {
      onEpochBegin: () => {
        epochStart = performance.now();
      },
      onBatchEnd: () => {
        images += batchSize;
        seconds = seconds + (performance.now() - epochStart) / 1000;
        epochStart = performance.now();
      },
    },
    imagesPerSecond: () => (seconds > 0 ? images / seconds : 0),
  };
}

export interface RunOutcome {
  metrics: RunMetrics;
  backend: BackendChoice;
}

/** Trains (or resumes) the run in `runDir`, writing its files; returns the final metrics. */
export async function trainRun(
  requested: RunConfig,
  runDir: string,
  resume: boolean,
  report: Report,
  machine: UseBackendOptions = {},
): Promise<RunOutcome> {
  const started = performance.now();
  setRandomSeed(requested.seed);
  const backend = await useBackend(requested.backend, machine);
  report(`backend: ${backend.name} (${backend.description})${backend.skipped.length ? `; skipped ${backend.skipped.join('; ')}` : ''}`);

  const dataset = loadRunDataset(requested);
  const config: RunConfig = { ...requested, classNames: [...dataset.classNames] };
  const classes = config.classNames.length;
  report(`data: ${dataset.name}, ${dataset.train.count} training and ${dataset.test.count} test images of ${JSON.stringify(dataset.train.imageShape)} from ${dataset.source}`);

  const state = resume ? readCheckpointState(runDir) : null;
  if (resume && state === null) {
    throw new KerasError(`${runDir}: no checkpoint to resume from (no epoch was completed); start the run again without --resume (same --out)`);
  }
  const model = state === null ? buildModel(config) : await loadModel(checkpointFolder(runDir));
  if (state !== null) {
    if (state.epoch >= config.epochs) report(`the checkpoint has ${state.epoch} epochs already; raise --epochs to train more`);
    else report(`resuming after epoch ${state.epoch} of ${config.epochs}`);
  }
  writeRunConfig(runDir, config);
  report(`model: ${config.model}, ${model.countParams().toLocaleString('en-US')} params; run folder: ${runDir}`);

  const history: Record<string, number[]> = state === null ? {} : structuredClone(state.history);
  let completed = state?.epoch ?? 0;
  const checkpointing: Callback = {
    onEpochEnd: async (epoch, logs) => {
      for (const [name, value] of Object.entries(logs)) (history[name] ??= []).push(value);
      completed = epoch + 1;
      await model.save(checkpointFolder(runDir), { includeOptimizer: true, metadata: { checkpoint: { epoch: completed, history } } });
      writeHistory(runDir, history);
    },
  };
  const meter = throughputMeter(config.batchSize);
  const augment = ZOO[config.model].augment;
  const train = imageSetData(dataset.train, {
    labels: 'onehot',
    classes,
    ...(augment === undefined ? {} : { augment: createPresetAugmenter(augment, config.seed) }),
  });

  let signal: string | null = null;
  const stop = (name: string) => () => {
    if (signal !== null) process.exit(name === 'SIGINT' ? 130 : 143);
    signal = name;
    model.stopTraining = true;
    report(`${name}: stopping after the current batch (press Ctrl-C again to quit at once)`);
  };
  const onSigint = stop('SIGINT');
  const onSigterm = stop('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const result = await model.fit(train, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      validationSplit: config.validationSplit,
      initialEpoch: state?.epoch ?? 0,
      callbacks: [meter.callback, checkpointing],
      verbose: process.stdout.isTTY ? 1 : 2,
    });
    if (result.interrupted) throw new InterruptedRun(signal ?? 'a stop request', completed, resumeCommand(config, runDir));
  } catch (error) {
    if (error instanceof DivergenceError) {
      const kept = completed > 0 ? `the checkpoint of epoch ${completed} is kept in ${checkpointFolder(runDir)}` : 'no epoch had completed';
      throw new KerasError(`${error.message}; ${kept}`);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }

  await model.save(runDir);
  const test = await model.evaluate(imageSetData(dataset.test, { labels: 'onehot', classes }), undefined, { batchSize: 256 });
  const metrics: RunMetrics = {
    model: config.model,
    dataset: config.dataset,
    backend: backend.name,
    epochs: completed,
    trainExamples: dataset.train.count,
    testExamples: dataset.test.count,
    testAccuracy: test['accuracy'] ?? Number.NaN,
    testLoss: test['loss'] ?? Number.NaN,
    trainImagesPerSecond: Math.round(meter.imagesPerSecond()),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeMetrics(runDir, metrics);
  try {
    await writeRunReport(runDir, dataset.test, report);
  } catch (error) {
    // The model and metrics are saved already: a failed report must not turn the run into a failure.
    report(`report: not written (${messageOf(error)}); rebuild it with npm run report -- ${runDir}`);
  }
  return { metrics, backend };
}

/** Whether a folder already holds a run's settings (a run that completed no epoch can start over). */
export function isRunFolder(folder: string): boolean {
  return existsSync(join(folder, 'run.json'));
}
