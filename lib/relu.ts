/**
 * ReLU whose gradient is one kernel on a backend that has RELU_GRAD_KERNEL (wasm: one SIMD pass,
 * wasm_kernels/ReluGrad): dx = dy where y = relu(x) > 0, else 0 (NaN where y is NaN, as tfjs
 * gives). tfjs differentiates relu as dy * step(x): two passes over the activations, and a
 * third tensor of their size. Elsewhere this is tf.relu, with tfjs's gradient.
 *
 * Importing this module makes it the 'relu' of every layer that applies its activation as a
 * separate op; tf.layers's Dense and its inference convolutions fuse relu and are unchanged.
 */
import { backendHasKernels, tf } from './tf';
import { replaceTfjsActivation } from './tfjs_classes';

/** Kernel name: inputs {y, dy}, y the forward output; output dx. */
export const RELU_GRAD_KERNEL = 'TfjsKerasReluGrad';

/** max(x, 0), elementwise. */
export function relu(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || !backendHasKernels(RELU_GRAD_KERNEL)) return tf.relu(x);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const y = tf.relu(input);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(RELU_GRAD_KERNEL, { y: saved[0] as tf.Tensor, dy }) as tf.Tensor,
    };
  });
  return op(x);
}

replaceTfjsActivation('relu', relu);
