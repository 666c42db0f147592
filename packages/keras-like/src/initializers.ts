/**
 * `keras.initializers`: how a layer's weights start, as in Keras 3
 * (keras/src/initializers/). An initializer is called like a function,
 * `init(shape)` → a new `tf.Tensor`:
 *
 *   Dense(64, { kernel_initializer: 'he_uniform' })
 *   Dense(64, { kernel_initializer: keras.initializers.RandomUniform({ minval: 0, maxval: 1 }) })
 *
 * Random initializers take their seed from keras-like's random source when none is given,
 * once, at construction (as Keras 3 does): so `keras.utils.set_random_seed(s)` before
 * building a model reproduces its weights, and one unseeded instance called twice gives
 * the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { UnknownIdentifierError, ValueError } from './errors.js';
import { type KerasOptions, isPlainObject, parseArgs } from './options/parse.js';
import { repr } from './options/repr.js';
import { closestName } from './options/suggest.js';
import { CallableInstance } from './utils/callable_instance.js';
import { callable } from './utils/callable.js';
import { nextSeed } from './utils/random.js';

/** The call signature of an initializer: Python's `init(shape, dtype=None)`. */
export interface Initializer {
  (shape: number[], dtype?: 'float32'): tf.Tensor;
}

/** Base class of the initializers (`keras.initializers.Initializer`): implement `call(shape)` and `get_config()`. */
export abstract class Initializer extends CallableInstance {
  /** A new tensor of `shape` holding the initial values. */
  abstract call(shape: number[]): tf.Tensor;

  /** Keras's constructor arguments, enough to rebuild the initializer with `from_config`. */
  get_config(): Record<string, unknown> {
    return {};
  }

  __call__(shape: number[], _dtype?: 'float32'): tf.Tensor {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ValueError(`${this.constructor.name}: \`shape\` must be a list of non-negative integers. Received: shape=${repr(shape)}`);
    }
    return this.call(shape);
  }
}

const seedField = z
  .number({ message: 'must be an integer or null' })
  .int({ message: 'must be an integer or null' })
  .nullable()
  .default(null);

/** Random initializers: `seed` fixes their draws; without one, a seed is drawn from keras-like's random source. */
abstract class RandomInitializer extends Initializer {
  /** The seed the draws use (Keras's `self.seed`). */
  readonly seed: number;

  constructor(private readonly initSeed: number | null) {
    super();
    this.seed = initSeed ?? nextSeed();
  }

  override get_config(): Record<string, unknown> {
    return { seed: this.initSeed };
  }
}

const normalSchema = z.object({
  mean: z.number({ message: 'must be a float' }).default(0),
  stddev: z.number({ message: 'must be a float' }).default(0.05),
  seed: seedField,
});
/** Keyword arguments of `RandomNormal` and `TruncatedNormal`. */
export type RandomNormalOptions = KerasOptions<typeof normalSchema>;
type NormalArgs = [RandomNormalOptions?] | [number, number?, (number | null)?];

class RandomNormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(...args: NormalArgs) {
    const o = parseArgs('RandomNormal', normalSchema, ['mean', 'stddev', 'seed'], args);
    super(o.seed);
    this.mean = o.mean;
    this.stddev = o.stddev;
  }
  call(shape: number[]): tf.Tensor {
    return tf.randomNormal(shape, this.mean, this.stddev, 'float32', this.seed);
  }
  override get_config() {
    return { mean: this.mean, stddev: this.stddev, ...super.get_config() };
  }
}
/** Draws from a normal distribution. Args: `mean` (defaults to 0), `stddev` (defaults to 0.05), `seed`. */
export const RandomNormal = callable(RandomNormalInitializer);
export type RandomNormal = RandomNormalInitializer;

class TruncatedNormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(...args: NormalArgs) {
    const o = parseArgs('TruncatedNormal', normalSchema, ['mean', 'stddev', 'seed'], args);
    super(o.seed);
    this.mean = o.mean;
    this.stddev = o.stddev;
  }
  call(shape: number[]): tf.Tensor {
    return tf.truncatedNormal(shape, this.mean, this.stddev, 'float32', this.seed);
  }
  override get_config() {
    return { mean: this.mean, stddev: this.stddev, ...super.get_config() };
  }
}
/**
 * Draws from a normal distribution, redrawing values more than two standard deviations from
 * the mean. Args: `mean` (defaults to 0), `stddev` (defaults to 0.05), `seed`.
 */
