/** `npm run report -- <run-dir>`: rebuilds a run's report.html and figures/*.png. */
import { BACKEND_NAMES, useBackend } from '../lib';
import { checkChoice, commandLine, runCli } from './cli';
import { writeRunReport } from './report_run';
import { readRunConfig } from './run_folder';
import { loadRunDataset } from './training_run';

runCli(async () => {
  const argv = commandLine('$0 <run-dir>\n\nRebuilds the report (report.html and figures/*.png) of a finished training run.')
    .command('$0 <run-dir>', false)
    .positional('run-dir', { type: 'string', describe: 'a folder made by npm run train' })
    .option('backend', { type: 'string', default: 'auto', describe: BACKEND_NAMES.join(', ') })
    .parseSync();
  const runDir = String(argv['run-dir']);
  const config = readRunConfig(runDir);
  await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  await writeRunReport(runDir, loadRunDataset(config).test, (line) => process.stdout.write(`${line}\n`));
});
