/**
 * The WebAssembly text of our own col2im for a convolution's input gradient, 4 channels per step
 * with 128-bit SIMD.
 *
 * The columns hold, for every output pixel (oh, ow), its contribution to every tap:
 * columns[n, oh, ow, (kh * KW + kw) * C + c] = sum over co of dy[n, oh, ow, co] * W[kh, kw, c, co].
 * Each dx pixel gathers what falls on it: dx[n, i, j, c] is the sum of the columns at the output
 * pixels whose window covers (i, j), at the tap that lands there (kh = i + top - oh * strideHeight,
 * kw = j + left - ow * strideWidth). Gathering, rather than scattering each column into dx, lets
 * every thread write its own rows of dx and nothing else. Within a pixel, the output pixels that
 * cover it are found by bounds, not tested one by one, and stepping to the next one is a constant
 * step through the columns. Channel counts that are not a multiple of 4 end with a vector shifted
 * back to the last 4 channels: it sums a few channels again and writes the same values.
 *
 * addColumns(first, end, columns, dx, inHeight, inWidth, channels, outHeight, outWidth,
 * filterHeight, filterWidth, strideHeight, strideWidth, top, left): dx rows [first, end) of the
 * whole batch; pointers in bytes; channels >= 4; top and left >= 0.
 */

import { float32Bytes as bytes, i32Add as add, i32MinSigned as min, i32Mul as mul, i32Sub as sub, localGet as get } from './wat';

