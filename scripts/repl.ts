/**
 * `npm run repl`: a Node REPL with every tfjs-keras export and every zoo builder in scope, so that
 * `lenet5().summary()` works as typed.
 */
import repl from 'repl';
import * as keras from '../lib';
import * as zoo from '../models';

const context: Record<string, unknown> = { ...keras, ...zoo, keras };
const names = Object.keys(context).filter((key) => /^[A-Za-z]/.test(key)).sort();
console.log(`tfjs-keras REPL: ${names.length} names in scope, e.g. lenet5().summary(), Input, Conv2D, Model, tf.`);
const server = repl.start({ prompt: 'tfjs-keras> ', useGlobal: false });
Object.assign(server.context, context);
