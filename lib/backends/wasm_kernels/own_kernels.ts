/**
 * Our own WebAssembly kernels, run directly on the wasm backend's heap by every thread.
 *
 * The threaded wasm backend keeps its tensors in one shared WebAssembly.Memory. A module of ours
 * that imports that memory reads and writes tensors in place, with no copies; worker threads
 * that instantiate the same module on the same memory split the work, started and joined through
 * Atomics on a small shared control block (the calling thread does one share itself and waits,
 * so a kernel stays synchronous, as tfjs kernels must be); on one thread there are no workers.
 * The single-threaded build does not expose its memory, so there these kernels are absent and
 * callers keep their fallbacks.
 */
import { Worker } from 'node:worker_threads';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError, messageOf } from '../../errors';
import { adamFunction } from './adam_wat';
import { addColumnsFunction } from './add_columns_wat';
import { channelAffineFunctions } from './channel_affine_wat';
import { channelSumsFunctions } from './channel_sums_wat';
import { DX_GEOMETRY_PARAMS } from './dx_pixels_wat';
import { filterGradientDefinitions } from './filter_gradient_wat';
import { inputGradientFunction } from './input_gradient_wat';
import { matMulDefinitions, matMulSlotFloats, type MatMulBlocks } from './mat_mul_wat';
import { maxPoolGrad2x2Function } from './max_pool_grad_wat';
import { reluGradFunction } from './relu_grad_wat';
import { singleChannelConvFunctions } from './single_channel_conv_wat';
import { SWISH_UNIT_VALUES, swishFunctions } from './swish_wat';
import { WINOGRAD_ARG_COUNT, winogradFunction, winogradSlotFloats } from './winograd_wat';

/** A filter-gradient job: the tile table and what the module's `filterGradient` needs besides; all int32. */
export interface FilterGradientRun {
  /** Heap byte offset of the tile table and its entry count. */
  table: number;
  tiles: number;
  x: number;
  dy: number;
  dw: number;
  images: number;
  /** Images per cache block. */
  blockImages: number;
  /** Byte steps: one image of x and dy; one row and column of a tile in x, dy and dW. */
  steps: readonly [xImage: number, dyImage: number, xRow: number, xCol: number, dyRow: number, dyCol: number, dwRow: number];
}

/** A 2x2, stride 2 max-pool gradient job: heap byte offsets and the output's geometry. */
export interface MaxPoolGrad2x2Run {
  x: number;
  dy: number;
  dx: number;
  /** Output rows of the whole batch: batch * output height. */
  rows: number;
  outWidth: number;
  channels: number;
}

/** A single-input-channel, stride 1 convolution: see single_channel_conv_wat; pointers in bytes. */
export interface SingleChannelConvRun {
  /** The input, [batch, inHeight, inWidth, 1]. */
  x: number;
  inHeight: number;
  inWidth: number;
  /** Where the input is padded to: images of [paddedHeight, paddedWidth]. */
  padded: number;
  paddedHeight: number;
  paddedWidth: number;
  /** The input's place in each padded image. */
  top: number;
  left: number;
  /** [filterHeight, filterWidth, 1, channels]. */
  w: number;
  /** [channels] added to every output pixel, or 0 for none. */
  bias: number;
  /** [batch, outHeight, outWidth, channels]. */
  y: number;
  batch: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  channels: number;
}

/** Where a convolution's input gradient lands: dx's and dy's sizes, the window and the leading padding. */
export interface InputGradientGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  /** dx's channels. */
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Padding before the first row and column, >= 0. */
  top: number;
  left: number;
}

/** A col2im job: see add_columns_wat; pointers in bytes. */
export interface AddColumnsRun extends InputGradientGeometry {
  /** [batch, outHeight, outWidth, filterHeight * filterWidth * channels]. */
  columns: number;
  /** [batch, inHeight, inWidth, channels], written whole. */
  dx: number;
}

/** A direct convolution input-gradient job: see input_gradient_wat; pointers in bytes. */
export interface InputGradientRun extends InputGradientGeometry {
  /** [batch, outHeight, outWidth, outChannels], outChannels a multiple of 4. */
  dy: number;
  /** [filterHeight, filterWidth, channels, outChannels]. */
  w: number;
  /** [batch, inHeight, inWidth, channels], written whole. */
  dx: number;
  outChannels: number;
}

