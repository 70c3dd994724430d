/**
 * The output-shape rules of every layer, as small pure functions. Each takes the layer's label
 * (`conv2d_1 (Conv2D)`) for its messages and throws `ShapeError` rather than return a dimension
 * <= 0. Shapes are channels-last and include the batch dimension (`null`).
 */
import { ShapeError } from './errors';
import { formatShape, type Shape } from './format';

export type { Shape };

/** How a window (kernel or pool) treats the border: Keras's two choices. */
export type Padding = 'valid' | 'same';

/** The hyper-parameters of a 2-D sliding window, already normalised to pairs. */
export interface Window2D {
  /** [height, width] of the kernel or pool window. */
  size: readonly [number, number];
  /** [vertical, horizontal] step. */
  strides: readonly [number, number];
  padding: Padding;
  /** [vertical, horizontal] spacing of the window's taps; [1, 1] for pooling. */
  dilation: readonly [number, number];
}

const AXES = ['height', 'width'] as const;

/** Throws unless the shape has exactly `rank` dimensions; `layout` names them for the user. */
export function requireRank(layer: string, shape: Shape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(
      layer,
      shape,
      `expected a ${rank}-D input ${layout}, got a ${shape.length}-D one`,
    );
  }
}

/** Throws unless every dimension is null (unknown) or a positive integer. */
export function requirePositiveDims(layer: string, shape: Shape): void {
  shape.forEach((dim, axis) => {
    if (dim !== null && !(Number.isInteger(dim) && dim > 0)) {
      throw new ShapeError(layer, shape, `dimension ${axis} is ${dim}, expected a positive integer`);
    }
  });
}

/**
 * The course's formula, OH = floor((H + 2P - FH) / S) + 1, in Keras's two paddings: 'valid' uses
 * no padding (with a dilated window of (FH - 1) * D + 1), 'same' gives ceil(H / S).
 */
export function windowOutputLength(
  inputLength: number,
  size: number,
  stride: number,
  padding: Padding,
  dilation = 1,
): number {
  if (padding === 'same') return Math.ceil(inputLength / stride);
  const dilatedSize = (size - 1) * dilation + 1;
  return Math.floor((inputLength - dilatedSize) / stride) + 1;
}

/** Output height and width of a 2-D window over a [batch, h, w, c] input; throws when it would be <= 0. */
export function window2DOutputSize(
  layer: string,
  inputShape: Shape,
  window: Window2D,
  windowName: 'kernel' | 'pool window',
): [number | null, number | null] {
  requireRank(layer, inputShape, 4, '[batch, height, width, channels]');
  const spatial = [inputShape[1] ?? null, inputShape[2] ?? null] as const;
  const sizes = spatial.map((length, axis) => {
    if (length === null) return null;
    const size = window.size[axis] as number;
    const stride = window.strides[axis] as number;
    const dilation = window.dilation[axis] as number;
    const out = windowOutputLength(length, size, stride, window.padding, dilation);
    if (out <= 0) {
      const dilatedSize = (size - 1) * dilation + 1;
      const dilated = dilation === 1 ? '' : ` (dilated to ${dilatedSize})`;
      throw new ShapeError(
        layer,
        inputShape,
        `${windowName} ${describeWindow(window)} does not fit: output ${AXES[axis]} would be ` +
          `floor((${length} - ${dilatedSize}) / ${stride}) + 1 = ${out}${dilated}; ` +
          `use padding 'same' or a smaller ${windowName}`,
      );
    }
    return out;
  });
  return [sizes[0] ?? null, sizes[1] ?? null];
}

/** `5x5 with strides 1x1 and padding 'valid'` (plus the dilation when it is not 1). */
export function describeWindow(window: Window2D): string {
  const dilated =
    window.dilation[0] === 1 && window.dilation[1] === 1
      ? ''
      : ` and dilation ${window.dilation[0]}x${window.dilation[1]}`;
  return (
    `${window.size[0]}x${window.size[1]} with strides ${window.strides[0]}x${window.strides[1]}, ` +
    `padding '${window.padding}'${dilated}`
  );
}

/** Conv2D: [batch, h, w, c] -> [batch, oh, ow, filters]. */
export function conv2DOutputShape(
  layer: string,
  inputShape: Shape,
  window: Window2D,
  filters: number,
): Shape {
  const [height, width] = window2DOutputSize(layer, inputShape, window, 'kernel');
  if (inputShape[3] === null) {
    throw new ShapeError(layer, inputShape, 'the channel dimension must be known to make the kernel');
  }
  return [inputShape[0] ?? null, height, width, filters];
}

