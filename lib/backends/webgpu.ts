/**
 * TensorFlow.js's WebGPU backend in Node, through Dawn (Chromium's WebGPU, npm package `webgpu`):
 * a GPU without CUDA, on whatever driver Dawn reaches (Vulkan on Linux, Metal on macOS, Direct3D
 * 12 on Windows, or OpenGL ES through EGL on Linux). The OpenGL ES route also runs on Mesa's
 * llvmpipe, a software rasteriser on the CPU: useless for speed, but it lets machines without a
 * GPU test the WebGPU kernels.
 *
 * tfjs's own start-up of this backend is not used: it asks the device for only a few of the
 * adapter's limits, and a kernel that exceeds one (tf.addN of 10 tensors needs 11 storage
 * buffers) makes Dawn log a validation error while tfjs returns wrong numbers without throwing.
 * Here the device gets every limit the adapter has, and each error Dawn reports becomes an
 * exception naming the kernel that was running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BackendError, firstLineOf, messageOf } from '../errors';
import { tf } from '../tf';

/** What `activateWebgpu` found and started. */
export interface WebgpuActivation {
  /** The adapter as people know it: `NVIDIA H100 80GB HBM3 (Vulkan)`, `llvmpipe (...) (OpenGL ES)`. */
  readonly adapterDescription: string;
  /** True for an adapter that renders on the CPU (Mesa llvmpipe or lavapipe, SwiftShader). */
  readonly software: boolean;
  /** The driver interface Dawn used: `Vulkan`, `Metal`, `Direct3D 12` or `OpenGL ES`. */
  readonly route: string;
}

export interface WebgpuOptions {
  /** Accept a software adapter when no hardware one exists (`auto` does not; `webgpu` by name does). */
  readonly allowSoftware: boolean;
  /** Take only the adapter of this name (Dawn's `adapter=` option), e.g. on a machine with two GPUs. */
  readonly adapterName?: string;
}

// The parts of the WebGPU API used here, declared locally: the `webgpu` package and its types are
// optional dependencies, so type-checking must not need them.
interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}

interface UncapturedErrorEvent {
  readonly error: { readonly message: string };
  preventDefault(): void;
}

interface GpuDevice {
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
  addEventListener(type: 'uncapturederror', listener: (event: UncapturedErrorEvent) => void): void;
}

interface GpuAdapter {
  readonly info: AdapterInfo;
  /** A GPUSupportedLimits: its limits are getters on the prototype, listed by `for...in`. */
  readonly limits: object;
  readonly features: ReadonlySet<string>;
  requestDevice(descriptor: { requiredLimits: Record<string, number>; requiredFeatures: string[] }): Promise<GpuDevice>;
}

interface Gpu {
  requestAdapter(options: { featureLevel: 'core' | 'compatibility'; powerPreference: 'high-performance' }): Promise<GpuAdapter | null>;
}

interface DawnPackage {
  create(options: string[]): Gpu;
  /** GPUBufferUsage, GPUMapMode and the other globals a browser would have. */
  readonly globals: object;
}

interface WebgpuBackendPackage {
  readonly WebGPUBackend: new (device: GpuDevice, adapterInfo: AdapterInfo) => tf.KernelBackend;
}

/** The WebGPU backend's internals that `guardReads` touches. */
interface ReadableBackend {
  read(dataId: object): Promise<tf.backend_util.BackendValues>;
  readSync(dataId: object): tf.backend_util.BackendValues;
  /** tfjs warns once that sync reads are slow; here they fail with a clearer message instead. */
  hasReadSyncWarned?: boolean;
}

/** One way for Dawn to reach a driver. */
interface Route {
  readonly name: string;
  readonly dawnOptions: readonly string[];
  /** OpenGL ES offers only WebGPU's compatibility subset, which tfjs's kernels fit in. */
  readonly featureLevel: 'core' | 'compatibility';
  /** The library Dawn opens for it on Linux; checked first, as Dawn prints a warning with a stack for a missing one. */
  readonly loaderLibrary: string | null;
  /** What the user installs to make the route work. */
  readonly install: string;
}

const VULKAN_INSTALL =
  'a GPU driver with Vulkan and the Vulkan loader (Debian/Ubuntu: `apt-get install libvulkan1`; ' +
  "NVIDIA's driver brings its Vulkan driver, Mesa's come in mesa-vulkan-drivers)";

const MESA_PACKAGES = '`apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri`';

const SOFTWARE_INSTALL = `Mesa's EGL and OpenGL ES for the software route (Debian/Ubuntu: ${MESA_PACKAGES})`;

