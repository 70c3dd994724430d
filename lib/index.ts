/**
 * tfjs-keras: Keras's functional API, summaries and training on TensorFlow.js.
 * `import { Input, Conv2D, MaxPool2D, Flatten, Dense, Model } from 'tfjs-keras'`.
 */
import { tf } from './tf';

export { tf };
export { clearSession, setRandomSeed, getRandomSeed } from './session';
export { KerasTensor } from './keras_tensor';
export { Layer, type LayerOptions } from './layers/layer';
export { Input, InputLayer, type InputOptions } from './layers/input';
export { Conv2D, Conv2DLayer, type Conv2DOptions } from './layers/conv2d';
export {
  MaxPooling2D,
  MaxPool2D,
  AveragePooling2D,
  AvgPool2D,
  Pooling2DLayer,
  type Pooling2DOptions,
} from './layers/pooling2d';
export {
  GlobalMaxPooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPool2D,
  GlobalAvgPool2D,
  GlobalPooling2DLayer,
} from './layers/global_pooling2d';
export { Flatten, FlattenLayer } from './layers/flatten';
export { Dense, DenseLayer, type DenseOptions } from './layers/dense';
export { Dropout, DropoutLayer, type DropoutOptions } from './layers/dropout';
export {
  BatchNormalization,
  BatchNormalizationLayer,
  type BatchNormalizationOptions,
} from './layers/batch_normalization';
export { Activation, ActivationLayer } from './layers/activation';
export { Concatenate, ConcatenateLayer, Add, AddLayer, type ConcatenateOptions } from './layers/merge';
export { Model, FunctionalModel, loadModel, type ModelOptions } from './model';
export { useBackend, BACKEND_NAMES, type BackendName, type BackendChoice, type UseBackendOptions } from './backends';
export {
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  makeOptimizer,
  type CompileOptions,
  type LossName,
  type OptimizerName,
  type MetricName,
} from './training/compile';
export type { Callback, FitOptions, History, Logs } from './training/fit';
export { imageSetData, tensorData, type TrainingData, type ImageSetDataOptions } from './training/data_source';
export * as data from './data';
export { formatSummary, type SummaryOptions, type SummaryTable, type SummaryRow } from './summary';
export { ACTIVATION_NAMES, type ActivationName } from './activations';
export { INITIALIZER_NAMES, type InitializerName, type InitializerLike, type WeightInitializers } from './initializers';
export { formatShape, type Shape } from './format';
export * as shapes from './shapes';
export {
  KerasError,
  ConfigError,
  ShapeError,
  GraphError,
  DataError,
  BackendError,
  DivergenceError,
} from './errors';
