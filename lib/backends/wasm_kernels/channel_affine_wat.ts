/**
 * The WebAssembly text of per-channel affine maps of channels-last activations, 4 channels per
 * step with 128-bit SIMD:
 *
 * addBias(first, end, x, bias, y, channels): y = x + bias[c].
 * normalizeChannels(first, end, x, parameters, y, channels): y = (x - mean[c]) * multiplier[c]
 * + offset[c], with mean, multiplier and offset one after another at `parameters` (3 * channels
 * floats). The mean is subtracted first, as the other backends' batch normalisation does.
 * batchNormInputGradient(first, end, x, dy, parameters, dx, channels): dx = (dy - meanDy[c] -
 * (x - mean[c]) * k[c]) * s[c], with the tables mean, meanDy, k, s at `parameters`.
 *
 * All take pixels [first, end), each a row of `channels` values, with channels >= 4; pointers
 * in bytes. A channel count that is not a multiple of 4 ends each pixel with a vector shifted
 * back to its last 4 channels (it recomputes a few channels from x and writes the same results).
 */

import { localGet as get } from './wat';

/** The fewest channels the kernels take: one whole vector. */
export const CHANNEL_AFFINE_MIN_CHANNELS = 4;

/** The vector at the current channels of the per-channel table at `table` + `tableOffset` bytes. */
function channelVector(table: string, tableOffset: string): string {
  return `(v128.load (i32.add (i32.add ${get(table)} ${tableOffset}) ${get('offset')}))`;
}

/** A loop over pixels [first, end) that writes `result` of the pixel's `inputs` vectors to y. */
function pixelLoop(name: string, inputs: readonly string[], table: string, result: (...loads: string[]) => string): string {
  const load = (input: string): string => `(v128.load (i32.add (i32.add ${get(input)} ${get('at')}) ${get('offset')}))`;
  return [
    `(func (export "${name}") (param $first i32) (param $end i32) ${inputs.map((input) => `(param $${input} i32)`).join(' ')} (param $${table} i32) (param $y i32) (param $channels i32)`,
    `  (local $pixel i32) (local $pixelBytes i32) (local $lastVector i32) (local $c i32) (local $offset i32) (local $at i32)`,
    `  (local.set $pixelBytes (i32.shl ${get('channels')} (i32.const 2)))`,
    `  (local.set $lastVector (i32.sub ${get('pixelBytes')} (i32.const 16)))`,
    `  (local.set $pixel ${get('first')})`,
    `  (block $done (loop $pixels`,
    `    (br_if $done (i32.ge_u ${get('pixel')} ${get('end')}))`,
    `    (local.set $at (i32.mul ${get('pixel')} ${get('pixelBytes')}))`,
    `    (local.set $c (i32.const 0))`,
    `    (loop $vectors`,
    `      (local.set $offset (select ${get('lastVector')} ${get('c')} (i32.gt_s ${get('c')} ${get('lastVector')})))`,
    `      (v128.store (i32.add (i32.add ${get('y')} ${get('at')}) ${get('offset')})`,
    `        ${result(...inputs.map(load))})`,
    `      (local.set $c (i32.add ${get('c')} (i32.const 16)))`,
    `      (br_if $vectors (i32.lt_s ${get('c')} ${get('pixelBytes')})))`,
    `    (local.set $pixel (i32.add ${get('pixel')} (i32.const 1)))`,
    `    (br $pixels)))`,
    `)`,
  ].join('\n');
}

export function channelAffineFunctions(): string {
  /** Table `index` of the per-channel tables at $parameters, each `channels` floats. */
  const table = (index: number): string => channelVector('parameters', `(i32.mul ${get('pixelBytes')} (i32.const ${index}))`);
  return [
    pixelLoop('addBias', ['x'], 'bias', (x) => `(f32x4.add ${x} ${channelVector('bias', '(i32.const 0)')})`),
    pixelLoop('normalizeChannels', ['x'], 'parameters', (x) => `(f32x4.add (f32x4.mul (f32x4.sub ${x} ${table(0)}) ${table(1)}) ${table(2)})`),
    pixelLoop(
      'batchNormInputGradient',
      ['x', 'dy'],
      'parameters',
      (x, dy) => `(f32x4.mul (f32x4.sub (f32x4.sub ${dy} ${table(1)}) (f32x4.mul (f32x4.sub ${x} ${table(0)}) ${table(2)})) ${table(3)})`,
    ),
  ].join('\n');
}
