/**
 * `keras.saving.save_tfjs(model, dir)` (Python: `tensorflowjs.converters.save_keras_model`):
 * the TensorFlow.js layers format, which `tf.loadLayersModel('.../model.json')` of tfjs-layers
 * loads in a browser or in Node.
 *
 *   dir/model.json             { format: 'layers-model', generatedBy, convertedBy,
 *                                modelTopology: { class_name, config, keras_version, backend },
 *                                weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name, shape, dtype }] }] }
 *   dir/group1-shard1of1.bin   the weights, float32 little-endian, in manifest order, cut in 4 MiB shards
 *
 * tfjs-layers reads Keras **2**'s configs, not Keras 3's (tfjs-layers/src/engine/container.ts,
 * models.ts), so the topology is keras-like's Keras 3 config rewritten:
 * - a layer's `dtype` is a plain name, not a DTypePolicy; an InputLayer has `batch_input_shape`;
 * - a Sequential has no InputLayer entry: its first layer carries `batch_input_shape`;
 * - a functional model is class `Model`, its nodes are `[[name, node, tensor, {}], ...]` lists, and
 *   `input_layers` / `output_layers` are always lists;
 * - a nested model (functional or Sequential) counts its construction as its call 0 everywhere
 *   (Keras 2's and tfjs-layers' rule; Keras 3 does so only in input/output_layers, for functional).
 * Weights are named `<layer name>/<weight name>` (`dense/kernel`, `lstm/recurrent_kernel`), the
 * names tfjs-layers gives the variables it creates, by which it matches them on loading; an RNN over
 * stacked cells names cell i's `<layer name>/RNNCell_<i>/<weight name>`, tfjs-layers' name scope.
 * Recurrent layers: tfjs-layers' GRUCell implements reset_after=False only, so GRU and GRUCell with
 * Keras 3's default reset_after=True are refused, as is a user's cell (docs/saving.md).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { AnyLayer } from '../layers/keras_tensor.js';
import type { Layer } from '../layers/layer.js';
import { BidirectionalLayer } from '../layers/rnn/bidirectional.js';
import { RNNLayer } from '../layers/rnn/rnn.js';
import { StackedRNNCells, UserCell } from '../layers/rnn/user_cell.js';
import { isPlainObject } from '../options/parse.js';
import type { Config } from '../utils/registry.js';
import { writeFileAtomic } from './files.js';
import { KERAS_VERSION } from './model_file.js';
import { serializeModel, type ConfigurableModel } from './model_config.js';
import { weightName } from './weights_store.js';

/** tfjs-converter's default shard size (`--weight_shard_size_bytes`). */
const SHARD_BYTES = 4 * 1024 * 1024;

// The layer classes whose Keras 3 config tfjs-layers reads with the same meaning (tested in
// test/saving/tfjs_format.test.ts or identical in both); any other is refused by name.
const TFJS_CLASSES = new Set([
  'InputLayer', 'Dense', 'Dropout', 'BatchNormalization', 'Flatten', 'Reshape', 'Activation', 'GaussianNoise',
  'Conv1D', 'Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'Cropping2D', 'UpSampling2D', 'SpatialDropout1D', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D', 'ZeroPadding2D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'Embedding', 'RepeatVector', 'LSTM', 'SimpleRNN', 'GRU', 'RNN', 'Bidirectional',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot',
]);

// The cells an RNN(cell) may hold: tfjs-layers' own (recurrent.ts), read from Keras's config with the same meaning.
const TFJS_CELLS = new Set(['LSTMCell', 'GRUCell', 'SimpleRNNCell', 'StackedRNNCells']);

// Where Keras 3 renamed a weight since Keras 2 (which tfjs-layers follows): DepthwiseConv2D's `kernel`.
const TFJS_WEIGHT_NAMES: Record<string, Record<string, string>> = { DepthwiseConv2D: { kernel: 'depthwise_kernel' } };

