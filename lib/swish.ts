/**
 * Swish (Keras's `swish`, also `silu`): y = x * s with s = sigmoid(x), as one op whose gradient
 * is in closed form: dy/dx = s + x s (1 - s) = s + y (1 - s).
 *
 * tf.layers computes swish as mul(sigmoid(mul(x, 1)), x) and differentiates those ops one by
 * one: 3 kernels forward and 7 backward per layer, each a pass over every activation value. A
 * backend with our SWISH_KERNEL (y and s in one pass) and SWISH_GRAD_KERNEL (dx from y, s and dy
 * in one pass) runs one kernel each way; wasm has them (wasm_kernels/Swish). Other backends run 2
 * kernels forward and 4 backward.
 *
 * Importing this module replaces the class tf.layers registers as 'swish' with a subclass whose
 * `apply` is this op, so every layer with `activation: 'swish'` uses it, loaded models included;
 * the saved name stays 'swish'.
 */
import { backendHasKernels, tf } from './tf';
import { replaceTfjsActivation } from './tfjs_classes';

/** Kernel names: inputs {x}, outputs [y, s]; and inputs {y, s, dy}, output dx. */
export const SWISH_KERNEL = 'TfjsKerasSwish';
export const SWISH_GRAD_KERNEL = 'TfjsKerasSwishGrad';

/** y and s = sigmoid(x). */
function swishAndSigmoid(x: tf.Tensor, fused: boolean): [tf.Tensor, tf.Tensor] {
  if (fused) return tf.engine().runKernel(SWISH_KERNEL, { x }) as [tf.Tensor, tf.Tensor];
  const s = tf.sigmoid(x);
  return [tf.mul(x, s), s];
}

function swishGradient(y: tf.Tensor, s: tf.Tensor, dy: tf.Tensor, fused: boolean): tf.Tensor {
  if (fused) return tf.engine().runKernel(SWISH_GRAD_KERNEL, { y, s, dy }) as tf.Tensor;
  return tf.mul(dy, tf.add(s, tf.mul(y, tf.sub(1, s))));
}

/** x * sigmoid(x), elementwise. */
export function swish(x: tf.Tensor): tf.Tensor {
  const fused = x.dtype === 'float32' && backendHasKernels(SWISH_KERNEL, SWISH_GRAD_KERNEL);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [y, s] = swishAndSigmoid(input, fused);
    save([y, s]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedY, savedS] = saved as [tf.Tensor, tf.Tensor];
        return swishGradient(savedY, savedS, dy, fused);
      },
    };
  });
  return op(x);
}

replaceTfjsActivation('swish', swish);
