/**
 * What every Keras optimizer shares, written once, in Keras 3's order
 * (keras/src/optimizers/base_optimizer.py). One call to `apply_gradients` does:
 *
 *   1. learning rate: a number, a schedule called with `iterations`, or a
 *      zero-argument function; then the TF2 `decay`: lr_t = lr / (1 + decay * iterations)
 *   2. gradient accumulation (`gradient_accumulation_steps`): sum, and update every N calls
 *      with the mean
 *   3. clipping: `clipnorm` (each gradient by its own L2 norm), `global_clipnorm`, `clipvalue`
 *   4. decoupled weight decay: w = w - w * weight_decay * lr (unless excluded by name)
 *   5. `update_step` for each variable: the optimizer's own rule
 *   6. EMA of the weights (`use_ema`), overwriting them every `ema_overwrite_frequency` steps
 *   7. constraints recorded on the variable (`variableConstraint`)
 *   8. iterations += 1
 *
 * The rules run as plain loops over Float32Arrays: a classroom net is bound by
 * the number of TensorFlow.js op dispatches, and a loop over the weights costs
 * none. Each step reads every gradient and variable once (`dataSync`) and writes
 * each variable once (`assign`).
 *
 * Writing an optimizer (sgd.ts is the smallest example):
 *
 *   const schema = baseOptimizerSchema.extend({ momentum: floatBetween0And1(0.9) });
 *   export type MyOptions = OptimizerOptions<typeof schema>;
 *
 *   class MyOptimizer extends Optimizer<'momentum'> {      // the names of its slots
 *     static override readonly class_name = 'My';          // Keras's class name (serialize, `get`)
 *     readonly momentum: number;
 *     constructor(...given: OptimizerArgs<MyOptions>) {    // My(0.01), My(0.01, 0.9), My({ momentum: 0.9 })
 *       // validation: fills Keras's defaults and words every error
 *       const args = parseOptimizerArgs('My', schema, given);
 *       super(args, { learning_rate: 0.001, name: 'my' });    // Keras's default lr and name
 *       this.momentum = args.momentum;
 *     }
 *     override build(variables: tf.Variable[]): void {     // slots, made by the first apply
 *       super.build(variables);
 *       this.add_optimizer_variables(variables, 'momentum'); // zeros; pass a number for another start
 *     }
 *     update_step(gradient, variable, learning_rate, slots) { // one variable; writes `variable` in place
 *       const m = slots.momentum;
 *       for (let i = 0; i < variable.length; i++) { m[i] = ...; variable[i] -= learning_rate * m[i]; }
 *     }
 *     override get_config() { return { ...super.get_config(), momentum: this.momentum }; }
 *   }
 *   export const My = callable(MyOptimizer); export type My = MyOptimizer;
 *
 * `update_step` must not write to `gradient` (it may be the gradient tensor's own
 * storage). Per-step scalars that are the same for every variable (Nadam's μ product)
 * go in `before_update_steps`, which runs once per update step.
 *
 * All of an optimizer's state is created in `build`, as Keras's is: slots of a variable's
 * shape with `add_optimizer_variables` / `add_variable_from_reference`, anything else
 * (Nadam's u_product, Adafactor's factored r and c) with `add_variable(shape, initial)`.
 * `variables` lists it in that order, after the iteration count and the learning rate, and
 * `set_weights` restores it, so a state kept anywhere else would be lost on a restore.
 *
 * Reading the state after a step: `get_slot(variable, 'momentum')`, the per-optimizer
 * lists (`momentums`, `velocities`, ...), `variables`, `iterations`, `last_learning_rate`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { readOnlyValues } from '../backend/host_values.js';
import { uniqueName } from '../backend/session.js';
import { variableConstraint } from '../backend/variables.js';
import { RuntimeError, ValueError } from '../errors.js';
import type { WithCamelAliases } from '../options/aliases.js';
import { parseArgs } from '../options/parse.js';
import { repr } from '../options/repr.js';
import type { SerializedObject } from '../utils/registry.js';
import { f32 } from './float32.js';

export type { SerializedObject };

/**
 * A learning rate that changes with the step: `keras.optimizers.schedules.*`.
 * `call(step)` gets the optimizer's iteration count and returns the learning rate.
 */
export interface LearningRateSchedule {
  call(step: number): number | tf.Tensor;
  get_config(): Record<string, unknown>;
}

/** `learning_rate`: a number, a schedule, or a function of no arguments that returns it. */
export type LearningRate = number | LearningRateSchedule | (() => number | tf.Tensor);

export function isLearningRateSchedule(value: unknown): value is LearningRateSchedule {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Partial<LearningRateSchedule>;
  return typeof candidate.call === 'function' && typeof candidate.get_config === 'function';
}

function isLearningRate(value: unknown): value is LearningRate {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  return typeof value === 'function' || isLearningRateSchedule(value);
}

const LEARNING_RATE_MESSAGE =
  'must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate';

const optionalNonNegative = (message: string) => z.number().min(0, { message }).nullable().default(null);

/** A hyperparameter in [0, 1] (momentum, rho, beta_1...), worded as Keras words SGD's `momentum`. */
export function floatBetween0And1(defaultValue: number) {
  const message = 'must be a float between [0, 1]';
  return z.number({ message }).min(0, { message }).max(1, { message }).default(defaultValue);
}

/** A hyperparameter >= 0 (epsilon, initial accumulator value...). */
export function nonNegativeFloat(defaultValue: number) {
  const message = 'must be a float >= 0';
  return z.number({ message }).min(0, { message }).default(defaultValue);
}

