/**
 * Image files to `Image` and back: PNG through fast-png, JPEG through jpeg-js (pure-JavaScript
 * npm packages, no native code). The format is read from the file's first bytes, as PIL does,
 * not from its name.
 *
 * PNG pixels are exact. JPEG is lossy and decoders differ in their inverse DCT and chroma
 * upsampling: jpeg-js's pixels can differ from libjpeg's (PIL's) by a few levels, the
 * difference the tests measure (docs/preprocessing.md).
 */
import type * as FastPng from 'fast-png';
import type * as JpegJs from 'jpeg-js';
import { lazyRequire } from '../lazy_require.js';

// Loaded by the first image read or written, not at import (utils/lazy_require.ts).
const fastPng = lazyRequire<typeof FastPng>('fast-png');
const jpegJs = lazyRequire<typeof JpegJs>('jpeg-js');
import { ValueError } from '../../errors.js';
import { Image, type ImageMode } from './image.js';

export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** 'png', 'jpeg', or null for any other file. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Decodes a PNG or JPEG file's bytes; `what` names the file in messages. */
export function decodeImage(bytes: Uint8Array, what: string): Image {
  const format = sniffFormat(bytes);
  if (format === 'png') return fromPng(bytes);
  if (format === 'jpeg') {
    const decoded = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: false });
    const channels = decoded.data.length / (decoded.width * decoded.height);
    return new Image(channels === 1 ? 'L' : 'RGB', decoded.width, decoded.height, decoded.data);
  }
  throw new ValueError(`cannot identify image file ${what}: keras-like reads PNG and JPEG files.`);
}

function fromPng(bytes: Uint8Array): Image {
  const png = fastPng().decode(bytes);
  if (png.palette) {
    const rgb = fastPng().convertIndexedToRgb(png);
    const channels = rgb.length / (png.width * png.height);
    return new Image(channels === 4 ? 'RGBA' : 'RGB', png.width, png.height, Uint8Array.from(rgb));
  }
  const modes: Record<number, ImageMode> = { 1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA' };
  const mode = modes[png.channels]!;
  if (png.depth === 16) {
    // PIL opens 16-bit gray as 'I' (values kept) and 16-bit colour as 8-bit (high byte).
    if (png.channels === 1) return new Image('I', png.width, png.height, Int32Array.from(png.data));
    return new Image(mode, png.width, png.height, Uint8Array.from(png.data, (v) => v >> 8));
  }
  // Depths 1, 2, 4 are unpacked by fast-png to one value per sample; PIL scales them to 0-255.
  const scale = png.depth < 8 ? 255 / (2 ** png.depth - 1) : 1;
  return new Image(mode, png.width, png.height, scale === 1 ? Uint8Array.from(png.data) : Uint8Array.from(png.data, (v) => Math.round(v * scale)));
}

/** Encodes an 8-bit image (mode L, LA, RGB, RGBA) as PNG or JPEG (quality 75, PIL's default). */
export function encodeImage(img: Image, format: ImageFormat): Uint8Array {
  if (img.mode === 'I') {
    const data = Uint16Array.from(img.data, (v) => Math.max(0, Math.min(65535, v)));
    return fastPng().encode({ width: img.width, height: img.height, data, depth: 16, channels: 1 });
  }
  if (format === 'png') {
    return fastPng().encode({ width: img.width, height: img.height, data: img.data as Uint8Array, depth: 8, channels: img.channels });
  }
  // jpeg-js encodes RGBA input (alpha ignored).
  const rgba = img.convert('RGBA');
  return new Uint8Array(jpegJs().encode({ width: img.width, height: img.height, data: rgba.data as Uint8Array }, 75).data);
}