/** Dawn's default for the platform: the route to a real GPU. */
function nativeRoute(): Route {
  switch (process.platform) {
    case 'darwin':
      return { name: 'Metal', dawnOptions: [], featureLevel: 'core', loaderLibrary: null, install: 'macOS 13 or later' };
    case 'win32':
      return { name: 'Direct3D 12', dawnOptions: [], featureLevel: 'core', loaderLibrary: null, install: 'an up-to-date GPU driver' };
    default:
      return { name: 'Vulkan', dawnOptions: ['backend=vulkan'], featureLevel: 'core', loaderLibrary: 'libvulkan.so.1', install: VULKAN_INSTALL };
  }
}

const OPENGLES_ROUTE: Route = {
  name: 'OpenGL ES',
  dawnOptions: ['backend=opengles'],
  featureLevel: 'compatibility',
  loaderLibrary: 'libEGL.so.1',
  install: SOFTWARE_INSTALL,
};

/** Auto looks only where real GPUs are; by name, OpenGL ES too, which is where llvmpipe is. */
function routesToTry(allowSoftware: boolean): Route[] {
  const routes = [nativeRoute()];
  if (allowSoftware && process.platform === 'linux') routes.push(OPENGLES_ROUTE);
  return routes;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

function isSoftware(info: AdapterInfo): boolean {
  return info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${info.device} ${info.description}`);
}

function describeAdapter(info: AdapterInfo, route: Route): string {
  const parts = [info.vendor, info.architecture, info.device, info.description].map((part) => part.trim()).filter((part) => part !== '');
  const unique = parts.filter((part, i) => parts.indexOf(part) === i);
  return `${unique.length > 0 ? unique.join(', ') : 'an unnamed adapter'} (${route.name})`;
}

const MULTIARCH: Readonly<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** Whether the dynamic loader would find `library` (Linux): LD_LIBRARY_PATH, ld.so's cache, the usual folders. */
function sharedLibraryFound(library: string): boolean {
  const fromEnvironment = (process.env['LD_LIBRARY_PATH'] ?? '').split(delimiter).filter((directory) => directory !== '');
  const multiarch = MULTIARCH[process.arch];
  const system = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib', ...(multiarch ? [`/lib/${multiarch}`, `/usr/lib/${multiarch}`] : [])];
  if ([...fromEnvironment, ...system].some((directory) => existsSync(join(directory, library)))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes(library);
  } catch {
    return false;
  }
}

function isMissingModule(error: unknown, module: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && firstLineOf(error).includes(module);
}

function checkDawnInstalled(): void {
  try {
    require.resolve('webgpu');
  } catch (error) {
    if (!isMissingModule(error, 'webgpu')) throw error;
    throw new BackendError(
      'webgpu',
      'the package webgpu (Dawn for Node) is not installed; install it with ' +
        `\`npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@${tf.version.tfjs}\``,
    );
  }
}

/** The `webgpu` package, an ES module: Node 20.19 and later require() it; older ones import() it. */
async function loadDawn(): Promise<DawnPackage> {
  try {
    // Loaded by name at run time: it is an optional dependency.
    return require('webgpu') as DawnPackage;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') {
      throw new BackendError('webgpu', `the package webgpu is installed but failed to load (${firstLineOf(error)})`);
    }
  }
  // TypeScript turns import() into require() in this CommonJS build; a function made at run time
  // keeps the real import().
  const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<DawnPackage>;
  try {
    return await importModule('webgpu');
  } catch (error) {
    throw new BackendError('webgpu', `the package webgpu is installed but failed to load (${firstLineOf(error)})`);
  }
}

interface FoundAdapter {
  readonly dawn: DawnPackage;
  readonly adapter: GpuAdapter;
  readonly gpu: Gpu;
  readonly route: Route;
  readonly software: boolean;
}

/** The routes whose driver loader is present; the others go into `attempts`, with what is missing. */
function usableRoutes(allowSoftware: boolean, attempts: string[]): Route[] {
  return routesToTry(allowSoftware).filter((route) => {
    if (process.platform !== 'linux' || route.loaderLibrary === null || sharedLibraryFound(route.loaderLibrary)) return true;
    attempts.push(`${route.name}: ${route.loaderLibrary} is not installed`);
    return false;
  });
}

/**
 * Asks each route for an adapter and takes the first hardware one, else (when allowed) the first
 * software one. `attempts` collects, per route, why it gave nothing usable.
 */
