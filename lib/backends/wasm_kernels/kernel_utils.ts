/**
 * Shared plumbing for the training kernels that this library registers on TensorFlow.js's wasm
 * backend: calling the backend's own kernels, reading and writing the wasm heap from JS, and
 * freeing intermediates.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError } from '../../errors';
import { tf } from '../../tf';

export type TensorInfo = tf.TensorInfo;
export type Shape4D = [number, number, number, number];

/** The arguments tfjs passes to every kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: object;
  attrs?: tf.NamedAttrMap;
}

/** Narrows the backend handed to a kernel, so that a wrong registration fails loudly, not silently. */
export function asWasmBackend(backend: object, kernelName: string): BackendWasm {
  const candidate = backend as Partial<BackendWasm>;
  if (typeof candidate.typedArrayFromHeap !== 'function' || candidate.dataIdMap === undefined) {
    throw new BackendError('wasm', `kernel ${kernelName} ran on a backend that is not wasm`);
  }
  return backend as BackendWasm;
}

export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): TensorInfo {
  const input = inputs[name];
  if (input === undefined) {
    throw new BackendError('wasm', `kernel ${kernelName} was called without its input '${name}'`);
  }
  return input;
}

export function requireFloat32(info: TensorInfo, kernelName: string): void {
  if (info.dtype !== 'float32') {
    throw new BackendError('wasm', `kernel ${kernelName} supports float32 only, got ${info.dtype}`);
  }
}

/**
 * Checks that each input is float32 and holds its expected number of values; a wrong size is
 * named beside the shape of `reference`, the input the others are measured against.
 */
export function requireFloat32Sizes(
  kernelName: string,
  reference: readonly [name: string, info: TensorInfo],
  expected: readonly (readonly [name: string, info: TensorInfo, size: number])[],
): void {
  for (const [name, info, size] of expected) {
    requireFloat32(info, kernelName);
    if (tf.util.sizeFromShape(info.shape) !== size) {
      throw new BackendError('wasm', `kernel ${kernelName}: ${name} has shape [${info.shape.join(', ')}], ${reference[0]} has [${reference[1].shape.join(', ')}]`);
    }
  }
}

export function asShape4D(shape: readonly number[], what: string, kernelName: string): Shape4D {
  const [a, b, c, d] = shape;
  if (shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new BackendError('wasm', `kernel ${kernelName}: ${what} must be rank 4, got [${shape.join(', ')}]`);
  }
  return [a, b, c, d];
}

/**
 * The geometry of a forward convolution of `x` by `filter`; null unless both are float32 and
 * rank 4, the only convolutions our kernels take.
 */
export function float32ConvolutionInfo(x: TensorInfo, filter: TensorInfo, attrs: tf.Conv2DAttrs, kernelName: string): tf.backend_util.Conv2DInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  return tf.backend_util.computeConv2DInfo(
    asShape4D(x.shape, 'x', kernelName),
    asShape4D(filter.shape, 'filter', kernelName),
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
}

/** The attributes the two convolution-gradient kernels share. */
export type ConvolutionGradientAttrs = Pick<tf.Conv2DBackpropInputAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>;

/**
 * The forward convolution whose gradient a kernel computes, from its input and filter shapes;
 * throws when dy does not have the shape that convolution gives.
 */
export function convolutionOfGradient(
  inShape: Shape4D,
  filterShape: Shape4D,
  attrs: ConvolutionGradientAttrs,
  dy: TensorInfo,
  kernelName: string,
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (dy.shape.join(',') !== info.outShape.join(',')) {
    throw new BackendError(
      'wasm',
      `kernel ${kernelName}: dy has shape [${dy.shape.join(', ')}], the convolution gives [${info.outShape.join(', ')}]`,
    );
  }
  return info;
}

/** Looks a kernel up in the wasm registry at call time, so that replacements registered later win. */
export function getWasmKernel(kernelName: string): tf.KernelConfig {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new BackendError(
      'wasm',
      `kernel ${kernelName} is not registered; import '@tensorflow/tfjs-backend-wasm' first`,
    );
  }
  return kernel;
}

