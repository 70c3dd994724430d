/**
 * The training loop behind `model.fit()`: shuffled batches through tf.layers's `trainOnBatch`,
 * Keras's progress bar and callbacks, validation after each epoch, a stop between batches when
 * asked (Ctrl-C), and an error naming the epoch and batch when the loss stops being finite.
 */
import { getRandomSeed } from '../session';
import { Random, randomSeed } from '../random';
import * as args from '../args';
import { ConfigError, DivergenceError } from '../errors';
import { tf } from '../tf';
import type { CompiledSettings } from './compile';
import { sliceData, tensorData, type TrainingData } from './data_source';
import { Progbar, type ProgressSink } from './progress';

/** Metric values by Keras's names: `loss`, `accuracy`, `val_loss`, `val_accuracy`. */
export type Logs = Record<string, number>;

/** Keras's callback hooks; each may be async. Epochs and batches count from 0, as in Keras. */
export interface Callback {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

/** What `fit` returns, as Keras's History: `history.history.loss[epoch]`. */
export interface History {
  /** The epochs completed, from 0. */
  readonly epoch: number[];
  /** Per metric, one value per completed epoch. */
  readonly history: Record<string, number[]>;
  /** True when `stopTraining` was set during an epoch, which was then abandoned. */
  interrupted: boolean;
}

/** Options of `model.fit()`, Keras's names in camelCase. */
export interface FitOptions {
  /** Train until this epoch count is reached. Default 1. */
  epochs?: number;
  /** Examples per gradient step. Default 32. */
  batchSize?: number;
  /** The last fraction of the examples, held out to validate after each epoch (before shuffling, as Keras). */
  validationSplit?: number;
  /** Validation examples as `[x, y]` tensors or a TrainingData; takes precedence over `validationSplit`. */
  validationData?: readonly [tf.Tensor, tf.Tensor] | TrainingData;
  /** Shuffle the training examples before each epoch. Default true; seeded by `setRandomSeed`. */
  shuffle?: boolean;
  /** Keras-style callbacks. */
  callbacks?: readonly Callback[];
  /** 0 silent, 1 a live progress bar, 2 one line per epoch. Default: 1 on a terminal, else 0. */
  verbose?: 0 | 1 | 2;
  /** The epoch to start from, when resuming. Default 0. */
  initialEpoch?: number;
}

/** The parts of a model the loop drives. */
export interface TrainableModel {
  readonly name: string;
  readonly tfModel: tf.LayersModel;
  stopTraining: boolean;
}

/** Reads results asynchronously: a GPU backend in Node cannot read tensors synchronously. */
async function scalarValues(result: tf.Scalar | tf.Scalar[] | number | number[]): Promise<number[]> {
  const list = Array.isArray(result) ? result : [result];
  return Promise.all(list.map(async (value) => (typeof value === 'number' ? value : (await value.data())[0] ?? Number.NaN)));
}

function namedLogs(names: readonly string[], values: readonly number[], prefix = ''): Logs {
  const logs: Logs = {};
  names.forEach((name, i) => {
    logs[`${prefix}${name}`] = values[i] ?? Number.NaN;
  });
  return logs;
}

/** Averages metrics over batches, weighting each by its size. */
class RunningMean {
  private readonly sums: number[] = [];
  private examples = 0;

  add(values: readonly number[], size: number): void {
    values.forEach((value, i) => {
      this.sums[i] = (this.sums[i] ?? 0) + value * size;
    });
    this.examples += size;
  }

