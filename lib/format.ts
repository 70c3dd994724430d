/** A tensor shape as Keras sees it: `null` is a dimension not known until run time (the batch). */
export type Shape = ReadonlyArray<number | null>;

/** Prints a shape the way error messages show it: `[null, 28, 28, 1]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((dim) => (dim === null ? 'null' : String(dim))).join(', ')}]`;
}

/** Prints a value given by a user inside a message: strings quoted, arrays and shapes in brackets. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value === null) return 'null';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** `'a', 'b' or 'c'`: a list of allowed choices for a message. */
export function formatChoices(choices: readonly string[]): string {
  const quoted = choices.map((choice) => `'${choice}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** Python's `'{:,}'.format(n)`: 61706 -> `61,706`. */
export function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
