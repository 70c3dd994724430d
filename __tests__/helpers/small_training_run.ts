/**
 * A few training steps of a small CNN that runs every training kernel, on cpu and on wasm from
 * the same seeded weights and data: the wasm run must give the cpu's losses and weights and keep
 * its memory flat. Shared by the tests of each way the wasm backend can run.
 */
import { tf } from '../../lib/tf';
import { heldBuffers, relativeError, seededValues } from './backend_comparison';

const BATCH = 8;
const INPUT_SHAPE = [12, 12, 2];
const CLASSES = 3;
const STEPS = 5;

/** conv 5x5 'same' + batch norm + max pooling + conv with stride 2 + dense: each training kernel runs. */
function smallConvNet(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: INPUT_SHAPE, filters: 4, kernelSize: 5, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'swish' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

interface TrainingRun {
  losses: number[];
  finalWeights: Float32Array[];
  tensorsPerStep: number[];
  buffersPerStep: number[];
}

async function train(backend: 'cpu' | 'wasm'): Promise<TrainingRun> {
  await tf.setBackend(backend);
  const model = smallConvNet();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(seededValues(w.size, 100 + i), w.shape).mul(0.5)));
  const images = tf.tensor4d(seededValues(BATCH * 12 * 12 * 2, 1), [BATCH, 12, 12, 2]);
  const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1], 'int32'), CLASSES);
  const run: TrainingRun = { losses: [], finalWeights: [], tensorsPerStep: [], buffersPerStep: [] };
  for (let step = 0; step < STEPS; step++) {
    const loss = await model.trainOnBatch(images, labels);
    run.losses.push(typeof loss === 'number' ? loss : (loss[0] ?? NaN));
    run.tensorsPerStep.push(tf.memory().numTensors);
    run.buffersPerStep.push(heldBuffers());
  }
  run.finalWeights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([images, labels]);
  model.dispose();
  return run;
}

/** Trains on cpu and then on the wasm backend as the calling file set it up, and compares. */
export function defineSmallTrainingTests(route: string): void {
  describe(`training a small CNN on wasm, ${route}`, () => {
    let cpu: TrainingRun;
    let wasm: TrainingRun;

    beforeAll(async () => {
      cpu = await train('cpu');
      wasm = await train('wasm');
    });

    test('gives the losses and weights of the cpu backend', () => {
      expect(wasm.losses.every(Number.isFinite)).toBe(true);
      expect(wasm.losses[STEPS - 1]).toBeLessThan(wasm.losses[0] ?? 0);
      expect(relativeError(wasm.losses, cpu.losses)).toBeLessThan(1e-4);
      cpu.finalWeights.forEach((expected, i) => {
        expect(relativeError(wasm.finalWeights[i] ?? [], expected)).toBeLessThan(1e-4);
      });
    });

    test('leaks no tensors and no wasm memory from step to step', () => {
      expect(new Set(wasm.tensorsPerStep.slice(1)).size).toBe(1);
      expect(new Set(wasm.buffersPerStep.slice(1)).size).toBe(1);
    });
  });
}