/**
 * A matrix product C[rows, columns] = A[rows, depth]·B[depth, columns]: see mat_mul_wat;
 * pointers in bytes. B and C are row-major, columns a multiple of 4.
 */
export interface MatMulRun {
  a: number;
  b: number;
  c: number;
  rows: number;
  depth: number;
  columns: number;
  /** Bytes from A's element (i, j) to (i + 1, j) and to (i, j + 1): 4 depth and 4 for A, 4 and 4 rows for Aᵀ. */
  aRowStep: number;
  aDepthStep: number;
  /** `matMulScratchFloats` floats the kernel may overwrite. */
  scratch: number;
  /** [columns] added to every row of C, or 0 for none. */
  bias: number;
}

/** A 3x3, stride 1 convolution by Winograd's F(2x2, 3x3): see winograd_wat; pointers in bytes. */
export interface WinogradConvRun {
  /** [batch, inHeight, inWidth, inChannels]. */
  x: number;
  /** The filter's transform, [16, inChannels, outChannels]. */
  u: number;
  /** [batch, outHeight, outWidth, outChannels], written whole. */
  y: number;
  /** [outChannels], or 0 for none. */
  bias: number;
  /** max(inChannels, outChannels) zeros, and as many floats the kernel may overwrite. */
  zero: number;
  sink: number;
  /** `winogradScratchFloats` floats the kernel may overwrite. */
  scratch: number;
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outChannels: number;
  outHeight: number;
  outWidth: number;
  /** Where output pixel (0, 0)'s window starts: top rows and left columns before the input's first. */
  top: number;
  left: number;
  /** Tiles of 2x2 output pixels per block: see winogradBlockTiles. */
  blockTiles: number;
  relu: boolean;
}

/** A swish job: heap byte offsets of the count (>= SWISH_UNIT_VALUES) values of each tensor. */
export interface SwishRun {
  /** The input. */
  x: number;
  /** Outputs: swish(x) and sigmoid(x). */
  y: number;
  s: number;
  count: number;
}

/** A swish-gradient job: y and s as the forward run wrote them, dy in and dx out. */
export interface SwishGradRun {
  y: number;
  s: number;
  dy: number;
  dx: number;
  count: number;
}

/** A per-channel job over x [pixels, channels] into y; heap byte offsets. */
export interface ChannelRun {
  x: number;
  y: number;
  pixels: number;
  channels: number;
}

/** Per-channel sums of x and dy [pixels, channels], chunked for float32 sums. */
export interface ChannelSumsRun {
  x: number;
  dy: number;
  /** [channels]: subtracted from x. */
  shift: number;
  /** [chunks, 2, channels]: each chunk's sum(dy) and sum(dy * (x - shift)). */
  partials: number;
  pixels: number;
  channels: number;
  chunkPixels: number;
}

/**
 * Below this many values a swish or per-channel job runs on the calling thread alone: waking the
 * workers costs more than they save.
 */
const ELEMENTWISE_PARALLEL_MIN_VALUES = 1 << 14;

/**
 * A matrix product's blocks: a panel of B (256 rows of 8 floats, 8 KiB) stays in the first-level
 * cache while the tiles of 128 rows of A (128 KiB, in the second-level cache) pass over it.
 */
const MAT_MUL_BLOCKS: MatMulBlocks = { depth: 256, rows: 128, slotFloats: matMulSlotFloats(256, 128) };

/** The module's exports, by the index a job names; each takes (first, end, ...arguments). */
const EXPORTS = [
  'filterGradient',
  'maxPoolGrad2x2',
  'swish',
  'swishGrad',
  'addBias',
  'normalizeChannels',
  'batchNormInputGradient',
  'channelSums',
  'centredSums',
  'reluGrad',
  'adam',
  'padImages',
  'singleChannelConv',
  'addColumns',
  'inputGradient',
  'matMul',
  'winogradConv',
] as const;
type ExportName = (typeof EXPORTS)[number];

type KernelFunction = (first: number, end: number, ...args: number[]) => void;

const GENERATION = 0;
const PENDING = 1;
const FAILED = 2;
/** Which export the job runs, and over how many work units (split evenly among threads). */
const KIND = 3;
const UNITS = 4;
const ARGS = 5;
const ARG_COUNT = Math.max(15, WINOGRAD_ARG_COUNT);

