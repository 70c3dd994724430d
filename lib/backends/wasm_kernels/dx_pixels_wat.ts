/**
 * The loops over dx pixels that our input-gradient kernels share (add_columns_wat and
 * input_gradient_wat), with the range of output pixels whose window covers each one.
 *
 * The generated text reads the kernel's parameters first, end, dx and DX_GEOMETRY_PARAMS, and
 * sets the locals in DX_PIXEL_LOCALS (the kernel declares them, all i32).
 */
import { float32Bytes as bytes, i32Add as add, i32MinSigned as min, i32Mul as mul, i32Sub as sub, localGet as get } from './wat';

/**
 * Where dx lands: the parameters both kernels end with, in this order (the caller passes its
 * values in the same order; own_kernels reads them by these names).
 */
export const DX_GEOMETRY_PARAMS = [
  'inHeight',
  'inWidth',
  'channels',
  'outHeight',
  'outWidth',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'top',
  'left',
] as const;

/**
 * Set per dx row: $image, $i (row within the image), $iPadded (plus the top padding), $ohLow and
 * $ohHigh (the covering output rows); per pixel: $j, $jPadded, $owLow, $owHigh; and $out, the
 * pixel's first channel in dx. $row counts dx rows of the whole batch.
 */
export const DX_PIXEL_LOCALS = ['row', 'image', 'i', 'j', 'iPadded', 'jPadded', 'ohLow', 'ohHigh', 'owLow', 'owHigh', 'out'] as const;

/**
 * Sets $low and $high to the first and last output index (along one axis) whose window covers
 * `padded` (the pixel's index plus the leading padding): ceil((padded - filter + 1) / stride),
 * at least 0, and floor(padded / stride), at most outSize - 1.
 */
function coveringRange(low: string, high: string, padded: string, filter: string, stride: string, outSize: string): string[] {
  const beforeFirst = sub(padded, sub(get(filter), '(i32.const 1)'));
  return [
    `(local.set $${high} ${min(sub(get(outSize), '(i32.const 1)'), `(i32.div_u ${padded} ${get(stride)})`)})`,
    `(local.set $${low} (select (i32.div_s ${add(beforeFirst, sub(get(stride), '(i32.const 1)'))} ${get(stride)}) (i32.const 0) (i32.gt_s ${beforeFirst} (i32.const 0))))`,
  ];
}

/** The first covering output pixel's index within its image: ohLow * outWidth + owLow. */
export function firstCoveringPixel(): string {
  return add(mul(get('ohLow'), get('outWidth')), get('owLow'));
}

/** The filter tap (kh * filterWidth + kw) at which the first covering output pixel lands on the dx pixel. */
export function firstCoveringTap(): string {
  return add(
    mul(sub(get('iPadded'), mul(get('ohLow'), get('strideHeight'))), get('filterWidth')),
    sub(get('jPadded'), mul(get('owLow'), get('strideWidth'))),
  );
}

const indent = (lines: readonly string[], depth: number): string[] => lines.map((line) => `${'  '.repeat(depth)}${line}`);

/**
 * Rows [first, end) of dx, each pixel in turn: `perRow` runs once the row's covering range is
 * set, `perPixel` once the pixel's is (it writes the pixel's channels at $out).
 */
export function forEachDxPixel(perRow: readonly string[], perPixel: readonly string[]): string[] {
  return [
    `(local.set $row ${get('first')})`,
    `(block $rowsDone (loop $rowLoop`,
    `  (br_if $rowsDone (i32.ge_u ${get('row')} ${get('end')}))`,
    `  (local.set $image (i32.div_u ${get('row')} ${get('inHeight')}))`,
    `  (local.set $i ${sub(get('row'), mul(get('image'), get('inHeight')))})`,
    `  (local.set $iPadded ${add(get('i'), get('top'))})`,
    ...indent(coveringRange('ohLow', 'ohHigh', get('iPadded'), 'filterHeight', 'strideHeight', 'outHeight'), 1),
    ...indent(perRow, 1),
    `  (local.set $out ${add(get('dx'), bytes(mul(mul(get('row'), get('inWidth')), get('channels'))))})`,
    `  (local.set $j (i32.const 0))`,
    `  (block $pixelsDone (loop $pixelLoop`,
    `    (br_if $pixelsDone (i32.ge_u ${get('j')} ${get('inWidth')}))`,
    `    (local.set $jPadded ${add(get('j'), get('left'))})`,
    ...indent(coveringRange('owLow', 'owHigh', get('jPadded'), 'filterWidth', 'strideWidth', 'outWidth'), 2),
    ...indent(perPixel, 2),
    `    (local.set $out ${add(get('out'), bytes(get('channels')))})`,
    `    (local.set $j (i32.add ${get('j')} (i32.const 1)))`,
    `    (br $pixelLoop)))`,
    `  (local.set $row (i32.add ${get('row')} (i32.const 1)))`,
    `  (br $rowLoop)))`,
  ];
}
