/**
 * A model as `config.json` holds it (Keras's `serialize_keras_object(model)`):
 *
 *   { module: 'keras', class_name: 'Sequential', registered_name: null,
 *     config: { name, trainable, dtype, layers: [serialized layers, InputLayer first], build_input_shape },
 *     build_config: { input_shape: [null, 4] },
 *     compile_config: { optimizer, loss, loss_weights, metrics, weighted_metrics, ... } }
 *
 * and back (`deserialize_keras_object`): the class from its `class_name` (a model class
 * registered here, or one of `custom_objects`), built from `build_config`, compiled from
 * `compile_config`. `to_json` / `model_from_json` are the same dict as a string. TF2's
 * configs (`model_config` of a legacy `.h5`) have the same shape without `module`.
 */
import { ValueError } from '../errors.js';
import { deserialize as deserializeLayer, serialize as serializeLayer, type LayerClass } from '../layers/serialization.js';
import type { Layer, Shape } from '../layers/layer.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import type { Config } from '../utils/registry.js';
import { couldNotLocate, findCustomClass, registeredNameOf, withCustomObjects } from './object_registration.js';

/** What `custom_objects` holds: user layer (or model) classes by class name. */
export type CustomObjects = Record<string, LayerClass | ModelClass>;

/** A user's model class in `custom_objects`: built with its `from_config`. */
export interface ModelClass {
  from_config(config: Config, custom_objects?: CustomObjects): unknown;
}

/** What serializing and rebuilding a model needs of it. */
export interface ConfigurableModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly built: boolean;
  get_config(): Config;
  /** Keras's `get_compile_config()`: `{}` for a model that was not compiled. */
  get_compile_config(): Config;
  compile_from_config(config: Config): void;
  build(input_shape?: Shape): void;
  /** Keras's `build_from_config(build_config)`: a subclass builds by running its call. */
  build_from_config?(config: Config): void;
}

/** The model's build input shape, when built: `build_config.input_shape`. */
export interface BuildableModel extends ConfigurableModel {
  readonly input_shape: Shape;
}

type ModelFromConfig = (config: Config, custom_objects: CustomObjects) => ConfigurableModel;
const MODEL_CLASSES = new Map<string, ModelFromConfig>();

/** Makes `class_name` deserializable: Sequential and Model register themselves. */
export function registerModelClass(className: string, fromConfig: ModelFromConfig): void {
  MODEL_CLASSES.set(className, fromConfig);
}

export const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** Keras 3's Sequential config: every layer serialized, a leading InputLayer included. */
export function sequentialConfig(model: { name: string; trainable: boolean; built: boolean; inputLayers: readonly Layer[]; layers: readonly Layer[]; declaredInputShape?: Shape }): Config {
  const config: Config = {
    name: model.name,
    trainable: model.trainable,
    dtype: FLOAT32_POLICY,
    // A model inside the Sequential is written as a model (`module: 'keras'`), as Keras does.
    layers: [...model.inputLayers, ...model.layers].map((layer) => (isNestedModel(layer) ? serializeModel(layer, layer.className) : serializeLayer(layer))),
  };
  if (model.declaredInputShape !== undefined) config.build_input_shape = [...model.declaredInputShape];
  return config;
}

/**
 * Keras's Sequential.from_config: each layer deserialized and added in order (the model builds
 * as soon as its input shape is known: an InputLayer, a first layer's `batch_input_shape`, or
 * `build_input_shape`).
 */
export function sequentialFromConfig<M extends { add(layer: Layer): void; built: boolean; build(shape?: Shape): void; layers: Layer[] }>(
  config: Config | unknown[],
  custom_objects: CustomObjects,
  make: (options: { name?: string; trainable?: boolean }) => M,
): M {
  // Keras 2.2 wrote a Sequential's config as the list of its layers.
  const layerConfigs = Array.isArray(config) ? config : config.layers;
  if (!Array.isArray(layerConfigs)) {
    throw new ValueError(`Sequential.from_config: the config has no \`layers\` list. Received: ${repr(config)}`);
  }
  const options = Array.isArray(config) ? {} : { name: typeof config.name === 'string' ? config.name : undefined };
  const model = make(options);
  for (const layerConfig of layerConfigs) {
    // A nested model (a Sequential inside a Sequential) is a model class, not in the layer registry.
    const layer = isPlainObject(layerConfig) && isModelConfig(layerConfig, custom_objects)
      ? (deserializeModel(layerConfig, { custom_objects, compile: false }) as unknown as Layer)
      : deserializeLayer(layerConfig, custom_objects as Record<string, LayerClass>);
    model.add(layer);
    buildFromConfig(layer, layerConfig);
  }
  const buildShape = Array.isArray(config) ? undefined : config.build_input_shape;
  if (!model.built && model.layers.length > 0 && Array.isArray(buildShape)) model.build(buildShape as Shape);
  if (!Array.isArray(config) && config.trainable === false) (model as unknown as { trainable: boolean }).trainable = false;
  return model;
}

