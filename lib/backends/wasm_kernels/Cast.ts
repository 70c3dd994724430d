/**
 * Cast, with two differences from the wasm backend's kernel:
 * - to the dtype a tensor already has, no copy: tfjs casts float32 to float32 all over training
 *   (tf.moments casts its input, for one). The output shares the input's memory, as Identity
 *   does here.
 * - to bool, 1 for every non-zero value (NaN included), as the cpu backend gives: the wasm
 *   kernel copies the numbers into bytes, so -3 becomes 253.
 * Other conversions keep the backend's kernel.
 */
import { tf } from '../../tf';
import { asWasmBackend, requireInput, replacementConfig, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';

type NumericArray = Float32Array | Int32Array | Uint8Array;

const KERNEL_NAME = tf.Cast;

export function makeCastConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const { dtype } = attrs as unknown as tf.CastAttrs;
    if (dtype === x.dtype && x.dtype !== 'string') {
      wasm.incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    }
    if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
      const out = wasm.makeOutput(x.shape, 'bool');
      const source = wasm.typedArrayFromHeap(x) as NumericArray;
      const target = wasm.typedArrayFromHeap(out) as NumericArray;
      for (let i = 0; i < source.length; i++) target[i] = source[i] === 0 ? 0 : 1;
      return out;
    }
    return runKernelFunc(original, inputs, attrs ?? {}, wasm);
  };
  return replacementConfig(original, kernelFunc);
}
