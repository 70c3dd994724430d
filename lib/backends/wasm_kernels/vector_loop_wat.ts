/**
 * The loop our elementwise WebAssembly kernels share: an exported function
 * name(first, end, ...pointers, count) over units [first, end) of `vectorsPerUnit` 4-value
 * vectors each, of the count >= 4 * vectorsPerUnit values. The last unit, when count is not a
 * multiple of its size, is shifted back to end at the last value: it recomputes a few values and
 * writes the same results again.
 */

import { localGet as get } from './wat';

/** `(i32.add $pointer $offset)`: the current vector's byte address in the tensor at `pointer`. */
export function vectorAddress(pointer: string): string {
  return `(i32.add ${get(pointer)} ${get('offset')})`;
}

/**
 * The function text. `locals` are declared beside the loop's own ($index, $offset, $lastUnit),
 * `setup` runs once before the loop, and `body(v)` for vector v of each unit, which lies
 * 16 v bytes past `vectorAddress`.
 */
export function vectorLoopFunction(
  name: string,
  pointers: readonly string[],
  locals: readonly string[],
  setup: readonly string[],
  body: (vector: number) => string[],
  vectorsPerUnit = 1,
): string {
  const unitBytes = 16 * vectorsPerUnit;
  return [
    `(func (export "${name}") (param $first i32) (param $end i32) ${pointers.map((p) => `(param $${p} i32)`).join(' ')} (param $count i32)`,
    `  (local $index i32) (local $offset i32) (local $lastUnit i32) ${locals.join(' ')}`,
    ...setup.map((line) => `  ${line}`),
    `  (local.set $lastUnit (i32.shl (i32.sub ${get('count')} (i32.const ${4 * vectorsPerUnit})) (i32.const 2)))`,
    `  (local.set $index ${get('first')})`,
    `  (block $done (loop $next`,
    `    (br_if $done (i32.ge_u ${get('index')} ${get('end')}))`,
    `    (local.set $offset (i32.mul ${get('index')} (i32.const ${unitBytes})))`,
    `    (local.set $offset (select ${get('lastUnit')} ${get('offset')} (i32.gt_s ${get('offset')} ${get('lastUnit')})))`,
    ...Array.from({ length: vectorsPerUnit }, (_, vector) => body(vector).map((line) => `    ${line}`)).flat(),
    `    (local.set $index (i32.add ${get('index')} (i32.const 1)))`,
    `    (br $next)))`,
    `)`,
  ].join('\n');
}
