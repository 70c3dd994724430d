import { ConfigError, GraphError } from '../errors';
import { formatValue, type Shape } from '../format';
import { KerasTensor } from '../keras_tensor';
import { uniqueName } from '../session';
import { requirePositiveDims } from '../shapes';
import { tf } from '../tf';
import { Layer } from './layer';

/** Options of `Input()`. */
export interface InputOptions {
  /** The shape of one example, without the batch: `[28, 28, 1]`; `null` for a size known only at run time. */
  shape: ReadonlyArray<number | null>;
  /** A fixed batch size. Default: any (`null` in the shape). */
  batchSize?: number;
  /** The name. Default: `input_1`, `input_2`, ... (Keras counts inputs from one). */
  name?: string;
  /** The element type. Default `'float32'`. */
  dtype?: 'float32' | 'int32';
}

/** The layer behind `Input()`: it holds no weights and is not called; models list it first. */
export class InputLayer extends Layer {
  readonly tfLayer: tf.layers.Layer;

  constructor(options: InputOptions) {
    const name = options.name ?? uniqueName('input', { zeroBased: false });
    super('InputLayer', { name }, []);
    const subject = `Input ${name}`;
    if (!Array.isArray(options.shape)) {
      throw new ConfigError(subject, 'shape', options.shape, 'an array of dimensions such as [28, 28, 1]');
    }
    const batch = options.batchSize ?? null;
    if (batch !== null && !(Number.isInteger(batch) && batch > 0)) {
      throw new ConfigError(subject, 'batchSize', batch, 'a positive integer');
    }
    if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'int32') {
      throw new ConfigError(subject, 'dtype', options.dtype, "'float32' or 'int32'");
    }
    const shape: Shape = [batch, ...options.shape];
    requirePositiveDims(this.label, shape);
    const symbolic = tf.input({
      shape: options.shape.map((dim) => dim),
      ...(batch === null ? {} : { batchSize: batch }),
      name,
      dtype: options.dtype ?? 'float32',
    });
    this.tfLayer = this.wrap(symbolic.sourceLayer as tf.layers.Layer, {});
    this.outputs.push(new KerasTensor(symbolic, this, shape));
  }

  override computeOutputShape(): Shape {
    throw new GraphError(this.label, 'an input layer is not called: use the tensor that Input() returned');
  }

  override countParams(): number {
    return 0;
  }
}

/**
 * A model's entry point: `Input({ shape: [28, 28, 1] })` is a tensor of shape `[null, 28, 28, 1]`.
 */
export function Input(options: InputOptions): KerasTensor {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('Input', 'options', options, `an object such as { shape: [28, 28, 1] }, got ${formatValue(options)}`);
  }
  return new InputLayer(options).outputs[0] as KerasTensor;
}
