/**
 * `npm run train -- <model> [--dataset] [--data-dir] [--epochs] [--batch-size] [--optimizer]
 * [--lr] [--backend] [--train-limit] [--test-limit] [--validation-split] [--test-split] [--seed]
 * [--out <dir>] [--resume]`
 */
import { BACKEND_NAMES, OPTIMIZER_NAMES, clearSession } from '../lib';
import { DATASET_NAMES, datasetInfo, isDatasetName, type DatasetName } from '../lib/data';
import { DEFAULT_TEST_SPLIT } from '../lib/data/folder';
import { ZOO, type ZooName } from '../models';
import { checkChoice, checkFlag, commandLine, runCli, UsageError, zooName } from './cli';
import { defaultRunFolder, readCheckpointState, readRunConfig, type RunConfig } from './run_folder';
import { isRunFolder, trainRun } from './training_run';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function optionalNumber(flag: string, value: unknown, rule: Parameters<typeof checkFlag>[2]): number | null {
  return value === undefined ? null : checkFlag(flag, value, rule);
}

/** The model's own input shape, for data sets whose images can take any shape (`folder`). */
function modelInputShape(model: ZooName): number[] {
  const shape = ZOO[model].build().inputs[0]?.shape.slice(1) as number[];
  clearSession();
  return shape.length === 2 ? [...shape, 1] : shape;
}

function newRunConfig(argv: Record<string, unknown>, model: ZooName): RunConfig {
  const entry = ZOO[model];
  const datasetName = checkChoice('dataset', argv['dataset'] ?? entry.defaultDataset, DATASET_NAMES) as DatasetName;
  if (!isDatasetName(datasetName)) throw new UsageError(`unknown data set '${datasetName}'`);
  const info = datasetInfo(datasetName);
  const dataDir = argv['data-dir'] === undefined ? null : String(argv['data-dir']);
  if (info.needsDataDir && dataDir === null) {
    throw new UsageError(`--data-dir is needed for ${datasetName}: ${info.dataDirHint}`);
  }
  const testSplit = argv['test-split'] === undefined ? DEFAULT_TEST_SPLIT : checkFlag('test-split', argv['test-split'], 'open fraction');
  const seed = argv['seed'] === undefined ? 0 : checkFlag('seed', argv['seed'], 'integer');
  const inputShape = info.inputShape ? [...info.inputShape] : modelInputShape(model);
  return {
    model,
    dataset: datasetName,
    dataDir,
    epochs: argv['epochs'] === undefined ? entry.epochs : checkFlag('epochs', argv['epochs'], 'positive integer'),
    batchSize: argv['batch-size'] === undefined ? 32 : checkFlag('batch-size', argv['batch-size'], 'positive integer'),
    optimizer: checkChoice('optimizer', argv['optimizer'] ?? entry.optimizer, OPTIMIZER_NAMES),
    learningRate: optionalNumber('lr', argv['lr'], 'positive number'),
    backend: checkChoice('backend', argv['backend'] ?? 'auto', BACKEND_NAMES),
    trainLimit: optionalNumber('train-limit', argv['train-limit'], 'positive integer'),
    testLimit: optionalNumber('test-limit', argv['test-limit'], 'positive integer'),
    validationSplit: argv['validation-split'] === undefined ? 0 : checkFlag('validation-split', argv['validation-split'], 'fraction'),
    testSplit,
    seed,
    inputShape,
    classNames: [],
  };
}

runCli(async () => {
  const argv = commandLine('$0 <model> [options]\n\nTrains a zoo model; the run folder gets the model, history, metrics and a checkpoint.')
    .command('$0 <model>', false)
    .positional('model', { type: 'string', describe: 'a zoo model: lenet5, baseline, vgg-cifar, mnist-cnn, lecture-*' })
    .option('dataset', { type: 'string', describe: `${DATASET_NAMES.join(', ')} (default: the model's)` })
    .option('data-dir', { type: 'string', describe: 'folder of the data set files (all but mnist)' })
    .option('epochs', { type: 'number', describe: "epochs to train (default: the course's)" })
    .option('batch-size', { type: 'number', describe: 'examples per step (default 32)' })
    .option('optimizer', { type: 'string', describe: `${OPTIMIZER_NAMES.join(', ')} (default: the course's)` })
    .option('lr', { type: 'number', describe: "learning rate (default: Keras's for the optimizer)" })
    .option('backend', { type: 'string', describe: `${BACKEND_NAMES.join(', ')} (default auto)` })
    .option('threads', { type: 'number', describe: 'wasm backend: threads (default: one per core)' })
    .option('train-limit', { type: 'number', describe: 'use at most this many training images' })
    .option('test-limit', { type: 'number', describe: 'use at most this many test images' })
    .option('validation-split', { type: 'number', describe: 'fraction of the training images to validate on (default 0)' })
    .option('test-split', { type: 'number', describe: 'folder data set: fraction held out for testing (default 0.2)' })
    .option('seed', { type: 'number', describe: 'makes initialisation, shuffling and splits repeatable (default 0)' })
    .option('out', { type: 'string', describe: 'the run folder (default runs/<model>-<time>)' })
    .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out from its last completed epoch' })
    .parseSync() as unknown as Record<string, unknown>;
  const model = zooName(argv['model']);
  let config: RunConfig;
  let runDir: string;
  if (argv['resume'] === true) {
    if (argv['out'] === undefined) throw new UsageError('--resume needs --out <run folder> to know which run to continue');
    runDir = String(argv['out']);
    config = readRunConfig(runDir);
    if (config.model !== model) throw new UsageError(`--resume: ${runDir} is a run of ${config.model}, not ${model}`);
    if (argv['epochs'] !== undefined) config = { ...config, epochs: checkFlag('epochs', argv['epochs'], 'positive integer') };
    if (argv['backend'] !== undefined) config = { ...config, backend: checkChoice('backend', argv['backend'], BACKEND_NAMES) };
  } else {
    config = newRunConfig(argv, model);
    runDir = argv['out'] === undefined ? defaultRunFolder(model) : String(argv['out']);
    if (isRunFolder(runDir) && readCheckpointState(runDir) !== null) {
      throw new UsageError(`${runDir} already holds a run; pass --resume to continue it or choose another --out`);
    }
  }
  const threads = argv['threads'] === undefined ? {} : { threads: checkFlag('threads', argv['threads'], 'positive integer') };
  const { metrics } = await trainRun(config, runDir, argv['resume'] === true, print, threads);
  print(
    `test accuracy ${(metrics.testAccuracy * 100).toFixed(2)}% (loss ${metrics.testLoss.toFixed(4)}) on ${metrics.testExamples} images; ` +
      `${metrics.trainImagesPerSecond} training images/s on ${metrics.backend}; ${metrics.seconds}s; saved in ${runDir}`,
  );
});
