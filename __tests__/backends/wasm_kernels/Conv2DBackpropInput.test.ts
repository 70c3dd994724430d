import { directInputGradientIsCheaper } from '../../../lib/backends/wasm_kernels/Conv2DBackpropInput';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { CONV_CASES, describeConvCase, type ConvCase } from '../../helpers/window_cases';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackendsWithOwnKernels } from '../../helpers/backend_comparison';

const CASES: readonly ConvCase[] = [
  ...CONV_CASES,
  // One or two input channels take the column-taps path.
  { x: [2, 7, 9, 2], filter: [3, 2, 5], strides: [1, 1], pad: 'valid' },
  { x: [3, 8, 7, 1], filter: [2, 4, 3], strides: [1, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 6, 5, 1], filter: [3, 1, 4], strides: [1, 1], pad: 'same' },
];

/**
 * With a stride, dx of 4 or more channels from a dy whose channels are not whole vectors gathers
 * its columns with our SIMD kernel: channel counts 4, 5, 7, 8 and 32 (vectors whole and shifted
 * back), strides 2, 2x1 and 3x2, 'same', 'valid' and explicit padding, a 1x1 kernel whose
 * stride skips pixels.
 */
const GATHERED_CASES: readonly ConvCase[] = [
  { x: [2, 9, 9, 5], filter: [3, 3, 6], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 7, 8], filter: [2, 3, 5], strides: [2, 1], pad: 'valid' },
  { x: [2, 10, 11, 7], filter: [4, 4, 3], strides: [3, 2], pad: 'same' },
  { x: [2, 9, 8, 4], filter: [3, 2, 3], strides: [2, 2], pad: [[0, 0], [2, 1], [0, 1], [0, 0]] },
  { x: [2, 5, 5, 4], filter: [1, 1, 3], strides: [2, 2], pad: 'valid' },
  { x: [16, 13, 13, 32], filter: [3, 3, 30], strides: [2, 2], pad: 'valid' },
];

/**
 * dy channels in whole vectors go to our direct kernel: with a stride, and at stride 1 where
 * padding would be much of XNNPACK's work (large kernels on small images). dx channel counts 1,
 * 2, 3, 4, 6, 7 and 8 (chunks of 4, 2 and 1), dy channels 4 and 12 (one vector a step) and 8,
 * 16 and 32 (two), kernels 2x3, 5x4 and 1x1, strides 1, 2, 2x1 and 3x2, 'same', 'valid' and
 * explicit padding, and the LeNet-5 layer it was written for.
 */
const DIRECT_CASES: readonly ConvCase[] = [
  { x: [2, 6, 7, 6], filter: [5, 4, 16], strides: [1, 1], pad: 'valid' },
  { x: [2, 5, 6, 7], filter: [5, 5, 4], strides: [1, 1], pad: 'valid' },
  { x: [3, 4, 5, 1], filter: [4, 5, 8], strides: [1, 1], pad: 'valid' },
  { x: [2, 5, 5, 3], filter: [5, 5, 12], strides: [1, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 9, 9, 8], filter: [3, 3, 8], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 7, 2], filter: [2, 3, 4], strides: [2, 1], pad: 'valid' },
  { x: [2, 10, 11, 4], filter: [4, 4, 32], strides: [3, 2], pad: 'same' },
  { x: [2, 5, 5, 6], filter: [1, 1, 12], strides: [2, 2], pad: 'valid' },
  { x: [4, 14, 14, 6], filter: [5, 5, 16], strides: [1, 1], pad: 'valid' },
];

beforeAll(setUpBackendsWithOwnKernels);

afterEach(() => {
  jest.restoreAllMocks();
});

function expectInputGradientsAgree(convCase: ConvCase, seed: number): Promise<void> {
  const [filterHeight, filterWidth, outChannels] = convCase.filter;
  return expectBackendsAgree(() => {
    const x = seededTensor(convCase.x, 10 * seed + 1) as tf.Tensor4D;
    const filter = seededTensor([filterHeight, filterWidth, convCase.x[3], outChannels], 10 * seed + 2) as tf.Tensor4D;
    const convolve = (input: tf.Tensor4D): tf.Tensor4D => tf.conv2d(input, filter, convCase.strides, convCase.pad);
    const upstream = seededTensor(convolve(x).shape, 10 * seed + 3);
    return [tf.grad((input: tf.Tensor) => convolve(input as tf.Tensor4D).mul(upstream).sum())(x)];
  });
}

