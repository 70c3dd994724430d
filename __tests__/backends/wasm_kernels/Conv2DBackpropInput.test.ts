import { tf } from '../../../lib/tf';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface ConvCase {
  /** [batch, height, width, inChannels] */
  x: [number, number, number, number];
  /** [filterHeight, filterWidth, outChannels] */
  filter: [number, number, number];
  strides: [number, number];
  pad: Padding;
}

const CASES: ConvCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 4], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 7, 2], filter: [2, 3, 5], strides: [2, 1], pad: 'valid' },
  { x: [2, 10, 11, 3], filter: [4, 4, 2], strides: [3, 3], pad: 'same' },
  { x: [2, 10, 11, 3], filter: [4, 4, 2], strides: [3, 2], pad: 'valid' },
  { x: [2, 6, 6, 1], filter: [5, 5, 6], strides: [1, 1], pad: 'same' },
  { x: [2, 5, 5, 2], filter: [1, 1, 3], strides: [2, 2], pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [3, 3, 4], strides: [1, 1], pad: 1 },
  { x: [2, 9, 9, 3], filter: [3, 3, 4], strides: [2, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 6, 6, 3], filter: [3, 3, 2], strides: [1, 1], pad: [[0, 0], [4, 3], [3, 4], [0, 0]] },
  { x: [2, 6, 6, 17], filter: [3, 3, 19], strides: [1, 1], pad: 'same' },
  // One or two input channels take the column-taps path.
  { x: [2, 7, 9, 2], filter: [3, 2, 5], strides: [1, 1], pad: 'valid' },
  { x: [3, 8, 7, 1], filter: [2, 4, 3], strides: [1, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 6, 5, 1], filter: [3, 1, 4], strides: [1, 1], pad: 'same' },
];

function describeCase({ x, filter, strides, pad }: ConvCase): string {
  return `x [${x.join(', ')}], filter ${filter[0]}x${filter[1]}x${filter[2]}, strides ${strides.join('x')}, pad ${JSON.stringify(pad)}`;
}

beforeAll(setUpBackends);

describe('Conv2DBackpropInput on wasm', () => {
  test.each(CASES.map((c, i) => [describeCase(c), c, i] as const))('matches cpu: %s', async (_, convCase, index) => {
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
    const pads: Padding[] = ['same', [[0, 0], [0, 0], [1, 1], [2, 0]]];
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
