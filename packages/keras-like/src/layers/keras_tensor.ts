/**
 * Symbolic tensors and the graph they record: Keras's `KerasTensor` and `Node`.
 *
 *   const x = keras.Input({ shape: [8] });      // a KerasTensor: a shape, no values
 *   const h = Dense(12).apply(x);              // or Dense(12)(x): records a Node, returns a KerasTensor
 *
 * Calling a layer on KerasTensors runs no op: the layer is built from the shapes,
 * `compute_output_shape` gives the outputs' shapes, and a `Node` remembers the call
 * (which layer, on which tensors, giving which tensors). `keras.Model({ inputs, outputs })`
 * walks the Nodes back from its outputs to find its graph (models/functional.ts).
 */
import { uniqueName } from '../backend/session.js';
import type { Layer, Shape, Tensors } from './layer.js';

/** Any layer, whatever its inputs and outputs (a tensor or a list of tensors). */
export type AnyLayer = Layer<Tensors, Tensors>;

/** Where a KerasTensor comes from: Keras's `_keras_history`. */
export interface KerasHistory {
  readonly operation: AnyLayer;
  /** Which call of the layer made it (its index in `operation._inbound_nodes`). */
  readonly node_index: number;
  /** Which output of that call it is. */
  readonly tensor_index: number;
}

export class KerasTensor {
  readonly shape: Shape;
  readonly dtype = 'float32' as const;
  readonly name: string;
  /** The call that made this tensor (set by `Node`). */
  _keras_history: KerasHistory | null = null;

  constructor(shape: Shape, options: { name?: string } = {}) {
    this.shape = [...shape];
    this.name = options.name ?? uniqueName('keras_tensor');
  }

  get ndim(): number {
    return this.shape.length;
  }

  toString(): string {
    const dims = this.shape.map((s) => (s === null ? 'None' : String(s)));
    const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
    return `<KerasTensor shape=${shape}, dtype=${this.dtype}, sparse=False, ragged=False, name=${this.name}>`;
  }
}

/**
 * How a layer was called, as Keras 3's `node.arguments` records it for saving: the positional
 * argument and the tensors passed by keyword (an RNN's `initial_state`).
 */
export interface NodeArguments {
  readonly args: KerasTensor | readonly KerasTensor[];
  /** Nested as given: stacked cells' `initial_state` is one entry per cell ([[h₁, c₁], h₂]), as Keras writes it. */
  readonly kwargs: Readonly<Record<string, KerasTensorTree>>;
}

/** A KerasTensor, or a list of them nested to any depth. */
export type KerasTensorTree = KerasTensor | readonly KerasTensorTree[];

/** One call of a layer on symbolic tensors. */
export class Node {
  /** The tensors the layer was called on, flattened (positional, then by keyword): what the layer's `forward` receives. */
  readonly input_tensors: readonly KerasTensor[];
  /** The call's arguments as given: `{ args: inputs, kwargs: {} }` unless tensors came by keyword. */
  readonly arguments: NodeArguments;
  readonly outputs: readonly KerasTensor[];
  /** Whether the layer received a list (`Add()([a, b])`) rather than one tensor. */
  readonly listInput: boolean;
  /** Whether the layer returned a list (an LSTM with `return_state`). */
  readonly listOutput: boolean;

  constructor(
    readonly operation: AnyLayer,
    inputs: KerasTensor | readonly KerasTensor[],
    outputs: KerasTensor | readonly KerasTensor[],
    call?: NodeArguments,
  ) {
    this.arguments = call ?? { args: inputs, kwargs: {} };
    this.listInput = Array.isArray(inputs);
    this.listOutput = Array.isArray(outputs);
    this.input_tensors = Array.isArray(inputs) ? [...(inputs as readonly KerasTensor[])] : [inputs as KerasTensor];
    this.outputs = Array.isArray(outputs) ? [...(outputs as readonly KerasTensor[])] : [outputs as KerasTensor];
    const nodeIndex = operation._inbound_nodes.length;
    operation._inbound_nodes.push(this);
    this.outputs.forEach((t, i) => {
      t._keras_history = { operation, node_index: nodeIndex, tensor_index: i };
    });
  }

  /** The nodes that made this node's inputs. */
  get parent_nodes(): Node[] {
    return this.input_tensors.map((t) => {
      const h = t._keras_history!;
      return h.operation._inbound_nodes[h.node_index]!;
    });
  }

  /** True for the node an `Input` makes: it has no inputs. */
  get is_input(): boolean {
    return this.input_tensors.length === 0;
  }
}

export function isKerasTensor(value: unknown): value is KerasTensor {
  return value instanceof KerasTensor;
}

/** True for a KerasTensor or a non-empty list of them (a symbolic call). */
export function isSymbolic(value: unknown): value is KerasTensor | KerasTensor[] {
  if (value instanceof KerasTensor) return true;
  return Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof KerasTensor);
}
