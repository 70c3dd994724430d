/**
 * The WebAssembly text of ReLU's gradient from its output, dx = dy where y > 0, y where y is NaN
 * (NaN, as tfjs's dy * step(x) gives), else 0; 4 values per step with 128-bit SIMD.
 *
 * reluGrad(first, end, y, dy, dx, count): vectors [first, end) of the count >= 4 values (see
 * vector_loop_wat). Pointers in bytes.
 */
import { vectorAddress as at, vectorLoopFunction } from './vector_loop_wat';

/** The fewest values the kernel takes: one whole vector. */
export const RELU_GRAD_MIN_VALUES = 4;

export function reluGradFunction(): string {
  const value = '(local.get $value)';
  return vectorLoopFunction('reluGrad', ['y', 'dy', 'dx'], ['(local $value v128)'], [], () => [
    `(local.set $value (v128.load ${at('y')}))`,
    `(v128.store ${at('dx')} (v128.or`,
    `  (v128.and (v128.load ${at('dy')}) (f32x4.gt ${value} (f32x4.splat (f32.const 0))))`,
    `  (v128.and ${value} (f32x4.ne ${value} ${value}))))`,
  ]);
}
