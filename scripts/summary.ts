/**
 * `npm run summary -- <model> [--dataset mnist|fashion-mnist|cifar10] [--explain]`: prints a zoo
 * model's Keras summary for the data set's input shape and classes.
 */
import { datasetInfo, isDatasetName } from '../lib/data';
import { formatChoices } from '../lib/format';
import { ZOO } from '../models';
import { commandLine, runCli, UsageError, zooName } from './cli';

const SHAPED_DATASETS = ['mnist', 'fashion-mnist', 'cifar10'] as const;

runCli(() => {
  const argv = commandLine('$0 <model> [--dataset name]\n\nPrints the Keras summary of a zoo model.')
    .command('$0 <model>', false)
    .positional('model', { type: 'string', describe: 'a zoo model, e.g. lenet5' })
    .option('dataset', { type: 'string', describe: `input shape and classes of: ${SHAPED_DATASETS.join(', ')} (default: the model's)` })
    .option('explain', { type: 'boolean', default: false, describe: 'show the arithmetic behind each shape and count' })
    .parseSync();
  const name = zooName(argv['model']);
  const entry = ZOO[name];
  const datasetName = argv.dataset ?? entry.defaultDataset;
  if (!isDatasetName(datasetName) || datasetName === 'folder') {
    throw new UsageError(`--dataset must be ${formatChoices(SHAPED_DATASETS)}, got '${datasetName}'`);
  }
  const info = datasetInfo(datasetName);
  const model = entry.build({ ...(info.inputShape ? { inputShape: info.inputShape } : {}), ...(info.classCount ? { classes: info.classCount } : {}) });
  model.summary({ explain: argv.explain });
});
