import { Dense, Flatten, Input, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/** The lecture's first step, no convolution: Input [28, 28] -> Flatten -> Dense(84, swish) -> Dense(10, softmax). */
export function lectureDense({ inputShape = [28, 28], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = Flatten()(X);
  H = Dense(84, { activation: 'swish' })(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
