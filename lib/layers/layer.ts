/**
 * The base of every layer. A layer is made by its factory (`Conv2D(6, {...})`), checks and
 * normalises its arguments in its constructor, wraps the tf.layers layer that holds the weights
 * and does the math, and states its output-shape rule as a pure function (`lib/shapes.ts`).
 * Calling it on a KerasTensor builds the graph; calling it on a tf.Tensor computes eagerly.
 */
import { ConfigError, GraphError, KerasError } from '../errors';
import { formatShape, type Shape } from '../format';
import { isKerasTensor, KerasTensor } from '../keras_tensor';
import { toSnakeCase, uniqueName } from '../session';
import { tf } from '../tf';
import * as args from '../args';

/** Options every layer takes. */
export interface LayerOptions {
  /** The layer's name. Default: Keras's automatic name, `conv2d`, `conv2d_1`, ... */
  name?: string;
  /** `false` freezes the layer's weights during training. Default `true`. */
  trainable?: boolean;
}

/** A single tensor for most layers; a list of tensors for merge layers (Concatenate, Add). */
export type LayerInput = KerasTensor | readonly KerasTensor[];
export type InputShapes<I extends LayerInput> = I extends KerasTensor ? Shape : Shape[];
type EagerInput<I extends LayerInput> = I extends KerasTensor ? tf.Tensor : tf.Tensor[];

const wrappers = new WeakMap<object, Layer<LayerInput>>();

/** The tfjs-keras layer that wraps a tf.layers layer, if any (models map their layers back). */
export function wrapperOf(tfLayer: object): Layer<LayerInput> | undefined {
  return wrappers.get(tfLayer);
}

/**
 * Makes instances callable: the constructor returns a function object that carries the
 * subclass's prototype, so `layer(x)` and `layer.name` both work on the same object.
 */
abstract class CallableObject {
  constructor() {
    const callable = (input: unknown): unknown => (callable as unknown as Layer<LayerInput>).applyTo(input as KerasTensor);
    Object.setPrototypeOf(callable, new.target.prototype);
    // A function's own `name` and `length` would shadow the layer's fields.
    delete (callable as { name?: string }).name;
    delete (callable as { length?: number }).length;
    return callable;
  }
}
Object.setPrototypeOf(CallableObject.prototype, Function.prototype);

export interface Layer<I extends LayerInput = KerasTensor> {
  /** Applies the layer to a symbolic tensor: builds the graph, checks the shape. */
  (input: I): KerasTensor;
  /** Applies the layer to data. */
  (input: EagerInput<I>): tf.Tensor;
}

export abstract class Layer<I extends LayerInput = KerasTensor> extends CallableObject {
  /** The name Keras would print: `conv2d_1`. */
  readonly name: string;
  /** Keras's class name, as printed by `summary()`: `MaxPooling2D` for `MaxPool2D` too. */
  readonly className: string;
  /** The tf.layers layer underneath, for interop with TensorFlow.js. */
  abstract readonly tfLayer: tf.layers.Layer;
  /** The tensors this layer produced, one per call. */
  readonly outputs: KerasTensor[] = [];

  protected constructor(className: string, options: LayerOptions, extraOptions: readonly string[]) {
    super();
    this.className = className;
    this.name = options.name ?? uniqueName(toSnakeCase(className), { zeroBased: true });
    if (typeof this.name !== 'string' || this.name === '') {
      throw new ConfigError(className, 'name', options.name, 'a non-empty string');
    }
    args.knownOptions(this.label, options, ['name', 'trainable', ...extraOptions]);
    if (options.trainable !== undefined) args.boolean(this.label, 'trainable', options.trainable);
  }

  /** `conv2d_1 (Conv2D)`: how messages name this layer. */
  get label(): string {
    return `${this.name} (${this.className})`;
  }

  /** The output-shape rule: pure, throws `ShapeError` for inputs the layer cannot take. */
  abstract computeOutputShape(inputShape: InputShapes<I>): Shape;

  /** Whether the layer takes a list of tensors (merge layers) rather than one. */
  protected takesList(): boolean {
    return false;
  }

  /** Registers the wrapped tf.layers layer; subclasses call it once they made it. */
  protected wrap<T extends tf.layers.Layer>(tfLayer: T, options: LayerOptions): T {
    if (options.trainable !== undefined) tfLayer.trainable = options.trainable;
    wrappers.set(tfLayer, this as unknown as Layer<LayerInput>);
    return tfLayer;
  }

