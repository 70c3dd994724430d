import { resolveActivation, type ActivationName, type TfjsActivation } from '../activations';
import * as args from '../args';
import { resolveWeightInitializers, type WeightInitializers } from '../initializers';
import { denseOutputShape, type Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

/** Options of `Dense`. */
export interface DenseOptions extends LayerOptions {
  /** Activation by its Keras name. Default: none (`'linear'`). */
  activation?: ActivationName;
  /** Whether to add a bias per unit. Default `true`. */
  useBias?: boolean;
  /** Initialisers of the kernel (default 'glorot_uniform') and bias (default 'zeros'). */
  initializers?: WeightInitializers;
}

/**
 * A fully connected layer on the last axis: [batch, ..., in] -> [batch, ..., units], params
 * (in + 1) * units, e.g. 84 * (96 + 1) = 8,148.
 */
export class DenseLayer extends Layer {
  readonly units: number;
  /** tf.layers's name of the activation. */
  readonly activation: TfjsActivation;
  readonly useBias: boolean;
  readonly tfLayer: tf.layers.Layer;

  constructor(units: number, options: DenseOptions) {
    super('Dense', options, ['activation', 'useBias', 'initializers']);
    this.units = args.positiveInteger(this.label, 'units', units);
    this.activation = resolveActivation(this.label, options.activation);
    this.useBias = args.boolean(this.label, 'useBias', options.useBias ?? true);
    this.tfLayer = this.wrap(
      tf.layers.dense({
        name: this.name,
        units: this.units,
        activation: this.activation,
        useBias: this.useBias,
        ...resolveWeightInitializers(this.label, options.initializers),
      }),
      options,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return denseOutputShape(this.label, inputShape, this.units);
  }
}

/** `Dense(120, { activation: 'swish' })`. */
export function Dense(units: number, options: DenseOptions = {}): DenseLayer {
  return new DenseLayer(units, options);
}
