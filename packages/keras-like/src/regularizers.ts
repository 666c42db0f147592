/**
 * `keras.regularizers`: penalties on weights (or activations) that are added to
 * the loss the model minimises, as in Keras 3 (keras/src/regularizers/).
 *
 *   Dense(64, { kernel_regularizer: keras.regularizers.l2(0.01), bias_regularizer: 'l1' })
 *
 * A regularizer is called like a function, `reg(w)` → scalar penalty. For the
 * engine, which has no gradient tape, each one also has `gradient(w)` = ∂penalty/∂w,
 * written by hand next to its formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from './errors.js';
import { parseArgs, type KerasOptions } from './options/parse.js';
import { CallableInstance } from './utils/callable_instance.js';
import { callable } from './utils/callable.js';
import { Registry } from './utils/registry.js';
import { epsilon } from './backend/index.js';

/** What a regularizer accepts: a tensor, or numbers as nested arrays. */
export type RegularizerInput = tf.Tensor | tf.TensorLike;

/** A plain function used as a regularizer, as Keras allows: `(w) => 0.01 * sum(|w|)`. */
export type RegularizerFunction = (x: tf.Tensor) => tf.Scalar;

export interface Regularizer {
  /** The penalty for `x`, a scalar tensor (Python's `__call__`). */
  (x: RegularizerInput): tf.Scalar;
}

/**
 * Base class of the regularizers (`keras.regularizers.Regularizer`). Subclass it
 * and implement `call(x)` (Python's `__call__`) and `get_config()`; `gradient(x)`
 * falls back to TensorFlow.js autodiff unless overridden (the gradient registry is
 * loaded by the package entry, src/backend/gradients.ts).
 */
export abstract class Regularizer extends CallableInstance {
  /** The penalty for `x`, a scalar tensor. */
  abstract call(x: tf.Tensor): tf.Scalar;

  /** `reg(x)`: `call`, after turning arrays into a tensor. */
  __call__(x: RegularizerInput): tf.Scalar {
    if (x instanceof tf.Tensor) return this.call(x);
    return tf.tidy(() => this.call(tf.tensor(x, undefined, 'float32')));
  }

  /** Keras's constructor arguments, enough to rebuild the regularizer with `from_config`. */
  abstract get_config(): Record<string, unknown>;

  /** ∂penalty/∂x, same shape as `x`. */
  gradient(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.grad((w: tf.Tensor) => this.call(w))(x));
  }

  /** Rebuilds a regularizer from `get_config()`'s output: `keras.regularizers.L2.from_config({ l2: 0.1 })`. */
  static from_config<T extends Regularizer>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }
}

// Keras's `validate_float_arg`: a finite, non-negative number. `null` means the default.
function factor(defaultValue: number) {
  return z
    .number({ error: 'must be a non-negative float' })
    .finite({ error: 'must be a non-negative float' })
    .min(0, { error: 'must be a non-negative float' })
    .nullish()
    .transform((value) => value ?? defaultValue);
}

const l1Schema = z.object({ l1: factor(0.01) });
const l2Schema = z.object({ l2: factor(0.01) });
const l1l2Schema = z.object({ l1: factor(0), l2: factor(0) });
const orthogonalSchema = z.object({
  factor: factor(0.01),
  mode: z.enum(['rows', 'columns'], { error: 'must be one of "rows", "columns"' }).default('rows'),
});

export type L1Options = KerasOptions<typeof l1Schema>;
export type L2Options = KerasOptions<typeof l2Schema>;
export type L1L2Options = KerasOptions<typeof l1l2Schema>;
export type OrthogonalRegularizerOptions = KerasOptions<typeof orthogonalSchema>;

/**
 * `loss = l1 * sum(|x|)`. `keras.regularizers.L1(l1=0.01)`; `'l1'` as a string.
 * Its gradient is `l1 * sign(x)` (0 at x = 0, as TensorFlow's subgradient of |x|).
 */
export class L1Regularizer extends Regularizer {
  readonly l1: number;

  /** @param l1 the L1 factor, a non-negative float. Defaults to 0.01. */
  constructor(l1?: number | null | L1Options, options?: L1Options) {
    super();
    ({ l1: this.l1 } = parseArgs('L1', l1Schema, ['l1'], [l1, options]));
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l1, tf.sum(tf.abs(x))));
  }

  override gradient(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(this.l1, tf.sign(x)));
  }

  // Keras 3 keeps L1's factor as a float32 tensor, so its config holds the float32 value
  // (L1(0.01) writes 0.009999999776482582); L2 and L1L2 keep the Python float.
  get_config(): { l1: number } {
    return { l1: Math.fround(this.l1) };
  }
}

