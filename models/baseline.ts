import { Conv2D, Dense, Dropout, Flatten, Input, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/**
 * The PyTorch course's three-conv baseline, channels last: three stride-2 3x3 convolutions
 * (32, 64, 128 filters, no padding, ReLU), then Dropout, Dense(hidden, relu), Dropout(0.2),
 * Dense(classes, softmax). Colour input (CIFAR-10) takes the course's CIFAR-10 variant: a
 * 1024-unit hidden layer after Dropout(0.5); grey input (Fashion-MNIST) 512 units after Dropout(0.2).
 */
export function baseline({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const colour = inputShape[inputShape.length - 1] === 3;
  const X = Input({ shape: inputShape });
  let H = Conv2D(32, 3, { strides: 2, activation: 'relu' })(X);
  H = Conv2D(64, 3, { strides: 2, activation: 'relu' })(H);
  H = Conv2D(128, 3, { strides: 2, activation: 'relu' })(H);
  H = Flatten()(H);
  H = Dropout(colour ? 0.5 : 0.2)(H);
  H = Dense(colour ? 1024 : 512, { activation: 'relu' })(H);
  H = Dropout(0.2)(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
