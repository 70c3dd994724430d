// The README's API example, as a plain ES module importing the package by name.
import { clearSession, Input, Conv2D, MaxPool2D, Flatten, Dense, Model, tf } from 'tfjs-keras';

clearSession();
const X = Input({ shape: [28, 28, 1] });
let H = Conv2D(6, { kernelSize: 5, padding: 'same', activation: 'swish' })(X);
H = MaxPool2D()(H);
H = Conv2D(16, { kernelSize: 5, activation: 'swish' })(H);
H = MaxPool2D({ poolSize: 2, strides: 2, padding: 'valid' })(H);
H = Flatten()(H);
H = Dense(120, { activation: 'swish' })(H);
H = Dense(84, { activation: 'swish' })(H);
const Y = Dense(10, { activation: 'softmax' })(H);
const model = Model(X, Y);
model.summary();
console.log(JSON.stringify(model.layers[3].outputShape), model.layers[3].countParams(), model.countParams());
const y = model.predict(tf.zeros([2, 28, 28, 1]));
console.log(JSON.stringify(y.shape));
