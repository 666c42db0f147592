/**
 * Writing the legacy `.h5` file, as Keras 3's `model.save('m.h5')` does
 * (`legacy/saving/legacy_h5_format.py`, `save_model_to_hdf5`), so a course notebook or a
 * TF2-era tool that expects `.h5` gets one it reads:
 *
 *   attrs: keras_version, backend, model_config (JSON), training_config (JSON, when compiled)
 *   model_weights/                       attrs: layer_names (every layer of model.layers), backend, keras_version
 *     hidden/                            attrs: weight_names = ['sequential/hidden/kernel', 'sequential/hidden/bias']
 *       sequential/hidden/kernel, ...    the datasets, at the paths their names give
 *     dropout/                           attrs: weight_names = [] (a layer without weights)
 *     top_level_model_weights/           attrs: weight_names = [] (the model's own variables: none)
 *   optimizer_weights/                   attrs: weight_names = ['adam/iteration', 'adam/learning_rate', ...]
 *     adam/iteration, adam/learning_rate, adam/sequential_hidden_kernel_momentum, ...
 *
 * Unlike the `.keras` weights file (weights_store.ts), groups are named after the layers' own
 * names, and a layer's weights are listed trainable first, then non-trainable (Keras's
 * `_legacy_weights`): loading matches them by position among the layers that have weights.
 * `model_config` is the config Keras writes under `use_legacy_config`: each layer as
 * `{ class_name, config }` (plus `name` and `inbound_nodes` in a functional model), without
 * Keras 3's `module`, `registered_name` and `build_config`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { AnyLayer } from '../layers/keras_tensor.js';
import type { Layer } from '../layers/layer.js';
import { isPlainObject } from '../options/parse.js';
import type { Config } from '../utils/registry.js';
import { h5Group, makeGroup, type H5Dataset, type H5Group } from './hdf5.js';
import type { ConfigurableModel } from './model_config.js';
import { optimizerOf, weightName, type SaveableModel } from './weights_store.js';

/** The tree of the legacy `.h5` file of `model` (Keras's `save_model_to_hdf5`); `className` is 'Sequential' or 'Functional'. */
export function legacyH5Tree(model: ConfigurableModel & SaveableModel, className: string, options: { include_optimizer: boolean; keras_version: string }): H5Group {
  const root = h5Group({
    keras_version: options.keras_version,
    // Keras writes `keras.backend.backend()` ('tensorflow', 'jax', 'torch', 'numpy'); Keras 3 reads it and
    // ignores it, TF2's tf.keras only converts Theano's kernels by it. keras-like's weight layouts are
    // TensorFlow's (channels_last, HWIO kernels), so 'tensorflow', as TF2-era files carry, not 'cpu' or 'wasm'.
    backend: 'tensorflow',
    model_config: JSON.stringify({ class_name: className, config: legacyModelConfig(model.get_config()) }),
  });
  const optimizer = optimizerOf(model);
  const compileConfig = model.get_compile_config();
  if (options.include_optimizer && optimizer !== null && Object.keys(compileConfig).length > 0) {
    root.attrs.training_config = JSON.stringify(trainingConfig(compileConfig));
  }
  const paths = variablePaths(model, className);
  const pathOf = (variable: tf.Variable) => paths.get(variable) ?? weightName(variable);
  const weights = makeGroup(root, 'model_weights');
  weights.attrs.layer_names = model.layers.map((layer) => layer.name);
  weights.attrs.backend = root.attrs.backend!;
  weights.attrs.keras_version = options.keras_version;
  // Keras sorts the groups by layer name, "to ensure that group names are strictly growing".
  for (const layer of [...model.layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    writeWeights(makeGroup(weights, layer.name), legacyWeights(layer), pathOf);
  }
  writeWeights(makeGroup(weights, 'top_level_model_weights'), [], pathOf);
  if (options.include_optimizer && optimizer !== null) {
    const values = optimizer.variables;
    try {
      const group = makeGroup(root, 'optimizer_weights');
      const names = uniqueNames(optimizer.variable_paths(pathOf));
      group.attrs.weight_names = names;
      names.forEach((name, i) => putDataset(group, name, values[i]!));
    } finally {
      values.forEach((value) => value.dispose());
    }
  }
  return root;
}

/** Keras's `_legacy_weights`: trainable weights, then non-trainable ones. */
export function legacyWeights(layer: Layer | AnyLayer): tf.Variable[] {
  return [...layer.trainable_weights, ...layer.non_trainable_weights];
}

function writeWeights(group: H5Group, variables: readonly tf.Variable[], pathOf: (variable: tf.Variable) => string): void {
  const names = uniqueNames(variables.map(pathOf));
  group.attrs.weight_names = names;
  names.forEach((name, i) => putDataset(group, name, variables[i]!));
}

// h5py makes the groups a dataset's name passes through (`sequential/hidden/kernel`).
function putDataset(group: H5Group, name: string, tensor: tf.Tensor): void {
  const cut = name.lastIndexOf('/');
  const folder = cut < 0 ? group : makeGroup(group, name.slice(0, cut));
  folder.children.set(name.slice(cut + 1), toDataset(tensor));
}

function toDataset(tensor: tf.Tensor): H5Dataset {
  const int = tensor.dtype === 'int32';
  const value = int ? Int32Array.from(tensor.dataSync() as Int32Array) : Float32Array.from(tensor.dataSync() as Float32Array);
  return { kind: 'dataset', dtype: int ? 'int32' : 'float32', shape: [...tensor.shape], value, attrs: {} };
}

// Two datasets of one group cannot share a name; Keras's paths never repeat, a safety net only.
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let k = 1; seen.has(unique); k++) unique = `${name}_${k}`;
    seen.add(unique);
    return unique;
  });
}

