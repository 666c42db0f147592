/**
 * The lookup table behind a Keras module's `get` / `serialize` / `deserialize`
 * (Keras has it once, in keras/src/saving/serialization_lib.py; each module's `get`
 * is built on it). A `Registry` holds:
 *
 * - the built-in classes by their Keras class names: `deserialize` builds one from
 *   `{ class_name, config }`, `serialize` names an instance;
 * - every name `get` accepts: those class names, their snake_case forms when the module
 *   has them (`'binary_accuracy'`), and aliases (`'mse'`, TF2's `'uniform'`);
 * - Keras's unknown-identifier error, with "did you mean" over those names.
 *
 *   const REGISTRY = new Registry<Metric>({ kind: 'metric', module: 'keras.metrics', snakeCaseNames: true })
 *     .addClass('BinaryAccuracy', BinaryAccuracy)
 *     .addNames(['mse', 'MSE'], () => new MeanSquaredError());
 *   REGISTRY.get('binary_accuracy');  // a new BinaryAccuracy
 *   REGISTRY.get('binary_acuracy');   // ValueError: ... Did you mean 'binary_accuracy'?
 */
import { UnknownIdentifierError } from '../errors.js';
import { repr } from '../options/repr.js';
import { closestName } from '../options/suggest.js';

/** A config: the keyword arguments that rebuild an object (Keras's `get_config()` output). */
export type Config = Record<string, unknown>;

/** Keras's serialized form of an object: `{ module, class_name, config, registered_name }`. */
export interface SerializedObject<C = Config> {
  module?: string;
  class_name: string;
  config: C;
  registered_name?: string | null;
}

/** Builds an object from its config: Keras's `cls(**config)` or `cls.from_config(config)`. */
export type Make<T> = (config: Config) => T;

/** A class as `serialize` recognises its instances; any constructor signature. */
export type RegisteredClass = abstract new (...args: never[]) => unknown;

/** User classes `deserialize` looks up before the built-ins, by class name: `{ MyLRSchedule }`. */
export type CustomObjects<T> = Record<string, { from_config(config: Config): T }>;

export interface RegistryOptions {
  /** What the module's objects are called in messages: `Could not interpret <kind> identifier`. */
  readonly kind: string;
  /** The module `serialize` writes for a built-in: `'keras.optimizers'`. */
  readonly module: string;
  /** Keras looks optimizer names up case-insensitively (`'adam'`, `'SGD'`); other modules exactly. */
  readonly caseInsensitive?: boolean;
  /** `get` also accepts each class's snake_case name (`'binary_accuracy'`, `'glorot_uniform'`). */
  readonly snakeCaseNames?: boolean;
  /**
   * `serialize` names a subclass of a built-in after that built-in (losses, regularizers and
   * constraints do so). Otherwise only an instance of the built-in class itself has its name.
   */
  readonly matchSubclasses?: boolean;
  /** Names "did you mean" may suggest that `get` itself does not resolve (metrics' `'acc'`). */
  readonly alsoSuggest?: readonly string[];
  /** When nothing is close to a misspelt name, list the valid names (activations do). */
  readonly listNamesWhenNoSuggestion?: boolean;
}

/** Keras's `to_snake_case`: `BinaryAccuracy` → `binary_accuracy`, `AUC` → `auc`, `R2Score` → `r2_score`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras's `cls.from_config(config)`; a class without `from_config` takes its config as its options. */
function fromConfig<T>(cls: RegisteredClass): Make<T> {
  const { from_config } = cls as { from_config?: (config: Config) => T };
  if (typeof from_config === 'function') return (config) => from_config.call(cls, config);
  return (config) => new (cls as unknown as new (config: Config) => T)(config);
}

interface Named<T> {
  readonly name: string;
  readonly make: Make<T>;
}

export class Registry<T> {
  private readonly classes = new Map<string, Named<T> & { readonly cls: RegisteredClass }>();
  // Every name `get` accepts, in the order added: "did you mean" takes the first of equally close names.
  private readonly byName = new Map<string, Named<T>>();

