/**
 * Bad constructor arguments, for every public constructor (cases in options.cases.ts),
 * and a check that no public constructor is missing from the loop.
 */
import { keras } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { checkArea } from './check.js';
import { CONSTRUCTORS, NO_ARGUMENT_CONSTRUCTORS, OPTIONS_AREA } from './options.cases.js';

checkArea(OPTIONS_AREA);

// Bases for subclassing and objects `fit` makes itself: not constructed with options by users.
const NOT_USER_CONSTRUCTED = new Set([
  'layers.Layer',
  'optimizers.Optimizer',
  'optimizers.schedules.LearningRateSchedule',
  'callbacks.Callback',
  'callbacks.CallbackList',
  'regularizers.Regularizer',
  'constraints.Constraint',
  'initializers.Initializer',
  'losses.Loss',
  'losses.LossFunctionWrapper',
  'metrics.Metric',
  'metrics.MeanMetricWrapper',
  // A user's cell extends it; StackedRNNCells takes a list of cells, not options (RNN([...]) makes it).
  'layers.AbstractRNNCell',
  'layers.StackedRNNCells',
]);

/** Every exported class of a `keras` submodule, once (aliases such as `DenseLayer` share a prototype). */
function publicClasses(): string[] {
  const modules: Record<string, object> = {
    layers: keras.layers,
    optimizers: keras.optimizers,
    'optimizers.schedules': keras.optimizers.schedules,
    callbacks: keras.callbacks,
    regularizers: keras.regularizers,
    constraints: keras.constraints,
    initializers: keras.initializers,
    losses: keras.losses,
    metrics: keras.metrics,
    'preprocessing.text': keras.preprocessing.text,
  };
  const found: string[] = [];
  for (const [module, exports] of Object.entries(modules)) {
    const seen = new Set<unknown>();
    // Keras's class names first: `Dense` over its alias `DenseLayer`, `L1` over `l1`, a class's own
    // `class_name` over a shorter alias (`MaxPooling2D` over `MaxPool2D`).
    const rank = (name: string, value: unknown) =>
      ((value as { class_name?: unknown }).class_name === name ? -1000 : 0) + (/^[a-z]/.test(name) ? 1000 : 0) + name.length;
    const entries = Object.entries(exports).sort(([a, va], [b, vb]) => rank(a, va) - rank(b, vb));
    for (const [name, value] of entries) {
      if (typeof value !== 'function' || !isClass(value) || seen.has(value.prototype)) continue;
      seen.add(value.prototype);
      found.push(`${module}.${name}`);
    }
  }
  return found.sort();
}

/** A class (possibly behind `callable`'s Proxy), not a plain function such as `keras.losses.mse`. */
function isClass(value: { prototype?: object }): boolean {
  const proto = value.prototype;
  if (proto === undefined) return false;
  return Object.getPrototypeOf(proto) !== Object.prototype || Object.getOwnPropertyNames(proto).length > 1;
}

describe('coverage', () => {
  it('loops over every public constructor of the keras namespace', () => {
    const covered = new Set([...CONSTRUCTORS.map((spec) => spec.path), ...NO_ARGUMENT_CONSTRUCTORS, ...NOT_USER_CONSTRUCTED]);
    const missing = publicClasses().filter((path) => !covered.has(path));
    // A new class? Add it to CONSTRUCTORS in options.cases.ts (then regenerate docs/errors.md).
    expect(missing.join(', ')).toBe('');
    // And the hand list names nothing that does not exist.
    expect([...covered].filter((path) => !publicClasses().includes(path) && path !== 'layers.Input' && path !== 'Sequential')).toEqual([]);
  });
});
