/**
 * The arguments convolution and pooling layers share, validated as Keras 3 does
 * (`standardize_tuple`, `standardize_padding`, `standardize_data_format`), and the
 * output-length rule of `compute_conv_output_shape`.
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { shapeText, type Shape } from './layer.js';

export type DataFormat = 'channels_last' | 'channels_first';
export type Padding = 'valid' | 'same' | 'causal';

/**
 * What a caller may write for `padding`: Keras's literals, in lower or upper case ('same', 'SAME').
 * Keras lowers any case (`standardize_padding`), so JavaScript callers' other spellings ('Same')
 * are accepted at run time too; anything else fails there with Keras's list of allowed values.
 */
export type PaddingArg<P extends Padding = 'valid' | 'same'> = P | Uppercase<P>;
/** What a caller may write for `data_format` (Keras lowers it as well); `null` means 'channels_last'. */
export type DataFormatArg = DataFormat | Uppercase<DataFormat>;

/** `3` or `[3, 3]`: checked by `standardizeTuple`, which knows how many entries the layer needs. */
export const tupleField = z.custom<number | readonly number[]>(() => true);

/** 'valid' or 'same' (any case, as Keras lowers it); 'causal' too when `allowCausal` (Conv1D). */
export function paddingField<C extends boolean>(allowCausal: C) {
  type Allowed = C extends true ? Padding : 'valid' | 'same';
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const message = `must be one of {${allowed.map((p) => `'${p}'`).join(', ')}}`;
  return z
    .string({ error: message })
    .transform((p) => p.toLowerCase())
    .refine((p) => allowed.includes(p), { error: message })
    .default('valid') as unknown as z.ZodDefault<z.ZodType<Allowed, PaddingArg<Allowed>>>;
}

/** A `data_format` string, lowered as Keras does, and checked. */
const dataFormatString = z
  .string({ error: "must be one of {'channels_first', 'channels_last'}" })
  .transform((f) => f.toLowerCase())
  .refine((f) => f === 'channels_last' || f === 'channels_first', { error: "must be one of {'channels_first', 'channels_last'}" }) as unknown as z.ZodType<
  DataFormat,
  DataFormatArg
>;

/** Keras's image data format: `null` means 'channels_last' (keras.config.image_data_format()). */
export const dataFormatField = dataFormatString.nullish().transform((f): DataFormat => f ?? 'channels_last');

/**
 * Keras's `standardize_tuple`: an integer becomes `n` copies of itself; a list must have `n`
 * integers; every entry must be > 0 (≥ 0 with `allowZero`).
 */
export function standardizeTuple(owner: string, value: number | readonly number[], n: number, name: string, allowZero = false): number[] {
  const message = `${owner}: The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${repr(value)}`;
  const tuple = typeof value === 'number' ? Array<number>(n).fill(value) : Array.isArray(value) ? [...(value as number[])] : null;
  if (tuple === null || tuple.length !== n || !tuple.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new ValueError(message);
  }
  const bad = tuple.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    throw new ValueError(`${message}, including values {${[...new Set(bad)].join(', ')}} that do not satisfy \`value ${allowZero ? '>=' : '>'} 0\``);
  }
  return tuple;
}

/**
 * The length of one spatial axis after a convolution or pooling window, as Keras's
 * `compute_conv_output_shape`: 'valid' keeps the positions where the whole (dilated) window
 * fits, floor((n − d·(k − 1) − 1) / s) + 1; 'same' and 'causal' pad so that it is ceil(n / s).
 */
export function convOutputLength(length: number | null, kernel: number, stride: number, padding: Padding, dilation = 1): number | null {
  if (length === null) return null;
  if (padding === 'valid') return Math.floor((length - dilation * (kernel - 1) - 1) / stride) + 1;
  return Math.floor((length - 1) / stride) + 1;
}

/**
 * Keras's check that a 'valid' window fits: "Computed output size would be zero or negative",
 * with the input shape, the kernel (or pool) size, the strides and the padding it got.
 */
export function assertPositiveOutput(owner: string, inputShape: Shape, outputSpatial: Array<number | null>, details: string): void {
  if (outputSpatial.some((size) => size !== null && size <= 0)) {
    throw new ValueError(`${owner}: Computed output size would be zero or negative. Received \`inputs shape=${shapeText(inputShape)}\`, ${details}.`);
  }
}

/**
 * Keras's InputSpec message, at the call that received the input: convolutions declare
 * `min_ndim` (Keras lets the conv op reject more axes), pooling and padding layers `ndim`;
 * keras-like's kernels take exactly `ndim` axes either way.
 */
export function assertRank(layerName: string, inputShape: readonly (number | null)[], ndim: number, spec: 'ndim' | 'min_ndim' = 'ndim'): void {
  if (inputShape.length !== ndim) {
    throw new ValueError(
      `Input 0 of layer "${layerName}" is incompatible with the layer: expected ${spec}=${ndim}, found ndim=${inputShape.length}. ` +
        `Full shape received: ${shapeText(inputShape)}`,
    );
  }
}

/** The spatial axes and the channel axis of an input of `rank` in `dataFormat`. */
export function axesOf(rank: number, dataFormat: DataFormat): { spatial: number[]; channel: number } {
  const spatialCount = rank - 2;
  return dataFormat === 'channels_last'
    ? { spatial: Array.from({ length: spatialCount }, (_, i) => i + 1), channel: rank - 1 }
    : { spatial: Array.from({ length: spatialCount }, (_, i) => i + 2), channel: 1 };
}

/** `[0, 2, 3, 1]`: moves axis 1 (channels) last; `toChannelsFirst` moves it back. */
export function toChannelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

export function toChannelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}
