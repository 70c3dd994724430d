import { Add, clearSession, Concatenate, Dense, Input, tf } from '../../lib';

beforeEach(() => clearSession());

describe('Concatenate', () => {
  it.each<[number[][], number, (number | null)[]]>([
    [[[4, 4, 3], [4, 4, 5]], -1, [null, 4, 4, 8]],
    [[[2, 3], [5, 3]], 1, [null, 7, 3]],
    [[[6], [2], [1]], -1, [null, 9]],
  ])('joins %j along axis %i into %j', (shapes, axis, expected) => {
    const inputs = shapes.map((shape) => Input({ shape }));
    expect(Concatenate({ axis })(inputs).shape).toEqual(expected);
  });

  it('joins values in order', () => {
    const y = Concatenate()([tf.tensor2d([[1, 2]]), tf.tensor2d([[3]])]);
    expect(y.arraySync()).toEqual([[1, 2, 3]]);
  });

  it('rejects inputs that differ outside the axis, showing both shapes', () => {
    expect(() => Concatenate()([Input({ shape: [4, 4, 3] }), Input({ shape: [5, 4, 3] })])).toThrow(
      /concatenate \(Concatenate\): inputs must match in every dimension except axis -1, got \[null, 4, 4, 3\] and \[null, 5, 4, 3\]/,
    );
  });

  it('rejects a single tensor where a list is expected', () => {
    expect(() => (Concatenate() as unknown as (x: unknown) => unknown)(Input({ shape: [3] }))).toThrow(
      /concatenate \(Concatenate\): expected to be called on a list of tensors, got KerasTensor\(shape=\[null, 3\]/,
    );
  });
});

describe('Add', () => {
  it('adds element by element', () => {
    const a = Input({ shape: [3] });
    const b = Dense(3)(a);
    expect(Add()([a, b]).shape).toEqual([null, 3]);
    expect(Add()([tf.tensor1d([1, 2]).expandDims(0), tf.tensor2d([[10, 20]])]).arraySync()).toEqual([[11, 22]]);
  });

  it('rejects shapes that differ', () => {
    expect(() => Add()([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(
      /add \(Add\): inputs must all have the same shape, got \[null, 3\] and \[null, 4\]/,
    );
  });

  it('needs at least two inputs', () => {
    expect(() => Add()([Input({ shape: [3] })])).toThrow(/add \(Add\): expected a list of at least 2 inputs, got 1/);
  });
});
