/**
 * ReLU's gradient from its output on wasm (see lib/relu for the op that calls it): one SIMD pass
 * of relu_grad_wat where our own kernels run, split over the threads for large tensors;
 * elsewhere, or for fewer than 4 values, a JS pass on the heap.
 */
import { RELU_GRAD_KERNEL } from '../../relu';
import { tf } from '../../tf';
import { asWasmBackend, heapOffset, heapView, requireFloat32Sizes, requireInput, sizeOf, type KernelArgs, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';
import { RELU_GRAD_MIN_VALUES } from './relu_grad_wat';

export function reluGrad({ inputs, backend }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, RELU_GRAD_KERNEL);
  const y = requireInput(inputs, 'y', RELU_GRAD_KERNEL);
  const dy = requireInput(inputs, 'dy', RELU_GRAD_KERNEL);
  const count = sizeOf(y);
  requireFloat32Sizes(RELU_GRAD_KERNEL, ['y', y], [['y', y, count], ['dy', dy, count]]);
  const dx = wasm.makeOutput(y.shape, 'float32');
  const own = ownKernels();
  if (own !== null && count >= RELU_GRAD_MIN_VALUES) {
    own.reluGrad({ y: heapOffset(wasm, y), dy: heapOffset(wasm, dy), dx: heapOffset(wasm, dx), count });
    return dx;
  }
  const outputs = heapView(wasm, y);
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  for (let i = 0; i < count; i++) {
    const output = outputs[i] as number;
    gradIn[i] = output > 0 ? (gradOut[i] as number) : Number.isNaN(output) ? output : 0;
  }
  return dx;
}

export const reluGradConfig: tf.KernelConfig = { kernelName: RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: reluGrad };
