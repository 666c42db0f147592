/**
 * Where Keras 3 keeps each variable in a weights file (`model.weights.h5` inside a `.keras`
 * archive, or a `.weights.h5` file): the tree `saving_lib._save_state` writes.
 *
 *   vars                          attrs {name: 'sequential'}   the model's own variables (none)
 *   layers/dense/vars/0, /1       attrs {name: 'hidden'}       kernel, bias of the first Dense
 *   layers/dense_1/vars/0, /1                                  the second Dense
 *   layers/dropout/vars           (no datasets)                a layer without weights
 *   layers/sequential/layers/...                               a nested model, recursively
 *   layers/lstm/cell/vars/0..2    attrs {name: 'lstm_cell'}    a recurrent layer's cell
 *   layers/rnn/cell/vars          (no datasets)                RNN([cells])'s StackedRNNCells,
 *   layers/rnn/cell/cells/lstm_cell/vars/0..2                  each of its cells by class name
 *   layers/rnn/cell/cells/gru_cell/vars/0..2
 *   layers/time_distributed/layer/vars/0..                     TimeDistributed's layer
 *   layers/bidirectional/forward_layer/cell/vars/0..2          Bidirectional's two layers
 *   layers/bidirectional/backward_layer/cell/vars/0..2
 *   optimizer/vars/0, /1, ...     attrs {name: 'adam'}         iterations, learning rate, slots
 *
 * A `keras.Model` subclass (its own `call`) is walked as Keras walks any object's attributes
 * (`_walk_saveable`): its fields by name, sorted as Python's `dir()` with `_private` ones last,
 * `layers` (every tracked layer) among them. A layer field that sorts before `layers` gets its
 * field's name (`d1/vars`), the others sit in `layers` under class names counted over all the
 * layers (`layers/dense_1/vars`: `d1` is `dense` there, already written), a list field is a folder
 * of class names (`blocks/dense`, `blocks/dense_1`).
 *
 * A layer's group is named after its class (`to_snake_case`, made unique with `_1`, `_2`
 * in order), not after the layer's own name, which goes in the `name` attribute: Keras
 * does so because automatic names differ between two builds of one model. Variables are
 * numbered in the layer's order: trainable, then non-trainable (`save_own_variables`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError, ValueError } from '../errors.js';
import { Layer, shapeText } from '../layers/layer.js';
import { cellWeights, StackedRNNCells, UserCell, type RNNCellLike } from '../layers/rnn/user_cell.js';
import type { Optimizer } from '../optimizers/base.js';
import { warnOnce } from '../callbacks/monitor.js';
import { datasetValues, getGroup, h5Group, makeGroup, type H5Dataset, type H5Group } from './hdf5.js';

/** What saving needs of a model: Sequential and functional models both have it. */
export interface SaveableModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly trainable_weights: readonly tf.Variable[];
  /** Read only after `compile` (Sequential's getter throws before). */
  readonly optimizer?: Optimizer | null;
}

/** The model's optimizer, or null when it was not compiled (Keras's `model.optimizer` is None then). */
export function optimizerOf(model: SaveableModel): Optimizer | null {
  try {
    return model.optimizer ?? null;
  } catch (error) {
    if (error instanceof RuntimeError) return null;
    throw error;
  }
}

/** A node of Keras's walk: its own variables (under `vars`) and its children, by path. */
interface Saveable {
  readonly name: string;
  /** Keras's repr of the object, `<Dense name=hidden, built=True>`, for the loading report. */
  readonly object: string;
  /** Keras's variable path prefix, `sequential/hidden` (a variable is `sequential/hidden/kernel`). */
  readonly path: string;
  readonly variables: readonly tf.Variable[];
  readonly children: ReadonlyArray<readonly [string, Saveable]>;
  /** Optimizers only: restores the whole state at once (Keras's `load_own_variables`). */
  readonly optimizer?: Optimizer;
}

/** Keras's `naming.to_snake_case`: `Dense` → `dense`, `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The weight's name inside its layer (`kernel`): keras-like names variables `<layer>/<weight>_<counter>`. */
export function weightName(variable: tf.Variable): string {
  const last = variable.name.slice(variable.name.lastIndexOf('/') + 1);
  return last.replace(/_\d+$/, '');
}

function isModel(layer: unknown): layer is SaveableModel {
  return Array.isArray((layer as { layers?: unknown }).layers);
}

// Keras's RNN layers keep their weights in their cell (`layers/lstm/cell/vars`, named 'lstm_cell').
function cellOf(layer: Layer): Layer | undefined {
  const cell = (layer as { cell?: unknown }).cell;
  return cell instanceof Layer ? cell : undefined;
}

