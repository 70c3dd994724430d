/**
 * TensorFlow.js's WebAssembly backend, made able to train: it runs anywhere Node runs, with no
 * native TensorFlow, and with the kernels in ./wasm_kernels it trains CNNs many times faster
 * than the pure-JS cpu backend.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Worker as NodeWorker } from 'worker_threads';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError, messageOf } from '../errors';
import { writeFileAtomic } from '../io/atomic_file';
import { tf } from '../tf';
import { registerWasmTrainingKernels } from './wasm_kernels';
import { loadWasmBackendPackage } from './wasm_kernels/kernel_utils';
import { ownKernels, ownKernelsEnabled, ownKernelsStartFailure, setOwnKernelsEnabled, startOwnKernels } from './wasm_kernels/own_kernels';
import { PACKAGE_SPIN_ITERATIONS, SHORT_SPIN_ITERATIONS, withShortPoolSpin } from './wasm_thread_pool';

export interface WasmOptions {
  /**
   * Threads for XNNPACK's convolutions and matrix products and for this library's kernels (the
   * package's other kernels run on the calling thread). Default: one per core, as PyTorch does
   * (on 2 idle cores, 2 threads train the VGG-style net 1.5-1.8 times faster; LeNet-5's small
   * convolutions gain little). Chosen once: the backend cannot change it after it has started.
   * Any count starts the package's threaded build, which tfjs keeps off in Node (see below):
   * this library's kernels need its shared memory. The extra threads spin briefly before they
   * sleep, so on a machine busy with other work 1 can be faster.
   */
  threads?: number;
  /**
   * Whether this library's own SIMD kernels run the ops they cover (3x3 convolutions,
   * convolution gradients, matrix products, pooling gradients, batch normalization, swish,
   * Adam). false leaves those ops to the package's kernels and XNNPACK, which train LeNet-5 at
   * under half the speed: for checking a result against a second implementation. Unlike
   * `threads`, this can change after the backend has started; left out, the current setting
   * stays (at first, true).
   */
  ownKernels?: boolean;
}

/** The threads the started wasm backend runs with. */
export function wasmThreads(): number {
  return loadWasmBackendPackage().getThreadsCount();
}

/**
 * Makes 'wasm' the active backend, with the training kernels registered. Throws `BackendError`
 * when the package is missing, its WebAssembly module cannot start, or `threads` differs from
 * what an already started backend uses.
 */
export async function activateWasm(options: WasmOptions = {}): Promise<void> {
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BackendError('wasm', `threads must be a positive integer, got ${String(threads)}`);
  }
  try {
    loadWasmBackendPackage();
  } catch (error) {
    throw new BackendError(
      'wasm',
      `@tensorflow/tfjs-backend-wasm could not be loaded (${messageOf(error)}); ` +
        'install it with `npm install @tensorflow/tfjs-backend-wasm`',
    );
  }
  registerWasmTrainingKernels();
  const alreadyStarted = tf.engine().registry['wasm'] !== undefined;
  if (alreadyStarted) {
    const running = loadWasmBackendPackage().getThreadsCount();
    if (options.threads !== undefined && running !== threads) {
      throw new BackendError(
        'wasm',
        `it already runs with ${running} thread(s); the thread count is fixed when the backend first starts`,
      );
    }
  } else {
    prepareThreads(threads);
  }

  let started: boolean;
  try {
    started = alreadyStarted ? await tf.setBackend('wasm') : await withLogicalCoresReported(threads, () => tf.setBackend('wasm'));
    await tf.ready();
  } catch (error) {
    throw new BackendError('wasm', `its WebAssembly module failed to start: ${messageOf(error)}`);
  }
  if (!started || tf.getBackend() !== 'wasm') {
    throw new BackendError(
      'wasm',
      'its WebAssembly module failed to start (see the warning above); this needs Node >= 18 ' +
        'and the .wasm files shipped in @tensorflow/tfjs-backend-wasm/dist',
    );
  }
  if (!alreadyStarted) letProcessExitWithWorkers();
  await startOwnKernels(tf.backend() as BackendWasm, loadWasmBackendPackage().getThreadsCount());
  if (options.ownKernels !== undefined) setOwnKernelsEnabled(options.ownKernels);
}

/**
 * The started backend in one line for people: its threads, whether this library's kernels run
 * (and why not), and whether XNNPACK's pool threads spin the package's long while.
 */
export function wasmDescription(): string {
  const threads = wasmThreads();
  const engine = `WebAssembly (XNNPACK, ${threads} thread${threads === 1 ? '' : 's'})`;
  let kernels = 'with tfjs-keras training kernels';
  if (ownKernels() === null) {
    const why = !ownKernelsEnabled()
      ? 'switched off'
      : `did not start: ${ownKernelsStartFailure() ?? "the backend's memory is not shared"}`;
    kernels = `with the package's kernels only (tfjs-keras's faster kernels ${why})`;
  }
  const spin =
    threads > 1 && poolSpinIterations === PACKAGE_SPIN_ITERATIONS
      ? `; XNNPACK's pool threads spin the package's ${PACKAGE_SPIN_ITERATIONS.toLocaleString('en-US')} ` +
        'iterations before they sleep (the shorter spin is patched only into the binary it was made for)'
      : '';
  return `${engine} ${kernels}, no native dependency${spin}`;
}

