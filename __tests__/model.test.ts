import { BatchNormalization, clearSession, Conv2D, Dense, Dropout, Flatten, FunctionalModel, Input, Model, tf } from '../lib';

beforeEach(() => clearSession());

describe('Model', () => {
  it('runs the API example of the README', () => {
    const X = Input({ shape: [28, 28, 1] });
    let H = Conv2D(6, { kernelSize: 5, padding: 'same', activation: 'swish' })(X);
    H = Flatten()(H);
    const Y = Dense(10, { activation: 'softmax' })(H);
    const model = Model(X, Y);
    expect(model).toBeInstanceOf(FunctionalModel);
    expect(model.layers.map((l) => l.label)).toEqual(['input_1 (InputLayer)', 'conv2d (Conv2D)', 'flatten (Flatten)', 'dense (Dense)']);
    expect(model.countParams()).toBe(156 + (28 * 28 * 6 + 1) * 10);
    const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    expect(model.tfModel).toBeInstanceOf(tf.LayersModel);
    expect(model.getLayer('conv2d').className).toBe('Conv2D');
  });

  it('takes several inputs and outputs', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [2] });
    const model = Model([a, b], [Dense(1)(a), Dense(1)(b)]);
    const [ya, yb] = model.predict([tf.ones([4, 3]), tf.ones([4, 2])]) as tf.Tensor[];
    expect([ya?.shape, yb?.shape]).toEqual([[4, 1], [4, 1]]);
  });

  it('says the graph is disconnected, naming the missing input', () => {
    const X = Input({ shape: [3] });
    const other = Input({ shape: [3] });
    expect(() => Model(X, Dense(1)(other))).toThrow(
      "Model 'model': graph disconnected: output dense depends on input input_2, which is not among the model's inputs (input_1)",
    );
  });

  it('rejects two layers with one name', () => {
    const X = Input({ shape: [3] });
    const Y = Dense(2, { name: 'hidden' })(Dense(2, { name: 'hidden' })(X));
    expect(() => Model(X, Y)).toThrow(/two different layers are named 'hidden'; layer names must be unique in a model/);
  });

  it('rejects inputs that are not made by Input()', () => {
    const X = Input({ shape: [3] });
    const hidden = Dense(2)(X);
    expect(() => Model(hidden, Dense(1)(hidden))).toThrow(/inputs must be tensors made by Input\(\), got the output of dense \(Dense\)/);
  });

  it('rejects things that are not tensors', () => {
    expect(() => Model([] as never, Input({ shape: [1] }))).toThrow(/inputs must be a tensor from Input\(\) or a layer call/);
  });

  it('predicts a single batch straight through the graph, in inference mode, as tf.layers predicts it', () => {
    const X = Input({ shape: [4] });
    const H = BatchNormalization()(Dropout(0.9)(Dense(3, { activation: 'relu' })(X)));
    const model = Model(X, Dense(2)(H));
    const x = tf.tensor2d(Array.from({ length: 20 }, (_, i) => (i % 7) - 3), [5, 4]);
    const byLayers = model.tfModel.predict(x, { batchSize: 2 }) as tf.Tensor;
    const tensorsBefore = tf.memory().numTensors;
    const direct = model.predict(x, { batchSize: 5 }) as tf.Tensor;
    const sliced = model.predict(x, { batchSize: 2 }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(tensorsBefore + 2);
    expect(direct.shape).toEqual([5, 2]);
    expect(Array.from(direct.dataSync())).toEqual(Array.from(byLayers.dataSync()));
    expect(Array.from(sliced.dataSync())).toEqual(Array.from(byLayers.dataSync()));
  });

  it('checks data against the input shape before predicting', () => {
    const X = Input({ shape: [28, 28, 1] });
    const model = Model(X, Dense(2)(Flatten()(X)));
    expect(() => model.predict(tf.zeros([2, 28, 28]))).toThrow(
      "Model 'model': input 0 (input_1) expects data of shape [null, 28, 28, 1], got [2, 28, 28]",
    );
  });

  it('lists layer names when asked for one that does not exist', () => {
    const X = Input({ shape: [3] });
    expect(() => Model(X, Dense(1)(X)).getLayer('dense_9')).toThrow(/layer name must be one of input_1, dense, got 'dense_9'/);
  });
});
