/**
 * The WebAssembly text of one Adam step over a weight, as TensorFlow.js's AdamOptimizer computes
 * it, in the same float32 operations and order, 4 values per step with 128-bit SIMD:
 * m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2);
 * w' = (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + epsilon) * -lr + w.
 *
 * adam(first, end, w, m, v, g, parameters, newW, newM, newV, count): vectors [first, end) of the
 * count >= 4 values (see vector_loop_wat). `parameters` holds 8 floats: b1, 1 - b1, b2, 1 - b2, 1 - b1^t, 1 - b2^t,
 * epsilon, -lr. Pointers in bytes.
 */

import { vectorAddress as at, vectorLoopFunction } from './vector_loop_wat';
import { localGet as get } from './wat';

/** The fewest values the kernel takes: one whole vector. */
export const ADAM_MIN_VALUES = 4;

/** The order of the parameters the kernel reads. */
export const ADAM_PARAMETERS = ['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'oneMinusAccBeta1', 'oneMinusAccBeta2', 'epsilon', 'minusLearningRate'] as const;

export function adamFunction(): string {
  const parameter = (name: (typeof ADAM_PARAMETERS)[number]): string => get(name);
  const locals = ['(local $gradient v128) (local $firstMoment v128) (local $secondMoment v128)', ...ADAM_PARAMETERS.map((name) => `(local $${name} v128)`)];
  const setup = ADAM_PARAMETERS.map((name, i) => `(local.set $${name} (v128.load32_splat offset=${4 * i} ${get('parameters')}))`);
  return vectorLoopFunction('adam', ['w', 'm', 'v', 'g', 'parameters', 'newW', 'newM', 'newV'], locals, setup, () => [
    `(local.set $gradient (v128.load ${at('g')}))`,
    `(local.set $firstMoment (f32x4.add (f32x4.mul (v128.load ${at('m')}) ${parameter('beta1')}) (f32x4.mul ${get('gradient')} ${parameter('oneMinusBeta1')})))`,
    `(local.set $secondMoment (f32x4.add (f32x4.mul (v128.load ${at('v')}) ${parameter('beta2')})`,
    `  (f32x4.mul (f32x4.mul ${get('gradient')} ${get('gradient')}) ${parameter('oneMinusBeta2')})))`,
    `(v128.store ${at('newM')} ${get('firstMoment')})`,
    `(v128.store ${at('newV')} ${get('secondMoment')})`,
    `(v128.store ${at('newW')} (f32x4.add (f32x4.mul (f32x4.div (f32x4.div ${get('firstMoment')} ${parameter('oneMinusAccBeta1')})`,
    `  (f32x4.add (f32x4.sqrt (f32x4.div ${get('secondMoment')} ${parameter('oneMinusAccBeta2')})) ${parameter('epsilon')})) ${parameter('minusLearningRate')}) (v128.load ${at('w')})))`,
  ]);
}
