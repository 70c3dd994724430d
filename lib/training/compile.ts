/**
 * `model.compile()`'s arguments in Keras's spellings ('categorical_crossentropy', 'rmsprop',
 * 'accuracy'), turned into TensorFlow.js's, with Keras's default optimiser and learning rates.
 */
import * as args from '../args';
import { ConfigError } from '../errors';
import { formatChoices } from '../format';
import { tf } from '../tf';
import { OneKernelAdam } from './adam';

const LOSSES = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
} as const;

/** A loss by its Keras name; TensorFlow.js's camelCase names are accepted too. */
export type LossName = keyof typeof LOSSES | (typeof LOSSES)[keyof typeof LOSSES];
export const LOSS_NAMES = Object.keys(LOSSES) as (keyof typeof LOSSES)[];

/** Keras's optimisers with Keras's defaults (Adam 0.001, RMSprop 0.001 with rho 0.9, SGD 0.01). */
const OPTIMIZERS = {
  adam: (lr?: number) => new OneKernelAdam(lr ?? 0.001, 0.9, 0.999, 1e-7),
  rmsprop: (lr?: number) => tf.train.rmsprop(lr ?? 0.001, 0.9, 0, 1e-7),
  sgd: (lr?: number) => tf.train.sgd(lr ?? 0.01),
  adagrad: (lr?: number) => tf.train.adagrad(lr ?? 0.001, 0.1),
  adadelta: (lr?: number) => tf.train.adadelta(lr ?? 0.001, 0.95, 1e-7),
  adamax: (lr?: number) => tf.train.adamax(lr ?? 0.001, 0.9, 0.999, 1e-7),
} as const;

export type OptimizerName = keyof typeof OPTIMIZERS;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/** Keras's 'accuracy' picks categorical, sparse or binary accuracy from the loss, as here. */
export type MetricName = 'accuracy' | 'acc';

/** Options of `model.compile()`. */
export interface CompileOptions {
  /** The loss, e.g. 'categorical_crossentropy' (one-hot labels) or 'sparse_categorical_crossentropy' (class indices). */
  loss: LossName;
  /** An optimiser by name or a `tf.train` optimiser. Default 'rmsprop', as in Keras. */
  optimizer?: OptimizerName | tf.Optimizer;
  /** Learning rate of a named optimiser. Default: Keras's for that optimiser. */
  learningRate?: number;
  /** Metrics to report beside the loss: 'accuracy'. */
  metrics?: MetricName | readonly MetricName[];
}

/** What fit and evaluate need to know about a compiled model. */
export interface CompiledSettings {
  /** TensorFlow.js's loss identifier. */
  readonly tfLoss: (typeof LOSSES)[keyof typeof LOSSES];
  /** The labels the loss expects: one-hot rows or class indices. */
  readonly labels: 'onehot' | 'sparse';
  /** The names of the logged values, as Keras names them: `loss`, `accuracy`. */
  readonly logNames: readonly string[];
  readonly optimizer: tf.Optimizer;
}

export function makeOptimizer(name: OptimizerName, learningRate?: number): tf.Optimizer {
  const make = OPTIMIZERS[args.oneOf('compile', 'optimizer', name, OPTIMIZER_NAMES)];
  return make(learningRate === undefined ? undefined : args.positiveNumber('compile', 'learningRate', learningRate));
}

export function resolveCompile(options: CompileOptions): CompiledSettings {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('compile', 'options', options, "an object such as { loss: 'categorical_crossentropy' }");
  }
  args.knownOptions('compile', options, ['loss', 'optimizer', 'learningRate', 'metrics']);
  const camel = Object.values(LOSSES) as string[];
  const loss = options.loss as string;
  let tfLoss: CompiledSettings['tfLoss'];
  if (loss in LOSSES) tfLoss = LOSSES[loss as keyof typeof LOSSES];
  else if (camel.includes(loss)) tfLoss = loss as CompiledSettings['tfLoss'];
  else throw new ConfigError('compile', 'loss', options.loss, `one of ${formatChoices(LOSS_NAMES)}`);

  const given = options.optimizer ?? 'rmsprop';
  let optimizer: tf.Optimizer;
  if (given instanceof tf.Optimizer) {
    if (options.learningRate !== undefined) {
      throw new ConfigError('compile', 'learningRate', options.learningRate, 'left out when the optimizer is an object (set it there)');
    }
    optimizer = given;
  } else {
    if (typeof given !== 'string' || !(OPTIMIZER_NAMES as string[]).includes(given)) {
      throw new ConfigError('compile', 'optimizer', given, `one of ${formatChoices(OPTIMIZER_NAMES)} or a tf.train optimizer`);
    }
    optimizer = makeOptimizer(given, options.learningRate);
  }

  const metrics = options.metrics === undefined ? [] : Array.isArray(options.metrics) ? options.metrics : [options.metrics];
  for (const metric of metrics) args.oneOf('compile', 'metrics', metric, ['accuracy', 'acc'] as const);
  return {
    tfLoss,
    labels: tfLoss === 'sparseCategoricalCrossentropy' ? 'sparse' : 'onehot',
    logNames: ['loss', ...(metrics as string[])],
    optimizer,
  };
}
