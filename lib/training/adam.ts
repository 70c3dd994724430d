/**
 * Adam as TensorFlow.js computes it (tf.train.adam, the same slots, names and saved config), with
 * each weight's step as one kernel on a backend that has ADAM_KERNEL (wasm: one SIMD pass,
 * wasm_kernels/Adam). tfjs runs about 14 kernels a weight: on LeNet-5's 10 weights, about 150
 * small kernels and 2.6-4 ms of a 40 ms training step on wasm.
 */
import { KerasError } from '../errors';
import { backendHasKernels, tf } from '../tf';

/**
 * Kernel name: inputs {value, m, v, gradient, accBeta1, accBeta2} (the last two scalars: beta^t
 * before this step), attrs {learningRate, beta1, beta2, epsilon}; outputs [value, m, v] after it.
 */
export const ADAM_KERNEL = 'TfjsKerasAdam';

/** The AdamOptimizer fields this class reads; TypeScript calls them private, tfjs 4.22 has them. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class OneKernelAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g): [string, tf.Tensor] => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const allFloat32 = entries.every(([, gradient]) => gradient === undefined || gradient.dtype === 'float32');
    if (!backendHasKernels(ADAM_KERNEL) || !allFloat32) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const attrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    tf.tidy(() => {
      entries.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        if (value === undefined) throw new KerasError(`Adam: no variable named '${name}' to apply a gradient to`);
        const slot = (moments: AdamState['accumulatedFirstMoment'], suffix: string): tf.Variable =>
          (moments[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }).variable;
        const m = slot(state.accumulatedFirstMoment, 'm');
        const v = slot(state.accumulatedSecondMoment, 'v');
        if (gradient === undefined) return;
        const inputs = { value, m, v, gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [newValue, newM, newV] = tf.engine().runKernel(ADAM_KERNEL, inputs, attrs) as tf.Tensor[];
        m.assign(newM as tf.Tensor);
        v.assign(newV as tf.Tensor);
        value.assign(newValue as tf.Tensor);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

// Saved as 'Adam', like tfjs's class; loaded checkpoints take the one-kernel step too.
tf.serialization.registerClass(OneKernelAdam);
