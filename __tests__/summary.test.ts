import { readFileSync } from 'fs';
import { join } from 'path';
import {
  Add,
  clearSession,
  Concatenate,
  Conv2D,
  Dense,
  Flatten,
  formatSummary,
  Input,
  MaxPool2D,
  Model,
  type SummaryRow,
} from '../lib';
import { pythonTuple } from '../lib/summary';
import { lecturePool } from '../models/lecture_pool';

const fixture = (name: string): string[] =>
  readFileSync(join(__dirname, 'fixtures', name), 'utf8').replace(/\n$/, '').split('\n');

function capture(print: (printFn: (line: string) => void) => void): string[] {
  const lines: string[] = [];
  print((line) => lines.push(line));
  return lines;
}

describe('summary of a straight chain (65 columns)', () => {
  beforeEach(() => clearSession());

  it("prints MODELS.md's Keras 2.11 table of the lecture model byte for byte", () => {
    const model = lecturePool();
    expect(capture((printFn) => model.summary({ printFn }))).toEqual(fixture('lecture_pool_summary.txt'));
  });

  it('prints a Keras-printed functional LeNet-5 (32x32 input, valid first convolution) exactly', () => {
    const X = Input({ shape: [32, 32, 1] });
    let H = Conv2D(6, 5, { activation: 'tanh' })(X);
    H = MaxPool2D()(H);
    H = Conv2D(16, 5, { activation: 'tanh' })(H);
    H = MaxPool2D()(H);
    H = Flatten()(H);
    H = Dense(120, { activation: 'tanh' })(H);
    H = Dense(84, { activation: 'tanh' })(H);
    const model = Model(X, Dense(10, { activation: 'softmax' })(H));
    const lines = capture((printFn) => model.summary({ printFn }));
    // The published copy starts at the rule below the `Model: "model"` line.
    expect(lines[0]).toBe('Model: "model"');
    expect(lines.slice(1)).toEqual(fixture('keras_lenet5_32x32_summary.txt'));
  });

  it('names the second model of a session model_1, input_2, conv2d_2 as the course copy shows', () => {
    lecturePool();
    const lines = capture((printFn) => lecturePool().summary({ printFn }));
    expect(lines[0]).toBe('Model: "model_1"');
    expect(lines[4]).toBe(' input_2 (InputLayer)        [(None, 28, 28, 1)]       0         ');
    expect(lines[6]).toBe(' conv2d_2 (Conv2D)           (None, 24, 24, 3)         78        ');
  });

  it('honours lineLength and relative positions as Keras does', () => {
    const model = lecturePool();
    const lines = capture((printFn) => model.summary({ printFn, lineLength: 80, positions: [0.5, 0.8, 1] }));
    expect(lines[1]).toBe('_'.repeat(80));
    // Column ends at int(80 * 0.5) = 40 and int(80 * 0.8) = 64; the name is not wrapped at 38 characters.
    expect(lines[8]).toBe(` ${'max_pooling2d (MaxPooling2D)'.padEnd(39)}${'(None, 12, 12, 3)'.padEnd(24)}${'0'.padEnd(16)}`);
  });

  it('takes absolute positions and cuts long names over several lines', () => {
    const model = lecturePool();
    const lines = capture((printFn) => model.summary({ printFn, lineLength: 40, positions: [12, 30, 40] }));
    // 12 - 2 = 10 characters per line: the header and the names wrap too.
    // Cells: 10, then 30 - 12 - 2 = 16, then 40 - 30 = 10 characters; each line padded to 40.
    expect(lines.slice(2, 4)).toEqual([
      ' Layer (typ' + '  ' + 'Output Shape' + '     ' + 'Param #' + '   ',
      ' e)' + ' '.repeat(37),
    ]);
    expect(lines.slice(5, 7)).toEqual([
      ' input_1 (I' + '  ' + '[(None, 28, 28, ' + '  ' + '0' + ' '.repeat(8),
      ' nputLayer)' + '  ' + '1)]' + ' '.repeat(24),
    ]);
  });

  it('rejects positions that do not fit the table', () => {
    const model = lecturePool();
    expect(() => model.summary({ positions: [0.5, 1], printFn: () => undefined })).toThrow(
      /summary: positions must be 3 increasing positive numbers \(column ends\), got \[0\.5, 1\]/,
    );
  });
});

