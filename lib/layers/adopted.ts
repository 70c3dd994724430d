import type { Shape } from '../format';
import { KerasTensor } from '../keras_tensor';
import type { tf } from '../tf';
import { Layer } from './layer';

/**
 * A tf.layers layer that tfjs-keras did not make, such as one of a model loaded from disk:
 * wrapped as is, so that the model answers for its summary, shapes and training like any other.
 */
export class AdoptedLayer extends Layer {
  readonly tfLayer: tf.layers.Layer;

  constructor(tfLayer: tf.layers.Layer) {
    super(tfLayer.getClassName(), { name: tfLayer.name }, []);
    this.tfLayer = this.wrap(tfLayer, {});
    for (const node of tfLayer.inboundNodes) {
      for (const output of node.outputTensors) this.outputs.push(new KerasTensor(output, this, output.shape));
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const shape = this.tfLayer.computeOutputShape(inputShape.slice() as (number | null)[]);
    return shape as Shape;
  }
}
