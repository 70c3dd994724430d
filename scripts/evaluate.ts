/** `npm run evaluate -- <run-dir> [--backend]`: re-evaluates a saved run on its test set. */
import { BACKEND_NAMES, imageSetData, loadModel, useBackend } from '../lib';
import { checkChoice, runFolderCommandLine, runCli } from './cli';
import { readRunConfig } from './run_folder';
import { loadRunDataset } from './training_run';

runCli(async () => {
  const argv = runFolderCommandLine('$0 <run-dir>\n\nEvaluates the model of a training run on its test set.').parseSync();
  const runDir = String(argv['run-dir']);
  const config = readRunConfig(runDir);
  await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  const model = await loadModel(runDir);
  const dataset = loadRunDataset(config);
  const logs = await model.evaluate(imageSetData(dataset.test, { labels: 'onehot', classes: config.classNames.length }), undefined, { batchSize: 256 });
  process.stdout.write(
    `${config.model} on ${dataset.name}: test accuracy ${((logs['accuracy'] ?? Number.NaN) * 100).toFixed(2)}%, ` +
      `loss ${(logs['loss'] ?? Number.NaN).toFixed(4)} on ${dataset.test.count} images\n`,
  );
});