/** What save_tfjs needs of a model (a keras.Model or Sequential): its config (Keras 3) and its layers' weights. */
export interface TfjsModel {
  readonly className: string;
  readonly name: string;
  readonly built: boolean;
  readonly layers: readonly AnyLayer[];
  get_config(): Config;
  get_compile_config(): Config;
}

/** Keras's model → TensorFlow.js layers format, in folder `dir` (made when missing). */
export function save_tfjs(model: TfjsModel, dir: string): void {
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`save_tfjs: \`dir\` must be a folder path. Received: ${String(dir)}`);
  if (typeof (model as Partial<TfjsModel>)?.get_config !== 'function') throw new ValueError('save_tfjs: `model` must be a keras.Model or Sequential.');
  if (Array.isArray((model as { _layer_attributes?: unknown })._layer_attributes)) {
    throw new ValueError(
      `save_tfjs: ${model.className} is a subclassed model (its own \`call\`); the TensorFlow.js layers format holds a graph of layers ` +
        '(a Sequential or functional model) that tf.loadLayersModel rebuilds, and it cannot rebuild your class. ' +
        "Save it with model.save('m.keras'), or rewrite it as a functional model.",
    );
  }
  if (!model.built) {
    throw new ValueError('save_tfjs: the model has not been built yet, so it has no weights. Build it first by calling it on some data, or give it an Input.');
  }
  const serialized = serializeModel(model as unknown as ConfigurableModel, model.className);
  const topology = { class_name: tfjsClassName(model.className), config: tfjsModelConfig(model.className, serialized.config as Config), keras_version: `keras-like (Keras ${KERAS_VERSION})`, backend: 'tensor_flow.js' };
  const weights = namedWeights(model as unknown as { layers: readonly Layer[] });
  const { manifest, shards } = weightShards(weights);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ValueError(`save_tfjs: ${dir} exists and is not a folder.`);
  mkdirSync(dir, { recursive: true });
  // The shards first, model.json last: a reader never finds a model.json whose shards are missing.
  shards.forEach((bytes, i) => writeFileAtomic(join(dir, manifest.paths[i]!), bytes));
  const modelJson = { format: 'layers-model', generatedBy: `keras-like (Keras ${KERAS_VERSION} API)`, convertedBy: null, modelTopology: topology, weightsManifest: [manifest] };
  writeFileAtomic(join(dir, 'model.json'), new TextEncoder().encode(JSON.stringify(modelJson)));
}

function tfjsClassName(className: string): string {
  return className === 'Functional' ? 'Model' : className;
}

function isModelEntry(entry: Config): boolean {
  return entry.class_name === 'Functional' || entry.class_name === 'Sequential';
}

/** A model's config in Keras 2's form. */
function tfjsModelConfig(className: string, config: Config): Config {
  const layers = (config.layers as Config[]) ?? [];
  if (className === 'Sequential') {
    const [first, ...rest] = layers;
    const converted = (first?.class_name === 'InputLayer' ? rest : layers).map((entry) => ({ class_name: tfjsClassName(entry.class_name as string), config: tfjsLayerConfig(entry) }));
    const inputShape = first?.class_name === 'InputLayer' ? (first.config as Config).batch_shape : config.build_input_shape;
    if (converted[0] !== undefined && inputShape !== undefined && !isModelEntry(converted[0])) converted[0].config.batch_input_shape = inputShape;
    return { name: config.name, layers: converted };
  }
  // A reference to a nested model's call is one higher in Keras 2's numbering (its construction is call 0).
  const models = new Set(layers.filter(isModelEntry).map((entry) => entry.name as string));
  const endpointRef = (ref: unknown): unknown[] => {
    const [name, node, tensor] = ref as [string, number, number];
    // Keras 3 already counts a nested functional model's construction in input/output_layers.
    const shift = models.has(name) && layers.find((l) => l.name === name)!.class_name === 'Sequential' ? 1 : 0;
    return [name, node + shift, tensor];
  };
  // tfjs-layers takes lists only: a dict of inputs / outputs becomes its values by sorted key, keras-like's flat order.
  const endpoints = (given: unknown) =>
    Array.isArray(given)
      ? typeof given[0] === 'string'
        ? [endpointRef(given)]
        : given.map(endpointRef)
      : Object.keys(given as Config).sort().map((key) => endpointRef((given as Config)[key]));
  return {
    name: config.name,
    layers: layers.map((entry) => ({
      name: entry.name,
      class_name: tfjsClassName(entry.class_name as string),
      config: tfjsLayerConfig(entry),
      inbound_nodes: (entry.inbound_nodes as Array<{ args: unknown[]; kwargs?: { initial_state?: unknown } }>).map((node) => {
        const first = node.args[0];
        // An RNN's initial states follow its input, [x, h, c], as tfjs-layers' RNN.apply reads a list (Keras 2's
        // way); stacked cells' states nested per cell are listed flat.
        const states = node.kwargs?.initial_state;
        const given = [...(Array.isArray(first) ? first : [first]), ...(states === undefined || states === null ? [] : Array.isArray(states) ? (states as unknown[]).flat(Infinity) : [states])];
        const tensors = given as Array<{ config: { keras_history: [string, number, number] } }>;
        return tensors.map(({ config: { keras_history: [name, index, tensor] } }) => [name, index + (models.has(name) ? 1 : 0), tensor, {}]);
      }),
    })),
    input_layers: endpoints(config.input_layers),
    output_layers: endpoints(config.output_layers),
  };
}

