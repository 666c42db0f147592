/**
 * A functional model's config, as Keras 3 writes it (`Functional.get_config`) and reads it
 * (`functional_from_config`):
 *
 *   { name, trainable,
 *     layers: [{ module, class_name, config, registered_name, build_config, name,
 *                inbound_nodes: [{ args: [<tensor> | [<tensor>, ...]], kwargs: {} }, ...] }, ...],
 *                (an RNN given its states: { args: [<x>], kwargs: { initial_state: [<h>, <c>] } })
 *     input_layers: ['a', 0, 0] | [['a', 0, 0], ['b', 0, 0]],
 *     output_layers: [['out', 0, 0], ...] }
 *
 * where <tensor> is `{ class_name: '__keras_tensor__', config: { shape, dtype, keras_history:
 * [layer name, node index, tensor index] } }`: the output `tensor index` of the `node index`-th
 * call of that layer. One entry per layer in `model.layers` order (InputLayers first); a layer
 * called twice (shared) has two inbound nodes; a nested model is one entry holding its own
 * config. Node indices count only the calls that belong to this model, so a layer also used in
 * another model is numbered here as if it were not.
 *
 * Keras counts a nested functional model's own construction as its call 0, in `input_layers` /
 * `output_layers` only (not in the nodes' arguments): a reference there to a nested functional
 * model is one higher than its call number, on writing and on reading. Reading rebuilds the graph
 * by calling each layer on the tensors its nodes name, in layer order, postponing a call whose
 * inputs do not exist yet (a layer shared at two depths), as Keras does.
 */
import { ValueError } from '../errors.js';
import type { AnyLayer, KerasTensor, KerasTensorTree, Node } from '../layers/keras_tensor.js';
import type { Layer } from '../layers/layer.js';
import { deserialize as deserializeLayer, serialize as serializeLayer, type LayerClass } from '../layers/serialization.js';
import { BidirectionalLayer } from '../layers/rnn/bidirectional.js';
import { RNNLayer } from '../layers/rnn/rnn.js';
import { isPlainObject } from '../options/parse.js';
import { repr } from '../options/repr.js';
import type { Config } from '../utils/registry.js';
import { deserializeModel, isModelConfig, serializeModel, type ConfigurableModel, type CustomObjects } from './model_config.js';
import type { KerasTensorList } from '../models/structure.js';

/** What the config is read from: a functional model's graph and its inputs' / outputs' structure. */
export interface FunctionalModel {
  readonly name: string;
  readonly trainable: boolean;
  readonly className: string;
  readonly layers: readonly AnyLayer[];
  /** Every node of the graph (input nodes included). */
  readonly nodes: ReadonlySet<Node>;
  /** The input KerasTensor, or the list or dict of them, as the model was given them. */
  readonly input: Endpoints;
  readonly output: Endpoints;
}

/** A model's inputs or outputs: one KerasTensor, a list, or a dict by key (Keras 3's structures). */
export type Endpoints = KerasTensor | KerasTensor[] | KerasTensorList | Readonly<Record<string, KerasTensor>>;

/** `[layer name, node index, tensor index]`: a tensor of the graph. */
type TensorRef = [string, number, number];

// Keras fills `mask=None` into the recorded call of layers whose `call` takes a `mask`.
const CALL_TAKES_MASK = new Set(['BatchNormalization', 'LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D', 'Softmax', 'Functional', 'Sequential']);

function isNestedModel(layer: AnyLayer): boolean {
  return typeof (layer as Partial<ConfigurableModel>).get_compile_config === 'function';
}

