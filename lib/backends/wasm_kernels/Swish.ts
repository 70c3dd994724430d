/**
 * Swish and its gradient on wasm, one pass each (see lib/swish for the op that calls them).
 * The forward kernel returns y = x * sigmoid(x) and s = sigmoid(x); the gradient kernel takes y,
 * s and dy, so it needs no exp. Where our own kernels run (the threaded backend), each is a SIMD
 * pass of swish_wat, split over the threads for large tensors; elsewhere, or for fewer than 8
 * values, a JS pass on the heap.
 */
import { SWISH_GRAD_KERNEL, SWISH_KERNEL } from '../../swish';
import { tf } from '../../tf';
import { asWasmBackend, heapOffset, heapView, requireFloat32, requireFloat32Sizes, requireInput, type KernelArgs, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';
import { SWISH_UNIT_VALUES } from './swish_wat';

export function swishKernel({ inputs, backend }: KernelArgs): TensorInfo[] {
  const wasm = asWasmBackend(backend, SWISH_KERNEL);
  const x = requireInput(inputs, 'x', SWISH_KERNEL);
  requireFloat32(x, SWISH_KERNEL);
  const y = wasm.makeOutput(x.shape, 'float32');
  const s = wasm.makeOutput(x.shape, 'float32');
  const count = tf.util.sizeFromShape(x.shape);
  const own = ownKernels();
  if (own !== null && count >= SWISH_UNIT_VALUES) {
    own.swish({ x: heapOffset(wasm, x), y: heapOffset(wasm, y), s: heapOffset(wasm, s), count });
    return [y, s];
  }
  const values = heapView(wasm, x);
  const swishes = heapView(wasm, y);
  const sigmoids = heapView(wasm, s);
  for (let i = 0; i < count; i++) {
    const value = values[i] as number;
    const sigmoid = 1 / (1 + Math.exp(-value));
    sigmoids[i] = sigmoid;
    swishes[i] = value * sigmoid;
  }
  return [y, s];
}

export function swishGradKernel({ inputs, backend }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, SWISH_GRAD_KERNEL);
  const [y, s, dy] = ['y', 's', 'dy'].map((name) => requireInput(inputs, name, SWISH_GRAD_KERNEL)) as [TensorInfo, TensorInfo, TensorInfo];
  const count = tf.util.sizeFromShape(y.shape);
  requireFloat32Sizes(SWISH_GRAD_KERNEL, ['y', y], [['y', y, count], ['s', s, count], ['dy', dy, count]]);
  const dx = wasm.makeOutput(y.shape, 'float32');
  const own = ownKernels();
  if (own !== null && count >= SWISH_UNIT_VALUES) {
    own.swishGrad({ y: heapOffset(wasm, y), s: heapOffset(wasm, s), dy: heapOffset(wasm, dy), dx: heapOffset(wasm, dx), count });
    return dx;
  }
  const swishes = heapView(wasm, y);
  const sigmoids = heapView(wasm, s);
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  for (let i = 0; i < count; i++) {
    const sigmoid = sigmoids[i] as number;
    gradIn[i] = (gradOut[i] as number) * (sigmoid + (swishes[i] as number) * (1 - sigmoid));
  }
  return dx;
}

export const swishConfig: tf.KernelConfig = { kernelName: SWISH_KERNEL, backendName: 'wasm', kernelFunc: swishKernel };
export const swishGradConfig: tf.KernelConfig = { kernelName: SWISH_GRAD_KERNEL, backendName: 'wasm', kernelFunc: swishGradKernel };
