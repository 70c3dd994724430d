import { ownKernels } from '../../../lib/backends/wasm_kernels/own_kernels';
import { transformFilter, winogradBlockTiles, WINOGRAD_MIN_CHANNELS } from '../../../lib/backends/wasm_kernels/winograd_conv';
import { tf } from '../../../lib/tf';
import { expectBackendsAgree, seededTensor, seededValues, setUpBackendsWithOwnKernels } from '../../helpers/backend_comparison';
import { convolveWithGradients, fusedConvolution, type FusedOptions, type Padding } from '../../helpers/convolutions';

beforeAll(setUpBackendsWithOwnKernels);

afterEach(() => {
  jest.restoreAllMocks();
});

/** How many tiles of 2x2 output pixels a convolution has: what the blocks are made of. */
function tilesOf(xShape: number[], pad: 'same' | 'valid'): number {
  const [batch = 0, height = 0, width = 0] = xShape;
  const out = (size: number): number => (pad === 'same' ? size : size - 2);
  return batch * Math.ceil(out(height) / 2) * Math.ceil(out(width) / 2);
}

describe('Conv2D on wasm, 3x3, stride 1, channels in fours from 16: Winograd on our kernel', () => {
  // Odd output sizes leave half-empty tiles at the bottom and the right; blocks of 128 tiles (16
  // in, 16 out) give 3 blocks over 2 threads with a short last one; 128 and 64 channels make
  // blocks of 21 tiles, and 6 tiles leave the second thread's share empty; 260 input channels take the
  // matrix product over two blocks of depth. The forward convolution runs twice (once more
  // inside tf.grads); the gradient with respect to x, a convolution of dy with the flipped
  // filter and dy's channels as the input's, runs here too where the direct kernel is not
  // cheaper (see Conv2DBackpropInput): 3 calls, else 2.
  test.each<[string, number[], number[], Padding, number]>([
    ['odd height and width', [2, 5, 7, 16], [3, 3, 16, 20], 'same', 3],
    ['valid', [2, 6, 6, 16], [3, 3, 16, 16], 'valid', 2],
    ['more output channels than input', [1, 9, 4, 16], [3, 3, 16, 32], 'same', 3],
    ['explicit padding, 2 above and 1 right', [3, 4, 5, 20], [3, 3, 20, 24], [[0, 0], [2, 0], [0, 1], [0, 0]], 2],
    ['3 blocks over 2 threads', [3, 20, 22, 16], [3, 3, 16, 16], 'same', 3],
    ['one block, an empty share', [1, 4, 6, 128], [3, 3, 128, 64], 'same', 3],
    ['260 input channels', [2, 3, 3, 260], [3, 3, 260, 16], 'same', 2],
  ])('%s: %j * %j matches the cpu backend, gradients too', async (_case, xShape, filterShape, pad, calls) => {
    const ours = jest.spyOn(ownKernels()!, 'winogradConv');
    await expectBackendsAgree(() => convolveWithGradients(xShape, filterShape, pad), 1e-5);
    expect(ours).toHaveBeenCalledTimes(calls);
  });

  test('the block cases are what their names say', () => {
    expect(winogradBlockTiles(16, 16)).toBe(128);
    expect(Math.ceil(tilesOf([3, 20, 22, 16], 'same') / winogradBlockTiles(16, 16))).toBe(3);
    expect(winogradBlockTiles(128, 64)).toBe(21);
    expect(tilesOf([1, 4, 6, 128], 'same')).toBe(6);
  });

  test.each<[string, number[], number[], [number, number], number]>([
    ['stride 2', [2, 8, 8, 16], [3, 3, 16, 16], [2, 2], 1],
    ['dilation 2', [2, 8, 8, 16], [3, 3, 16, 16], [1, 1], 2],
    ['5x5', [2, 8, 8, 16], [5, 5, 16, 16], [1, 1], 1],
    [`${WINOGRAD_MIN_CHANNELS - 4} input channels`, [2, 8, 8, WINOGRAD_MIN_CHANNELS - 4], [3, 3, WINOGRAD_MIN_CHANNELS - 4, 16], [1, 1], 1],
    ['18 output channels', [2, 8, 8, 16], [3, 3, 16, 18], [1, 1], 1],
  ])('%s: the backend kernel runs and matches the cpu backend', async (_case, xShape, filterShape, strides, dilation) => {
    const ours = jest.spyOn(ownKernels()!, 'winogradConv');
    await expectBackendsAgree(() => {
      const x = seededTensor(xShape, 21) as tf.Tensor4D;
      const filter = seededTensor(filterShape, 22) as tf.Tensor4D;
      return [tf.conv2d(x, filter, strides, 'same', 'NHWC', dilation)];
    }, 1e-5);
    expect(ours).not.toHaveBeenCalled();
  });

  test('equals a plain-loop convolution with hand-set weights', async () => {
    const [height, width, channels] = [3, 5, 16];
    const image = Array.from({ length: height * width * channels }, (_, i) => ((i * 7) % 11) - 5);
    const weights = Array.from({ length: 9 * channels * 4 }, (_, i) => ((i * 3) % 5) - 2);
    const expected: number[] = [];
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        for (let k = 0; k < 4; k++) {
          let sum = 0;
          for (let kh = 0; kh < 3; kh++) {
            for (let kw = 0; kw < 3; kw++) {
              const [ir, ic] = [r + kh - 1, c + kw - 1];
              if (ir < 0 || ir >= height || ic < 0 || ic >= width) continue;
              for (let ch = 0; ch < channels; ch++) {
                sum += (image[(ir * width + ic) * channels + ch] as number) * (weights[((kh * 3 + kw) * channels + ch) * 4 + k] as number);
              }
            }
          }
          expected.push(sum);
        }
      }
    }
    const ours = jest.spyOn(ownKernels()!, 'winogradConv');
    // Only 4 output channels, under the minimum: the same products with 16 output channels, cut.
    const filter = tf.tidy(() => tf.concat([tf.tensor4d(weights, [3, 3, channels, 4]), tf.zeros([3, 3, channels, 12])], 3));
    const y = tf.conv2d(tf.tensor4d(image, [1, height, width, channels]), filter as tf.Tensor4D, 1, 'same');
    const actual = await y.slice([0, 0, 0, 0], [1, height, width, 4]).data();
    expect(ours).toHaveBeenCalled();
    // Integer data: every partial sum is exact in float32 except through the ½ in G.
    Array.from(actual).forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 3));
    tf.dispose([filter, y]);
  });
});

