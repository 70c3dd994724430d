import { BatchNormalization, clearSession, Conv2D, Dense, Flatten, Input, Model } from '../lib';
import { explainModel, layerArithmetic, windowAxisFormula } from '../lib/summary_explain';
import { ZOO, ZOO_NAMES, lectureConv, lectureDense, lecturePool, lenet5, vggCifar } from '../models';

beforeEach(() => clearSession());

/** Integer arithmetic with + - * /, parentheses and floor(): the notation the explanation prints. */
function evaluate(expression: string): number {
  const tokens = expression.match(/floor|\d+|[-+*/()]/g) ?? [];
  let position = 0;
  const next = (): string => tokens[position++] ?? '';
  const peek = (): string => tokens[position] ?? '';
  const primary = (): number => {
    const token = next();
    if (token === 'floor') {
      next();
      const value = Math.floor(sum());
      next();
      return value;
    }
    if (token === '(') {
      const value = sum();
      next();
      return value;
    }
    return Number(token);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === '*' || peek() === '/') value = next() === '*' ? value * primary() : value / primary();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = next() === '+' ? value + product() : value - product();
    return value;
  };
  const result = sum();
  if (position !== tokens.length) throw new Error(`could not read '${expression}'`);
  return result;
}

/** Every `<arithmetic> = <number>` in the lines. */
function equations(lines: readonly string[]): { expression: string; result: number }[] {
  return lines.flatMap((line) =>
    [...line.matchAll(/((?:floor)?[(\d][\d *+\-/()floor]*?) = (\d[\d,]*)/g)].map((match) => ({
      expression: match[1] as string,
      result: Number((match[2] as string).replace(/,/g, '')),
    })),
  );
}

function explained(build: () => ReturnType<typeof lenet5>): string[] {
  return explainModel(build());
}

describe('explainModel: LeNet-5', () => {
  const lines = (): string[] => explained(lenet5);

  it('shows each layer output size and parameter count in the course notation', () => {
    const text = lines().join('\n');
    expect(text).toContain("conv2d (Conv2D)\n  output size: (28 + 2*2 - 5) / 1 + 1 = 28 (padding 'same'), so (None, 28, 28, 6)\n  params: 6 * (5 * 5 * 1 + 1) = 156\n");
    expect(text).toContain('max_pooling2d (MaxPooling2D)\n  output size: (28 + 2*0 - 2) / 2 + 1 = 14, so (None, 14, 14, 6)\n  params: no parameters\n');
    expect(text).toContain('conv2d_1 (Conv2D)\n  output size: (14 + 2*0 - 5) / 1 + 1 = 10, so (None, 10, 10, 16)\n  params: 16 * (5 * 5 * 6 + 1) = 2,416\n');
    expect(text).toContain('flatten (Flatten)\n  output size: 5 * 5 * 16 = 400, so (None, 400)\n  params: no parameters\n');
    expect(text).toContain('dense (Dense)\n  output size: 120 units, so (None, 120)\n  params: 120 * (400 + 1) = 48,120\n');
  });

  it('counts 423,038 mult-adds, as torchinfo does (weights and biases once per output position)', () => {
    // By hand: 28*28*156 + 10*10*2416 + 48120 + 10164 + 850 = 122304 + 241600 + 59134.
    const text = lines();
    expect(text).toContain('  conv2d (Conv2D)                 28 * 28 * 6 * (5 * 5 * 1 + 1) = 122,304');
    expect(text).toContain('  conv2d_1 (Conv2D)               10 * 10 * 16 * (5 * 5 * 6 + 1) = 241,600');
    expect(text).toContain('  max_pooling2d (MaxPooling2D)    0');
    expect(text).toContain('  dense_2 (Dense)                 10 * (84 + 1) = 850');
    expect(text).toContain('Total mult-adds: 423,038');
  });

  it('states parameter memory and per-example activation memory as float32', () => {
    // Activations: 4704 + 1176 + 1600 + 400 + 400 + 120 + 84 + 10 = 8494 values.
    expect(lines().slice(-2)).toEqual([
      'Parameter memory: 61,706 params * 4 bytes = 246,824 bytes (241.0 KiB)',
      'Activation memory per example: 8,494 values * 4 bytes = 33,976 bytes (33.2 KiB) (the output of every layer after the input, forward pass only)',
    ]);
  });
});

describe('explainModel: the lecture models', () => {
  it("lecture-pool: the issue's figures", () => {
    const text = explained(lecturePool).join('\n');
    expect(text).toContain('conv2d (Conv2D)\n  output size: (28 + 2*0 - 5) / 1 + 1 = 24, so (None, 24, 24, 3)\n  params: 3 * (5 * 5 * 1 + 1) = 78\n');
    expect(text).toContain('max_pooling2d (MaxPooling2D)\n  output size: (24 + 2*0 - 2) / 2 + 1 = 12, so (None, 12, 12, 3)\n  params: no parameters\n');
    expect(text).toContain('flatten (Flatten)\n  output size: 4 * 4 * 6 = 96, so (None, 96)\n');
    expect(text).toContain('params: 84 * (96 + 1) = 8,148\n');
    // 24*24*78 + 8*8*456 + 8148 + 850
    expect(text).toContain('Total mult-adds: 83,110\n');
    expect(text).toContain('Parameter memory: 9,532 params * 4 bytes = 38,128 bytes (37.2 KiB)');
  });

  it('lecture-conv: 24*24*78 + 20*20*456 + 201,684 + 850 mult-adds', () => {
    const text = explained(lectureConv).join('\n');
    expect(text).toContain('output size: (24 + 2*0 - 5) / 1 + 1 = 20, so (None, 20, 20, 6)');
    expect(text).toContain('params: 84 * (2400 + 1) = 201,684');
    expect(text).toContain('Total mult-adds: 429,862\n');
  });

  it('lecture-dense: mult-adds equal the parameters, the input is not an activation', () => {
    const text = explained(lectureDense).join('\n');
    expect(text).toContain('input_1 (InputLayer)\n  input: (None, 28, 28), 28 * 28 = 784 values per example\n');
    expect(text).toContain('flatten (Flatten)\n  output size: 28 * 28 = 784, so (None, 784)');
    expect(text).toContain('Total mult-adds: 66,790\n');
    expect(text).toContain('Activation memory per example: 878 values * 4 bytes = 3,512 bytes (3.4 KiB)');
  });
});

describe('explainModel: every zoo model', () => {
  it.each(ZOO_NAMES)('%s: every printed equation holds, and the mult-adds add up to the total', (name) => {
    const lines = explainModel(ZOO[name].build());
    const found = equations(lines);
    expect(found.length).toBeGreaterThan(5);
    for (const { expression, result } of found) expect([expression, evaluate(expression)]).toEqual([expression, result]);
    const perLayer = lines.slice(lines.findIndex((line) => line.startsWith('Mult-adds per example')) + 1, lines.findIndex((line) => line.startsWith('Total mult-adds')));
    const sum = perLayer.reduce((total, line) => total + Number((/(?:= |\s)([\d,]+)$/.exec(line)?.[1] ?? 'NaN').replace(/,/g, '')), 0);
    expect(lines).toContain(`Total mult-adds: ${sum.toLocaleString('en-US')}`);
  });

  it("vgg-cifar: BatchNormalization's four statistics per channel, two of them learned and counted as mult-adds", () => {
    const text = explainModel(vggCifar()).join('\n');
    expect(text).toContain('params: 4 * 32 = 128 (gamma, beta, moving mean, moving variance per channel; 64 trainable, the moving statistics are not)');
    expect(text).toContain('  batch_normalization (BatchNormalization)    2 * 32 = 64\n');
    expect(text).toContain("output size: (32 + 2*1 - 3) / 1 + 1 = 32 (padding 'same'), so (None, 32, 32, 32)");
  });
});

describe('windowAxisFormula', () => {
  it.each<[string, Parameters<typeof windowAxisFormula>, string]>([
    ['valid, exact', [28, 5, 1, 'valid'], '(28 + 2*0 - 5) / 1 + 1 = 24'],
    ['valid, rounded down', [28, 3, 2, 'valid'], 'floor((28 + 2*0 - 3) / 2) + 1 = 13'],
    ['same, even padding', [28, 5, 1, 'same'], '(28 + 2*2 - 5) / 1 + 1 = 28'],
    ["same, Keras's odd pixel after", [32, 3, 2, 'same'], '(32 + 0 + 1 - 3) / 2 + 1 = 16'],
    ['same, no padding needed', [11, 1, 3, 'same'], 'floor((11 + 2*0 - 1) / 3) + 1 = 4'],
    ['dilated', [28, 3, 1, 'valid', 2], 'kernel 3 dilated by 2 spans (3 - 1) * 2 + 1 = 5; (28 + 2*0 - 5) / 1 + 1 = 24'],
  ])('%s', (_, args, expected) => {
    expect(windowAxisFormula(...args)).toBe(expected);
  });
});

describe('layers off the common path', () => {
  it('a convolution and a Dense without bias, a rectangular kernel, Dense on a 3-D input', () => {
    const X = Input({ shape: [12, 10, 2] });
    let H = Conv2D(4, { kernelSize: [3, 5], strides: [1, 2], useBias: false })(X);
    H = BatchNormalization({ center: false })(H);
    const R = Dense(3, { useBias: false })(H);
    const Y = Dense(2)(Flatten()(R));
    const text = explainModel(Model(X, Y)).join('\n');
    expect(text).toContain('output size: height (12 + 2*0 - 3) / 1 + 1 = 10, width floor((10 + 2*0 - 5) / 2) + 1 = 3, so (None, 10, 3, 4)');
    expect(text).toContain('params: 4 * (3 * 5 * 2) = 120');
    expect(text).toContain('params: 3 * 4 = 12 (gamma, moving mean, moving variance per channel; 4 trainable, the moving statistics are not)');
    expect(text).toContain('params: 3 * 4 = 12\n');
    expect(text).toContain('10 * 3 * 3 * 4 = 360');
  });

  it('an unknown layer class states its shape and count, with no mult-adds', () => {
    const arithmetic = layerArithmetic({ label: 'custom (Custom)', className: 'Custom', inputShapes: [[null, 4]], outputShape: [null, 4], params: 8, config: {} });
    expect(arithmetic).toEqual({ label: 'custom (Custom)', lines: ['output size: (None, 4)', 'params: 8'], multAdds: 0, multAddsFormula: '0', activationValues: 4 });
  });
});

describe('model.summary({ explain: true })', () => {
  it('prints the explanation after the Keras table, and nothing more without it', () => {
    const plain: string[] = [];
    const explainedLines: string[] = [];
    const model = lenet5();
    model.summary({ printFn: (line) => plain.push(line) });
    model.summary({ explain: true, printFn: (line) => explainedLines.push(line) });
    expect(explainedLines.slice(0, plain.length)).toEqual(plain);
    expect(explainedLines.slice(plain.length)).toEqual(explainModel(model));
  });
});
