/** Mean over leading or middle axes without the wasm kernel's transpose; see reduction.ts. */
import { tf } from '../../tf';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';
import { middleAxesLayout, reduceMiddleAxis } from './reduction';

const KERNEL_NAME = tf.Mean;

export function makeMeanConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const { axis, keepDims } = attrs as unknown as tf.MeanAttrs;
    const layout = middleAxesLayout(x, axis, keepDims);
    if (layout === null || layout.reduced === 0) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    return reduceMiddleAxis(wasm, x, layout, 1 / layout.reduced);
  };
  return replacementConfig(original, kernelFunc);
}