describe('FusedConv2D on wasm, 3x3, stride 1 (inference)', () => {
  test.each<[string, FusedOptions]>([
    ['its bias', {}],
    ['its bias and relu', { activation: 'relu' }],
    ['relu and no bias', { activation: 'relu', bias: undefined }],
  ])('with %s: Winograd on our kernel matches the cpu backend', async (_case, options) => {
    const ours = jest.spyOn(ownKernels()!, 'winogradConv');
    await expectBackendsAgree(() => [fusedConvolution([2, 7, 5, 16], [3, 3, 16, 20], 'same', options)], 1e-5);
    expect(ours).toHaveBeenCalled();
  });

  test.each<[string, FusedOptions]>([
    ['relu6', { activation: 'relu6' }],
    ['elu', { activation: 'elu' }],
  ])('with %s, the backend kernel runs and matches the cpu backend', async (_case, options) => {
    const ours = jest.spyOn(ownKernels()!, 'winogradConv');
    await expectBackendsAgree(() => [fusedConvolution([2, 7, 5, 16], [3, 3, 16, 20], 'same', options)], 1e-5);
    expect(ours).not.toHaveBeenCalled();
  });
});

describe('transformFilter', () => {
  /** (G g Gᵀ) by plain matrix products, for one pair of channels. */
  function reference(g: number[][]): number[][] {
    const G = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
    const times = (a: number[][], b: number[][]): number[][] =>
      a.map((row) => (b[0] ?? []).map((_, j) => row.reduce((sum, value, k) => sum + value * (b[k]?.[j] ?? 0), 0)));
    const transposed = (a: number[][]): number[][] => (a[0] ?? []).map((_, j) => a.map((row) => row[j] ?? 0));
    return times(times(G, g), transposed(G));
  }

  test('gives G g Gᵀ for every pair of channels, in [16, in, out]', () => {
    const [inChannels, outChannels] = [2, 3];
    const w = Float32Array.from(seededValues(9 * inChannels * outChannels, 31));
    const u = new Float32Array(16 * inChannels * outChannels);
    transformFilter(w, u, inChannels, outChannels);
    for (let c = 0; c < inChannels; c++) {
      for (let k = 0; k < outChannels; k++) {
        const at = c * outChannels + k;
        const g = [0, 1, 2].map((kh) => [0, 1, 2].map((kw) => w[(kh * 3 + kw) * inChannels * outChannels + at] as number));
        const expected = reference(g).flat();
        expected.forEach((value, xi) => expect(u[xi * inChannels * outChannels + at]).toBeCloseTo(value, 6));
      }
    }
  });
});