/** Runs a single-output kernel with the given implementation on the wasm backend. */
export function runKernelFunc(
  kernel: tf.KernelConfig,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: BackendWasm,
): TensorInfo {
  const output = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(output)) {
    throw new BackendError('wasm', `kernel ${kernel.kernelName} returned several outputs where one was expected`);
  }
  return output;
}

/** Runs the kernel currently registered for wasm under `kernelName`. */
export function runWasmKernel(
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: BackendWasm,
): TensorInfo {
  return runKernelFunc(getWasmKernel(kernelName), inputs, attrs, backend);
}

/**
 * Tensors that a kernel makes for its own use. Kernels run outside tfjs's tidy scopes, so
 * whatever they allocate and do not return must be freed by hand, also when they throw.
 */
export class Intermediates {
  private readonly owned: TensorInfo[] = [];

  constructor(private readonly backend: BackendWasm) {}

  keep<T extends TensorInfo>(info: T): T {
    this.owned.push(info);
    return info;
  }

  /** Hands `info` back to the caller, who then owns it. */
  release<T extends TensorInfo>(info: T): T {
    const index = this.owned.indexOf(info);
    if (index >= 0) this.owned.splice(index, 1);
    return info;
  }

  disposeAll(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}

/** Runs `body` with an `Intermediates` that is emptied however `body` ends. */
export function withIntermediates<T>(backend: BackendWasm, body: (scratch: Intermediates) => T): T {
  const scratch = new Intermediates(backend);
  try {
    return body(scratch);
  } finally {
    scratch.disposeAll();
  }
}

/** The number of elements of a tensor. */
export function sizeOf(info: TensorInfo): number {
  return tf.util.sizeFromShape(info.shape);
}

/**
 * A float32 view of a tensor's memory on the wasm heap. Take views only after the last
 * allocation of a kernel: an allocation may grow the heap and detach every earlier view.
 */
export function heapView(backend: BackendWasm, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new BackendError('wasm', `expected a float32 tensor on the heap, got ${info.dtype}`);
  }
  return view;
}

/** The byte offset of a tensor's data in the wasm heap, for our own kernels to read it in place. */
export function heapOffset(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new BackendError('wasm', 'a tensor passed to a kernel has no data on the heap');
  return data.memoryOffset;
}

/** A tensor that shares `info`'s memory under another shape of the same size. */
export function reshapeInfo(backend: BackendWasm, info: TensorInfo, shape: number[]): TensorInfo {
  return runWasmKernel('Reshape', { x: info }, { shape }, backend);
}

export function transposeInfo(backend: BackendWasm, info: TensorInfo, perm: number[]): TensorInfo {
  return runWasmKernel('Transpose', { x: info }, { perm }, backend);
}

/** NCHW to NHWC. */
export const CHANNELS_FIRST_TO_LAST = [0, 2, 3, 1];
/** NHWC to NCHW. */
export const CHANNELS_LAST_TO_FIRST = [0, 3, 1, 2];

/** Explicit [top, bottom] / [left, right] padding in the form the wasm Conv2D kernel accepts. */
export function explicitPadding(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

type WasmBackendPackage = typeof import('@tensorflow/tfjs-backend-wasm');

/**
 * Loads '@tensorflow/tfjs-backend-wasm' on first use rather than at import time: loading it
 * registers 'wasm' above 'cpu' in tfjs's backend priorities, and from then on any tfjs call made
 * before an explicit `setBackend` throws "the highest priority backend 'wasm' has not yet been
 * initialized". Only code that asks for wasm should pay that.
 */
export function loadWasmBackendPackage(): WasmBackendPackage {
  return require('@tensorflow/tfjs-backend-wasm') as WasmBackendPackage;
}

/**
 * A kernel config that replaces `original` with `kernelFunc` and keeps the original's setup:
 * tfjs runs a kernel's setupFunc only for the config registered when the backend starts, and
 * the replacement still calls into the original.
 */
export function replacementConfig(original: tf.KernelConfig, kernelFunc: (args: KernelArgs) => TensorInfo): tf.KernelConfig {
  const config: tf.KernelConfig = { kernelName: original.kernelName, backendName: 'wasm', kernelFunc };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}