/** The keyword arguments every optimizer takes (Keras 3's, plus TF2's `lr` and `decay`). */
export const baseOptimizerSchema = z.object({
  learning_rate: z.custom<LearningRate>(isLearningRate, { message: LEARNING_RATE_MESSAGE }).optional(),
  /** TF2's name of `learning_rate`. */
  lr: z.custom<LearningRate>(isLearningRate, { message: LEARNING_RATE_MESSAGE }).optional(),
  /** TF2's inverse-time decay, applied on every step: lr_t = lr / (1 + decay * iterations). */
  decay: z.number().min(0, { message: 'must be a float >= 0' }).default(0),
  weight_decay: optionalNonNegative('must be a float >= 0 or null'),
  clipnorm: optionalNonNegative('must be a float >= 0 or null'),
  clipvalue: optionalNonNegative('must be a float >= 0 or null'),
  global_clipnorm: optionalNonNegative('must be a float >= 0 or null'),
  use_ema: z.boolean().default(false),
  ema_momentum: z
    .number()
    .min(0, { message: 'must be in the range [0, 1]' })
    .max(1, { message: 'must be in the range [0, 1]' })
    .default(0.99),
  ema_overwrite_frequency: z
    .number()
    .int({ message: 'must be an integer >= 1 or null' })
    .min(1, { message: 'must be an integer >= 1 or null' })
    .nullable()
    .default(null),
  loss_scale_factor: z.number().positive({ message: 'must be a float > 0 or null' }).nullable().default(null),
  gradient_accumulation_steps: z
    .number()
    .int({ message: 'must be an integer >= 2' })
    .min(2, { message: 'must be an integer >= 2' })
    .nullable()
    .default(null),
  name: z.string().nullable().default(null),
});

/** The parsed keyword arguments the base constructor takes. */
export type BaseOptimizerArgs = z.output<typeof baseOptimizerSchema>;

/** The arguments every Keras 3 optimizer takes after its own, in Keras's positional order. */
const SHARED_POSITIONAL = [
  'weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm', 'use_ema', 'ema_momentum',
  'ema_overwrite_frequency', 'loss_scale_factor', 'gradient_accumulation_steps', 'name',
];

/**
 * Keras's positional order for an optimizer whose schema extends `baseOptimizerSchema`:
 * `learning_rate`, then `leading` (AdamW's `weight_decay`), then its own arguments in the
 * order its schema lists them, then the shared ones. So `SGD(0.01, 0.9, true)` is
 * `SGD({ learning_rate: 0.01, momentum: 0.9, nesterov: true })`, as in Python.
 */
export function positionalNames(schema: z.ZodObject, leading: readonly string[] = []): string[] {
  const own = Object.keys(schema.shape).filter((key) => !(key in baseOptimizerSchema.shape));
  return ['learning_rate', ...leading, ...own, ...SHARED_POSITIONAL.filter((key) => !leading.includes(key))];
}

/** An optimizer constructor's arguments: positional in Keras's order, then one keyword object. */
export type OptimizerArgs<Options> = [
  learning_rate?: LearningRate | Options,
  ...rest: Array<number | boolean | string | null | Options | undefined>,
];

/**
 * The keyword arguments of an optimizer whose schema is `S` (an extension of
 * `baseOptimizerSchema`), as a caller writes them: the schema's input, each snake_case key also
 * in camelCase (`beta_1` / `beta1`). The built-in optimizers' options types are this.
 */
export type OptimizerOptions<S extends z.ZodObject> = WithCamelAliases<z.input<S>>;

/**
 * Validates an optimizer constructor's arguments against its schema, as every built-in optimizer
 * does: positional arguments in Keras's order (`learning_rate`, then the schema's own keys in
 * the order it lists them, then the shared ones), then one keyword object, camelCase aliases,
 * "did you mean" for a misspelt key, Keras's defaults, and an error at this call worded
 * `` Owner: `key` must ... Received: key=value ``. Returns the validated arguments, defaults filled.
 *
 *   constructor(...given: OptimizerArgs<MyOptions>) {
 *     const args = parseOptimizerArgs('My', schema, given);
 *     super(args, { learning_rate: 0.01, name: 'my' });
 */
export function parseOptimizerArgs<S extends z.ZodObject>(owner: string, schema: S, given: readonly unknown[]): z.output<S> {
  return parseArgs(owner, schema, positionalNames(schema), given);
}

/** What `get_config()` returns: snake_case keys, as Keras's. */
export interface OptimizerConfig {
  name: string;
  learning_rate: number | SerializedObject | (() => number | tf.Tensor);
  weight_decay: number | null;
  clipnorm: number | null;
  global_clipnorm: number | null;
  clipvalue: number | null;
  use_ema: boolean;
  ema_momentum: number;
  ema_overwrite_frequency: number | null;
  loss_scale_factor: number | null;
  gradient_accumulation_steps: number | null;
  /** Present only when a TF2 `decay` was given. */
  decay?: number;
  [key: string]: unknown;
}

/** The state arrays of one variable, by slot name: what `update_step` reads and writes. */
export type Slots<SlotName extends string> = Record<SlotName, Float32Array>;

/** One of the optimizer's own variables (Keras's `add_variable`): values the optimizer updates in place. */
interface OptimizerVariable {
  readonly values: Float32Array;
  readonly shape: readonly number[];
  /** Keras's variable name: the slot ('momentum'), or the optimizer's own name for it. */
  readonly slot: string;
  /** The model variable a slot belongs to (Keras names it `<its path>_<slot>`). */
  readonly reference?: tf.Variable;
  /** The model variable whose name it takes instead of `slot` (Adafactor's factored moments: `kernel`). */
  readonly named_after?: tf.Variable;
  /** In the optimizer's name scope (`nadam/...`), as `add_variable` makes them; false for a bare `backend.Variable`. */
  readonly scoped: boolean;
}

