import {
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  Input,
  MaxPool2D,
  Model,
  type FunctionalModel,
  type KerasTensor,
} from '../lib';
import type { ZooOptions } from './zoo_options';

/** conv-BN-conv-BN-pool, the VGG-style block. */
function vggBlock(input: KerasTensor, filters: number): KerasTensor {
  let H = Conv2D(filters, 3, { padding: 'same', activation: 'relu' })(input);
  H = BatchNormalization()(H);
  H = Conv2D(filters, 3, { padding: 'same', activation: 'relu' })(H);
  H = BatchNormalization()(H);
  return MaxPool2D(2)(H);
}

/**
 * The VGG-style CIFAR-10 net: three blocks of 32, 64, 128 filters, Flatten (4x4x128 = 2048),
 * Dropout(0.5), Dense(1024, relu), Dropout(0.2), Dense(classes, softmax). 2,397,226 params, of
 * which BatchNormalization's 896 moving statistics are not trainable.
 */
export function vggCifar({ inputShape = [32, 32, 3], classes = 10 }: ZooOptions = {}): FunctionalModel {
  const X = Input({ shape: inputShape });
  let H = vggBlock(X, 32);
  H = vggBlock(H, 64);
  H = vggBlock(H, 128);
  H = Flatten()(H);
  H = Dropout(0.5)(H);
  H = Dense(1024, { activation: 'relu' })(H);
  H = Dropout(0.2)(H);
  const Y = Dense(classes, { activation: 'softmax' })(H);
  return Model(X, Y);
}
