/** Mean over leading or middle axes without the wasm kernel's transpose; see reduction.ts. */
import { tf } from '../../tf';
import { middleAxesReductionConfig } from './reduction';

export function makeMeanConfig(original: tf.KernelConfig): tf.KernelConfig {
  return middleAxesReductionConfig(original, 'mean');
}