  get means(): number[] {
    return this.sums.map((sum) => sum / Math.max(this.examples, 1));
  }
}

/** Loss and metrics over a whole source, in inference mode, batch by batch. */
export async function evaluateData(model: TrainableModel, settings: CompiledSettings, data: TrainingData, batchSize: number): Promise<Logs> {
  const mean = new RunningMean();
  for (let start = 0; start < data.count; start += batchSize) {
    const indices = range(start, Math.min(start + batchSize, data.count));
    const { xs, ys } = data.batch(indices, 'evaluate');
    const result = model.tfModel.evaluate(xs, ys, { batchSize: indices.length });
    mean.add(await scalarValues(result), indices.length);
    tf.dispose([xs, ys, result as tf.Tensor | tf.Tensor[]]);
    await yieldToEventLoop();
  }
  return namedLogs(settings.logNames, mean.means);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function validationSource(data: TrainingData, options: FitOptions): { train: TrainingData; validation: TrainingData | null } {
  if (options.validationData !== undefined) {
    const v = options.validationData;
    const validation = Array.isArray(v) ? tensorData(v[0] as tf.Tensor, v[1] as tf.Tensor) : (v as TrainingData);
    return { train: data, validation };
  }
  const split = args.fraction('fit', 'validationSplit', options.validationSplit ?? 0);
  if (split === 0) return { train: data, validation: null };
  const kept = Math.floor(data.count * (1 - split));
  if (kept === 0 || kept === data.count) {
    throw new ConfigError('fit', 'validationSplit', split, `a fraction that leaves examples on both sides of ${data.count}`);
  }
  return { train: sliceData(data, 0, kept), validation: sliceData(data, kept, data.count) };
}

function defaultSink(): ProgressSink {
  return { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true };
}

export async function fitData(
  model: TrainableModel,
  settings: CompiledSettings,
  data: TrainingData,
  options: FitOptions = {},
  sink: ProgressSink = defaultSink(),
): Promise<History> {
  args.knownOptions('fit', options, ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'callbacks', 'verbose', 'initialEpoch']);
  const epochs = args.positiveInteger('fit', 'epochs', options.epochs ?? 1);
  const batchSize = args.positiveInteger('fit', 'batchSize', options.batchSize ?? 32);
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs) {
    throw new ConfigError('fit', 'initialEpoch', initialEpoch, `an integer from 0 to epochs (${epochs})`);
  }
  const verbose = options.verbose ?? (sink.isTTY ? 1 : 0);
  const callbacks = options.callbacks ?? [];
  const { train, validation } = validationSource(data, options);
  const shuffleSeed = getRandomSeed() ?? randomSeed();
  const history: History = { epoch: [], history: {}, interrupted: false };
  const steps = Math.ceil(train.count / batchSize);
  let lastLogs: Logs = {};
  model.stopTraining = false;

  for (const callback of callbacks) await callback.onTrainBegin?.();
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    for (const callback of callbacks) await callback.onEpochBegin?.(epoch);
    if (verbose > 0) sink.write(`Epoch ${epoch + 1}/${epochs}\n`);
    // Each epoch's order depends on the seed and the epoch alone, so a resumed run visits the
    // examples in the order the uninterrupted run would have.
    const order = options.shuffle === false ? range(0, train.count) : Array.from(new Random(shuffleSeed + epoch * 7919).permutation(train.count));
    const progbar = verbose > 0 ? new Progbar(steps, verbose === 1 ? sink : { ...sink, isTTY: false, write: sink.write }) : null;
    const mean = new RunningMean();
    for (let step = 0; step < steps; step++) {
      const indices = order.slice(step * batchSize, (step + 1) * batchSize);
      const { xs, ys } = train.batch(indices, 'train');
      let values: number[];
      try {
        values = await scalarValues(await model.tfModel.trainOnBatch(xs, ys));
      } finally {
        tf.dispose([xs, ys]);
      }
      const loss = values[0] ?? Number.NaN;
      if (!Number.isFinite(loss)) throw new DivergenceError(epoch + 1, step + 1, loss);
      mean.add(values, indices.length);
      const logs = namedLogs(settings.logNames, mean.means);
      progbar?.update(step + 1, logs);
      for (const callback of callbacks) await callback.onBatchEnd?.(step, logs);
      // Backends resolve their promises as microtasks; without a real turn of the event loop,
      // signal handlers (Ctrl-C) and timers would not run until training ended.
      await yieldToEventLoop();
      if (model.stopTraining) {
        history.interrupted = true;
        break;
      }
    }
    if (history.interrupted) break;
    let logs = namedLogs(settings.logNames, mean.means);
    if (validation !== null) logs = { ...logs, ...(await validationLogs(model, settings, validation, batchSize)) };
    progbar?.finish(logs);
    history.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (history.history[name] ??= []).push(value);
    lastLogs = logs;
    for (const callback of callbacks) await callback.onEpochEnd?.(epoch, logs);
  }
  for (const callback of callbacks) await callback.onTrainEnd?.(lastLogs);
  return history;
}

async function validationLogs(model: TrainableModel, settings: CompiledSettings, data: TrainingData, batchSize: number): Promise<Logs> {
  const logs = await evaluateData(model, settings, data, batchSize);
  return Object.fromEntries(Object.entries(logs).map(([name, value]) => [`val_${name}`, value]));
}
