import { Conv2D, Dense, Flatten, Input, MaxPool2D, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/** LeNet-5 as the Keras course writes it (swish, 'same' first convolution): 61,706 params on MNIST. */
export function lenet5({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = Conv2D(6, { kernelSize: 5, padding: 'same', activation: 'swish' })(X);
  H = MaxPool2D()(H);
  H = Conv2D(16, { kernelSize: 5, activation: 'swish' })(H);
  H = MaxPool2D()(H);
  H = Flatten()(H);
  H = Dense(120, { activation: 'swish' })(H);
  H = Dense(84, { activation: 'swish' })(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
