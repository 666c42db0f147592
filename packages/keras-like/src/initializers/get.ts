/**
 * From what a user wrote (`kernel_initializer: 'he_uniform'`, an instance, a class, a
 * function or a config) to an initializer: `keras.initializers.get` / `serialize` /
 * `deserialize`, and `getInitializer` for layers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../options/parse.js';
import { Registry } from '../utils/registry.js';
import { Constant, Identity, Ones, Zeros } from './constant.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, VarianceScaling } from './variance_scaling.js';

/** Every class by its Keras name; `get` also takes their snake_case names and TF2's names. */
const REGISTRY = new Registry<Initializer>({ kind: 'initializer', module: 'keras.initializers', snakeCaseNames: true });
for (const [name, cls] of Object.entries({
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
})) {
  REGISTRY.addClass(name, cls);
}
// TF2's meaning: uniform is RandomUniform(−0.05, 0.05) and normal is RandomNormal(0, 0.05), Keras's defaults.
REGISTRY.addNames(['uniform'], () => new RandomUniform())
  .addNames(['normal'], () => new RandomNormal())
  .addNames(['zero'], () => new Zeros())
  .addNames(['one'], () => new Ones())
  .addNames(['IdentityInitializer'], () => new Identity())
  .addNames(['OrthogonalInitializer'], () => new Orthogonal());

/** Every name `get` accepts. */
export const INITIALIZER_NAMES: readonly string[] = REGISTRY.names;

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

/** `keras.initializers.serialize(init)` → `{ module, class_name, config, registered_name }`. */
export function serialize(initializer: Initializer): InitializerConfig {
  return REGISTRY.serialize(REGISTRY.classNameOf(initializer) ?? initializer.constructor.name, initializer.get_config());
}

/** `keras.initializers.deserialize(config)`: the inverse of `serialize`; a bare name also works. */
export function deserialize(config: InitializerConfig | string): Initializer {
  if (typeof config === 'string') return get(config) as Initializer;
  const make = REGISTRY.findClass(config.class_name);
  if (make === undefined) throw REGISTRY.unknown(config.class_name);
  return make(config.config ?? {});
}

/**
 * `keras.initializers.get(identifier)`: a new initializer for a Keras name (class name,
 * snake_case name or TF2 name), a deserialized config, or a function / initializer as is.
 */
export function get(identifier: InitializerIdentifier): Initializer | InitializerFunction {
  // A class given without `()` (`kernel_initializer: keras.initializers.HeNormal`): Keras instantiates it.
  if (typeof identifier === 'function' && identifier.prototype instanceof Initializer) return new (identifier as new () => Initializer)();
  if (typeof identifier === 'function') return identifier as Initializer | InitializerFunction;
  if (typeof identifier === 'string') return REGISTRY.get(identifier);
  if (isPlainObject(identifier) && typeof identifier.class_name === 'string') return deserialize(identifier);
  throw REGISTRY.unknown(identifier);
}

/** What a layer's `add_weight` calls: `get`, typed as the function `init(shape)`. */
export function getInitializer(identifier: InitializerIdentifier): (shape: number[]) => tf.Tensor {
  return get(identifier);
}
