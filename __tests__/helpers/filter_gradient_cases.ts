/**
 * The filter-gradient kernel's cases, shared by the test of our own threaded kernel and the test
 * of the single-threaded fallback on XNNPACK: both must match the cpu backend on all of them.
 */
import { tf } from '../../lib/tf';
import { CONV_CASES, describeConvCase, type ConvCase } from './window_cases';
import { expectBackendsAgree, runKernel, seededTensor } from './backend_comparison';

export function defineFilterGradientTests(route: string): void {
  describe(`Conv2DBackpropFilter on wasm, ${route}`, () => {
    test.each(CONV_CASES.map((c, i) => [describeConvCase(c), c, i] as const))('matches cpu: %s', async (_, convCase, index) => {
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
      const pads: ConvCase['pad'][] = ['same', [[0, 0], [0, 0], [1, 1], [2, 0]]];
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
}