/** The module's text; it imports the shared memory it works on as `env.memory`. */
export function ownKernelsModuleText(): string {
  const memory = '(import "env" "memory" (memory 1 65536 shared))';
  const functions = [filterGradientDefinitions(), maxPoolGrad2x2Function(), swishFunctions(), channelAffineFunctions(), channelSumsFunctions(), reluGradFunction(), adamFunction(), singleChannelConvFunctions(), addColumnsFunction(), inputGradientFunction(), matMulDefinitions(), winogradFunction(MAT_MUL_BLOCKS)];
  return ['(module', memory, ...functions, ')'].join('\n');
}

/** Each worker: instantiate on the shared memory, then run its share of every job it is woken for. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index, threads, exportNames } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const kernels = exportNames.map((name) => instance.exports[name]);
const c = new Int32Array(control);
let seen = Atomics.load(c, ${GENERATION});
parentPort.postMessage('ready');
for (;;) {
  // A bounded wait returns to this loop, where a terminating process can stop the thread.
  Atomics.wait(c, ${GENERATION}, seen, 200);
  const generation = Atomics.load(c, ${GENERATION});
  if (generation === seen) continue;
  seen = generation;
  const units = c[${UNITS}];
  const first = Math.floor((units * index) / threads);
  const end = Math.floor((units * (index + 1)) / threads);
  try {
    kernels[c[${KIND}]](first, end, ...c.subarray(${ARGS}, ${ARGS + ARG_COUNT}));
  } catch (error) {
    Atomics.store(c, ${FAILED}, 1);
  }
  if (Atomics.sub(c, ${PENDING}, 1) === 1) Atomics.notify(c, ${PENDING});
}
`;

export class OwnKernels {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + ARG_COUNT)));
  private readonly workers: Worker[] = [];

  private constructor(
    readonly memory: WebAssembly.Memory,
    private readonly kernels: readonly KernelFunction[],
  ) {}

  /** Compiles the module and starts `threads - 1` workers on `memory`. */
  static async start(memory: WebAssembly.Memory, threads: number): Promise<OwnKernels> {
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat('own_kernels.wat', ownKernelsModuleText(), { simd: true, threads: true, bulk_memory: true });
    let binary: Uint8Array;
    try {
      binary = parsed.toBinary({}).buffer;
    } finally {
      parsed.destroy();
    }
    const module = new WebAssembly.Module(new Uint8Array(binary));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const kernels = new OwnKernels(memory, EXPORTS.map((name) => instance.exports[name] as KernelFunction));
    for (let index = 1; index < threads; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: kernels.control.buffer, index, threads, exportNames: EXPORTS },
      });
      worker.unref();
      kernels.workers.push(worker);
    }
    await Promise.all(
      kernels.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('message', () => resolve());
            worker.once('error', reject);
          }),
      ),
    );
    return kernels;
  }

  /** The threads that run a job, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Whether `bytes` past `offset` lie inside the memory (reads a little past a tensor are safe). */
  canRead(offset: number, bytes: number): boolean {
    return offset + bytes <= this.memory.buffer.byteLength;
  }

  /** Runs the filter-gradient tiles on every thread and returns when all are done. */
  filterGradient(job: FilterGradientRun): void {
    this.runOnAllThreads('filterGradient', job.tiles, [job.table, job.x, job.dy, job.dw, job.images, job.blockImages, ...job.steps]);
  }

  /** Runs the 2x2, stride 2 max-pool gradient on every thread, a share of the rows each. */
  maxPoolGrad2x2(job: MaxPoolGrad2x2Run): void {
    this.runOnAllThreads('maxPoolGrad2x2', job.rows, [job.x, job.dy, job.dx, job.outWidth, job.channels]);
  }

  /** Pads the input, then convolves it; each a share of the batch (its images, then its output rows) per thread. */
  singleChannelConv(job: SingleChannelConvRun): void {
    const imageValues = job.paddedHeight * job.paddedWidth;
    const padArgs = [job.x, job.padded, job.inHeight, job.inWidth, job.paddedHeight, job.paddedWidth, job.top, job.left];
    this.runSized('padImages', job.batch, job.batch * imageValues, padArgs);
    const rows = job.batch * job.outHeight;
    const multiplies = rows * job.outWidth * job.channels * job.filterHeight * job.filterWidth;
    const args = [job.padded, job.w, job.bias, job.y, job.paddedWidth, imageValues, job.outHeight, job.outWidth, job.filterHeight, job.filterWidth, job.channels];
    this.runSized('singleChannelConv', rows, multiplies, args);
  }

  /** dx from the columns of a convolution's input gradient, a share of the batch's dx rows per thread. */
  addColumns(job: AddColumnsRun): void {
    const rows = job.batch * job.inHeight;
    const args = [job.columns, job.dx, ...DX_GEOMETRY_PARAMS.map((name) => job[name])];
    this.runSized('addColumns', rows, rows * job.inWidth * job.channels * job.filterHeight * job.filterWidth, args);
  }

  /** dx of a convolution straight from dy and W, a share of the batch's dx rows per thread. */
  inputGradient(job: InputGradientRun): void {
    const rows = job.batch * job.inHeight;
    const args = [job.dy, job.w, job.outChannels, job.dx, ...DX_GEOMETRY_PARAMS.map((name) => job[name])];
    this.runSized('inputGradient', rows, rows * job.inWidth * job.channels * job.outChannels, args);
  }

  /** The scratch a matrix product needs: a slot for each thread's blocks of A and B. */
  get matMulScratchFloats(): number {
    return this.threads * MAT_MUL_BLOCKS.slotFloats;
  }

  /** C = A·B (+ bias), written whole, a share of C's column panels per thread. */
  matMul(job: MatMulRun): void {
    const args = [job.a, job.b, job.c, job.rows, job.depth, job.columns, job.aRowStep, job.aDepthStep];
    args.push(MAT_MUL_BLOCKS.depth, MAT_MUL_BLOCKS.rows, job.scratch, job.bias, this.threads);
    this.runSized('matMul', this.threads, job.rows * job.depth * job.columns, args);
  }

  /** The scratch a Winograd convolution needs: a slot for each thread's block of V and M and its matrix product. */
  winogradScratchFloats(blockTiles: number, inChannels: number, outChannels: number): number {
    return this.threads * winogradSlotFloats(blockTiles, inChannels, outChannels, MAT_MUL_BLOCKS);
  }

  /** y = conv(x, filter) (+ bias, then ReLU if asked) from the filter's transform, a share of the tiles' blocks per thread. */
  winogradConv(job: WinogradConvRun): void {
    const tiles = job.batch * Math.ceil(job.outHeight / 2) * Math.ceil(job.outWidth / 2);
    const args = [job.x, job.u, job.y, job.bias === 0 ? job.zero : job.bias, job.zero, job.sink, job.scratch];
    args.push(job.inHeight, job.inWidth, job.inChannels, job.outChannels, job.outHeight, job.outWidth, job.top, job.left);
    args.push(tiles, job.blockTiles, job.relu ? 1 : 0, this.threads);
    this.runOnAllThreads('winogradConv', this.threads, args);
  }

  /** y = x * sigmoid(x) and s = sigmoid(x) over `count` values. */
  swish(job: SwishRun): void {
    this.runSized('swish', Math.ceil(job.count / SWISH_UNIT_VALUES), job.count, [job.x, job.y, job.s, job.count]);
  }

  /** dx = dy * d swish(x) / dx over `count` values, from the forward run's y and s. */
  swishGrad(job: SwishGradRun): void {
    this.runSized('swishGrad', Math.ceil(job.count / SWISH_UNIT_VALUES), job.count, [job.y, job.s, job.dy, job.dx, job.count]);
  }

  /** dx = dy where y > 0 (y where y is NaN), else 0, over `count` values. */
  reluGrad(job: { y: number; dy: number; dx: number; count: number }): void {
    this.runSized('reluGrad', Math.ceil(job.count / 4), job.count, [job.y, job.dy, job.dx, job.count]);
  }

  /** One Adam step over `count` values of a weight, into new buffers; see adam_wat for the parameters. */
  adam(job: { w: number; m: number; v: number; g: number; parameters: number; newW: number; newM: number; newV: number; count: number }): void {
    const args = [job.w, job.m, job.v, job.g, job.parameters, job.newW, job.newM, job.newV, job.count];
    this.runSized('adam', Math.ceil(job.count / 4), job.count, args);
  }

  /** y = x + bias, the bias ([channels] at `bias`) broadcast over the pixels. */
  addBias(job: ChannelRun & { bias: number }): void {
    this.runSized('addBias', job.pixels, job.pixels * job.channels, [job.x, job.bias, job.y, job.channels]);
  }

  /** y = (x - mean) * multiplier + offset, per channel; the three tables one after another at `parameters`. */
  normalizeChannels(job: ChannelRun & { parameters: number }): void {
    this.runSized('normalizeChannels', job.pixels, job.pixels * job.channels, [job.x, job.parameters, job.y, job.channels]);
  }

  /** dx = (dy - meanDy - (x - mean) * k) * s per channel; the four tables one after another at `parameters`. */
  batchNormInputGradient(job: ChannelRun & { dy: number; parameters: number }): void {
    this.runSized('batchNormInputGradient', job.pixels, job.pixels * job.channels, [job.x, job.dy, job.parameters, job.y, job.channels]);
  }

  /**
   * Per chunk of pixels and per channel, sum(dy) and sum(dy * (x - shift)); with `centred`, dy
   * is x - shift. Channels a multiple of 4.
   */
  channelSums(job: ChannelSumsRun, centred: boolean): void {
    const chunks = Math.ceil(job.pixels / job.chunkPixels);
    const args = [job.x, job.dy, job.shift, job.partials, job.channels, job.chunkPixels, job.pixels];
    this.runSized(centred ? 'centredSums' : 'channelSums', chunks, job.pixels * job.channels, args);
  }

  /** A job of `units` over `values` values: on this thread alone when small, else on every thread. */
  private runSized(name: ExportName, units: number, values: number, args: number[]): void {
    if (values < ELEMENTWISE_PARALLEL_MIN_VALUES) {
      this.kernels[EXPORTS.indexOf(name)]!(0, units, ...args);
    } else {
      this.runOnAllThreads(name, units, args);
    }
  }

  /**
   * Wakes the workers on export `name` over `units` work units and runs the first share here.
   * Returns once every share is done, so the kernel stays synchronous.
   */
  private runOnAllThreads(name: ExportName, units: number, args: number[]): void {
    const { control } = this;
    const kind = EXPORTS.indexOf(name);
    control[KIND] = kind;
    control[UNITS] = units;
    control.set(args, ARGS);
    Atomics.store(control, FAILED, 0);
    Atomics.store(control, PENDING, this.workers.length);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    try {
      this.kernels[kind]!(0, Math.floor(units / this.threads), ...args);
    } finally {
      // The workers read tensors the caller frees once this returns: wait for them even on error.
      for (let pending = Atomics.load(control, PENDING); pending !== 0; pending = Atomics.load(control, PENDING)) {
        Atomics.wait(control, PENDING, pending);
      }
    }
    if (Atomics.load(control, FAILED) !== 0) {
      throw new BackendError('wasm', `a worker thread of our ${name} kernel failed`);
    }
  }
}