/** MaxPooling2D / AveragePooling2D: [batch, h, w, c] -> [batch, oh, ow, c]; pooling keeps the channels. */
export function pool2DOutputShape(layer: string, inputShape: Shape, window: Window2D): Shape {
  const [height, width] = window2DOutputSize(layer, inputShape, window, 'pool window');
  return [inputShape[0] ?? null, height, width, inputShape[3] ?? null];
}

/** GlobalMaxPooling2D / GlobalAveragePooling2D: [batch, h, w, c] -> [batch, c]. */
export function globalPool2DOutputShape(layer: string, inputShape: Shape): Shape {
  requireRank(layer, inputShape, 4, '[batch, height, width, channels]');
  return [inputShape[0] ?? null, inputShape[3] ?? null];
}

/**
 * Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]. Keras lets it pass a [batch, n] tensor
 * through unchanged, but tf.layers refuses one, and a model saved with it would not load again.
 */
export function flattenOutputShape(layer: string, inputShape: Shape): Shape {
  if (inputShape.length < 3) {
    throw new ShapeError(layer, inputShape, 'expected an input of at least 3 dimensions [batch, d1, d2, ...]; this one is already flat');
  }
  const features = inputShape.slice(1);
  const known = features.every((dim): dim is number => dim !== null);
  const size = known ? features.reduce((product, dim) => product * (dim as number), 1) : null;
  return [inputShape[0] ?? null, size];
}

/** Dense acts on the last axis: [batch, ..., in] -> [batch, ..., units]. */
export function denseOutputShape(layer: string, inputShape: Shape, units: number): Shape {
  if (inputShape.length < 2) {
    throw new ShapeError(layer, inputShape, 'expected an input of at least 2 dimensions [batch, ..., features]');
  }
  if (inputShape[inputShape.length - 1] === null) {
    throw new ShapeError(layer, inputShape, 'the last dimension must be known to make the kernel');
  }
  return [...inputShape.slice(0, -1), units];
}

/** BatchNormalization keeps the shape, and needs the normalised axis to be known. */
export function normalizedAxisShape(layer: string, inputShape: Shape, axis: number): Shape {
  const resolved = resolveAxis(layer, inputShape, axis);
  if (inputShape[resolved] === null) {
    throw new ShapeError(layer, inputShape, `axis ${axis} must have a known size`);
  }
  return inputShape;
}

/** A negative axis counts from the end, as in Keras; throws when it is out of range. */
export function resolveAxis(layer: string, shape: Shape, axis: number): number {
  const resolved = axis < 0 ? shape.length + axis : axis;
  if (!Number.isInteger(axis) || resolved < 0 || resolved >= shape.length) {
    throw new ShapeError(layer, shape, `axis ${axis} is out of range for a ${shape.length}-D input`);
  }
  return resolved;
}

function requireAtLeastTwo(layer: string, shapes: readonly Shape[]): void {
  if (shapes.length < 2) {
    throw new ShapeError(layer, shapes[0] ?? [], `expected a list of at least 2 inputs, got ${shapes.length}`);
  }
}

function listShapes(shapes: readonly Shape[]): string {
  return shapes.map(formatShape).join(' and ');
}

/** Concatenate: equal shapes except along `axis`, whose sizes add up. */
export function concatenateOutputShape(layer: string, shapes: readonly Shape[], axis: number): Shape {
  requireAtLeastTwo(layer, shapes);
  const first = shapes[0] as Shape;
  const resolved = resolveAxis(layer, first, axis);
  for (const shape of shapes) {
    const compatible =
      shape.length === first.length &&
      shape.every((dim, i) => i === resolved || dim === null || first[i] === null || dim === first[i]);
    if (!compatible) {
      throw new ShapeError(
        layer,
        shape,
        `inputs must match in every dimension except axis ${axis}, got ${listShapes(shapes)}`,
      );
    }
  }
  const joined = shapes.map((shape) => shape[resolved] ?? null);
  const total = joined.every((dim): dim is number => dim !== null)
    ? joined.reduce((sum, dim) => sum + dim, 0)
    : null;
  return first.map((dim, i) => (i === resolved ? total : dim));
}

/** Add: every input has the same shape, and so has the output. */
export function elementwiseOutputShape(layer: string, shapes: readonly Shape[]): Shape {
  requireAtLeastTwo(layer, shapes);
  const first = shapes[0] as Shape;
  for (const shape of shapes) {
    const same = shape.length === first.length && shape.every((dim, i) => dim === first[i]);
    if (!same) {
      throw new ShapeError(layer, shape, `inputs must all have the same shape, got ${listShapes(shapes)}`);
    }
  }
  return first;
}
