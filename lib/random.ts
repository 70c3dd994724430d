/**
 * A small seeded pseudo-random generator, so that `--seed` makes shuffles, data splits and
 * augmentation repeat exactly. `Math.random` cannot be seeded and TensorFlow.js's own random ops
 * are seeded per op, not per run, so everything that must repeat draws from here instead.
 */
import { ConfigError } from './errors';

/** A writable array-like: plain arrays and every typed array. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

/**
 * Mulberry32: 32 bits of state, fast and of good statistical quality for shuffling and
 * augmentation; not for cryptography.
 */
export class Random {
  private state: number;

  /** @param seed any safe integer; the same seed always gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new ConfigError('random generator', 'seed', seed, 'a safe integer');
    }
    // Fold the high 21 bits in as well, so that seeds differing only above bit 31 still differ.
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    this.state = (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
  }

  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniformly distributed float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 11;
    const low = this.nextUint32();
    return (high * TWO_POW_32 + low) / TWO_POW_53;
  }

  /** A uniformly distributed integer in [0, n); `n` must be a positive safe integer. */
  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new ConfigError('Random.nextInt', 'n', n, 'a positive safe integer');
    }
    return Math.floor(this.nextFloat() * n);
  }

  /** A uniformly distributed float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<A extends MutableArrayLike<unknown>>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const held = items[i];
      items[i] = items[j];
      items[j] = held;
    }
    return items;
  }

  /** A random ordering of 0 .. n-1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }
}

/** A fresh unpredictable seed, for when the user gave no `--seed`; print it so a run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * TWO_POW_32);
}

/** `count` values uniform in [low, high) from `seed`: the same on every run, machine and backend. */
export function seededUniform(count: number, seed: number, low = -1, high = 1): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: count }, () => random.uniform(low, high));
}