// TimeDistributed keeps its layer's weights under `layer` (layers/time_distributed/layer/vars).
function wrappedOf(layer: Layer): Layer | undefined {
  const inner = (layer as { layer?: unknown }).layer;
  return layer.className === 'TimeDistributed' && inner instanceof Layer ? inner : undefined;
}

function directionsOf(layer: Layer): [Layer, Layer] | undefined {
  const { forward_layer: forward, backward_layer: backward } = layer as { forward_layer?: unknown; backward_layer?: unknown };
  return layer.className === 'Bidirectional' && forward instanceof Layer && backward instanceof Layer ? [forward, backward] : undefined;
}

function layerSaveable(layer: Layer, parent: string): Saveable {
  if (isModel(layer)) return modelSaveable(layer, false, parent);
  const node = (of: Layer, variables: readonly tf.Variable[], children: Saveable['children'], prefix: string): Saveable => ({
    name: of.name,
    object: of.toString(),
    path: `${prefix}/${of.name}`,
    variables,
    children,
  });
  const path = `${parent}/${layer.name}`;
  const wrapped = wrappedOf(layer);
  if (wrapped !== undefined) return node(layer, [], [['layer', layerSaveable(wrapped, path)]], parent);
  // Bidirectional: layers/bidirectional/forward_layer/cell/vars and .../backward_layer/cell/vars.
  const directions = directionsOf(layer);
  if (directions !== undefined) {
    return node(layer, [], [['forward_layer', layerSaveable(directions[0], path)], ['backward_layer', layerSaveable(directions[1], path)]], parent);
  }
  const cell = cellOf(layer);
  if (cell !== undefined) return node(layer, [], [['cell', cellSaveable(cell, path)]], parent);
  return node(layer, layer.weights, [], parent);
}

/**
 * An RNN's cell: its weights under `vars`, or, for `RNN([cells])`, Keras's StackedRNNCells with
 * no variables of its own and each cell in the container `cells`, named by class (`lstm_cell`,
 * `lstm_cell_1`, ...) as `_save_container_state` names them.
 */
function cellSaveable(cell: Layer | RNNCellLike, parent: string): Saveable {
  // A user's cell sits in a holder layer (UserCell); Keras sees the user's object.
  const held: Layer | RNNCellLike = cell instanceof UserCell ? cell.cell : cell;
  const name = held.name ?? 'rnn_cell';
  const path = `${parent}/${name}`;
  const object = held instanceof Layer ? held.toString() : `<${held.constructor.name} name=${name}, built=${held.built === true ? 'True' : 'False'}>`;
  if (!(held instanceof StackedRNNCells)) {
    return { name, object, path, variables: cell instanceof Layer ? cell.weights : cellWeights(held as RNNCellLike), children: [] };
  }
  const names = containerNames(held.cells.map((c) => (c instanceof Layer ? c.className : c instanceof StackedRNNCells ? StackedRNNCells.class_name : c.constructor.name)));
  const cells = held.cells.map((inner, i) => [names[i]!, cellSaveable(inner, path)] as const);
  return { name: held.name, object, path, variables: [], children: [['cells', { name: '', object: '', path, variables: [], children: cells }]] };
}

/** Keras's `_save_container_state`: class-named paths, `dense`, `dense_1`, ... */
function containerChildren(layers: readonly Layer[], parent: string): Array<readonly [string, Saveable]> {
  const names = containerNames(layers.map((layer) => layer.className));
  return layers.map((layer, i) => [names[i]!, layerSaveable(layer, parent)] as const);
}

