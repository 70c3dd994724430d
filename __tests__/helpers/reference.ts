import { seededUniform } from '../../lib/random';

/**
 * Plain-loop references, written from the definitions (the course's formulas and TensorFlow's
 * 'same' padding, which puts the odd extra row or column at the bottom and right), to check the
 * layers' numbers against something that shares no code with TensorFlow.js.
 */

export interface Image {
  /** [height][width][channels] */
  data: number[][][];
}

export type PaddingMode = 'valid' | 'same';

/** Top/left padding and output length of one axis, as TensorFlow computes them. */
export function axisGeometry(length: number, window: number, stride: number, padding: PaddingMode, dilation = 1) {
  const effective = (window - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((length - effective) / stride) + 1, before: 0 };
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + effective - length, 0);
  return { out, before: Math.floor(total / 2) };
}

/** x: [h][w][cin], kernel: [kh][kw][cin][cout], bias: [cout]. */
export function conv2dLoops(
  x: number[][][],
  kernel: number[][][][],
  bias: number[],
  strides: [number, number],
  padding: PaddingMode,
  dilation: [number, number] = [1, 1],
): number[][][] {
  const [h, w, cin] = [x.length, x[0]!.length, x[0]![0]!.length];
  const [kh, kw, cout] = [kernel.length, kernel[0]!.length, kernel[0]![0]![0]!.length];
  const rows = axisGeometry(h, kh, strides[0], padding, dilation[0]);
  const cols = axisGeometry(w, kw, strides[1], padding, dilation[1]);
  const out: number[][][] = [];
  for (let i = 0; i < rows.out; i++) {
    const row: number[][] = [];
    for (let j = 0; j < cols.out; j++) {
      const pixel: number[] = [];
      for (let o = 0; o < cout; o++) {
        let sum = bias[o]!;
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const y = i * strides[0] + a * dilation[0] - rows.before;
            const z = j * strides[1] + b * dilation[1] - cols.before;
            if (y < 0 || y >= h || z < 0 || z >= w) continue;
            for (let c = 0; c < cin; c++) sum += x[y]![z]![c]! * kernel[a]![b]![c]![o]!;
          }
        }
        pixel.push(sum);
      }
      row.push(pixel);
    }
    out.push(row);
  }
  return out;
}

/**
 * The filter gradient of a convolution by its definition, on flat NHWC arrays:
 * dW[kh][kw][ci][co] = sum over n, oh, ow of x[n][oh*sh + kh - top][ow*sw + kw - left][ci] * dy[n][oh][ow][co].
 * Returns dW flat in [kh, kw, ci, co] order.
 */
export function conv2dFilterGradientLoops(
  x: ArrayLike<number>,
  xShape: [number, number, number, number],
  dy: ArrayLike<number>,
  filter: [number, number, number],
  strides: [number, number],
  padding: PaddingMode,
): Float64Array {
  const [batch, h, w, cin] = xShape;
  const [kh, kw, cout] = filter;
  const rows = axisGeometry(h, kh, strides[0], padding);
  const cols = axisGeometry(w, kw, strides[1], padding);
  const dw = new Float64Array(kh * kw * cin * cout);
  for (let n = 0; n < batch; n++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let a = 0; a < kh; a++)
          for (let b = 0; b < kw; b++) {
            const y = i * strides[0] + a - rows.before;
            const z = j * strides[1] + b - cols.before;
            if (y < 0 || y >= h || z < 0 || z >= w) continue;
            for (let c = 0; c < cin; c++)
              for (let o = 0; o < cout; o++) {
                const xv = x[((n * h + y) * w + z) * cin + c]!;
                const dv = dy[((n * rows.out + i) * cols.out + j) * cout + o]!;
                dw[((a * kw + b) * cin + c) * cout + o]! += xv * dv;
              }
          }
  return dw;
}

/** Max or average pooling; TensorFlow's average leaves padded cells out of the count. */
export function pool2dLoops(
  x: number[][][],
  size: [number, number],
  strides: [number, number],
  padding: PaddingMode,
  kind: 'max' | 'avg',
): number[][][] {
  const [h, w, channels] = [x.length, x[0]!.length, x[0]![0]!.length];
  const rows = axisGeometry(h, size[0], strides[0], padding);
  const cols = axisGeometry(w, size[1], strides[1], padding);
  const out: number[][][] = [];
  for (let i = 0; i < rows.out; i++) {
    const row: number[][] = [];
    for (let j = 0; j < cols.out; j++) {
      const pixel: number[] = [];
      for (let c = 0; c < channels; c++) {
        const values: number[] = [];
        for (let a = 0; a < size[0]; a++) {
          for (let b = 0; b < size[1]; b++) {
            const y = i * strides[0] + a - rows.before;
            const z = j * strides[1] + b - cols.before;
            if (y >= 0 && y < h && z >= 0 && z < w) values.push(x[y]![z]![c]!);
          }
        }
        pixel.push(kind === 'max' ? Math.max(...values) : values.reduce((s, v) => s + v, 0) / values.length);
      }
      row.push(pixel);
    }
    out.push(row);
  }
  return out;
}

/** A deterministic pseudo-random array in [-1, 1), as plain numbers for the nested loops. */
export function seededValues(count: number, seed: number): number[] {
  return Array.from(seededUniform(count, seed));
}

/** Reshapes a flat array into nested arrays of the given shape. */
export function nest<T>(flat: readonly T[], shape: readonly number[]): unknown {
  if (shape.length === 1) return flat.slice(0, shape[0]);
  const [first, ...rest] = shape;
  const step = rest.reduce((p, d) => p * d, 1);
  return Array.from({ length: first! }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), rest));
}
