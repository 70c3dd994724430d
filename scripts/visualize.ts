/**
 * `npm run visualize -- <run-dir> <image>`: the feature maps every convolution layer of a trained
 * run makes of one PNG or JPEG image, written as PNG files under `<run-dir>/visualize/<name>/`,
 * and added to the run's report.html.
 */
import { basename, extname, join } from 'path';
import { BACKEND_NAMES, loadModel, useBackend } from '../lib';
import { createImageSet, type ImageShape } from '../lib/data/dataset';
import { loadImageFile } from '../lib/data/image';
import { writeFileAtomic, writeJsonAtomic } from '../lib/io/atomic_file';
import { convolutionFeatureMaps } from '../lib/report/feature_maps';
import { featureMapGrids, percent, singleImageGrid } from '../lib/report/figures';
import { imageGridSpec } from '../lib/report/image_grid';
import { pixelsToImage } from '../lib/report/pixels';
import { predictClasses } from '../lib/report/predictions';
import { renderPng } from '../lib/report/render';
import { TILE_WIDTH } from '../lib/report/run_report';
import { checkChoice, runFolderCommandLine, runCli, UsageError } from './cli';
import { VISUALIZE_FOLDER, VISUALIZE_MANIFEST, writeRunReport, type VisualizeManifest } from './report_run';
import { readRunConfig } from './run_folder';
import { loadRunDataset } from './training_run';

/** `my digit.png` -> `my_digit`: a folder name that needs no quoting. */
function folderName(imagePath: string): string {
  return basename(imagePath, extname(imagePath)).replace(/[^A-Za-z0-9_-]+/g, '_') || 'image';
}

runCli(async () => {
  const argv = runFolderCommandLine(
    '$0 <run-dir> <image>\n\nWrites the feature maps of every convolution layer for one image, as PNG files, and adds them to the report.',
    '$0 <run-dir> <image>',
  )
    .positional('image', { type: 'string', describe: 'a PNG or JPEG file' })
    .parseSync();
  const runDir = String(argv['run-dir']);
  const imagePath = String(argv['image']);
  const config = readRunConfig(runDir);
  const shape = config.inputShape as unknown as ImageShape;
  const pixels = loadImageFile(imagePath, shape);
  await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  const model = await loadModel(runDir);
  const maps = await convolutionFeatureMaps(model, pixels);
  if (maps.length === 0) throw new UsageError(`model '${config.model}' in ${runDir} has no Conv2D layer, so there are no feature maps to show`);

  const prediction = await predictClasses(model, createImageSet(pixels, Int32Array.of(0), shape));
  const predicted = prediction.predicted[0] as number;
  const description = `predicted ${config.classNames[predicted] ?? predicted} (${percent(prediction.confidence[0] as number)})`;
  const [height, width, channels] = shape;
  const grids = [
    { file: 'input.png', grid: singleImageGrid('The image', pixelsToImage(pixels, height, width, channels), `${basename(imagePath)}\n${description}`, TILE_WIDTH.featureMap * 2) },
    ...featureMapGrids(maps, TILE_WIDTH.featureMap).map((grid, i) => ({ file: `feature_maps_${maps[i]?.name ?? i}.png`, grid })),
  ];
  const folder = join(runDir, VISUALIZE_FOLDER, folderName(imagePath));
  for (const { file, grid } of grids) {
    writeFileAtomic(join(folder, file), await renderPng(imageGridSpec(grid)));
    process.stdout.write(`${join(folder, file)}\n`);
  }
  const manifest: VisualizeManifest = { image: imagePath, description, figures: grids.map(({ file, grid }) => ({ title: grid.title, file })) };
  writeJsonAtomic(join(folder, VISUALIZE_MANIFEST), manifest);
  await writeRunReport(runDir, loadRunDataset(config).test, (line) => process.stdout.write(`${line}\n`));
});
