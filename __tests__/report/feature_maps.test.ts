import { clearSession, Conv2D, Dense, Flatten, Input, Model, tf } from '../../lib';
import { convolutionFeatureMaps, featureMapChannel, filterSlice, firstConvolutionFilters } from '../../lib/report/feature_maps';
import { lectureDense, lecturePool } from '../../models';

beforeEach(() => clearSession());

const image = Float32Array.from({ length: 28 * 28 }, (_, i) => (i % 28) / 27);

describe('convolutionFeatureMaps', () => {
  it("keeps every Conv2D layer's output for one image, channels last", async () => {
    const maps = await convolutionFeatureMaps(lecturePool(), image);
    expect(maps.map(({ name, layer, height, width, channels, values }) => [name, layer, height, width, channels, values.length])).toEqual([
      ['conv2d', 'conv2d (Conv2D)', 24, 24, 3, 24 * 24 * 3],
      ['conv2d_1', 'conv2d_1 (Conv2D)', 8, 8, 6, 8 * 8 * 6],
    ]);
  });

  it("is the layer's own output: a 1x1 convolution with a kernel of 2 doubles the image", async () => {
    const X = Input({ shape: [28, 28, 1] });
    const conv = Conv2D(1, { kernelSize: 1, useBias: false });
    const Y = Dense(2)(Flatten()(conv(X)));
    const model = Model(X, Y);
    conv.setWeights([tf.fill([1, 1, 1, 1], 2)]);
    const [maps] = await convolutionFeatureMaps(model, image);
    expect(Array.from(maps?.values ?? []).slice(0, 3)).toEqual([0, 2 / 27, 4 / 27].map((v) => Math.fround(v)));
  });

  it('finds nothing in a model without convolutions', async () => {
    expect(await convolutionFeatureMaps(lectureDense({ inputShape: [28, 28, 1] }), image)).toEqual([]);
    expect(await firstConvolutionFilters(lectureDense())).toBeNull();
  });
});

describe('firstConvolutionFilters and the slicing helpers', () => {
  it("reads the first kernel in TensorFlow's [height, width, in, filters] order", async () => {
    const model = lecturePool();
    const filters = await firstConvolutionFilters(model);
    if (filters === null) throw new Error('lecture-pool has convolutions');
    expect([filters.layer, filters.kernelHeight, filters.kernelWidth, filters.inputChannels, filters.filters]).toEqual(['conv2d (Conv2D)', 5, 5, 1, 3]);
    const kernel = model.getLayer('conv2d').getWeights()[0] as tf.Tensor4D;
    const expected = kernel.slice([0, 0, 0, 2], [5, 5, 1, 1]).reshape([25]).dataSync();
    expect(Array.from(filterSlice(filters, 2, 0))).toEqual(Array.from(expected));
  });

  it('featureMapChannel takes one channel of a channels-last map', () => {
    const maps = { name: 'c', layer: 'c (Conv2D)', height: 1, width: 2, channels: 3, values: Float32Array.of(1, 2, 3, 4, 5, 6) };
    expect(Array.from(featureMapChannel(maps, 1))).toEqual([2, 5]);
  });
});