/** The entries' names in a container: each class name in snake case, then `_1`, `_2` for repeats (Keras's `_get_unique_name`). */
function containerNames(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((className) => {
    const base = kerasSnakeCase(className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return count === undefined ? base : `${base}_${count + 1}`;
  });
}

/** Keras's `_name_key`: private attributes (`_x`) sort after the others. */
function pythonNameKey(name: string): string {
  return name.startsWith('_') ? `~${name}` : name;
}

/** A subclass's children in Keras's walk: its layer fields and `layers`, by name; each layer once, where first reached. */
function subclassChildren(model: SaveableModel, attributes: ReadonlyArray<readonly [string, Layer | readonly Layer[]]>, path: string): Array<readonly [string, Saveable]> {
  const entries: Array<readonly [string, Layer | readonly Layer[]]> = [...attributes, ['layers', model.layers]];
  entries.sort(([a], [b]) => (pythonNameKey(a) < pythonNameKey(b) ? -1 : pythonNameKey(a) > pythonNameKey(b) ? 1 : 0));
  const visited = new Set<Layer>();
  const children: Array<readonly [string, Saveable]> = [];
  for (const [name, value] of entries) {
    if (!Array.isArray(value)) {
      const layer = value as Layer;
      if (!visited.has(layer)) children.push([name, layerSaveable(layer, path)]);
      visited.add(layer);
      continue;
    }
    // A container: every layer takes a class name, those already written are skipped.
    const named = containerChildren(value as readonly Layer[], path).filter((_, i) => !visited.has((value as readonly Layer[])[i]!));
    for (const layer of value as readonly Layer[]) visited.add(layer);
    if (named.length > 0) children.push([name, { name: '', object: '', path, variables: [], children: named }]);
  }
  return children;
}

function modelSaveable(model: SaveableModel, includeOptimizer = false, parent = ''): Saveable {
  const path = parent === '' ? model.name : `${parent}/${model.name}`;
  const children: Array<readonly [string, Saveable]> = [];
  const attributes = (model as { _layer_attributes?: ReadonlyArray<readonly [string, Layer | readonly Layer[]]> | null })._layer_attributes;
  if (attributes !== undefined && attributes !== null) {
    children.push(...subclassChildren(model, attributes, path));
  } else {
    const layers = containerChildren(model.layers, path);
    if (layers.length > 0) children.push(['layers', { name: '', object: '', path, variables: [], children: layers }]);
  }
  const optimizer = optimizerOf(model);
  if (includeOptimizer && optimizer) {
    children.push(['optimizer', { name: optimizer.name, object: optimizer.name, path: optimizer.name, variables: [], children: [], optimizer }]);
  }
  return { name: model.name, object: String(model), path, variables: [], children };
}

/** The tree of a model's weights file, as Keras 3 writes it (optionally with the optimizer's state). */
export function modelWeightsTree(model: SaveableModel, options: { includeOptimizer: boolean }): H5Group {
  const root = h5Group();
  writeSaveable(root, '', modelSaveable(model, options.includeOptimizer), true);
  return root;
}

function writeSaveable(root: H5Group, path: string, saveable: Saveable, isEntry: boolean): void {
  // A container (`layers`) is only a folder; every layer, model and optimizer has a `vars` group.
  if (isEntry) {
    const vars = makeGroup(root, path === '' ? 'vars' : `${path}/vars`);
    vars.attrs.name = saveable.name;
    const tensors = saveable.optimizer ? saveable.optimizer.variables : saveable.variables;
    tensors.forEach((tensor, i) => {
      vars.children.set(String(i), toDataset(tensor));
      if (saveable.optimizer) tensor.dispose();
    });
  }
  for (const [name, child] of saveable.children) {
    const childPath = path === '' ? name : `${path}/${name}`;
    writeSaveable(root, childPath, child, child.name !== '' || child.optimizer !== undefined);
  }
}

function toDataset(tensor: tf.Tensor): H5Dataset {
  const int = tensor.dtype === 'int32';
  const value = int ? Int32Array.from(tensor.dataSync() as Int32Array) : Float32Array.from(tensor.dataSync() as Float32Array);
  return { kind: 'dataset', dtype: int ? 'int32' : 'float32', shape: [...tensor.shape], value, attrs: {} };
}

/** A saveable whose variables could not be loaded (Keras's `error_msgs` entry). */
interface LoadFailure {
  readonly object: string;
  readonly message: string;
}

/** Options of loading a weights tree into a model. */
export interface LoadTreeOptions {
  readonly what: string;
  readonly includeOptimizer: boolean;
  /** Keras's `skip_mismatch`: a layer that does not fit keeps its weights, with a warning. */
  readonly skip_mismatch?: boolean;
}

/**
 * Sets a model's weights (and, when asked and present, its optimizer's state) from a weights
 * file's tree. Every layer is checked before any weight is written, so a file that does not
 * fit leaves the model as it was; with `skip_mismatch` the layers that fit load and the others
 * are skipped, each whole, with Keras's warning (`saving_lib._raise_loading_failure(warn_only)`).
 */
export function loadModelWeightsTree(model: SaveableModel, tree: H5Group, options: LoadTreeOptions): void {
  const assignments: Array<[tf.Variable, tf.Tensor]> = [];
  const failures: LoadFailure[] = [];
  try {
    collect(tree, '', modelSaveable(model, options.includeOptimizer), true, assignments, failures);
    if (failures.length > 0) {
      const report = loadingFailure(failures);
      if (options.skip_mismatch !== true) throw new ValueError(report);
      warnOnce(report);
    }
    for (const [variable, value] of assignments) variable.assign(value);
  } finally {
    for (const [, value] of assignments) value.dispose();
  }
  const optimizer = optimizerOf(model);
  if (options.includeOptimizer && optimizer) loadOptimizer(model, optimizer, getGroup(tree, 'optimizer/vars'));
}

/** Keras's `_raise_loading_failure` text: how many failed, the first one's error, the list. */
function loadingFailure(failures: readonly LoadFailure[]): string {
  return (
    `A total of ${failures.length} objects could not be loaded. Example error message for object ${failures[0]!.object}:\n\n` +
    `${failures[0]!.message}\n\nList of objects that could not be loaded:\n[${failures.map((f) => f.object).join(', ')}]`
  );
}

function collect(tree: H5Group, path: string, saveable: Saveable, isEntry: boolean, out: Array<[tf.Variable, tf.Tensor]>, failures: LoadFailure[]): void {
  if (isEntry && saveable.optimizer === undefined) {
    // Keras's `load_own_variables` stops at the first problem; this layer's weights then stay as they are.
    const problem = ownVariablesProblem(tree, path, saveable);
    if (problem !== undefined) {
      failures.push({ object: saveable.object, message: problem });
    } else {
      const vars = getGroup(tree, path === '' ? 'vars' : `${path}/vars`);
      saveable.variables.forEach((variable, i) => {
        out.push([variable, tf.tensor(datasetValues(vars!.children.get(String(i)) as H5Dataset), variable.shape, 'float32')]);
      });
    }
  }
  for (const [name, child] of saveable.children) {
    collect(tree, path === '' ? name : `${path}/${name}`, child, child.name !== '' || child.optimizer !== undefined, out, failures);
  }
}

/** Why a saveable's variables cannot be loaded from the tree (Keras's messages), or undefined if they can. */
function ownVariablesProblem(tree: H5Group, path: string, saveable: Saveable): string | undefined {
  const vars = getGroup(tree, path === '' ? 'vars' : `${path}/vars`);
  const stored = vars === undefined ? [] : [...vars.children.entries()].filter(([, node]) => node.kind === 'dataset');
  const expected = saveable.variables;
  if (stored.length !== expected.length) {
    return (
      `Layer '${saveable.name}' expected ${expected.length} variables, but received ${stored.length} variables during loading. ` +
      `Expected: [${expected.map((v) => `'${weightName(v)}'`).join(', ')}]` + (vars === undefined ? ` (the file has no group '${path}/vars')` : '')
    );
  }
  for (const [i, variable] of expected.entries()) {
    const dataset = vars!.children.get(String(i));
    if (dataset === undefined || dataset.kind !== 'dataset') {
      return `Layer '${saveable.name}': the file has no dataset '${path}/vars/${i}' for weight '${weightName(variable)}'.`;
    }
    if (!tf.util.arraysEqual(dataset.shape, variable.shape)) {
      // Keras's `Variable.assign` check, without the variable's values.
      return (
        'The shape of the target variable and the shape of the target value in `variable.assign(value)` must match. ' +
        `variable.shape=${shapeText(variable.shape)}, Received: value.shape=${shapeText(dataset.shape)}. ` +
        `Target variable: <Variable path=${saveable.path}/${weightName(variable)}, shape=${shapeText(variable.shape)}, dtype=float32> ` +
        `(the file holds it at '${path}/vars/${i}')`
      );
    }
  }
  return undefined;
}

/**
 * Keras's `Optimizer.load_own_variables`: restores the state when the file holds as many
 * variables as the optimizer has, else warns and keeps a fresh state (an optimizer saved
 * before it was built has only its iteration count and learning rate).
 */
function loadOptimizer(model: SaveableModel, optimizer: Optimizer, vars: H5Group | undefined): void {
  const stored = vars === undefined ? [] : [...vars.children.values()].filter((node): node is H5Dataset => node.kind === 'dataset');
  const countOf = () => {
    const tensors = optimizer.variables;
    tensors.forEach((t) => t.dispose());
    return tensors.length;
  };
  // Keras's fit and compile_from_config build the optimizer before any state is restored;
  // keras-like builds it on its first step, so an optimizer not built yet is built here.
  if (!optimizer.built) optimizer.build([...model.trainable_weights]);
  const count = countOf();
  if (stored.length !== count) {
    console.warn(
      `UserWarning: Skipping variable loading for optimizer '${optimizer.name}', because it has ${count} variables whereas ` +
        `the saved optimizer has ${stored.length} variables.`,
    );
    return;
  }
  const ordered = Array.from({ length: count }, (_, i) => vars!.children.get(String(i)) as H5Dataset);
  optimizer.set_weights(ordered.map((dataset) => datasetValues(dataset)));
}
