import { clearSession, Conv2D, Input, tf, type Shape } from '../../lib';
import { conv2dLoops, nest, seededValues } from '../helpers/reference';

beforeEach(() => clearSession());

describe('Conv2D output shape and parameter count', () => {
  it.each<[string, Shape, number, number | [number, number], Record<string, unknown>, Shape, number]>([
    ['LeNet-5 first layer', [28, 28, 1], 6, 5, { padding: 'same' }, [null, 28, 28, 6], 156],
    ['lecture 5x5 valid', [28, 28, 1], 3, 5, {}, [null, 24, 24, 3], 78],
    ['LeNet-5 second layer', [14, 14, 6], 16, 5, {}, [null, 10, 10, 16], 2416],
    ['kernel 2x3, strides 2x1, valid', [7, 9, 2], 4, [2, 3], { strides: [2, 1] }, [null, 3, 7, 4], 52],
    ['kernel 2x3, strides 2x1, same', [7, 9, 2], 4, [2, 3], { strides: [2, 1], padding: 'same' }, [null, 4, 9, 4], 52],
    ['dilation 2 (effective 5x5)', [10, 10, 3], 2, 3, { dilationRate: 2 }, [null, 6, 6, 2], 56],
    ['baseline stride 2 on CIFAR', [32, 32, 3], 32, 3, { strides: 2 }, [null, 15, 15, 32], 896],
    ['no bias', [32, 32, 3], 32, 3, { useBias: false }, [null, 30, 30, 32], 864],
  ])('%s', (_, inputShape, filters, kernelSize, options, expected, params) => {
    const layer = Conv2D(filters, kernelSize, options);
    const y = layer(Input({ shape: inputShape.slice() as number[] }));
    expect(y.shape).toEqual(expected);
    expect(layer.outputShape).toEqual(expected);
    expect(layer.countParams()).toBe(params);
  });
});

describe('Conv2D values', () => {
  it('reproduces the textbook example: 4x4 input, 3x3 filter -> [[15, 16], [6, 15]]', () => {
    const layer = Conv2D(1, 3, { useBias: false });
    layer(Input({ shape: [4, 4, 1] }));
    const kernel = [[2, 0, 1], [0, 1, 2], [1, 0, 2]];
    layer.setWeights([tf.tensor4d(kernel.flat(), [3, 3, 1, 1])]);
    const image = [[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]];
    const y = layer(tf.tensor4d(image.flat(), [1, 4, 4, 1]));
    expect(y.reshape([2, 2]).arraySync()).toEqual([[15, 16], [6, 15]]);
  });

  it.each<[string, [number, number], [number, number], 'valid' | 'same', [number, number]]>([
    ['3x3 stride 1 valid', [3, 3], [1, 1], 'valid', [1, 1]],
    ['3x3 stride 1 same', [3, 3], [1, 1], 'same', [1, 1]],
    ['2x3 strides 2x1 same', [2, 3], [2, 1], 'same', [1, 1]],
    ['3x2 strides 2x2 valid', [3, 2], [2, 2], 'valid', [1, 1]],
    ['4x4 stride 2 same (even kernel, asymmetric padding)', [4, 4], [2, 2], 'same', [1, 1]],
    ['3x3 dilation 2 same', [3, 3], [1, 1], 'same', [2, 2]],
  ])('matches a plain-loop convolution: %s', (_, kernelSize, strides, padding, dilationRate) => {
    const [h, w, cin, cout] = [7, 9, 2, 3];
    const layer = Conv2D(cout, kernelSize, { strides, padding, dilationRate });
    layer(Input({ shape: [h, w, cin] }));
    const kernelValues = seededValues(kernelSize[0] * kernelSize[1] * cin * cout, 1);
    const biasValues = seededValues(cout, 2);
    layer.setWeights([tf.tensor4d(kernelValues, [kernelSize[0], kernelSize[1], cin, cout]), tf.tensor1d(biasValues)]);
    const xValues = seededValues(h * w * cin, 3);
    const actual = layer(tf.tensor4d(xValues, [1, h, w, cin])).arraySync() as number[][][][];
    const expected = conv2dLoops(
      nest(xValues, [h, w, cin]) as number[][][],
      nest(kernelValues, [kernelSize[0], kernelSize[1], cin, cout]) as number[][][][],
      biasValues,
      strides,
      padding,
      dilationRate,
    );
    expect(actual[0]!.length).toBe(expected.length);
    expect(actual[0]![0]!.length).toBe(expected[0]!.length);
    actual[0]!.flat(2).forEach((value, i) => expect(value).toBeCloseTo(expected.flat(2)[i]!, 4));
  });

  it('applies the activation: relu clips negatives', () => {
    const layer = Conv2D(1, 1, { activation: 'relu', useBias: false });
    layer(Input({ shape: [1, 2, 1] }));
    layer.setWeights([tf.tensor4d([1], [1, 1, 1, 1])]);
    expect(layer(tf.tensor4d([-2, 3], [1, 1, 2, 1])).dataSync()).toEqual(new Float32Array([0, 3]));
  });
});