// Keras's `build_from_config`: a layer the model could not build yet is built from its own record.
function buildFromConfig(layer: Layer, serialized: unknown): void {
  if (layer.built || !isPlainObject(serialized)) return;
  const buildConfig = serialized.build_config;
  if (!isPlainObject(buildConfig) || !Array.isArray(buildConfig.input_shape)) return;
  // A subclassed model inside the Sequential builds by running its call.
  const model = layer as Partial<ConfigurableModel>;
  if (typeof model.build_from_config === 'function') model.build_from_config(buildConfig);
  else layer.build(buildConfig.input_shape as Shape);
}

/** A `keras.Model` subclass with its own `call`: it lists the fields that hold its layers. */
function isSubclassedModel(model: ConfigurableModel): boolean {
  return Array.isArray((model as { _layer_attributes?: unknown })._layer_attributes);
}

/** A model used as a layer (Sequential or functional): it has its own `layers` and a config of them. */
function isNestedModel(layer: Layer): layer is Layer & ConfigurableModel {
  return Array.isArray((layer as { layers?: unknown }).layers) && typeof (layer as { get_compile_config?: unknown }).get_compile_config === 'function';
}

/** Whether a serialized object is a model (a registered model class, or a custom one holding `layers`). */
export function isModelConfig(serialized: Config, custom_objects: CustomObjects): boolean {
  const className = serialized.class_name;
  if (typeof className !== 'string') return false;
  if (MODEL_CLASSES.has(className) && !Object.hasOwn(custom_objects, className)) return true;
  return isPlainObject(serialized.config) && Array.isArray(serialized.config.layers);
}

/** Keras's `serialize_keras_object(model)`: the dict `config.json` and `to_json()` hold. */
export function serializeModel(model: ConfigurableModel, className: string): Config {
  if (className === 'Functional') {
    // Keras names the functional class by its module, and builds it from its graph (no input_shape).
    return { module: 'keras.src.models.functional', class_name: 'Functional', config: model.get_config(), registered_name: 'Functional', build_config: { input_shape: null }, ...compileConfigOf(model) };
  }
  if (isSubclassedModel(model)) {
    // A user's class, as Keras writes one: its registered name, and the shape it was built with.
    const config = model.get_config();
    const shape = (model as unknown as Layer).build_input_shape;
    return {
      module: null,
      class_name: className,
      config: { ...config, dtype: config.dtype === 'float32' || config.dtype === undefined ? FLOAT32_POLICY : config.dtype },
      registered_name: registeredNameOf(model.constructor, className),
      ...(model.built && shape !== undefined ? { build_config: { input_shape: structuredClone(shape) } } : {}),
      ...compileConfigOf(model),
    };
  }
  const serialized: Config = { module: 'keras', class_name: className, config: model.get_config(), registered_name: null };
  if (model.built) {
    const shape = (model as Partial<BuildableModel>).input_shape;
    if (shape !== undefined) serialized.build_config = { input_shape: [...shape] };
  }
  return { ...serialized, ...compileConfigOf(model) };
}

/** Keras writes `compile_config` for every model, `{}` when it was not compiled. */
function compileConfigOf(model: ConfigurableModel): Config {
  return { compile_config: model.get_compile_config() };
}

/**
 * Keras's `deserialize_keras_object` for a model: the class, then `build_config`, then (with
 * `compile`) `compile_config`, which also builds the optimizer so its saved state can load.
 */
export function deserializeModel(serialized: unknown, options: { custom_objects?: CustomObjects; compile?: boolean } = {}): ConfigurableModel {
  if (!isPlainObject(serialized) || typeof serialized.class_name !== 'string') {
    throw new ValueError(`Expected a serialized model, such as { class_name: 'Sequential', config: { layers: [...] } }. Received: ${repr(serialized)}`);
  }
  const className = serialized.class_name;
  const config = (isPlainObject(serialized.config) || Array.isArray(serialized.config) ? serialized.config : {}) as Config;
  // As Keras's `deserialize_keras_object`: a user's class by its registered name, and `from_config`
  // inside a scope of every class given or registered, so nested layers and models find them.
  const model = withCustomObjects(options.custom_objects ?? {}, (objects) => {
    const custom_objects = objects as CustomObjects;
    const custom = findCustomClass(serialized as { class_name: string; registered_name?: unknown }, custom_objects) as ModelClass | undefined;
    if (custom !== undefined) return custom.from_config(config, custom_objects) as ConfigurableModel;
    const fromConfig = MODEL_CLASSES.get(className);
    // Keras also saves a lone layer this way; only models load as models.
    if (fromConfig === undefined) throw couldNotLocate(className, serialized);
    return fromConfig(config, custom_objects);
  });
  const buildConfig = serialized.build_config;
  if (!model.built && isPlainObject(buildConfig) && Array.isArray(buildConfig.input_shape)) {
    if (typeof model.build_from_config === 'function') model.build_from_config(buildConfig);
    else model.build(buildConfig.input_shape as Shape);
  }
  const compileConfig = serialized.compile_config;
  if ((options.compile ?? true) && isPlainObject(compileConfig) && Object.keys(compileConfig).length > 0) model.compile_from_config(compileConfig);
  return model;
}
