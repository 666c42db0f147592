/**
 * From what a user wrote (`kernel_initializer: 'he_uniform'`, an instance, a class, a
 * function or a config) to an initializer: `keras.initializers.get` / `serialize` /
 * `deserialize`, and `getInitializer` for layers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { UnknownIdentifierError } from '../errors.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { closestName } from '../options/suggest.js';
import { Constant, Identity, Ones, Zeros } from './constant.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, VarianceScaling } from './variance_scaling.js';

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