/** Where a variable of `add_variable` stands in `variable_paths`. */
export interface AddVariableOptions {
  /** Named after this model variable (its own name, `kernel`), as Keras's `add_variable(name=var.name)`. */
  readonly named_after?: tf.Variable;
  /**
   * False for what Keras makes with `backend.Variable(...)` rather than `add_variable` (Nadam's
   * u-product, Adafactor's placeholders for vectors): outside the optimizer's name scope, so its
   * path is the bare name (`variable`, `bias`). Defaults to true.
   */
  readonly scoped?: boolean;
}

interface VariableState {
  slots: Record<string, Float32Array>;
  /** Moving average of the weights (`use_ema`). */
  average?: Float32Array;
  /** Sum of the gradients since the last update (`gradient_accumulation_steps`). */
  gradient_accumulator?: Float32Array;
  /** The clipped / scaled / averaged gradient; never given to a tensor, so reused every step. */
  scratchGradient?: Float32Array;
  /**
   * The optimizer's own copy of the variable's values, valid while the variable still
   * holds the tensor data `valuesId` that the optimizer wrote last; saves reading the
   * weights back from the backend on every step.
   */
  values?: Float32Array;
  valuesId?: object;
}

type ScheduleSerializer = {
  serialize(schedule: LearningRateSchedule): SerializedObject;
  deserialize(config: SerializedObject): LearningRateSchedule;
};

let scheduleSerializer: ScheduleSerializer | undefined;

/** schedules.ts registers how schedules are (de)serialized, so optimizer configs round-trip. */
export function registerScheduleSerializer(serializer: ScheduleSerializer): void {
  scheduleSerializer = serializer;
}

function serializeSchedule(schedule: LearningRateSchedule): SerializedObject {
  if (scheduleSerializer) return scheduleSerializer.serialize(schedule);
  const ctor = schedule.constructor as { class_name?: string; name: string };
  return { class_name: ctor.class_name ?? ctor.name, config: schedule.get_config() };
}

const excludeArgsSchema = z.object({
  var_list: z.array(z.instanceof(tf.Variable, { message: 'must be a list of tf.Variable' })).nullable().default(null),
  var_names: z.array(z.string()).nullable().default(null),
});

export abstract class Optimizer<SlotName extends string = string> {
  /** Keras's class name: `serialize` writes it, `optimizers.get` finds the class by it. */
  static readonly class_name: string = 'Optimizer';

  name: string;
  readonly weight_decay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly global_clipnorm: number | null;
  readonly use_ema: boolean;
  readonly ema_momentum: number;
  readonly ema_overwrite_frequency: number | null;
  readonly loss_scale_factor: number | null;
  readonly gradient_accumulation_steps: number | null;
  /** TF2's per-step inverse-time decay of the learning rate (0: none, as Keras 3). */
  readonly decay: number;
  /** The learning rate the last step used, after the schedule and `decay`; null before the first step. */
  last_learning_rate: number | null = null;
  built = false;

  private _learning_rate: LearningRate;
  /** Calls of `apply_gradients` so far (Keras's `_iterations`). */
  private _iterations = 0;
  private readonly state = new Map<tf.Variable, VariableState>();
  /** Variables in the order they were first seen (Keras's `_trainable_variables`). */
  private readonly trainableVariables: tf.Variable[] = [];
  private readonly slotOrder: string[] = [];
  /** Every optimizer variable in the order `build` added it (Keras's `_variables` after iterations and lr). */
  private readonly optimizerVariables: OptimizerVariable[] = [];
  private excludedVariables = new Set<tf.Variable>();
  private excludedNamePattern: RegExp | null = null;
  private warnedMissingGradients = false;
  private disposed = false;

  constructor(args: BaseOptimizerArgs, defaults: { learning_rate: number; name: string }) {
    const owner = this.class_name;
    if (args.lr !== undefined && args.learning_rate !== undefined) {
      throw new ValueError(
        `${owner}: both \`lr\` and \`learning_rate\` were given; \`lr\` is the TF2 name of \`learning_rate\`, give only one.`,
      );
    }
    const clipArgs = [args.clipnorm, args.clipvalue, args.global_clipnorm].filter((a) => a !== null);
    if (clipArgs.length > 1) {
      throw new ValueError(
        `${owner}: Only one of \`clipnorm\`, \`clipvalue\` and \`global_clipnorm\` can be set. ` +
          `Received: clipnorm=${repr(args.clipnorm)}, clipvalue=${repr(args.clipvalue)}, global_clipnorm=${repr(args.global_clipnorm)}`,
      );
    }
    this._learning_rate = args.learning_rate ?? args.lr ?? defaults.learning_rate;
    // Keras's auto_name: the class's snake_case name, numbered in the session (adam, adam_1, ...),
    // counted with the layers' names; a given name is kept as is.
    this.name = args.name ?? uniqueName(defaults.name);
    this.decay = args.decay;
    this.weight_decay = args.weight_decay;
    this.clipnorm = args.clipnorm;
    this.clipvalue = args.clipvalue;
    this.global_clipnorm = args.global_clipnorm;
    this.use_ema = args.use_ema;
    this.ema_momentum = args.ema_momentum;
    this.ema_overwrite_frequency = args.ema_overwrite_frequency;
    this.loss_scale_factor = args.loss_scale_factor;
    this.gradient_accumulation_steps = args.gradient_accumulation_steps;
  }