/** One layer's config as tfjs-layers reads it. */
function tfjsLayerConfig(entry: Config): Config {
  const className = entry.class_name as string;
  const config = entry.config as Config;
  if (isModelEntry(entry)) return tfjsModelConfig(className, config);
  if (!TFJS_CLASSES.has(className)) {
    throw new ValueError(`save_tfjs: layer '${String(config.name)}' of class ${className} has no TensorFlow.js layers equivalent that keras-like writes. Supported: ${[...TFJS_CLASSES].join(', ')}.`);
  }
  const out = tfjsKeys(String(config.name), config);
  if (className === 'GRU') assertResetBefore(String(config.name), className, out);
  // RNN(cell): the cell (or StackedRNNCells of cells) as tfjs-layers' RNN.fromConfig deserializes it.
  if (className === 'RNN') out.cell = tfjsCell(String(config.name), config.cell as Config);
  if (className === 'Bidirectional') {
    out.layer = tfjsBidirectionalLayer(String(config.name), config);
    delete out.backward_layer;
  }
  if (className === 'Conv2DTranspose' && out.output_padding !== null && out.output_padding !== undefined) {
    throw new ValueError(`save_tfjs: layer '${String(config.name)}' has output_padding=${JSON.stringify(out.output_padding)}; TensorFlow.js's Conv2DTranspose has none.`);
  }
  // tfjs-layers' UpSampling2D 'bilinear' is not Keras 3's half-pixel resize.
  if (className === 'UpSampling2D' && out.interpolation !== 'nearest') {
    throw new ValueError(`save_tfjs: layer '${String(config.name)}' has interpolation=${JSON.stringify(out.interpolation)}; only 'nearest' is written for TensorFlow.js.`);
  }
  if (className === 'Conv1D' || className === 'Conv2D' || className === 'SeparableConv2D' || className === 'DepthwiseConv2D' || className === 'Conv2DTranspose') {
    if (out.groups !== undefined && out.groups !== 1) throw new ValueError(`save_tfjs: layer '${String(config.name)}' has groups=${String(out.groups)}; TensorFlow.js has no grouped convolution.`);
    delete out.groups;
  }
  return out;
}