/** Keras's `Functional.get_config()`. */
export function functionalConfig(model: FunctionalModel): Config {
  // A call's number among this model's calls of the layer (Keras's node_reindexing_map).
  const callNumber = (layer: AnyLayer, nodeIndex: number): number => {
    let kept = 0;
    for (let i = 0; i < nodeIndex; i++) if (model.nodes.has(layer._inbound_nodes[i]!)) kept += 1;
    return kept;
  };
  const ref = (t: KerasTensor, forInputsOutputs: boolean): TensorRef => {
    const { operation, node_index, tensor_index } = t._keras_history!;
    const offset = forInputsOutputs && operation.className === 'Functional' ? 1 : 0;
    return [operation.name, callNumber(operation, node_index) + offset, tensor_index];
  };
  const tensor = (t: KerasTensor) => ({ class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: t.dtype, keras_history: ref(t, false) } });
  const layers = model.layers.map((layer) => {
    const serialized: Config = isNestedModel(layer)
      ? serializeModel(layer as unknown as ConfigurableModel, layer.className)
      : { ...serializeLayer(layer as unknown as Layer) };
    serialized.name = layer.name;
    serialized.inbound_nodes = layer._inbound_nodes
      .filter((node) => model.nodes.has(node) && !node.is_input)
      .map((node) => {
        const { args, kwargs } = node.arguments;
        const byKeyword = Object.entries(kwargs);
        // Nested lists as given (a stacked RNN's initial_state, one entry per cell), as Keras writes them.
        const structure = (t: KerasTensorTree): unknown => (Array.isArray(t) ? (t as readonly KerasTensorTree[]).map(structure) : tensor(t as KerasTensor));
        // Keras fills in `mask=None` only when the call had one tensor argument.
        if (byKeyword.length > 0) return { args: [structure(args)], kwargs: Object.fromEntries(byKeyword.map(([key, t]) => [key, structure(t)])) };
        return { args: [structure(args)], kwargs: CALL_TAKES_MASK.has(layer.className) ? { mask: null } : {} };
      });
    return serialized;
  });
  // A dict is written as Keras writes it: a dict of refs, keys in the order given.
  // A list holding lists (a stacked RNN's states) is written nested, as Keras writes it.
  const refs = (given: Endpoints): unknown => {
    if (Array.isArray(given)) return (given as KerasTensorList).map((t) => (Array.isArray(t) ? refs(t as KerasTensorList) : ref(t as KerasTensor, true)));
    if (isKerasTensorLike(given)) return ref(given, true);
    return Object.fromEntries(Object.entries(given as Readonly<Record<string, KerasTensor>>).map(([key, t]) => [key, ref(t, true)]));
  };
  return { name: model.name, trainable: model.trainable, layers, input_layers: refs(model.input), output_layers: refs(model.output) };
}

/** Makes the model once its graph is rebuilt: `keras.Model({ inputs, outputs, name, trainable })`. */
export type MakeFunctional = (options: { inputs: Endpoints; outputs: Endpoints; name?: string; trainable?: boolean }) => ConfigurableModel;

function isKerasTensorLike(v: Endpoints): v is KerasTensor {
  return (v as Partial<KerasTensor>)._keras_history !== undefined;
}

// A node whose input tensors do not exist yet: retried after the other layers' calls.
class NotReady extends Error {}

