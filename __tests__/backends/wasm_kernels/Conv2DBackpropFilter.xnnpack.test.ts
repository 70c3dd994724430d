import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { setUpBackends } from '../../helpers/backend_comparison';
import { defineFilterGradientTests } from '../../helpers/filter_gradient_cases';

beforeAll(async () => {
  // With our kernels off, the filter gradient takes its fallback on XNNPACK.
  await activateWasm({ threads: 1, ownKernels: false });
  await setUpBackends();
  expect(ownKernels()).toBeNull();
});

defineFilterGradientTests('the XNNPACK fallback');
