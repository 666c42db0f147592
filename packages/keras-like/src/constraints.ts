/**
 * `keras.constraints`: projections applied to a weight after each optimizer
 * step, as in Keras 3 (keras/src/constraints/).
 *
 *   Dense(64, { kernel_constraint: keras.constraints.max_norm(2.0) })
 *
 * A constraint is called like a function, `c(w)` → the projected weight. Layers
 * record it on the weight with `setVariableConstraint`; the optimizer applies it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { epsilon } from './backend/index.js';
import { parseArgs, type KerasOptions } from './options/parse.js';
import { callable } from './utils/callable.js';
import { CallableInstance } from './utils/callable_instance.js';
import { Registry } from './utils/registry.js';

/** What a constraint accepts: a tensor, or numbers as nested arrays. */
export type ConstraintInput = tf.Tensor | tf.TensorLike;

/** A plain function used as a constraint: `(w) => projected w`. */
export type ConstraintFunction = (w: tf.Tensor) => tf.Tensor;

export interface Constraint {
  /** The projected weight (Python's `__call__`). */
  (w: ConstraintInput): tf.Tensor;
}

/**
 * Base class of the constraints (`keras.constraints.Constraint`). Subclass it and
 * implement `call(w)` (Python's `__call__`); the base returns `w` unchanged.
 */
export class Constraint extends CallableInstance {
  /** The projection of `w`. The base class leaves it unchanged. */
  call(w: tf.Tensor): tf.Tensor {
    return tf.clone(w);
  }

  /** `c(w)`: `call`, after turning arrays into a tensor. */
  __call__(w: ConstraintInput): tf.Tensor {
    if (w instanceof tf.Tensor) return this.call(w);
    return tf.tidy(() => this.call(tf.tensor(w, undefined, 'float32')));
  }

  /** Keras's constructor arguments, enough to rebuild the constraint. */
  get_config(): Record<string, unknown> {
    return {};
  }

  /** Rebuilds a constraint from `get_config()`'s output: `keras.constraints.MaxNorm.from_config({ max_value: 2, axis: 0 })`. */
  static from_config<T extends Constraint>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }
}

// `axis` is an integer or a list of them ([0, 1, 2] for a Conv2D kernel).
const axis = z.union([z.number().int(), z.array(z.number().int())], { error: 'must be an integer or a list of integers' }).default(0);
const number = (defaultValue: number) => z.number({ error: 'must be a number' }).finite({ error: 'must be a number' }).default(defaultValue);

const maxNormSchema = z.object({ max_value: number(2), axis });
const unitNormSchema = z.object({ axis });
const minMaxNormSchema = z
  .object({
    min_value: number(0),
    max_value: number(1),
    rate: number(1),
    axis,
  });

export type MaxNormOptions = KerasOptions<typeof maxNormSchema>;
export type UnitNormOptions = KerasOptions<typeof unitNormSchema>;
export type MinMaxNormOptions = KerasOptions<typeof minMaxNormSchema>;
type Axis = number | number[];

// The L2 norm of the weights incident to each unit: over `axis`, kept for broadcasting.
function norms(w: tf.Tensor, axis: Axis): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/**
 * Rescales the weights incident to each unit so their norm is at most `max_value`:
 * `w * clip(‖w‖, 0, max_value) / (ε + ‖w‖)`, norms taken over `axis`.
 * `keras.constraints.MaxNorm(max_value=2, axis=0)`; TF2's `maxnorm` is the same.
 */
export class MaxNormConstraint extends Constraint {
  readonly max_value: number;
  readonly axis: Axis;

  /**
   * @param max_value the largest norm allowed. Defaults to 2.
   * @param axis the axis (or axes) the norm is taken over; 0 for a Dense kernel
   *   `[input_dim, units]` constrains each unit's incoming weights. Defaults to 0.
   */
  constructor(max_value?: number | MaxNormOptions, axis?: Axis | MaxNormOptions, options?: MaxNormOptions) {
    super();
    ({ max_value: this.max_value, axis: this.axis } = parseArgs('MaxNorm', maxNormSchema, ['max_value', 'axis'], [
      max_value,
      axis,
      options,
    ]));
  }

  override call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.clipByValue(n, 0, this.max_value);
      return tf.mul(w, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override get_config(): { max_value: number; axis: Axis } {
    return { max_value: this.max_value, axis: this.axis };
  }
}

/** Sets negative weights to 0: `max(w, 0)`. `keras.constraints.NonNeg()`. */
export class NonNegConstraint extends Constraint {
  constructor(options?: Record<string, never>) {
    super();
    parseArgs('NonNeg', z.object({}), [], [options]);
  }

  override call(w: tf.Tensor): tf.Tensor {
    return tf.maximum(w, 0);
  }
}

/**
 * Scales the weights incident to each unit to norm 1: `w / (ε + ‖w‖)`, norms over `axis`.
 * `keras.constraints.UnitNorm(axis=0)`.
 */
export class UnitNormConstraint extends Constraint {
  readonly axis: Axis;

  /** @param axis the axis (or axes) the norm is taken over. Defaults to 0. */
  constructor(axis?: Axis | UnitNormOptions, options?: UnitNormOptions) {
    super();
    ({ axis: this.axis } = parseArgs('UnitNorm', unitNormSchema, ['axis'], [axis, options]));
  }

  override call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(epsilon(), norms(w, this.axis))));
  }

  override get_config(): { axis: Axis } {
    return { axis: this.axis };
  }
}

/**
 * Moves each unit's norm towards [min_value, max_value]:
 * `desired = rate * clip(‖w‖, min_value, max_value) + (1 - rate) * ‖w‖`, then
 * `w * desired / (ε + ‖w‖)`. `rate = 1` enforces the bounds strictly.
 * `keras.constraints.MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)`.
 */
