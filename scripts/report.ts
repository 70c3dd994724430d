/** `npm run report -- <run-dir>`: rebuilds a run's report.html and figures/*.png. */
import { BACKEND_NAMES, useBackend } from '../lib';
import { checkChoice, runFolderCommandLine, runCli } from './cli';
import { writeRunReport } from './report_run';
import { readRunConfig } from './run_folder';
import { loadRunDataset } from './training_run';

runCli(async () => {
  const argv = runFolderCommandLine('$0 <run-dir>\n\nRebuilds the report (report.html and figures/*.png) of a finished training run.').parseSync();
  const runDir = String(argv['run-dir']);
  const config = readRunConfig(runDir);
  await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  await writeRunReport(runDir, loadRunDataset(config).test, (line) => process.stdout.write(`${line}\n`));
});