/** A config's keys as tfjs-layers reads them: a plain dtype name, `batch_input_shape`, nested objects as {class_name, config}. */
function tfjsKeys(layerName: string, config: Config): Config {
  const out: Config = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'dtype') out.dtype = isPlainObject(value) ? ((value.config as Config | undefined)?.name ?? 'float32') : value;
    else if (key === 'batch_shape') out.batch_input_shape = value;
    else if (isPlainObject(value) && typeof value.class_name === 'string') out[key] = { class_name: value.class_name, config: value.config };
    else out[key] = value;
  }
  // Keras 3's hard_sigmoid is relu6(x + 3) / 6; tfjs-layers' (Keras 2's) is clip(0.2 x + 0.5): not the same function.
  for (const key of ['activation', 'recurrent_activation']) {
    if (out[key] === 'hard_sigmoid') {
      throw new ValueError(`save_tfjs: layer '${layerName}' uses ${key}='hard_sigmoid', which TensorFlow.js computes as Keras 2's clip(0.2·x + 0.5), not Keras 3's relu6(x + 3) / 6: its predictions would differ.`);
    }
  }
  return out;
}

/**
 * tfjs-layers' GRUCell implements the original GRU only: its constructor throws "GRUCell does not
 * support reset_after parameter set to true" (tfjs-layers 4.22, recurrent.ts), and its bias is [3·units].
 */
function assertResetBefore(layerName: string, className: string, config: Config): void {
  if (config.reset_after !== false) {
    const which = className === 'GRU' ? `layer '${layerName}' of class GRU has` : `layer '${layerName}' has a cell of class ${className}, which has`;
    throw new ValueError(
      `save_tfjs: ${which} no TensorFlow.js layers equivalent that keras-like writes with reset_after=True ` +
        "(Keras 3's default): tfjs-layers' GRUCell implements reset_after=False only. Build it with reset_after: false, or save it with model.save('m.keras').",
    );
  }
}

/**
 * Bidirectional as tfjs-layers' constructor reads it: one `layer`, from whose config it makes both
 * directions (the backward one with go_backwards flipped), naming them `forward_` / `backward_` + its
 * name. So the forward layer is written under its inner name (`lstm`, not `forward_lstm`), and a
 * backward layer that is not that copy is refused, as is an RNN(cell) inside (see below).
 */
function tfjsBidirectionalLayer(layerName: string, config: Config): Config {
  const forward = config.layer as Config;
  const backward = config.backward_layer as Config | null | undefined;
  const inner = (entry: Config, prefix: string) => {
    const c = { ...(entry.config as Config) };
    const name = String(c.name);
    c.name = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    delete c.go_backwards;
    return { class_name: entry.class_name, config: c };
  };
  if (backward !== undefined && backward !== null && JSON.stringify(inner(backward, 'backward_')) !== JSON.stringify(inner(forward, 'forward_'))) {
    throw new ValueError(
      `save_tfjs: layer '${layerName}' of class Bidirectional has a backward_layer that is not a copy of its layer; ` +
        "tfjs-layers' Bidirectional makes its backward direction from the forward layer's config. Save it with model.save('m.keras').",
    );
  }
  // tfjs-layers 4.22 rebuilds each direction from `layer.getConfig()`, whose RNN `cell` is the live cell
  // object, not its config: loading fails ("layer: Improper config format ... 'className' and 'config' must set").
  if (forward.class_name === 'RNN') {
    throw new ValueError(
      `save_tfjs: layer '${layerName}' of class Bidirectional wraps an RNN(cell), which tfjs-layers cannot rebuild inside a Bidirectional ` +
        "(its Bidirectional copies the layer's live cell instead of its config). Wrap LSTM, GRU or SimpleRNN instead, or save it with model.save('m.keras').",
    );
  }
  const { config: innerConfig } = inner(forward, 'forward_');
  return { class_name: forward.class_name, config: tfjsLayerConfig({ class_name: forward.class_name, config: { ...innerConfig, go_backwards: (forward.config as Config).go_backwards } }) };
}

