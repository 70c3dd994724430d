/**
 * One Adam step of one weight on wasm (see training/adam for the optimizer that calls it): one
 * SIMD pass of adam_wat where our own kernels run, split over the threads for large weights;
 * elsewhere, or for fewer than 4 values, a JS pass on the heap in float32 steps.
 */
import { tf } from '../../tf';
import { ADAM_KERNEL } from '../../training/adam';
import { ADAM_MIN_VALUES, ADAM_PARAMETERS } from './adam_wat';
import { asWasmBackend, heapOffset, heapView, requireFloat32Sizes, requireInput, sizeOf, withIntermediates, type KernelArgs, type TensorInfo } from './kernel_utils';
import { ownKernels } from './own_kernels';

interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export function adam({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const wasm = asWasmBackend(backend, ADAM_KERNEL);
  const input = (name: string): TensorInfo => requireInput(inputs, name, ADAM_KERNEL);
  const [value, m, v, gradient, accBeta1, accBeta2] = [input('value'), input('m'), input('v'), input('gradient'), input('accBeta1'), input('accBeta2')];
  const count = sizeOf(value);
  const expected = [['value', value, count], ['m', m, count], ['v', v, count], ['gradient', gradient, count], ['accBeta1', accBeta1, 1], ['accBeta2', accBeta2, 1]] as const;
  requireFloat32Sizes(ADAM_KERNEL, ['value', value], expected);
  const { learningRate, beta1, beta2, epsilon } = attrs as unknown as AdamAttrs;
  // As tfjs's scalars: each a float32, 1 - beta^t computed in float32 from the float32 beta^t.
  const f32 = Math.fround;
  const parameters: Record<(typeof ADAM_PARAMETERS)[number], number> = {
    beta1: f32(beta1),
    oneMinusBeta1: f32(1 - beta1),
    beta2: f32(beta2),
    oneMinusBeta2: f32(1 - beta2),
    oneMinusAccBeta1: f32(1 - (heapView(wasm, accBeta1)[0] as number)),
    oneMinusAccBeta2: f32(1 - (heapView(wasm, accBeta2)[0] as number)),
    epsilon: f32(epsilon),
    minusLearningRate: f32(-learningRate),
  };
  const outputs = [value, m, v].map((like) => wasm.makeOutput(like.shape, 'float32')) as [TensorInfo, TensorInfo, TensorInfo];
  const own = ownKernels();
  if (own !== null && count >= ADAM_MIN_VALUES) {
    withIntermediates(wasm, (scratch) => {
      const table = scratch.keep(wasm.makeOutput([ADAM_PARAMETERS.length], 'float32'));
      heapView(wasm, table).set(ADAM_PARAMETERS.map((name) => parameters[name]));
      const [newValue, newM, newV] = outputs.map((info) => heapOffset(wasm, info)) as [number, number, number];
      own.adam({ w: heapOffset(wasm, value), m: heapOffset(wasm, m), v: heapOffset(wasm, v), g: heapOffset(wasm, gradient), parameters: heapOffset(wasm, table), newW: newValue, newM, newV, count });
    });
    return outputs;
  }
  const [w, firstMoments, secondMoments, g] = [value, m, v, gradient].map((info) => heapView(wasm, info)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [newW, newM, newV] = outputs.map((info) => heapView(wasm, info)) as [Float32Array, Float32Array, Float32Array];
  const p = parameters;
  for (let i = 0; i < count; i++) {
    const grad = g[i] as number;
    const first = f32(f32((firstMoments[i] as number) * p.beta1) + f32(grad * p.oneMinusBeta1));
    const second = f32(f32((secondMoments[i] as number) * p.beta2) + f32(f32(grad * grad) * p.oneMinusBeta2));
    newM[i] = first;
    newV[i] = second;
    const step = f32(f32(first / p.oneMinusAccBeta1) / f32(f32(Math.sqrt(f32(second / p.oneMinusAccBeta2))) + p.epsilon));
    newW[i] = f32(step * p.minusLearningRate) + (w[i] as number);
  }
  return outputs;
}

export const adamConfig: tf.KernelConfig = { kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adam };
