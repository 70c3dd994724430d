/**
 * Add, with our own SIMD kernel for a per-channel bias: [..., C] + [C] (either order), float32,
 * C >= 4, on the threaded backend. Convolutions add their bias this way while training (see
 * layers/training_calls), and the wasm backend's Add broadcasts with a per-value index
 * computation: LeNet-5's first layer, [128, 28, 28, 6] + [6], took 2.1 ms a step. Every other
 * Add runs the backend's own kernel.
 */
import { tf } from '../../tf';
import { CHANNEL_AFFINE_MIN_CHANNELS } from './channel_affine_wat';
import { asWasmBackend, heapOffset, replacementConfig, requireInput, runKernelFunc, type KernelArgs, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';

const KERNEL_NAME = tf.Add;

/** The activations and the bias when `a + b` adds a bias over the last axis, else null. */
function asBiasAdd(a: TensorInfo, b: TensorInfo): { activations: TensorInfo; bias: TensorInfo } | null {
  for (const [activations, bias] of [[a, b], [b, a]] as const) {
    const channels = bias.shape[0] ?? 0;
    if (
      bias.shape.length === 1 &&
      activations.shape.length >= 2 &&
      activations.shape[activations.shape.length - 1] === channels &&
      channels >= CHANNEL_AFFINE_MIN_CHANNELS &&
      activations.dtype === 'float32' &&
      bias.dtype === 'float32'
    ) {
      return { activations, bias };
    }
  }
  return null;
}

export function makeAddConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const biasAdd = asBiasAdd(requireInput(inputs, 'a', KERNEL_NAME), requireInput(inputs, 'b', KERNEL_NAME));
    const own = ownKernels();
    if (biasAdd === null || own === null) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    const { activations, bias } = biasAdd;
    const channels = bias.shape[0] ?? 0;
    const y = wasm.makeOutput(activations.shape, 'float32');
    own.addBias({
      x: heapOffset(wasm, activations),
      bias: heapOffset(wasm, bias),
      y: heapOffset(wasm, y),
      pixels: tf.util.sizeFromShape(activations.shape) / channels,
      channels,
    });
    return y;
  };
  return replacementConfig(original, kernelFunc);
}
