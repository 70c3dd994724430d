import { resolveActivation, type ActivationName, type TfjsActivation } from '../activations';
import * as args from '../args';
import { ConfigError } from '../errors';
import { resolveWeightInitializers, type WeightInitializers } from '../initializers';
import { conv2DOutputShape, type Padding, type Shape, type Window2D } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';
import { TrainingConv2D } from './training_calls';

/** Options of `Conv2D`, Keras's arguments in camelCase. */
export interface Conv2DOptions extends LayerOptions {
  /** Kernel height and width: `5` or `[5, 5]`. Required unless given as the second argument. */
  kernelSize?: args.IntPair;
  /** Step of the kernel: `2` or `[2, 1]`. Default `1`. */
  strides?: args.IntPair;
  /** `'valid'` (no padding, the default) or `'same'` (output size ceil(input / stride)). */
  padding?: Padding;
  /** Spacing of the kernel's taps (atrous convolution). Default `1`; only with strides 1. */
  dilationRate?: args.IntPair;
  /** Activation by its Keras name. Default: none (`'linear'`). */
  activation?: ActivationName;
  /** Whether to add a bias per filter. Default `true`. */
  useBias?: boolean;
  /** Initialisers of the kernel (default 'glorot_uniform') and bias (default 'zeros'). */
  initializers?: WeightInitializers;
}

const OPTIONS = ['kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'initializers'];

/** A 2-D convolution over [batch, height, width, channels]; params (FH * FW * C_in + 1) * filters. */
export class Conv2DLayer extends Layer {
  readonly filters: number;
  readonly window: Window2D;
  /** tf.layers's name of the activation. */
  readonly activation: TfjsActivation;
  readonly useBias: boolean;
  readonly tfLayer: tf.layers.Layer;

  constructor(filters: number, options: Conv2DOptions) {
    super('Conv2D', options, OPTIONS);
    this.filters = args.positiveInteger(this.label, 'filters', filters);
    if (options.kernelSize === undefined) {
      throw new ConfigError(this.label, 'kernelSize', undefined, 'given, e.g. Conv2D(6, { kernelSize: 5 }) or Conv2D(6, 5)');
    }
    this.window = {
      size: args.positivePair(this.label, 'kernelSize', options.kernelSize),
      strides: args.positivePair(this.label, 'strides', options.strides ?? 1),
      padding: args.oneOf(this.label, 'padding', options.padding ?? 'valid', ['valid', 'same'] as const),
      dilation: args.positivePair(this.label, 'dilationRate', options.dilationRate ?? 1),
    };
    const strided = this.window.strides.some((s) => s > 1);
    const dilated = this.window.dilation.some((d) => d > 1);
    if (strided && dilated) {
      throw new ConfigError(this.label, 'dilationRate', options.dilationRate, ' 1 when strides are greater than 1 (TensorFlow supports one or the other)');
    }
    this.activation = resolveActivation(this.label, options.activation);
    this.useBias = args.boolean(this.label, 'useBias', options.useBias ?? true);
    this.tfLayer = this.wrap(
      new TrainingConv2D({
        name: this.name,
        filters: this.filters,
        kernelSize: [...this.window.size],
        strides: [...this.window.strides],
        padding: this.window.padding,
        dilationRate: [...this.window.dilation],
        activation: this.activation,
        useBias: this.useBias,
        ...resolveWeightInitializers(this.label, options.initializers),
        dataFormat: 'channelsLast',
      }),
      options,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return conv2DOutputShape(this.label, inputShape, this.window, this.filters);
  }
}

/**
 * `Conv2D(6, { kernelSize: 5, padding: 'same', activation: 'swish' })`, or with the kernel size
 * second as in Keras: `Conv2D(32, 3, { padding: 'same' })`.
 */
export function Conv2D(filters: number, kernelSizeOrOptions: args.IntPair | Conv2DOptions, options: Conv2DOptions = {}): Conv2DLayer {
  const merged =
    typeof kernelSizeOrOptions === 'number' || Array.isArray(kernelSizeOrOptions)
      ? { ...options, kernelSize: kernelSizeOrOptions as args.IntPair }
      : (kernelSizeOrOptions as Conv2DOptions);
  return new Conv2DLayer(filters, merged);
}
