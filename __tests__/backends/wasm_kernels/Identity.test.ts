import { tf } from '../../../lib/tf';
import { heldBuffers, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(setUpBackends);

describe('Identity on wasm', () => {
  test('clones share memory: values stay right and are freed with the last reference', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = heldBuffers();
    const x = seededTensor([4, 5], 1);
    const expected = Array.from(x.dataSync());
    const clone = x.clone();
    expect(heldBuffers()).toBe(buffersBefore + 1);
    x.dispose();
    expect(Array.from(clone.dataSync())).toEqual(expected);
    const doubled = clone.mul(2);
    expect(Array.from(doubled.dataSync())).toEqual(expected.map((v) => Math.fround(v * 2)));
    clone.dispose();
    doubled.dispose();
    expect(heldBuffers()).toBe(buffersBefore);
  });

  test('a variable assigned after cloning leaves the clone unchanged', async () => {
    await tf.setBackend('wasm');
    const variable = tf.variable(tf.tensor1d([1, 2, 3]));
    const clone = variable.clone();
    variable.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(clone.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(variable.dataSync())).toEqual([7, 8, 9]);
    clone.dispose();
    variable.dispose();
  });

  test('clones string tensors', async () => {
    await tf.setBackend('wasm');
    const strings = tf.tensor1d(['a', 'bc']);
    const clone = strings.clone();
    expect(clone.dataSync()).toEqual(['a', 'bc']);
    strings.dispose();
    clone.dispose();
  });
});