describe('Conv2DBackpropInput on wasm', () => {
  test.each(CASES.map((c, i) => [describeConvCase(c), c, i] as const))('matches cpu: %s', async (_, convCase, index) => {
    await expectInputGradientsAgree(convCase, index);
  });

  test.each(GATHERED_CASES.map((c, i) => [describeConvCase(c), c, i] as const))(
    'matches cpu, gathering columns with our kernel: %s',
    async (_, convCase, index) => {
      const ours = jest.spyOn(ownKernels()!, 'addColumns');
      await expectInputGradientsAgree(convCase, 100 + index);
      expect(ours).toHaveBeenCalled();
    },
  );

  test.each(DIRECT_CASES.map((c, i) => [describeConvCase(c), c, i] as const))(
    'matches cpu, straight from dy and W with our kernel: %s',
    async (_, convCase, index) => {
      const ours = jest.spyOn(ownKernels()!, 'inputGradient');
      await expectInputGradientsAgree(convCase, 300 + index);
      expect(ours).toHaveBeenCalled();
    },
  );

  test('keeps a stride-1 convolution with little padding, or dy channels not in whole vectors, off our direct kernel', async () => {
    const cases: readonly ConvCase[] = [
      { x: [2, 8, 8, 8], filter: [3, 3, 8], strides: [1, 1], pad: 'same' },
      { x: [2, 6, 7, 6], filter: [5, 4, 6], strides: [1, 1], pad: 'valid' },
      { x: [2, 9, 9, 5], filter: [3, 3, 6], strides: [2, 2], pad: 'same' },
    ];
    for (const [index, convCase] of cases.entries()) {
      const ours = jest.spyOn(ownKernels()!, 'inputGradient');
      await expectInputGradientsAgree(convCase, 400 + index);
      expect(ours).not.toHaveBeenCalled();
      ours.mockRestore();
    }
  });

  test.each([
    ['LeNet-5 layer 2: 5x5 valid on 14x14, 12.8 of 25 taps inside', [128, 14, 14, 6], [5, 5, 6, 16], 'valid', true],
    ['VGG block: 3x3 same on 32x32, 32 channels', [128, 32, 32, 32], [3, 3, 32, 32], 'same', false],
    ['MNIST CNN layer 2: 3x3 same on 14x14, 32 channels', [128, 14, 14, 32], [3, 3, 32, 64], 'same', false],
    ['5x5 valid on 6x6, 4 channels', [2, 6, 6, 4], [5, 5, 4, 8], 'valid', true],
  ] as const)('direct kernel at stride 1 where padding is much of the work: %s', (_, inShape, filterShape, pad, expected) => {
    const info = tf.backend_util.computeConv2DInfo([...inShape], [...filterShape], 1, 1, pad);
    expect(directInputGradientIsCheaper(info)).toBe(expected);
  });

  test('runs conv2dTranspose, whose forward pass is this kernel', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 5, 4, 6], 201) as tf.Tensor4D;
      const filter = seededTensor([3, 2, 3, 6], 202) as tf.Tensor4D;
      return [
        tf.conv2dTranspose(x, filter, [2, 5, 4, 3], 1, 'same'),
        tf.conv2dTranspose(x, filter, [2, 10, 8, 3], 2, 'same'),
        tf.conv2dTranspose(x, filter, [2, 11, 9, 3], 2, 'valid'),
      ];
    });
  });

  test('takes NCHW input and explicit NCHW padding', async () => {
    const pads: ConvCase['pad'][] = ['same', [[0, 0], [0, 0], [1, 1], [2, 0]]];
    for (const pad of pads) {
      const filterShape: [number, number, number, number] = [3, 3, 3, 4];
      const inputShape: [number, number, number, number] = [2, 3, 7, 8];
      const { outShape } = tf.backend_util.computeConv2DInfo(inputShape, filterShape, 2, 1, pad, undefined, false, 'channelsFirst');
      await expectBackendsAgree(() => {
        const dy = seededTensor(outShape, 211);
        const filter = seededTensor(filterShape, 212);
        return [runKernel(tf.Conv2DBackpropInput, { dy, filter }, { strides: 2, pad, dataFormat: 'NCHW', inputShape })];
      });
    }
  });

  test('honours dimRoundingMode with numeric padding', async () => {
    await expectBackendsAgree(() => {
      const dy = seededTensor([2, 5, 5, 3], 221);
      const filter = seededTensor([3, 3, 2, 3], 222);
      return [
        runKernel(tf.Conv2DBackpropInput, { dy, filter }, {
          strides: 2,
          pad: 1,
          dataFormat: 'NHWC',
          dimRoundingMode: 'ceil',
          inputShape: [2, 8, 8, 2],
        }),
      ];
    });
  });
});