export const TruncatedNormal = callable(TruncatedNormalInitializer);
export type TruncatedNormal = TruncatedNormalInitializer;

const uniformSchema = z.object({
  minval: z.number({ message: 'must be a float' }).default(-0.05),
  maxval: z.number({ message: 'must be a float' }).default(0.05),
  seed: seedField,
});
/** Keyword arguments of `RandomUniform`. */
export type RandomUniformOptions = KerasOptions<typeof uniformSchema>;

class RandomUniformInitializer extends RandomInitializer {
  readonly minval: number;
  readonly maxval: number;
  constructor(...args: [RandomUniformOptions?] | [number, number?, (number | null)?]) {
    const o = parseArgs('RandomUniform', uniformSchema, ['minval', 'maxval', 'seed'], args);
    super(o.seed);
    this.minval = o.minval;
    this.maxval = o.maxval;
  }
  call(shape: number[]): tf.Tensor {
    return tf.randomUniform(shape, this.minval, this.maxval, 'float32', this.seed);
  }
  override get_config() {
    return { minval: this.minval, maxval: this.maxval, ...super.get_config() };
  }
}
/** Draws uniformly from [minval, maxval). Args: `minval` (defaults to -0.05), `maxval` (defaults to 0.05), `seed`. */
export const RandomUniform = callable(RandomUniformInitializer);
export type RandomUniform = RandomUniformInitializer;

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

const varianceSchema = z.object({
  scale: z.number({ message: 'must be a positive float' }).positive({ message: 'must be a positive float' }).default(1),
  mode: z.enum(MODES, { message: `must be one of ${MODES.map((m) => `'${m}'`).join(', ')}` }).default('fan_in'),
  distribution: z
    .string({ message: 'must be a string' })
    .transform((d) => d.toLowerCase())
    .pipe(z.enum(DISTRIBUTIONS, { message: `must be one of ${DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}` }))
    .default('truncated_normal'),
  seed: seedField,
});
/** Keyword arguments of `VarianceScaling`. */
export type VarianceScalingOptions = KerasOptions<typeof varianceSchema>;

// Standard deviation of a unit normal truncated to [−2, 2]; dividing by it restores the variance.
const TRUNCATED_STDDEV = 0.8796256610342398;

class VarianceScalingInitializer extends RandomInitializer {
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
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...super.get_config() };
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

const seedOnlySchema = z.object({ seed: seedField });
/** Keyword arguments of the Glorot, He and LeCun initializers. */
export type SeedOptions = KerasOptions<typeof seedOnlySchema>;

