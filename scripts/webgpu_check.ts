/**
 * `node dist/scripts/webgpu_check.js [--model lenet5,baseline] [--steps 2] [--batch-size 4] [--json]`:
 * does WebGPU on this machine compute what the cpu backend computes? Each zoo model trains a few
 * SGD steps on both from the same weights and data (training mode: batch statistics, dropout from
 * a fixed seed); the losses and every gradient are compared, and tensors and GPU buffers are
 * counted after each step. Exit code 1 when a model is out of tolerance or leaks. Takes Mesa's
 * software adapter when there is no GPU, which is how the tests run it.
 */
import { heldBuffers, relativeError } from '../lib/backends/agreement';
import { seededUniform } from '../lib/random';
import { clearSession, setRandomSeed, tf, useBackend } from '../lib';
import { activateWebgpu } from '../lib/backends/webgpu';
import { formatChoices } from '../lib/format';
import { ZOO, ZOO_NAMES, isZooName, type ZooName } from '../models';
import { checkFlag, commandLine, runCli, UsageError } from './cli';

/** Float32 sums in another order: measured on llvmpipe, losses within ~1e-6, gradients within ~2e-4 (vgg-cifar, batch 4). */
const LOSS_TOLERANCE = 1e-4;
const GRADIENT_TOLERANCE = 1e-3;
const LEARNING_RATE = 0.05;

interface TrainingRun {
  losses: number[];
  /** Per step, per trainable weight (in the model's order), the gradient's values. */
  gradients: Float32Array[][];
  tensorsAfterStep: number[];
  buffersAfterStep: number[];
  seconds: number;
}

export interface ModelCheck {
  model: ZooName;
  losses: { cpu: number[]; webgpu: number[] };
  /** The largest difference of a loss, relative to the largest cpu loss. */
  lossError: number;
  /** The largest difference within a gradient, relative to that gradient's largest cpu value, over all weights and steps. */
  gradientError: number;
  /** The weight whose gradient differs most, e.g. `conv2d/kernel`. */
  worstWeight: string;
  tensorsAfterStep: number[];
  buffersAfterStep: number[];
  seconds: { cpu: number; webgpu: number };
  passed: boolean;
}

export interface CheckReport {
  backend: string;
  adapter: string;
  software: boolean;
  batchSize: number;
  steps: number;
  models: ModelCheck[];
}

/** SGD steps from `initialWeights` on the active backend; reads only asynchronously, as WebGPU in Node requires. */
async function train(model: tf.LayersModel, initialWeights: tf.Tensor[], x: tf.Tensor, y: tf.Tensor, steps: number): Promise<TrainingRun> {
  const start = performance.now();
  model.setWeights(initialWeights);
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const run: TrainingRun = { losses: [], gradients: [], tensorsAfterStep: [], buffersAfterStep: [], seconds: 0 };
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(() => {
      const predictions = model.apply(x, { training: true }) as tf.Tensor;
      return tf.mean(tf.metrics.categoricalCrossentropy(y, predictions)) as tf.Scalar;
    }, variables);
    run.losses.push((await value.data())[0] ?? Number.NaN);
    run.gradients.push(await Promise.all(variables.map(async (variable) => (await (grads[variable.name] as tf.Tensor).data()) as Float32Array)));
    optimizer.applyGradients(grads);
    tf.dispose([value, grads]);
    run.tensorsAfterStep.push(tf.memory().numTensors);
    run.buffersAfterStep.push(heldBuffers());
  }
  optimizer.dispose();
  run.seconds = Math.round(performance.now() - start) / 1000;
  return run;
}

