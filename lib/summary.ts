/**
 * `model.summary()` exactly as tf.keras 2.7-2.12 prints it (`keras/utils/layer_utils.py`,
 * `print_summary`): the same columns, wrapping and trailing spaces, so that users can compare it
 * character for character with the tables in their course notebooks.
 */
import { ConfigError } from './errors';
import { withThousands, type Shape } from './format';

/** One layer's row. */
export interface SummaryRow {
  /** `conv2d (Conv2D)`. */
  readonly layer: string;
  /** As Python prints it: `(None, 24, 24, 3)`, `[(None, 28, 28, 1)]` or `multiple`. */
  readonly outputShape: string;
  readonly params: number;
  /** Inbound tensors, `dense[0][0]`; printed only for graphs that are not a straight chain. */
  readonly connections: readonly string[];
}

/** Everything the table shows, computed from a model. */
export interface SummaryTable {
  readonly modelName: string;
  readonly rows: readonly SummaryRow[];
  /** A straight chain: one node per depth, one input per node, no shared layer. */
  readonly sequentialLike: boolean;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
}

/** Options of `model.summary()`, as Keras's. */
export interface SummaryOptions {
  /** Total width. Default 65 for a chain, 98 for a graph. */
  lineLength?: number;
  /** Column ends, as fractions of the width (all <= 1) or as absolute positions. */
  positions?: readonly number[];
  /** Called with each line. Default `console.log`. */
  printFn?: (line: string) => void;
  /** After the table, the arithmetic behind each shape and parameter count. */
  explain?: boolean;
}

/** A shape as Python prints a tuple: `(None, 24, 24, 3)`, `(None,)`. */
export function pythonTuple(shape: Shape): string {
  const dims = shape.map((dim) => (dim === null ? 'None' : String(dim)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** A list of strings as Python prints it: `['dense[0][0]', 'dense_1[0][0]']`. */
export function pythonStringList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/** Where Keras breaks a long cell: right after the first of these that falls inside the cut. */
const LINE_BREAKS = ['),', '},', '],', "',"];

/** One row, over as many lines as its longest cell needs. */
function formatRow(fields: readonly string[], positions: readonly number[]): string[] {
  const left = [...fields];
  const lines: string[] = [];
  while (left.some((text) => text.length > 0)) {
    let line = '';
    left.forEach((text, col) => {
      const start = col > 0 ? (positions[col - 1] as number) : 0;
      const end = positions[col] as number;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = end - start - space;
      // Python's slice: a negative cut counts from the end, exactly as String.slice does.
      let fits = text.slice(0, cutoff);
      const breaks = LINE_BREAKS.filter((mark) => fits.includes(mark)).map((mark) => fits.indexOf(mark) + mark.length);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fits = fits.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fits + ' '.repeat(space);
      left[col] = text.slice(cutoff);
      line += ' '.repeat(Math.max(0, end - line.length));
    });
    lines.push(line);
  }
  return lines;
}

function resolvePositions(table: SummaryTable, options: SummaryOptions): { lineLength: number; positions: number[] } {
  const lineLength = options.lineLength ?? (table.sequentialLike ? 65 : 98);
  if (!Number.isInteger(lineLength) || lineLength <= 0) {
    throw new ConfigError('summary', 'lineLength', options.lineLength, 'a positive integer');
  }
  const columns = table.sequentialLike ? 3 : 4;
  const relative = options.positions ?? (table.sequentialLike ? [0.45, 0.85, 1.0] : [0.33, 0.55, 0.67, 1.0]);
  if (relative.length !== columns || relative.some((p) => typeof p !== 'number' || !(p > 0))) {
    throw new ConfigError('summary', 'positions', options.positions, `${columns} increasing positive numbers (column ends)`);
  }
  const last = relative[relative.length - 1] as number;
  const positions = last <= 1 ? relative.map((p) => Math.floor(lineLength * p)) : [...relative];
  return { lineLength, positions };
}

/** The summary's lines, without trailing newlines. */
export function formatSummary(table: SummaryTable, options: SummaryOptions = {}): string[] {
  const { lineLength, positions } = resolvePositions(table, options);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  if (!table.sequentialLike) header.push('Connected to');
  const lines = [`Model: "${table.modelName}"`, '_'.repeat(lineLength), ...formatRow(header, positions), '='.repeat(lineLength)];
  for (const row of table.rows) {
    const fields = [row.layer, row.outputShape, String(row.params)];
    if (!table.sequentialLike) fields.push(pythonStringList(row.connections));
    lines.push(...formatRow(fields, positions), ' '.repeat(lineLength));
  }
  const total = table.trainableParams + table.nonTrainableParams;
  lines.push(
    '='.repeat(lineLength),
    `Total params: ${withThousands(total)}`,
    `Trainable params: ${withThousands(table.trainableParams)}`,
    `Non-trainable params: ${withThousands(table.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  return lines;
}
