/**
 * The fused matrix product (bias and activation applied in the same kernel). Without an
 * activation it goes to our kernel where that takes it, the bias added to its sums; otherwise
 * transposed operands are transposed first (the wasm backend's kernel takes the slow plain loop
 * for those) and its fast XNNPACK path does the rest. See BatchMatMul.ts.
 */
import { tf } from '../../tf';
import { multiplyWithOwnKernel, multiplyWithPlainKernel } from './BatchMatMul';
import { ownKernels } from './own_kernels';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';

const KERNEL_NAME = tf._FusedMatMul;

export function makeFusedMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const a = requireInput(inputs, 'a', KERNEL_NAME);
    const b = requireInput(inputs, 'b', KERNEL_NAME);
    const fusedAttrs = attrs as unknown as tf._FusedMatMulAttrs;
    const { transposeA, transposeB } = fusedAttrs;
    const own = ownKernels();
    const linear = fusedAttrs.activation === 'linear' && inputs['preluActivationWeights'] === undefined;
    const ours = own !== null && linear ? multiplyWithOwnKernel(wasm, own, { a, b, transposeA, transposeB }, inputs['bias'] ?? null) : null;
    if (ours !== null) return ours;
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