async function findAdapter(dawn: DawnPackage, routes: readonly Route[], options: WebgpuOptions, attempts: string[]): Promise<FoundAdapter | null> {
  let softwareFallback: FoundAdapter | null = null;
  for (const route of routes) {
    // Mesa's EGL otherwise looks for an X11 or Wayland display, which servers and CI lack; Dawn
    // initialises EGL on the first request, so the variable still takes effect when set here.
    if (route === OPENGLES_ROUTE && process.env['EGL_PLATFORM'] === undefined) process.env['EGL_PLATFORM'] = 'surfaceless';
    const dawnOptions = [...route.dawnOptions, ...(options.adapterName === undefined ? [] : [`adapter=${options.adapterName}`])];
    let adapter: GpuAdapter | null;
    let gpu: Gpu;
    try {
      gpu = dawn.create(dawnOptions);
      adapter = await gpu.requestAdapter({ featureLevel: route.featureLevel, powerPreference: 'high-performance' });
    } catch (error) {
      attempts.push(`${route.name}: ${messageOf(error).trim().replace(/\s*\n\s*/g, ' ')}`);
      continue;
    }
    if (adapter === null) {
      attempts.push(`${route.name}: no adapter`);
      continue;
    }
    const found = { dawn, adapter, gpu, route, software: isSoftware(adapter.info) };
    if (!found.software) return found;
    if (options.allowSoftware) {
      softwareFallback ??= found;
    } else {
      attempts.push(`${route.name}: only the software adapter ${describeAdapter(adapter.info, route)}`);
    }
  }
  return softwareFallback;
}

/** Every limit the adapter offers, so that no kernel runs into a lower default. */
function allLimits(adapter: GpuAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const name in adapter.limits) {
    const value: unknown = (adapter.limits as Record<string, unknown>)[name];
    if (typeof value === 'number') limits[name] = value;
  }
  return limits;
}

/**
 * Turns Dawn's uncaptured errors into exceptions. Dawn for Node reports a validation error while
 * the WebGPU call that caused it runs, so the kernel that made the call is still on the stack.
 * The first error is kept for good: the command buffer that held the failed kernel is rejected
 * when submitted, with every other kernel batched in it, so results computed since then may be
 * garbage, and only refusing all later work keeps them from being read as numbers.
 */
class GpuErrorTrap {
  private readonly kernels: string[] = [];
  private failure: string | null = null;

  record(message: string): void {
    if (this.failure !== null) return;
    const dawnSaid = `Dawn reported "${firstLineOf(message)}"`;
    const kernel = this.kernels[this.kernels.length - 1];
    this.failure = kernel === undefined ? `the GPU failed outside any kernel: ${dawnSaid}` : `kernel ${kernel} failed on the GPU: ${dawnSaid}`;
  }

  enter(kernel: string): void {
    this.kernels.push(kernel);
  }

  leave(): void {
    this.kernels.pop();
  }

  throwIfFailed(): void {
    if (this.failure === null) return;
    throw new BackendError(
      'webgpu',
      `${this.failure}; results computed on this device since then may be wrong, so it takes no more work ` +
        'in this process (restart it, or choose another backend)',
    );
  }
}

function disposeOutputs(backend: tf.KernelBackend, outputs: tf.TensorInfo | tf.TensorInfo[]): void {
  for (const output of Array.isArray(outputs) ? outputs : [outputs]) backend.disposeData(output.dataId);
}

/** Re-registers every webgpu kernel so that the trap knows which one runs and checks it after. */
function guardKernels(trap: GpuErrorTrap): void {
  for (const config of tf.getKernelsForBackend('webgpu')) {
    const kernelFunc = config.kernelFunc;
    const guarded: tf.KernelFunc = (args) => {
      trap.throwIfFailed();
      trap.enter(config.kernelName);
      try {
        const outputs = kernelFunc(args);
        try {
          trap.throwIfFailed();
        } catch (error) {
          disposeOutputs(args.backend as tf.KernelBackend, outputs);
          throw error;
        }
        return outputs;
      } finally {
        trap.leave();
      }
    };
    tf.unregisterKernel(config.kernelName, 'webgpu');
    tf.registerKernel({ ...config, kernelFunc: guarded });
  }
}

/** Reads also report Dawn's errors; synchronous reads, impossible in Node, fail with what to use instead. */
function guardReads(backend: ReadableBackend, trap: GpuErrorTrap): void {
  const read = backend.read.bind(backend);
  const readSync = backend.readSync.bind(backend);
  backend.hasReadSyncWarned = true;
  backend.read = async (dataId) => {
    trap.throwIfFailed();
    const values = await read(dataId);
    trap.throwIfFailed();
    return values;
  };
  backend.readSync = (dataId) => {
    trap.throwIfFailed();
    try {
      return readSync(dataId);
    } catch (error) {
      // tfjs reads GPU data synchronously through an OffscreenCanvas, which only browsers have.
      if (!(error instanceof ReferenceError)) throw error;
      throw new BackendError(
        'webgpu',
        'a tensor on the GPU was read synchronously (dataSync, arraySync or bufferSync), which WebGPU ' +
          'cannot do in Node; read it with `await tensor.data()` or `await tensor.array()`',
      );
    }
  };
}

