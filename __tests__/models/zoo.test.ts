import { clearSession, tf, type FunctionalModel } from '../../lib';
import { ZOO, ZOO_NAMES, baseline, lectureConv, lectureDense, lecturePool, lenet5, mnistCnn, vggCifar } from '../../models';

beforeEach(() => clearSession());

function shapes(model: FunctionalModel): string[] {
  return model.layers.map((layer) => `${layer.name} ${JSON.stringify(layer.outputShape)} ${layer.countParams()}`);
}

describe('zoo models against MODELS.md', () => {
  it('LeNet-5: 61,706 params', () => {
    const model = lenet5();
    expect(shapes(model)).toEqual([
      'input_1 [null,28,28,1] 0',
      'conv2d [null,28,28,6] 156',
      'max_pooling2d [null,14,14,6] 0',
      'conv2d_1 [null,10,10,16] 2416',
      'max_pooling2d_1 [null,5,5,16] 0',
      'flatten [null,400] 0',
      'dense [null,120] 48120',
      'dense_1 [null,84] 10164',
      'dense_2 [null,10] 850',
    ]);
    expect(model.countParams()).toBe(61706);
  });

  it('baseline, Fashion-MNIST variant: 2x2x128 = 512 flattened, 512 hidden', () => {
    const model = baseline();
    expect(shapes(model)).toEqual([
      'input_1 [null,28,28,1] 0',
      'conv2d [null,13,13,32] 320',
      'conv2d_1 [null,6,6,64] 18496',
      'conv2d_2 [null,2,2,128] 73856',
      'flatten [null,512] 0',
      'dropout [null,512] 0',
      'dense [null,512] 262656',
      'dropout_1 [null,512] 0',
      'dense_1 [null,10] 5130',
    ]);
    expect(model.countParams()).toBe(360458);
    expect((model.layers[5] as unknown as { rate: number }).rate).toBe(0.2);
  });

  it('baseline, CIFAR-10 variant: 3x3x128 = 1152 flattened, Dropout(0.5), 1024 hidden', () => {
    const model = baseline({ inputShape: [32, 32, 3] });
    expect(shapes(model).slice(3)).toEqual([
      'conv2d_2 [null,3,3,128] 73856',
      'flatten [null,1152] 0',
      'dropout [null,1152] 0',
      'dense [null,1024] 1180672',
      'dropout_1 [null,1024] 0',
      'dense_1 [null,10] 10250',
    ]);
    expect((model.layers[5] as unknown as { rate: number }).rate).toBe(0.5);
    expect(model.countParams()).toBe(1284170);
  });

  it('VGG-style CIFAR-10 net: 2,397,226 params, 896 of them non-trainable', () => {
    const model = vggCifar();
    expect(model.paramCounts()).toEqual({ trainable: 2396330, nonTrainable: 896 });
    expect(model.countParams()).toBe(2397226);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 2048]);
    expect(model.getLayer('max_pooling2d_2').outputShape).toEqual([null, 4, 4, 128]);
    expect(model.layers.filter((l) => l.className === 'BatchNormalization').map((l) => l.countParams())).toEqual([128, 128, 256, 256, 512, 512]);
  });

  it('MNIST CNN: 7x7x64 = 3136 flattened', () => {
    const model = mnistCnn();
    expect(model.getLayer('flatten').outputShape).toEqual([null, 3136]);
    expect(model.countParams()).toBe(320 + 18496 + 31370);
  });

  it.each<[string, () => FunctionalModel, number, string]>([
    ['lecture-dense', () => lectureDense(), 66790, 'flatten [null,784] 0'],
    ['lecture-conv', () => lectureConv(), 203068, 'flatten [null,2400] 0'],
    ['lecture-pool', () => lecturePool(), 9532, 'flatten [null,96] 0'],
  ])('%s: %i params', (_, build, params, flattenRow) => {
    const model = build();
    expect(model.countParams()).toBe(params);
    expect(shapes(model)).toContain(flattenRow);
  });

  it('takes the number of classes', () => {
    expect(lenet5({ classes: 26 }).outputs[0]?.shape).toEqual([null, 26]);
  });
});

describe('forward pass of every zoo model', () => {
  it.each(ZOO_NAMES)('%s gives one probability row per example', (name) => {
    const model = ZOO[name].build();
    const inputShape = model.inputs[0]!.shape.slice(1) as number[];
    const x = tf.randomUniform([3, ...inputShape], 0, 1, 'float32', 5);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 10]);
    (y.sum(1).arraySync() as number[]).forEach((sum) => expect(sum).toBeCloseTo(1, 5));
    tf.dispose([x, y]);
  });
});
