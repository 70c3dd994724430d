/** Measures for checking one backend against another (the cpu backend as the reference). */
import { tf } from '../tf';

/** The largest absolute difference, relative to the largest magnitude of the reference; Infinity for NaN or a length mismatch. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  }
  if (Number.isNaN(difference)) return Infinity;
  return scale === 0 ? difference : difference / scale;
}

/** Data buffers held by the active backend: kernels that leak intermediates make this grow. */
export function heldBuffers(): number {
  return tf.engine().backend.numDataIds();
}
