/**
 * `VarianceScaling` and its named presets (Glorot, He, LeCun): the variance of the draw is
 * scaled to the kernel's fan-in and fan-out, so activations keep their scale layer to layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import { RandomInitializer, seedField } from './initializer.js';

/** Keras's `compute_fans`: fan-in and fan-out of a dense kernel [in, out] or a convolution kernel [..., in, out]. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptiveField, shape[shape.length - 1]! * receptiveField];
}

const MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
const DISTRIBUTIONS = ['normal', 'uniform', 'truncated_normal', 'untruncated_normal'] as const;
type Mode = (typeof MODES)[number];
type Distribution = (typeof DISTRIBUTIONS)[number];

// Keras 3.16 lets a kernel name its fan axes; keras-like takes Keras's default (the last two
// axes), so configs written by Keras (`input_axes: null`) load and any other value is refused.
const fanAxes = z.null({ message: "must be null (keras-like computes fans from the kernel's last two axes)" }).optional();

const varianceSchema = z.object({
  scale: z.number({ message: 'must be a positive float' }).positive({ message: 'must be a positive float' }).default(1),
  mode: z.enum(MODES, { message: `must be one of ${MODES.map((m) => `'${m}'`).join(', ')}` }).default('fan_in'),
  distribution: z
    .string({ message: 'must be a string' })
    .transform((d) => d.toLowerCase())
    .pipe(z.enum(DISTRIBUTIONS, { message: `must be one of ${DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}` }))
    .default('truncated_normal'),
  seed: seedField,
  input_axes: fanAxes,
  output_axes: fanAxes,
});
/** Keyword arguments of `VarianceScaling`. */
export type VarianceScalingOptions = KerasOptions<typeof varianceSchema>;

// Standard deviation of a unit normal truncated to [−2, 2]; dividing by it restores the variance.
const TRUNCATED_STDDEV = 0.8796256610342398;

export class VarianceScalingInitializer extends RandomInitializer {
  readonly scale: number;
  readonly mode: Mode;
  readonly distribution: Distribution;
  constructor(...args: [VarianceScalingOptions?] | [number, Mode?, Distribution?, (number | null)?]) {
    const o = parseArgs('VarianceScaling', varianceSchema, ['scale', 'mode', 'distribution', 'seed'], args);
    super(o.seed);
    this.scale = o.scale;
    this.mode = o.mode;
    this.distribution = o.distribution;
  }
  /** Variance `scale / n`, n the fan-in, fan-out or their mean; uniform draws use the limit sqrt(3 · variance). */
  call(shape: number[]): tf.Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return tf.randomUniform(shape, -limit, limit, 'float32', this.seed);
    }
    if (this.distribution === 'untruncated_normal') return tf.randomNormal(shape, 0, Math.sqrt(variance), 'float32', this.seed);
    return tf.truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, 'float32', this.seed);
  }
  override get_config(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...super.get_config(), input_axes: null, output_axes: null };
  }
}
/**
 * Draws with a variance scaled to the kernel's shape: `scale / n`, n = fan_in, fan_out or
 * their average (`mode`), from a truncated normal, an untruncated normal or a uniform
 * distribution (`distribution`). Args: `scale` (defaults to 1), `mode` (defaults to 'fan_in'),
 * `distribution` (defaults to 'truncated_normal'), `seed`.
 */
export const VarianceScaling = callable(VarianceScalingInitializer);
export type VarianceScaling = VarianceScalingInitializer;

const seedOnlySchema = z.object({ seed: seedField, input_axes: fanAxes, output_axes: fanAxes });
/** Keyword arguments of the Glorot, He and LeCun initializers. */
export type SeedOptions = KerasOptions<typeof seedOnlySchema>;

/** A named VarianceScaling preset: Glorot, He and LeCun, uniform or normal. */
function preset(
  className: string,
  scale: number,
  mode: Mode,
  distribution: Distribution,
): CallableClass<[SeedOptions?] | [number | null], VarianceScalingInitializer> {
  const cls = class extends VarianceScalingInitializer {
    constructor(...args: [SeedOptions?] | [number | null]) {
      const { seed } = parseArgs(className, seedOnlySchema, ['seed'], args);
      super({ scale, mode, distribution, seed });
    }
    override get_config(): Record<string, unknown> {
      return { seed: super.get_config().seed, input_axes: null, output_axes: null };
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** Glorot (Xavier) uniform: limit sqrt(6 / (fan_in + fan_out)). Keras's default kernel initializer. Args: `seed`. */
export const GlorotUniform = preset('GlorotUniform', 1, 'fan_avg', 'uniform');
export type GlorotUniform = VarianceScalingInitializer;
/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out)). Args: `seed`. */
export const GlorotNormal = preset('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
export type GlorotNormal = VarianceScalingInitializer;
/** He uniform: limit sqrt(6 / fan_in). Args: `seed`. */
export const HeUniform = preset('HeUniform', 2, 'fan_in', 'uniform');
export type HeUniform = VarianceScalingInitializer;
/** He normal: truncated normal with stddev sqrt(2 / fan_in). Args: `seed`. */
export const HeNormal = preset('HeNormal', 2, 'fan_in', 'truncated_normal');
export type HeNormal = VarianceScalingInitializer;
/** LeCun uniform: limit sqrt(3 / fan_in). Args: `seed`. */
export const LecunUniform = preset('LecunUniform', 1, 'fan_in', 'uniform');
export type LecunUniform = VarianceScalingInitializer;
/** LeCun normal: truncated normal with stddev sqrt(1 / fan_in). Args: `seed`. */
export const LecunNormal = preset('LecunNormal', 1, 'fan_in', 'truncated_normal');
export type LecunNormal = VarianceScalingInitializer;
