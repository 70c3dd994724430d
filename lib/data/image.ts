/**
 * Single image files (PNG, JPEG) to model input: decoded, converted to the wanted number of
 * channels and resized, values in [0, 1], channels last.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ConfigError, DataError } from '../errors';
import { unitOfByte, type ImageShape } from './dataset';
import { describeError, readBytes } from './files';

/** A decoded image: 8-bit RGBA, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** `width * height * 4` bytes. */
  readonly data: Uint8Array;
}

/** File name endings read as images. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** ITU-R BT.601 luma weights, as PIL's `convert('L')` and TensorFlow's `rgb_to_grayscale` use. */
const LUMA_RED = 0.299;
const LUMA_GREEN = 0.587;
const LUMA_BLUE = 0.114;

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

/** Checks an image shape given by the caller: positive height and width, 1 or 3 channels. */
export function checkImageShape(subject: string, shape: ImageShape): void {
  const [height, width, channels] = shape;
  const isSide = (side: number): boolean => Number.isSafeInteger(side) && side > 0;
  if (!isSide(height) || !isSide(width) || (channels !== 1 && channels !== 3)) {
    throw new ConfigError(subject, 'imageShape', [...shape], '[height, width, channels] with 1 or 3 channels');
  }
}

/**
 * Decodes PNG or JPEG bytes, told apart by their signature rather than the file name's ending.
 * `filePath` only names the file in errors.
 */
export function decodeImage(bytes: Uint8Array, filePath: string): RgbaImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      decoded = PNG.sync.read(buffer);
    } else if (startsWith(bytes, JPEG_SIGNATURE)) {
      decoded = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true });
    } else {
      const first = Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
      throw new DataError(filePath, `not a PNG or JPEG image (first bytes: ${first || 'none, empty file'})`);
    }
  } catch (error: unknown) {
    if (error instanceof DataError) throw error;
    throw new DataError(filePath, `corrupt or unsupported image (${describeError(error)})`);
  }
  const { width, height, data } = decoded;
  if (width <= 0 || height <= 0 || data.length !== width * height * 4) {
    throw new DataError(filePath, `corrupt image: decoded ${width} x ${height} with ${data.length} bytes`);
  }
  return { width, height, data };
}

/**
 * RGBA bytes -> `channels` floats in [0, 1]: alpha is dropped (not blended), RGB -> gray by
 * BT.601 luma, and gray pixels (R = G = B) are kept exactly.
 */
export function rgbaToChannels(image: RgbaImage, channels: 1 | 3): Float32Array {
  const pixels = image.width * image.height;
  const result = new Float32Array(pixels * channels);
  for (let pixel = 0; pixel < pixels; pixel++) {
    const red = image.data[pixel * 4] as number;
    const green = image.data[pixel * 4 + 1] as number;
    const blue = image.data[pixel * 4 + 2] as number;
    if (channels === 3) {
      result[pixel * 3] = unitOfByte(red);
      result[pixel * 3 + 1] = unitOfByte(green);
      result[pixel * 3 + 2] = unitOfByte(blue);
    } else if (red === green && green === blue) {
      result[pixel] = unitOfByte(red);
    } else {
      result[pixel] = (LUMA_RED * red + LUMA_GREEN * green + LUMA_BLUE * blue) / 255;
    }
  }
  return result;
}

/**
 * Bilinear resize of a channels-last image with half-pixel centres, as TensorFlow 2's
 * `tf.image.resize` (and so Keras's `image_dataset_from_directory`) does by default, without
 * antialiasing. The same size is an exact copy.
 */
export function resizeBilinear(
  source: Float32Array,
  sourceShape: ImageShape,
  targetHeight: number,
  targetWidth: number,
): Float32Array {
  const [sourceHeight, sourceWidth, channels] = sourceShape;
  if (sourceHeight === targetHeight && sourceWidth === targetWidth) return source.slice();
  const result = new Float32Array(targetHeight * targetWidth * channels);
  const rowScale = sourceHeight / targetHeight;
  const columnScale = sourceWidth / targetWidth;
  for (let row = 0; row < targetHeight; row++) {
    const y = (row + 0.5) * rowScale - 0.5;
    const top = Math.max(Math.floor(y), 0);
    const bottom = Math.min(Math.ceil(y), sourceHeight - 1);
    const rowWeight = y - Math.floor(y);
    for (let column = 0; column < targetWidth; column++) {
      const x = (column + 0.5) * columnScale - 0.5;
      const left = Math.max(Math.floor(x), 0);
      const right = Math.min(Math.ceil(x), sourceWidth - 1);
      const columnWeight = x - Math.floor(x);
      const topLeft = (top * sourceWidth + left) * channels;
      const topRight = (top * sourceWidth + right) * channels;
      const bottomLeft = (bottom * sourceWidth + left) * channels;
      const bottomRight = (bottom * sourceWidth + right) * channels;
      for (let channel = 0; channel < channels; channel++) {
        const upperLeft = source[topLeft + channel] as number;
        const upper = upperLeft + ((source[topRight + channel] as number) - upperLeft) * columnWeight;
        const lowerLeft = source[bottomLeft + channel] as number;
        const lower = lowerLeft + ((source[bottomRight + channel] as number) - lowerLeft) * columnWeight;
        result[(row * targetWidth + column) * channels + channel] = upper + (lower - upper) * rowWeight;
      }
    }
  }
  return result;
}

/** Decoded bytes -> `[height, width, channels]` floats in [0, 1]. */
export function imageToInput(image: RgbaImage, shape: ImageShape): Float32Array {
  const [height, width, channels] = shape;
  const converted = rgbaToChannels(image, channels as 1 | 3);
  return resizeBilinear(converted, [image.height, image.width, channels], height, width);
}

/**
 * Reads one PNG or JPEG file as model input of `shape` (`[height, width, channels]`, 1 or 3
 * channels), e.g. to predict on a single image.
 */
export function loadImageFile(filePath: string, shape: ImageShape): Float32Array {
  checkImageShape('loadImageFile', shape);
  return imageToInput(decodeImage(readBytes(filePath), filePath), shape);
}
