import { enlarge, GRAY, pixelsToImage, schemeColormap, valueRange, valuesToImage } from '../../lib/report/pixels';

const rgba = (image: { data: Uint8Array }): number[] => Array.from(image.data);

describe('valuesToImage', () => {
  it('spreads the values over the colour map, from their minimum to their maximum by default', () => {
    const image = valuesToImage([-1, 0, 1, 3], 2, 2);
    expect([image.width, image.height]).toEqual([2, 2]);
    expect(rgba(image)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('takes a fixed range, clamping outside it, and draws a flat grid at the low end', () => {
    expect(rgba(valuesToImage([-5, 5], 2, 1, { range: [-1, 1] }))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(rgba(valuesToImage([2, 2], 1, 2))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('uses a Vega colour scheme: viridis runs from dark purple to yellow', () => {
    const viridis = schemeColormap('viridis');
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(rgba(valuesToImage([0, 1], 2, 1, { colormap: viridis }))).toEqual([68, 1, 84, 255, 253, 231, 37, 255]);
    expect(() => schemeColormap('no-such-scheme')).toThrow("schemeColormap: name must be a continuous Vega colour scheme such as 'viridis', got 'no-such-scheme'");
  });

  it('rejects a grid whose size does not match', () => {
    expect(() => valuesToImage([1, 2, 3], 2, 2)).toThrow("valuesToImage: values must be width * height = 2 * 2 = 4, got '3 values'");
  });
});

describe('pixelsToImage', () => {
  it('draws one channel as gray and three as RGB, values in [0, 1]', () => {
    expect(rgba(pixelsToImage([0, 1], 1, 2, 1))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(rgba(pixelsToImage([1, 0, 0.5], 1, 1, 3))).toEqual([255, 0, 128, 255]);
    expect(() => pixelsToImage([0, 0], 1, 1, 2)).toThrow('pixelsToImage: channels must be 1 (gray) or 3 (RGB), got 2');
  });
});

describe('enlarge', () => {
  it('turns each pixel into a square, so small images stay sharp', () => {
    const image = enlarge(valuesToImage([0, 1], 2, 1), 2);
    expect([image.width, image.height]).toEqual([4, 2]);
    const row = [0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
    expect(rgba(image)).toEqual([...row, ...row]);
    expect(() => enlarge(image, 1.5)).toThrow('enlarge: factor must be a positive integer, got 1.5');
  });
});

describe('helpers', () => {
  it('valueRange and GRAY', () => {
    expect(valueRange([3, -2, 7])).toEqual([-2, 7]);
    expect(valueRange([])).toEqual([0, 0]);
    expect(GRAY(0.5)).toEqual([128, 128, 128]);
  });
});
