/** Option schemas the image utilities share. */
import { z } from 'zod';

export const dataFormatSchema = z
  .enum(['channels_last', 'channels_first'], { message: "must be 'channels_last' or 'channels_first'" })
  .nullable()
  .default(null)
  .transform((v) => v ?? 'channels_last');

export const colorModeSchema = z.enum(['grayscale', 'rgb', 'rgba'], { message: 'must be "grayscale", "rgb", or "rgba"' }).default('rgb');

export const interpolationSchema = z
  .enum(['nearest', 'bilinear', 'bicubic', 'hamming', 'box', 'lanczos'], {
    message: 'must be one of the supported methods: nearest, bilinear, bicubic, hamming, box, lanczos',
  });

/** `(height, width)`, positive integers. */
export const sizeSchema = z.custom<[number, number]>(
  (v) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n > 0),
  { message: 'must be [height, width], two positive integers' },
);
