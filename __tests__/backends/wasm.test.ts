import { activateWasm, wasmPoolSpinIterations } from '../../lib/backends/wasm';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../lib/backends/wasm_kernels';
import { loadWasmBackendPackage } from '../../lib/backends/wasm_kernels/kernel_utils';
import { SHORT_SPIN_ITERATIONS } from '../../lib/backends/wasm_thread_pool';
import { BackendError } from '../../lib/errors';
import { tf } from '../../lib/tf';
import { heldBuffers, relativeError, seededValues } from '../helpers/backend_comparison';

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

/** Threads are fixed when the backend first starts, so this file starts it with two. */
const THREADS = 2;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await activateWasm({ threads: THREADS });
});

describe('activateWasm', () => {
  test('starts the threaded build with the threads asked for, even on a 2-vCPU machine', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(loadWasmBackendPackage().getThreadsCount()).toBe(THREADS);
  });

  test("runs the package's threaded binary with XNNPACK's pool threads spinning less", () => {
    expect(wasmPoolSpinIterations()).toBe(SHORT_SPIN_ITERATIONS);
  });

  test('refuses another thread count once started', async () => {
    await expect(activateWasm({ threads: THREADS + 1 })).rejects.toThrow(/already runs with 2 thread/);
    await expect(activateWasm({ threads: 0 })).rejects.toThrow(BackendError);
  });

  test('makes wasm the backend, with every training kernel registered once', async () => {
    await activateWasm();
    expect(tf.getBackend()).toBe('wasm');
    const registered = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    registerWasmTrainingKernels();
    await activateWasm();
    expect(WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)).toEqual(registered);
    expect(registered.every((kernelFunc) => kernelFunc !== undefined)).toBe(true);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

});

describe('training a small CNN on wasm with two threads', () => {
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

describe('activateWasm when the WebAssembly module cannot start', () => {
  test('throws BackendError saying so', async () => {
    const realFactory = tf.findBackendFactory('wasm');
    // tfjs logs the failed start itself; the test only needs the error.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await tf.setBackend('cpu');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => {
      throw new Error('simulated: no WebAssembly here');
    });
    try {
      const attempt = activateWasm();
      await expect(attempt).rejects.toThrow(BackendError);
      await expect(attempt).rejects.toThrow(/backend 'wasm': its WebAssembly module failed to start/);
    } finally {
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', realFactory, 2);
      warn.mockRestore();
    }
    await activateWasm();
    expect(tf.getBackend()).toBe('wasm');
  });
});
