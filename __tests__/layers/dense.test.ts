import { clearSession, Dense, Input, tf } from '../../lib';

beforeEach(() => clearSession());

describe('Dense', () => {
  it.each<[number[], number, (number | null)[], number]>([
    [[96], 84, [null, 84], 8148],
    [[400], 120, [null, 120], 48120],
    [[84], 10, [null, 10], 850],
    [[4, 5, 3], 2, [null, 4, 5, 2], 8],
  ])('on %j with %i units gives %j and %i params', (inputShape, units, expected, params) => {
    const layer = Dense(units);
    expect(layer(Input({ shape: inputShape })).shape).toEqual(expected);
    expect(layer.countParams()).toBe(params);
  });

  it('computes x W + b with hand-set weights', () => {
    const layer = Dense(2);
    layer(Input({ shape: [3] }));
    layer.setWeights([tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([0.5, -1])]);
    expect(layer(tf.tensor2d([[1, 1, 1], [1, 0, -1]])).arraySync()).toEqual([[9.5, 11], [-3.5, -5]]);
  });

  it('acts on the last axis of a higher-rank input, position by position', () => {
    const layer = Dense(1, { useBias: false });
    layer(Input({ shape: [2, 3] }));
    layer.setWeights([tf.tensor2d([[1], [10], [100]])]);
    expect(layer(tf.tensor3d([[[1, 2, 3], [4, 5, 6]]])).arraySync()).toEqual([[[321], [654]]]);
  });

  it('applies softmax so that rows sum to 1', () => {
    const layer = Dense(4, { activation: 'softmax' });
    const rows = layer(tf.randomNormal([3, 5], 0, 1, 'float32', 1)).sum(1).arraySync() as number[];
    rows.forEach((sum) => expect(sum).toBeCloseTo(1, 5));
  });

  it.each<[string, () => unknown, RegExp]>([
    ['zero units', () => Dense(0), /dense \(Dense\): units must be a positive integer, got 0/],
    ['negative units', () => Dense(-3), /units must be a positive integer, got -3/],
    ['fractional units', () => Dense(1.5), /units must be a positive integer, got 1\.5/],
    ['unknown activation', () => Dense(3, { activation: 'Relu' as 'relu' }), /activation must be one of .*got 'Relu'/],
    ['useBias not boolean', () => Dense(3, { useBias: 'yes' as unknown as boolean }), /useBias must be true or false, got 'yes'/],
    ['rank 1 input', () => Dense(3)(Input({ shape: [] })), /dense \(Dense\): expected an input of at least 2 dimensions \[batch, \.\.\., features\] \(input shape \[null\]\)/],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
