/**
 * Process-wide Keras session state: the per-class name counters (`conv2d`, `conv2d_1`, ...) and the
 * global random seed. Keras keeps both for the whole session until `clear_session()`.
 */

const nameCounters = new Map<string, number>();
let globalSeed: number | null = null;
let seedCounter = 0;

/**
 * Keras's `to_snake_case`: `MaxPooling2D` -> `max_pooling2d`, `Conv2D` -> `conv2d`,
 * `BatchNormalization` -> `batch_normalization`.
 */
export function toSnakeCase(className: string): string {
  const wordsSplit = className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = wordsSplit.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake.startsWith('_') ? `private${snake}` : snake;
}

/**
 * The next automatic name for a prefix. Layers count from zero (`dense`, `dense_1`); inputs count
 * from one (`input_1`, `input_2`), as Keras 2 names them.
 */
export function uniqueName(prefix: string, options: { zeroBased: boolean }): string {
  const used = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, used + 1);
  const index = options.zeroBased ? used : used + 1;
  return index === 0 ? prefix : `${prefix}_${index}`;
}

/**
 * Keras's `clear_session()` for names and seeds: the next layers are named `conv2d`, `input_1`,
 * `model` again. Models already built keep working.
 */
export function clearSession(): void {
  nameCounters.clear();
  seedCounter = 0;
}

/**
 * Keras's `keras.utils.set_random_seed`: makes weight initialisation, dropout and shuffling
 * repeatable. `null` returns to unseeded randomness.
 */
export function setRandomSeed(seed: number | null): void {
  if (seed !== null && !Number.isSafeInteger(seed)) {
    throw new RangeError(`setRandomSeed: seed must be an integer or null, got ${String(seed)}`);
  }
  globalSeed = seed;
  seedCounter = 0;
}

/** The seed set by `setRandomSeed`, or null. */
export function getRandomSeed(): number | null {
  return globalSeed;
}

/**
 * A fresh seed for one random initialiser or layer, derived from the global seed so that two
 * layers never share a random stream; `undefined` when no global seed is set.
 */
export function nextSeed(): number | undefined {
  if (globalSeed === null) return undefined;
  seedCounter += 1;
  return (globalSeed * 1000003 + seedCounter * 7919) % 2147483647;
}
