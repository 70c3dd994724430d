import { Conv2D, Dense, Flatten, Input, MaxPool2D, Model, type FunctionalModel } from '../lib';
import type { ZooOptions } from './zoo_options';

/**
 * The PyTorch course's MNIST CNN: Conv(32, 3, same) ReLU, MaxPool(2), Conv(64, 3, same) ReLU,
 * MaxPool(2), Flatten (7x7x64 = 3136), Dense(classes, softmax).
 */
export function mnistCnn({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = Conv2D(32, 3, { padding: 'same', activation: 'relu' })(X);
  H = MaxPool2D(2)(H);
  H = Conv2D(64, 3, { padding: 'same', activation: 'relu' })(H);
  H = MaxPool2D(2)(H);
  H = Flatten()(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
