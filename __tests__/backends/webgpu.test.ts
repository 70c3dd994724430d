/**
 * The webgpu backend on its software route, Mesa's llvmpipe over OpenGL ES, which any machine
 * with Mesa's EGL has (Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri): every zoo model
 * trains with the cpu backend's losses and gradients and leaks nothing, and GPU errors, sync
 * reads and a missing adapter end in clear exceptions. Jest's module system cannot load the
 * `webgpu` package (an ES module), so the checks run in child processes on the built `dist/`.
 */
import { spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { ZOO_NAMES } from '../../models';
import type { CheckReport, ModelCheck } from '../../scripts/webgpu_check';

const root = join(__dirname, '..', '..');
/** Float32 sums in another order; measured on llvmpipe: losses within ~1e-6, gradients within ~2e-4 (vgg-cifar, batch 4). */
const LOSS_TOLERANCE = 1e-4;
const GRADIENT_TOLERANCE = 1e-3;
/** Most of it is the pure-JS cpu backend training vgg-cifar, the reference. */
const CHILD_TIMEOUT_MS = 540_000;

interface ErrorReport {
  name: string;
  message: string;
}

interface ProbeReport {
  noAdapter: ErrorReport | null;
  auto: { name: string; skipped: string[] };
  named: { name: string; tfBackend: string; description: string };
  syncRead: ErrorReport | null;
  asyncRead: number[];
  fit: { loss: number[]; tensorsBefore: number; tensorsAfter: number };
  tooManyBuffers: ErrorReport | null;
  tensorsLeakedByFailure: number;
  afterFailure: ErrorReport | null;
}

/** Runs a Node script to its end and parses the JSON line it prints. */
function runJson<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, timeout: CHILD_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`${script} exited with ${status ?? signal} and no JSON report;\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}

let check: CheckReport;
let probes: ProbeReport;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'scripts', 'webgpu_check.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the webgpu tests');
  }
  // Batch 2 keeps the cpu reference for vgg-cifar near a minute; two steps check the updates too.
  check = await runJson<CheckReport>(join(root, 'dist', 'scripts', 'webgpu_check.js'), ['--json', '--batch-size', '2', '--steps', '2']);
  probes = await runJson<ProbeReport>(join(root, '__tests__', 'fixtures', 'webgpu_probes.cjs'), []);
}, 2 * CHILD_TIMEOUT_MS);

describe('useBackend with webgpu and no GPU', () => {
  test('"webgpu" takes the software adapter and the description says which, and that it is slow', () => {
    expect(probes.named).toEqual({ name: 'webgpu', tfBackend: 'webgpu', description: expect.stringContaining(check.adapter) });
    expect(check.software).toBe(true);
    expect(probes.named.description).toMatch(/^WebGPU \(Dawn\) on the software adapter .*llvmpipe.*\(OpenGL ES\): .*for testing, not for speed$/);
  });

  test('"auto" does not take a software adapter', () => {
    expect(probes.auto.name).not.toBe('webgpu');
    expect(probes.auto.skipped).toContain('webgpu (no hardware WebGPU adapter)');
  });

  test('with no adapter, the error says what was tried and what to install', () => {
    expect(probes.noAdapter?.name).toBe('BackendError');
    const message = probes.noAdapter?.message ?? '';
    expect(message).toMatch(/^backend 'webgpu': no WebGPU adapter; tried Vulkan: .*; OpenGL ES: no adapter with backend 'opengles' and name 'no-such-adapter' found/);
    expect(message).toContain('apt-get install libvulkan1');
    expect(message).toContain('apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri');
  });
});

describe.each(ZOO_NAMES)('%s on webgpu (llvmpipe), two SGD steps from the weights the cpu backend starts from', (name) => {
  let model: ModelCheck;

  beforeAll(() => {
    const found = check.models.find((m) => m.model === name);
    if (found === undefined) throw new Error(`the check report has no ${name}`);
    model = found;
  });

  test("gives the cpu backend's losses", () => {
    expect(model.losses.webgpu.every(Number.isFinite)).toBe(true);
    expect(model.lossError).toBeLessThan(LOSS_TOLERANCE);
  });

  test("gives the cpu backend's gradients, for every weight at every step", () => {
    const worst = { weight: model.worstWeight, error: model.gradientError, withinTolerance: model.gradientError < GRADIENT_TOLERANCE };
    expect(worst).toMatchObject({ withinTolerance: true });
  });

  test('holds as many tensors and GPU buffers after the second step as after the first', () => {
    expect(new Set(model.tensorsAfterStep).size).toBe(1);
    expect(new Set(model.buffersAfterStep).size).toBe(1);
  });
});

describe('training and errors on webgpu', () => {
  test("the library's fit trains on it and leaks no tensors", () => {
    expect(probes.fit.loss).toHaveLength(2);
    expect(probes.fit.loss.every(Number.isFinite)).toBe(true);
    expect(probes.fit.tensorsAfter).toBe(probes.fit.tensorsBefore);
  });

  test('a synchronous read of GPU data fails, saying to read asynchronously; an asynchronous one works', () => {
    expect(probes.syncRead).toEqual({
      name: 'BackendError',
      message:
        "backend 'webgpu': a tensor on the GPU was read synchronously (dataSync, arraySync or bufferSync), " +
        'which WebGPU cannot do in Node; read it with `await tensor.data()` or `await tensor.array()`',
    });
    expect(probes.asyncRead).toEqual([2, 2, 2, 2]);
  });

  test("a kernel beyond the adapter's limits throws, naming the kernel, instead of returning wrong numbers", () => {
    expect(probes.tooManyBuffers?.name).toBe('BackendError');
    expect(probes.tooManyBuffers?.message).toMatch(
      /^backend 'webgpu': kernel AddN failed on the GPU: Dawn reported "The number of storage buffers \(41\) .* exceeds the maximum per-stage limit \(\d+\)\."; results computed on this device since then may be wrong/,
    );
    expect(probes.tensorsLeakedByFailure).toBe(0);
  });

  test('after such an error the device refuses further work rather than return results of the failed batch', () => {
    expect(probes.afterFailure).toEqual(probes.tooManyBuffers);
  });
});
