/**
 * Our own WebAssembly kernels, run directly on the wasm backend's heap by every thread.
 *
 * The threaded wasm backend keeps its tensors in one shared WebAssembly.Memory. A module of ours
 * that imports that memory reads and writes tensors in place, with no copies; worker threads
 * that instantiate the same module on the same memory split the work, started and joined through
 * Atomics on a small shared control block (the calling thread does one share itself and waits,
 * so a kernel stays synchronous, as tfjs kernels must be). The single-threaded backend does not
 * expose its memory, so there these kernels are absent and callers keep their fallbacks.
 */
import { Worker } from 'node:worker_threads';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError, messageOf } from '../../errors';
import { filterGradientWat } from './filter_gradient_wat';

/** A filter-gradient job: the tile table and what the module's `run` needs besides; all int32. */
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

type RunFunction = (...args: number[]) => void;

const GENERATION = 0;
const PENDING = 1;
const FAILED = 2;
const ARGS = 3;
const ARG_COUNT = 14;

/** Each worker: instantiate on the shared memory, then run its share of every job it is woken for. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index, threads } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run;
const c = new Int32Array(control);
let seen = Atomics.load(c, ${GENERATION});
parentPort.postMessage('ready');
for (;;) {
  // A bounded wait returns to this loop, where a terminating process can stop the thread.
  Atomics.wait(c, ${GENERATION}, seen, 200);
  const generation = Atomics.load(c, ${GENERATION});
  if (generation === seen) continue;
  seen = generation;
  const tiles = c[${ARGS + 1}];
  const first = Math.floor((tiles * index) / threads);
  const end = Math.floor((tiles * (index + 1)) / threads);
  try {
    run(c[${ARGS}], first, end, ${Array.from({ length: ARG_COUNT - 2 }, (_, i) => `c[${ARGS + 2 + i}]`).join(', ')});
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
    private readonly run: RunFunction,
  ) {}

  /** Compiles the module and starts `threads - 1` workers on `memory`. */
  static async start(memory: WebAssembly.Memory, threads: number): Promise<OwnKernels> {
    const wabt = await (await import('wabt')).default();
    const parsed = wabt.parseWat('filter_gradient.wat', filterGradientWat(), { simd: true, threads: true });
    let binary: Uint8Array;
    try {
      binary = parsed.toBinary({}).buffer;
    } finally {
      parsed.destroy();
    }
    const module = new WebAssembly.Module(new Uint8Array(binary));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const run = instance.exports['run'] as RunFunction;
    const kernels = new OwnKernels(memory, run);
    for (let index = 1; index < threads; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: kernels.control.buffer, index, threads },
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
    const { control } = this;
    const args = [job.table, job.tiles, job.x, job.dy, job.dw, job.images, job.blockImages, ...job.steps];
    control.set(args, ARGS);
    Atomics.store(control, FAILED, 0);
    Atomics.store(control, PENDING, this.workers.length);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    try {
      this.run(job.table, 0, Math.floor(job.tiles / this.threads), ...args.slice(2));
    } finally {
      // The workers read tensors the caller frees once this returns: wait for them even on error.
      for (let pending = Atomics.load(control, PENDING); pending !== 0; pending = Atomics.load(control, PENDING)) {
        Atomics.wait(control, PENDING, pending);
      }
    }
    if (Atomics.load(control, FAILED) !== 0) {
      throw new BackendError('wasm', 'a worker thread of the filter-gradient kernel failed');
    }
  }
}

let current: OwnKernels | null = null;
let startFailure: string | null = null;

/** The running kernels, or null where the backend's memory is not shared or they failed to start. */
export function ownKernels(): OwnKernels | null {
  return current;
}

/** Why the kernels did not start, if they were tried and failed. */
export function ownKernelsStartFailure(): string | null {
  return startFailure;
}

/**
 * Starts the kernels for a started wasm backend, once. Without a shared memory (the
 * single-threaded build) this leaves them absent; a failure to compile is kept for diagnosis
 * and leaves them absent too, so that training still runs on the fallbacks.
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