describe('summary of a graph (98 columns, Connected to)', () => {
  beforeEach(() => clearSession());

  /** The rows of a U-Net as Keras 2.x printed them in a public notebook (the fixture). */
  const unetRows: SummaryRow[] = [
    ['input_1 (InputLayer)', '[(None, 96, 128, 3)]', 0, []],
    ['conv2d (Conv2D)', '(None, 96, 128, 32)', 896, ['input_1[0][0]']],
    ['conv2d_1 (Conv2D)', '(None, 96, 128, 32)', 9248, ['conv2d[0][0]']],
    ['max_pooling2d (MaxPooling2D)', '(None, 48, 64, 32)', 0, ['conv2d_1[0][0]']],
    ['conv2d_2 (Conv2D)', '(None, 48, 64, 64)', 18496, ['max_pooling2d[0][0]']],
    ['conv2d_3 (Conv2D)', '(None, 48, 64, 64)', 36928, ['conv2d_2[0][0]']],
    ['max_pooling2d_1 (MaxPooling2D)', '(None, 24, 32, 64)', 0, ['conv2d_3[0][0]']],
    ['conv2d_4 (Conv2D)', '(None, 24, 32, 128)', 73856, ['max_pooling2d_1[0][0]']],
    ['conv2d_5 (Conv2D)', '(None, 24, 32, 128)', 147584, ['conv2d_4[0][0]']],
    ['max_pooling2d_2 (MaxPooling2D)', '(None, 12, 16, 128)', 0, ['conv2d_5[0][0]']],
    ['conv2d_6 (Conv2D)', '(None, 12, 16, 256)', 295168, ['max_pooling2d_2[0][0]']],
    ['conv2d_7 (Conv2D)', '(None, 12, 16, 256)', 590080, ['conv2d_6[0][0]']],
    ['dropout (Dropout)', '(None, 12, 16, 256)', 0, ['conv2d_7[0][0]']],
    ['max_pooling2d_3 (MaxPooling2D)', '(None, 6, 8, 256)', 0, ['dropout[0][0]']],
    ['conv2d_8 (Conv2D)', '(None, 6, 8, 512)', 1180160, ['max_pooling2d_3[0][0]']],
    ['conv2d_9 (Conv2D)', '(None, 6, 8, 512)', 2359808, ['conv2d_8[0][0]']],
    ['dropout_1 (Dropout)', '(None, 6, 8, 512)', 0, ['conv2d_9[0][0]']],
    ['conv2d_transpose (Conv2DTranspose)', '(None, 12, 16, 256)', 1179904, ['dropout_1[0][0]']],
    ['concatenate (Concatenate)', '(None, 12, 16, 512)', 0, ['conv2d_transpose[0][0]', 'dropout[0][0]']],
    ['conv2d_10 (Conv2D)', '(None, 12, 16, 256)', 1179904, ['concatenate[0][0]']],
    ['conv2d_11 (Conv2D)', '(None, 12, 16, 256)', 590080, ['conv2d_10[0][0]']],
    ['conv2d_transpose_1 (Conv2DTranspose)', '(None, 24, 32, 128)', 295040, ['conv2d_11[0][0]']],
    ['concatenate_1 (Concatenate)', '(None, 24, 32, 256)', 0, ['conv2d_transpose_1[0][0]', 'conv2d_5[0][0]']],
    ['conv2d_12 (Conv2D)', '(None, 24, 32, 128)', 295040, ['concatenate_1[0][0]']],
    ['conv2d_13 (Conv2D)', '(None, 24, 32, 128)', 147584, ['conv2d_12[0][0]']],
    ['conv2d_transpose_2 (Conv2DTranspose)', '(None, 48, 64, 64)', 73792, ['conv2d_13[0][0]']],
    ['concatenate_2 (Concatenate)', '(None, 48, 64, 128)', 0, ['conv2d_transpose_2[0][0]', 'conv2d_3[0][0]']],
    ['conv2d_14 (Conv2D)', '(None, 48, 64, 64)', 73792, ['concatenate_2[0][0]']],
    ['conv2d_15 (Conv2D)', '(None, 48, 64, 64)', 36928, ['conv2d_14[0][0]']],
    ['conv2d_transpose_3 (Conv2DTranspose)', '(None, 96, 128, 32)', 18464, ['conv2d_15[0][0]']],
    ['concatenate_3 (Concatenate)', '(None, 96, 128, 64)', 0, ['conv2d_transpose_3[0][0]', 'conv2d_1[0][0]']],
    ['conv2d_16 (Conv2D)', '(None, 96, 128, 32)', 18464, ['concatenate_3[0][0]']],
    ['conv2d_17 (Conv2D)', '(None, 96, 128, 32)', 9248, ['conv2d_16[0][0]']],
    ['conv2d_18 (Conv2D)', '(None, 96, 128, 32)', 9248, ['conv2d_17[0][0]']],
    ['conv2d_19 (Conv2D)', '(None, 96, 128, 23)', 759, ['conv2d_18[0][0]']],
  ].map(([layer, outputShape, params, connections]) => ({
    layer: layer as string,
    outputShape: outputShape as string,
    params: params as number,
    connections: connections as string[],
  }));

  it("formats a Keras-printed U-Net table character for character (wrapped names, shapes and inputs)", () => {
    const lines = formatSummary({
      modelName: 'model',
      rows: unetRows,
      sequentialLike: false,
      trainableParams: 8640471,
      nonTrainableParams: 0,
    });
    expect(lines).toEqual(fixture('keras_unet_summary.txt'));
  });

  it('detects a branching model and lists each inbound tensor', () => {
    const X = Input({ shape: [8, 8, 4] });
    const a = Conv2D(4, 3, { padding: 'same' })(X);
    const sum = Add()([a, X]);
    const b = MaxPool2D()(sum);
    const c = Conv2D(2, 1)(b);
    const joined = Concatenate()([b, c]);
    const Y = Dense(3)(Flatten()(joined));
    const model = Model(X, Y);
    const table = model.summaryTable();
    expect(table.sequentialLike).toBe(false);
    expect(table.rows.map((row) => [row.layer, row.outputShape, row.params, row.connections])).toEqual([
      ['input_1 (InputLayer)', '[(None, 8, 8, 4)]', 0, []],
      ['conv2d (Conv2D)', '(None, 8, 8, 4)', 148, ['input_1[0][0]']],
      ['add (Add)', '(None, 8, 8, 4)', 0, ['conv2d[0][0]', 'input_1[0][0]']],
      ['max_pooling2d (MaxPooling2D)', '(None, 4, 4, 4)', 0, ['add[0][0]']],
      ['conv2d_1 (Conv2D)', '(None, 4, 4, 2)', 10, ['max_pooling2d[0][0]']],
      ['concatenate (Concatenate)', '(None, 4, 4, 6)', 0, ['max_pooling2d[0][0]', 'conv2d_1[0][0]']],
      ['flatten (Flatten)', '(None, 96)', 0, ['concatenate[0][0]']],
      ['dense (Dense)', '(None, 3)', 291, ['flatten[0][0]']],
    ]);
    const lines = capture((printFn) => model.summary({ printFn }));
    expect(lines[2]).toBe(` ${'Layer (type)'.padEnd(31)}${'Output Shape'.padEnd(21)}${'Param #'.padEnd(12)}${'Connected to'.padEnd(33)}`);
    expect(lines[8]).toBe(` ${'add (Add)'.padEnd(31)}${'(None, 8, 8, 4)'.padEnd(21)}${'0'.padEnd(12)}${"['conv2d[0][0]',".padEnd(33)}`);
    expect(lines[9]).toBe(`${' '.repeat(65)}${" 'input_1[0][0]']".padEnd(33)}`);
    expect(lines.slice(-4)).toEqual(['Total params: 449', 'Trainable params: 449', 'Non-trainable params: 0', '_'.repeat(98)]);
  });

  it('counts a shared layer as a graph, not a chain', () => {
    const X = Input({ shape: [4] });
    const shared = Dense(4);
    const Y = shared(shared(X));
    const model = Model(X, Y);
    expect(model.summaryTable().sequentialLike).toBe(false);
    expect(model.summaryTable().rows[1]?.connections).toEqual(['input_1[0][0]', 'dense[0][0]']);
  });
});

describe('pythonTuple', () => {
  it.each([
    [[null, 24, 24, 3], '(None, 24, 24, 3)'],
    [[null, 96], '(None, 96)'],
    [[null], '(None,)'],
  ])('prints %j as %s', (shape, text) => {
    expect(pythonTuple(shape)).toBe(text);
  });
});
