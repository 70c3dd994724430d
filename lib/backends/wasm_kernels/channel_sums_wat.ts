/**
 * The WebAssembly text of two per-channel sums over channels-last tensors, sum(dy) and
 * sum(dy * (x - shift)), 4 channels per step with 128-bit SIMD: batch normalisation's gradient
 * (shift = the mean) and its statistics (dy = x, shift = 0 and then the mean) need them.
 *
 * channelSums(first, end, x, dy, shift, partials, channels, chunkPixels, pixels): chunks
 * [first, end) of `chunkPixels` pixels each (the last one shorter); chunk u writes its two sums,
 * `channels` floats each, at partials + u * 8 * channels bytes, for the caller to add up in
 * float64. A chunk's pixels are summed in float32, so chunks are kept short. Channels must be a
 * multiple of 4 (a vector shifted back would count channels twice); pointers in bytes.
 */

import { localGet as get } from './wat';

/** The channel count must be a multiple of this. */
export const CHANNEL_SUMS_VECTOR = 4;

/**
 * `channelSums` as above; `centredSums`, the same with dy taken as x - shift (its dy argument
 * unread): sum(x - shift) and sum((x - shift)^2), the variance without cancellation.
 */
function sumsFunction(name: 'channelSums' | 'centredSums'): string {
  const at = (pointer: string): string => `(i32.add ${get(pointer)} ${get('at')})`;
  const centred = `(f32x4.sub (v128.load ${at('x')}) ${get('m')})`;
  const gradient = name === 'centredSums' ? centred : `(v128.load ${at('dy')})`;
  return [
    `(func (export "${name}") (param $first i32) (param $end i32) (param $x i32) (param $dy i32) (param $shift i32) (param $partials i32) (param $channels i32) (param $chunkPixels i32) (param $pixels i32)`,
    `  (local $chunk i32) (local $pixelBytes i32) (local $c i32) (local $at i32) (local $stop i32) (local $out i32)`,
    `  (local $m v128) (local $d v128) (local $sumDy v128) (local $sumDyX v128)`,
    `  (local.set $pixelBytes (i32.shl ${get('channels')} (i32.const 2)))`,
    `  (local.set $chunk ${get('first')})`,
    `  (block $chunksDone (loop $chunks`,
    `    (br_if $chunksDone (i32.ge_u ${get('chunk')} ${get('end')}))`,
    `    (local.set $out (i32.add ${get('partials')} (i32.mul ${get('chunk')} (i32.shl ${get('pixelBytes')} (i32.const 1)))))`,
    `    (local.set $c (i32.const 0))`,
    `    (block $channelsDone (loop $vectors`,
    `      (br_if $channelsDone (i32.ge_u ${get('c')} ${get('pixelBytes')}))`,
    `      (local.set $m (v128.load (i32.add ${get('shift')} ${get('c')})))`,
    `      (local.set $sumDy (v128.const i32x4 0 0 0 0))`,
    `      (local.set $sumDyX (v128.const i32x4 0 0 0 0))`,
    `      (local.set $at (i32.add (i32.mul (i32.mul ${get('chunk')} ${get('chunkPixels')}) ${get('pixelBytes')}) ${get('c')}))`,
    `      (local.set $stop (i32.mul (select ${get('pixels')} (i32.mul (i32.add ${get('chunk')} (i32.const 1)) ${get('chunkPixels')})`,
    `        (i32.gt_u (i32.mul (i32.add ${get('chunk')} (i32.const 1)) ${get('chunkPixels')}) ${get('pixels')})) ${get('pixelBytes')}))`,
    `      (block $pixelsDone (loop $pixelLoop`,
    `        (br_if $pixelsDone (i32.ge_u ${get('at')} ${get('stop')}))`,
    `        (local.set $d ${gradient})`,
    `        (local.set $sumDy (f32x4.add ${get('sumDy')} ${get('d')}))`,
    `        (local.set $sumDyX (f32x4.add ${get('sumDyX')} (f32x4.mul ${get('d')} ${name === 'centredSums' ? get('d') : centred})))`,
    `        (local.set $at (i32.add ${get('at')} ${get('pixelBytes')}))`,
    `        (br $pixelLoop)))`,
    `      (v128.store (i32.add ${get('out')} ${get('c')}) ${get('sumDy')})`,
    `      (v128.store (i32.add (i32.add ${get('out')} ${get('pixelBytes')}) ${get('c')}) ${get('sumDyX')})`,
    `      (local.set $c (i32.add ${get('c')} (i32.const 16)))`,
    `      (br $vectors)))`,
    `    (local.set $chunk (i32.add ${get('chunk')} (i32.const 1)))`,
    `    (br $chunks)))`,
    `)`,
  ].join('\n');
}

export function channelSumsFunctions(): string {
  return [sumsFunction('channelSums'), sumsFunction('centredSums')].join('\n');
}
