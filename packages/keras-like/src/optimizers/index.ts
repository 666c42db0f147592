/**
 * `keras.optimizers`: the optimizer classes, and `get` / `serialize` / `deserialize`
 * as in Keras. Names are case-insensitive: `get('adam')`, `get('SGD')`, `get('RMSprop')`.
 */
import { ValueError } from '../errors.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { Registry, type RegisteredClass } from '../utils/registry.js';
import { Optimizer, type SerializedObject } from './base.js';
import { AdadeltaOptimizer } from './adadelta.js';
import { AdagradOptimizer } from './adagrad.js';
import { AdamOptimizer } from './adam.js';
import { AdamaxOptimizer } from './adamax.js';
import { AdamWOptimizer } from './adamw.js';
import { NadamOptimizer } from './nadam.js';
import { RMSpropOptimizer } from './rmsprop.js';
import { SGDOptimizer } from './sgd.js';
import { LionOptimizer } from './lion.js';
import { FtrlOptimizer } from './ftrl.js';
import { LambOptimizer } from './lamb.js';
import { AdafactorOptimizer } from './adafactor.js';

export {
  Optimizer,
  baseOptimizerSchema,
  floatBetween0And1,
  nonNegativeFloat,
  type BaseOptimizerArgs,
  isLearningRateSchedule,
  registerScheduleSerializer,
  type LearningRate,
  type LearningRateSchedule,
  type OptimizerConfig,
  type SerializedObject,
  type Slots,
  type OptimizerArgs,
  type OptimizerOptions,
  parseOptimizerArgs,
} from './base.js';
export { SGD, SGDOptimizer, type SGDOptions } from './sgd.js';
export { Adagrad, AdagradOptimizer, type AdagradOptions } from './adagrad.js';
export { Adadelta, AdadeltaOptimizer, type AdadeltaOptions } from './adadelta.js';
export { RMSprop, RMSpropOptimizer, type RMSpropOptions } from './rmsprop.js';
export { Adam, AdamOptimizer, type AdamOptions } from './adam.js';
export { AdamW, AdamWOptimizer, type AdamWOptions } from './adamw.js';
export { Adamax, AdamaxOptimizer, type AdamaxOptions } from './adamax.js';
export { Nadam, NadamOptimizer, type NadamOptions } from './nadam.js';
export * as schedules from './schedules.js';
export { Lion, LionOptimizer, type LionOptions } from './lion.js';
export { Ftrl, FtrlOptimizer, type FtrlOptions } from './ftrl.js';
export { Lamb, LambOptimizer, type LambOptions } from './lamb.js';
export { Adafactor, AdafactorOptimizer, type AdafactorOptions } from './adafactor.js';

type OptimizerClass = RegisteredClass & { readonly class_name: string };

/** Every built-in optimizer; Keras looks optimizer names up case-insensitively. */
const OPTIMIZERS: readonly OptimizerClass[] = [
  SGDOptimizer,
  AdagradOptimizer,
  AdadeltaOptimizer,
  RMSpropOptimizer,
  AdamOptimizer,
  AdamWOptimizer,
  AdamaxOptimizer,
  NadamOptimizer,
  LionOptimizer,
  FtrlOptimizer,
  LambOptimizer,
  AdafactorOptimizer,
];

const REGISTRY = new Registry<Optimizer>({ kind: 'optimizer', module: 'keras.optimizers', caseInsensitive: true });
for (const cls of OPTIMIZERS) REGISTRY.addClass(cls.class_name, cls);

/** Keras's `optimizers.serialize(optimizer)`: `{ module, class_name, config, registered_name }`. */
export function serialize(optimizer: Optimizer): SerializedObject {
  return REGISTRY.serialize(optimizer.class_name, optimizer.get_config());
}

/** Keras's `optimizers.deserialize(config)`: a new optimizer from `serialize`'s output. */
export function deserialize(config: SerializedObject): Optimizer {
  if (!isPlainObject(config) || typeof config.class_name !== 'string') {
    throw new ValueError(`Could not interpret serialized optimizer: ${repr(config)}`);
  }
  const make = REGISTRY.findClass(config.class_name);
  if (!make) throw REGISTRY.cannotInterpret(config.class_name);
  return make(isPlainObject(config.config) ? config.config : {});
}

/**
 * Keras's `optimizers.get(identifier)`: a name ('adam', 'SGD'; case-insensitive) gives a
 * new optimizer with Keras's defaults, a serialized config is deserialized, an optimizer
 * is returned as is, and null gives null.
 */
export function get(identifier: string | SerializedObject | Optimizer): Optimizer;
export function get(identifier: null | undefined): null;
export function get(identifier: string | SerializedObject | Optimizer | null | undefined): Optimizer | null;
export function get(identifier: string | SerializedObject | Optimizer | null | undefined): Optimizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return REGISTRY.get(identifier);
  if (isPlainObject(identifier)) return deserialize(identifier);
  throw REGISTRY.cannotInterpret(identifier);
}
