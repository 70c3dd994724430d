import { tf } from '../../../lib/tf';
import { CONV_CASES, describeConvCase, type ConvCase } from '../../helpers/window_cases';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

const CASES: readonly ConvCase[] = [
  ...CONV_CASES,
  // One or two input channels take the column-taps path.
  { x: [2, 7, 9, 2], filter: [3, 2, 5], strides: [1, 1], pad: 'valid' },
  { x: [3, 8, 7, 1], filter: [2, 4, 3], strides: [1, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 6, 5, 1], filter: [3, 1, 4], strides: [1, 1], pad: 'same' },
];

beforeAll(setUpBackends);

describe('Conv2DBackpropInput on wasm', () => {
  test.each(CASES.map((c, i) => [describeConvCase(c), c, i] as const))('matches cpu: %s', async (_, convCase, index) => {
    const [filterHeight, filterWidth, outChannels] = convCase.filter;
    await expectBackendsAgree(() => {
      const x = seededTensor(convCase.x, 10 * index + 1) as tf.Tensor4D;
      const filter = seededTensor([filterHeight, filterWidth, convCase.x[3], outChannels], 10 * index + 2) as tf.Tensor4D;
      const convolve = (input: tf.Tensor4D): tf.Tensor4D => tf.conv2d(input, filter, convCase.strides, convCase.pad);
      const upstream = seededTensor(convolve(x).shape, 10 * index + 3);
      return [tf.grad((input: tf.Tensor) => convolve(input as tf.Tensor4D).mul(upstream).sum())(x)];
    });
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
