/**
 * `keras.utils.img_to_array(img, { data_format, dtype })` (also
 * `keras.preprocessing.image.img_to_array`): an image's pixels as a float32 tensor of shape
 * [height, width, channels] (or [channels, height, width] with 'channels_first'), with the
 * values of the file: 0-255, not rescaled, as Keras gives them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { Image } from './image.js';
import { assertImage } from './load_img.js';
import { dataFormatSchema } from './options.js';

const schema = z.object({
  data_format: dataFormatSchema,
  dtype: z.enum(['float32', 'int32'], { message: "must be 'float32' (Keras's floatx) or 'int32'" }).nullable().default(null).transform((v) => v ?? 'float32'),
});
export type ImgToArrayOptions = KerasOptions<typeof schema>;

export function img_to_array(img: Image, ...args: [ImgToArrayOptions?] | [string | null, string?]): tf.Tensor3D {
  const { data_format, dtype } = parseArgs('img_to_array', schema, ['data_format', 'dtype'], args);
  assertImage(img, 'img_to_array');
  const values = dtype === 'float32' ? Float32Array.from(img.data) : Int32Array.from(img.data);
  const hwc = tf.tensor3d(values, [img.height, img.width, img.channels], dtype);
  if (data_format === 'channels_last') return hwc;
  const chw = tf.transpose(hwc, [2, 0, 1]);
  hwc.dispose();
  return chw;
}
