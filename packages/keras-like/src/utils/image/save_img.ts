/**
 * `keras.utils.save_img(path, x, { data_format, file_format, scale })` (also
 * `keras.preprocessing.image.save_img`): `array_to_img(x)` written as PNG or JPEG, the format
 * from `file_format` or else the file's extension. RGBA saved as JPEG loses its alpha, with
 * Keras's warning.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseOptions } from '../../options/parse.js';
import type { TensorLike } from '../data.js';
import { array_to_img } from './array_to_img.js';
import { encodeImage } from './codecs.js';
import { dataFormatSchema } from './options.js';

const schema = z.object({
  data_format: dataFormatSchema,
  file_format: z.string({ message: "must be 'png', 'jpeg' or 'jpg'" }).nullable().default(null),
  scale: z.boolean({ message: 'must be a boolean' }).default(true),
});
export type SaveImgOptions = KerasOptions<typeof schema>;

export function save_img(path: string | URL, x: TensorLike, options?: SaveImgOptions): void {
  const o = parseOptions('save_img', schema, options);
  const extension = /\.([^./\\]+)$/.exec(String(path))?.[1] ?? '';
  let format = (o.file_format ?? extension).toLowerCase();
  if (format === 'jpg') format = 'jpeg';
  if (format !== 'png' && format !== 'jpeg') {
    throw new ValueError(`save_img: keras-like writes PNG and JPEG files; unknown file format ${JSON.stringify(format)} (from ${o.file_format === null ? 'the extension of the path' : '`file_format`'}).`);
  }
  let img = array_to_img(x, { data_format: o.data_format, scale: o.scale });
  if (img.mode === 'RGBA' && format === 'jpeg') {
    console.warn('UserWarning: The JPEG format does not support RGBA images, converting to RGB.');
    img = img.convert('RGB');
  }
  writeFileSync(path, encodeImage(img, format));
}
