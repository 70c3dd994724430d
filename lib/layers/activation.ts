import { resolveActivation, type ActivationName, type TfjsActivation } from '../activations';
import type { Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

/** An activation on its own: `Activation('relu')`. */
export class ActivationLayer extends Layer {
  /** tf.layers's name of the activation. */
  readonly activation: TfjsActivation;
  readonly tfLayer: tf.layers.Layer;

  constructor(activation: ActivationName, options: LayerOptions) {
    super('Activation', options, []);
    this.activation = resolveActivation(this.label, activation);
    this.tfLayer = this.wrap(
      tf.layers.activation({ name: this.name, activation: this.activation }),
      options,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

export function Activation(activation: ActivationName, options: LayerOptions = {}): ActivationLayer {
  return new ActivationLayer(activation, options);
}
