import * as args from '../args';
import { pool2DOutputShape, type Padding, type Shape, type Window2D } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

/** Options of the 2-D pooling layers. */
export interface Pooling2DOptions extends LayerOptions {
  /** Window height and width: `2` or `[2, 2]`. Default `2`. */
  poolSize?: args.IntPair;
  /** Step of the window. Default: the pool size. */
  strides?: args.IntPair;
  /** `'valid'` (the default) or `'same'`. */
  padding?: Padding;
}

type PoolKind = 'MaxPooling2D' | 'AveragePooling2D';

/** Max or average pooling: no weights, the channels kept, the window as in a convolution. */
export class Pooling2DLayer extends Layer {
  readonly window: Window2D;
  readonly tfLayer: tf.layers.Layer;

  constructor(kind: PoolKind, options: Pooling2DOptions) {
    super(kind, options, ['poolSize', 'strides', 'padding']);
    const size = args.positivePair(this.label, 'poolSize', options.poolSize ?? 2);
    this.window = {
      size,
      strides: args.positivePair(this.label, 'strides', options.strides ?? size),
      padding: args.oneOf(this.label, 'padding', options.padding ?? 'valid', ['valid', 'same'] as const),
      dilation: [1, 1],
    };
    const config = {
      name: this.name,
      poolSize: [size[0], size[1]] as [number, number],
      strides: [this.window.strides[0], this.window.strides[1]] as [number, number],
      padding: this.window.padding,
      dataFormat: 'channelsLast' as const,
    };
    const tfLayer = kind === 'MaxPooling2D' ? tf.layers.maxPooling2d(config) : tf.layers.averagePooling2d(config);
    this.tfLayer = this.wrap(tfLayer, options);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return pool2DOutputShape(this.label, inputShape, this.window);
  }
}

function poolOptions(poolSizeOrOptions: args.IntPair | Pooling2DOptions | undefined, options: Pooling2DOptions): Pooling2DOptions {
  if (typeof poolSizeOrOptions === 'number' || Array.isArray(poolSizeOrOptions)) {
    return { ...options, poolSize: poolSizeOrOptions as args.IntPair };
  }
  return (poolSizeOrOptions as Pooling2DOptions | undefined) ?? options;
}

/** `MaxPool2D()` halves height and width; `MaxPool2D(3)` or `MaxPool2D({ poolSize: 3, strides: 2 })`. */
export function MaxPooling2D(poolSizeOrOptions?: args.IntPair | Pooling2DOptions, options: Pooling2DOptions = {}): Pooling2DLayer {
  return new Pooling2DLayer('MaxPooling2D', poolOptions(poolSizeOrOptions, options));
}

/** Keras's alias: prints as `MaxPooling2D`. */
export const MaxPool2D = MaxPooling2D;

/** Average pooling; the same arguments as `MaxPooling2D`. */
export function AveragePooling2D(poolSizeOrOptions?: args.IntPair | Pooling2DOptions, options: Pooling2DOptions = {}): Pooling2DLayer {
  return new Pooling2DLayer('AveragePooling2D', poolOptions(poolSizeOrOptions, options));
}

/** Keras's alias: prints as `AveragePooling2D`. */
export const AvgPool2D = AveragePooling2D;
