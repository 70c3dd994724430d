import * as args from '../args';
import { nextSeed } from '../session';
import type { Shape } from '../shapes';
import { tf } from '../tf';
import { Layer, type LayerOptions } from './layer';

/** Options of `Dropout`. */
export interface DropoutOptions extends LayerOptions {
  /** Seed of the dropout mask. Default: derived from `setRandomSeed`, else random. */
  seed?: number;
}

/** Zeroes a fraction `rate` of the inputs while training (scaling the rest by 1 / (1 - rate)). */
export class DropoutLayer extends Layer {
  readonly rate: number;
  readonly tfLayer: tf.layers.Layer;

  constructor(rate: number, options: DropoutOptions) {
    super('Dropout', options, ['seed']);
    this.rate = args.fraction(this.label, 'rate', rate);
    const seed = options.seed === undefined ? nextSeed() : args.integer(this.label, 'seed', options.seed);
    this.tfLayer = this.wrap(tf.layers.dropout({ name: this.name, rate: this.rate, ...(seed === undefined ? {} : { seed }) }), options);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** `Dropout(0.2)`. */
export function Dropout(rate: number, options: DropoutOptions = {}): DropoutLayer {
  return new DropoutLayer(rate, options);
}