/**
 * `loss = l2 * sum(x²)`. `keras.regularizers.L2(l2=0.01)`; `'l2'` as a string.
 * Its gradient is `2 * l2 * x`.
 */
export class L2Regularizer extends Regularizer {
  readonly l2: number;

  /** @param l2 the L2 factor, a non-negative float. Defaults to 0.01. */
  constructor(l2?: number | null | L2Options, options?: L2Options) {
    super();
    ({ l2: this.l2 } = parseArgs('L2', l2Schema, ['l2'], [l2, options]));
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l2, tf.sum(tf.square(x))));
  }

  override gradient(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(2 * this.l2, x));
  }

  get_config(): { l2: number } {
    return { l2: this.l2 };
  }
}

/**
 * `loss = l1 * sum(|x|) + l2 * sum(x²)`. `keras.regularizers.L1L2(l1=0.0, l2=0.0)`.
 * As in Keras 3, the class's factors default to 0 (so `L1L2({ l2: 0.1 })` has no L1
 * part), while the string `'l1_l2'` means `l1=0.01, l2=0.01`, as Keras documents.
 */
export class L1L2Regularizer extends Regularizer {
  readonly l1: number;
  readonly l2: number;

  /**
   * @param l1 the L1 factor, a non-negative float. Defaults to 0.
   * @param l2 the L2 factor, a non-negative float. Defaults to 0.
   */
  constructor(l1?: number | null | L1L2Options, l2?: number | null | L1L2Options, options?: L1L2Options) {
    super();
    ({ l1: this.l1, l2: this.l2 } = parseArgs('L1L2', l1l2Schema, ['l1', 'l2'], [l1, l2, options]));
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let penalty: tf.Scalar = tf.scalar(0);
      if (this.l1) penalty = tf.add(penalty, tf.mul(this.l1, tf.sum(tf.abs(x))));
      if (this.l2) penalty = tf.add(penalty, tf.mul(this.l2, tf.sum(tf.square(x))));
      return penalty;
    });
  }

  override gradient(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.mul(this.l1, tf.sign(x)), tf.mul(2 * this.l2, x)));
  }

  get_config(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * Encourages the rows (`mode: 'rows'`) or columns (`mode: 'columns'`) of a 2-D
 * weight to be orthogonal: with `n` the L2-normalised rows, `P = n nᵀ`, and `k`
 * rows, `loss = factor * 0.5 * sum(|P| off the diagonal) / (k (k - 1) / 2)`.
 * `keras.regularizers.OrthogonalRegularizer(factor=0.01, mode='rows')`.
 */
export class OrthogonalRegularizerImpl extends Regularizer {
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  /**
   * @param factor the regularization factor, a non-negative float. Defaults to 0.01.
   * @param options.mode `'rows'` or `'columns'`: which vectors to make orthogonal. Defaults to `'rows'`.
   */
  constructor(factor?: number | null | OrthogonalRegularizerOptions, options?: OrthogonalRegularizerOptions) {
    super();
    ({ factor: this.factor, mode: this.mode } = parseArgs('OrthogonalRegularizer', orthogonalSchema, ['factor', 'mode'], [
      factor,
      options,
    ]));
  }

  call(x: tf.Tensor): tf.Scalar {
    this.checkRank(x);
    return tf.tidy(() => {
      const { normalized, offDiagonal, scale } = this.parts(x);
      const product = tf.matMul(normalized, normalized, false, true);
      return tf.mul(scale, tf.sum(tf.abs(tf.mul(product, offDiagonal))));
    });
  }

  /**
   * With `n = x / r`, `r = max(‖x_row‖, ε)`: ∂loss/∂n = 2 G n where
   * `G = scale * sign(P)` off the diagonal (G is symmetric), and through the
   * normalisation ∂loss/∂x = (g - n (n · g)) / r (just g / ε where the norm is below ε).
   */
  override gradient(x: tf.Tensor): tf.Tensor {
    this.checkRank(x);
    return tf.tidy(() => {
      const { rows, normalized, offDiagonal, scale, norms } = this.parts(x);
      const product = tf.matMul(normalized, normalized, false, true);
      const g = tf.mul(2 * scale, tf.matMul(tf.mul(tf.sign(product), offDiagonal), normalized));
      const radius = tf.maximum(norms, epsilon());
      const projected = tf.sub(g, tf.mul(normalized, tf.sum(tf.mul(normalized, g), 1, true)));
      const dRows = tf.div(tf.where(tf.greater(norms, epsilon()), projected, g), radius);
      return rows === x ? dRows : tf.transpose(dRows);
    });
  }

  get_config(): { factor: number; mode: 'rows' | 'columns' } {
    return { factor: this.factor, mode: this.mode };
  }

  private checkRank(x: tf.Tensor): void {
    if (x.rank !== 2) {
      throw new ValueError(`Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=[${x.shape.join(', ')}]`);
    }
  }

  // The vectors to compare as rows, their norms and unit versions, the off-diagonal mask and the scale.
  private parts(x: tf.Tensor) {
    const rows = (this.mode === 'rows' ? x : tf.transpose(x)) as tf.Tensor2D;
    const size = rows.shape[0];
    const norms = tf.sqrt(tf.sum(tf.square(rows), 1, true));
    const normalized = tf.div(rows, tf.maximum(norms, epsilon())) as tf.Tensor2D;
    const offDiagonal = tf.sub(1, tf.eye(size));
    const numPairs = (size * (size - 1)) / 2;
    return { rows, normalized, offDiagonal, norms, scale: (this.factor * 0.5) / numPairs };
  }
}

/** A user's function wrapped so the engine can ask for its gradient (by autodiff). */
class FunctionRegularizer extends Regularizer {
  constructor(readonly fn: RegularizerFunction) {
    super();
  }

  call(x: tf.Tensor): tf.Scalar {
    return this.fn(x);
  }

  get_config(): Record<string, unknown> {
    return { function: this.fn.name || 'anonymous' };
  }
}

export const L1 = callable(L1Regularizer);
export type L1 = L1Regularizer;
export const L2 = callable(L2Regularizer);
export type L2 = L2Regularizer;
export const L1L2 = callable(L1L2Regularizer);
export type L1L2 = L1L2Regularizer;
export const OrthogonalRegularizer = callable(OrthogonalRegularizerImpl);
export type OrthogonalRegularizer = OrthogonalRegularizerImpl;

/** `keras.regularizers.l1(0.01)`, an alias of `L1`. */
export const l1 = L1;
/** `keras.regularizers.l2(0.01)`, an alias of `L2`. */
export const l2 = L2;
/** `keras.regularizers.l1_l2(l1, l2)`, an alias of `L1L2` (factors default to 0, as in Keras 3). */
export const l1_l2 = L1L2;
/** `keras.regularizers.orthogonal_regularizer`, an alias of `OrthogonalRegularizer`. */
export const orthogonal_regularizer = OrthogonalRegularizer;

// Keras's registry: class names and their snake_case names; a subclass serializes under its built-in's name.
const REGISTRY = new Registry<Regularizer>({ kind: 'regularizer', module: 'keras.regularizers', snakeCaseNames: true, matchSubclasses: true })
  .addClass('L1', L1Regularizer)
  .addClass('L2', L2Regularizer)
  .addClass('L1L2', L1L2Regularizer)
  .addClass('OrthogonalRegularizer', OrthogonalRegularizerImpl)
  // Keras documents `'l1_l2'` as l1=0.01, l2=0.01 (TF2's `l1_l2()`); its registry also knows `'l1l2'`.
  .addNames(['l1_l2', 'l1l2', 'L1L2'], () => new L1L2Regularizer(0.01, 0.01));

/** Keras's serialized form of a regularizer. */
export interface RegularizerConfig {
  module?: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
}

export type RegularizerIdentifier = string | RegularizerConfig | Regularizer | RegularizerFunction;

/** `keras.regularizers.serialize(reg)` → `{ module, class_name, config, registered_name }`. */
export function serialize(regularizer: Regularizer): RegularizerConfig {
  const className = REGISTRY.classNameOf(regularizer);
  const ownName = regularizer.constructor.name;
  return REGISTRY.serialize(className ?? ownName, regularizer.get_config(), className ? null : ownName);
}

/** `keras.regularizers.deserialize(config)`: the inverse of `serialize`; also takes a class name. */
export function deserialize(config: RegularizerConfig | string): Regularizer {
  if (typeof config === 'string') return REGISTRY.get(config);
  const make = REGISTRY.findClass(config.class_name);
  if (!make) throw REGISTRY.cannotInterpret(config);
  return make(config.config ?? {});
}

/**
 * `keras.regularizers.get(identifier)`: a name (`'l2'`), a serialized config, a
 * regularizer or a function (returned as is); `null`/`undefined` → `null`.
 */
export function get(identifier: RegularizerIdentifier | null | undefined): Regularizer | RegularizerFunction | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'string') return REGISTRY.get(identifier);
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'object' && typeof identifier.class_name === 'string') return deserialize(identifier);
  throw REGISTRY.cannotInterpret(identifier);
}

/**
 * For layers: `get`, with a plain function wrapped so the engine can call
 * `gradient` on every regularizer (a function's gradient comes from autodiff).
 */
export function getRegularizer(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  const found = get(identifier);
  if (found === null || found instanceof Regularizer) return found;
  return new FunctionRegularizer(found);
}
