/**
 * Where deserializing finds a user's classes (Keras's `saving/object_registration.py`):
 *
 * - `keras.saving.register_keras_serializable({ package: 'course' })(MyLayer)`: a global entry
 *   under `'course>MyLayer'`, the `registered_name` that serializing then writes;
 * - `keras.saving.custom_object_scope({ MyLayer }, () => load_model(path))`: entries seen by
 *   every deserialization inside the callback (Python's `with custom_object_scope(...)`);
 * - `custom_objects` given to `load_model`, `model_from_json`, `from_config`, `deserialize`.
 *
 * As in Keras, deserializing an object runs its `from_config` inside a scope holding all three
 * (`deserialize_keras_object`), so a layer inside a wrapper (`TimeDistributed(MyLayer)`,
 * `Bidirectional(RNN(MyCell))`) or inside a nested model finds the classes given at the top,
 * though the wrapper's own `from_config` passes no `custom_objects` down. A name is looked up in
 * the scope, then the global registrations, then the `custom_objects` argument, Keras's order.
 */
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';

/** A class (or object) deserializing can find by name. */
export type CustomObject = object;

/** Keras's `GLOBAL_CUSTOM_OBJECTS` (`get_custom_objects()` is this live dict) and its inverse. */
const GLOBAL_CUSTOM_OBJECTS: Record<string, CustomObject> = Object.create(null) as Record<string, CustomObject>;
const GLOBAL_CUSTOM_NAMES = new Map<CustomObject, string>();

// Keras's thread-local `custom_objects_scope_dict`; JavaScript runs one deserialization at a time.
let scopeObjects: Record<string, CustomObject> = {};

/** Options of `register_keras_serializable`: the key is `'<package>><name>'`. */
export interface RegisterOptions {
  /** Defaults to Keras's `'Custom'`. */
  readonly package?: string;
  /** Defaults to the class's name. */
  readonly name?: string | null;
}

/**
 * Keras's `@keras.saving.register_keras_serializable(package='Custom', name=None)`: registers
 * a class under `'package>name'` so that files naming it load without `custom_objects`.
 * Returns the decorator: call it on the class (`register_keras_serializable()(MyLayer)`).
 */
export function register_keras_serializable(options: RegisterOptions = {}): <C extends CustomObject>(cls: C, context?: unknown) => C {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`register_keras_serializable: expected options such as { package: 'my_package' }. Received: ${repr(options)}`);
  }
  const pkg = options.package ?? 'Custom';
  if (typeof pkg !== 'string') throw new ValueError(`register_keras_serializable: \`package\` must be a string. Received: package=${repr(pkg)}`);
  if (options.name !== undefined && options.name !== null && typeof options.name !== 'string') {
    throw new ValueError(`register_keras_serializable: \`name\` must be a string. Received: name=${repr(options.name)}`);
  }
  return (cls) => {
    if (typeof cls !== 'function') throw new ValueError(`register_keras_serializable: expected a class. Received: ${repr(cls)}`);
    const prototype = (cls as { prototype?: { get_config?: unknown } }).prototype;
    if (typeof prototype?.get_config !== 'function') throw new ValueError('Cannot register a class that does not have a get_config() method.');
    const registered = `${pkg}>${options.name ?? (cls as { name: string }).name}`;
    GLOBAL_CUSTOM_OBJECTS[registered] = cls;
    GLOBAL_CUSTOM_NAMES.set(cls, registered);
    return cls;
  };
}

/** Keras's `get_custom_objects()`: the live dict of registered classes (adding to it registers). */
export function get_custom_objects(): Record<string, CustomObject> {
  return GLOBAL_CUSTOM_OBJECTS;
}

/** Keras's `get_registered_name(cls)`: `'package>Name'` when registered, else the class's name. */
export function get_registered_name(cls: CustomObject): string {
  return GLOBAL_CUSTOM_NAMES.get(cls) ?? (cls as { name?: string }).name ?? String(cls);
}

/** The name serializing writes for a user's class: the registered name, else `fallback` (its Keras class name). */
export function registeredNameOf(cls: CustomObject, fallback: string): string {
  return GLOBAL_CUSTOM_NAMES.get(cls) ?? fallback;
}

