/**
 * Reading TF2-era `.h5` files (`model.save('model.h5')` in TensorFlow 2 / Keras 2, and
 * Keras 3's legacy writer), the format course notebooks still ship. Their layout
 * (Keras's `legacy/saving/legacy_h5_format.py`):
 *
 *   attrs: model_config (JSON), training_config (JSON), keras_version, backend
 *   model_weights/                    attrs: layer_names = ['dense', 'dense_1', ...]
 *     dense/                          attrs: weight_names = ['dense/kernel:0', 'dense/bias:0']
 *       dense/kernel:0, dense/bias:0  the datasets, at the paths their names give
 *   optimizer_weights/                attrs: weight_names = ['Adam/iter:0', ...]
 *
 * A weights-only file (`save_weights('w.h5')` in TF2) is the `model_weights` group at the
 * root. Weights are matched to layers by position among the layers that have weights, as
 * Keras does (`load_weights_from_hdf5_group`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { shapeText, type Layer } from '../layers/layer.js';
import { datasetValues, getGroup, getNode, type H5Attribute, type H5Dataset, type H5Group } from './hdf5.js';
import { deserializeModel, type ConfigurableModel, type CustomObjects } from './model_config.js';
import { optimizerOf, weightName, type SaveableModel } from './weights_store.js';

/** Whether a decoded HDF5 file is in the legacy layout (rather than Keras 3's weights file). */
export function isLegacyH5(tree: H5Group): boolean {
  return tree.attrs.layer_names !== undefined || getGroup(tree, 'model_weights') !== undefined || tree.attrs.model_config !== undefined;
}

function stringList(value: H5Attribute | undefined): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => String(item));
}

// Keras 3's legacy writer adds the model's own (empty) weights under this name.
const TOP_LEVEL = 'top_level_model_weights';

/** Keras's `load_weights_from_hdf5_group`: every layer is checked before any weight is set. */
export function loadLegacyWeights(model: SaveableModel, tree: H5Group, what: string): void {
  const group = tree.attrs.layer_names === undefined ? getGroup(tree, 'model_weights') : tree;
  if (group === undefined) throw new ValueError(`${what} has no \`model_weights\` group and no \`layer_names\` attribute: it is not a Keras weights file.`);
  const saved = stringList(group.attrs.layer_names)
    .filter((name) => name !== TOP_LEVEL)
    .map((name) => ({ name, group: getGroup(group, name) }))
    .filter((entry) => entry.group !== undefined && stringList(entry.group.attrs.weight_names).length > 0);
  const layers = flatLayers(model).filter((layer) => layer.weights.length > 0);
  if (saved.length !== layers.length) {
    throw new ValueError(
      `Layer count mismatch when loading weights from file. Model expected ${layers.length} layers, found ${saved.length} saved layers (in ${what}).`,
    );
  }
  const values = saved.map((entry, k) => {
    const layer = layers[k]!;
    const names = stringList(entry.group!.attrs.weight_names);
    if (names.length !== layer.weights.length) {
      throw new ValueError(
        `Layer #${k} (named "${layer.name}") expects ${layer.weights.length} weight(s), but the saved weights have ${names.length} element(s) (in ${what}).`,
      );
    }
    return names.map((name, i) => {
      const dataset = getNode(entry.group!, name);
      if (dataset === undefined || dataset.kind !== 'dataset') throw new ValueError(`${what}: layer "${entry.name}" lists weight '${name}' but has no such dataset.`);
      const variable = layer.weights[i]!;
      if (!tf.util.arraysEqual(dataset.shape, variable.shape)) {
        throw new ValueError(
          `Layer '${layer.name}' weight '${weightName(variable)}' has shape ${shapeText(variable.shape)}, but ${what} holds shape ${shapeText(dataset.shape)} for '${name}'.`,
        );
      }
      return dataset;
    });
  });
  layers.forEach((layer, k) => {
    const tensors = values[k]!.map((dataset, i) => tf.tensor(datasetValues(dataset), layer.weights[i]!.shape, 'float32'));
    try {
      layer.set_weights(tensors);
    } finally {
      tensors.forEach((t) => t.dispose());
    }
  });
}

/** Keras's legacy files list the layers of nested models flat, as `model.layers` of each. */
function flatLayers(model: SaveableModel): Layer[] {
  return [...model.layers];
}

/** Keras's `load_model_from_hdf5`: the model from `model_config`, its weights, then `training_config`. */
export function loadLegacyModel(tree: H5Group, what: string, options: { custom_objects: CustomObjects; compile: boolean }): ConfigurableModel {
  const config = parseJsonAttribute(tree.attrs.model_config, 'model_config', what);
  const model = deserializeModel(config, { custom_objects: options.custom_objects, compile: false });
  loadLegacyWeights(model as ConfigurableModel & SaveableModel, tree, what);
  const trainingConfig = tree.attrs.training_config;
  if (options.compile && trainingConfig !== undefined && trainingConfig !== null) {
    model.compile_from_config(parseJsonAttribute(trainingConfig, 'training_config', what) as Record<string, unknown>);
    loadLegacyOptimizer(model as ConfigurableModel & SaveableModel, getGroup(tree, 'optimizer_weights'));
  }
  return model;
}

function parseJsonAttribute(value: H5Attribute | undefined, name: string, what: string): unknown {
  try {
    return JSON.parse(String(value));
  } catch (cause) {
    throw new ValueError(`${what}: the \`${name}\` attribute is not valid JSON (${(cause as Error).message}).`);
  }
}

/**
 * The optimizer state, when it lines up with keras-like's (files written by Keras 3's legacy
 * writer). TF2's optimizers stored theirs in another order and count; as Keras 3 does, that
 * state is skipped with a warning and training restarts the optimizer.
 */
function loadLegacyOptimizer(model: SaveableModel, group: H5Group | undefined): void {
  const optimizer = optimizerOf(model);
  if (group === undefined || optimizer === null) return;
  const datasets = stringList(group.attrs.weight_names)
    .map((name) => getNode(group, name))
    .filter((node): node is H5Dataset => node?.kind === 'dataset');
  const current = optimizer.variables;
  const count = current.length;
  current.forEach((t) => t.dispose());
  if (datasets.length !== count) {
    console.warn(`UserWarning: Error in loading the saved optimizer state: it has ${datasets.length} variables, the optimizer ${count}. As a result, your model is starting with a freshly initialized optimizer.`);
    return;
  }
  optimizer.set_weights(datasets.map((dataset) => datasetValues(dataset)));
}
