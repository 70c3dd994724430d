import { BackendError, tf, useBackend } from '../../lib';

describe('useBackend', () => {
  it('switches to the pure-JS cpu backend when named', async () => {
    const choice = await useBackend('cpu');
    expect([choice.name, tf.getBackend()]).toEqual(['cpu', 'cpu']);
  });

  it('auto takes the fastest backend that starts, here at least wasm, and says what it skipped', async () => {
    const choice = await useBackend('auto');
    expect(['gpu', 'webgpu', 'tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.tfBackend);
    if (choice.name === 'wasm') {
      expect(choice.skipped).toEqual([
        expect.stringMatching(/^gpu \(@tensorflow\/tfjs-node-gpu is (not installed|installed but failed to load)\)$/),
        expect.stringMatching(/^webgpu \(/),
        expect.stringMatching(/^tensorflow \(@tensorflow\/tfjs-node is (not installed|installed but failed to load)\)$/),
      ]);
    }
  });

  it('says how to install a missing native backend', async () => {
    let error: unknown;
    try {
      require.resolve('@tensorflow/tfjs-node');
      return;
    } catch {
      error = await useBackend('tensorflow').catch((e: unknown) => e);
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toBe(
      "backend 'tensorflow': @tensorflow/tfjs-node is not installed; install it with `npm install @tensorflow/tfjs-node@4.22.0` (its install downloads libtensorflow)",
    );
  });

  it('rejects an unknown name, listing the known ones', async () => {
    await expect(useBackend('cuda' as 'gpu')).rejects.toThrow(
      "backend 'cuda': unknown backend; use one of 'auto', 'gpu', 'webgpu', 'tensorflow', 'wasm' or 'cpu'",
    );
  });
});