/** Keras's `get_registered_object(name, custom_objects)`: the scope, the registrations, then `custom_objects`. */
export function get_registered_object(name: string, custom_objects: Record<string, CustomObject> | null = null): CustomObject | undefined {
  if (Object.hasOwn(scopeObjects, name)) return scopeObjects[name];
  if (Object.hasOwn(GLOBAL_CUSTOM_OBJECTS, name)) return GLOBAL_CUSTOM_OBJECTS[name];
  if (custom_objects !== null && Object.hasOwn(custom_objects, name)) return custom_objects[name];
  return undefined;
}

/**
 * Keras's `CustomObjectScope`: `enter()` makes its objects visible to deserialization until
 * `exit()` restores the previous scope. `custom_object_scope(objects, fn)` does both around `fn`.
 */
export class CustomObjectScope {
  private backup: Record<string, CustomObject> | null = null;

  constructor(readonly custom_objects: Record<string, CustomObject> | null = {}) {
    if (custom_objects !== null && (typeof custom_objects !== 'object' || Array.isArray(custom_objects))) {
      throw new ValueError(`CustomObjectScope: expected a dict of classes by name, such as { MyLayer }. Received: ${repr(custom_objects)}`);
    }
  }

  enter(): this {
    this.backup = { ...scopeObjects };
    scopeObjects = { ...(this.custom_objects ?? {}) };
    return this;
  }

  exit(): void {
    scopeObjects = { ...(this.backup ?? {}) };
  }
}

/** Python's `with keras.saving.custom_object_scope(objects): ...` as `custom_object_scope(objects, () => ...)`. */
export function custom_object_scope<T>(custom_objects: Record<string, CustomObject>, fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError('custom_object_scope: pass the code to run inside the scope as a function, custom_object_scope({ MyLayer }, () => load_model(path)).');
  const scope = new CustomObjectScope(custom_objects).enter();
  try {
    return fn();
  } finally {
    scope.exit();
  }
}

/**
 * What `deserialize_keras_object` does around a class's `from_config`: the `custom_objects`
 * argument merged with the scope and the registrations, then `fn` run inside a scope of that
 * merge, so nested deserializations see them all. Returns `fn`'s result and the merged objects.
 */
export function withCustomObjects<T>(custom_objects: Record<string, CustomObject>, fn: (merged: Record<string, CustomObject>) => T): T {
  const merged = { ...custom_objects, ...scopeObjects, ...GLOBAL_CUSTOM_OBJECTS };
  const scope = new CustomObjectScope(merged).enter();
  try {
    return fn(merged);
  } finally {
    scope.exit();
  }
}

/**
 * The user class a serialized object names, as Keras resolves it: its `registered_name`
 * (`'course>MyLayer'`, or the class name for an unregistered class) in the scope, the
 * registrations and `custom_objects`; then, for configs without one (TF2's), its `class_name`.
 */
export function findCustomClass(serialized: { class_name: string; registered_name?: unknown }, custom_objects: Record<string, CustomObject>): CustomObject | undefined {
  const registered = typeof serialized.registered_name === 'string' ? serialized.registered_name : undefined;
  for (const name of [registered, serialized.class_name]) {
    if (name === undefined) continue;
    const found = get_registered_object(name, custom_objects);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Keras 3's "Could not locate class" (serialization_lib), naming the two ways to provide the
 * class here: registering it, or `custom_objects`. A TypeError, as Keras raises it.
 */
export function couldNotLocate(className: string, fullConfig: unknown): TypeError {
  return new TypeError(
    `Could not locate class '${className}'. Make sure custom classes are decorated with ` +
      `\`@keras.saving.register_keras_serializable()\` (keras.saving.register_keras_serializable()(${className})) or passed in \`custom_objects\`, ` +
      `such as keras.models.load_model(path, { custom_objects: { ${className} } }). If they are already registered, make sure they are all ` +
      `imported so that the registration runs before trying to load them. Full object config: ${JSON.stringify(fullConfig)}`,
  );
}
