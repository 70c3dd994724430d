import { formatShape, type Shape } from './format';
import type { tf } from './tf';

/** What the layer made the tensor: the layer's name and Keras class, enough for graph walks. */
export interface TensorSource {
  readonly name: string;
  readonly className: string;
}

/**
 * A symbolic tensor of the functional API: the output of `Input()` or of a layer call, with its
 * shape known before any data flows. It wraps tf.layers's SymbolicTensor, which builds the model.
 */
export class KerasTensor {
  constructor(
    /** The tf.layers tensor this one stands for. */
    readonly symbolic: tf.SymbolicTensor,
    /** The layer whose call produced it. */
    readonly source: TensorSource,
    /** Its shape, the batch as `null`: `[null, 28, 28, 1]`. */
    readonly shape: Shape,
  ) {}

  /** The number of dimensions, batch included. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `KerasTensor(shape=${formatShape(this.shape)}, from ${this.source.name} (${this.source.className}))`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export function isKerasTensor(value: unknown): value is KerasTensor {
  return value instanceof KerasTensor;
}
