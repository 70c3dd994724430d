/**
 * Runs the same computation on the cpu backend (the reference) and on wasm with this library's
 * kernels, from the same seeded inputs, and measures how far apart the results are.
 */
import { seededUniform } from '../../lib/random';
import { heldBuffers, relativeError } from '../../lib/backends/agreement';

export { heldBuffers, relativeError };
import { activateWasm } from '../../lib/backends/wasm';
import { ownKernels } from '../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../lib/tf';

export type BackendUnderTest = 'cpu' | 'wasm';

/** Uniform values in [-1, 1) from a fixed seed, the same on every run and backend. */
export const seededValues = seededUniform;

export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

export interface Result {
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
}


/**
 * Runs `build` on `backend` inside tidy and returns its outputs' shapes and values. On wasm it
 * also checks that nothing was left behind: `build` must make its inputs itself.
 */
export async function runOn(backend: BackendUnderTest, build: () => tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = heldBuffers();
  const results = tf.tidy(() => build().map((t) => ({ shape: t.shape, values: t.dataSync() as Result['values'] })));
  if (tf.memory().numTensors !== tensorsBefore || heldBuffers() !== buffersBefore) {
    throw new Error(
      `${backend}: ${tf.memory().numTensors - tensorsBefore} tensors and ` +
        `${heldBuffers() - buffersBefore} data buffers leaked`,
    );
  }
  return results;
}

export interface Comparison {
  cpu: Result[];
  wasm: Result[];
  /** Per output: the relative error of wasm against cpu. */
  errors: number[];
}

export async function compareBackends(build: () => tf.Tensor[]): Promise<Comparison> {
  const cpu = await runOn('cpu', build);
  const wasm = await runOn('wasm', build);
  const errors = cpu.map((expected, i) => {
    const actual = wasm[i];
    if (actual === undefined || actual.shape.join(',') !== expected.shape.join(',')) return Infinity;
    return relativeError(actual.values, expected.values);
  });
  return { cpu, wasm, errors };
}

/** Expects every output of `build` to agree between cpu and wasm within `tolerance`. */
export async function expectBackendsAgree(build: () => tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const { cpu, wasm, errors } = await compareBackends(build);
  expect(wasm.map((r) => r.shape)).toEqual(cpu.map((r) => r.shape));
  for (const error of errors) expect(error).toBeLessThan(tolerance);
}

/** For beforeAll: wasm with the training kernels, and the cpu backend's banner off. */
export async function setUpBackends(): Promise<void> {
  await tf.setBackend('cpu');
  await activateWasm();
}

/**
 * For beforeAll: as setUpBackends, on the threaded backend, whose shared memory our own SIMD
 * kernels need; fails if they did not start (they fall back silently in use).
 */
export async function setUpBackendsWithOwnKernels(): Promise<void> {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  expect(ownKernels()).not.toBeNull();
}

/** Runs a kernel directly, bypassing the ops' argument checks and gradients. */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}
