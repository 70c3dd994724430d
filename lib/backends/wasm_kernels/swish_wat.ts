/**
 * The WebAssembly text of swish, y = x * sigmoid(x), and of its gradient, 8 values per step with
 * 128-bit SIMD.
 *
 * WebAssembly has no exp. With z = -|x|, sigmoid(-|x|) = e / (1 + e) where e = exp(z) lies in
 * (0, 1], and sigmoid(|x|) = 1 - sigmoid(-|x|). exp(z) = 2^n * exp(r) with n = round(z / ln 2) and
 * |r| <= ln(2) / 2: adding 1.5 * 2^23 + 127 to z / ln 2 rounds it and leaves n + 127 in the low
 * mantissa bits, which a shift moves into the exponent of 2^n; exp(r) is a degree-5 polynomial
 * fitted to minimise the relative error on that interval (9e-8; in float32, swish stays within
 * 3e-7 of float64). Below z = -87.33, 2^n would not be a normal float, and e is taken as 0, as
 * exp is in float32. NaN gives NaN; -Infinity gives NaN (-Infinity * 0), as on the cpu backend.
 *
 * swish(first, end, x, y, s, count) writes y and s = sigmoid(x), which the gradient reuses;
 * swishGrad(first, end, y, s, dy, dx, count) writes dx = dy * (s + y (1 - s)), which is
 * dy * d(x s)/dx since ds/dx = s (1 - s). Both take units [first, end) of 8 values of the
 * count >= 8: unit u covers values 8u to 8u + 7, shifted back to end at the last value when
 * count is not a multiple of 8 (it recomputes a few values and writes the same results again).
 * Pointers are byte offsets.
 */

import { vectorAddress, vectorLoopFunction } from './vector_loop_wat';
import { localGet as get } from './wat';

/** Two vectors of 4 per work unit, for two independent chains of arithmetic per step. */
const VECTORS_PER_UNIT = 2;

/** Values per work unit. */
export const SWISH_UNIT_VALUES = 4 * VECTORS_PER_UNIT;

const LOG2_E = 1.4426950408889634;
/** 1.5 * 2^23 + 127: the float whose low mantissa bits hold n + 127 after adding z / ln 2. */
const ROUNDING_BIAS = 12583039;
// -ln 2 in two parts, the first exact in few bits, so that n * ln 2 loses nothing for |n| <= 127.
const MINUS_LN2_HIGH = -0.693359375;
const MINUS_LN2_LOW = 2.1219444e-4;
/** Where exp(z) leaves the normal floats. */
const LOWEST_EXPONENT = -87.33;
/** exp(r) ~ 1 + r (c1 + r (c2 + r (c3 + r (c4 + r c5)))) for |r| <= ln(2) / 2. */
const EXP_COEFFICIENTS = [0.9999997019767761, 0.4999915063381195, 0.1666763573884964, 0.04189793020486832, 0.008290310390293598];

const CONSTANTS: Readonly<Record<string, string>> = {
  signBit: '(i32x4.splat (i32.const 0x80000000))',
  log2e: `(f32x4.splat (f32.const ${LOG2_E}))`,
  bias: `(f32x4.splat (f32.const ${ROUNDING_BIAS}))`,
  ln2High: `(f32x4.splat (f32.const ${MINUS_LN2_HIGH}))`,
  ln2Low: `(f32x4.splat (f32.const ${MINUS_LN2_LOW}))`,
  lowest: `(f32x4.splat (f32.const ${LOWEST_EXPONENT}))`,
  one: '(f32x4.splat (f32.const 1))',
  zero: '(f32x4.splat (f32.const 0))',
  ...Object.fromEntries(EXP_COEFFICIENTS.map((c, i) => [`c${i + 1}`, `(f32x4.splat (f32.const ${c}))`])),
};

/** Locals of both vectors of a unit, and of the constants. */
function locals(names: readonly string[]): string[] {
  return [
    ...[0, 1].flatMap((v) => names.map((name) => `(local $${name}${v} v128)`)),
    ...Object.keys(CONSTANTS).map((name) => `(local $${name} v128)`),
  ];
}

/** The constants, set once before the loop. */
const SETUP = Object.entries(CONSTANTS).map(([name, value]) => `(local.set $${name} ${value})`);

/** Sets $s<v> to sigmoid($x<v>), through the locals z, n, e, r and f of vector v. */
function sigmoid(v: number): string[] {
  const at = (name: string): string => get(`${name}${v}`);
  const polynomial = [4, 3, 2, 1].reduce((inner, i) => `(f32x4.add (f32x4.mul ${inner} ${at('r')}) ${get(`c${i}`)})`, get('c5'));
  return [
    `(local.set $z${v} (v128.or ${at('x')} ${get('signBit')}))`,
    `(local.set $n${v} (f32x4.add (f32x4.mul ${at('z')} ${get('log2e')}) ${get('bias')}))`,
    `(local.set $e${v} (i32x4.shl ${at('n')} (i32.const 23)))`,
    `(local.set $n${v} (f32x4.sub ${at('n')} ${get('bias')}))`,
    `(local.set $r${v} (f32x4.add (f32x4.add ${at('z')} (f32x4.mul ${at('n')} ${get('ln2High')})) (f32x4.mul ${at('n')} ${get('ln2Low')})))`,
    `(local.set $e${v} (f32x4.mul ${at('e')} (f32x4.add (f32x4.mul ${polynomial} ${at('r')}) ${get('one')})))`,
    `(local.set $e${v} (v128.and ${at('e')} (f32x4.ge ${at('z')} ${get('lowest')})))`,
    `(local.set $f${v} (f32x4.div ${at('e')} (f32x4.add ${at('e')} ${get('one')})))`,
    `(local.set $s${v} (v128.bitselect ${at('f')} (f32x4.sub ${get('one')} ${at('f')}) (f32x4.lt ${at('x')} ${get('zero')})))`,
  ];
}

function address(pointer: string, v: number): string {
  return `offset=${16 * v} ${vectorAddress(pointer)}`;
}

export function swishFunctions(): string {
  return [
    vectorLoopFunction('swish', ['x', 'y', 's'], locals(['x', 'z', 'n', 'e', 'r', 'f', 's']), SETUP, (v) => [
      `(local.set $x${v} (v128.load ${address('x', v)}))`,
      ...sigmoid(v),
      `(v128.store ${address('y', v)} (f32x4.mul ${get(`x${v}`)} ${get(`s${v}`)}))`,
      `(v128.store ${address('s', v)} ${get(`s${v}`)})`,
    ], VECTORS_PER_UNIT),
    vectorLoopFunction('swishGrad', ['y', 's', 'dy', 'dx'], locals(['y', 's']), SETUP, (v) => [
      `(local.set $y${v} (v128.load ${address('y', v)}))`,
      `(local.set $s${v} (v128.load ${address('s', v)}))`,
      `(v128.store ${address('dx', v)} (f32x4.mul (v128.load ${address('dy', v)}) (f32x4.add ${get(`s${v}`)} (f32x4.mul ${get(`y${v}`)} (f32x4.sub ${get('one')} ${get(`s${v}`)})))))`,
    ], VECTORS_PER_UNIT),
  ].join('\n');
}
