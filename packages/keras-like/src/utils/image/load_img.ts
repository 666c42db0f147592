/**
 * `keras.utils.load_img(path, { color_mode, target_size, interpolation, keep_aspect_ratio })`
 * (also `keras.preprocessing.image.load_img`): reads a PNG or JPEG file into an `Image`, in
 * Keras's steps — convert to the colour mode (a 16-bit gray PNG stays 16-bit in 'grayscale',
 * as PIL's 'I'), then, when `target_size` ([height, width]) differs, resize with PIL's
 * resampling, after a centred crop to the target's aspect ratio when `keep_aspect_ratio`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseOptions } from '../../options/parse.js';
import { repr } from '../../options/repr.js';
import { decodeImage } from './codecs.js';
import type { Image } from './image.js';
import { colorModeSchema, interpolationSchema, sizeSchema } from './options.js';
import { resize } from './resample.js';

const schema = z.object({
  color_mode: colorModeSchema,
  target_size: sizeSchema.nullable().default(null),
  interpolation: interpolationSchema.default('nearest'),
  keep_aspect_ratio: z.boolean({ message: 'must be a boolean' }).default(false),
});
export type LoadImgOptions = KerasOptions<typeof schema>;

/**
 *   const img = load_img('cat.png', { target_size: [150, 150] });
 *   const x = img_to_array(img);          // float32 [150, 150, 3], values 0-255
 */
export function load_img(path: string | URL | Uint8Array, options?: LoadImgOptions): Image {
  const o = parseOptions('load_img', schema, options);
  let bytes: Uint8Array;
  if (path instanceof Uint8Array) bytes = path;
  else if (typeof path === 'string' || path instanceof URL) bytes = readFileSync(path);
  else throw new TypeError(`path should be path-like or bytes, not ${repr(path)}`);
  const name = path instanceof Uint8Array ? '<bytes>' : repr(String(path));
  return prepareImage(decodeImage(bytes, name), o);
}

/** Keras's conversion and resizing of a decoded image (shared with image_dataset_from_directory). */
export function prepareImage(decoded: Image, o: z.output<typeof schema>): Image {
  let img = decoded;
  if (o.color_mode === 'grayscale') {
    if (img.mode !== 'L' && img.mode !== 'I') img = img.convert('L');
  } else img = img.convert(o.color_mode === 'rgba' ? 'RGBA' : 'RGB');
  if (o.target_size === null) return img;
  const [targetHeight, targetWidth] = o.target_size;
  if (img.width === targetWidth && img.height === targetHeight) return img;
  if (!o.keep_aspect_ratio) return resize(img, targetWidth, targetHeight, o.interpolation);
  // The largest centred crop with the target's aspect ratio (integer arithmetic, as Keras's).
  const { width, height } = img;
  const cropHeight = Math.min(height, Math.floor((width * targetHeight) / targetWidth));
  const cropWidth = Math.min(width, Math.floor((height * targetWidth) / targetHeight));
  const top = Math.floor((height - cropHeight) / 2);
  const left = Math.floor((width - cropWidth) / 2);
  return resize(img, targetWidth, targetHeight, o.interpolation, [left, top, left + cropWidth, top + cropHeight]);
}

export function assertImage(value: unknown, owner: string): asserts value is Image {
  if (typeof value !== 'object' || value === null || !('mode' in value) || !('data' in value)) {
    throw new ValueError(`${owner}: \`img\` must be an image from load_img or array_to_img. Received: ${repr(value)}`);
  }
}
