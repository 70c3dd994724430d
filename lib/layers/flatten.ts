import { flattenOutputShape, type Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

/** Flattens each example to one vector: [batch, 4, 4, 6] -> [batch, 96]. */
export class FlattenLayer extends Layer {
  readonly tfLayer: tf.layers.Layer;

  constructor(options: LayerOptions) {
    super('Flatten', options, []);
    this.tfLayer = this.wrap(tf.layers.flatten({ name: this.name }), options);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return flattenOutputShape(this.label, inputShape);
  }
}

export function Flatten(options: LayerOptions = {}): FlattenLayer {
  return new FlattenLayer(options);
}
