/**
 * RMSprop as Keras 2.11 computes it: v = rho * v + (1 - rho) * g^2, then
 * w -= lr * g / (sqrt(v) + epsilon). TensorFlow.js's rmsprop divides by sqrt(v + epsilon)
 * instead, which shrinks the steps of weights whose gradients are small (|g| near sqrt(epsilon))
 * and measurably slows the course's LeNet-5 in its first epoch.
 */
import { tf } from '../tf';

/** A named weight, as tf.Optimizer saves and restores them. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slot {
  /** The name saved with the optimiser's weights. */
  readonly name: string;
  readonly velocity: tf.Variable;
}

export class KerasRMSprop extends tf.Optimizer {
  static className = 'KerasRMSprop';
  private slots: (Slot | undefined)[] = [];

  constructor(
    readonly learningRate = 0.001,
    readonly rho = 0.9,
    readonly epsilon = 1e-7,
  ) {
    super();
  }

  override applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(gradients)
      ? gradients.map((g) => [g.name, g.tensor])
      : Object.entries(gradients);
    entries.forEach(([name, gradient], i) => {
      const weight = tf.engine().registeredVariables[name];
      if (weight === undefined || gradient === undefined) return;
      const slot = (this.slots[i] ??= {
        name: `${name}/rms`,
        velocity: tf.tidy(() => tf.zerosLike(weight).variable(false)),
      });
      tf.tidy(() => {
        const velocity = slot.velocity.mul(this.rho).add(gradient.square().mul(1 - this.rho));
        slot.velocity.assign(velocity);
        weight.assign(weight.sub(gradient.div(velocity.sqrt().add(this.epsilon)).mul(this.learningRate)));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const slot of this.slots) slot?.velocity.dispose();
    this.slots = [];
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = this.slots.filter((slot): slot is Slot => slot !== undefined);
    return [await this.saveIterations(), ...slots.map((slot) => ({ name: slot.name, tensor: slot.velocity }))];
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    const slotWeights = await this.extractIterations(weights);
    for (const slot of this.slots) slot?.velocity.dispose();
    this.slots = slotWeights.map((weight) => ({ name: weight.name, velocity: weight.tensor.variable(false) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config['learningRate'], config['rho'], config['epsilon']);
  }
}

tf.serialization.registerClass(KerasRMSprop);