let current: OwnKernels | null = null;
let startFailure: string | null = null;
let enabled = true;

/**
 * The running kernels; null where they are switched off, the backend's memory is not shared or
 * they failed to start. Callers then take their fallbacks.
 */
export function ownKernels(): OwnKernels | null {
  return enabled ? current : null;
}

/** Whether started kernels take the ops they cover; off, every op runs on its fallback. */
export function setOwnKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** Whether {@link setOwnKernelsEnabled} left the kernels on. */
export function ownKernelsEnabled(): boolean {
  return enabled;
}

/** Why the kernels did not start, if they were tried and failed. */
export function ownKernelsStartFailure(): string | null {
  return startFailure;
}

/**
 * Starts the kernels for a started wasm backend, once. Without a shared memory (the
 * single-threaded build, started by tfjs itself rather than by activateWasm) this leaves them
 * absent; a failure to compile is kept for diagnosis and leaves them absent too, so that
 * training still runs on the fallbacks.
 */
export async function startOwnKernels(backend: BackendWasm, threads: number): Promise<void> {
  if (current !== null) return;
  const memory = (backend.wasm as unknown as { wasmMemory?: unknown }).wasmMemory;
  if (!(memory instanceof WebAssembly.Memory) || !(memory.buffer instanceof SharedArrayBuffer)) return;
  try {
    current = await OwnKernels.start(memory, threads);
    startFailure = null;
  } catch (error) {
    startFailure = messageOf(error);
  }
}
