/**
 * A run folder's report: `report.html` (self-contained) and `figures/*.png`, rebuilt from the
 * saved model, the run's test set, `history.json` and `metrics.json`, plus the images visualised
 * with `npm run visualize` (kept under `visualize/<name>/`).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { loadModel } from '../lib';
import type { ImageSet } from '../lib/data/dataset';
import { DataError } from '../lib/errors';
import { withThousands } from '../lib/format';
import { writeFileAtomic } from '../lib/io/atomic_file';
import { readJsonFile } from '../lib/io/json_file';
import { buildRunReport, type VisualizedImage } from '../lib/report/run_report';
import type { Report } from './training_run';
import { readMetrics, readRunConfig, type RunConfig, type RunMetrics } from './run_folder';

/** The report's file name in a run folder. */
export const REPORT_FILE = 'report.html';
/** Where the report's PNG figures go, inside the run folder. */
export const FIGURES_FOLDER = 'figures';
/** Where `npm run visualize` keeps each image's figures, one folder per image. */
export const VISUALIZE_FOLDER = 'visualize';
/** The description of one visualised image, next to its PNG files. */
export const VISUALIZE_MANIFEST = 'visualize.json';

/** What `visualize.json` holds. */
export interface VisualizeManifest {
  /** The image file as given on the command line. */
  image: string;
  /** The prediction, in one line. */
  description: string;
  /** Each figure's title and PNG file name (in the same folder). */
  figures: { title: string; file: string }[];
}

function readHistory(runDir: string): Record<string, number[]> {
  const path = join(runDir, 'history.json');
  if (!existsSync(path)) return {};
  return readJsonFile(path) as Record<string, number[]>;
}

/** The images visualised so far, in name order; a folder without a readable manifest is skipped. */
export function readVisualizedImages(runDir: string): VisualizedImage[] {
  const folder = join(runDir, VISUALIZE_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, VISUALIZE_MANIFEST)))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const manifestPath = join(folder, name, VISUALIZE_MANIFEST);
      const manifest = readJsonFile(manifestPath, 'run npm run visualize again for this image') as VisualizeManifest;
      const figures = manifest.figures.map((figure) => {
        const path = join(folder, name, figure.file);
        if (!existsSync(path)) throw new DataError(path, `is listed in ${manifestPath} but missing; run npm run visualize again for this image`);
        return { title: figure.title, png: new Uint8Array(readFileSync(path)) };
      });
      return { name: manifest.image, description: manifest.description, figures };
    });
}

function runFacts(runDir: string, config: RunConfig, metrics: RunMetrics, params: number): [string, string][] {
  const limit = config.trainLimit === null ? '' : ` (--train-limit ${config.trainLimit})`;
  const validation = config.validationSplit > 0 ? `, ${Math.round(config.validationSplit * 100)}% of them held out for validation` : '';
  const learningRate = config.learningRate === null ? 'default learning rate' : `learning rate ${config.learningRate}`;
  return [
    ['model', `${config.model}, ${withThousands(params)} parameters`],
    ['data set', `${config.dataset}: ${withThousands(metrics.trainExamples)} training images${limit}${validation}; ${withThousands(metrics.testExamples)} test images`],
    ['classes', config.classNames.join(', ')],
    ['backend', metrics.backend],
    ['epochs', `${metrics.epochs} (batch size ${config.batchSize}, ${config.optimizer}, ${learningRate}, seed ${config.seed})`],
    ['time', `${metrics.seconds} s for the whole run (data, training, evaluation)`],
    ['speed', `${withThousands(metrics.trainImagesPerSecond)} training images/s`],
    ['test', `accuracy ${(metrics.testAccuracy * 100).toFixed(2)}%, loss ${metrics.testLoss.toFixed(4)}`],
    ['run folder', runDir],
  ];
}

/**
 * Writes `report.html` and `figures/*.png` for a finished run, from its saved model and `test`,
 * its test set (as `loadRunDataset(config).test` gives it: a training run passes the one it has
 * in memory). The backend must be active already. `report` receives one line saying where the
 * report is.
 */
export async function writeRunReport(runDir: string, test: ImageSet, report: Report): Promise<void> {
  const config = readRunConfig(runDir);
  const metrics = readMetrics(runDir);
  const model = await loadModel(runDir);
  const built = await buildRunReport({
    title: `${config.model} on ${config.dataset}`,
    facts: runFacts(runDir, config, metrics, model.countParams()),
    model,
    classNames: config.classNames,
    test,
    history: readHistory(runDir),
    testMetrics: { loss: metrics.testLoss, accuracy: metrics.testAccuracy },
    visualized: readVisualizedImages(runDir),
  });
  for (const figure of built.figures) writeFileAtomic(join(runDir, FIGURES_FOLDER, figure.fileName), figure.png);
  const path = join(runDir, REPORT_FILE);
  writeFileAtomic(path, built.html);
  report(`report: ${path} (open it in a browser; its figures are also in ${join(runDir, FIGURES_FOLDER)})`);
}
