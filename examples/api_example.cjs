// The same model from CommonJS.
const { Input, Conv2D, Flatten, Dense, Model } = require('tfjs-keras');
const { lenet5 } = require('tfjs-keras/models');

const X = Input({ shape: [28, 28, 1] });
const Y = Dense(10, { activation: 'softmax' })(Flatten()(Conv2D(6, { kernelSize: 5 })(X)));
console.log(Model(X, Y).countParams(), lenet5().countParams());