/** An RNN's cell config (Keras 3's serialized cell) as tfjs-layers deserializes it; a cell it lacks is refused by name. */
function tfjsCell(layerName: string, entry: Config): Config {
  const className = String(entry.class_name);
  const config = (entry.config ?? {}) as Config;
  if (!TFJS_CELLS.has(className)) {
    throw new ValueError(
      `save_tfjs: layer '${layerName}' has a cell of class ${className}, which has no TensorFlow.js layers equivalent that keras-like writes ` +
        `(tfjs-layers rebuilds ${[...TFJS_CELLS].join(', ')} only). Save it with model.save('m.keras').`,
    );
  }
  if (className === 'StackedRNNCells') {
    return { class_name: className, config: { name: config.name, trainable: config.trainable, cells: (config.cells as Config[]).map((cell) => tfjsCell(layerName, cell)) } };
  }
  const out = tfjsKeys(layerName, config);
  if (className === 'GRUCell') assertResetBefore(layerName, className, out);
  return { class_name: className, config: out };
}

/** Every weight with the name tfjs-layers gives it: `<owning layer>/<weight>`, nested models walked. */
function namedWeights(model: { layers: readonly Layer[] }): Array<{ name: string; variable: tf.Variable }> {
  const out: Array<{ name: string; variable: tf.Variable }> = [];
  for (const layer of model.layers) {
    if (Array.isArray((layer as { layers?: unknown }).layers)) {
      out.push(...namedWeights(layer as unknown as { layers: readonly Layer[] }));
      continue;
    }
    for (const { prefix, weights } of weightGroups(layer, layer.name)) {
      for (const variable of weights) {
        const name = weightName(variable);
        out.push({ name: `${prefix}/${TFJS_WEIGHT_NAMES[layer.className]?.[name] ?? name}`, variable });
      }
    }
  }
  const seen = new Set<string>();
  for (const { name } of out) {
    if (seen.has(name)) throw new ValueError(`save_tfjs: two weights would be named '${name}' (TensorFlow.js matches weights by layer name): give the layers unique names.`);
    seen.add(name);
  }
  return out;
}

/**
 * A layer's weights by the name scope tfjs-layers creates them in: the layer's own; cell i of
 * stacked cells in `RNNCell_<i>` (rnn/RNNCell_0/kernel); Bidirectional's directions in their
 * names (bidirectional/forward_lstm/kernel).
 */
function weightGroups(layer: Layer, prefix: string): Array<{ prefix: string; weights: tf.Variable[] }> {
  if (layer instanceof BidirectionalLayer) {
    return [layer.forward_layer, layer.backward_layer].flatMap((l) => weightGroups(l as unknown as Layer, `${prefix}/${l.name}`));
  }
  const stacked = layer instanceof RNNLayer && layer.cell instanceof UserCell && layer.cell.cell instanceof StackedRNNCells ? layer.cell.cell.cells : null;
  if (stacked === null) return [{ prefix, weights: layer.weights }];
  return stacked.map((cell, i) => ({ prefix: `${prefix}/RNNCell_${i}`, weights: (cell as Layer).weights }));
}

/** The manifest group and its shard files: the weights' float32 bytes in order, cut every 4 MiB. */
function weightShards(weights: ReadonlyArray<{ name: string; variable: tf.Variable }>): { manifest: { paths: string[]; weights: Config[] }; shards: Uint8Array[] } {
  const total = weights.reduce((sum, { variable }) => sum + variable.size * 4, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const { variable } of weights) {
    // tfjs stores float32 little-endian, the byte order of every platform Node runs on.
    const values = Float32Array.from(variable.dataSync() as Float32Array);
    all.set(new Uint8Array(values.buffer), offset);
    offset += values.byteLength;
  }
  const count = Math.max(1, Math.ceil(total / SHARD_BYTES));
  const shards = Array.from({ length: count }, (_, i) => all.slice(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES)));
  const paths = shards.map((_, i) => `group1-shard${i + 1}of${count}.bin`);
  return { manifest: { paths, weights: weights.map(({ name, variable }) => ({ name, shape: [...variable.shape], dtype: 'float32' })) }, shards };
}

/**
 * Python's `import tensorflowjs as tfjs; tfjs.converters.save_keras_model(model, dir)`, the
 * same function under the name a Keras user knows it by.
 */
export const tensorflowjs = { converters: { save_keras_model: save_tfjs } } as const;
