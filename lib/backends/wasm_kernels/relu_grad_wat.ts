/**
 * The WebAssembly text of ReLU's gradient from its output, dx = dy where y > 0, y where y is NaN
 * (NaN, as tfjs's dy * step(x) gives), else 0; 4 values per step with 128-bit SIMD.
 *
 * reluGrad(first, end, y, dy, dx, count): vectors [first, end) of the count >= 4 values; the
 * last, when count is not a multiple of 4, is shifted back to end at the last value (it writes
 * a few values again, the same). Pointers in bytes.
 */

/** The fewest values the kernel takes: one whole vector. */
export const RELU_GRAD_MIN_VALUES = 4;

function get(name: string): string {
  return `(local.get $${name})`;
}

export function reluGradFunction(): string {
  const at = (pointer: string): string => `(i32.add ${get(pointer)} ${get('offset')})`;
  return [
    `(func (export "reluGrad") (param $first i32) (param $end i32) (param $y i32) (param $dy i32) (param $dx i32) (param $count i32)`,
    `  (local $v i32) (local $offset i32) (local $lastVector i32) (local $value v128)`,
    `  (local.set $lastVector (i32.shl (i32.sub ${get('count')} (i32.const 4)) (i32.const 2)))`,
    `  (local.set $v ${get('first')})`,
    `  (block $done (loop $next`,
    `    (br_if $done (i32.ge_u ${get('v')} ${get('end')}))`,
    `    (local.set $offset (i32.shl ${get('v')} (i32.const 4)))`,
    `    (local.set $offset (select ${get('lastVector')} ${get('offset')} (i32.gt_s ${get('offset')} ${get('lastVector')})))`,
    `    (local.set $value (v128.load ${at('y')}))`,
    `    (v128.store ${at('dx')} (v128.or`,
    `      (v128.and (v128.load ${at('dy')}) (f32x4.gt ${get('value')} (f32x4.splat (f32.const 0))))`,
    `      (v128.and ${get('value')} (f32x4.ne ${get('value')} ${get('value')}))))`,
    `    (local.set $v (i32.add ${get('v')} (i32.const 1)))`,
    `    (br $next)))`,
    `)`,
  ].join('\n');
}