  /** What `layer(x)` does. */
  applyTo(input: I): KerasTensor;
  applyTo(input: EagerInput<I>): tf.Tensor;
  applyTo(input: I | EagerInput<I>): KerasTensor | tf.Tensor {
    const inputs: unknown[] = Array.isArray(input) ? input : [input];
    if (Array.isArray(input) !== this.takesList()) {
      const expected = this.takesList() ? 'a list of tensors' : 'one tensor';
      throw new GraphError(this.label, `expected to be called on ${expected}, got ${describeInput(input)}`);
    }
    if (inputs.every(isKerasTensor)) return this.applySymbolic(inputs);
    if (inputs.every((x) => x instanceof tf.Tensor)) return this.applyEager(inputs);
    throw new GraphError(
      this.label,
      `expected a tensor from Input() or from another layer (or a tf.Tensor), got ${describeInput(input)}`,
    );
  }

  private shapesArgument(shapes: Shape[]): InputShapes<I> {
    return (this.takesList() ? shapes : shapes[0]) as InputShapes<I>;
  }

  private applySymbolic(inputs: KerasTensor[]): KerasTensor {
    const outputShape = this.computeOutputShape(this.shapesArgument(inputs.map((x) => x.shape)));
    const symbolics = inputs.map((x) => x.symbolic);
    const result = this.tfLayer.apply(this.takesList() ? symbolics : (symbolics[0] as tf.SymbolicTensor));
    if (!(result instanceof tf.SymbolicTensor)) {
      throw new KerasError(`${this.label}: tf.layers returned more than one output, which this layer does not expect`);
    }
    if (formatShape(result.shape) !== formatShape(outputShape)) {
      throw new KerasError(
        `${this.label}: internal error: shape rule gives ${formatShape(outputShape)} but ` +
          `tf.layers computed ${formatShape(result.shape)}`,
      );
    }
    const tensor = new KerasTensor(result, this, outputShape);
    this.outputs.push(tensor);
    return tensor;
  }

  private applyEager(inputs: tf.Tensor[]): tf.Tensor {
    this.computeOutputShape(this.shapesArgument(inputs.map((x) => [null, ...x.shape.slice(1)])));
    const result = this.tfLayer.apply(this.takesList() ? inputs : (inputs[0] as tf.Tensor));
    if (!(result instanceof tf.Tensor)) {
      throw new KerasError(`${this.label}: tf.layers returned more than one output, which this layer does not expect`);
    }
    return result;
  }

  /** The output shape, batch as `null`. Throws if the layer was never called, or called on different shapes. */
  get outputShape(): Shape {
    const shapes = new Set(this.outputs.map((tensor) => formatShape(tensor.shape)));
    const first = this.outputs[0];
    if (first === undefined) {
      throw new GraphError(this.label, 'has never been called, so it has no output shape yet');
    }
    if (shapes.size > 1) {
      throw new GraphError(this.label, `was called on several shapes and has several output shapes: ${[...shapes].join(', ')}`);
    }
    return first.shape;
  }

  /** The number of weights, trainable or not: Conv2D (FH * FW * C_in + 1) * C_out. */
  countParams(): number {
    if (!this.tfLayer.built) {
      throw new GraphError(this.label, 'has no weights yet: call it on a tensor first, so it knows its input shape');
    }
    return this.tfLayer.countParams();
  }

  get trainable(): boolean {
    return this.tfLayer.trainable;
  }

  set trainable(value: boolean) {
    this.tfLayer.trainable = args.boolean(this.label, 'trainable', value);
  }

  /** The weights as tensors, in tf.layers's order (kernel, then bias). */
  getWeights(): tf.Tensor[] {
    return this.tfLayer.getWeights();
  }

  setWeights(weights: tf.Tensor[]): void {
    this.tfLayer.setWeights(weights);
  }

  override toString(): string {
    const shape = this.outputs.length === 1 ? ` -> ${formatShape(this.outputShape)}` : '';
    return `<${this.label}${shape}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function describeInput(input: unknown): string {
  if (Array.isArray(input)) return `a list of ${input.length}`;
  if (input === null || input === undefined) return String(input);
  if (isKerasTensor(input)) return input.toString();
  if (typeof input === 'object') return (input as object).constructor?.name ?? 'an object';
  return typeof input;
}