  constructor(readonly options: RegistryOptions) {}

  /**
   * A built-in class under its Keras class name: `make` builds it from a config (defaults to
   * Keras's `cls.from_config(config)`, or `new cls(config)` for a class without one);
   * `get` finds it by that name (and its snake_case name).
   */
  addClass(className: string, cls: RegisteredClass, make: Make<T> = fromConfig(cls)): this {
    const entry = { name: className, cls, make };
    this.classes.set(this.key(className), entry);
    // The snake_case name first, so "did you mean" suggests 'accuracy' rather than 'Accuracy'.
    if (this.options.snakeCaseNames) this.addNames([toSnakeCase(className)], entry.make);
    return this.addNames([className], entry.make);
  }

  /** More names `get` accepts. A name already known is given the new `make` and keeps its place. */
  addNames(names: readonly string[], make: Make<T>): this {
    for (const name of names) this.byName.set(this.key(name), { name, make });
    return this;
  }

  /** Every name `get` accepts, in the order added ("did you mean" prefers the earlier of two equally close). */
  get names(): string[] {
    return [...this.byName.values()].map((entry) => entry.name);
  }

  /** What a name `get` accepts builds (a class name, snake_case name or alias); undefined if unknown. */
  find(name: string): Make<T> | undefined {
    return this.byName.get(this.key(name))?.make;
  }

  /** Keras's `get(name)`: a new object for a name `get` accepts, else the unknown-identifier error. */
  get(name: string): T {
    const make = this.find(name);
    if (!make) throw this.unknown(name);
    return make({});
  }

  /**
   * What a serialized `class_name` builds, as Keras's `deserialize_keras_object` resolves it:
   * a class in `custom_objects` first, then a built-in class. Undefined if neither has it.
   */
  findClass(className: string, custom_objects: CustomObjects<T> = {}): Make<T> | undefined {
    // Own keys only: a class_name such as 'constructor' must not find Object's members.
    if (Object.hasOwn(custom_objects, className)) {
      const custom = custom_objects[className]!;
      return (config) => custom.from_config(config);
    }
    return this.classes.get(this.key(className))?.make;
  }

  /** The Keras class name of a built-in's instance; undefined for any other object. */
  classNameOf(object: object): string | undefined {
    for (const { name, cls } of this.classes.values()) {
      if (this.options.matchSubclasses ? object instanceof cls : Object.getPrototypeOf(object) === cls.prototype) return name;
    }
    return undefined;
  }

  /** Keras's `serialize_keras_object` output for an object of this module. */
  serialize<C>(className: string, config: C, registered_name: string | null = null): SerializedObject<C> {
    return { module: this.options.module, class_name: className, config, registered_name };
  }

  /**
   * Keras's `Could not interpret <kind> identifier: <identifier>.`, with "did you mean" when
   * `identifier` is a misspelt name (the first of the closest names, in the order added).
   * `shown` is what the message prints (defaults to the identifier; constraints print the config).
   */
  unknown(identifier: unknown, shown: unknown = identifier): UnknownIdentifierError {
    const candidates = [...this.names, ...(this.options.alsoSuggest ?? [])];
    const suggestion = typeof identifier === 'string' ? closestName(identifier, candidates) : undefined;
    const hint = suggestion
      ? ` Did you mean '${suggestion}'?`
      : this.options.listNamesWhenNoSuggestion
        ? ` Valid names: ${this.names.join(', ')}.`
        : '';
    return new UnknownIdentifierError(`Could not interpret ${this.options.kind} identifier: ${repr(shown)}.${hint}`);
  }

  /**
   * The same words without the closing period or a suggestion, as optimizers, regularizers and
   * constraints have always written them for a value that is not a name (and, for optimizers
   * and regularizers, for an unknown class_name in a config).
   */
  cannotInterpret(identifier: unknown): UnknownIdentifierError {
    return new UnknownIdentifierError(`Could not interpret ${this.options.kind} identifier: ${repr(identifier)}`);
  }

  private key(name: string): string {
    return this.options.caseInsensitive ? name.toLowerCase() : name;
  }
}
