import { PNG } from 'pngjs';
import { encodePng, pngDataUri, pngSize } from '../../lib/report/png';

describe('PNG files', () => {
  const image = { width: 3, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => (i * 10) % 256) };

  it('encodes RGBA exactly, as any decoder reads it back', () => {
    const png = encodePng(image);
    const decoded = PNG.sync.read(Buffer.from(png));
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect(Array.from(decoded.data)).toEqual(Array.from(image.data));
    expect(pngSize(png, 'test.png')).toEqual({ width: 3, height: 2 });
  });

  it('makes data: URIs, and refuses to size what is not a PNG', () => {
    expect(pngDataUri(Uint8Array.of(1, 2, 3))).toBe('data:image/png;base64,AQID');
    expect(() => pngSize(Uint8Array.of(1, 2, 3), 'figure.png')).toThrow('figure.png: is not a PNG image (3 bytes without a PNG header)');
  });
});
