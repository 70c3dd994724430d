import { Conv2D, Dense, Flatten, Input, MaxPool2D, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/** The lecture's third step: pooling after each convolution; 9,532 params, the table in MODELS.md. */
export function lecturePool({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = Conv2D(3, 5, { activation: 'swish' })(X);
  H = MaxPool2D()(H);
  H = Conv2D(6, 5, { activation: 'swish' })(H);
  H = MaxPool2D()(H);
  H = Flatten()(H);
  H = Dense(84, { activation: 'swish' })(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