function isModel(layer: AnyLayer): layer is AnyLayer & SaveableModel {
  return Array.isArray((layer as { layers?: unknown }).layers);
}

/**
 * Each variable's Keras path (`variable.path`): the names of the layers it was created in, as
 * Keras's name scopes give them. A Sequential builds its layers inside its own scope
 * (`sequential/hidden/kernel`), a functional model's layers are built where they are called
 * (`shared/kernel`); a layer's sublayers sit below it (`sequential/lstm/lstm_cell/kernel`,
 * `bidirectional/forward_gru/gru_cell/kernel`).
 */
function variablePaths(model: SaveableModel, className: string): Map<tf.Variable, string> {
  const paths = new Map<tf.Variable, string>();
  const visitModel = (nested: SaveableModel, nestedClass: string, prefix: string): void => {
    const inner = nestedClass === 'Sequential' ? `${prefix}${nested.name}/` : prefix;
    for (const child of nested.layers) visit(child as unknown as AnyLayer, inner);
  };
  const visit = (layer: AnyLayer, prefix: string): void => {
    if (isModel(layer)) return visitModel(layer, layer.className, prefix);
    const own = `${prefix}${layer.name}/`;
    for (const child of layer._tracked_layers) visit(child, own);
    for (const variable of layer.weights) if (!paths.has(variable)) paths.set(variable, own + weightName(variable));
  };
  visitModel(model, className, '');
  return paths;
}

/**
 * A model's config as Keras writes it under `use_legacy_config` (legacy `serialize_keras_object`):
 * every layer entry without `module`, `registered_name`, `build_config` (and a nested model's
 * `compile_config`), nested models' layers likewise. Configs inside a layer's config (a
 * Bidirectional's `layer`, an initializer) keep Keras 3's form, as Keras writes them.
 */
export function legacyModelConfig(config: Config): Config {
  if (!Array.isArray(config.layers)) return config;
  return { ...config, layers: config.layers.map((entry) => (isPlainObject(entry) ? legacyLayerEntry(entry) : entry)) };
}

function legacyLayerEntry(entry: Config): Config {
  const { module: _module, registered_name: registered, build_config: _build, compile_config: _compile, ...rest } = entry;
  // The legacy class name is the registered one (`my_package>MyLayer` for a registered custom layer).
  if (typeof registered === 'string') rest.class_name = registered;
  return isPlainObject(rest.config) ? { ...rest, config: legacyModelConfig(rest.config) } : rest;
}

/** Keras's `training_config`: the compile config with the optimizer as `optimizer_config` `{ class_name, config }`. */
function trainingConfig(compileConfig: Config): Config {
  const { optimizer, ...rest } = compileConfig;
  const serialized = isPlainObject(optimizer) ? optimizer : { class_name: String(optimizer), config: {} };
  return { ...rest, optimizer_config: { class_name: serialized.class_name, config: serialized.config } };
}
