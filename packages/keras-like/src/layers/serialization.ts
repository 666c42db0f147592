/**
 * `keras.layers.serialize(layer)` and `keras.layers.deserialize(config, custom_objects)`:
 * a layer as Keras 3 writes it in `config.json`,
 *
 *   { module: 'keras.layers', class_name: 'Dense', config: { name, units, ... },
 *     registered_name: null, build_config: { input_shape: [null, 4] } }
 *
 * and back. Deserializing reads Keras 3's configs (a `DTypePolicy` dtype, `batch_shape`) and
 * TF2's (`batch_input_shape`, plain `dtype`), so files from either era load. Keys that Keras
 * writes for what keras-like does not have (`quantization_config`, BatchNormalization's
 * `renorm`) are accepted at their default value and refused otherwise, naming the key.
 */
import { ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { isPlainObject } from '../options/parse.js';
import { Registry, type Config, type RegisteredClass } from '../utils/registry.js';
import { couldNotLocate, findCustomClass, registeredNameOf, withCustomObjects } from '../saving/object_registration.js';
import { ActivationLayer } from './activation.js';
import { ActivityRegularization } from './activity_regularization.js';
import { BatchNormalization } from './batch_normalization.js';
import { DenseLayer } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GaussianNoise } from './gaussian_noise.js';
import { InputLayerLayer } from './input_layer.js';
import { Layer } from './layer.js';
import { Reshape } from './reshape.js';
import { Conv2DLayer } from './conv2d.js';
import { AveragePooling1DLayer, AveragePooling2DLayer } from './average_pooling.js';
import { MaxPooling1DLayer, MaxPooling2DLayer } from './max_pooling.js';
import { Conv1DLayer } from './conv1d.js';
import { Conv1DTransposeLayer } from './conv1d_transpose.js';
import { Conv2DTransposeLayer } from './conv2d_transpose.js';
import { DepthwiseConv1DLayer, DepthwiseConv2DLayer } from './depthwise_conv.js';
import { SeparableConv1DLayer, SeparableConv2DLayer } from './separable_conv.js';
import { ZeroPadding2D } from './zero_padding2d.js';
import { ZeroPadding1DLayer } from './zero_padding1d.js';
import { Cropping1DLayer, Cropping2DLayer } from './cropping.js';
import { UpSampling1DLayer, UpSampling2DLayer } from './up_sampling.js';
import { SpatialDropout1DLayer, SpatialDropout2DLayer } from './spatial_dropout.js';
import { GlobalAveragePooling1DLayer, GlobalAveragePooling2DLayer, GlobalMaxPooling1DLayer, GlobalMaxPooling2DLayer } from './global_pooling.js';
import { Embedding } from './embedding.js';
import { Masking } from './masking.js';
import { RepeatVector } from './repeat_vector.js';
import { GRULayer } from './rnn/gru.js';
import { LSTMLayer } from './rnn/lstm.js';
import { SimpleRNN } from './rnn/simple_rnn.js';
import { RNNLayer } from './rnn/rnn.js';
import { TimeDistributedLayer } from './rnn/time_distributed.js';
import { LSTMCellLayer } from './rnn/lstm_cell.js';
import { GRUCellLayer } from './rnn/gru_cell.js';
import { SimpleRNNCellLayer } from './rnn/simple_rnn_cell.js';
import { StackedRNNCells, type RNNCellLike } from './rnn/user_cell.js';
import { AddLayer, AverageLayer, MaximumLayer, MinimumLayer, MultiplyLayer, SubtractLayer } from './merge/elementwise.js';
import { ConcatenateLayer } from './merge/concatenate.js';
import { DotLayer } from './merge/dot.js';

/** A layer's serialized form (Keras's `serialize_keras_object(layer)`). */
export interface SerializedLayer {
  module: string | null;
  class_name: string;
  config: Config;
  registered_name: string | null;
  build_config?: { input_shape: Array<number | null> };
}

/** A user's layer class given in `custom_objects`: built with its `from_config`, else `new Class(config)`. */
export type LayerClass = (abstract new (...args: never[]) => Layer) & { from_config?(config: Config): Layer };

// Keras's config keys for features keras-like does not have, with the value meaning "not used".
const UNSUPPORTED_AT_DEFAULT: Record<string, Record<string, unknown>> = {
  '*': { quantization_config: null, lora_rank: null, lora_alpha: null },
  BatchNormalization: { renorm: false, renorm_clipping: null, renorm_momentum: 0.99 },
  InputLayer: { sparse: false, ragged: false, optional: false, input_tensor: null },
};

// The layers whose Keras get_config writes `self.dtype`, the dtype's name, where every other
// layer writes its DTypePolicy (Keras 3.16's BaseSpatialDropout.get_config).
const DTYPE_AS_NAME = new Set(['SpatialDropout1D', 'SpatialDropout2D']);

// The config keys that hold a whole layer, serialized (Keras's `serialize_keras_object(self.layer)`).
const WRAPPED: Record<string, readonly string[]> = { TimeDistributed: ['layer'], RNN: ['cell'] };

