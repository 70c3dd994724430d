/**
 * Checks and normalises the arguments users give to layers and models, so that constructors read
 * as a list of rules and every message says which thing, which option, what was received and what
 * was expected.
 */
import { ConfigError } from './errors';
import { formatChoices } from './format';

/** One number for both axes, or [height, width]. */
export type IntPair = number | readonly [number, number];

export function positiveInteger(subject: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(subject, option, value, 'a positive integer');
  }
  return value;
}

/** Expands `3` to `[3, 3]` and checks both are positive integers. */
export function positivePair(subject: string, option: string, value: unknown): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  const valid =
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0);
  if (!valid) {
    throw new ConfigError(subject, option, value, 'a positive integer or a pair [height, width] of them');
  }
  return [pair[0] as number, pair[1] as number];
}

export function oneOf<T extends string>(
  subject: string,
  option: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(subject, option, value, `one of ${formatChoices(choices)}`);
  }
  return value as T;
}

/** A fraction in [0, 1): dropout rates and splits. */
export function fraction(subject: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ConfigError(subject, option, value, 'a number in [0, 1)');
  }
  return value;
}

export function positiveNumber(subject: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(subject, option, value, 'a positive number');
  }
  return value;
}

export function integer(subject: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ConfigError(subject, option, value, 'an integer');
  }
  return value;
}

export function boolean(subject: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(subject, option, value, 'true or false');
  }
  return value;
}

/** Rejects options nobody defined, such as a misspelt `kernel_size`, instead of ignoring them. */
export function knownOptions(subject: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(subject, key, (options as Record<string, unknown>)[key], `one of the options ${formatChoices(allowed)} (unknown option)`);
    }
  }
}
