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

import { DX_GEOMETRY_PARAMS, DX_PIXEL_LOCALS, firstCoveringPixel, firstCoveringTap, forEachDxPixel } from './dx_pixels_wat';
import { float32Bytes as bytes, i32Add as add, i32MinSigned as min, i32Mul as mul, i32Sub as sub, localGet as get } from './wat';

const PARAMS = ['first', 'end', 'columns', 'dx', ...DX_GEOMETRY_PARAMS] as const;

/** The smallest channel count the kernel takes: one whole vector. */
export const ADD_COLUMNS_MIN_CHANNELS = 4;

export function addColumnsFunction(): string {
  const tapValues = mul(mul(get('filterHeight'), get('filterWidth')), get('channels'));
  return [
    `(func (export "addColumns") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  ${[...DX_PIXEL_LOCALS, 'oh', 'ow', 'c', 'lastVector', 'ohStep', 'owStep', 'imageColumns', 'pixel', 'channelBytes', 'at', 'rowAt'].map((name) => `(local $${name} i32)`).join(' ')}`,
    `  (local $sum v128)`,
    `  (local.set $lastVector (i32.sub ${get('channels')} (i32.const 4)))`,
    // Bytes between the columns of two covering output pixels a row or a column apart.
    `  (local.set $owStep ${bytes(sub(tapValues, mul(get('strideWidth'), get('channels'))))})`,
    `  (local.set $ohStep ${bytes(sub(mul(get('outWidth'), tapValues), mul(mul(get('strideHeight'), get('filterWidth')), get('channels'))))})`,
    ...forEachDxPixel(
      [`(local.set $imageColumns ${add(get('columns'), bytes(mul(mul(mul(get('image'), get('outHeight')), get('outWidth')), tapValues)))})`],
      [
        // The columns of the first covering output pixel, at the tap that lands on (i, j):
        // ((ohLow * outWidth + owLow) * taps + kh * filterWidth + kw) * channels.
        `(local.set $pixel ${add(get('imageColumns'), bytes(add(mul(firstCoveringPixel(), tapValues), mul(firstCoveringTap(), get('channels')))))})`,
        `(local.set $c (i32.const 0))`,
        `(loop $vectorLoop`,
        `  (local.set $channelBytes ${bytes(min(get('c'), get('lastVector')))})`,
        `  (local.set $sum (v128.const i32x4 0 0 0 0))`,
        `  (local.set $rowAt ${add(get('pixel'), get('channelBytes'))})`,
        `  (local.set $oh ${get('ohLow')})`,
        `  (block $coverRowsDone (loop $coverRowLoop`,
        `    (br_if $coverRowsDone (i32.gt_s ${get('oh')} ${get('ohHigh')}))`,
        `    (local.set $at ${get('rowAt')})`,
        `    (local.set $ow ${get('owLow')})`,
        `    (block $coverColumnsDone (loop $coverColumnLoop`,
        `      (br_if $coverColumnsDone (i32.gt_s ${get('ow')} ${get('owHigh')}))`,
        `      (local.set $sum (f32x4.add ${get('sum')} (v128.load ${get('at')})))`,
        `      (local.set $at ${add(get('at'), get('owStep'))})`,
        `      (local.set $ow (i32.add ${get('ow')} (i32.const 1)))`,
        `      (br $coverColumnLoop)))`,
        `    (local.set $rowAt ${add(get('rowAt'), get('ohStep'))})`,
        `    (local.set $oh (i32.add ${get('oh')} (i32.const 1)))`,
        `    (br $coverRowLoop)))`,
        `  (v128.store ${add(get('out'), get('channelBytes'))} ${get('sum')})`,
        `  (local.set $c (i32.add ${get('c')} (i32.const 4)))`,
        `  (br_if $vectorLoop (i32.lt_s ${get('c')} ${get('channels')})))`,
      ],
    ).map((line) => `  ${line}`),
    `)`,
  ].join('\n');
}
