import { formatShape, formatValue, type Shape } from './format';

/**
 * The message of anything thrown: the `message` of an Error or error-like object, else the value
 * as text. Duck typed, because errors from Node's own modules may come from another realm (as
 * under Jest) and fail `instanceof Error`.
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string') return message;
  }
  return String(error);
}

/** The first line of {@link messageOf}, trimmed: for one-line reports. */
export function firstLineOf(error: unknown): string {
  const message = messageOf(error);
  return (message.split('\n')[0] ?? message).trim();
}

/** The base of every error this library throws on purpose; `instanceof KerasError` tells them from bugs. */
export class KerasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument outside what is allowed: which thing, which option, the value, what was expected. */
export class ConfigError extends KerasError {
  constructor(
    /** What the argument was given to, e.g. `conv2d (Conv2D)` or `--epochs`. */
    readonly subject: string,
    /** The option's name, e.g. `filters`. */
    readonly option: string,
    /** The value received. */
    readonly value: unknown,
    /** What would have been accepted, e.g. `a positive integer`. */
    readonly expected: string,
  ) {
    super(`${subject}: ${option} must be ${expected}, got ${formatValue(value)}`);
  }
}

/** A layer cannot take the shape it is given, or would make a dimension <= 0. */
export class ShapeError extends KerasError {
  constructor(
    /** The layer, e.g. `conv2d_1 (Conv2D)`. */
    readonly layer: string,
    /** The full input shape the layer received. */
    readonly inputShape: Shape,
    /** Why it does not fit, in words. */
    readonly reason: string,
  ) {
    super(`${layer}: ${reason} (input shape ${formatShape(inputShape)})`);
  }
}

/** A model's graph is not usable: disconnected, duplicate names, wrong kind of tensor. */
export class GraphError extends KerasError {
  constructor(
    /** The model or layer whose graph is wrong. */
    readonly subject: string,
    /** What is wrong, in words. */
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
  }
}

/** A data file is missing, truncated or not in the expected format. */
export class DataError extends KerasError {
  constructor(
    /** The file or folder concerned. */
    readonly path: string,
    /** What is wrong and, where it helps, what to do. */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A backend was asked for that cannot be used here. */
export class BackendError extends KerasError {
  constructor(
    /** The backend's name, e.g. `wasm`. */
    readonly backend: string,
    /** Why it cannot be used, and how to make it available. */
    readonly reason: string,
  ) {
    super(`backend '${backend}': ${reason}`);
  }
}

/** Training stopped because the loss became NaN or infinite. */
export class DivergenceError extends KerasError {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
  ) {
    super(
      `loss became ${loss} at epoch ${epoch}, batch ${batch}: training stopped; ` +
        'try a lower learning rate (--lr)',
    );
  }
}
