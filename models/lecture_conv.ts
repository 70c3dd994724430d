import { Conv2D, Dense, Flatten, Input, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/** The lecture's second step: two 5x5 convolutions (3 then 6 filters, swish), no pooling. */
export function lectureConv({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = Conv2D(3, 5, { activation: 'swish' })(X);
  H = Conv2D(6, 5, { activation: 'swish' })(H);
  H = Flatten()(H);
  H = Dense(84, { activation: 'swish' })(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
