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
 * Keras does (`load_weights_from_hdf5_group`), and a layer's weights are listed trainable
 * first, then non-trainable (`_legacy_weights`: a nested model holding a BatchNormalization
 * before a Dense lists the statistics last). keras-like writes this format too
 * (legacy_h5_write.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { shapeText, type Layer } from '../layers/layer.js';
import { datasetValues, getGroup, getNode, type H5Attribute, type H5Dataset, type H5Group } from './hdf5.js';
import { deserializeModel, type ConfigurableModel, type CustomObjects } from './model_config.js';
import { legacyWeights } from './legacy_h5_write.js';
import { optimizerOf, type SaveableModel } from './weights_store.js';
import { warnOnce } from '../callbacks/monitor.js';

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

/** Keyword arguments of `load_weights` that reach a legacy file. */
export interface LegacyWeightsOptions {
  /** Keras's `skip_mismatch`: a weight whose shape differs keeps its value, with a warning. */
  readonly skip_mismatch?: boolean;
  /** Keras's `by_name`: layers are matched by name, not by position (`load_weights_from_hdf5_group_by_name`). */
  readonly by_name?: boolean;
}

/** A model layer and the weights the file holds for it; `k` is the file's layer number in Keras's messages. */
interface Pairing {
  readonly layer: Layer;
  readonly k: number;
  readonly datasets: readonly H5Dataset[];
}

/**
 * Keras's `load_weights_from_hdf5_group` (by position among the layers with weights) and
 * `..._by_name`. Every weight is checked before any is set. Shapes are compared weight by
 * weight, as Keras's `_set_weights` does: with `skip_mismatch` a weight of another shape is
 * skipped with Keras's warning and the layer's other weights still load.
 */
export function loadLegacyWeights(model: SaveableModel, tree: H5Group, what: string, options: LegacyWeightsOptions = {}): void {
  const group = tree.attrs.layer_names === undefined ? getGroup(tree, 'model_weights') : tree;
  if (group === undefined) throw new ValueError(`${what} has no \`model_weights\` group and no \`layer_names\` attribute: it is not a Keras weights file.`);
  const saved = stringList(group.attrs.layer_names)
    .filter((name) => name !== TOP_LEVEL)
    .map((name) => ({ name, datasets: savedWeights(group, name, what) }));
  const pairings = options.by_name === true ? pairByName(model, saved, options.skip_mismatch === true) : pairByPosition(model, saved);
  const assignments: Array<[tf.Variable, H5Dataset]> = [];
  for (const { layer, k, datasets } of pairings) {
    const variables = legacyWeights(layer);
    datasets.forEach((dataset, i) => {
      const variable = variables[i]!;
      if (tf.util.arraysEqual(dataset.shape, variable.shape)) {
        assignments.push([variable, dataset]);
        return;
      }
      const detail =
        `layer #${k} (named ${layer.name}) for weight ${variablePath(model, layer, variable)}. ` +
        `Weight expects shape ${shapeText(variable.shape)}. Received saved weight with shape ${shapeText(dataset.shape)}`;
      if (options.skip_mismatch !== true) throw new ValueError(`Shape mismatch in ${detail}`);
      warnOnce(`Skipping loading weights for ${detail.replace(' for weight', ' due to mismatch in shape for weight')}`);
    });
  }
  for (const [variable, dataset] of assignments) {
    const value = tf.tensor(datasetValues(dataset), variable.shape, 'float32');
    variable.assign(value);
    value.dispose();
  }
}

/** Keras's `load_subset_weights_from_hdf5_group`: the datasets a layer group's `weight_names` list. */
function savedWeights(group: H5Group, name: string, what: string): H5Dataset[] {
  const layerGroup = getGroup(group, name);
  if (layerGroup === undefined) throw new ValueError(`${what}: the file lists layer "${name}" but has no group for it.`);
  return stringList(layerGroup.attrs.weight_names).map((weight) => {
    const dataset = getNode(layerGroup, weight);
    if (dataset === undefined || dataset.kind !== 'dataset') throw new ValueError(`${what}: layer "${name}" lists weight '${weight}' but has no such dataset.`);
    return dataset;
  });
}

function pairByPosition(model: SaveableModel, saved: ReadonlyArray<{ name: string; datasets: H5Dataset[] }>): Pairing[] {
  const withWeights = saved.filter((entry) => entry.datasets.length > 0);
  const layers = flatLayers(model).filter((layer) => legacyWeights(layer).length > 0);
  if (withWeights.length !== layers.length) {
    throw new ValueError(
      `Layer count mismatch when loading weights from file. Model expected ${layers.length} layers, found ${withWeights.length} saved layers.`,
    );
  }
  return withWeights.map((entry, k) => {
    const layer = layers[k]!;
    if (entry.datasets.length !== legacyWeights(layer).length) {
      throw new ValueError(
        `Weight count mismatch for layer #${k} (named ${layer.name} in the current model, ${entry.name} in the save file). ` +
          `Layer expects ${legacyWeights(layer).length} weight(s). Received ${entry.datasets.length} saved weight(s)`,
      );
    }
    return { layer, k, datasets: entry.datasets };
  });
}

// Keras: every model layer of the file's layer's name gets its weights; unnamed ones are left as they are.
function pairByName(model: SaveableModel, saved: ReadonlyArray<{ name: string; datasets: H5Dataset[] }>, skipMismatch: boolean): Pairing[] {
  const pairings: Pairing[] = [];
  saved.forEach((entry, k) => {
    for (const layer of flatLayers(model).filter((l) => l.name === entry.name)) {
      if (entry.datasets.length !== legacyWeights(layer).length) {
        const counts = `Layer expects ${legacyWeights(layer).length} weight(s). Received ${entry.datasets.length} saved weight(s)`;
        if (!skipMismatch) throw new ValueError(`Weight count mismatch for layer #${k} (named ${layer.name}). ${counts}`);
        warnOnce(`Skipping loading of weights for layer #${k} (named ${layer.name}) due to mismatch in number of weights. ${counts}`);
        continue;
      }
      pairings.push({ layer, k, datasets: entry.datasets });
    }
  });
  return pairings;
}

/** Keras's variable path, `model/dense/kernel` (`model/lstm/lstm_cell/kernel` for a sublayer's weight). */
function variablePath(model: SaveableModel, layer: Layer, variable: tf.Variable): string {
  const local = variable.name.replace(/_\d+$/, '');
  return local.split('/')[0] === layer.name ? `${model.name}/${local}` : `${model.name}/${layer.name}/${local}`;
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
