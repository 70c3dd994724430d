import { clearSession, Input, InputLayer } from '../../lib';

beforeEach(() => clearSession());

describe('Input', () => {
  it('prepends the batch dimension and names inputs from one', () => {
    const x = Input({ shape: [28, 28, 1] });
    expect(x.shape).toEqual([null, 28, 28, 1]);
    expect(x.source.name).toBe('input_1');
    expect(x.source).toBeInstanceOf(InputLayer);
    expect(Input({ shape: [3], batchSize: 8 }).shape).toEqual([8, 3]);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a zero dimension', () => Input({ shape: [28, 0, 1] }), /input_1 \(InputLayer\): dimension 2 is 0, expected a positive integer \(input shape \[null, 28, 0, 1\]\)/],
    ['a fractional dimension', () => Input({ shape: [2.5] }), /dimension 1 is 2\.5, expected a positive integer/],
    ['a shape that is not an array', () => Input({ shape: 28 as unknown as number[] }), /Input input_1: shape must be an array of dimensions such as \[28, 28, 1\], got 28/],
    ['a bad batch size', () => Input({ shape: [3], batchSize: 0 }), /batchSize must be a positive integer, got 0/],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  it('cannot be called like a layer', () => {
    const layer = Input({ shape: [3] }).source as InputLayer;
    expect(() => layer(Input({ shape: [3] }))).toThrow(/input_1 \(InputLayer\): an input layer is not called/);
  });
});
