import { readFileSync } from 'fs';

import {
  decodeSignedLeb128,
  PACKAGE_SPIN_ITERATIONS,
  POOL_SPIN_CONSTANT_OFFSET,
  SHORT_SPIN_ITERATIONS,
  withShortPoolSpin,
} from '../../lib/backends/wasm_thread_pool';

const packageBinary = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm'));

/** The binary as WebAssembly text, by wabt: an independent reading of what the patch changed. */
async function disassemble(binary: Uint8Array): Promise<string> {
  const wabt = await (await import('wabt')).default();
  const module = wabt.readWasm(binary, { simd: true, threads: true });
  try {
    return module.toText({});
  } finally {
    module.destroy();
  }
}

/**
 * For each `i32.const value` in the text, how the spin loop after it tests the word it polls: a
 * pool thread waits for a new command (`i32.ne` against the last one), the calling thread for
 * the count of busy threads to reach zero (`i32.eqz`).
 */
function spinTests(text: string, value: number): string[] {
  const lines = text.split('\n').map((line) => line.trim());
  const tests: string[] = [];
  lines.forEach((line, i) => {
    if (line !== `i32.const ${value}`) return;
    const after = lines.slice(i + 1, i + 16);
    const load = after.indexOf('i32.atomic.load');
    tests.push(after.slice(load).find((l) => l === 'i32.ne' || l === 'i32.eqz') ?? 'none');
  });
  return tests;
}

describe('decodeSignedLeb128', () => {
  test.each([
    [[0xc0, 0x84, 0x3d], 1_000_000],
    [[0xa0, 0x9c, 0x01], 20_000],
    [[0x85, 0x80, 0x00], 5],
    [[0x00], 0],
    [[0x3f], 63],
  ])('%j is %d', (bytes, value) => {
    expect(decodeSignedLeb128(Uint8Array.from(bytes))).toBe(value);
  });

  test.each([
    ['a continuation bit on the last byte', [0xc0, 0x84, 0xbd]],
    ['no continuation bit before the last byte', [0x40, 0x04, 0x3d]],
    ['a negative number', [0x40]],
  ])('refuses %s', (_case, bytes) => {
    expect(decodeSignedLeb128(Uint8Array.from(bytes))).toBeNull();
  });
});

describe('withShortPoolSpin', () => {
  test('changes only the pool threads spin bound, to a count the unrolled loop ends on', () => {
    const patched = withShortPoolSpin(packageBinary);
    expect(patched).not.toBeNull();
    const changed = [...packageBinary.keys()].filter((i) => packageBinary[i] !== patched![i]);
    expect(changed).toEqual([POOL_SPIN_CONSTANT_OFFSET + 1, POOL_SPIN_CONSTANT_OFFSET + 2, POOL_SPIN_CONSTANT_OFFSET + 3]);
    expect(decodeSignedLeb128(patched!.subarray(POOL_SPIN_CONSTANT_OFFSET + 1, POOL_SPIN_CONSTANT_OFFSET + 4))).toBe(SHORT_SPIN_ITERATIONS);
    // The spin loop counts down by 5 and stops only at exactly 0.
    expect(SHORT_SPIN_ITERATIONS % 5).toBe(0);
    expect(WebAssembly.validate(patched!)).toBe(true);
  });

  test("shortens the pool threads' wait for work and leaves the calling thread's two waits, as wabt reads it", async () => {
    const [before, after] = await Promise.all([disassemble(packageBinary), disassemble(withShortPoolSpin(packageBinary)!)]);
    expect(spinTests(before, PACKAGE_SPIN_ITERATIONS)).toEqual(['i32.eqz', 'i32.ne', 'i32.eqz']);
    expect(spinTests(after, PACKAGE_SPIN_ITERATIONS)).toEqual(['i32.eqz', 'i32.eqz']);
    expect(spinTests(after, SHORT_SPIN_ITERATIONS)).toEqual(['i32.ne']);
  });

  test('refuses any other binary, so that no unknown bytes are patched', () => {
    const other = Uint8Array.from(packageBinary);
    const last = other.length - 1;
    other[last] = other[last]! ^ 1;
    expect(withShortPoolSpin(other)).toBeNull();
    expect(withShortPoolSpin(new Uint8Array(16))).toBeNull();
  });
});
