/**
 * Registers on TensorFlow.js's wasm backend the kernels that training needs and that the
 * backend lacks or runs slowly. Each kernel's file says what it replaces and why.
 */
import { tf } from '../../tf';
import { adamConfig } from './Adam';
import { makeAddConfig } from './Add';
import { avgPoolGradConfig } from './AvgPoolGrad';
import { batchNormGradConfig } from './BatchNormGrad';
import { makeBatchMatMulConfig } from './BatchMatMul';
import { makeCastConfig } from './Cast';
import { makeConv2DConfig, makeFusedConv2DConfig } from './Conv2D';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput';
import { makeFusedBatchNormConfig } from './FusedBatchNorm';
import { makeFusedMatMulConfig } from './_FusedMatMul';
import { makeIdentityConfig } from './Identity';
import { getWasmKernel, loadWasmBackendPackage } from './kernel_utils';
import { makeMeanConfig } from './Mean';
import { momentsConfig } from './Moments';
import { maxPoolGradConfig } from './MaxPoolGrad';
import { reluGradConfig } from './ReluGrad';
import { makeSumConfig } from './Sum';
import { swishConfig, swishGradConfig } from './Swish';
import { makeTileConfig } from './Tile';

/**
 * Each kernel with how to build it. Replacements that still call the backend's own kernel for
 * some inputs are built around it, so they are built only when registered.
 */
const TRAINING_KERNELS: ReadonlyArray<readonly [string, () => tf.KernelConfig]> = [
  [tf.Conv2D, () => makeConv2DConfig(getWasmKernel(tf.Conv2D))],
  [tf.FusedConv2D, () => makeFusedConv2DConfig(getWasmKernel(tf.FusedConv2D))],
  [tf.Conv2DBackpropFilter, () => conv2DBackpropFilterConfig],
  [tf.Conv2DBackpropInput, () => conv2DBackpropInputConfig],
  [tf.MaxPoolGrad, () => maxPoolGradConfig],
  [tf.AvgPoolGrad, () => avgPoolGradConfig],
  [tf.BatchMatMul, () => makeBatchMatMulConfig(getWasmKernel(tf.BatchMatMul))],
  [tf._FusedMatMul, () => makeFusedMatMulConfig(getWasmKernel(tf._FusedMatMul))],
  [tf.FusedBatchNorm, () => makeFusedBatchNormConfig(getWasmKernel(tf.FusedBatchNorm))],
  [tf.Tile, () => makeTileConfig(getWasmKernel(tf.Tile))],
  [tf.Sum, () => makeSumConfig(getWasmKernel(tf.Sum))],
  [tf.Mean, () => makeMeanConfig(getWasmKernel(tf.Mean))],
  [tf.Identity, () => makeIdentityConfig(getWasmKernel(tf.Identity))],
  [tf.Cast, () => makeCastConfig(getWasmKernel(tf.Cast))],
  [tf.Add, () => makeAddConfig(getWasmKernel(tf.Add))],
  [swishConfig.kernelName, () => swishConfig],
  [batchNormGradConfig.kernelName, () => batchNormGradConfig],
  [momentsConfig.kernelName, () => momentsConfig],
  [reluGradConfig.kernelName, () => reluGradConfig],
  [adamConfig.kernelName, () => adamConfig],
  [swishGradConfig.kernelName, () => swishGradConfig],
];

/** The kernels this module registers, by tfjs kernel name. */
export const WASM_TRAINING_KERNELS: readonly string[] = TRAINING_KERNELS.map(([kernelName]) => kernelName);

/** Kernel functions registered here, to recognise them when asked to register twice. */
const ownKernelFuncs = new WeakSet<tf.KernelFunc>();

function isRegistered(kernelName: string): boolean {
  const current = tf.getKernel(kernelName, 'wasm');
  return current !== undefined && ownKernelFuncs.has(current.kernelFunc);
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
  ownKernelFuncs.add(config.kernelFunc);
}

/**
 * Registers the training kernels for the 'wasm' backend, loading '@tensorflow/tfjs-backend-wasm'
 * if needed. Idempotent: a second call finds its own kernels in place and leaves them, so the
 * backend's originals that the first call wrapped stay wrapped once.
 */
export function registerWasmTrainingKernels(): void {
  loadWasmBackendPackage();
  for (const [kernelName, build] of TRAINING_KERNELS) {
    if (!isRegistered(kernelName)) replaceKernel(build());
  }
}