/** Keras's `functional_from_config`: the layers, then their calls, then the model between the named inputs and outputs. */
export function functionalFromConfig(config: Config, custom_objects: CustomObjects, make: MakeFunctional): ConfigurableModel {
  const layerConfigs = config.layers;
  if (!Array.isArray(layerConfigs) || config.input_layers === undefined || config.output_layers === undefined) {
    throw new ValueError(`Functional.from_config: the config needs \`layers\`, \`input_layers\` and \`output_layers\`. Received keys: [${Object.keys(config).join(', ')}]`);
  }
  const created = new Map<string, AnyLayer>();
  const pending = new Map<AnyLayer, unknown[]>();
  for (const layerConfig of layerConfigs) {
    if (!isPlainObject(layerConfig) || typeof layerConfig.name !== 'string') {
      throw new ValueError(`Functional.from_config: each layer needs a \`name\`. Received: ${repr(layerConfig)}`);
    }
    const layer = (isModelConfig(layerConfig, custom_objects)
      ? deserializeModel(layerConfig, { custom_objects, compile: false })
      : deserializeLayer(layerConfig, custom_objects as Record<string, LayerClass>)) as unknown as AnyLayer;
    created.set(layerConfig.name, layer);
    const nodes = Array.isArray(layerConfig.inbound_nodes) ? layerConfig.inbound_nodes : [];
    if (nodes.length > 0) pending.set(layer, [...nodes]);
  }

  const tensorAt = (name: string, nodeIndex: number, tensorIndex: number): KerasTensor => {
    const layer = created.get(name);
    if (layer === undefined) throw new ValueError(`Invalid Functional model configuration: a node reads layer '${name}', which the config does not define.`);
    const node = layer._inbound_nodes[nodeIndex];
    if (node === undefined) throw new NotReady();
    const tensor = node.outputs[tensorIndex];
    if (tensor === undefined) throw new ValueError(`Invalid Functional model configuration: layer '${name}' call ${nodeIndex} has no output ${tensorIndex}.`);
    return tensor;
  };

  // Keras's loop: in layer order, each layer's calls in order, until a call's inputs are missing.
  while (pending.size > 0) {
    let progressed = false;
    for (const layer of created.values()) {
      const nodes = pending.get(layer);
      if (nodes === undefined) continue;
      while (nodes.length > 0) {
        let call: NodeCall;
        try {
          call = nodeCall(nodes[0], layer, tensorAt);
        } catch (error) {
          if (error instanceof NotReady) break;
          throw error;
        }
        if (call.initial_state === undefined) layer.apply(call.inputs);
        else (layer as unknown as RNNLayer | BidirectionalLayer).apply(call.inputs as KerasTensor, { initial_state: call.initial_state });
        nodes.shift();
        progressed = true;
      }
      if (nodes.length === 0) pending.delete(layer);
    }
    if (!progressed) {
      throw new ValueError(
        'Invalid Functional model configuration. The graph of the Functional model either has loops or disconnected nodes. ' +
          `The following nodes failed to be resolved: ${[...pending.keys()].map((l) => `'${l.name}'`).join(', ')}`,
      );
    }
  }

  const endpoint = (given: unknown, what: string): Endpoints => {
    const one = (r: unknown): KerasTensor => {
      if (!isTensorRef(r)) throw new ValueError(`Functional.from_config: \`${what}\` must hold [layer_name, node_index, tensor_index] entries. Received: ${repr(given)}`);
      const layer = created.get(r[0]);
      // A nested functional model's own construction is Keras's call 0 (see the header).
      const offset = layer?.className === 'Functional' ? 1 : 0;
      try {
        return tensorAt(r[0], r[1] - offset, r[2]);
      } catch (error) {
        if (error instanceof NotReady) throw new ValueError(`Functional.from_config: \`${what}\` names call ${r[1]} of layer '${r[0]}', which the config does not make.`);
        throw error;
      }
    };
    const list = (items: unknown[]): KerasTensorList => items.map((r) => (Array.isArray(r) && !isTensorRef(r) ? list(r) : one(r)));
    if (isTensorRef(given)) return one(given);
    if (Array.isArray(given)) return list(given);
    if (isPlainObject(given) && Object.keys(given).length > 0) return Object.fromEntries(Object.entries(given).map(([key, r]) => [key, one(r)]));
    throw new ValueError(`Functional.from_config: \`${what}\` must be a [layer_name, node_index, tensor_index] entry, or a list or dict of them. Received: ${repr(given)}`);
  };
  return make({
    inputs: endpoint(config.input_layers, 'input_layers'),
    outputs: endpoint(config.output_layers, 'output_layers'),
    ...(typeof config.name === 'string' ? { name: config.name } : {}),
    ...(typeof config.trainable === 'boolean' ? { trainable: config.trainable } : {}),
  });
}