export class MinMaxNormConstraint extends Constraint {
  readonly min_value: number;
  readonly max_value: number;
  readonly rate: number;
  readonly axis: Axis;

  /**
   * @param min_value the smallest norm. Defaults to 0.
   * @param max_value the largest norm. Defaults to 1.
   * @param rate how far to move towards the bounds at each step (1 = all the way). Defaults to 1.
   * @param axis the axis (or axes) the norm is taken over. Defaults to 0.
   */
  constructor(
    min_value?: number | MinMaxNormOptions,
    max_value?: number | MinMaxNormOptions,
    rate?: number | MinMaxNormOptions,
    axis?: Axis | MinMaxNormOptions,
    options?: MinMaxNormOptions,
  ) {
    super();
    const parsed = parseArgs('MinMaxNorm', minMaxNormSchema, ['min_value', 'max_value', 'rate', 'axis'], [
      min_value,
      max_value,
      rate,
      axis,
      options,
    ]);
    this.min_value = parsed.min_value;
    this.max_value = parsed.max_value;
    this.rate = parsed.rate;
    this.axis = parsed.axis;
  }

  override call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.add(tf.mul(this.rate, tf.clipByValue(n, this.min_value, this.max_value)), tf.mul(1 - this.rate, n));
      return tf.mul(w, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override get_config(): { min_value: number; max_value: number; rate: number; axis: Axis } {
    return { min_value: this.min_value, max_value: this.max_value, rate: this.rate, axis: this.axis };
  }
}

/** A user's function wrapped as a constraint, so layers handle one kind of object. */
class FunctionConstraint extends Constraint {
  constructor(readonly fn: ConstraintFunction) {
    super();
  }

  override call(w: tf.Tensor): tf.Tensor {
    return this.fn(w);
  }
}

export const MaxNorm = callable(MaxNormConstraint);
export type MaxNorm = MaxNormConstraint;
export const NonNeg = callable(NonNegConstraint);
export type NonNeg = NonNegConstraint;
export const UnitNorm = callable(UnitNormConstraint);
export type UnitNorm = UnitNormConstraint;
export const MinMaxNorm = callable(MinMaxNormConstraint);
export type MinMaxNorm = MinMaxNormConstraint;

/** `keras.constraints.max_norm(max_value, axis)`, an alias of `MaxNorm`. */
export const max_norm = MaxNorm;
/** TF2's `keras.constraints.maxnorm(4)`, still in course notebooks: the same as `MaxNorm`. */
export const maxnorm = MaxNorm;
/** `keras.constraints.non_neg()`, an alias of `NonNeg`. */
export const non_neg = NonNeg;
/** `keras.constraints.unit_norm(axis)`, an alias of `UnitNorm`. */
export const unit_norm = UnitNorm;
/** `keras.constraints.min_max_norm(...)`, an alias of `MinMaxNorm`. */
export const min_max_norm = MinMaxNorm;

// Keras's registry: each class name, then its snake_case name and TF2's spelling. A config's
// class_name may be any of them. A subclass serializes under its built-in's name.
const REGISTRY = new Registry<Constraint>({ kind: 'constraint', module: 'keras.constraints', matchSubclasses: true })
  .addClass('MaxNorm', MaxNormConstraint)
  .addNames(['max_norm', 'maxnorm'], (config) => new MaxNormConstraint(config))
  .addClass('NonNeg', NonNegConstraint, () => new NonNegConstraint())
  .addNames(['non_neg', 'nonneg'], () => new NonNegConstraint())
  .addClass('UnitNorm', UnitNormConstraint)
  .addNames(['unit_norm', 'unitnorm'], (config) => new UnitNormConstraint(config))
  .addClass('MinMaxNorm', MinMaxNormConstraint)
  .addNames(['min_max_norm'], (config) => new MinMaxNormConstraint(config))
  // Last: every constraint is a Constraint, so `serialize` gives this name only when no other class fits.
  .addClass('Constraint', Constraint, () => new Constraint())
  .addNames(['constraint'], () => new Constraint());

/** Keras's serialized form of a constraint. */
export interface ConstraintConfig {
  module?: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
}

export type ConstraintIdentifier = string | ConstraintConfig | Constraint | ConstraintFunction;

/** `keras.constraints.serialize(c)` → `{ module, class_name, config, registered_name }`. */
export function serialize(constraint: Constraint): ConstraintConfig {
  return REGISTRY.serialize(REGISTRY.classNameOf(constraint) ?? 'Constraint', constraint.get_config());
}

/** `keras.constraints.deserialize(config)`: the inverse of `serialize`; also takes a name. */
export function deserialize(config: ConstraintConfig | string): Constraint {
  const name = typeof config === 'string' ? config : config.class_name;
  const make = REGISTRY.find(name);
  if (!make) throw REGISTRY.unknown(name, config);
  return make(typeof config === 'string' ? {} : (config.config ?? {}));
}

/**
 * `keras.constraints.get(identifier)`: a name (`'max_norm'`, `'non_neg'`), a
 * serialized config, a constraint or a function (returned as is); `null` → `null`.
 */
export function get(identifier: ConstraintIdentifier | null | undefined): Constraint | ConstraintFunction | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string' || (typeof identifier === 'object' && typeof identifier.class_name === 'string')) {
    return deserialize(identifier);
  }
  throw REGISTRY.cannotInterpret(identifier);
}

/** For layers: `get`, with a plain function wrapped as a `Constraint`. */
export function getConstraint(identifier: ConstraintIdentifier | null | undefined): Constraint | null {
  const found = get(identifier);
  if (found === null || found instanceof Constraint) return found;
  return new FunctionConstraint(found);
}
