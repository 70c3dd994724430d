import { activateWasm, wasmDescription } from '../../lib/backends/wasm';
import { loadWasmBackendPackage } from '../../lib/backends/wasm_kernels/kernel_utils';
import { OwnKernels, ownKernels } from '../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../lib/tf';
import { defineSmallTrainingTests } from '../helpers/small_training_run';

// Threads are fixed when the backend first starts: this file starts it with one.
const filterGradient = jest.spyOn(OwnKernels.prototype, 'filterGradient');
const swish = jest.spyOn(OwnKernels.prototype, 'swish');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('activateWasm when our kernels fail to start', () => {
  beforeAll(async () => {
    jest.spyOn(OwnKernels, 'start').mockRejectedValueOnce(new Error('simulated: no WebAssembly compiler'));
    await activateWasm({ threads: 1 });
  });

  test('still starts the backend, and its description says why it is slower', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(ownKernels()).toBeNull();
    expect(wasmDescription()).toBe(
      "WebAssembly (XNNPACK, 1 thread) with the package's kernels only " +
        "(tfjs-keras's faster kernels did not start: simulated: no WebAssembly compiler), no native dependency",
    );
  });
});

describe('activateWasm with one thread', () => {
  beforeAll(async () => {
    await activateWasm({ threads: 1 });
  });

  test('tries our kernels again, and starts them on the calling thread alone, with no workers', () => {
    expect(loadWasmBackendPackage().getThreadsCount()).toBe(1);
    expect(ownKernels()?.threads).toBe(1);
    expect(wasmDescription()).toBe('WebAssembly (XNNPACK, 1 thread) with tfjs-keras training kernels, no native dependency');
  });
});

defineSmallTrainingTests('with one thread');

describe('the small CNN on one thread', () => {
  test('ran its filter gradients and swish on our kernels', () => {
    expect(filterGradient).toHaveBeenCalled();
    expect(swish).toHaveBeenCalled();
  });
});

describe('with our kernels switched off', () => {
  beforeAll(async () => {
    filterGradient.mockClear();
    swish.mockClear();
    await activateWasm({ threads: 1, ownKernels: false });
  });

  afterAll(async () => {
    await activateWasm({ threads: 1 });
  });

  test('the description says that only the package kernels run', () => {
    expect(ownKernels()).toBeNull();
    expect(wasmDescription()).toBe(
      "WebAssembly (XNNPACK, 1 thread) with the package's kernels only (tfjs-keras's faster kernels switched off), no native dependency",
    );
  });

  defineSmallTrainingTests('on the fallbacks');

  test('none of our kernels ran', () => {
    expect(filterGradient).not.toHaveBeenCalled();
    expect(swish).not.toHaveBeenCalled();
  });
});