/** A named VarianceScaling preset: Glorot, He and LeCun, uniform or normal. */
function preset(className: string, scale: number, mode: Mode, distribution: Distribution) {
  const cls = class extends VarianceScalingInitializer {
    constructor(...args: [SeedOptions?] | [number | null]) {
      const { seed } = parseArgs(className, seedOnlySchema, ['seed'], args);
      super({ scale, mode, distribution, seed });
    }
    override get_config(): Record<string, unknown> {
      return { seed: super.get_config().seed };
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

class ZerosInitializer extends Initializer {
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('Zeros', z.object({}), [], [options]);
  }

  call(shape: number[]): tf.Tensor {
    return tf.zeros(shape);
  }
}
/** All zeros (Keras's default bias initializer). */
export const Zeros = callable(ZerosInitializer);
export type Zeros = ZerosInitializer;

class OnesInitializer extends Initializer {
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('Ones', z.object({}), [], [options]);
  }

  call(shape: number[]): tf.Tensor {
    return tf.ones(shape);
  }
}
/** All ones. */
export const Ones = callable(OnesInitializer);
export type Ones = OnesInitializer;

const constantSchema = z.object({ value: z.number({ message: 'must be a float' }).default(0) });
/** Keyword arguments of `Constant`. */
export type ConstantOptions = KerasOptions<typeof constantSchema>;

class ConstantInitializer extends Initializer {
  readonly value: number;
  constructor(...args: [ConstantOptions?] | [number]) {
    super();
    this.value = parseArgs('Constant', constantSchema, ['value'], args).value;
  }
  call(shape: number[]): tf.Tensor {
    return tf.fill(shape, this.value);
  }
  override get_config() {
    return { value: this.value };
  }
}
/** Every value equal to `value` (defaults to 0). */
export const Constant = callable(ConstantInitializer);
export type Constant = ConstantInitializer;

const gainSchema = z.object({ gain: z.number({ message: 'must be a float' }).default(1) });
const orthogonalSchema = gainSchema.extend({ seed: seedField });
/** Keyword arguments of `Identity`. */
export type IdentityOptions = KerasOptions<typeof gainSchema>;
/** Keyword arguments of `Orthogonal`. */
export type OrthogonalOptions = KerasOptions<typeof orthogonalSchema>;

class IdentityInitializer extends Initializer {
  readonly gain: number;
  constructor(...args: [IdentityOptions?] | [number]) {
    super();
    this.gain = parseArgs('Identity', gainSchema, ['gain'], args).gain;
  }
  call(shape: number[]): tf.Tensor {
    if (shape.length !== 2) {
      throw new ValueError(`Identity matrix initializer can only be used for 2D matrices. Received: shape=${repr(shape)} of rank ${shape.length}.`);
    }
    return tf.tidy(() => tf.mul(tf.eye(shape[0]!, shape[1]!), this.gain));
  }
  override get_config() {
    return { gain: this.gain };
  }
}
/** `gain` times the identity matrix (2-D shapes only; rectangular ones get ones on the diagonal). */
export const Identity = callable(IdentityInitializer);
export type Identity = IdentityInitializer;

class OrthogonalInitializer extends RandomInitializer {
  readonly gain: number;
  constructor(...args: [OrthogonalOptions?] | [number, (number | null)?]) {
    const o = parseArgs('Orthogonal', orthogonalSchema, ['gain', 'seed'], args);
    super(o.seed);
    this.gain = o.gain;
  }
  /** QR-decompose a normal draw of the flattened shape; sign-correct Q by diag(R) so it is uniformly distributed. */
  call(shape: number[]): tf.Tensor {
    if (shape.length < 2) {
      throw new ValueError(`The tensor to initialize must be at least two-dimensional. Received: shape=${repr(shape)} of rank ${shape.length}.`);
    }
    return tf.tidy(() => {
      const cols = shape[shape.length - 1]!;
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const a = tf.randomNormal([Math.max(rows, cols), Math.min(rows, cols)], 0, 1, 'float32', this.seed);
      const [q, r] = tf.linalg.qr(a);
      const signs = tf.sign(tf.sum(tf.mul(r, tf.eye(r.shape[0]!, r.shape[1]!)), 0));
      let orthogonal = tf.mul(q, signs);
      if (rows < cols) orthogonal = tf.transpose(orthogonal);
      return tf.reshape(tf.mul(orthogonal, this.gain), shape);
    });
  }
  override get_config() {
    return { gain: this.gain, ...super.get_config() };
  }
}
/** A random orthogonal matrix (rows or columns orthonormal) times `gain` (defaults to 1). Args: `gain`, `seed`. */
export const Orthogonal = callable(OrthogonalInitializer);
export type Orthogonal = OrthogonalInitializer;

// Keras 2 / TF2 lower-case factory names (`keras.initializers.glorot_uniform(seed=1)`).
export {
  GlorotUniform as glorot_uniform,
  GlorotNormal as glorot_normal,
  HeUniform as he_uniform,
  HeNormal as he_normal,
  LecunUniform as lecun_uniform,
  LecunNormal as lecun_normal,
  RandomUniform as random_uniform,
  RandomNormal as random_normal,
  TruncatedNormal as truncated_normal,
  Zeros as zeros,
  Ones as ones,
  Constant as constant,
  Identity as identity,
  Orthogonal as orthogonal,
  VarianceScaling as variance_scaling,
};

type InitializerClass = new (options?: Record<string, unknown>) => Initializer;

/** Every class by its Keras name. */
const CLASSES: Record<string, InitializerClass> = {
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
  RandomUniform,
  RandomNormal,
  TruncatedNormal,
  Zeros,
  Ones,
  Constant,
  Identity,
  Orthogonal,
  VarianceScaling,
} as unknown as Record<string, InitializerClass>;

/** `GlorotUniform` → `glorot_uniform`, Keras's `to_snake_case`. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Names `get` accepts: class names, their snake_case forms, and TF2's 'uniform', 'normal', 'zero', 'one'. */
const NAMES: ReadonlyMap<string, () => Initializer> = new Map<string, () => Initializer>([
  // snake_case names first, so "did you mean" suggests 'glorot_uniform' rather than 'GlorotUniform'.
  ...Object.entries(CLASSES).map(([name, cls]) => [snakeCase(name), () => new cls()] as const),
  ...Object.entries(CLASSES).map(([name, cls]) => [name, () => new cls()] as const),
  // TF2's meaning: uniform is RandomUniform(−0.05, 0.05) and normal is RandomNormal(0, 0.05), Keras's defaults.
  ['uniform', () => new RandomUniform()],
  ['normal', () => new RandomNormal()],
  ['zero', () => new Zeros()],
  ['one', () => new Ones()],
  ['IdentityInitializer', () => new Identity()],
  ['OrthogonalInitializer', () => new Orthogonal()],
]);

/** Every name `get` accepts. */
export const INITIALIZER_NAMES: readonly string[] = [...NAMES.keys()];

/** Keras's serialized form of an initializer. */
export interface InitializerConfig {
  module?: string;
  class_name: string;
  config?: Record<string, unknown>;
  registered_name?: string | null;
}

/** A plain function used as an initializer: `(shape) => tensor`. */
export type InitializerFunction = (shape: number[]) => tf.Tensor;

/** What `kernel_initializer:` accepts: a Keras name, an initializer, a function, or a serialized config. */
export type InitializerIdentifier = string | Initializer | InitializerFunction | InitializerConfig | (new () => Initializer);

function unknown(identifier: unknown): UnknownIdentifierError {
  const suggestion = typeof identifier === 'string' ? closestName(identifier, INITIALIZER_NAMES) : undefined;
  return new UnknownIdentifierError(
    `Could not interpret initializer identifier: ${repr(identifier)}.` + (suggestion ? ` Did you mean '${suggestion}'?` : ''),
  );
}

/** `keras.initializers.serialize(init)` → `{ module, class_name, config, registered_name }`. */
export function serialize(initializer: Initializer): InitializerConfig {
  const className = Object.entries(CLASSES).find(([, cls]) => initializer.constructor === cls || Object.getPrototypeOf(initializer) === cls.prototype)?.[0];
  return { module: 'keras.initializers', class_name: className ?? initializer.constructor.name, config: initializer.get_config(), registered_name: null };
}

/** `keras.initializers.deserialize(config)`: the inverse of `serialize`; a bare name also works. */
export function deserialize(config: InitializerConfig | string): Initializer {
  if (typeof config === 'string') return get(config) as Initializer;
  const cls = CLASSES[config.class_name];
  if (cls === undefined) throw unknown(config.class_name);
  return new cls(config.config ?? {});
}

/**
 * `keras.initializers.get(identifier)`: a new initializer for a Keras name (class name,
 * snake_case name or TF2 name), a deserialized config, or a function / initializer as is.
 */
export function get(identifier: InitializerIdentifier): Initializer | InitializerFunction {
  // A class given without `()` (`kernel_initializer: keras.initializers.HeNormal`): Keras instantiates it.
  if (typeof identifier === 'function' && identifier.prototype instanceof Initializer) return new (identifier as new () => Initializer)();
  if (typeof identifier === 'function') return identifier as Initializer | InitializerFunction;
  if (typeof identifier === 'string') {
    const make = NAMES.get(identifier);
    if (make) return make();
    throw unknown(identifier);
  }
  if (isPlainObject(identifier) && typeof identifier.class_name === 'string') return deserialize(identifier);
  throw unknown(identifier);
}

/** What a layer's `add_weight` calls: `get`, typed as the function `init(shape)`. */
export function getInitializer(identifier: InitializerIdentifier): (shape: number[]) => tf.Tensor {
  return get(identifier);
}
