import { activateWasm } from '../../../lib/backends/wasm';
import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { setUpBackends } from '../../helpers/backend_comparison';
import { defineFilterGradientTests } from '../../helpers/filter_gradient_cases';

beforeAll(async () => {
  await activateWasm({ threads: 2 });
  await setUpBackends();
  // Without this, a failure to start our kernel would leave these cases testing the fallback.
  expect(ownKernels()).not.toBeNull();
});

defineFilterGradientTests('our own kernel on 2 threads');