describe('Conv2D errors', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['zero filters', () => Conv2D(0, 5), /conv2d \(Conv2D\): filters must be a positive integer, got 0/],
    ['fractional filters', () => Conv2D(2.5, 5), /conv2d \(Conv2D\): filters must be a positive integer, got 2\.5/],
    ['missing kernel size', () => Conv2D(4, {}), /kernelSize must be given/],
    ['zero kernel', () => Conv2D(4, 0), /kernelSize must be a positive integer or a pair \[height, width\] of them, got 0/],
    ['unknown padding', () => Conv2D(4, 3, { padding: 'full' as 'same' }), /padding must be one of 'valid' or 'same', got 'full'/],
    ['unknown activation', () => Conv2D(4, 3, { activation: 'relux' as 'relu' }), /activation must be one of 'linear', 'relu', .*'softplus' or 'softsign', got 'relux'/],
    ['misspelt option', () => Conv2D(4, 3, { kernel_size: 3 } as object), /kernel_size must be one of the options .* \(unknown option\), got 3/],
    ['strides with dilation', () => Conv2D(4, 3, { strides: 2, dilationRate: 2 }), /dilationRate must be  1 when strides are greater than 1/],
    ['unknown initializer', () => Conv2D(4, 3, { initializers: { kernel: 'glorot' as 'zeros' } }), /initializers\.kernel must be one of 'glorot_uniform'.*got 'glorot'/],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  it('says which layer, the input shape and the arithmetic when the kernel does not fit', () => {
    const X = Input({ shape: [3, 3, 16] });
    expect(() => Conv2D(8, 5)(X)).toThrow(
      "conv2d (Conv2D): kernel 5x5 with strides 1x1, padding 'valid' does not fit: output height would be " +
        "floor((3 - 5) / 1) + 1 = -1; use padding 'same' or a smaller kernel (input shape [null, 3, 3, 16])",
    );
  });

  it('names the dilated kernel size when dilation makes it too big', () => {
    expect(() => Conv2D(1, 3, { dilationRate: 3 })(Input({ shape: [6, 20, 1] }))).toThrow(
      /output height would be floor\(\(6 - 7\) \/ 1\) \+ 1 = 0 \(dilated to 7\)/,
    );
  });

  it('rejects an input that is not [batch, height, width, channels]', () => {
    expect(() => Conv2D(2, 3)(Input({ shape: [28, 28] }))).toThrow(
      /conv2d \(Conv2D\): expected a 4-D input \[batch, height, width, channels\], got a 3-D one \(input shape \[null, 28, 28\]\)/,
    );
  });

  it('rejects data of the wrong rank in an eager call too', () => {
    const layer = Conv2D(2, 3);
    expect(() => layer(tf.zeros([5, 5, 1]))).toThrow(/expected a 4-D input .* \(input shape \[null, 5, 1\]\)/);
  });
});
