/**
 * A training run's folder: `run.json` (what was asked: model, data set, flags), `history.json`
 * (per-epoch metrics, rewritten after every epoch), `metrics.json` (the result), `checkpoint/`
 * (the model with its optimiser state after the last completed epoch) and the final `model.json`
 * with its weights. Every file is written atomically.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import type { DatasetName } from '../lib/data';
import { DataError } from '../lib/errors';
import { writeJsonAtomic } from '../lib/io/atomic_file';
import { readJsonFile } from '../lib/io/json_file';
import type { BackendName, History, OptimizerName } from '../lib';
import type { ZooName } from '../models';

/** Everything needed to repeat, resume or evaluate a run. */
export interface RunConfig {
  model: ZooName;
  dataset: DatasetName;
  dataDir: string | null;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number | null;
  backend: BackendName;
  trainLimit: number | null;
  testLimit: number | null;
  validationSplit: number;
  testSplit: number;
  seed: number;
  /** One example's shape, as the model takes it. */
  inputShape: number[];
  classNames: string[];
}

/** What `metrics.json` holds at the end of a run. */
export interface RunMetrics {
  model: string;
  dataset: string;
  backend: string;
  epochs: number;
  trainExamples: number;
  testExamples: number;
  testAccuracy: number;
  testLoss: number;
  trainImagesPerSecond: number;
  seconds: number;
}

/** The training state kept in the checkpoint's model.json. */
export interface CheckpointState {
  /** Epochs completed. */
  epoch: number;
  history: Record<string, number[]>;
}

export const checkpointFolder = (runDir: string): string => join(runDir, 'checkpoint');

/** `runs/lenet5-20261123-142501`. */
export function defaultRunFolder(model: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${model}-${stamp}`);
}

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new DataError(path, `not found: expected ${what}`);
  return readJsonFile(path);
}

export function writeRunConfig(runDir: string, config: RunConfig): void {
  writeJsonAtomic(join(runDir, 'run.json'), config);
}

export function readRunConfig(runDir: string): RunConfig {
  const config = readJson(join(runDir, 'run.json'), 'the run.json of a training run (is this a run folder?)');
  const fields: (keyof RunConfig)[] = ['model', 'dataset', 'epochs', 'batchSize', 'inputShape', 'classNames'];
  const missing = fields.filter((field) => typeof config !== 'object' || config === null || !(field in config));
  if (missing.length > 0) throw new DataError(join(runDir, 'run.json'), `lacks ${missing.join(', ')}`);
  return config as RunConfig;
}

export function writeHistory(runDir: string, history: History['history']): void {
  writeJsonAtomic(join(runDir, 'history.json'), history);
}

export function writeMetrics(runDir: string, metrics: RunMetrics): void {
  writeJsonAtomic(join(runDir, 'metrics.json'), metrics);
}

export function readMetrics(runDir: string): RunMetrics {
  return readJson(join(runDir, 'metrics.json'), 'the metrics.json of a finished run') as RunMetrics;
}

/** The state saved with the checkpoint, or null when the run has none yet. */
export function readCheckpointState(runDir: string): CheckpointState | null {
  const path = join(checkpointFolder(runDir), 'model.json');
  if (!existsSync(path)) return null;
  const json = readJson(path, 'a checkpoint') as { userDefinedMetadata?: { checkpoint?: CheckpointState } };
  const state = json.userDefinedMetadata?.checkpoint;
  if (state === undefined || !Number.isInteger(state.epoch)) throw new DataError(path, 'is not a tfjs-keras checkpoint (no epoch recorded)');
  return state;
}
