import { AveragePooling2D, AvgPool2D, clearSession, Input, MaxPool2D, MaxPooling2D, tf, type Shape } from '../../lib';
import { nest, pool2dLoops, seededValues } from '../helpers/reference';

beforeEach(() => clearSession());

describe('pooling output shapes', () => {
  it.each<[string, Shape, () => ReturnType<typeof MaxPool2D>, Shape]>([
    ['default 2x2 halves', [28, 28, 6], () => MaxPool2D(), [null, 14, 14, 6]],
    ['odd size floors', [5, 5, 16], () => MaxPool2D(), [null, 2, 2, 16]],
    ['3x3 stride 2 valid', [7, 9, 3], () => MaxPool2D({ poolSize: 3, strides: 2 }), [null, 3, 4, 3]],
    ['2x3 window, strides 2x1, same', [7, 9, 3], () => AveragePooling2D({ poolSize: [2, 3], strides: [2, 1], padding: 'same' }), [null, 4, 9, 3]],
    ['positional pool size', [9, 9, 1], () => AvgPool2D(3), [null, 3, 3, 1]],
  ])('%s', (_, inputShape, make, expected) => {
    const layer = make();
    expect(layer(Input({ shape: inputShape as number[] })).shape).toEqual(expected);
    expect(layer.countParams()).toBe(0);
  });

  it('prints the Keras class names for the aliases', () => {
    expect([MaxPool2D().className, MaxPooling2D().className, AvgPool2D().className]).toEqual([
      'MaxPooling2D',
      'MaxPooling2D',
      'AveragePooling2D',
    ]);
    expect([MaxPool2D().name, AvgPool2D().name]).toEqual(['max_pooling2d_2', 'average_pooling2d_1']);
  });
});

describe('pooling values against plain loops', () => {
  it.each<['max' | 'avg', [number, number], [number, number], 'valid' | 'same']>([
    ['max', [2, 2], [2, 2], 'valid'],
    ['max', [3, 3], [2, 2], 'same'],
    ['max', [2, 3], [2, 1], 'valid'],
    ['avg', [2, 2], [2, 2], 'valid'],
    ['avg', [3, 3], [2, 2], 'same'],
    ['avg', [2, 3], [2, 1], 'same'],
  ])('%s pool %j strides %j %s', (kind, poolSize, strides, padding) => {
    const [h, w, c] = [7, 9, 2];
    const make = kind === 'max' ? MaxPool2D : AveragePooling2D;
    const layer = make({ poolSize, strides, padding });
    const values = seededValues(h * w * c, 7);
    const actual = (layer(tf.tensor4d(values, [1, h, w, c])).arraySync() as number[][][][])[0]!;
    const expected = pool2dLoops(nest(values, [h, w, c]) as number[][][], poolSize, strides, padding, kind);
    expect([actual.length, actual[0]!.length]).toEqual([expected.length, expected[0]!.length]);
    actual.flat(2).forEach((value, i) => expect(value).toBeCloseTo(expected.flat(2)[i]!, 5));
  });
});

describe('pooling errors', () => {
  it('says the pool window does not fit, with the layer and the full input shape', () => {
    expect(() => MaxPool2D(3)(Input({ shape: [2, 8, 4] }))).toThrow(
      "max_pooling2d (MaxPooling2D): pool window 3x3 with strides 3x3, padding 'valid' does not fit: output height " +
        "would be floor((2 - 3) / 3) + 1 = 0; use padding 'same' or a smaller pool window (input shape [null, 2, 8, 4])",
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    ['zero pool size', () => MaxPool2D(0), /max_pooling2d \(MaxPooling2D\): poolSize must be a positive integer or a pair/],
    ['negative strides', () => MaxPool2D({ strides: [-1, 2] }), /strides must be a positive integer or a pair \[height, width\] of them, got \[-1, 2\]/],
    ['bad padding', () => AvgPool2D({ padding: 'SAME' as 'same' }), /padding must be one of 'valid' or 'same', got 'SAME'/],
    ['rank 3 input', () => MaxPool2D()(Input({ shape: [10, 10] })), /expected a 4-D input \[batch, height, width, channels\], got a 3-D one \(input shape \[null, 10, 10\]\)/],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
