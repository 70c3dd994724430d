import { globalPool2DOutputShape, type Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

type GlobalPoolKind = 'GlobalMaxPooling2D' | 'GlobalAveragePooling2D';

/** Pools each channel over the whole image: [batch, h, w, c] -> [batch, c]. */
export class GlobalPooling2DLayer extends Layer {
  readonly tfLayer: tf.layers.Layer;

  constructor(kind: GlobalPoolKind, options: LayerOptions) {
    super(kind, options, []);
    const config = { name: this.name, dataFormat: 'channelsLast' as const };
    const tfLayer =
      kind === 'GlobalMaxPooling2D' ? tf.layers.globalMaxPooling2d(config) : tf.layers.globalAveragePooling2d(config);
    this.tfLayer = this.wrap(tfLayer, options);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return globalPool2DOutputShape(this.label, inputShape);
  }
}

export function GlobalMaxPooling2D(options: LayerOptions = {}): GlobalPooling2DLayer {
  return new GlobalPooling2DLayer('GlobalMaxPooling2D', options);
}

export function GlobalAveragePooling2D(options: LayerOptions = {}): GlobalPooling2DLayer {
  return new GlobalPooling2DLayer('GlobalAveragePooling2D', options);
}

/** Keras's aliases. */
export const GlobalMaxPool2D = GlobalMaxPooling2D;
export const GlobalAvgPool2D = GlobalAveragePooling2D;
