/**
 * Identity without a copy. tfjs's engine clones every tensor a kernel saves for its gradient
 * through this kernel, so a training step calls it hundreds of times, and the wasm backend's
 * version copies the whole tensor each time. Tensors are immutable in tfjs (a variable's
 * assign swaps in another buffer), so the output may share the input's memory under a second
 * reference, as the cpu backend's Identity and the wasm backend's own Reshape do.
 */
import { tf } from '../../tf';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';

const KERNEL_NAME = tf.Identity;

export function makeIdentityConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    if (x.dtype === 'string') return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    wasm.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return replacementConfig(original, kernelFunc);
}
