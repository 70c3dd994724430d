import { tf } from '../../../lib/tf';
import { expectBackendsAgree, heldBuffers, seededTensor, setUpBackends } from '../../helpers/backend_comparison';

beforeAll(setUpBackends);

describe('Cast on wasm', () => {
  test('matches cpu for same-dtype casts and real conversions', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([3, 4], 1).mul(5);
      const integers = x.round().cast('int32');
      const withNaN = tf.concat([x.flatten(), tf.tensor1d([Number.NaN, 0, -0])]);
      return [
        x.cast('float32'),
        x.cast('int32'),
        withNaN.cast('bool'),
        integers.cast('int32'),
        integers.cast('float32'),
        integers.cast('bool'),
        x.greater(0).cast('bool'),
        x.greater(0).cast('float32'),
      ];
    });
  });

  test('a same-dtype cast shares memory and frees it with the last reference', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = heldBuffers();
    const x = seededTensor([4, 5], 2);
    const expected = Array.from(x.dataSync());
    const cast = x.cast('float32');
    expect(heldBuffers()).toBe(buffersBefore + 1);
    x.dispose();
    expect(Array.from(cast.dataSync())).toEqual(expected);
    cast.dispose();
    expect(heldBuffers()).toBe(buffersBefore);
  });
});
