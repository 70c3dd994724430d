/**
 * The WebAssembly text of our own gradient of 2x2, stride 2 max pooling (every input pixel in
 * exactly one window), 4 channels per step with 128-bit SIMD.
 *
 * Per window and vector of channels it replays the cpu kernel's scan in window order (top left,
 * top right, bottom left, bottom right) with a strictly-greater compare from -Infinity, so the
 * first maximum wins and NaN never does, then writes dy to the winner and zero elsewhere.
 * Channel counts that are not a multiple of 4 end with a vector shifted back to the last 4
 * channels: it recomputes a few channels and writes the same values again.
 *
 * maxPoolGrad2x2(first, end, x, dy, dx, outWidth, channels): output rows [first, end) of the
 * whole batch (input row pairs); pointers in bytes; channels >= 4.
 */

import { localGet as get } from './wat';

const PARAMS = ['first', 'end', 'x', 'dy', 'dx', 'outWidth', 'channels'] as const;

/** The smallest channel count the kernel takes: one whole vector. */
export const MAX_POOL_GRAD_MIN_CHANNELS = 4;

/** `value` where `mask` is set, +0 elsewhere. */
function masked(value: string, mask: string): string {
  return `(v128.and ${get(value)} ${get(mask)})`;
}

export function maxPoolGrad2x2Function(): string {
  // Byte offsets of the window's four pixels from its top left one, in scan order.
  const pixels = ['(i32.const 0)', get('pixelBytes'), get('rowBytes'), `(i32.add ${get('rowBytes')} ${get('pixelBytes')})`];
  const at = (pixel: number): string => `(i32.add (i32.add ${get('xp')} ${get('offset')}) ${pixels[pixel]})`;
  const out = (pixel: number): string => `(i32.add (i32.add ${get('dxp')} ${get('offset')}) ${pixels[pixel]})`;
  return [
    `(func (export "maxPoolGrad2x2") ${PARAMS.map((name) => `(param $${name} i32)`).join(' ')}`,
    `  (local $row i32) (local $ow i32) (local $c i32) (local $offset i32) (local $lastVector i32)`,
    `  (local $pixelBytes i32) (local $rowBytes i32) (local $xp i32) (local $dxp i32) (local $dyp i32)`,
    `  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $best v128) (local $gradient v128)`,
    `  (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $taken v128)`,
    `  (local.set $pixelBytes (i32.shl ${get('channels')} (i32.const 2)))`,
    `  (local.set $rowBytes (i32.shl (i32.mul ${get('outWidth')} ${get('pixelBytes')}) (i32.const 1)))`,
    `  (local.set $lastVector (i32.sub ${get('channels')} (i32.const 4)))`,
    `  (local.set $row ${get('first')})`,
    `  (block $rowsDone (loop $rowLoop`,
    `    (br_if $rowsDone (i32.ge_u ${get('row')} ${get('end')}))`,
    `    (local.set $xp (i32.add ${get('x')} (i32.mul ${get('row')} (i32.shl ${get('rowBytes')} (i32.const 1)))))`,
    `    (local.set $dxp (i32.add ${get('dx')} (i32.mul ${get('row')} (i32.shl ${get('rowBytes')} (i32.const 1)))))`,
    `    (local.set $dyp (i32.add ${get('dy')} (i32.mul ${get('row')} (i32.shr_u ${get('rowBytes')} (i32.const 1)))))`,
    `    (local.set $ow ${get('outWidth')})`,
    `    (block $windowsDone (loop $windowLoop`,
    `      (br_if $windowsDone (i32.eqz ${get('ow')}))`,
    `      (local.set $c (i32.const 0))`,
    `      (loop $vectorLoop`,
    `        (local.set $offset (i32.shl (select ${get('lastVector')} ${get('c')} (i32.gt_s ${get('c')} ${get('lastVector')})) (i32.const 2)))`,
    ...[0, 1, 2, 3].map((pixel) => `        (local.set $v${pixel} (v128.load ${at(pixel)}))`),
    `        (local.set $gradient (v128.load (i32.add ${get('dyp')} ${get('offset')})))`,
    `        (local.set $best (f32x4.splat (f32.const -inf)))`,
    ...[0, 1, 2, 3].flatMap((pixel) => [
      `        (local.set $w${pixel} (f32x4.gt ${get(`v${pixel}`)} ${get('best')}))`,
      ...(pixel < 3 ? [`        (local.set $best (v128.bitselect ${get(`v${pixel}`)} ${get('best')} ${get(`w${pixel}`)}))`] : []),
    ]),
    // A later win overrides an earlier one: keep each win only where no later pixel won.
    `        (v128.store ${out(3)} ${masked('gradient', 'w3')})`,
    `        (local.set $taken ${get('w3')})`,
    ...[2, 1, 0].flatMap((pixel) => [
      `        (v128.store ${out(pixel)} (v128.and ${get('gradient')} (v128.andnot ${get(`w${pixel}`)} ${get('taken')})))`,
      ...(pixel > 0 ? [`        (local.set $taken (v128.or ${get('taken')} ${get(`w${pixel}`)}))`] : []),
    ]),
    `        (local.set $c (i32.add ${get('c')} (i32.const 4)))`,
    `        (br_if $vectorLoop (i32.lt_s ${get('c')} ${get('channels')})))`,
    `      (local.set $xp (i32.add ${get('xp')} (i32.shl ${get('pixelBytes')} (i32.const 1))))`,
    `      (local.set $dxp (i32.add ${get('dxp')} (i32.shl ${get('pixelBytes')} (i32.const 1))))`,
    `      (local.set $dyp (i32.add ${get('dyp')} ${get('pixelBytes')}))`,
    `      (local.set $ow (i32.sub ${get('ow')} (i32.const 1)))`,
    `      (br $windowLoop)))`,
    `    (local.set $row (i32.add ${get('row')} (i32.const 1)))`,
    `    (br $rowLoop)))`,
    `)`,
  ].join('\n');
}
