/**
 * The fused matrix product (bias and activation applied in the same kernel) with transposed
 * operands: the wasm backend's kernel takes the slow plain loop for those, so the operands are
 * transposed first and its fast XNNPACK path does the rest. See BatchMatMul.ts.
 */
import { tf } from '../../tf';
import { multiplyWithPlainKernel } from './BatchMatMul';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';

const KERNEL_NAME = tf._FusedMatMul;

export function makeFusedMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const a = requireInput(inputs, 'a', KERNEL_NAME);
    const b = requireInput(inputs, 'b', KERNEL_NAME);
    const fusedAttrs = attrs as unknown as tf._FusedMatMulAttrs;
    const { transposeA, transposeB } = fusedAttrs;
    return multiplyWithPlainKernel(
      wasm,
      { a, b, transposeA, transposeB },
      (left, right) =>
        runKernelFunc(
          original,
          { ...inputs, a: left, b: right },
          { ...(attrs ?? {}), transposeA: false, transposeB: false },
          wasm,
        ),
      false,
    );
  };
  return replacementConfig(original, kernelFunc);
}
