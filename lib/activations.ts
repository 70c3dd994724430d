/** Activation functions by their Keras names, mapped onto TensorFlow.js's identifiers. */
import { oneOf } from './args';
// Every layer's 'swish' and unfused 'relu' become ops whose gradient is one kernel where a backend has it.
import './relu';
import './swish';

const TFJS_IDENTIFIERS = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  swish: 'swish',
  silu: 'swish',
  softmax: 'softmax',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  softplus: 'softplus',
  softsign: 'softsign',
} as const;

/** The Keras names this library accepts; `silu` is Keras's other name for `swish`. */
export type ActivationName = keyof typeof TFJS_IDENTIFIERS;

/** What tf.layers calls the same function. */
export type TfjsActivation = (typeof TFJS_IDENTIFIERS)[ActivationName];

export const ACTIVATION_NAMES = Object.keys(TFJS_IDENTIFIERS) as ActivationName[];

/** Checks a user's activation and gives tf.layers's identifier; `undefined` means linear. */
export function resolveActivation(subject: string, value: unknown): TfjsActivation {
  if (value === undefined || value === null) return 'linear';
  return TFJS_IDENTIFIERS[oneOf(subject, 'activation', value, ACTIVATION_NAMES)];
}