  /** Keras's class name of this optimizer ('SGD', 'Adam', ...). */
  get class_name(): string {
    return (this.constructor as typeof Optimizer).class_name;
  }

  /**
   * The optimizer's own rule for one variable: reads `gradient`, updates `slots`
   * and writes the new weights into `variable` in place. `weight` is the variable
   * being updated, for rules that need its shape (Adafactor); most ignore it.
   */
  abstract update_step(
    gradient: Float32Array,
    variable: Float32Array,
    learning_rate: number,
    slots: Slots<SlotName>,
    weight: tf.Variable,
  ): void;

  /** Runs once per update step, before the per-variable `update_step`s (Keras's `_backend_update_step`). */
  protected before_update_steps(_learning_rate: number): void {}

  /**
   * Update steps taken so far. With `gradient_accumulation_steps`, the number of
   * real updates (calls // steps), as in Keras.
   */
  get iterations(): number {
    const steps = this.gradient_accumulation_steps;
    return steps ? Math.floor(this._iterations / steps) : this._iterations;
  }

  /**
   * The learning rate now: the number given, or the schedule / function evaluated
   * at the current step (without TF2's `decay`; `last_learning_rate` has the value
   * a step really used).
   */
  get learning_rate(): number {
    return this.undecayedLearningRate();
  }

  set learning_rate(value: LearningRate) {
    if (!isLearningRate(value)) {
      throw new ValueError(`${this.class_name}: \`learning_rate\` ${LEARNING_RATE_MESSAGE}. Received: learning_rate=${repr(value)}`);
    }
    if (typeof value === 'number' && isLearningRateSchedule(this._learning_rate)) {
      throw new TypeError(
        'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, ' +
          'hence its learning rate is not settable. If you need the learning rate to be settable, you should ' +
          'instantiate the optimizer with a float `learning_rate` argument.',
      );
    }
    this._learning_rate = value;
  }

  /** TF2 `lr`, the same as `learning_rate`. */
  get lr(): number {
    return this.learning_rate;
  }

  set lr(value: LearningRate) {
    this.learning_rate = value;
  }

  /**
   * Creates the optimizer's state for variables it has not seen yet; subclasses add their
   * slots here. `apply_gradients` calls it on its first call, with every variable given:
   * from then on it updates only those (Keras's `_check_variables_are_known`). Parity note:
   * called again by hand with new variables, it adds them; Keras's built-in optimizers return
   * from a second `build` without doing anything.
   */
  build(variables: tf.Variable[]): void {
    const added: tf.Variable[] = [];
    for (const variable of variables) {
      if (this.state.has(variable)) continue;
      this.state.set(variable, { slots: {} });
      this.trainableVariables.push(variable);
      added.push(variable);
    }
    // Keras's order: every moving average, then every gradient accumulator.
    if (this.use_ema) for (const variable of added) this.stateOf(variable).average = this.newVariable(variable.shape, 0, 'average', variable);
    if (this.gradient_accumulation_steps) {
      for (const variable of added) this.stateOf(variable).gradient_accumulator = this.newVariable(variable.shape, 0, 'gradient_accumulator', variable);
    }
    this.built = true;
  }

  /**
   * Keras's `add_variable`: a new optimizer variable of `shape` filled with `initial`,
   * listed in `variables` (and restored by `set_weights`) after those added before it.
   * Returns its values, which the optimizer reads and writes in place.
   */
  protected add_variable(shape: readonly number[], initial = 0, name = 'variable', options: AddVariableOptions = {}): Float32Array {
    return this.newVariable(shape, initial, name, undefined, options);
  }

  private newVariable(shape: readonly number[], initial: number, slot: string, reference?: tf.Variable, options: AddVariableOptions = {}): Float32Array {
    const values = new Float32Array(shape.reduce((size, d) => size * d, 1)).fill(initial);
    this.optimizerVariables.push({ values, shape: [...shape], slot, reference, named_after: options.named_after, scoped: options.scoped ?? true });
    return values;
  }

  /** Keras's `add_variable_from_reference`: the slot `name` of `variable`, of its shape, unless it has it already. */
  protected add_variable_from_reference(variable: tf.Variable, name: SlotName, initial = 0): Float32Array {
    this.declareSlot(name);
    const state = this.stateOf(variable);
    return (state.slots[name] ??= this.newVariable(variable.shape, initial, name, variable));
  }

  /**
   * Keras's `add_optimizer_variables`: the slot `name` (filled with `initial`) for each
   * variable that does not have it yet. Several names are added variable by variable, as
   * Keras does: `['momentum', 'velocity']` lists m₀ v₀ m₁ v₁ … in `variables`.
   */
  protected add_optimizer_variables(
    variables: tf.Variable[],
    name: SlotName | readonly SlotName[],
    initial: number | readonly number[] = 0,
  ): void {
    const names: readonly SlotName[] = typeof name === 'string' ? [name] : name;
    const initials = typeof initial === 'number' ? names.map(() => initial) : initial;
    if (initials.length !== names.length) {
      throw new ValueError(
        `The number of provided names must match the number of provided initial values. Received name=${repr(name)}, initial=${repr(initial)}`,
      );
    }
    for (const slotName of names) this.declareSlot(slotName);
    for (const variable of variables) names.forEach((slotName, i) => this.add_variable_from_reference(variable, slotName, initials[i]));
  }

  private declareSlot(name: string): void {
    if (!this.slotOrder.includes(name)) this.slotOrder.push(name);
  }

