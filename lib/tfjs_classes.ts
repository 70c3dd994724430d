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

/** What tf.layers's activation classes have in common: they map a tensor to a tensor. */
interface ActivationClass {
  new (): { apply(x: tf.Tensor): tf.Tensor };
  readonly className: string;
}

/**
 * Replaces the activation class tf.layers registers as `className` with a subclass whose
 * `apply` is `op`: every layer that names the activation uses it from then on, loaded models
 * included, and saves the same name.
 */
export function replaceTfjsActivation(className: string, op: (x: tf.Tensor) => tf.Tensor): void {
  const TfActivation = registeredTfjsClass(className) as ActivationClass;
  class OneOpActivation extends TfActivation {
    override apply(x: tf.Tensor): tf.Tensor {
      return op(x);
    }
  }
  tf.serialization.registerClass(OneOpActivation as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}
