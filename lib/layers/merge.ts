import * as args from '../args';
import { concatenateOutputShape, elementwiseOutputShape, type Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';
import type { KerasTensor } from '../keras_tensor';

/** Layers that join several tensors into one. */
abstract class MergeLayer extends Layer<readonly KerasTensor[]> {
  protected override takesList(): boolean {
    return true;
  }
}

/** Options of `Concatenate`. */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis joined along; the channels by default: `-1`. */
  axis?: number;
}

/** Joins tensors along an axis: `Concatenate()([a, b])`. */
export class ConcatenateLayer extends MergeLayer {
  readonly axis: number;
  readonly tfLayer: tf.layers.Layer;

  constructor(options: ConcatenateOptions) {
    super('Concatenate', options, ['axis']);
    this.axis = args.integer(this.label, 'axis', options.axis ?? -1);
    this.tfLayer = this.wrap(tf.layers.concatenate({ name: this.name, axis: this.axis }), options);
  }

  override computeOutputShape(inputShapes: Shape[]): Shape {
    return concatenateOutputShape(this.label, inputShapes, this.axis);
  }
}

/** Adds tensors of one shape element by element: `Add()([a, b])`, as in residual blocks. */
export class AddLayer extends MergeLayer {
  readonly tfLayer: tf.layers.Layer;

  constructor(options: LayerOptions) {
    super('Add', options, []);
    this.tfLayer = this.wrap(tf.layers.add({ name: this.name }), options);
  }

  override computeOutputShape(inputShapes: Shape[]): Shape {
    return elementwiseOutputShape(this.label, inputShapes);
  }
}

export function Concatenate(options: ConcatenateOptions = {}): ConcatenateLayer {
  return new ConcatenateLayer(options);
}

export function Add(options: LayerOptions = {}): AddLayer {
  return new AddLayer(options);
}