/** `navigator.gpu`, which tfjs-backend-webgpu looks for when it loads; Node before 21 has no navigator. */
function installNavigatorGpu(gpu: Gpu): void {
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

function loadWebgpuBackendPackage(): WebgpuBackendPackage {
  try {
    // Loaded by name at run time: it is an optional dependency.
    return require('@tensorflow/tfjs-backend-webgpu') as WebgpuBackendPackage;
  } catch (error) {
    const install = `install it with \`npm install @tensorflow/tfjs-backend-webgpu@${tf.version.tfjs}\``;
    throw new BackendError(
      'webgpu',
      isMissingModule(error, '@tensorflow/tfjs-backend-webgpu')
        ? `@tensorflow/tfjs-backend-webgpu is not installed; ${install}`
        : `@tensorflow/tfjs-backend-webgpu is installed but failed to load (${firstLineOf(error)}); ${install}`,
    );
  }
}

async function findAdapterOrThrow(options: WebgpuOptions): Promise<FoundAdapter> {
  checkDawnInstalled();
  const attempts: string[] = [];
  const routes = usableRoutes(options.allowSoftware, attempts);
  const found = routes.length > 0 ? await findAdapter(await loadDawn(), routes, options, attempts) : null;
  if (found !== null) return found;
  const installs = routesToTry(options.allowSoftware).map((route) => route.install).join(', or ');
  const softwareHint =
    options.allowSoftware || process.platform !== 'linux'
      ? ''
      : `; without a GPU, \`--backend webgpu\` runs on Mesa's software adapter (llvmpipe), given ${MESA_PACKAGES}`;
  throw new BackendError(
    'webgpu',
    `no ${options.allowSoftware ? '' : 'hardware '}WebGPU adapter; tried ${attempts.join('; ')}; install ${installs}${softwareHint}`,
  );
}

/** The backend this process registered, reused by later calls: one device per process. */
let activated: WebgpuActivation | null = null;

async function startBackend(found: FoundAdapter): Promise<WebgpuActivation> {
  const { dawn, adapter, gpu, route, software } = found;
  const description = describeAdapter(adapter.info, route);
  // As tfjs's own start-up does: with timestamp queries, tf.time() reports the GPU's kernel time.
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  let device: GpuDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: allLimits(adapter), requiredFeatures });
  } catch (error) {
    throw new BackendError('webgpu', `the adapter ${description} refused a device with the limits it reports: ${firstLineOf(error)}`);
  }
  const trap = new GpuErrorTrap();
  device.addEventListener('uncapturederror', (event) => {
    // Without this Dawn also prints the error to stdout, where it would mix with a script's output.
    event.preventDefault();
    trap.record(event.error.message);
  });
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') trap.record(`the GPU device was lost (${info.reason}): ${info.message}`);
  });

  Object.assign(globalThis, dawn.globals);
  installNavigatorGpu(gpu);
  const { WebGPUBackend } = loadWebgpuBackendPackage();
  // The package registered a start-up of its own that asks for too few limits; this one replaces it.
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => {
    const backend = new WebGPUBackend(device, adapter.info);
    guardReads(backend as unknown as ReadableBackend, trap);
    return backend;
  });
  guardKernels(trap);
  return { adapterDescription: description, software, route: route.name };
}

/**
 * Makes 'webgpu' the active backend on the best adapter Dawn finds: a hardware one first; a
 * software one (Mesa llvmpipe over OpenGL ES) only with `allowSoftware`. Throws `BackendError`
 * saying what was tried and what to install when the packages or an adapter are missing.
 */
export async function activateWebgpu(options: WebgpuOptions): Promise<WebgpuActivation> {
  if (activated === null) {
    activated = await startBackend(await findAdapterOrThrow(options));
  } else if (activated.software && !options.allowSoftware) {
    throw new BackendError('webgpu', `no hardware WebGPU adapter; this process already uses the software adapter ${activated.adapterDescription}`);
  }
  let started: boolean;
  try {
    started = await tf.setBackend('webgpu');
    await tf.ready();
  } catch (error) {
    throw new BackendError('webgpu', `the backend failed to start on ${activated.adapterDescription}: ${firstLineOf(error)}`);
  }
  if (!started || tf.getBackend() !== 'webgpu') {
    throw new BackendError('webgpu', `the backend failed to start on ${activated.adapterDescription} (see the warning above)`);
  }
  return activated;
}