/** Keras's `Layer.from_config`: `cls(**config)`, after reading the dtype policy and input shape. */
export function layerArguments(className: string, config: Config): Config {
  const args: Config = { ...config };
  for (const table of [UNSUPPORTED_AT_DEFAULT['*']!, UNSUPPORTED_AT_DEFAULT[className] ?? {}]) {
    for (const [key, unused] of Object.entries(table)) {
      if (!(key in args)) continue;
      const value = args[key];
      const isDefault = value === unused || (unused === null && value === undefined);
      if (!isDefault) {
        throw new ValueError(`${className} layer '${String(config.name)}': keras-like does not support \`${key}\`. Received: ${key}=${repr(value)}`);
      }
      delete args[key];
    }
  }
  // Keras 3 writes a DTypePolicy; TF2 a plain name.
  if (isPlainObject(args.dtype)) {
    const policy = args.dtype as { config?: { name?: unknown } };
    args.dtype = policy.config?.name;
  }
  // A wrapper holds its layer's (TimeDistributed's `layer`, RNN's `cell`) serialized form; a
  // user's cell need not be a Layer (AbstractRNNCell), so RNN checks what it gets.
  for (const key of WRAPPED[className] ?? []) {
    if (isPlainObject(args[key])) args[key] = key === 'cell' ? deserializeObject(args[key]) : deserialize(args[key]);
  }
  // Keras 3's InputLayer writes `batch_shape`; TF2's layers `batch_input_shape`.
  if (args.batch_shape !== undefined) {
    if (args.batch_input_shape === undefined) args.batch_input_shape = args.batch_shape;
    delete args.batch_shape;
  }
  return args;
}

function builtIn(className: string, cls: RegisteredClass): [string, RegisteredClass] {
  return [className, cls];
}

/** Every built-in layer by its Keras class name. */
const REGISTRY = new Registry<Layer>({ kind: 'layer', module: 'keras.layers' });
for (const [className, cls] of [
  builtIn('InputLayer', InputLayerLayer),
  builtIn('Dense', DenseLayer),
  builtIn('Activation', ActivationLayer),
  builtIn('Dropout', Dropout),
  builtIn('Flatten', Flatten),
  builtIn('Reshape', Reshape),
  builtIn('GaussianNoise', GaussianNoise),
  builtIn('ActivityRegularization', ActivityRegularization),
  builtIn('BatchNormalization', BatchNormalization),
  builtIn('Conv2D', Conv2DLayer),
  builtIn('MaxPooling2D', MaxPooling2DLayer),
  builtIn('MaxPooling1D', MaxPooling1DLayer),
  builtIn('AveragePooling2D', AveragePooling2DLayer),
  builtIn('AveragePooling1D', AveragePooling1DLayer),
  builtIn('Conv1D', Conv1DLayer),
  builtIn('Conv2DTranspose', Conv2DTransposeLayer),
  builtIn('Conv1DTranspose', Conv1DTransposeLayer),
  builtIn('DepthwiseConv2D', DepthwiseConv2DLayer),
  builtIn('DepthwiseConv1D', DepthwiseConv1DLayer),
  builtIn('SeparableConv2D', SeparableConv2DLayer),
  builtIn('SeparableConv1D', SeparableConv1DLayer),
  builtIn('ZeroPadding2D', ZeroPadding2D),
  builtIn('ZeroPadding1D', ZeroPadding1DLayer),
  builtIn('Cropping1D', Cropping1DLayer),
  builtIn('Cropping2D', Cropping2DLayer),
  builtIn('UpSampling1D', UpSampling1DLayer),
  builtIn('UpSampling2D', UpSampling2DLayer),
  builtIn('SpatialDropout1D', SpatialDropout1DLayer),
  builtIn('SpatialDropout2D', SpatialDropout2DLayer),
  builtIn('GlobalAveragePooling2D', GlobalAveragePooling2DLayer),
  builtIn('GlobalAveragePooling1D', GlobalAveragePooling1DLayer),
  builtIn('GlobalMaxPooling2D', GlobalMaxPooling2DLayer),
  builtIn('GlobalMaxPooling1D', GlobalMaxPooling1DLayer),
  builtIn('Embedding', Embedding),
  builtIn('Masking', Masking),
  builtIn('RepeatVector', RepeatVector),
  builtIn('LSTM', LSTMLayer),
  builtIn('GRU', GRULayer),
  builtIn('SimpleRNN', SimpleRNN),
  builtIn('Add', AddLayer),
  builtIn('Subtract', SubtractLayer),
  builtIn('Multiply', MultiplyLayer),
  builtIn('Average', AverageLayer),
  builtIn('Maximum', MaximumLayer),
  builtIn('Minimum', MinimumLayer),
  builtIn('Concatenate', ConcatenateLayer),
  builtIn('Dot', DotLayer),
  builtIn('TimeDistributed', TimeDistributedLayer),
  builtIn('RNN', RNNLayer),
  builtIn('LSTMCell', LSTMCellLayer),
  builtIn('GRUCell', GRUCellLayer),
  builtIn('SimpleRNNCell', SimpleRNNCellLayer),
]) {
  REGISTRY.addClass(className, cls, (config) => new (cls as unknown as new (args: Config) => Layer)(layerArguments(className, config)));
}

