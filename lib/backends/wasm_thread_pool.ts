/**
 * XNNPACK's thread pool in tfjs-backend-wasm 4.22's threaded build, made to sleep sooner.
 *
 * After each parallel job, a pool thread spins through 1,000,000 iterations before it sleeps on
 * a futex (pthreadpool's PTHREADPOOL_SPIN_WAIT_ITERATIONS). Natively each iteration is a pause
 * instruction; compiled to WebAssembly it is five plain atomic loads, about half a millisecond
 * in all. A LeNet-5 training step starts dozens of small jobs, so the pool thread spun through
 * most of the step on one of the 2 cores, while the calling thread and our own kernels' worker
 * needed both (a LeNet-5 step used about 70 ms of CPU for 41 ms of wall time). The constant
 * lives in the binary, so the binary is patched: only the package's exact file, whose bytes
 * were read to find it, and only the pool threads' spin; the calling thread's wait for them
 * keeps its own.
 */
import { createHash } from 'crypto';

/** SHA-256 of tfjs-backend-wasm 4.22.0's dist/tfjs-backend-wasm-threaded-simd.wasm. */
const KNOWN_BINARY_SHA256 = 'c052228d4bef185c27bbe59a9e029570c78bbb9f08b3cb46b597851650373de2';

/** Where the pool threads' spin bound sits: an `i32.const` (opcode 0x41) in pthreadpool's thread_main. */
export const POOL_SPIN_CONSTANT_OFFSET = 375144;
const I32_CONST = 0x41;

export const PACKAGE_SPIN_ITERATIONS = 1_000_000;

/**
 * About 10 microseconds of spinning: back-to-back jobs still find the thread awake, and between
 * them, under tfjs's single-threaded kernels and our own, it sleeps. The loop counts down in steps of 5 and
 * stops at exactly 0, so the count must be a multiple of 5.
 */
export const SHORT_SPIN_ITERATIONS = 20_000;

/** The binary with the pool threads' spin shortened, or null when it is not the known package binary. */
export function withShortPoolSpin(binary: Uint8Array): Uint8Array<ArrayBuffer> | null {
  if (createHash('sha256').update(binary).digest('hex') !== KNOWN_BINARY_SHA256) return null;
  const constant = binary.subarray(POOL_SPIN_CONSTANT_OFFSET + 1, POOL_SPIN_CONSTANT_OFFSET + 4);
  if (binary[POOL_SPIN_CONSTANT_OFFSET] !== I32_CONST || decodeSignedLeb128(constant) !== PACKAGE_SPIN_ITERATIONS) return null;
  const patched = Uint8Array.from(binary);
  patched.set(encodeSignedLeb128(SHORT_SPIN_ITERATIONS, constant.length), POOL_SPIN_CONSTANT_OFFSET + 1);
  return patched;
}

/** A non-negative value as signed LEB128 in exactly `length` bytes (padded with continuation bytes). */
function encodeSignedLeb128(value: number, length: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (7 * length - 1)) {
    throw new RangeError(`${value} does not fit ${length} bytes of signed LEB128`);
  }
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const group = Math.floor(value / 2 ** (7 * i)) & 0x7f;
    bytes[i] = i < length - 1 ? group | 0x80 : group;
  }
  return bytes;
}

/** The value of a non-negative signed LEB128 number that fills `bytes` exactly, or null. */
export function decodeSignedLeb128(bytes: Uint8Array): number | null {
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const last = i === bytes.length - 1;
    if (((byte & 0x80) === 0) !== last) return null;
    if (last && (byte & 0x40) !== 0) return null;
    value += (byte & 0x7f) * 2 ** (7 * i);
  }
  return value;
}
