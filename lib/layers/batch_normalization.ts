import * as args from '../args';
import { normalizedAxisShape, type Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';
import { TrainingBatchNormalization } from './training_calls';

/** Options of `BatchNormalization`, with Keras's defaults. */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The axis normalised, the channels by default: `-1`. */
  axis?: number;
  /** Momentum of the moving mean and variance. Default `0.99`. */
  momentum?: number;
  /** Added to the variance to avoid dividing by zero. Default `0.001`. */
  epsilon?: number;
  /** Whether to learn an offset (beta). Default `true`. */
  center?: boolean;
  /** Whether to learn a scale (gamma). Default `true`. */
  scale?: boolean;
}

/**
 * Normalises each channel by the batch's statistics while training and by moving averages at
 * inference. Params 4 * C, of which the moving mean and variance (2 * C) are not trainable.
 */
export class BatchNormalizationLayer extends Layer {
  readonly axis: number;
  readonly tfLayer: tf.layers.Layer;

  constructor(options: BatchNormalizationOptions) {
    super('BatchNormalization', options, ['axis', 'momentum', 'epsilon', 'center', 'scale']);
    this.axis = args.integer(this.label, 'axis', options.axis ?? -1);
    const momentum = options.momentum ?? 0.99;
    if (!(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
      args.fraction(this.label, 'momentum', momentum);
    }
    this.tfLayer = this.wrap(
      new TrainingBatchNormalization({
        name: this.name,
        axis: this.axis,
        momentum,
        epsilon: args.positiveNumber(this.label, 'epsilon', options.epsilon ?? 0.001),
        center: args.boolean(this.label, 'center', options.center ?? true),
        scale: args.boolean(this.label, 'scale', options.scale ?? true),
      }),
      options,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return normalizedAxisShape(this.label, inputShape, this.axis);
  }
}

export function BatchNormalization(options: BatchNormalizationOptions = {}): BatchNormalizationLayer {
  return new BatchNormalizationLayer(options);
}
