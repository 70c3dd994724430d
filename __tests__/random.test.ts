import { ConfigError } from '../lib/errors';
import { Random, randomSeed } from '../lib/random';

function draw(seed: number, n: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => random.nextUint32());
}

describe('Random', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(42, 20)).toEqual(draw(42, 20));
  });

  it('gives different sequences for different seeds, including seeds above 32 bits', () => {
    expect(draw(1, 5)).not.toEqual(draw(2, 5));
    expect(draw(7, 5)).not.toEqual(draw(7 + 2 ** 32, 5));
    expect(draw(-1, 5)).not.toEqual(draw(1, 5));
  });

  it('draws floats in [0, 1) with a mean near 0.5', () => {
    const random = new Random(3);
    const values = Array.from({ length: 10000 }, () => random.nextFloat());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const sum = values.reduce((a, b) => a + b, 0);
    expect(sum / 10000).toBeGreaterThan(0.48);
    expect(sum / 10000).toBeLessThan(0.52);
  });

  it('draws every integer of [0, n) about equally often', () => {
    const random = new Random(5);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const value = random.nextInt(6);
      counts[value] = (counts[value] as number) + 1;
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6000);
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it('draws uniform values in [low, high)', () => {
    const random = new Random(9);
    const values = Array.from({ length: 1000 }, () => random.uniform(-3, 2));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...values)).toBeLessThan(2);
    expect(Math.min(...values)).toBeLessThan(-2.9);
    expect(Math.max(...values)).toBeGreaterThan(1.9);
  });

  it('shuffles in place into a permutation, repeatably', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Random(11).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(new Random(11).shuffle([...items])).toEqual(shuffled);
    const typed = new Random(11).shuffle(Int32Array.from(items));
    expect(Array.from(typed)).toEqual(shuffled);
  });

  it('makes permutations of 0..n-1', () => {
    const order = new Random(1).permutation(100);
    expect(order).toBeInstanceOf(Int32Array);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Random(1).permutation(0).length).toBe(0);
  });

  it('rejects seeds and bounds that are not integers', () => {
    expect(() => new Random(1.5)).toThrow(ConfigError);
    expect(() => new Random(Number.NaN)).toThrow(/seed must be a safe integer, got NaN/);
    expect(() => new Random(1).nextInt(0)).toThrow(/n must be a positive safe integer, got 0/);
  });

  it('offers fresh seeds that are usable integers', () => {
    const seed = randomSeed();
    expect(Number.isSafeInteger(seed)).toBe(true);
    expect(() => new Random(seed)).not.toThrow();
  });
});