/**
 * Adds a layer class to the registry `deserialize` (and `load_model`) consults, under its
 * Keras class name: how the convolution and recurrent layers join it.
 */
export function registerLayerClass(className: string, cls: LayerClass): void {
  REGISTRY.addClass(className, cls, makeWith(cls, className));
}

function makeWith(cls: LayerClass, className: string): (config: Config) => Layer {
  return (config) =>
    typeof cls.from_config === 'function' ? cls.from_config(config) : new (cls as unknown as new (args: Config) => Layer)(layerArguments(className, config));
}

/** Keras's `keras.layers.serialize(layer)`. */
export function serialize(layer: Layer): SerializedLayer {
  if (!(layer instanceof Layer)) throw new ValueError(`keras.layers.serialize: expected a layer. Received: ${repr(layer)}`);
  const builtInName = REGISTRY.classNameOf(layer);
  const config = kerasConfig(layer);
  const serialized: SerializedLayer = builtInName
    ? { module: 'keras.layers', class_name: builtInName, config, registered_name: null }
    : { module: null, class_name: layer.className, config, registered_name: registeredNameOf(layer.constructor, layer.className) };
  const shape = layer.build_input_shape;
  if (layer.built && shape !== undefined && !(layer instanceof InputLayerLayer)) serialized.build_config = { input_shape: [...shape] };
  return serialized;
}

const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** `layer.get_config()` written as Keras 3 writes it: a DTypePolicy, InputLayer's own keys. */
function kerasConfig(layer: Layer): Config {
  const config = layer.get_config();
  if (layer instanceof InputLayerLayer) {
    return { batch_shape: layer.batch_input_shape, dtype: 'float32', sparse: false, ragged: false, name: layer.name, optional: false };
  }
  const policy = config.dtype === 'float32' && !DTYPE_AS_NAME.has(layer.className);
  const out: Config = { ...config, dtype: policy ? FLOAT32_POLICY : config.dtype };
  for (const key of WRAPPED[layer.className] ?? []) {
    const inner = (layer as unknown as Record<string, unknown>)[key];
    // A user's cell sits in a holder layer (UserCell): RNN's get_config has written the user's own class.
    if (inner instanceof Layer && inner.className !== 'UserCell') out[key] = serialize(inner);
  }
  return out;
}

/**
 * Keras's `keras.layers.deserialize(config, custom_objects)`: a new layer from its serialized
 * form, a user's class first (by `registered_name`: registered, in a `custom_object_scope` or
 * in `custom_objects`; saving/object_registration.ts). It is not built; `build_config` says how.
 */
export function deserialize(config: unknown, custom_objects: Record<string, LayerClass> = {}): Layer {
  const layer = deserializeObject(config, custom_objects);
  if (!(layer instanceof Layer)) throw new ValueError(`keras.layers.deserialize: '${String((config as Config).class_name)}' did not make a layer.`);
  return layer;
}

// `deserialize` for what a layer may hold that is not itself a Layer: a user's RNN cell.
function deserializeObject(config: unknown, custom_objects: Record<string, LayerClass> = {}): unknown {
  if (!isPlainObject(config) || typeof config.class_name !== 'string') {
    throw new ValueError(`keras.layers.deserialize: expected a serialized layer, such as { class_name: 'Dense', config: { units: 8 } }. Received: ${repr(config)}`);
  }
  const className = config.class_name;
  // Inside the scope of every class given or registered: a wrapper's layer finds them too.
  return withCustomObjects(custom_objects, (objects) => {
    const custom = findCustomClass({ class_name: className, registered_name: config.registered_name }, objects) as LayerClass | undefined;
    const inner = isPlainObject(config.config) ? config.config : {};
    if (custom === undefined && className === StackedRNNCells.class_name) return stackedCellsFromConfig(inner);
    const make = custom !== undefined ? makeWith(custom, className) : REGISTRY.findClass(className);
    if (make === undefined) throw unknownLayer(className, config);
    return make(inner);
  });
}

/**
 * Keras's `StackedRNNCells.from_config`: each cell deserialized (a built-in cell, or a user's
 * found as any custom class is), then the stack. Keras's StackedRNNCells is a Layer; keras-like's
 * is a cell (its `call` takes the states), so it is made here rather than from the layer registry.
 */
function stackedCellsFromConfig(config: Config): StackedRNNCells {
  const { cells, ...rest } = layerArguments(StackedRNNCells.class_name, config);
  if (!Array.isArray(cells)) {
    throw new ValueError(`StackedRNNCells: the config's \`cells\` must be a list of serialized cells. Received: cells=${repr(cells)}`);
  }
  return new StackedRNNCells(cells.map((cell) => deserializeObject(cell) as RNNCellLike), rest);
}

/** Keras's "Could not locate class" for a layer, with how to pass the class in keras-like. */
export function unknownLayer(className: string, fullConfig: unknown): TypeError {
  return couldNotLocate(className, fullConfig);
}
