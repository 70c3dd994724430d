/**
 * tf.layers's Conv2D and BatchNormalization with faster training calls. Only `call` while
 * training changes: class names, configs and weights stay tf.layers's, so a saved model is the
 * same file and loads in plain TensorFlow.js. Inference runs tf.layers's own code.
 */
import type { Conv2D as TfConv2D } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import type { BatchNormalization as TfBatchNormalization } from '@tensorflow/tfjs-layers/dist/layers/normalization';

import { KerasError } from '../errors';
import { backendHasKernels, tf } from '../tf';
import { registeredTfjsClass } from '../tfjs_classes';

/** tf.layers's keyword arguments of `call`; `training` is the one read here. */
type CallArguments = Parameters<tf.layers.Layer['call']>[1];

function onlyTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const tensor = Array.isArray(inputs) ? inputs[0] : inputs;
  if (tensor === undefined || (Array.isArray(inputs) && inputs.length !== 1)) {
    throw new KerasError(`expected one input tensor, got ${Array.isArray(inputs) ? inputs.length : 0}`);
  }
  return tensor;
}

function isTraining(kwargs: CallArguments): boolean {
  return kwargs['training'] === true;
}

const TfConv2DClass = registeredTfjsClass('Conv2D') as typeof TfConv2D;

/**
 * While training, convolves with separate conv2d, bias-add and activation ops rather than tfjs's
 * fused op. For an activation the fused op cannot take (swish), it takes its 'linear' path, whose
 * custom gradient computes the input's gradient eagerly, even for a first layer whose input needs
 * none: 5.4 ms of LeNet-5's 67 ms step on wasm. From separate ops tfjs computes only the
 * gradients that reach a variable. For relu, tfjs itself runs these separate ops while recording
 * gradients, so nothing changes there.
 */
export class TrainingConv2D extends TfConv2DClass {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArguments): tf.Tensor | tf.Tensor[] {
    if (!isTraining(kwargs) || this.dataFormat !== 'channelsLast' || this.padding === 'causal') {
      return super.call(inputs, kwargs);
    }
    const padding = this.padding;
    return tf.tidy(() => {
      const convolved = tf.conv2d(
        onlyTensor(inputs) as tf.Tensor4D,
        this.kernel.read() as tf.Tensor4D,
        [this.strides[0] ?? 1, this.strides[1] ?? 1],
        padding,
        'NHWC',
        [this.dilationRate[0] ?? 1, this.dilationRate[1] ?? 1],
      );
      const biased = this.useBias ? tf.add(convolved, this.bias.read()) : convolved;
      return this.activation.apply(biased);
    });
  }
}

/** What the batch-normalisation training step gives: the output and the batch's statistics. */
export interface NormalizedBatch {
  normalized: tf.Tensor;
  /** Mean per channel, for the moving average. */
  mean: tf.Tensor1D;
  /** Biased variance per channel (as tfjs and Keras average it). */
  variance: tf.Tensor1D;
}

/**
 * A backend may register this kernel to compute normalizeBatchInTraining's gradient itself:
 * inputs {x, dy, mean, variance, scale} (the statistics and scale per channel, last axis), attr
 * varianceEpsilon; outputs [dx, dScale, dOffset]. wasm does (wasm_kernels/BatchNormGrad).
 */
export const BATCH_NORM_GRAD_KERNEL = 'TfjsKerasBatchNormGrad';

/**
 * A backend may register this kernel for its statistics: input {x}, outputs [mean, variance] per
 * channel (last axis) over every other axis, the variance biased, as tf.moments gives them. wasm
 * does (wasm_kernels/Moments).
 */
export const MOMENTS_KERNEL = 'TfjsKerasMoments';

function batchMoments(x: tf.Tensor, axes: number[]): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (x.dtype === 'float32' && backendHasKernels(MOMENTS_KERNEL)) {
    const [mean, variance] = tf.engine().runKernel(MOMENTS_KERNEL, { x }) as [tf.Tensor1D, tf.Tensor1D];
    return { mean, variance };
  }
  return tf.moments(x, axes) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
}

/**
 * Batch normalisation over every axis but the last, as while training, with its gradient in
 * closed form: dx = gamma / sigma * (dy - mean(dy) - x̂ * mean(dy * x̂)), where x̂ is the
 * normalised input. tfjs differentiates the same math op by op (moments, then the normalisation
 * with mean and variance as separate inputs), dozens of element-wise passes over the
 * activations; this takes 5 passes forward and 7 backward (3 and 2 on a backend with
 * MOMENTS_KERNEL and BATCH_NORM_GRAD_KERNEL). The VGG-style net's training step on wasm went
 * from 1.56 s to 1.16 s, and to about 1.0 s with those kernels.
 */