  /**
   * Keras: `optimizer.apply_gradients(zip(grads, vars))`; here
   * `optimizer.apply_gradients([[g1, v1], [g2, v2]])`. A `null` gradient skips its
   * variable (with a warning, as Keras). Returns the number of calls so far.
   */
  apply_gradients(grads_and_vars: Iterable<readonly [tf.Tensor | null, tf.Variable]>): number {
    const pairs = Array.from(grads_and_vars ?? [], (pair) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ValueError(
          `${this.class_name}.apply_gradients: expected a list of [gradient, variable] pairs. Received an item: ${repr(pair)}`,
        );
      }
      return pair;
    });
    this.apply(
      pairs.map((pair) => pair[0]),
      pairs.map((pair) => pair[1]),
    );
    return this._iterations;
  }

  /**
   * Updates `variables` with `grads` (one gradient per variable, in the same order).
   * Without `variables`, the gradients match the variables the optimizer was built with.
   */
  apply(grads: ReadonlyArray<tf.Tensor | null>, variables?: readonly tf.Variable[]): void {
    if (this.disposed) throw new RuntimeError(`${this.class_name}: this optimizer was disposed.`);
    if (grads.length === 0) return;
    const vars = this.resolveVariables(grads, variables);
    // As Keras: built on the first call with every variable given (a null gradient's too), then
    // only those. So an optimizer shared by models made in a loop holds the first one's state
    // and refuses the next model's weights, rather than keeping every dropped model's state.
    if (!this.built) this.build(vars);
    this._check_variables_are_known(vars);
    const present = this.filterEmptyGradients(grads, vars);

    const learningRate = this.currentLearningRate();
    this.last_learning_rate = learningRate;
    // Anything that may allocate backend memory (reading the weights) comes before the
    // gradients are read: on wasm they are views of that memory (see `readOnlyValues`).
    for (const variable of present.variables) this.currentValues(variable, this.stateOf(variable));
    let gradients = present.grads.map((grad, i) => this.readGradient(grad, present.variables[i]!));
    if (this.loss_scale_factor !== null) {
      const scale = this.loss_scale_factor;
      gradients = gradients.map((g, i) => this.scratchGradient(present.variables[i]!, g, (x) => x / scale));
    }

    const updated = new Set<tf.Variable>();
    try {
      // The rules get the learning rate as Keras's float32 variable holds it (float32.ts).
      this.updateVariables(gradients, present.variables, f32(learningRate), updated);
    } catch (error) {
      // A half-written step leaves the optimizer's copies unlike the variables: read them again next time.
      for (const variable of present.variables) this.stateOf(variable).valuesId = undefined;
      throw error;
    }
    if (this.use_ema) this.updateMovingAverages(updated);
    for (const variable of updated) this.writeValues(variable);
    for (const variable of present.variables) {
      const constraint = variableConstraint(variable);
      if (constraint) tf.tidy(() => variable.assign(constraint(variable)));
    }
    this._iterations += 1;
  }

  /** Accumulation, clipping, weight decay and `update_step`, into the optimizer's copies of the weights. */
  private updateVariables(gradients: Float32Array[], variables: tf.Variable[], learningRate: number, updated: Set<tf.Variable>): void {
    if (gradients.some((g, i) => g.length !== variables[i]!.size)) {
      // A wasm view whose memory was reallocated reads as empty: never update from it.
      throw new RuntimeError(`${this.class_name}: a gradient was read from backend memory that moved during the step.`);
    }
    if (this.isUpdateStep()) {
      if (this.gradient_accumulation_steps) gradients = this.averageAccumulatedGradients(gradients, variables);
      gradients = this.clipGradients(gradients, variables);
      this.before_update_steps(learningRate);
      variables.forEach((variable, i) => {
        const state = this.stateOf(variable);
        const values = this.currentValues(variable, state);
        if (this.weight_decay !== null && this.useWeightDecay(variable)) {
          const factor = this.weight_decay * learningRate;
          for (let j = 0; j < values.length; j++) values[j] = values[j]! - values[j]! * factor;
        }
        this.update_step(gradients[i]!, values, learningRate, state.slots as Slots<SlotName>, variable);
        updated.add(variable);
      });
    } else {
      variables.forEach((variable, i) => {
        const accumulator = this.stateOf(variable).gradient_accumulator!;
        const g = gradients[i]!;
        for (let j = 0; j < g.length; j++) accumulator[j] = accumulator[j]! + g[j]!;
      });
    }
  }

  /**
   * Keras's `exclude_from_weight_decay(var_list, var_names)`: variables in `var_list`,
   * and variables whose name matches any of `var_names` (e.g. ['bias']), get no weight decay.
   */
  exclude_from_weight_decay(
    var_list?: tf.Variable[] | null | { var_list?: tf.Variable[] | null; var_names?: string[] | null },
    var_names?: string[] | null,
  ): void {
    const args = parseArgs(`${this.class_name}.exclude_from_weight_decay`, excludeArgsSchema, ['var_list', 'var_names'], [
      var_list,
      var_names,
    ]);
    this.excludedVariables = new Set(args.var_list ?? []);
    this.excludedNamePattern = args.var_names && args.var_names.length > 0 ? new RegExp(args.var_names.join('|')) : null;
  }

  /**
   * A copy of one slot of `variable` as a tensor of its shape (the caller disposes it),
   * e.g. `opt.get_slot(kernel, 'momentum')`. Slot names are Keras's: see `get_slot_names()`.
   */
  get_slot(variable: tf.Variable, slot_name: string): tf.Tensor {
    const state = this.state.get(variable);
    if (!state) {
      throw new ValueError(`${this.class_name}.get_slot: the optimizer has no state for variable '${variable.name}' yet.`);
    }
    const values = this.slotValues(state, slot_name);
    if (!values) {
      throw new ValueError(
        `${this.class_name}.get_slot: unknown slot ${repr(slot_name)}. This optimizer has: ${this.get_slot_names().join(', ')}.`,
      );
    }
    return tf.tensor(values.slice(), variable.shape, 'float32');
  }

  /** The names of the optimizer's per-variable state, in Keras's words ('momentum', 'velocity', ...). */
  get_slot_names(): string[] {
    const names: string[] = [];
    if (this.use_ema) names.push('average');
    if (this.gradient_accumulation_steps) names.push('gradient_accumulator');
    return [...names, ...this.slotOrder];
  }

  /** One slot for every variable, in the order the variables were first seen (copies the caller disposes). */
  protected slotList(slot_name: SlotName): tf.Tensor[] {
    return this.slotOrder.includes(slot_name)
      ? this.trainableVariables.map((variable) => this.get_slot(variable, slot_name))
      : [];
  }

  /**
   * Keras's `optimizer.variables`: the iteration count, the learning rate (when it is a
   * number), then every optimizer variable in the order `build` added it (slots, Nadam's
   * u_product, Adafactor's r and c). Copies, as tensors the caller disposes.
   */
  get variables(): tf.Tensor[] {
    const out: tf.Tensor[] = [tf.scalar(this._iterations, 'int32')];
    if (typeof this._learning_rate === 'number') out.push(tf.scalar(this._learning_rate));
    for (const { values, shape } of this.optimizerVariables) out.push(tf.tensor(values.slice(), [...shape], 'float32'));
    return out;
  }

  /**
   * Keras's `[v.path for v in optimizer.variables]`: `adam/iteration`, `adam/learning_rate`, then
   * each slot as `adam/<its variable's path, '/' as '_'>_<slot>` (`adam/sequential_dense_kernel_momentum`),
   * an own variable as `adam/<name>`, or its bare name when Keras makes it outside the optimizer's
   * scope (Nadam's u-product: `variable`; Adafactor's `adafactor/kernel` and `bias`, after the weight).
   * `pathOf` gives a model variable's path (the model knows it: `sequential/dense/kernel`);
   * the legacy `.h5` writer names the optimizer's datasets so.
   */
  variable_paths(pathOf: (variable: tf.Variable) => string = (variable) => variable.name): string[] {
    const paths = [`${this.name}/iteration`];
    if (typeof this._learning_rate === 'number') paths.push(`${this.name}/learning_rate`);
    for (const { slot, reference, named_after, scoped } of this.optimizerVariables) {
      if (reference !== undefined) {
        paths.push(`${this.name}/${pathOf(reference).replaceAll('/', '_')}_${slot}`);
        continue;
      }
      const name = named_after === undefined ? slot : pathOf(named_after).split('/').pop()!;
      paths.push(scoped ? `${this.name}/${name}` : name);
    }
    return paths;
  }

  /** Restores state read from `variables` of an optimizer built on the same variables. */
  set_weights(weights: ReadonlyArray<tf.Tensor | ArrayLike<number> | number>): void {
    if (!this.built) {
      throw new ValueError(
        'You are calling `set_weights()` on an optimizer that has not yet been built. Please call ' +
          '`optimizer.build(trainable_variables)` to create the optimizer weights before calling `set_weights()`.',
      );
    }
    const targets: Array<(values: Float32Array) => void> = [(v) => (this._iterations = v[0]!)];
    if (typeof this._learning_rate === 'number') targets.push((v) => (this._learning_rate = v[0]!));
    const sizes = targets.map(() => 1);
    for (const { values } of this.optimizerVariables) {
      targets.push((v) => values.set(v));
      sizes.push(values.length);
    }
    if (weights.length !== targets.length) {
      throw new ValueError(
        `${this.class_name}.set_weights: expected ${targets.length} weights (as in \`optimizer.variables\`), received ${weights.length}.`,
      );
    }
    weights.forEach((weight, i) => {
      const values = toFloat32(weight);
      if (values.length !== sizes[i]) {
        throw new ValueError(
          `${this.class_name}.set_weights: weight ${i} has ${values.length} values, but the optimizer variable has ${sizes[i]}.`,
        );
      }
      targets[i]!(values);
    });
  }

  /**
   * With `use_ema`: writes the moving averages into the variables (Keras calls it at the
   * end of `fit`).
   */
  finalize_variable_values(var_list: readonly tf.Variable[] = this.trainableVariables): void {
    if (!this.use_ema) return;
    for (const variable of var_list) {
      const state = this.state.get(variable);
      if (!state?.average || variable.isDisposed) continue;
      this.currentValues(variable, state).set(state.average);
      this.writeValues(variable);
    }
  }

  /** The optimizer's configuration, with Keras's snake_case keys; `from_config` rebuilds it. */
  get_config(): OptimizerConfig {
    const lr = this._learning_rate;
    const config: OptimizerConfig = {
      name: this.name,
      learning_rate: typeof lr === 'number' ? lr : isLearningRateSchedule(lr) ? serializeSchedule(lr) : lr,
      weight_decay: this.weight_decay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.global_clipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.use_ema,
      ema_momentum: this.ema_momentum,
      ema_overwrite_frequency: this.ema_overwrite_frequency,
      loss_scale_factor: this.loss_scale_factor,
      gradient_accumulation_steps: this.gradient_accumulation_steps,
    };
    if (this.decay !== 0) config.decay = this.decay;
    return config;
  }

  /** Keras's `Optimizer.from_config(config)`: a new optimizer (without state) from `get_config()`. */
  static from_config<T extends Optimizer>(this: abstract new (...args: never[]) => T, config: Record<string, unknown>): T {
    const Ctor = this as unknown as new (options: Record<string, unknown>) => T;
    const learningRate = config['learning_rate'];
    if (typeof learningRate === 'object' && learningRate !== null && 'class_name' in learningRate) {
      if (!scheduleSerializer) {
        throw new ValueError(`Cannot deserialize the learning rate schedule ${repr(learningRate)}: no schedules are registered.`);
      }
      return new Ctor({ ...config, learning_rate: scheduleSerializer.deserialize(learningRate as SerializedObject) });
    }
    return new Ctor({ ...config });
  }

  /** Drops the optimizer's state; it cannot be used afterwards. */
  dispose(): void {
    this.state.clear();
    this.trainableVariables.length = 0;
    this.optimizerVariables.length = 0;
    this.disposed = true;
  }

  private undecayedLearningRate(): number {
    const lr = this._learning_rate;
    if (typeof lr === 'number') return lr;
    const value = tf.tidy(() => {
      const result = isLearningRateSchedule(lr) ? lr.call(this._iterations) : lr();
      return typeof result === 'number' ? result : result.dataSync()[0]!;
    });
    if (!Number.isFinite(value)) {
      throw new ValueError(`${this.class_name}: the learning rate schedule returned ${repr(value)} at step ${this._iterations}.`);
    }
    return value;
  }

  /** The learning rate a step uses: the schedule's value, then TF2's inverse-time `decay`. */
  private currentLearningRate(): number {
    const lr = this.undecayedLearningRate();
    return this.decay > 0 ? lr / (1 + this.decay * this.iterations) : lr;
  }

  private isUpdateStep(): boolean {
    const steps = this.gradient_accumulation_steps;
    return !steps || (this._iterations + 1) % steps === 0;
  }

  private resolveVariables(grads: ReadonlyArray<tf.Tensor | null>, variables?: readonly tf.Variable[]): tf.Variable[] {
    if (variables === undefined) {
      if (!this.built) {
        throw new ValueError(
          'When passing `grads` without `variables`, the optimizer must already be built on a list of variables. ' +
            'Call `optimizer.build(trainable_variables)` first.',
        );
      }
      if (grads.length !== this.trainableVariables.length) {
        throw new ValueError(
          'When passing `grads` as a list of gradient tensors, the gradients must match `optimizer.variables` one-to-one. ' +
            `Received a list of ${grads.length} gradients, but the optimizer is tracking ${this.trainableVariables.length} trainable variables.`,
        );
      }
      return [...this.trainableVariables];
    }
    if (variables.length !== grads.length) {
      throw new ValueError(
        `${this.class_name}.apply: received ${grads.length} gradients for ${variables.length} variables; give one gradient per variable.`,
      );
    }
    for (const variable of variables) {
      if (!(variable instanceof tf.Variable)) {
        throw new ValueError(
          `${this.class_name}: only a tf.Variable can be updated (create one with tf.variable(...)). Received: ${repr(variable)}`,
        );
      }
      if (variable.dtype !== 'float32') {
        throw new ValueError(`${this.class_name}: variable '${variable.name}' has dtype ${variable.dtype}; optimizers update float32 variables.`);
      }
    }
    return [...variables];
  }

  /**
   * Keras's `_check_variables_are_known`, in its words (plus a porting hint): once built, the
   * optimizer updates only the variables it was built with. `fit` and `train_on_batch` call it
   * before their loop, so a model compiled with another model's optimizer fails at the call.
   */
  _check_variables_are_known(variables: readonly tf.Variable[]): void {
    if (!this.built) return;
    for (const variable of variables) {
      if (this.state.has(variable)) continue;
      throw new ValueError(
        `Unknown variable: <Variable shape=[${variable.shape.join(', ')}], dtype=${variable.dtype}, name=${variable.name}>. ` +
          'This optimizer can only be called for the variables it was originally built with. ' +
          'When working with a new set of variables, you should recreate a new optimizer instance. ' +
          "To train a new model, compile it with a new optimizer (or an optimizer's name, such as 'adam').",
      );
    }
  }

  private filterEmptyGradients(
    grads: ReadonlyArray<tf.Tensor | null>,
    variables: tf.Variable[],
  ): { grads: tf.Tensor[]; variables: tf.Variable[] } {
    const kept = { grads: [] as tf.Tensor[], variables: [] as tf.Variable[] };
    const missing: string[] = [];
    grads.forEach((grad, i) => {
      if (grad === null || grad === undefined) missing.push(variables[i]!.name);
      else {
        kept.grads.push(grad);
        kept.variables.push(variables[i]!);
      }
    });
    if (kept.grads.length === 0) throw new ValueError('No gradients provided for any variable.');
    if (missing.length > 0 && !this.warnedMissingGradients) {
      this.warnedMissingGradients = true;
      console.warn(
        `Gradients do not exist for variables ${repr(missing)} when minimizing the loss. ` +
          'If using `model.compile()`, did you forget to provide a `loss` argument?',
      );
    }
    return kept;
  }

  /** The gradient's values, never written to: they may be the tensor's own storage. */
  private readGradient(grad: tf.Tensor, variable: tf.Variable): Float32Array {
    if (!(grad instanceof tf.Tensor)) {
      throw new ValueError(`${this.class_name}: a gradient must be a tf.Tensor. Received: ${repr(grad)}`);
    }
    if (!sameShape(grad.shape, variable.shape)) {
      throw new ValueError(
        `${this.class_name}: the gradient for variable '${variable.name}' has shape [${grad.shape.join(', ')}], ` +
          `but the variable has shape [${variable.shape.join(', ')}].`,
      );
    }
    return readOnlyValues(grad);
  }

  /** `f` applied to each value of `g`, in a buffer the optimizer owns (never given to a tensor). */
  private scratchGradient(variable: tf.Variable, g: Float32Array, f: (x: number) => number): Float32Array {
    const state = this.stateOf(variable);
    const out = (state.scratchGradient ??= new Float32Array(g.length));
    for (let i = 0; i < g.length; i++) out[i] = f(g[i]!);
    return out;
  }

  /** At an update step: (g + accumulated) / steps, and the accumulators start again from zero. */
  private averageAccumulatedGradients(gradients: Float32Array[], variables: tf.Variable[]): Float32Array[] {
    const steps = this.gradient_accumulation_steps!;
    return gradients.map((g, i) => {
      const state = this.stateOf(variables[i]!);
      const accumulator = state.gradient_accumulator!;
      const out = (state.scratchGradient ??= new Float32Array(g.length));
      for (let j = 0; j < g.length; j++) out[j] = (g[j]! + accumulator[j]!) / steps;
      accumulator.fill(0);
      return out;
    });
  }

  /** Keras's `_clip_gradients`: clipnorm per gradient, else global_clipnorm, else clipvalue. */
  private clipGradients(gradients: Float32Array[], variables: tf.Variable[]): Float32Array[] {
    if (this.clipnorm) {
      const clipnorm = this.clipnorm;
      return gradients.map((g, i) => {
        const norm = Math.sqrt(sumOfSquares(g));
        // Keras: g * clipnorm / max(norm, clipnorm); a no-op when the norm is already small.
        return norm > clipnorm ? this.scratchGradient(variables[i]!, g, (x) => (x * clipnorm) / norm) : g;
      });
    }
    if (this.global_clipnorm) {
      const clip = this.global_clipnorm;
      const norm = Math.sqrt(gradients.reduce((sum, g) => sum + sumOfSquares(g), 0));
      // Keras: scale = clip * min(1 / norm, 1 / clip); (norm - norm) turns an infinite norm into NaN.
      const scale = clip * Math.min(1 / norm, 1 / clip) + (norm - norm);
      if (scale === 1) return gradients;
      return gradients.map((g, i) => this.scratchGradient(variables[i]!, g, (x) => x * scale));
    }
    if (this.clipvalue) {
      const v = this.clipvalue;
      return gradients.map((g, i) => this.scratchGradient(variables[i]!, g, (x) => Math.min(Math.max(x, -v), v)));
    }
    return gradients;
  }

  private useWeightDecay(variable: tf.Variable): boolean {
    if (this.excludedVariables.has(variable)) return false;
    return !(this.excludedNamePattern && this.excludedNamePattern.test(variable.name));
  }

  /**
   * The variable's current values, in the optimizer's own array, which this step may
   * write. Read back from the backend only when something else assigned the variable
   * since the optimizer's last write (a tensor's data never changes in place).
   */
  private currentValues(variable: tf.Variable, state: VariableState): Float32Array {
    if (state.values && state.valuesId === variable.dataId) return state.values;
    const current = variable.dataSync() as Float32Array;
    state.values ??= new Float32Array(current.length);
    state.values.set(current);
    state.valuesId = variable.dataId;
    return state.values;
  }

  /**
   * One write of the optimizer's values into the variable. The wasm backend copies a
   * typed array into its own memory; other backends (cpu) keep the very array a tensor
   * is made from, so they get a copy and the optimizer's array stays its own.
   */
  private writeValues(variable: tf.Variable): void {
    const state = this.stateOf(variable);
    const values = state.values!;
    const value = tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), variable.shape, 'float32');
    variable.assign(value);
    value.dispose();
    state.valuesId = variable.dataId;
  }

  /**
   * Keras's EMA: average = m * average + (1 - m) * w, with m = 0 on the first step; every
   * `ema_overwrite_frequency` steps the weights become the averages.
   */
  private updateMovingAverages(updated: Set<tf.Variable>): void {
    const momentum = this.iterations !== 0 ? this.ema_momentum : 0;
    const overwrite = this.ema_overwrite_frequency !== null && (this.iterations + 1) % this.ema_overwrite_frequency === 0;
    for (const variable of this.trainableVariables) {
      if (variable.isDisposed) continue; // a weight of a model that was disposed since
      const state = this.stateOf(variable);
      const average = state.average!;
      const values = this.currentValues(variable, state);
      for (let i = 0; i < average.length; i++) average[i] = momentum * average[i]! + (1 - momentum) * values[i]!;
      if (overwrite) {
        values.set(average);
        updated.add(variable);
      }
    }
  }

  private stateOf(variable: tf.Variable): VariableState {
    const state = this.state.get(variable);
    if (!state) throw new RuntimeError(`${this.class_name}: variable '${variable.name}' was not built.`);
    return state;
  }

  private slotValues(state: VariableState, name: string): Float32Array | undefined {
    if (name === 'average') return state.average;
    if (name === 'gradient_accumulator') return state.gradient_accumulator;
    return state.slots[name];
  }
}

function sumOfSquares(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function toFloat32(weight: tf.Tensor | ArrayLike<number> | number): Float32Array {
  if (typeof weight === 'number') return Float32Array.of(weight);
  if (weight instanceof tf.Tensor) return Float32Array.from(weight.dataSync() as ArrayLike<number>);
  return Float32Array.from(weight);
}
