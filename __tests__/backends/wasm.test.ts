import { activateWasm, wasmDescription, wasmPoolSpinIterations } from '../../lib/backends/wasm';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../lib/backends/wasm_kernels';
import { loadWasmBackendPackage } from '../../lib/backends/wasm_kernels/kernel_utils';
import { SHORT_SPIN_ITERATIONS } from '../../lib/backends/wasm_thread_pool';
import { BackendError } from '../../lib/errors';
import { tf } from '../../lib/tf';
import { defineSmallTrainingTests } from '../helpers/small_training_run';

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

  test('describes itself with its threads and our kernels', () => {
    expect(wasmDescription()).toBe('WebAssembly (XNNPACK, 2 threads) with tfjs-keras training kernels, no native dependency');
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

defineSmallTrainingTests('with two threads');

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
