/**
 * The three arguments Keras gives each weight `w` of a layer — `w_initializer`,
 * `w_regularizer`, `w_constraint` — written once: their zod fields (`weightFields`) and their
 * entries in `get_config()` (`weightConfig`), for Dense, the convolutions and the depthwise and
 * separable ones (`kernel`, `bias`, `depthwise`, `pointwise`).
 */
import { z } from 'zod';
import { Constraint, serialize as serializeConstraint, type ConstraintIdentifier } from '../constraints.js';
import { Initializer, serialize as serializeInitializer, type InitializerIdentifier } from '../initializers.js';
import { Regularizer, serialize as serializeRegularizer, type RegularizerIdentifier } from '../regularizers.js';

/** An optional Keras identifier (a name, an instance, a config); `undefined` and `null` mean none. */
export const identifier = <T>() => z.custom<T>((v) => v !== undefined).nullish();

const initializerField = (fallback: string) => identifier<InitializerIdentifier>().transform((v) => v ?? fallback);
const regularizerField = () => identifier<RegularizerIdentifier>();
const constraintField = () => identifier<ConstraintIdentifier>();

export type WeightFields<W extends string> = Record<`${W}_initializer`, ReturnType<typeof initializerField>> &
  Record<`${W}_regularizer`, ReturnType<typeof regularizerField>> &
  Record<`${W}_constraint`, ReturnType<typeof constraintField>>;

/** `{ kernel_initializer, kernel_regularizer, kernel_constraint }` for `weightFields('kernel', 'glorot_uniform')`. */
export function weightFields<W extends string>(weight: W, initializer: string): WeightFields<W> {
  return {
    [`${weight}_initializer`]: initializerField(initializer),
    [`${weight}_regularizer`]: regularizerField(),
    [`${weight}_constraint`]: constraintField(),
  } as WeightFields<W>;
}

/** Keras writes each initializer / regularizer / constraint of a config in its serialized form (null when none). */
export function configOf(value: unknown): unknown {
  if (value instanceof Initializer) return serializeInitializer(value);
  if (value instanceof Regularizer) return serializeRegularizer(value);
  if (value instanceof Constraint) return serializeConstraint(value);
  return null;
}

/**
 * The config entries of `weights`' arguments, read from the layer's Keras-named attributes:
 * `weightConfig(layer, ['kernel', 'bias'])` → `{ kernel_initializer, bias_initializer, kernel_regularizer, …}`
 * in Keras's order (initializers, then regularizers, then constraints).
 */
export function weightConfig(layer: object, weights: readonly string[]): Record<string, unknown> {
  const attributes = layer as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const kind of ['initializer', 'regularizer', 'constraint']) {
    for (const weight of weights) config[`${weight}_${kind}`] = configOf(attributes[`${weight}_${kind}`]);
  }
  return config;
}
