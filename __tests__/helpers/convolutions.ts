/** Seeded convolutions run the same way on both backends, for the tests of our convolution kernels. */
import { tf } from '../../lib/tf';
import { seededTensor } from './backend_comparison';

export type Padding = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** The convolution, and its gradients with respect to x and the filter under a seeded upstream gradient. */
export function convolveWithGradients(xShape: number[], filterShape: number[], pad: Padding, strides: [number, number] = [1, 1]): tf.Tensor[] {
  const x = seededTensor(xShape, xShape.reduce((a, b) => a + b, 0)) as tf.Tensor4D;
  const filter = seededTensor(filterShape, 3) as tf.Tensor4D;
  const y = tf.conv2d(x, filter, strides, pad);
  const upstream = seededTensor(y.shape, 5);
  const [dx, dFilter] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad).mul(upstream).sum())([x, filter]);
  return [y, dx as tf.Tensor, dFilter as tf.Tensor];
}

export type FusedOptions = Partial<Parameters<typeof tf.fused.conv2d>[0]>;

/** tf.fused.conv2d (FusedConv2D, what tf.layers's Conv2D runs outside training) of seeded inputs. */
export function fusedConvolution(xShape: number[], filterShape: number[], pad: Padding, options: FusedOptions = {}): tf.Tensor {
  const x = seededTensor(xShape, 11) as tf.Tensor4D;
  const filter = seededTensor(filterShape, 12) as tf.Tensor4D;
  const bias = seededTensor([filterShape[3] ?? 1], 13);
  return tf.fused.conv2d({ x, filter, strides: 1, pad, bias, ...options });
}
