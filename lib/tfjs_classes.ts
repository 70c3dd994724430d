/**
 * TensorFlow.js's own classes, for the subclasses that replace a method of theirs: tf.layers
 * exports factories, not classes, and its serialization registry holds the classes by name.
 */
import { KerasError } from './errors';
import { tf } from './tf';

/** The class TensorFlow.js has registered under `className` (a layer or an activation). */
export function registeredTfjsClass(className: string): unknown {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new KerasError(`TensorFlow.js has no class '${className}' registered`);
  return entry[0];
}
