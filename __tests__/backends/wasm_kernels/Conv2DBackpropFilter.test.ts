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
];

function describeCase({ x, filter, strides, pad }: ConvCase): string {
  return `x [${x.join(', ')}], filter ${filter[0]}x${filter[1]}x${filter[2]}, strides ${strides.join('x')}, pad ${JSON.stringify(pad)}`;
}

beforeAll(setUpBackends);

describe('Conv2DBackpropFilter on wasm', () => {
  test.each(CASES.map((c, i) => [describeCase(c), c, i] as const))('matches cpu: %s', async (_, convCase, index) => {
    const [filterHeight, filterWidth, outChannels] = convCase.filter;
    const filterShape = [filterHeight, filterWidth, convCase.x[3], outChannels];
    await expectBackendsAgree(() => {
      const x = seededTensor(convCase.x, 10 * index + 1) as tf.Tensor4D;
      const filter = seededTensor(filterShape, 10 * index + 2) as tf.Tensor4D;
      const convolve = (w: tf.Tensor4D): tf.Tensor4D => tf.conv2d(x, w, convCase.strides, convCase.pad);
      const upstream = seededTensor(convolve(filter).shape, 10 * index + 3);
      return [tf.grad((w: tf.Tensor) => convolve(w as tf.Tensor4D).mul(upstream).sum())(filter)];
    });
  });

  test('takes NCHW input and explicit NCHW padding', async () => {
    const pads: Padding[] = ['same', [[0, 0], [0, 0], [1, 1], [2, 0]]];
    for (const pad of pads) {
      const filterShape: [number, number, number, number] = [3, 3, 3, 4];
      const { outShape } = tf.backend_util.computeConv2DInfo([2, 3, 7, 8], filterShape, 2, 1, pad, undefined, false, 'channelsFirst');
      await expectBackendsAgree(() => {
        const x = seededTensor([2, 3, 7, 8], 101);
        const dy = seededTensor(outShape, 102);
        return [runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 2, pad, dataFormat: 'NCHW', filterShape })];
      });
    }
  });

  test('honours dimRoundingMode with numeric padding', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 8, 8, 2], 111);
      const dy = seededTensor([2, 5, 5, 3], 112);
      return [
        runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
          strides: 2,
          pad: 1,
          dataFormat: 'NHWC',
          dimRoundingMode: 'ceil',
          filterShape: [3, 3, 2, 3],
        }),
      ];
    });
  });
});
