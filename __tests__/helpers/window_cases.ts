/**
 * The tables of convolution and pooling shapes that the wasm gradient kernels are checked on,
 * shared by the kernels whose forward pass is the same window: the filter and input gradients of
 * a convolution, the max and average pooling gradients.
 */
import type { tf } from '../../lib/tf';

export interface ConvCase {
  /** [batch, height, width, inChannels] */
  x: [number, number, number, number];
  /** [filterHeight, filterWidth, outChannels] */
  filter: [number, number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
}

/** Strides 1, 2 and uneven, 'valid', 'same', numeric and explicit pads, odd sizes, many channels. */
export const CONV_CASES: readonly ConvCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 4], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 7, 2], filter: [2, 3, 5], strides: [2, 1], pad: 'valid' },
  { x: [2, 10, 11, 3], filter: [4, 4, 2], strides: [3, 3], pad: 'same' },
  { x: [2, 10, 11, 3], filter: [4, 4, 2], strides: [3, 2], pad: 'valid' },
  { x: [2, 6, 6, 1], filter: [5, 5, 6], strides: [1, 1], pad: 'same' },
  { x: [2, 5, 5, 2], filter: [1, 1, 3], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [3, 3, 4], strides: [1, 1], pad: 1 },
  { x: [2, 9, 9, 3], filter: [3, 3, 4], strides: [2, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 6, 6, 3], filter: [3, 3, 2], strides: [1, 1], pad: [[0, 0], [4, 3], [3, 4], [0, 0]] },
  { x: [2, 6, 6, 17], filter: [3, 3, 19], strides: [1, 1], pad: 'same' },
];

export function describeConvCase({ x, filter, strides, pad }: ConvCase): string {
  return `x [${x.join(', ')}], filter ${filter[0]}x${filter[1]}x${filter[2]}, strides ${strides.join('x')}, pad ${JSON.stringify(pad)}`;
}

export interface PoolCase {
  x: [number, number, number, number];
  filter: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number;
}

export const POOL_CASES: readonly PoolCase[] = [
  { x: [2, 8, 8, 3], filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [2, 2], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 8, 4], filter: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 8, 4], filter: [3, 2], strides: [2, 1], pad: 'valid' },
  { x: [1, 6, 6, 2], filter: [3, 3], strides: [1, 1], pad: 'same' },
  { x: [2, 5, 5, 2], filter: [1, 1], strides: [2, 2], pad: 'valid' },
  { x: [2, 6, 7, 3], filter: [3, 3], strides: [2, 2], pad: 1 },
];

export function describePoolCase({ x, filter, strides, pad }: PoolCase): string {
  return `x [${x.join(', ')}], window ${filter.join('x')}, strides ${strides.join('x')}, pad ${pad}`;
}
