/**
 * Random layer configurations, valid and invalid, from a fixed seed. An oracle written from the
 * course's formulas predicts each outcome: either the output shape, or an error. The library must
 * agree every time: a named KerasError when the oracle says invalid, never a crash of another kind
 * or a dimension <= 0; the oracle's shape otherwise, and data of that shape from predict.
 */
import {
  Activation,
  AveragePooling2D,
  BatchNormalization,
  clearSession,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  Input,
  KerasError,
  MaxPool2D,
  Model,
  tf,
  type KerasTensor,
  type Shape,
} from '../../lib';
import { Random } from '../../lib/random';

type Outcome = { shape: (number | null)[] } | 'error';
interface Case {
  describe: string;
  build: (x: KerasTensor) => KerasTensor;
  predict: (shape: (number | null)[]) => Outcome;
}

const isPositiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

function windowLength(length: number, size: number, stride: number, padding: string, dilation: number): number {
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - (size - 1) * dilation - 1) / stride) + 1;
}

function randomCase(random: Random): Case {
  const pick = <T>(items: readonly T[]): T => items[random.nextInt(items.length)] as T;
  switch (random.nextInt(8)) {
    case 0: {
      const filters = pick([-1, 0, 1, 3, 4, 2.5]);
      const kernel = pick([0, 1, 2, 3, 5]);
      const strides = pick([0, 1, 1, 2, 3]);
      const padding = pick(['valid', 'same', 'same', 'full']);
      const dilation = pick([1, 1, 2]);
      return {
        describe: `Conv2D(${filters}, ${kernel}, strides ${strides}, ${padding}, dilation ${dilation})`,
        build: (x) => Conv2D(filters, kernel, { strides, padding: padding as 'same', dilationRate: dilation })(x),
        predict: (shape) => {
          const ok = isPositiveInt(filters) && isPositiveInt(kernel) && isPositiveInt(strides) && ['valid', 'same'].includes(padding) && !(strides > 1 && dilation > 1);
          if (!ok || shape.length !== 4) return 'error';
          const [, h, w] = shape as number[];
          const out = [windowLength(h!, kernel, strides, padding, dilation), windowLength(w!, kernel, strides, padding, dilation)];
          return out.every((d) => d > 0) ? { shape: [null, out[0]!, out[1]!, filters] } : 'error';
        },
      };
    }
    case 1: {
      const size = pick([0, 1, 2, 3, 4]);
      const strides = pick([undefined, 1, 2, 3]);
      const padding = pick(['valid', 'same']);
      const max = random.nextInt(2) === 0;
      return {
        describe: `${max ? 'Max' : 'Average'}Pooling2D(${size}, strides ${strides}, ${padding})`,
        build: (x) => (max ? MaxPool2D : AveragePooling2D)({ poolSize: size, ...(strides === undefined ? {} : { strides }), padding: padding as 'same' })(x),
        predict: (shape) => {
          if (!isPositiveInt(size) || shape.length !== 4) return 'error';
          const step = strides ?? size;
          const [, h, w, c] = shape as number[];
          const out = [windowLength(h!, size, step, padding, 1), windowLength(w!, size, step, padding, 1)];
          return out.every((d) => d > 0) ? { shape: [null, out[0]!, out[1]!, c!] } : 'error';
        },
      };
    }
    case 2: {
      const units = pick([-2, 0, 1, 5, 8, 1.5]);
      return {
        describe: `Dense(${units})`,
        build: (x) => Dense(units)(x),
        predict: (shape) => (isPositiveInt(units) && shape.length >= 2 ? { shape: [...shape.slice(0, -1), units] } : 'error'),
      };
    }
    case 3:
      return {
        describe: 'Flatten()',
        build: (x) => Flatten()(x),
        predict: (shape) => (shape.length >= 3 ? { shape: [null, (shape.slice(1) as number[]).reduce((p, d) => p * d, 1)] } : 'error'),
      };
    case 4: {
      const rate = pick([-0.1, 0, 0.3, 1, 1.2]);
      return {
        describe: `Dropout(${rate})`,
        build: (x) => Dropout(rate)(x),
        predict: (shape) => (rate >= 0 && rate < 1 ? { shape } : 'error'),
      };
    }
    case 5:
      return { describe: 'BatchNormalization()', build: (x) => BatchNormalization()(x), predict: (shape) => ({ shape }) };
    case 6: {
      const name = pick(['relu', 'swish', 'softmax', 'gelu', 'leaky_relu']);
      return {
        describe: `Activation('${name}')`,
        build: (x) => Activation(name as 'relu')(x),
        predict: (shape) => (name === 'leaky_relu' ? 'error' : { shape }),
      };
    }
    default:
      return {
        describe: 'GlobalAveragePooling2D()',
        build: (x) => GlobalAveragePooling2D()(x),
        predict: (shape) => (shape.length === 4 ? { shape: [null, shape[3]!] } : 'error'),
      };
  }
}

describe('fuzzed layer stacks (seed 2026, 300 stacks)', () => {
  const random = new Random(2026);
  const stacks = Array.from({ length: 300 }, (_, i) => {
    const rank = 1 + random.nextInt(3);
    const inputShape = Array.from({ length: rank }, () => 1 + random.nextInt(9));
    const cases = Array.from({ length: 1 + random.nextInt(3) }, () => randomCase(random));
    return { i, inputShape, cases };
  });

  it('agrees with the oracle on every stack: same shape or a named KerasError', () => {
    let built = 0;
    let refused = 0;
    for (const { i, inputShape, cases } of stacks) {
      clearSession();
      let expected: Outcome = { shape: [null, ...inputShape] };
      let tensor: KerasTensor = Input({ shape: inputShape });
      const input = tensor;
      const story = `stack ${i}: Input ${JSON.stringify(inputShape)} -> ${cases.map((c) => c.describe).join(' -> ')}`;
      for (const layerCase of cases) {
        expected = layerCase.predict((expected as { shape: (number | null)[] }).shape);
        let thrown: unknown = null;
        try {
          tensor = layerCase.build(tensor);
        } catch (error) {
          thrown = error;
        }
        if (expected === 'error') {
          if (!(thrown instanceof KerasError)) throw new Error(`${story}: expected a KerasError at ${layerCase.describe}, got ${String(thrown)}`);
          expect(thrown.message).toMatch(/^[a-z_0-9]+ \([A-Za-z0-9]+\): /);
          refused += 1;
          break;
        }
        if (thrown !== null) throw new Error(`${story}: ${layerCase.describe} threw ${String(thrown)}, the oracle expected ${JSON.stringify(expected.shape)}`);
        expect({ story, shape: tensor.shape }).toEqual({ story, shape: expected.shape });
        expect(tensor.shape.slice(1).every((d: Shape[number]) => d !== null && d > 0)).toBe(true);
      }
      if (expected !== 'error') {
        const model = Model(input, tensor);
        const y = model.predict(tf.ones([2, ...inputShape])) as tf.Tensor;
        expect({ story, shape: y.shape }).toEqual({ story, shape: [2, ...(expected.shape.slice(1) as number[])] });
        y.dispose();
        built += 1;
      }
    }
    // The seed must exercise both outcomes substantially, or the test proves little.
    expect(built).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(60);
  });
});
