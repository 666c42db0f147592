/**
 * `model.summary()`: Keras's table, in the TF2 format course notebooks show:
 *
 *   Model: "sequential"
 *   _________________________________________________________________
 *    Layer (type)                Output Shape              Param #
 *   =================================================================
 *    dense (Dense)               (None, 12)                108
 *   ...
 *   =================================================================
 *   Total params: 221
 *   Trainable params: 221
 *   Non-trainable params: 0
 *   _________________________________________________________________
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import type { AnyLayer, Node } from '../layers/keras_tensor.js';
import type { Shape } from '../layers/layer.js';
import { isShapeList, shapeText } from '../layers/layer.js';
import type { Graph } from './graph.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';
import { displayNow, notebookKernel } from '../utils/notebook.js';

const summarySchema = z.object({
  /** Total width of the table. Defaults to 65. */
  line_length: z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' }).nullish(),
  /** Right edges of the columns, as fractions of `line_length` (or absolute). Defaults to [0.45, 0.85, 1]. */
  positions: z.array(z.number(), { error: 'must be a list of 3 numbers, such as [0.45, 0.85, 1]' }).min(3, { error: 'must be a list of 3 numbers, such as [0.45, 0.85, 1]' }).max(4, { error: 'must be a list of 3 numbers, such as [0.45, 0.85, 1]' }).nullish(),
  /** Where each line goes. Defaults to `console.log`; in a notebook, to one text/plain display output. */
  print_fn: z.custom<(line: string) => void>((v) => typeof v === 'function', { error: 'must be a function that takes a line' }).nullish(),
});

/** Keyword arguments of `summary`: `line_length`, `positions`, `print_fn`. */
export type SummaryOptions = KerasOptions<typeof summarySchema>;

interface SummarizedModel {
  readonly name: string;
  readonly className: string;
  readonly layers: readonly AnyLayer[];
  readonly built: boolean;
  /** The graph of a functional model; null (or a Sequential model) for a plain list of layers. */
  readonly graph: Graph | null;
  layerOutputShapes(): Array<Shape | Shape[] | undefined>;
}

/**
 * Keras 3's rule (summary_utils.py): a graph with one node per depth, each with one input, and no
 * shared layer, is printed like a Sequential model; any other gets the "Connected to" column.
 */
function sequentialLike(model: SummarizedModel): boolean {
  const graph = model.graph;
  if (graph === null || model.className === 'Sequential') return true;
  const nodes: Node[] = [];
  for (const list of graph.nodesByDepth.values()) {
    if (list.length > 1 || (list.length === 1 && list[0]!.input_tensors.length > 1)) return false;
    nodes.push(...list);
  }
  return model.layers.every((layer) => layer._inbound_nodes.filter((n) => nodes.includes(n)).length <= 1);
}

/** Keras 3's "Connected to" cell: `layer[node_index][tensor_index]` for each input of the layer's calls in this graph, `-` for none. */
function connections(layer: AnyLayer, graph: Graph): string[] {
  const inGraph = new Set([...graph.nodesByDepth.values()].flat());
  const out = layer._inbound_nodes
    .filter((node) => inGraph.has(node))
    .flatMap((node) => node.input_tensors.map((t) => `${t._keras_history!.operation.name}[${t._keras_history!.node_index}][${t._keras_history!.tensor_index}]`));
  return out.length === 0 ? ['-'] : out;
}

export function printSummary(model: SummarizedModel, given: SummaryOptions = {}): void {
  const options = parseOptions(`${model.className === 'Functional' ? 'Model' : model.className}.summary`, summarySchema, given);
  const linear = sequentialLike(model);
  // TF2's table, as course notebooks show it; a graph adds the "Connected to" column (TF2's widths).
  const lineLength = options.line_length ?? (linear ? 65 : 98);
  const relative = options.positions ?? (linear ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  if (!linear && relative.length !== 4) throw new ValueError(`${model.name}.summary: \`positions\` must be a list of 4 numbers for a model with a "Connected to" column. Received: positions=${JSON.stringify(relative)}`);
  const positions = relative.every((p) => p <= 1) ? relative.map((p) => Math.floor(lineLength * p)) : relative;
  // In a notebook the table is one display-data output (text/plain), as a cell's result is shown.
  const lines: string[] = [];
  const inNotebook = options.print_fn == null && notebookKernel() !== null;
  const print = options.print_fn ?? (inNotebook ? (line: string) => void lines.push(line) : (line: string) => console.log(line));
  if (!model.built) {
    throw new ValueError(
      'This model has not yet been built. Build the model first by calling `build()` or by calling `fit()` with some data, ' +
        'or specify an `input_shape` argument in the first layer(s) for automatic build.',
    );
  }

  print(`Model: "${model.name}"`);
  print('_'.repeat(lineLength));
  print(row(['Layer (type)', 'Output Shape', 'Param #', ...(linear ? [] : ['Connected to'])], positions));
  print('='.repeat(lineLength));
  const shapes = model.layerOutputShapes();
  let trainable = 0;
  let total = 0;
  model.layers.forEach((layer, i) => {
    const params = layer.count_params();
    const shape = shapes[i];
    const shapeCell = shape === undefined ? '?' : isShapeList(shape) ? shape.map((x) => shapeText(x)).join(', ') : shapeText(shape);
    const linked = linear ? [] : connections(layer, model.graph!);
    print(row([`${layer.name} (${layer.className})`, shapeCell, String(params), ...linked.slice(0, 1)], positions));
    for (const more of linked.slice(1)) print(row(['', '', '', more], positions).replace(/^ /, ' '));
    print(' '.repeat(lineLength));
    total += params;
    trainable += layer.trainable_weights.reduce((n, w) => n + w.size, 0);
  });
  print('='.repeat(lineLength));
  print(`Total params: ${grouped(total)}`);
  print(`Trainable params: ${grouped(trainable)}`);
  print(`Non-trainable params: ${grouped(total - trainable)}`);
  print('_'.repeat(lineLength));
  if (inNotebook) displayNow({ 'text/plain': lines.join('\n') });
}

// Keras's print_row: each field starts one space in (the first) or at the previous column's edge.
function row(fields: string[], positions: number[]): string {
  let line = '';
  fields.forEach((field, col) => {
    const start = col === 0 ? 0 : positions[col - 1]!;
    const end = positions[col]!;
    const space = col === positions.length - 1 ? 0 : 2;
    if (col === 0) line += ' ';
    line += field.slice(0, end - start - space);
    line = line.padEnd(end);
  });
  return line;
}

/** Python's `'{:,}'.format(n)`. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