/*
 * Threads. tfjs-backend-wasm 4.22 ships a threaded build but keeps it off in Node, and three
 * things stand in its way there, each worked around below:
 * 1. Emscripten starts its pthread workers from a blob: URL, which Node's worker_threads
 *    refuses (ERR_WORKER_PATH): the worker script is written to a file and the blob URL swapped
 *    for that path as the workers are made.
 * 2. Each worker then loads the main script from a Blob holding the bundle's copy of the module
 *    factory, whose source refers to the bundle's own variables: the worker is pointed at the
 *    package's stand-alone copy of the same script instead.
 * 3. The C++ caps the pool at half the logical cores (it assumes two hyper-threads per core), so
 *    a 2-vCPU machine gets one thread whatever setThreadsCount asks: while the module starts,
 *    os.cpus() reports twice the threads wanted.
 * Once started, the workers are unreferenced so that they do not keep the process alive.
 * The threaded binary itself is swapped for a copy whose pool threads spin less before they
 * sleep (see wasm_thread_pool), where the package's binary is the one that was studied.
 */

type WorkerConstructor = typeof NodeWorker;

interface EmscriptenThreads {
  runningWorkers?: Array<{ unref(): void }>;
  unusedWorkers?: Array<{ unref(): void }>;
}

let workerRedirectInstalled = false;
let poolSpinIterations: number | null = null;

/**
 * How long XNNPACK's pool threads spin for work before they sleep, in loop iterations: ours or
 * the package's; null before the threaded backend starts.
 */
export function wasmPoolSpinIterations(): number | null {
  return poolSpinIterations;
}

function packageFile(relativePath: string): string {
  return require.resolve(`@tensorflow/tfjs-backend-wasm/${relativePath}`);
}

/** The pthread worker script as a file, written once per package version and reused. */
function writeWorkerScript(): string {
  const { wasmWorkerContents } = require(packageFile('wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const mainScript = packageFile('wasm-out/tfjs-backend-wasm-threaded-simd.js');
  // The package escapes newlines the same way before it wraps the script in a Blob: the
  // template literal it ships turns the script's "\n" escapes into raw newlines.
  const script =
    wasmWorkerContents.replace(/\n/g, '\\n') +
    `\n;(() => {\n` +
    `  const handle = self.onmessage;\n` +
    `  self.onmessage = (event) => {\n` +
    `    if (event.data && event.data.cmd === 'load' && typeof event.data.urlOrBlob !== 'string') {\n` +
    `      event.data.urlOrBlob = ${JSON.stringify(mainScript)};\n` +
    `    }\n` +
    `    return handle(event);\n` +
    `  };\n` +
    `})();\n`;
  return writeTemporaryFile('worker.js', Buffer.from(script, 'utf8'));
}

/**
 * `contents` as a file in the temporary folder, named per package version and user, written
 * only when absent or different; atomically, so that a process starting at the same time never
 * reads half a file.
 */
function writeTemporaryFile(suffix: string, contents: Uint8Array): string {
  const version = loadWasmBackendPackage().version_wasm;
  const file = path.join(os.tmpdir(), `tfjs-keras-wasm-${version}-${process.getuid?.() ?? 'user'}-${suffix}`);
  if (!fs.existsSync(file) || !fs.readFileSync(file).equals(contents)) writeFileAtomic(file, contents);
  return file;
}

/** Points the backend at the threaded binary with the short pool spin, where it can be made. */
function useShortPoolSpin(): void {
  const binaryName = 'tfjs-backend-wasm-threaded-simd.wasm';
  const patched = withShortPoolSpin(fs.readFileSync(packageFile(`dist/${binaryName}`)));
  if (patched === null) {
    poolSpinIterations = PACKAGE_SPIN_ITERATIONS;
    return;
  }
  const files: Record<string, string> = {};
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) files[name] = packageFile(`dist/${name}`);
  files[binaryName] = writeTemporaryFile(`short-spin-${binaryName}`, patched);
  loadWasmBackendPackage().setWasmPaths(files);
  poolSpinIterations = SHORT_SPIN_ITERATIONS;
}

/** Swaps blob: URLs for `workerFile` in every Worker that Emscripten makes through the global. */
function redirectBlobWorkers(workerFile: string): void {
  if (workerRedirectInstalled) return;
  let redirecting: WorkerConstructor | undefined;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => redirecting,
    set: (nodeWorker: WorkerConstructor) => {
      redirecting = class extends nodeWorker {
        constructor(url: string | URL, options?: ConstructorParameters<WorkerConstructor>[1]) {
          super(String(url).startsWith('blob:') ? workerFile : url, options);
        }
      };
    },
  });
  workerRedirectInstalled = true;
}

function prepareThreads(threads: number): void {
  try {
    redirectBlobWorkers(writeWorkerScript());
    useShortPoolSpin();
  } catch (error) {
    throw new BackendError('wasm', `cannot prepare its worker threads: ${messageOf(error)}`);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  loadWasmBackendPackage().setThreadsCount(threads);
}

async function withLogicalCoresReported<T>(threads: number, start: () => Promise<T>): Promise<T> {
  // The module object itself: the namespace import above is a copy under esModuleInterop.
  const osModule = require('os') as typeof os;
  const realCpus = osModule.cpus;
  Reflect.set(osModule, 'cpus', () => {
    const cpus = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  });
  try {
    return await start();
  } finally {
    Reflect.set(osModule, 'cpus', realCpus);
  }
}

function letProcessExitWithWorkers(): void {
  const backend = tf.engine().registry['wasm'] as unknown as { wasm?: { PThread?: EmscriptenThreads } } | undefined;
  const threads = backend?.wasm?.PThread;
  for (const worker of [...(threads?.runningWorkers ?? []), ...(threads?.unusedWorkers ?? [])]) worker.unref();
}
