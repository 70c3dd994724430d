import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { compareBackends, expectBackendsAgree, heldBuffers, seededTensor, setUpBackendsWithOwnKernels } from '../../helpers/backend_comparison';
import { convolveWithGradients, fusedConvolution, type FusedOptions, type Padding } from '../../helpers/convolutions';

beforeAll(setUpBackendsWithOwnKernels);

afterEach(() => {
  jest.restoreAllMocks();
});

describe('Conv2D on wasm, one input channel, stride 1: our kernel', () => {
  // Widths against the 8-pixel blocks (5, 9, 17, 28 outputs), channel counts against the
  // 4/2/1-channel passes (1, 3, 5, 6, 7, 8, 32), kernels 2x3 and 4x4 ('same' pads 1 above and 2
  // below), 1x1, explicit padding. The two smallest run on the calling thread alone, the rest on
  // both threads.
  test.each<[string, number[], number[], Padding]>([
    ["LeNet-5's first layer", [2, 28, 28, 1], [5, 5, 1, 6], 'same'],
    ['kernel 2x3, valid', [3, 9, 11, 1], [2, 3, 1, 5], 'valid'],
    ['a row narrower than a block', [2, 7, 5, 1], [3, 3, 1, 3], 'same'],
    ['1x1', [1, 6, 17, 1], [1, 1, 1, 8], 'valid'],
    ["an even kernel's uneven 'same' padding", [2, 10, 10, 1], [4, 4, 1, 7], 'same'],
    ['explicit padding', [2, 6, 7, 1], [3, 2, 1, 1], [[0, 0], [1, 0], [2, 3], [0, 0]]],
    ['32 channels', [4, 12, 12, 1], [3, 3, 1, 32], 'same'],
  ])('%s: %j * %j matches the cpu backend, gradients too', async (_case, xShape, filterShape, pad) => {
    const ours = jest.spyOn(ownKernels()!, 'singleChannelConv');
    await expectBackendsAgree(() => convolveWithGradients(xShape, filterShape, pad), 1e-5);
    expect(ours).toHaveBeenCalled();
  });

  test('frees its padded copy: the heap holds only the outputs afterwards', async () => {
    await tf.setBackend('wasm');
    const x = seededTensor([2, 9, 9, 1], 1) as tf.Tensor4D;
    const filter = seededTensor([3, 3, 1, 4], 2) as tf.Tensor4D;
    const before = heldBuffers();
    const outputs = [1, 2, 3].map(() => tf.conv2d(x, filter, 1, 'same'));
    expect(heldBuffers()).toBe(before + outputs.length);
    tf.dispose([...outputs, x, filter]);
  });

  test('equals a plain-loop convolution with hand-set weights (kernel 2x3, valid)', async () => {
    const [height, width, filterHeight, filterWidth, channels] = [3, 10, 2, 3, 2];
    const image = Array.from({ length: height * width }, (_, i) => i - 7);
    const weights = Array.from({ length: filterHeight * filterWidth * channels }, (_, i) => (i % 5) - 2);
    const expected: number[] = [];
    for (let i = 0; i + filterHeight <= height; i++) {
      for (let j = 0; j + filterWidth <= width; j++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let kh = 0; kh < filterHeight; kh++) {
            for (let kw = 0; kw < filterWidth; kw++) sum += image[(i + kh) * width + j + kw]! * weights[(kh * filterWidth + kw) * channels + c]!;
          }
          expected.push(sum);
        }
      }
    }
    const { wasm } = await compareBackends(() => [
      tf.conv2d(tf.tensor4d(image, [1, height, width, 1]), tf.tensor4d(weights, [filterHeight, filterWidth, 1, channels]), 1, 'valid'),
    ]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual(expected);
  });
});

describe('Conv2D on wasm, other convolutions: the backend kernel', () => {
  test.each<[string, number[], number[], [number, number]]>([
    ['stride 2', [2, 9, 9, 1], [3, 3, 1, 4], [2, 2]],
    ['strides 2x1', [2, 9, 8, 1], [2, 3, 1, 4], [2, 1]],
    ['two input channels', [2, 8, 8, 2], [3, 3, 2, 4], [1, 1]],
  ])('%s: %j * %j matches the cpu backend', async (_case, xShape, filterShape, strides) => {
    const ours = jest.spyOn(ownKernels()!, 'singleChannelConv');
    await expectBackendsAgree(() => convolveWithGradients(xShape, filterShape, 'same', strides), 1e-5);
    expect(ours).not.toHaveBeenCalled();
  });
});

describe('FusedConv2D on wasm, one input channel, stride 1', () => {
  test.each<[string, number[], number[], Padding, FusedOptions]>([
    ["LeNet-5's first layer with its bias", [2, 28, 28, 1], [5, 5, 1, 6], 'same', {}],
    ['kernel 2x3, valid, 7 channels', [3, 9, 11, 1], [2, 3, 1, 7], 'valid', {}],
    ['no bias', [2, 7, 5, 1], [3, 3, 1, 3], 'same', { bias: undefined }],
  ])('%s: our kernel matches the cpu backend', async (_case, xShape, filterShape, pad, options) => {
    const ours = jest.spyOn(ownKernels()!, 'singleChannelConv');
    await expectBackendsAgree(() => [fusedConvolution(xShape, filterShape, pad, options)], 1e-5);
    expect(ours).toHaveBeenCalled();
  });

  test('adds the bias exactly once per output value (hand-set weights)', async () => {
    const { wasm } = await compareBackends(() => [
      tf.fused.conv2d({
        x: tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]),
        filter: tf.tensor4d([1, 10], [1, 1, 1, 2]),
        strides: 1,
        pad: 'valid',
        bias: tf.tensor1d([100, 1000]),
      }),
    ]);
    expect(Array.from(wasm[0]?.values ?? [])).toEqual([101, 1010, 102, 1020, 103, 1030, 104, 1040]);
  });

  test.each<[string, FusedOptions]>([
    ['a relu activation', { activation: 'relu' }],
    ['a relu6 activation and no bias', { activation: 'relu6', bias: undefined }],
  ])('with %s, the backend kernel runs and matches the cpu backend', async (_case, options) => {
    const ours = jest.spyOn(ownKernels()!, 'singleChannelConv');
    await expectBackendsAgree(() => [fusedConvolution([2, 8, 8, 1], [3, 3, 1, 4], 'same', options)], 1e-5);
    expect(ours).not.toHaveBeenCalled();
  });
});