export function normalizeBatchInTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): NormalizedBatch {
  const axes = Array.from({ length: x.rank - 1 }, (_, axis) => axis);
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  const { mean, variance } = batchMoments(x, axes);
  const fused = x.dtype === 'float32' && backendHasKernels(BATCH_NORM_GRAD_KERNEL);
  // The statistics enter by closure, not as inputs: the closed form already accounts for them,
  // and as inputs tfjs would differentiate them a second time, op by op.
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    // Saved, not read from the closure: the caller's tidy disposes them before backprop runs.
    save([input, scale, mean, variance]);
    return {
      value: tf.batchNorm(input, mean, variance, offset, scale, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedScale, savedMean, savedVariance] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        if (fused) {
          const inputs = { x: savedInput, dy, mean: savedMean, variance: savedVariance, scale: savedScale };
          return tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, inputs, { varianceEpsilon: epsilon }) as tf.Tensor[];
        }
        const normalizedInput = tf.batchNorm(savedInput, savedMean, savedVariance, undefined, undefined, epsilon);
        const offsetGradient = tf.sum(dy, axes);
        const scaleGradient = tf.sum(tf.mul(dy, normalizedInput), axes);
        // mean(dy) + x̂ * mean(dy * x̂) in one batchNorm pass over x: x̂ * k + m.
        const projection = tf.batchNorm(
          savedInput,
          savedMean,
          savedVariance,
          tf.div(offsetGradient, count) as tf.Tensor1D,
          tf.div(scaleGradient, count) as tf.Tensor1D,
          epsilon,
        );
        const inputScale = tf.mul(savedScale, tf.rsqrt(tf.add(savedVariance, epsilon)));
        const inputGradient = tf.mul(tf.sub(dy, projection), inputScale);
        return [inputGradient, scaleGradient, offsetGradient];
      },
    };
  });
  return { normalized: normalize(x, gamma, beta), mean, variance };
}

const TfBatchNormalizationClass = registeredTfjsClass('BatchNormalization') as typeof TfBatchNormalization;

/** The arguments tf.layers.batchNormalization takes, of which this class reads four. */
type BatchNormalizationArguments = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/**
 * While training, normalises with `normalizeBatchInTraining` (the gradient in closed form), for
 * the usual channels-last axis. Also trains with `center` or `scale` off, where tf.layers's own
 * training call reads the missing weight and fails.
 */
export class TrainingBatchNormalization extends TfBatchNormalizationClass {
  private readonly normalization: Required<Pick<BatchNormalizationArguments, 'axis' | 'momentum' | 'epsilon' | 'center' | 'scale'>>;

  constructor(options: BatchNormalizationArguments) {
    super(options);
    this.normalization = {
      axis: options.axis ?? -1,
      momentum: options.momentum ?? 0.99,
      epsilon: options.epsilon ?? 1e-3,
      center: options.center ?? true,
      scale: options.scale ?? true,
    };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArguments): tf.Tensor | tf.Tensor[] {
    const x = onlyTensor(inputs);
    const { axis, momentum, epsilon, center, scale } = this.normalization;
    if (!isTraining(kwargs) || (axis + x.rank) % x.rank !== x.rank - 1) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      // tf.layers builds gamma (if scale), beta (if center), then the moving mean and variance.
      const weights = [...this.weights];
      const gamma = scale ? weights.shift() : undefined;
      const beta = center ? weights.shift() : undefined;
      const [movingMean, movingVariance] = weights;
      if (movingMean === undefined || movingVariance === undefined) {
        throw new KerasError(`${this.name}: expected the moving mean and variance among the weights`);
      }
      const channels = x.shape[x.rank - 1] ?? 1;
      const { normalized, mean, variance } = normalizeBatchInTraining(
        x,
        (gamma?.read() ?? tf.ones([channels])) as tf.Tensor1D,
        (beta?.read() ?? tf.zeros([channels])) as tf.Tensor1D,
        epsilon,
      );
      for (const [average, batchValue] of [
        [movingMean, mean],
        [movingVariance, variance],
      ] as const) {
        const current = average.read();
        average.write(tf.sub(current, tf.mul(tf.sub(current, batchValue), 1 - momentum)));
      }
      return normalized;
    });
  }
}
