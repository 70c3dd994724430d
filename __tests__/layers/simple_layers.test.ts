import {
  Activation,
  clearSession,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  Input,
  tf,
} from '../../lib';

beforeEach(() => clearSession());

describe('Flatten', () => {
  it.each<[number[], (number | null)[]]>([
    [[4, 4, 6], [null, 96]],
    [[28, 28], [null, 784]],
    [[2, 3, 4, 5], [null, 120]],
  ])('flattens %j to %j', (shape, expected) => {
    expect(Flatten()(Input({ shape })).shape).toEqual(expected);
  });

  it('refuses an input that is already flat, which tf.layers cannot load back', () => {
    expect(() => Flatten()(Input({ shape: [5] }))).toThrow(
      /flatten \(Flatten\): expected an input of at least 3 dimensions \[batch, d1, d2, \.\.\.\]; this one is already flat \(input shape \[null, 5\]\)/,
    );
  });

  it('keeps the row-major (channels-last) order', () => {
    expect(Flatten()(tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2])).arraySync()).toEqual([[1, 2, 3, 4]]);
  });
});

describe('global pooling', () => {
  it('pools each channel over the image', () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 6, 60], [1, 2, 2, 2]);
    expect(GlobalMaxPooling2D()(x).arraySync()).toEqual([[6, 60]]);
    expect(GlobalAveragePooling2D()(x).arraySync()).toEqual([[3, 30]]);
    expect(GlobalAveragePooling2D()(Input({ shape: [7, 7, 64] })).shape).toEqual([null, 64]);
  });

  it('needs a 4-D input', () => {
    expect(() => GlobalMaxPooling2D()(Input({ shape: [7, 64] }))).toThrow(
      /global_max_pooling2d \(GlobalMaxPooling2D\): expected a 4-D input .*got a 3-D one \(input shape \[null, 7, 64\]\)/,
    );
  });
});

describe('Activation', () => {
  const x = tf.tensor1d([-1, 0, 2]);
  it.each<[Parameters<typeof Activation>[0], (v: number) => number]>([
    ['relu', (v) => Math.max(0, v)],
    ['swish', (v) => v / (1 + Math.exp(-v))],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ['tanh', Math.tanh],
    ['elu', (v) => (v > 0 ? v : Math.exp(v) - 1)],
    ['selu', (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
    ['softplus', (v) => Math.log(1 + Math.exp(v))],
    ['gelu', (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
    ['linear', (v) => v],
  ])('%s matches its formula', (name, formula) => {
    const y = Array.from(Activation(name)(x).dataSync());
    y.forEach((value, i) => expect(value).toBeCloseTo(formula([-1, 0, 2][i]!), 4));
  });

  it('softmax rows sum to one', () => {
    const y = Activation('softmax')(tf.tensor2d([[1, 2, 3]]));
    expect(y.sum().dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => Activation('leaky' as 'relu')).toThrow(/activation \(Activation\): activation must be one of 'linear', 'relu'.* got 'leaky'/);
  });
});

describe('Dropout', () => {
  it('keeps the shape and does nothing at inference', () => {
    expect(Dropout(0.5)(Input({ shape: [10] })).shape).toEqual([null, 10]);
    expect(Dropout(0.5)(tf.ones([2, 3])).arraySync()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it.each([[1], [-0.1], [1.5]])('rejects rate %d', (rate) => {
    expect(() => Dropout(rate)).toThrow(new RegExp(`dropout(_\\d+)? \\(Dropout\\): rate must be a number in \\[0, 1\\), got ${rate}`));
  });
});

/** Abramowitz and Stegun 7.1.26, |error| < 1.5e-7. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}
