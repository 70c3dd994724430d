/**
 * The one place that imports TensorFlow.js, so that every module shares one engine and importing
 * this library prints nothing.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The pure-JS cpu backend prints an "install tfjs-node" banner on its first tensor. The backends
 * module tells users which backend runs and how to get a faster one, so the banner is redundant.
 */
function silenceCpuBanner(): void {
  // Choosing the default backend now creates the cpu backend instance that will be used (an
  // instance made earlier by findBackend would be replaced), unless the user picked one already.
  // When a backend with asynchronous start-up (wasm, loaded before this library) has the highest
  // priority, the engine refuses until tf.ready(): then the cpu banner is not ours to silence.
  try {
    tf.backend();
  } catch {
    return;
  }
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu !== null && cpu.firstUse === true) cpu.firstUse = false;
}

silenceCpuBanner();

/**
 * Whether the active backend registers every one of `kernelNames`: our ops run a backend's own
 * fused kernels where it has them and tfjs ops elsewhere.
 */
export function backendHasKernels(...kernelNames: string[]): boolean {
  const backend = tf.getBackend();
  return kernelNames.every((kernelName) => tf.getKernel(kernelName, backend) !== undefined);
}

export { tf };