async function checkModel(name: ZooName, batchSize: number, steps: number): Promise<ModelCheck> {
  await useBackend('cpu');
  clearSession();
  setRandomSeed(7);
  const model = ZOO[name].build().tfModel;
  const inputShape = model.inputs[0]?.shape.slice(1) as number[];
  const classes = model.outputs[0]?.shape[1] as number;
  const images = seededUniform(batchSize * inputShape.reduce((a, b) => a * b, 1), 11);
  const labels = Int32Array.from({ length: batchSize }, (_, i) => (i * 3) % classes);
  // Plain values, not tensors: each backend makes its own copies, so nothing crosses backends.
  const initialValues = await Promise.all(model.getWeights().map(async (weight) => ({ values: await weight.data(), shape: weight.shape })));

  const runOn = async (backend: 'cpu' | 'webgpu'): Promise<TrainingRun> => {
    await useBackend(backend);
    const x = tf.tensor(images, [batchSize, ...inputShape]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const initialWeights = initialValues.map(({ values, shape }) => tf.tensor(values, shape));
    const run = await train(model, initialWeights, x, y, steps);
    tf.dispose([x, y, ...initialWeights]);
    return run;
  };
  const cpu = await runOn('cpu');
  const webgpu = await runOn('webgpu');
  model.dispose();
  setRandomSeed(null);

  let gradientError = -1;
  let worstWeight = '';
  cpu.gradients.forEach((step, s) =>
    step.forEach((expected, w) => {
      const error = relativeError(webgpu.gradients[s]?.[w] ?? [], expected);
      if (error > gradientError) {
        gradientError = error;
        worstWeight = model.trainableWeights[w]?.originalName ?? `weight ${w}`;
      }
    }),
  );
  const lossError = relativeError(webgpu.losses, cpu.losses);
  const leaks = new Set(webgpu.tensorsAfterStep).size > 1 || new Set(webgpu.buffersAfterStep).size > 1;
  return {
    model: name,
    losses: { cpu: cpu.losses, webgpu: webgpu.losses },
    lossError,
    gradientError,
    worstWeight,
    tensorsAfterStep: webgpu.tensorsAfterStep,
    buffersAfterStep: webgpu.buffersAfterStep,
    seconds: { cpu: cpu.seconds, webgpu: webgpu.seconds },
    passed: lossError < LOSS_TOLERANCE && gradientError < GRADIENT_TOLERANCE && !leaks,
  };
}

function describeCheck(check: ModelCheck): string {
  const verdict = check.passed ? 'ok' : 'FAILED';
  return (
    `${check.model}: ${verdict}; loss error ${check.lossError.toExponential(1)} (tolerance ${LOSS_TOLERANCE}), ` +
    `gradient error ${check.gradientError.toExponential(1)} at ${check.worstWeight} (tolerance ${GRADIENT_TOLERANCE}), ` +
    `tensors after each step ${check.tensorsAfterStep.join(', ')}; ${check.seconds.webgpu}s on webgpu, ${check.seconds.cpu}s on cpu`
  );
}

runCli(async () => {
  const argv = commandLine('$0 [--model lenet5,baseline] [--steps 2] [--batch-size 4] [--json]')
    .option('model', { type: 'string', default: ZOO_NAMES.join(','), describe: `comma-separated zoo models: ${ZOO_NAMES.join(', ')}` })
    .option('steps', { type: 'number', default: 2, describe: 'SGD steps per model' })
    .option('batch-size', { type: 'number', default: 4 })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON report instead of lines' })
    .parseSync();
  const models = String(argv.model).split(',').map((name) => name.trim());
  for (const name of models) {
    if (!isZooName(name)) throw new UsageError(`--model: unknown model '${name}'; the zoo has ${formatChoices(ZOO_NAMES)}`);
  }
  const steps = checkFlag('steps', argv.steps, 'positive integer');
  const batchSize = checkFlag('batch-size', argv['batch-size'], 'positive integer');

  const activation = await activateWebgpu({ allowSoftware: true });
  const choice = await useBackend('webgpu');
  if (!argv.json) process.stdout.write(`backend: webgpu (${choice.description})\n`);
  const report: CheckReport = { backend: choice.description, adapter: activation.adapterDescription, software: activation.software, batchSize, steps, models: [] };
  for (const name of models as ZooName[]) {
    const check = await checkModel(name, batchSize, steps);
    report.models.push(check);
    if (!argv.json) process.stdout.write(`${describeCheck(check)}\n`);
  }
  if (argv.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  if (report.models.some((check) => !check.passed)) process.exitCode = 1;
});
