import { createImageSet } from '../../lib/data/dataset';
import { featureMapGrids, filtersGrid, MAX_CHANNELS_SHOWN, misclassifiedGrid, misclassifiedIndices, percent, setImage } from '../../lib/report/figures';

const predictions = { predicted: Int32Array.of(0, 2, 1, 1), confidence: Float32Array.of(0.9, 0.6, 0.999, 0.8) };
const test = createImageSet(Float32Array.from({ length: 4 * 4 }, (_, i) => i / 15), Int32Array.of(0, 1, 2, 1), [2, 2, 1]);

describe('misclassified images', () => {
  it('lists the wrong predictions, most confident first', () => {
    expect(misclassifiedIndices(test.labels, predictions)).toEqual([2, 1]);
  });

  it('captions each with its true and predicted class name and the probability', () => {
    const grid = misclassifiedGrid(test, predictions, ['zero', 'one', 'two'], { limit: 1, columns: 8, tileWidth: 56 });
    expect(grid?.title).toBe('The 1 most confident of 2 misclassified test images');
    expect(grid?.tiles.map((tile) => tile.caption)).toEqual(['true two\npredicted one (>99%)']);
    expect(Array.from(grid?.tiles[0]?.image.data.subarray(0, 4) ?? [])).toEqual(Array.from(setImage(test, 2).data.subarray(0, 4)));
  });

  it('has no grid when every prediction is right', () => {
    const right = { predicted: Int32Array.from(test.labels), confidence: Float32Array.of(1, 1, 1, 1) };
    expect(misclassifiedGrid(test, right, ['a', 'b', 'c'], { limit: 8, columns: 8, tileWidth: 56 })).toBeNull();
  });

  it('percent never rounds a probability to a certainty it is not', () => {
    expect([percent(0.971), percent(0.9996), percent(1), percent(0.004), percent(0)]).toEqual(['97%', '>99%', '100%', '<1%', '0%']);
  });
});

describe('filtersGrid', () => {
  const kernel = (inputChannels: number, filters: number) => ({
    layer: 'conv2d (Conv2D)',
    kernelHeight: 1,
    kernelWidth: 2,
    inputChannels,
    filters,
    values: Float32Array.from({ length: 2 * inputChannels * filters }, (_, i) => i - 3),
  });

  it('draws gray-input filters on one diverging scale: zero is white, the extremes saturated', () => {
    const grid = filtersGrid({ ...kernel(1, 2), values: Float32Array.of(0, -2, 0, 2) }, 48);
    expect(grid.title).toBe('conv2d (Conv2D): 2 filters of 1 x 2');
    expect(grid.tiles.map((tile) => tile.caption)).toEqual(['#0', '#1']);
    const [first, second] = grid.tiles.map((tile) => Array.from(tile.image.data));
    // Filter 0 is [0, 0], filter 1 is [-2, 2] (kernel order [h, w, in, filters]).
    expect(first?.slice(0, 3)).toEqual(first?.slice(4, 7));
    expect(second?.slice(0, 3)).not.toEqual(second?.slice(4, 7));
  });

  it('draws RGB filters in colour and sums other channel counts', () => {
    expect(filtersGrid(kernel(3, 4), 48).title).toBe('conv2d (Conv2D): 4 RGB filters of 1 x 2');
    expect(filtersGrid(kernel(2, 4), 48).title).toBe('conv2d (Conv2D): 4 filters of 1 x 2, summed over 2 input channels');
  });
});

describe('featureMapGrids', () => {
  it(`shows each channel, at most ${MAX_CHANNELS_SHOWN} per layer`, () => {
    const channels = MAX_CHANNELS_SHOWN + 6;
    const maps = { name: 'conv2d', layer: 'conv2d (Conv2D)', height: 2, width: 2, channels, values: new Float32Array(4 * channels) };
    const [grid] = featureMapGrids([maps], 64);
    expect(grid?.title).toBe(`conv2d (Conv2D): ${channels} maps of 2 x 2, the first ${MAX_CHANNELS_SHOWN}`);
    expect(grid?.tiles).toHaveLength(MAX_CHANNELS_SHOWN);
    expect(grid?.columns).toBe(8);
  });
});
