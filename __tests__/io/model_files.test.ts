import { mkdtempSync, readdirSync, readFileSync, writeFileSync, truncateSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { clearSession, loadModel, setRandomSeed, tf } from '../../lib';
import { lenet5 } from '../../models';

const folder = (): string => mkdtempSync(join(tmpdir(), 'tfjs-keras-model-'));

beforeEach(() => {
  clearSession();
  setRandomSeed(11);
});
afterAll(() => setRandomSeed(null));

describe('model.save and loadModel', () => {
  it('give the same predictions, names and summary after reloading', async () => {
    const model = lenet5();
    const dir = folder();
    await model.save(dir);
    const loaded = await loadModel(dir);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const lines = (m: typeof model): string[] => {
      const out: string[] = [];
      m.summary({ printFn: (line) => out.push(line) });
      return out;
    };
    expect(lines(loaded)).toEqual(lines(model));
    expect(loaded.layers[1]?.className).toBe('Conv2D');
  });

  it('write the TensorFlow.js layers format, readable by plain tf.loadLayersModel', async () => {
    const model = lenet5();
    const dir = folder();
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    const [group] = json.weightsManifest;
    const weights = readFileSync(join(dir, group.paths[0]));
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData: new Uint8Array(weights).buffer }),
    );
    expect(plain.countParams()).toBe(61706);
    expect(readdirSync(dir).sort()).toEqual(['model.json', group.paths[0]].sort());
  });

  it('keep the optimizer state and compile settings when asked', async () => {
    const model = lenet5();
    model.compile({ loss: 'categorical_crossentropy', metrics: 'accuracy' });
    await model.fit(tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 1), tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10), { epochs: 1, batchSize: 4, verbose: 0 });
    const dir = folder();
    await model.save(dir, { includeOptimizer: true });
    const loaded = await loadModel(dir);
    expect(loaded.tfModel.optimizer).toBeInstanceOf(tf.RMSPropOptimizer);
    const saved = await model.tfModel.optimizer.getWeights();
    const restored = await loaded.tfModel.optimizer.getWeights();
    expect(restored.map((w) => w.name)).toEqual(saved.map((w) => w.name));
    expect(Array.from(restored[3]!.tensor.dataSync())).toEqual(Array.from(saved[3]!.tensor.dataSync()));
    expect(loaded.compiledSettings.logNames).toEqual(['loss', 'accuracy']);
  });

  it('replace the weights file on a second save, leaving one', async () => {
    const model = lenet5();
    const dir = folder();
    await model.save(dir);
    await model.save(dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it.each<[string, (dir: string) => void, RegExp]>([
    ['an empty folder', () => undefined, /: no model\.json here: expected a folder written by model\.save\(\) or a training run/],
    ['a model.json that is not JSON', (dir) => writeFileSync(join(dir, 'model.json'), '{ "modelTopology": '), /model\.json: is not valid JSON/],
    ['truncated weights', (dir) => {
      const bin = readdirSync(dir).find((f) => f.endsWith('.bin')) as string;
      truncateSync(join(dir, bin), 1000);
    }, /model\.json: its weights files hold 1000 bytes, but the manifest needs 246824/],
    ['an optimizer class TensorFlow.js does not know', (dir) => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      json['trainingConfig'] = { loss: 'categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'KerasRMSprop', config: {} } };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    }, /model\.json: its optimizer 'KerasRMSprop' is not one TensorFlow\.js knows .*; start a new run/],
  ])('explain %s, naming the file', async (_, damage, message) => {
    const dir = folder();
    if (!_.startsWith('an empty')) await lenet5().save(dir);
    damage(dir);
    await expect(loadModel(dir)).rejects.toThrow(message);
  });
});
