import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { setUpBackends } from '../../helpers/backend_comparison';
import { defineFilterGradientTests } from '../../helpers/filter_gradient_cases';

beforeAll(async () => {
  // The single-threaded build keeps its memory to itself: the kernel falls back to XNNPACK.
  await activateWasm({ threads: 1 });
  await setUpBackends();
  expect(ownKernels()).toBeNull();
});

defineFilterGradientTests('the XNNPACK fallback on 1 thread');
