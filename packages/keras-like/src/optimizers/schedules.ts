/**
 * `keras.optimizers.schedules`: learning rates that change with the optimizer step.
 *
 *   const lr_schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, { decay_steps: 10000, decay_rate: 0.9 });
 *   const optimizer = keras.optimizers.SGD({ learning_rate: lr_schedule });
 *   lr_schedule(0); // 0.01, the rate the optimizer uses on its first step
 *
 * A schedule is called like a function, as in Keras: `schedule(step)` returns the
 * learning rate for that step. The optimizer calls it once per step with its
 * `iterations` count. Schedules compute in plain numbers (float64); Keras computes
 * them in the learning rate's dtype (float32), so the two agree to float32 precision.
 */
import { z } from 'zod';
import { UnknownIdentifierError, ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { CallableInstance } from '../utils/callable_instance.js';
import { Registry, type CustomObjects } from '../utils/registry.js';
import { registerScheduleSerializer, type SerializedObject } from './base.js';

/**
 * Positional arguments in Keras's order, any prefix of them, then one keyword-arguments
 * object: `ExponentialDecay(0.1, 1000, 0.96)`, `ExponentialDecay(0.1, { decay_steps: 1000, decay_rate: 0.96 })`
 * or `ExponentialDecay({ initialLearningRate: 0.1, ... })`. Which arguments are missing is
 * checked when the schedule is built (the options may use camelCase spellings).
 */
type ScheduleArgs<Positional extends unknown[], Options> = Positional extends [...infer Init, unknown]
  ? [...Positional, Partial<Options>?] | ScheduleArgs<Init, Options>
  : [Partial<Options>];

export interface LearningRateSchedule {
  /** The learning rate at optimizer step `step`. */
  (step: number): number;
}

/**
 * The learning rate schedule base class. A custom schedule overrides `__call__(step)`
 * (and `get_config` to be serializable), as in Keras:
 *
 *   class MyLRSchedule extends keras.optimizers.schedules.LearningRateSchedule {
 *     constructor(readonly initial_learning_rate: number) { super(); }
 *     override __call__(step: number) { return this.initial_learning_rate / (step + 1); }
 *   }
 */
export abstract class LearningRateSchedule extends CallableInstance {
  /** The learning rate at `step`, the optimizer's iteration count. */
  abstract override __call__(step: number): number;

  /** `schedule.call(step)` is `schedule(step)`; the optimizer calls it with its iteration count. */
  call(step: number): number {
    return this.__call__(step);
  }

  get_config(): Record<string, unknown> {
    throw new Error(
      `Learning rate schedule '${this.constructor.name}' must override \`get_config()\` in order to be serializable.`,
    );
  }

  /** Instantiates a schedule from the output of its `get_config()`. */
  static from_config<T extends LearningRateSchedule>(
    this: { prototype: T },
    config: Record<string, unknown>,
  ): T {
    // Keras's `cls(**config)`: the config is the keyword-arguments object.
    return new (this as unknown as new (config: Record<string, unknown>) => T)(config);
  }
}

/**
 * A built-in schedule: the arguments its schema parses become its fields (Keras's attribute
 * names), and `get_config` returns them, in the schema's order.
 */
abstract class BuiltInSchedule<S extends z.ZodObject> extends LearningRateSchedule {
  readonly #configKeys: readonly string[];

  protected constructor(owner: string, schema: S, args: readonly unknown[]) {
    super();
    this.#configKeys = Object.keys(schema.shape);
    Object.assign(this, parseArgs(owner, schema, this.#configKeys, args));
  }

  override get_config(): z.output<S> {
    const fields = this as unknown as Record<string, unknown>;
    // Arrays are copied so a config can be edited without changing the schedule.
    const config = this.#configKeys.map((key) => [key, Array.isArray(fields[key]) ? [...fields[key]] : fields[key]]);
    return Object.fromEntries(config) as z.output<S>;
  }
}

const decaySteps = z.number().positive();
const name = (defaultName: string) => z.string().default(defaultName);

// ----- ExponentialDecay -------------------------------------------------------

// ExponentialDecay and InverseTimeDecay take the same arguments.
const staircaseDecaySchema = (defaultName: string) =>
  z.object({
    initial_learning_rate: z.number(),
    decay_steps: decaySteps,
    decay_rate: z.number(),
    staircase: z.boolean().default(false),
    name: name(defaultName),
  });

type StaircaseDecayArgs<Options> = ScheduleArgs<
  [initial_learning_rate: number, decay_steps: number, decay_rate: number, staircase: boolean, name: string],
  Options
>;

/** What ExponentialDecay and InverseTimeDecay share: their arguments and the decay's progress. */
abstract class StaircaseDecaySchedule extends BuiltInSchedule<ReturnType<typeof staircaseDecaySchema>> {
  declare readonly initial_learning_rate: number;
  declare readonly decay_steps: number;
  declare readonly decay_rate: number;
  declare readonly staircase: boolean;
  declare readonly name: string;

  /** `step / decay_steps`, floored with `staircase: true`. */
  protected progress(step: number): number {
    const p = step / this.decay_steps;
    return this.staircase ? Math.floor(p) : p;
  }
}

const exponentialDecaySchema = staircaseDecaySchema('ExponentialDecay');
export type ExponentialDecayOptions = KerasOptions<typeof exponentialDecaySchema>;

/**
 * Exponential decay:
 *
 *   lr(step) = initial_learning_rate * decay_rate ^ (step / decay_steps)
 *
 * With `staircase: true`, `step / decay_steps` is an integer division, so the rate
 * drops in steps every `decay_steps`.
 *
 * Args: `initial_learning_rate`; `decay_steps` (> 0); `decay_rate`;
 * `staircase` (defaults to `false`); `name` (defaults to `"ExponentialDecay"`).
 */
export class ExponentialDecaySchedule extends StaircaseDecaySchedule {
  constructor(...args: StaircaseDecayArgs<ExponentialDecayOptions>) {
    super('ExponentialDecay', exponentialDecaySchema, args);
  }

  override __call__(step: number): number {
    return this.initial_learning_rate * this.decay_rate ** this.progress(step);
  }
}

// ----- PiecewiseConstantDecay -------------------------------------------------

const piecewiseConstantDecaySchema = z.object({
  boundaries: z
    .array(z.number())
    .refine((b) => b.every((value, i) => i === 0 || value > b[i - 1]!), { message: 'must be strictly increasing' }),
  values: z.array(z.number()).min(1, { message: 'must have at least one value' }),
  name: name('PiecewiseConstant'),
});
export type PiecewiseConstantDecayOptions = KerasOptions<typeof piecewiseConstantDecaySchema>;

/**
 * Piecewise constant decay: `values[0]` while `step <= boundaries[0]`, `values[1]` while
 * `boundaries[0] < step <= boundaries[1]`, ..., and `values[values.length - 1]` after the
 * last boundary. `values` has one more entry than `boundaries`.
 *
 * Args: `boundaries` (strictly increasing); `values`; `name` (defaults to `"PiecewiseConstant"`).
 */
export class PiecewiseConstantDecaySchedule extends BuiltInSchedule<typeof piecewiseConstantDecaySchema> {
  declare readonly boundaries: number[];
  declare readonly values: number[];
  declare readonly name: string;

  constructor(...args: ScheduleArgs<[boundaries: number[], values: number[], name: string], PiecewiseConstantDecayOptions>) {
    super('PiecewiseConstantDecay', piecewiseConstantDecaySchema, args);
    const { boundaries, values } = this;
    if (boundaries.length !== values.length - 1) {
      throw new ValueError(
        'PiecewiseConstantDecay: The length of boundaries should be 1 less than the length of values. ' +
          `Received: boundaries=${repr(boundaries)} of length ${boundaries.length}, ` +
          `and values=${repr(values)} of length ${values.length}.`,
      );
    }
  }

  override __call__(step: number): number {
    const interval = this.boundaries.findIndex((boundary) => step <= boundary);
    return this.values[interval === -1 ? this.boundaries.length : interval]!;
  }
}

// ----- PolynomialDecay --------------------------------------------------------

const polynomialDecaySchema = z.object({
  initial_learning_rate: z.number(),
  decay_steps: decaySteps,
  end_learning_rate: z.number().default(0.0001),
  power: z.number().default(1.0),
  cycle: z.boolean().default(false),
  name: name('PolynomialDecay'),
});
export type PolynomialDecayOptions = KerasOptions<typeof polynomialDecaySchema>;

/**
 * Polynomial decay from `initial_learning_rate` to `end_learning_rate` over `decay_steps`:
 *
 *   step = min(step, decay_steps)
 *   lr(step) = (initial_learning_rate - end_learning_rate) * (1 - step / decay_steps) ^ power + end_learning_rate
 *
 * With `cycle: true`, `decay_steps` becomes its first multiple that is >= step
 * (`decay_steps * ceil(step / decay_steps)`, or `decay_steps` at step 0), so the decay restarts.
 *
 * Args: `initial_learning_rate`; `decay_steps` (> 0); `end_learning_rate` (defaults to `0.0001`);
 * `power` (defaults to `1.0`); `cycle` (defaults to `false`); `name` (defaults to `"PolynomialDecay"`).
 */
export class PolynomialDecaySchedule extends BuiltInSchedule<typeof polynomialDecaySchema> {
  declare readonly initial_learning_rate: number;
  declare readonly decay_steps: number;
  declare readonly end_learning_rate: number;
  declare readonly power: number;
  declare readonly cycle: boolean;
  declare readonly name: string;

  constructor(...args: ScheduleArgs<
      [initial_learning_rate: number, decay_steps: number, end_learning_rate: number, power: number, cycle: boolean, name: string],
      PolynomialDecayOptions
    >) {
    super('PolynomialDecay', polynomialDecaySchema, args);
  }

  override __call__(step: number): number {
    let decaySteps = this.decay_steps;
    if (this.cycle) {
      decaySteps *= step === 0 ? 1 : Math.ceil(step / this.decay_steps);
    } else {
      step = Math.min(step, decaySteps);
    }
    const p = step / decaySteps;
    return (this.initial_learning_rate - this.end_learning_rate) * (1 - p) ** this.power + this.end_learning_rate;
  }
}

// ----- InverseTimeDecay -------------------------------------------------------

const inverseTimeDecaySchema = staircaseDecaySchema('InverseTimeDecay');
export type InverseTimeDecayOptions = KerasOptions<typeof inverseTimeDecaySchema>;

/**
 * Inverse time decay:
 *
 *   lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)
 *
 * With `staircase: true`, `step / decay_steps` is floored. (The TF2 `decay` argument of
 * an optimizer is this schedule with `decay_steps: 1`.)
 *
 * Args: `initial_learning_rate`; `decay_steps` (> 0); `decay_rate`;
 * `staircase` (defaults to `false`); `name` (defaults to `"InverseTimeDecay"`).
 */
export class InverseTimeDecaySchedule extends StaircaseDecaySchedule {
  constructor(...args: StaircaseDecayArgs<InverseTimeDecayOptions>) {
    super('InverseTimeDecay', inverseTimeDecaySchema, args);
  }

  override __call__(step: number): number {
    return this.initial_learning_rate / (1 + this.decay_rate * this.progress(step));
  }
}

// ----- CosineDecay ------------------------------------------------------------

const cosineDecaySchema = z.object({
  initial_learning_rate: z.number(),
  decay_steps: decaySteps,
  alpha: z.number().default(0.0),
  name: name('CosineDecay'),
  warmup_target: z.number().nullable().default(null),
  warmup_steps: z.number().min(0).default(0),
});
export type CosineDecayOptions = KerasOptions<typeof cosineDecaySchema>;

/** The cosine factor going from 1 to `alpha` as `fraction` goes from 0 to 1. */
function cosineDecayed(fraction: number, alpha: number): number {
  const cosine = 0.5 * (1 + Math.cos(Math.PI * fraction));
  return (1 - alpha) * cosine + alpha;
}

/**
 * Cosine decay, with an optional linear warmup (SGDR, Loshchilov & Hutter 2016;
 * warmup, Goyal et al. 2017):
 *
 *   warmup, while step < warmup_steps (only when warmup_target is set):
 *     lr(step) = initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
 *   then, with s = min(step - warmup_steps, decay_steps) and lr0 = warmup_target ?? initial_learning_rate:
 *     lr(step) = lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)
 *
 * Args: `initial_learning_rate`; `decay_steps` (> 0); `alpha`, the final rate as a fraction of
 * lr0 (defaults to `0.0`); `name` (defaults to `"CosineDecay"`); `warmup_target` (defaults to
 * `null`: no warmup); `warmup_steps` (defaults to `0`).
 */
export class CosineDecaySchedule extends BuiltInSchedule<typeof cosineDecaySchema> {
  declare readonly initial_learning_rate: number;
  declare readonly decay_steps: number;
  declare readonly alpha: number;
  declare readonly name: string;
  declare readonly warmup_target: number | null;
  declare readonly warmup_steps: number;

  constructor(
    ...args: ScheduleArgs<
      [initial_learning_rate: number, decay_steps: number, alpha: number, name: string, warmup_target: number | null, warmup_steps: number],
      CosineDecayOptions
    >
  ) {
    super('CosineDecay', cosineDecaySchema, args);
  }

  override __call__(step: number): number {
    if (this.warmup_target === null) {
      step = Math.min(step, this.decay_steps);
      return this.initial_learning_rate * cosineDecayed(step / this.decay_steps, this.alpha);
    }
    step = Math.min(step, this.decay_steps + this.warmup_steps);
    if (step < this.warmup_steps) {
      const completedFraction = step / this.warmup_steps;
      return (this.warmup_target - this.initial_learning_rate) * completedFraction + this.initial_learning_rate;
    }
    return this.warmup_target * cosineDecayed((step - this.warmup_steps) / this.decay_steps, this.alpha);
  }
}

// ----- CosineDecayRestarts ----------------------------------------------------

const cosineDecayRestartsSchema = z.object({
  initial_learning_rate: z.number(),
  first_decay_steps: decaySteps,
  t_mul: z.number().default(2.0),
  m_mul: z.number().default(1.0),
  alpha: z.number().default(0.0),
  name: name('SGDRDecay'),
});
export type CosineDecayRestartsOptions = KerasOptions<typeof cosineDecayRestartsSchema>;

/**
 * Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016). The multiplier decays
 * from 1 to `alpha` over `first_decay_steps`, then restarts; period i lasts
 * `first_decay_steps * t_mul^i` steps and starts from `initial_learning_rate * m_mul^i`:
 *
 *   lr(step) = initial_learning_rate * ((1 - alpha) * m_mul^i * 0.5 * (1 + cos(pi * f)) + alpha)
 *
 * where i is the current period and f the fraction of it completed. As Keras, i comes
 * from the closed form of the geometric series of period lengths.
 *
 * Args: `initial_learning_rate`; `first_decay_steps` (> 0); `t_mul` (defaults to `2.0`);
 * `m_mul` (defaults to `1.0`); `alpha` (defaults to `0.0`); `name` (defaults to `"SGDRDecay"`).
 */
export class CosineDecayRestartsSchedule extends BuiltInSchedule<typeof cosineDecayRestartsSchema> {
  declare readonly initial_learning_rate: number;
  declare readonly first_decay_steps: number;
  declare readonly t_mul: number;
  declare readonly m_mul: number;
  declare readonly alpha: number;
  declare readonly name: string;

  constructor(
    ...args: ScheduleArgs<
      [initial_learning_rate: number, first_decay_steps: number, t_mul: number, m_mul: number, alpha: number, name: string],
      CosineDecayRestartsOptions
    >
  ) {
    super('CosineDecayRestarts', cosineDecayRestartsSchema, args);
  }

  override __call__(step: number): number {
    const { t_mul, m_mul, alpha } = this;
    let completedFraction = step / this.first_decay_steps;
    let iRestart: number;
    if (t_mul === 1) {
      iRestart = Math.floor(completedFraction);
      completedFraction -= iRestart;
    } else {
      // Periods last 1, t_mul, t_mul², ... (in units of first_decay_steps); the first i
      // of them add up to (1 - t_mul^i) / (1 - t_mul).
      iRestart = Math.floor(Math.log(1 - completedFraction * (1 - t_mul)) / Math.log(t_mul));
      const sumOfPeriods = (1 - t_mul ** iRestart) / (1 - t_mul);
      completedFraction = (completedFraction - sumOfPeriods) / t_mul ** iRestart;
    }
    const cosine = 0.5 * m_mul ** iRestart * (1 + Math.cos(Math.PI * completedFraction));
    return this.initial_learning_rate * ((1 - alpha) * cosine + alpha);
  }
}

// ----- Public names (`new` optional) ------------------------------------------

export const ExponentialDecay = callable(ExponentialDecaySchedule);
export type ExponentialDecay = ExponentialDecaySchedule;
export const PiecewiseConstantDecay = callable(PiecewiseConstantDecaySchedule);
export type PiecewiseConstantDecay = PiecewiseConstantDecaySchedule;
export const PolynomialDecay = callable(PolynomialDecaySchedule);
export type PolynomialDecay = PolynomialDecaySchedule;
export const InverseTimeDecay = callable(InverseTimeDecaySchedule);
export type InverseTimeDecay = InverseTimeDecaySchedule;
export const CosineDecay = callable(CosineDecaySchedule);
export type CosineDecay = CosineDecaySchedule;
export const CosineDecayRestarts = callable(CosineDecayRestartsSchedule);
export type CosineDecayRestarts = CosineDecayRestartsSchedule;

const REGISTRY = new Registry<LearningRateSchedule>({ kind: 'learning rate schedule', module: 'keras.optimizers.schedules' })
  .addClass('ExponentialDecay', ExponentialDecaySchedule)
  .addClass('PiecewiseConstantDecay', PiecewiseConstantDecaySchedule)
  .addClass('PolynomialDecay', PolynomialDecaySchedule)
  .addClass('InverseTimeDecay', InverseTimeDecaySchedule)
  .addClass('CosineDecay', CosineDecaySchedule)
  .addClass('CosineDecayRestarts', CosineDecayRestartsSchedule);

/**
 * A schedule as a JSON-compatible object:
 * `{ module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', config: {...}, registered_name: null }`.
 */
export function serialize(learning_rate_schedule: LearningRateSchedule): SerializedObject {
  if (!(learning_rate_schedule instanceof LearningRateSchedule)) {
    throw new ValueError(`serialize: must be given a LearningRateSchedule. Received: ${repr(learning_rate_schedule)}`);
  }
  const builtIn = REGISTRY.classNameOf(learning_rate_schedule);
  const config = learning_rate_schedule.get_config();
  if (builtIn) return REGISTRY.serialize(builtIn, config);
  // A custom class: registered under its own name, found again through `custom_objects`.
  const className = learning_rate_schedule.constructor.name;
  return { class_name: className, config, registered_name: className };
}

/**
 * Rebuilds a schedule from `serialize`'s output (or any `{ class_name, config }`).
 * A custom schedule class is found in `custom_objects`: `deserialize(config, { MyLRSchedule })`.
 */
export function deserialize(
  config: SerializedObject,
  custom_objects: CustomObjects<LearningRateSchedule> = {},
): LearningRateSchedule {
  if (typeof config !== 'object' || config === null || typeof config.class_name !== 'string' || typeof config.config !== 'object') {
    throw new ValueError(`Could not parse config: ${repr(config)}. Expected { class_name, config }.`);
  }
  const make = REGISTRY.findClass(config.class_name, custom_objects);
  if (make === undefined) {
    throw new UnknownIdentifierError(
      `Could not locate class '${config.class_name}'. Pass custom classes in \`custom_objects\`, ` +
        `e.g. deserialize(config, { ${config.class_name} }). Known schedules: ${REGISTRY.names.join(', ')}.`,
    );
  }
  return make(config.config);
}

// Optimizers' get_config / from_config write and read their schedule with these.
registerScheduleSerializer({ serialize, deserialize });
