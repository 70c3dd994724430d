/** `npm run predict -- <run-dir> <image...>`: the class and probability of each image. */
import { BACKEND_NAMES, loadModel, tf, useBackend } from '../lib';
import { loadImageFile } from '../lib/data/image';
import { checkChoice, runFolderCommandLine, runCli } from './cli';
import { readRunConfig } from './run_folder';

runCli(async () => {
  const argv = runFolderCommandLine('$0 <run-dir> <image...>\n\nPredicts the class of PNG or JPEG images with a trained run.', '$0 <run-dir> <images..>')
    .positional('images', { type: 'string', array: true, describe: 'PNG or JPEG files' })
    .parseSync();
  const runDir = String(argv['run-dir']);
  const images = (argv['images'] as string[] | undefined) ?? [];
  const config = readRunConfig(runDir);
  const [height, width, channels] = config.inputShape as [number, number, number];
  const pixels = images.map((path) => loadImageFile(path, [height, width, channels]));
  await useBackend(checkChoice('backend', argv.backend, BACKEND_NAMES));
  const model = await loadModel(runDir);
  const batch = tf.tensor4d(Float32Array.from(pixels.flatMap((image) => Array.from(image))), [images.length, height, width, channels]);
  const probabilities = (await (model.predict(batch) as tf.Tensor).array()) as number[][];
  probabilities.forEach((row, i) => {
    const best = row.indexOf(Math.max(...row));
    process.stdout.write(`${images[i]}: ${config.classNames[best] ?? best} (${((row[best] ?? 0) * 100).toFixed(1)}%)\n`);
  });
});
