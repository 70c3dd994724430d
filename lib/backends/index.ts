/**
 * Choosing where the math runs. `auto` takes the fastest that loads: native TensorFlow with CUDA
 * (`@tensorflow/tfjs-node-gpu`), WebGPU through Dawn on a hardware adapter, native TensorFlow on
 * the CPU (`@tensorflow/tfjs-node`), then WebAssembly (always installed, with this library's
 * training kernels), then pure JavaScript.
 */
import { BackendError, firstLineOf } from '../errors';
import { formatChoices } from '../format';
import { tf } from '../tf';
import { activateWasm, wasmDescription, type WasmOptions } from './wasm';
import { activateWebgpu } from './webgpu';

/**
 * What `--backend` accepts. `gpu` is tfjs-node-gpu; `webgpu` is Dawn, on a GPU or, asked by name,
 * on Mesa's software adapter; `tensorflow` is tfjs-node.
 */
export type BackendName = 'auto' | 'gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The backend in use, as reported to users and written into run metrics. */
export interface BackendChoice {
  /** The name asked for or chosen by `auto`. */
  readonly name: Exclude<BackendName, 'auto'>;
  /** TensorFlow.js's name for it (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  readonly tfBackend: string;
  /** One line for people: what runs and how fast to expect it. */
  readonly description: string;
  /** For `auto`: each backend tried before this one, and why it was not taken. */
  readonly skipped: readonly string[];
}

const NATIVE_PACKAGES = {
  gpu: {
    module: '@tensorflow/tfjs-node-gpu',
    description: 'native TensorFlow with CUDA (@tensorflow/tfjs-node-gpu)',
    install:
      'install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0` on a machine with an NVIDIA GPU, ' +
      'CUDA 11.2 and cuDNN 8.1 (its install downloads libtensorflow)',
  },
  tensorflow: {
    module: '@tensorflow/tfjs-node',
    description: 'native TensorFlow on the CPU (@tensorflow/tfjs-node)',
    install: 'install it with `npm install @tensorflow/tfjs-node@4.22.0` (its install downloads libtensorflow)',
  },
} as const;

/** The gist of a BackendError for `auto`'s list of what it skipped: `@tensorflow/tfjs-node is not installed`. */
function summary(error: unknown): string {
  const text = error instanceof BackendError ? error.reason : firstLineOf(error);
  return (text.split(/; | \(/)[0] ?? text).trim();
}

async function activateNative(name: 'gpu' | 'tensorflow'): Promise<void> {
  const { module, install } = NATIVE_PACKAGES[name];
  try {
    // Loaded by name at run time: both packages are optional and usually absent.
    require(module);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'MODULE_NOT_FOUND' && firstLineOf(error).includes(module);
    throw new BackendError(name, missing ? `${module} is not installed; ${install}` : `${module} is installed but failed to load (${firstLineOf(error)}); ${install}`);
  }
  if (tf.findBackend('tensorflow') === null) {
    throw new BackendError(
      name,
      `${module} loaded but registered no backend with this copy of @tensorflow/tfjs (${tf.version.tfjs}); ` +
        `install the same version: npm install ${module}@${tf.version.tfjs}`,
    );
  }
  await tf.setBackend('tensorflow');
  await tf.ready();
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /** wasm only: threads for its convolutions and matrix products. Default: one per core. */
  threads?: WasmOptions['threads'];
}

/** Starts `name`; returns its description, which can depend on the machine (WebGPU's adapter, wasm's threads). */
async function activate(name: Exclude<BackendName, 'auto'>, how: { auto: boolean; options: UseBackendOptions }): Promise<string> {
  switch (name) {
    case 'gpu':
    case 'tensorflow':
      await activateNative(name);
      return DESCRIPTIONS[name];
    case 'webgpu': {
      const { adapterDescription, software } = await activateWebgpu({ allowSoftware: !how.auto });
      return software
        ? `WebGPU (Dawn) on the software adapter ${adapterDescription}: the CPU emulating a GPU, for testing, not for speed`
        : `WebGPU (Dawn) on ${adapterDescription}`;
    }
    case 'wasm': {
      await activateWasm(how.options.threads === undefined ? {} : { threads: how.options.threads });
      return wasmDescription();
    }
    case 'cpu':
      await tf.setBackend('cpu');
      await tf.ready();
      return DESCRIPTIONS[name];
  }
}

const DESCRIPTIONS: Record<Exclude<BackendName, 'auto' | 'webgpu' | 'wasm'>, string> = {
  gpu: NATIVE_PACKAGES.gpu.description,
  tensorflow: NATIVE_PACKAGES.tensorflow.description,
  cpu: 'pure JavaScript (slow: for checking results, not for training)',
};

const AUTO_ORDER: readonly Exclude<BackendName, 'auto'>[] = ['gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * Makes `name` the backend for everything that follows. `auto` tries, in order, gpu, webgpu (a
 * hardware adapter only), tensorflow, wasm and cpu, and reports what it skipped. Throws
 * `BackendError`, with how to install the missing piece, when a named backend cannot be used.
 */
export async function useBackend(name: BackendName = 'auto', options: UseBackendOptions = {}): Promise<BackendChoice> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new BackendError(String(name), `unknown backend; use one of ${formatChoices(BACKEND_NAMES)}`);
  }
  if (name !== 'auto') {
    const description = await activate(name, { auto: false, options });
    return { name, tfBackend: tf.getBackend(), description, skipped: [] };
  }
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      const description = await activate(candidate, { auto: true, options });
      return { name: candidate, tfBackend: tf.getBackend(), description, skipped };
    } catch (error) {
      skipped.push(`${candidate} (${summary(error)})`);
    }
  }
  throw new BackendError('auto', `no backend could start: ${skipped.join('; ')}`);
}
