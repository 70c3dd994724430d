/**
 * The report's image grids built from data: the test images the model got wrong, the first
 * layer's filters and the feature maps of one image.
 */
import type { ImageSet } from '../data/dataset';
import { imageSize } from '../data/dataset';
import type { RgbaImage } from '../data/image';
import { withThousands } from '../format';
import { featureMapChannel, filterSlice, type ConvolutionFilters, type LayerFeatureMaps } from './feature_maps';
import type { ImageGrid, ImageTile } from './image_grid';
import { pixelsToImage, schemeColormap, valueRange, valuesToImage } from './pixels';
import type { Predictions } from './predictions';

/** Feature maps are drawn per map from its minimum to its maximum, in Vega's perceptual `viridis`. */
const FEATURE_MAP_SCHEME = 'viridis';
/** Weights are signed: blue below zero, orange above, white at zero. */
const FILTER_SCHEME = 'blueorange';
/** Beyond this many channels a layer's grid shows only the first ones. */
export const MAX_CHANNELS_SHOWN = 64;

/** One image of a set, as RGBA. */
export function setImage(set: ImageSet, index: number): RgbaImage {
  const [height, width, channels] = set.imageShape;
  const size = imageSize(set.imageShape);
  return pixelsToImage(set.images.subarray(index * size, (index + 1) * size), height, width, channels);
}

/** `97%`, `<1%` or `>99%`: never a wrong-looking 100% for a probability below one. */
export function percent(probability: number): string {
  const rounded = Math.round(probability * 100);
  if (rounded >= 100 && probability < 1) return '>99%';
  if (rounded <= 0 && probability > 0) return '<1%';
  return `${rounded}%`;
}

/** Test images whose prediction is wrong, the most confident mistakes first. */
export function misclassifiedIndices(labels: ArrayLike<number>, predictions: Predictions): number[] {
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predictions.predicted[i]) wrong.push(i);
  return wrong.sort((a, b) => (predictions.confidence[b] as number) - (predictions.confidence[a] as number) || a - b);
}

/** Options of {@link misclassifiedGrid}. */
export interface MisclassifiedGridOptions {
  /** At most this many images. */
  readonly limit: number;
  /** Images per row. */
  readonly columns: number;
  /** On-screen width of each image in CSS pixels. */
  readonly tileWidth: number;
}

/** The grid of wrong predictions, each captioned with its true and predicted class; null when none is wrong. */
export function misclassifiedGrid(
  test: ImageSet,
  predictions: Predictions,
  classNames: readonly string[],
  options: MisclassifiedGridOptions,
): ImageGrid | null {
  const wrong = misclassifiedIndices(test.labels, predictions);
  if (wrong.length === 0) return null;
  const shown = wrong.slice(0, options.limit);
  const name = (label: number): string => classNames[label] ?? String(label);
  const tiles: ImageTile[] = shown.map((index) => ({
    image: setImage(test, index),
    caption: `true ${name(test.labels[index] as number)}\npredicted ${name(predictions.predicted[index] as number)} (${percent(predictions.confidence[index] as number)})`,
  }));
  const title =
    shown.length === wrong.length
      ? `All ${wrong.length} misclassified test images, the most confident mistakes first`
      : `The ${shown.length} most confident of ${withThousands(wrong.length)} misclassified test images`;
  return { title, columns: options.columns, tileWidth: options.tileWidth, tiles };
}

/**
 * The filters as images. A 3-channel (RGB) filter is drawn in colour, scaled from its own minimum
 * to maximum; otherwise each filter is its weights (summed over input channels, if several) on a
 * diverging scale shared by all filters, so that their strengths compare.
 */
export function filtersGrid(filters: ConvolutionFilters, tileWidth: number): ImageGrid {
  const { kernelHeight, kernelWidth, inputChannels } = filters;
  const count = Math.min(filters.filters, MAX_CHANNELS_SHOWN);
  const shown = count < filters.filters ? `, the first ${count}` : '';
  const kernel = `${kernelHeight} x ${kernelWidth}`;
  if (inputChannels === 3) {
    const tiles = Array.from({ length: count }, (_, filter) => {
      const slices = [0, 1, 2].map((channel) => filterSlice(filters, filter, channel));
      const [low, high] = valueRange(slices.flatMap((slice) => Array.from(slice)));
      const span = high - low || 1;
      const pixels = new Float32Array(kernelHeight * kernelWidth * 3);
      slices.forEach((slice, channel) => slice.forEach((value, i) => (pixels[i * 3 + channel] = (value - low) / span)));
      return { image: pixelsToImage(pixels, kernelHeight, kernelWidth, 3), caption: `#${filter}` };
    });
    return { title: `${filters.layer}: ${filters.filters} RGB filters of ${kernel}${shown}`, columns: Math.min(count, 8), tileWidth, tiles };
  }
  const weights = Array.from({ length: count }, (_, filter) => {
    const summed = new Float32Array(kernelHeight * kernelWidth);
    for (let channel = 0; channel < inputChannels; channel++) filterSlice(filters, filter, channel).forEach((value, i) => (summed[i] = (summed[i] as number) + value));
    return summed;
  });
  const largest = Math.max(...weights.map((slice) => Math.max(...Array.from(slice, Math.abs))), Number.MIN_VALUE);
  const colormap = schemeColormap(FILTER_SCHEME);
  const tiles = weights.map((slice, filter) => ({
    image: valuesToImage(slice, kernelWidth, kernelHeight, { colormap, range: [-largest, largest] }),
    caption: `#${filter}`,
  }));
  const summedNote = inputChannels > 1 ? `, summed over ${inputChannels} input channels` : '';
  return { title: `${filters.layer}: ${filters.filters} filters of ${kernel}${summedNote}${shown}`, columns: Math.min(count, 8), tileWidth, tiles };
}

/** One grid per convolution layer: each channel's map, numbered as the layer's filters are. */
export function featureMapGrids(maps: readonly LayerFeatureMaps[], tileWidth: number): ImageGrid[] {
  const colormap = schemeColormap(FEATURE_MAP_SCHEME);
  return maps.map((layer) => {
    const count = Math.min(layer.channels, MAX_CHANNELS_SHOWN);
    const tiles = Array.from({ length: count }, (_, channel) => ({
      image: valuesToImage(featureMapChannel(layer, channel), layer.width, layer.height, { colormap }),
      caption: `#${channel}`,
    }));
    const shown = count < layer.channels ? `, the first ${count}` : '';
    return {
      title: `${layer.layer}: ${layer.channels} maps of ${layer.height} x ${layer.width}${shown}`,
      columns: Math.min(count, 8),
      tileWidth,
      tiles,
    };
  });
}

/** A single image, large, with its caption: the image whose feature maps follow. */
export function singleImageGrid(title: string, image: RgbaImage, caption: string, tileWidth: number): ImageGrid {
  return { title, columns: 1, tileWidth, tiles: [{ image, caption }] };
}
