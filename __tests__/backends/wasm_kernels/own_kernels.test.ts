import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels, ownKernelsStartFailure } from '../../../lib/backends/wasm_kernels/own_kernels';
import { filterGradientWat } from '../../../lib/backends/wasm_kernels/filter_gradient_wat';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
});

/** dW by the definition, in plain loops: the independent reference. */
function referenceFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filter: [number, number],
  strides: [number, number],
  pads: [number, number],
): Float64Array {
  const [batch, height, width, inChannels] = x.shape;
  const [, outHeight, outWidth, outChannels] = dy.shape;
  const xs = x.dataSync();
  const dys = dy.dataSync();
  const dw = new Float64Array(filter[0] * filter[1] * inChannels * outChannels);
  for (let n = 0; n < batch; n++)
    for (let oh = 0; oh < outHeight; oh++)
      for (let ow = 0; ow < outWidth; ow++)
        for (let kh = 0; kh < filter[0]; kh++)
          for (let kw = 0; kw < filter[1]; kw++) {
            const ih = oh * strides[0] + kh - pads[0];
            const iw = ow * strides[1] + kw - pads[1];
            if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
            for (let ci = 0; ci < inChannels; ci++)
              for (let co = 0; co < outChannels; co++) {
                const xv = xs[((n * height + ih) * width + iw) * inChannels + ci] as number;
                const dv = dys[((n * outHeight + oh) * outWidth + ow) * outChannels + co] as number;
                dw[((kh * filter[1] + kw) * inChannels + ci) * outChannels + co]! += xv * dv;
              }
          }
  return dw;
}

describe('our own wasm kernels', () => {
  test('start on the threaded backend, one worker per extra thread', () => {
    expect(ownKernelsStartFailure()).toBeNull();
    expect(ownKernels()?.threads).toBe(2);
  });

  test('the module text declares a shared memory only when asked', () => {
    expect(filterGradientWat(true)).toMatch(/\(memory 1 65536 shared\)/);
    expect(filterGradientWat(false)).toMatch(/\(memory 1 65536\)/);
  });

  // Every tile shape: 1 to 4 input channels per tile (and remainders), 1 or 2 vectors of output
  // channels, with partial last vectors (3, 6) that read past a pixel of dy.
  const channelCases: [number, number][] = [
    [1, 1], [1, 6], [2, 3], [3, 4], [4, 8], [5, 12], [8, 6], [7, 13],
  ];
  test.each(channelCases)('filter gradient with %i input and %i output channels equals the plain-loop sum', async (inChannels, outChannels) => {
    await tf.setBackend('wasm');
    const x = seededTensor([3, 7, 6, inChannels], inChannels * 100 + outChannels) as tf.Tensor4D;
    const strides: [number, number] = [2, 1];
    const { outShape, padInfo } = tf.backend_util.computeConv2DInfo(x.shape, [2, 3, inChannels, outChannels], strides, 1, 'same');
    const dy = seededTensor(outShape, outChannels * 100 + inChannels) as tf.Tensor4D;
    const dw = runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides, pad: 'same', dataFormat: 'NHWC', filterShape: [2, 3, inChannels, outChannels] });
    expect(dw.shape).toEqual([2, 3, inChannels, outChannels]);
    const expected = referenceFilterGradient(x, dy, [2, 3], strides, [padInfo.top, padInfo.left]);
    const actual = dw.dataSync();
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, 4);
    tf.dispose([x, dy, dw]);
  });

  test('stays right after the heap grows under the worker threads', async () => {
    await tf.setBackend('wasm');
    const memory = ownKernels()?.memory;
    const before = memory?.buffer.byteLength ?? 0;
    const big = tf.zeros([before / 4 + 1024 * 1024]);
    expect(memory?.buffer.byteLength).toBeGreaterThan(before);
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 9, 9, 5], 7);
      const dy = seededTensor([4, 9, 9, 6], 8);
      return [runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 5, 6] })];
    });
    big.dispose();
  });
});
