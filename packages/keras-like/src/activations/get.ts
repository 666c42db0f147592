/**
 * From what a user wrote (`activation: 'relu'`, `activation: keras.activations.tanh`,
 * `activation: K.tanh`, `activation: (x) => ...`) to a function (`keras.activations.get`)
 * or to the engine's `Activation` (`getActivation`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as K from '../backend/math.js';
import { UnknownIdentifierError } from '../errors.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { Registry } from '../utils/registry.js';
import type { Activation } from './activation.js';
import { BUILTIN_ACTIVATIONS } from './builtins.js';
import * as fns from './functions.js';

/** A function an activation can be given as: tensor in, tensor out. */
export type ActivationFunction = (x: tf.Tensor) => tf.Tensor;

/** What `activation:` accepts: a Keras name, a function, a serialized config, or nothing (linear). */
export type ActivationIdentifier = string | ActivationFunction | Activation | { class_name: string; config?: unknown } | null | undefined;

/** Keras's public functions by name (`keras.activations.get('relu')` returns `keras.activations.relu`). */
const FUNCTIONS: ReadonlyMap<string, ActivationFunction> = new Map<string, ActivationFunction>([
  ['linear', fns.linear],
  ['relu', fns.relu],
  ['relu6', fns.relu6],
  ['leaky_relu', fns.leaky_relu],
  ['sigmoid', fns.sigmoid],
  ['tanh', fns.tanh],
  ['softmax', fns.softmax],
  ['log_softmax', fns.log_softmax],
  ['elu', fns.elu],
  ['selu', fns.selu],
  ['softplus', fns.softplus],
  ['softsign', fns.softsign],
  ['exponential', fns.exponential],
  ['hard_sigmoid', fns.hard_sigmoid],
  ['hard_silu', fns.hard_silu],
  ['hard_swish', fns.hard_silu],
  ['silu', fns.silu],
  ['swish', fns.silu],
  ['gelu', fns.gelu],
  ['mish', fns.mish],
  ['log_sigmoid', fns.log_sigmoid],
  ['celu', fns.celu],
  ['hard_tanh', fns.hard_tanh],
  ['tanh_shrink', fns.tanh_shrink],
  ['hard_shrink', fns.hard_shrink],
  ['soft_shrink', fns.soft_shrink],
  ['sparse_plus', fns.sparse_plus],
  ['sparse_sigmoid', fns.sparse_sigmoid],
  ['squareplus', fns.squareplus],
]);

/**
 * Functions that compute a built-in activation with its defaults, so passing one as
 * `activation:` gets the hand-written derivative: Keras's own, `K.*`, and tf's.
 */
const KNOWN_FUNCTIONS: ReadonlyMap<unknown, string> = new Map<unknown, string>([
  ...[...FUNCTIONS].map(([name, fn]) => [fn, name] as const),
  [K.tanh, 'tanh'],
  [K.sigmoid, 'sigmoid'],
  [K.relu, 'relu'],
  [K.softmax, 'softmax'],
  [K.exp, 'exponential'],
  [tf.relu, 'relu'],
  [tf.relu6, 'relu6'],
  [tf.sigmoid, 'sigmoid'],
  [tf.tanh, 'tanh'],
  [tf.softmax, 'softmax'],
  [tf.logSoftmax, 'log_softmax'],
  [tf.elu, 'elu'],
  [tf.selu, 'selu'],
  [tf.softplus, 'softplus'],
  [tf.exp, 'exponential'],
  [tf.logSigmoid, 'log_sigmoid'],
]);

const REGISTRY = new Registry<ActivationFunction>({ kind: 'activation function', module: 'keras.activations', listNamesWhenNoSuggestion: true });
for (const [name, fn] of FUNCTIONS) REGISTRY.addNames([name], () => fn);

/** Every name `get` accepts. */
export const ACTIVATION_NAMES: readonly string[] = REGISTRY.names;

function isActivation(value: unknown): value is Activation {
  return typeof value === 'object' && value !== null && 'forward' in value && 'backward' in value && 'name' in value;
}

function nameOf(identifier: string | { class_name: string; config?: unknown }): string {
  if (typeof identifier === 'string') return identifier;
  // Keras 3 serializes a built-in function as its name, or as {class_name: 'function', config: name}.
  return typeof identifier.config === 'string' ? identifier.config : identifier.class_name;
}

/**
 * `keras.activations.get(identifier)`: the activation function for a Keras name, a
 * serialized config, or a function (returned as is). `null`/`undefined` give `linear`.
 */
export function get(identifier: ActivationIdentifier): ActivationFunction {
  if (identifier === null || identifier === undefined) return fns.linear;
  if (typeof identifier === 'function') return identifier;
  if (isActivation(identifier)) return (x) => identifier.forward(x);
  if (typeof identifier === 'string' || isPlainObject(identifier)) {
    const make = REGISTRY.find(nameOf(identifier));
    if (make) return make({});
  }
  throw REGISTRY.unknown(identifier);
}

/** `keras.activations.deserialize(config)`: the function a serialized name or config stands for. */
export function deserialize(config: string | { class_name: string; config?: unknown }): ActivationFunction {
  return get(config);
}

/** `keras.activations.serialize(fn)`: a built-in activation's Keras name. */
export function serialize(activation: ActivationIdentifier): string {
  if (activation === null || activation === undefined) return 'linear';
  if (typeof activation === 'string') {
    if (REGISTRY.find(activation)) return activation;
    throw REGISTRY.unknown(activation);
  }
  if (isActivation(activation)) return activation.name;
  if (typeof activation === 'function') {
    const name = KNOWN_FUNCTIONS.get(activation);
    if (name !== undefined) return name;
  }
  throw new UnknownIdentifierError(
    `Unknown activation function ${repr(activation)} cannot be serialized: only Keras's built-in activations have a name.`,
  );
}

/**
 * The engine's view of an activation: forward plus a hand-written backward for every
 * built-in (also when given as a function such as `keras.activations.tanh` or `K.tanh`);
 * any other function gets its backward from TensorFlow.js autodiff (`tf.grad`).
 */
export function getActivation(identifier: ActivationIdentifier): Activation {
  if (identifier === null || identifier === undefined) return BUILTIN_ACTIVATIONS.get('linear')!;
  if (isActivation(identifier)) return identifier;
  if (typeof identifier === 'function') {
    const name = KNOWN_FUNCTIONS.get(identifier);
    return name !== undefined ? BUILTIN_ACTIVATIONS.get(name)! : fromFunction(identifier);
  }
  if (typeof identifier === 'string' || isPlainObject(identifier)) {
    const builtin = BUILTIN_ACTIVATIONS.get(nameOf(identifier));
    if (builtin) return builtin;
  }
  throw REGISTRY.unknown(identifier);
}

function fromFunction(fn: ActivationFunction): Activation {
  const gradient = tf.grad((z: tf.Tensor) => fn(z));
  return {
    name: fn.name || 'custom_activation',
    forward: (z) => fn(z),
    backward: (dA, z) => gradient(z, dA),
  };
}
