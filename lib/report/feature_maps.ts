/**
 * What the convolutions see: the feature maps every Conv2D layer makes for one image, and the
 * first Conv2D layer's filters, the only ones that live in pixel space and so read as images.
 */
import { GraphError } from '../errors';
import type { FunctionalModel } from '../model';
import { tf } from '../tf';

/** The output of one convolution layer for one image. */
export interface LayerFeatureMaps {
  /** `conv2d_1`. */
  readonly name: string;
  /** `conv2d_1 (Conv2D)`. */
  readonly layer: string;
  /** Rows of each map. */
  readonly height: number;
  /** Columns of each map. */
  readonly width: number;
  /** Maps: one per filter of the layer. */
  readonly channels: number;
  /** `height * width * channels` values, channels last (after the layer's activation). */
  readonly values: Float32Array;
}

/** A convolution layer's kernel. */
export interface ConvolutionFilters {
  /** `conv2d (Conv2D)`. */
  readonly layer: string;
  /** Rows of each filter. */
  readonly kernelHeight: number;
  /** Columns of each filter. */
  readonly kernelWidth: number;
  /** Channels each filter reads: 1 for gray images, 3 for RGB. */
  readonly inputChannels: number;
  /** How many filters, each making one feature map. */
  readonly filters: number;
  /** The kernel as TensorFlow stores it: `[kernelHeight, kernelWidth, inputChannels, filters]`, row-major. */
  readonly values: Float32Array;
}

function convolutionLayers(model: FunctionalModel): FunctionalModel['layers'] {
  return model.layers.filter((layer) => layer.className === 'Conv2D');
}

/**
 * Runs one image (`[height, width, channels]` values, the model's input shape) through the model
 * and keeps every Conv2D layer's output; none for a model without convolutions.
 */
export async function convolutionFeatureMaps(model: FunctionalModel, image: Float32Array): Promise<LayerFeatureMaps[]> {
  const layers = convolutionLayers(model);
  if (layers.length === 0) return [];
  const input = model.inputs[0];
  if (model.inputs.length !== 1 || input === undefined) {
    throw new GraphError(`Model '${model.name}'`, `feature maps need a model with one input, this one has ${model.inputs.length}`);
  }
  const imageShape = input.shape.slice(1) as number[];
  const outputs = layers.map((layer) => {
    const output = layer.outputs[0];
    if (output === undefined) throw new GraphError(layer.label, 'has no output in this model');
    return output.symbolic;
  });
  const probe = tf.model({ inputs: input.symbolic, outputs });
  const results = tf.tidy(() => {
    const predicted = probe.predict(tf.tensor(image, [1, ...imageShape]));
    return Array.isArray(predicted) ? predicted : [predicted];
  });
  // Read asynchronously: a GPU backend in Node cannot read tensors synchronously.
  const maps = await Promise.all(results.map(async (result) => ({ shape: result.shape, values: (await result.data()) as Float32Array })));
  tf.dispose(results);
  return maps.map(({ shape, values }, i) => ({
    name: (layers[i] as (typeof layers)[number]).name,
    layer: (layers[i] as (typeof layers)[number]).label,
    height: shape[1] as number,
    width: shape[2] as number,
    channels: shape[3] as number,
    values,
  }));
}

/** The first Conv2D layer's kernel, or null when the model has no convolution. */
export async function firstConvolutionFilters(model: FunctionalModel): Promise<ConvolutionFilters | null> {
  const layer = convolutionLayers(model)[0];
  if (layer === undefined) return null;
  const [kernel] = layer.getWeights();
  if (kernel === undefined || kernel.rank !== 4) throw new GraphError(layer.label, 'has no 4-D kernel among its weights');
  const [kernelHeight, kernelWidth, inputChannels, filters] = kernel.shape as [number, number, number, number];
  return { layer: layer.label, kernelHeight, kernelWidth, inputChannels, filters, values: (await kernel.data()) as Float32Array };
}

/** One channel of a layer's maps, as a `height * width` row-major grid. */
export function featureMapChannel(maps: LayerFeatureMaps, channel: number): Float32Array {
  const result = new Float32Array(maps.height * maps.width);
  for (let i = 0; i < result.length; i++) result[i] = maps.values[i * maps.channels + channel] as number;
  return result;
}

/** One filter's weights for one input channel, as a `kernelHeight * kernelWidth` grid. */
export function filterSlice(filters: ConvolutionFilters, filter: number, inputChannel: number): Float32Array {
  const result = new Float32Array(filters.kernelHeight * filters.kernelWidth);
  for (let i = 0; i < result.length; i++) {
    result[i] = filters.values[(i * filters.inputChannels + inputChannel) * filters.filters + filter] as number;
  }
  return result;
}