const PARAMS = [
  'first',
  'end',
  'columns',
  'dx',
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

/** The smallest channel count the kernel takes: one whole vector. */
export const ADD_COLUMNS_MIN_CHANNELS = 4;


/**
 * Sets $low and $high to the first and last output index (along one axis) whose window covers
 * `padded` (the pixel's index plus the leading padding): ceil((padded - filter + 1) / stride),
 * at least 0, and floor(padded / stride), at most outSize - 1.
 */
export function coveringRange(low: string, high: string, padded: string, filter: string, stride: string, outSize: string): string[] {
  const beforeFirst = sub(padded, sub(get(filter), '(i32.const 1)'));
  return [
    `(local.set $${high} ${min(sub(get(outSize), '(i32.const 1)'), `(i32.div_u ${padded} ${get(stride)})`)})`,
    `(local.set $${low} (select (i32.div_s ${add(beforeFirst, sub(get(stride), '(i32.const 1)'))} ${get(stride)}) (i32.const 0) (i32.gt_s ${beforeFirst} (i32.const 0))))`,
  ];
}

export function addColumnsFunction(): string {
  const tapValues = mul(mul(get('filterHeight'), get('filterWidth')), get('channels'));
  return [
    `(func (export "addColumns") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  (local $row i32) (local $image i32) (local $i i32) (local $j i32) (local $iPadded i32) (local $jPadded i32)`,
    `  (local $ohLow i32) (local $ohHigh i32) (local $owLow i32) (local $owHigh i32) (local $oh i32) (local $ow i32)`,
    `  (local $c i32) (local $lastVector i32) (local $ohStep i32) (local $owStep i32) (local $imageColumns i32)`,
    `  (local $pixel i32) (local $channelBytes i32) (local $at i32) (local $rowAt i32) (local $out i32) (local $sum v128)`,
    `  (local.set $lastVector (i32.sub ${get('channels')} (i32.const 4)))`,
    // Bytes between the columns of two covering output pixels a row or a column apart.
    `  (local.set $owStep ${bytes(sub(tapValues, mul(get('strideWidth'), get('channels'))))})`,
    `  (local.set $ohStep ${bytes(sub(mul(get('outWidth'), tapValues), mul(mul(get('strideHeight'), get('filterWidth')), get('channels'))))})`,
    `  (local.set $row ${get('first')})`,
    `  (block $rowsDone (loop $rowLoop`,
    `    (br_if $rowsDone (i32.ge_u ${get('row')} ${get('end')}))`,
    `    (local.set $image (i32.div_u ${get('row')} ${get('inHeight')}))`,
    `    (local.set $i ${sub(get('row'), mul(get('image'), get('inHeight')))})`,
    `    (local.set $iPadded ${add(get('i'), get('top'))})`,
    ...coveringRange('ohLow', 'ohHigh', get('iPadded'), 'filterHeight', 'strideHeight', 'outHeight').map((line) => `    ${line}`),
    `    (local.set $imageColumns ${add(get('columns'), bytes(mul(mul(mul(get('image'), get('outHeight')), get('outWidth')), tapValues)))})`,
    `    (local.set $out ${add(get('dx'), bytes(mul(mul(get('row'), get('inWidth')), get('channels'))))})`,
    `    (local.set $j (i32.const 0))`,
    `    (block $pixelsDone (loop $pixelLoop`,
    `      (br_if $pixelsDone (i32.ge_u ${get('j')} ${get('inWidth')}))`,
    `      (local.set $jPadded ${add(get('j'), get('left'))})`,
    ...coveringRange('owLow', 'owHigh', get('jPadded'), 'filterWidth', 'strideWidth', 'outWidth').map((line) => `      ${line}`),
    // The columns of the first covering output pixel, at the tap that lands on (i, j):
    // ((ohLow * outWidth + owLow) * taps + kh * filterWidth + kw) * channels.
    `      (local.set $pixel ${add(
      get('imageColumns'),
      bytes(
        add(
          mul(add(mul(get('ohLow'), get('outWidth')), get('owLow')), tapValues),
          mul(
            add(
              mul(sub(get('iPadded'), mul(get('ohLow'), get('strideHeight'))), get('filterWidth')),
              sub(get('jPadded'), mul(get('owLow'), get('strideWidth'))),
            ),
            get('channels'),
          ),
        ),
      ),
    )})`,
    `      (local.set $c (i32.const 0))`,
    `      (loop $vectorLoop`,
    `        (local.set $channelBytes ${bytes(min(get('c'), get('lastVector')))})`,
    `        (local.set $sum (v128.const i32x4 0 0 0 0))`,
    `        (local.set $rowAt ${add(get('pixel'), get('channelBytes'))})`,
    `        (local.set $oh ${get('ohLow')})`,
    `        (block $coverRowsDone (loop $coverRowLoop`,
    `          (br_if $coverRowsDone (i32.gt_s ${get('oh')} ${get('ohHigh')}))`,
    `          (local.set $at ${get('rowAt')})`,
    `          (local.set $ow ${get('owLow')})`,
    `          (block $coverColumnsDone (loop $coverColumnLoop`,
    `            (br_if $coverColumnsDone (i32.gt_s ${get('ow')} ${get('owHigh')}))`,
    `            (local.set $sum (f32x4.add ${get('sum')} (v128.load ${get('at')})))`,
    `            (local.set $at ${add(get('at'), get('owStep'))})`,
    `            (local.set $ow (i32.add ${get('ow')} (i32.const 1)))`,
    `            (br $coverColumnLoop)))`,
    `          (local.set $rowAt ${add(get('rowAt'), get('ohStep'))})`,
    `          (local.set $oh (i32.add ${get('oh')} (i32.const 1)))`,
    `          (br $coverRowLoop)))`,
    `        (v128.store ${add(get('out'), get('channelBytes'))} ${get('sum')})`,
    `        (local.set $c (i32.add ${get('c')} (i32.const 4)))`,
    `        (br_if $vectorLoop (i32.lt_s ${get('c')} ${get('channels')})))`,
    `      (local.set $out ${add(get('out'), bytes(get('channels')))})`,
    `      (local.set $j (i32.add ${get('j')} (i32.const 1)))`,
    `      (br $pixelLoop)))`,
    `    (local.set $row (i32.add ${get('row')} (i32.const 1)))`,
    `    (br $rowLoop)))`,
    `)`,
  ].join('\n');
}
