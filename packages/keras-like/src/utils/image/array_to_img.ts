/**
 * `keras.utils.array_to_img(x, { data_format, scale, dtype })` (also
 * `keras.preprocessing.image.array_to_img`): a [height, width, channels] array as an `Image`.
 * With `scale` (the default) the values are shifted and stretched to 0-255
 * (x − min, then · 255 / max), as Keras; then truncated to 8 bits — 1 channel gives 'L'
 * (or 'I' when a value exceeds 255), 3 'RGB', 4 'RGBA'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { toTensor, type TensorLike } from '../data.js';
import { Image } from './image.js';
import { dataFormatSchema } from './options.js';

const schema = z.object({
  data_format: dataFormatSchema,
  scale: z.boolean({ message: 'must be a boolean' }).default(true),
  dtype: z.literal('float32', { message: "must be 'float32' or null" }).nullable().default(null),
});
export type ArrayToImgOptions = KerasOptions<typeof schema>;

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function array_to_img(x: TensorLike, ...args: [ArrayToImgOptions?] | [string | null, boolean?]): Image {
  const { data_format, scale } = parseArgs('array_to_img', schema, ['data_format', 'scale'], args);
  const tensor = toTensor(x, 'x');
  let values: Float32Array;
  let shape: number[];
  try {
    if (tensor.rank !== 3) throw new ValueError(`Expected image array to have rank 3 (single image). Got array with shape: ${pyShape(tensor.shape)}`);
    const hwc = data_format === 'channels_first' ? tf.transpose(tensor, [1, 2, 0]) : tensor;
    values = Float32Array.from(hwc.dataSync());
    shape = hwc.shape;
    if (hwc !== tensor) hwc.dispose();
  } finally {
    if (tensor !== x) tensor.dispose();
  }
  const [height, width, channels] = shape as [number, number, number];
  if (scale) {
    let min = Infinity;
    for (const v of values) min = Math.min(min, v);
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      values[i] = Math.fround(values[i]! - min);
      max = Math.max(max, values[i]!);
    }
    // In float32, as NumPy computes on the float32 array Keras makes.
    for (let i = 0; i < values.length; i++) values[i] = Math.fround((max !== 0 ? Math.fround(values[i]! / max) : values[i]!) * 255);
  }
  // NumPy's astype('uint8'): truncation toward zero, then wrap-around modulo 256.
  const toUint8 = (v: number) => ((Math.trunc(v) % 256) + 256) % 256;
  if (channels === 4 || channels === 3) return new Image(channels === 4 ? 'RGBA' : 'RGB', width, height, Uint8Array.from(values, toUint8));
  if (channels === 1) {
    let max = -Infinity;
    for (const v of values) max = Math.max(max, v);
    if (max > 255) return new Image('I', width, height, Int32Array.from(values, (v) => Math.trunc(v)));
    return new Image('L', width, height, Uint8Array.from(values, toUint8));
  }
  throw new ValueError(`Unsupported channel number: ${channels}`);
}