function isTensorRef(v: unknown): v is TensorRef {
  return Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number';
}

/** One recorded call, to make again: the input tensors and, for an RNN (or Bidirectional) given its states, `initial_state`. */
interface NodeCall {
  readonly inputs: KerasTensor | KerasTensor[];
  readonly initial_state?: KerasTensor | Array<KerasTensor | KerasTensor[]>;
}

// The keyword arguments a recorded call may hold besides Keras's `mask=None`: only tensors an RNN starts from.
const TENSOR_KWARGS = new Set(['initial_state']);

/** The layers whose call takes `initial_state`: the recurrent layers and Bidirectional. */
function takesInitialState(layer: AnyLayer): boolean {
  return layer instanceof RNNLayer || layer instanceof BidirectionalLayer;
}

/**
 * The tensors one recorded call reads: Keras 3's `{ args, kwargs }` with `__keras_tensor__`
 * entries (`kwargs.initial_state` for an RNN), or TF2's list of `[layer, node, tensor, kwargs]`
 * (where Keras 2 listed an RNN's initial states after its input: [x, h, c]).
 */
function nodeCall(nodeData: unknown, layer: AnyLayer, tensorAt: (name: string, node: number, tensor: number) => KerasTensor): NodeCall {
  const layerName = layer.name;
  if (Array.isArray(nodeData)) {
    // TF2 (legacy .h5): [[name, node, tensor, kwargs], ...]; one entry is the tensor itself.
    const tensors = nodeData.map((entry) => {
      if (!isTensorRef(entry)) throw new ValueError(`Layer '${layerName}': cannot read its inbound node ${repr(nodeData)}.`);
      return tensorAt(entry[0], entry[1], entry[2]);
    });
    if (tensors.length > 1 && takesInitialState(layer)) return { inputs: tensors[0]!, initial_state: tensors.slice(1) };
    return { inputs: tensors.length === 1 ? tensors[0]! : tensors };
  }
  if (!isPlainObject(nodeData) || !Array.isArray(nodeData.args)) throw new ValueError(`Layer '${layerName}': cannot read its inbound node ${repr(nodeData)}.`);
  const args = nodeData.args;
  const kwargs = isPlainObject(nodeData.kwargs) ? nodeData.kwargs : {};
  const unread = Object.entries(kwargs).filter(([key, value]) => key !== 'mask' && value !== null && value !== undefined && !(TENSOR_KWARGS.has(key) && takesInitialState(layer)));
  if (args.length !== 1 || unread.length > 0) {
    throw new ValueError(
      `Layer '${layerName}' is called with arguments keras-like does not rebuild (only the input tensors, Keras's \`mask\`, and an RNN's or Bidirectional's \`initial_state\` are read). ` +
        `Received: args=${repr(args)}, kwargs=${repr(nodeData.kwargs)}`,
    );
  }
  const tensor = (v: unknown): KerasTensor => {
    const history = isPlainObject(v) && v.class_name === '__keras_tensor__' && isPlainObject(v.config) ? v.config.keras_history : undefined;
    if (!isTensorRef(history)) throw new ValueError(`Layer '${layerName}': its inbound node has an argument that is not a Keras tensor: ${repr(v)}`);
    return tensorAt(history[0], history[1], history[2]);
  };
  const structure = (v: unknown) => (Array.isArray(v) ? v.map(tensor) : tensor(v));
  // initial_state nested as written: one entry per stacked cell, a tensor or a list ([[h₁, c₁], h₂]).
  const nested = (v: unknown): KerasTensorTree => (Array.isArray(v) ? v.map(nested) : tensor(v));
  const inputs = structure(args[0]);
  const states = kwargs.initial_state;
  return states === null || states === undefined ? { inputs } : { inputs, initial_state: nested(states) as KerasTensor | Array<KerasTensor | KerasTensor[]> };
}
