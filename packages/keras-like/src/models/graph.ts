/**
 * The graph of a functional model: from the KerasTensors given as `inputs` and `outputs`,
 * the layer calls (Nodes) between them, in the order they run. Keras's `map_graph`
 * (keras/src/ops/function.py), written again here:
 *
 * 1. walk back from each output through `_keras_history`, depth first, listing the nodes
 *    from the inputs to the outputs and each layer at its first visit;
 * 2. give each node a depth, its distance from the outputs (0 at an output, parent = child + 1,
 *    the largest over all paths, and a shared layer at the deepest of its calls);
 * 3. run the nodes from the deepest to depth 0; list the layers (`model.layers`) by depth,
 *    deepest first, in traversal order inside one depth;
 * 4. check every node's inputs are computable from `inputs` ("Graph disconnected") and
 *    that layer names are unique.
 *
 * The plan numbers every tensor of the graph so a run keeps its values in an array: a Sequential
 * model is the linear case of the same graph (docs/architecture.md, "Model").
 */
import { ValueError } from '../errors.js';
import type { AnyLayer, KerasTensor, Node } from '../layers/keras_tensor.js';

/** One layer call of the plan: which tensors (by number) it reads and makes. */
export interface GraphStep {
  readonly node: Node;
  readonly layer: AnyLayer;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Whether the layer takes a list (`Add()([a, b])`) / returns a list (`return_state`). */
  readonly listInput: boolean;
  readonly listOutput: boolean;
}

export class Graph {
  /** The layers, as Keras's `model.layers` (InputLayers included): by depth, deepest first. */
  readonly layers: readonly AnyLayer[];
  /** The calls in the order they run. */
  readonly steps: readonly GraphStep[];
  /** The graph's nodes by depth, as Keras's `_nodes_by_depth` (input nodes included). */
  readonly nodesByDepth: ReadonlyMap<number, readonly Node[]>;
  /** How many tensors a run holds; `inputs` are numbers 0..n-1. */
  readonly tensorCount: number;
  /** The numbers of the model's outputs (an output may also be an input). */
  readonly outputIds: readonly number[];
  /** How many steps read each tensor, by number (the model's outputs not counted). */
  readonly consumers: readonly number[];

  constructor(
    readonly inputs: readonly KerasTensor[],
    readonly outputs: readonly KerasTensor[],
  ) {
    const { ordered, firstSeen } = traverse(inputs, outputs);
    const { nodeDepth, layerDepth } = depths(ordered, inputs);
    this.nodesByDepth = groupByDepth([...nodeDepth.entries()]);
    this.layers = [...groupByDepth([...layerDepth.entries()]).entries()]
      .sort(([a], [b]) => b - a)
      .flatMap(([, layers]) => [...layers].sort((x, y) => (firstSeen.get(x) ?? -1) - (firstSeen.get(y) ?? -1)));

    const ids = new Map<KerasTensor, number>();
    inputs.forEach((t, i) => ids.set(t, i));
    const steps: GraphStep[] = [];
    const accessed: string[] = [];
    for (const depth of [...this.nodesByDepth.keys()].sort((a, b) => b - a)) {
      for (const node of this.nodesByDepth.get(depth)!) {
        if (node.is_input) continue;
        for (const t of node.input_tensors) {
          if (!ids.has(t)) {
            throw new ValueError(
              `Graph disconnected: cannot find parent for tensor ${t.toString()} at operation '${node.operation.toString()}'. ` +
                `The following previous operations were accessed without issue: [${accessed.map((n) => `'${n}'`).join(', ')}]`,
            );
          }
        }
        accessed.push(node.operation.name);
        const stepInputs = node.input_tensors.map((t) => ids.get(t)!);
        const stepOutputs = node.outputs.map((t) => {
          ids.set(t, ids.size);
          return ids.get(t)!;
        });
        steps.push({ node, layer: node.operation, inputs: stepInputs, outputs: stepOutputs, listInput: node.listInput, listOutput: node.listOutput });
      }
    }
    this.steps = steps;
    this.tensorCount = ids.size;
    this.outputIds = outputs.map((t) => {
      const id = ids.get(t);
      if (id === undefined) throw new ValueError(`Output ${t.toString()} is not connected to \`inputs\`.`);
      return id;
    });
    const consumers = new Array<number>(ids.size).fill(0);
    for (const step of steps) for (const id of step.inputs) consumers[id]! += 1;
    this.consumers = consumers;

    const names = this.layers.map((l) => l.name);
    for (const name of names) {
      const count = names.filter((n) => n === name).length;
      if (count !== 1) throw new ValueError(`The name "${name}" is used ${count} times in the model. All operation names should be unique.`);
    }
  }
}

/** Step 1: the nodes from the inputs to the outputs (depth-first), and each layer's first visit. */
function traverse(inputs: readonly KerasTensor[], outputs: readonly KerasTensor[]): { ordered: Node[]; firstSeen: Map<AnyLayer, number> } {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const ordered: Node[] = [];
  const firstSeen = new Map<AnyLayer, number>();
  const visit = (tensor: KerasTensor) => {
    const history = tensor._keras_history;
    if (history === null) return;
    const node = history.operation._inbound_nodes[history.node_index]!;
    if (finished.has(node)) return;
    // A declared input made by another layer: the graph starts there.
    if (!node.is_input && inputs.includes(tensor)) {
      finished.add(node);
      return;
    }
    if (inProgress.has(node)) throw new ValueError(`Tensor ${tensor.toString()} from operation '${history.operation.name}' is part of a cycle.`);
    if (!firstSeen.has(history.operation)) firstSeen.set(history.operation, firstSeen.size);
    inProgress.add(node);
    if (!node.is_input) for (const t of node.input_tensors) visit(t);
    finished.add(node);
    inProgress.delete(node);
    ordered.push(node);
  };
  for (const output of outputs) visit(output);
  return { ordered, firstSeen };
}

/** Step 2: each node's and each layer's depth (distance from the outputs). */
function depths(ordered: readonly Node[], inputs: readonly KerasTensor[]): { nodeDepth: Map<Node, number>; layerDepth: Map<AnyLayer, number> } {
  const inGraph = new Set(ordered);
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<AnyLayer, number>();
  for (const node of [...ordered].reverse()) {
    if (!nodeDepth.has(node)) nodeDepth.set(node, 0);
    // A shared layer sits at the deepest of its calls.
    const depth = Math.max(nodeDepth.get(node)!, layerDepth.get(node.operation) ?? 0);
    layerDepth.set(node.operation, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.parent_nodes) {
      if (!inGraph.has(parent)) continue;
      nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  // An Input that no output depends on is still part of the model, as in Keras.
  for (const input of inputs) {
    const history = input._keras_history!;
    const node = history.operation._inbound_nodes[history.node_index]!;
    if (node.is_input && !layerDepth.has(history.operation)) {
      layerDepth.set(history.operation, 0);
      nodeDepth.set(node, 0);
    }
  }
  return { nodeDepth, layerDepth };
}

function groupByDepth<T>(entries: ReadonlyArray<readonly [T, number]>): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const [item, depth] of entries) {
    const list = out.get(depth);
    if (list === undefined) out.set(depth, [item]);
    else list.push(item);
  }
  return out;
}
