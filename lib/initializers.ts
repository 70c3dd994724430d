/**
 * Weight initialisers by their Keras names. When a global seed is set (`setRandomSeed`), each
 * random initialiser gets its own derived seed, so a model is rebuilt with identical weights.
 */
import { ConfigError } from './errors';
import { formatChoices } from './format';
import { nextSeed } from './session';
import { tf } from './tf';

const RANDOM = {
  glorot_uniform: (seed?: number) => tf.initializers.glorotUniform({ seed }),
  glorot_normal: (seed?: number) => tf.initializers.glorotNormal({ seed }),
  he_uniform: (seed?: number) => tf.initializers.heUniform({ seed }),
  he_normal: (seed?: number) => tf.initializers.heNormal({ seed }),
  lecun_uniform: (seed?: number) => tf.initializers.leCunUniform({ seed }),
  lecun_normal: (seed?: number) => tf.initializers.leCunNormal({ seed }),
  random_normal: (seed?: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed }),
  random_uniform: (seed?: number) => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  truncated_normal: (seed?: number) => tf.initializers.truncatedNormal({ mean: 0, stddev: 0.05, seed }),
  orthogonal: (seed?: number) => tf.initializers.orthogonal({ gain: 1, seed }),
} as const;

const CONSTANT = {
  zeros: () => tf.initializers.zeros(),
  ones: () => tf.initializers.ones(),
} as const;

/** A Keras initialiser name, or a TensorFlow.js initialiser object for anything else. */
export type InitializerName = keyof typeof RANDOM | keyof typeof CONSTANT;
/** TensorFlow.js's initialiser type, which its package index does not export by name. */
export type TfInitializer = ReturnType<typeof tf.initializers.zeros>;
export type InitializerLike = InitializerName | TfInitializer;

export const INITIALIZER_NAMES = [...Object.keys(RANDOM), ...Object.keys(CONSTANT)] as InitializerName[];

/** Which weight an initialiser is for, in a layer's `initializers` option. */
export interface WeightInitializers {
  /** The kernel's initialiser; Keras's default is 'glorot_uniform'. */
  kernel?: InitializerLike;
  /** The bias's initialiser; Keras's default is 'zeros'. */
  bias?: InitializerLike;
}

/**
 * A layer's kernel and bias initialisers, as tf.layers takes them, with Keras's defaults:
 * 'glorot_uniform' for the kernel, 'zeros' for the bias.
 */
export function resolveWeightInitializers(
  subject: string,
  initializers: WeightInitializers = {},
): { kernelInitializer: TfInitializer; biasInitializer: TfInitializer } {
  return {
    kernelInitializer: resolveInitializer(subject, 'initializers.kernel', initializers.kernel ?? 'glorot_uniform'),
    biasInitializer: resolveInitializer(subject, 'initializers.bias', initializers.bias ?? 'zeros'),
  };
}

export function resolveInitializer(
  subject: string,
  option: string,
  value: InitializerLike,
): TfInitializer {
  if (isTfInitializer(value)) return value;
  if (typeof value === 'string' && value in RANDOM) return RANDOM[value as keyof typeof RANDOM](nextSeed());
  if (typeof value === 'string' && value in CONSTANT) return CONSTANT[value as keyof typeof CONSTANT]();
  throw new ConfigError(subject, option, value, `one of ${formatChoices(INITIALIZER_NAMES)} or a tf.initializers object`);
}

function isTfInitializer(value: unknown): value is TfInitializer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { apply?: unknown }).apply === 'function' &&
    typeof (value as { getClassName?: unknown }).getClassName === 'function'
  );
}
