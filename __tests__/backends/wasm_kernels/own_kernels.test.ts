import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels, ownKernelsModuleText, ownKernelsStartFailure } from '../../../lib/backends/wasm_kernels/own_kernels';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, runKernel, seededTensor, setUpBackends } from '../../helpers/backend_comparison';
import { axisGeometry, conv2dFilterGradientLoops } from '../../helpers/reference';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
});

describe('our own wasm kernels', () => {
  test('start on the threaded backend, one worker per extra thread', () => {
    expect(ownKernelsStartFailure()).toBeNull();
    expect(ownKernels()?.threads).toBe(2);
  });

  test('the module text imports a shared memory, as the workers need', () => {
    expect(ownKernelsModuleText()).toMatch(/\(memory 1 65536 shared\)/);
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
    const outShape = [3, axisGeometry(7, 2, 2, 'same').out, axisGeometry(6, 3, 1, 'same').out, outChannels];
    const dy = seededTensor(outShape, outChannels * 100 + inChannels) as tf.Tensor4D;
    const dw = runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides, pad: 'same', dataFormat: 'NHWC', filterShape: [2, 3, inChannels, outChannels] });
    expect(dw.shape).toEqual([2, 3, inChannels, outChannels]);
    const expected = conv2dFilterGradientLoops(x.dataSync(), x.shape, dy.dataSync(), [2, 3, outChannels], strides, 'same');
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
