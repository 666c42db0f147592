/**
 * A cell written by the user, run by `keras.layers.RNN(cell)` as Keras 3 runs one: any object with
 *
 *   state_size            a number, or one number per state
 *   output_size           optional; defaults to the first state's size
 *   call(inputs, states)  one step: returns [output, new_states]
 *   get_initial_state(batch_size)   optional; zeros otherwise
 *   build(input_shape)    optional; called once with the step input's shape [batch, features]
 *
 * (Keras's `MinimalRNNCell`). Weights come from `add_weight` of `AbstractRNNCell`, the base
 * class to extend (TF2 Keras's name; a Keras layer's `call(inputs, options)` cannot take `states`
 * in TypeScript's types), or from a `keras.layers.Layer` used as a cell. A list of cells is
 * `StackedRNNCells`: each step runs them in turn, each one's output the next one's input.
 *
 * The built-in cells (SimpleRNNCell, LSTMCell, GRUCell) have a hand-written backward through
 * time (rnn.ts); a user's cell has only its forward, so its gradients come from TensorFlow.js
 * autodiff: the backward runs the loop again under `tf.engine().gradients` (the brief's decision:
 * explicit backward for built-ins, autodiff for user-written cells). A cell that draws random
 * numbers (its own dropout) draws them again in that second run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { get as getInitializer, type InitializerIdentifier } from '../../initializers.js';
import { repr } from '../../options/repr.js';
import { uniqueName } from '../../backend/session.js';
import { getRegularizer, type RegularizerIdentifier } from '../../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../../constraints.js';
import { Layer, layerSchema, type Shape } from '../layer.js';
import { parseOptions, type KerasOptions } from '../../options/parse.js';
import { registeredNameOf } from '../../saving/object_registration.js';
import { RecurrentCell } from './recurrent_cell.js';

/** One step's result: the output and the new states (one tensor for a single state, as Keras accepts). */
export type CellCallResult = [tf.Tensor, tf.Tensor[] | tf.Tensor];

/** What `RNN(cell)` accepts as a user's cell (Keras 3's duck-typed cell). */
export interface RNNCellLike {
  readonly state_size: number | readonly number[];
  readonly output_size?: number;
  call(inputs: tf.Tensor, states: tf.Tensor[], options?: { training?: boolean }): CellCallResult;
  get_initial_state?(batch_size: number): tf.Tensor[] | tf.Tensor;
  build?(input_shape: Shape): void;
  readonly built?: boolean;
  readonly name?: string;
}

/** Options of `AbstractRNNCell.add_weight`: Keras's, with initializers, regularizers and constraints by name or object. */
export interface CellWeightOptions {
  name: string;
  shape: number[];
  initializer?: InitializerIdentifier;
  trainable?: boolean;
  regularizer?: RegularizerIdentifier;
  constraint?: ConstraintIdentifier;
}

/** Holds a user cell's weights, so that they follow the RNN layer's (weights, freezing, dispose). */
class CellWeightsLayer extends Layer {}

/**
 * The base of a user's cell (TF2 Keras's `AbstractRNNCell`): `add_weight` in `build`, the step in
 * `call(inputs, states)`.
 *
 *   class MinimalRNNCell extends keras.layers.AbstractRNNCell {
 *     constructor(readonly units: number) { super(); }
 *     get state_size() { return this.units; }
 *     build(input_shape) { this.kernel = this.add_weight({ name: 'kernel', shape: [input_shape[1], this.units] }); ... }
 *     call(inputs, states) { const output = tf.add(tf.matMul(inputs, this.kernel), ...); return [output, [output]]; }
 *   }
 */
export abstract class AbstractRNNCell implements RNNCellLike {
  readonly name: string;
  /** The layer that owns the weights `add_weight` makes (tracked by the RNN layer). */
  readonly _weights_layer: Layer;
  built = false;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? uniqueName(snakeCase(this.constructor.name));
    this._weights_layer = new CellWeightsLayer({ name: this.name, trainable: true, dtype: 'float32' }, this.name);
  }

  abstract get state_size(): number | readonly number[];
  abstract call(inputs: tf.Tensor, states: tf.Tensor[], options?: { training?: boolean }): CellCallResult;

  /** Creates the weights; called once with the step input's shape [batch, features]. */
  build(_input_shape: Shape): void {
    this.built = true;
  }

  /** Keras's `add_weight`: a variable owned by the cell (initializer 'glorot_uniform' unless given). */
  add_weight(options: CellWeightOptions): tf.Variable {
    const initializer = getInitializer(options.initializer ?? 'glorot_uniform');
    return this._weights_layer.add_weight({
      name: options.name,
      shape: options.shape,
      initializer: (shape) => initializer(shape),
      trainable: options.trainable ?? true,
      regularizer: getRegularizer(options.regularizer),
      constraint: getConstraint(options.constraint),
    });
  }

  get weights(): tf.Variable[] {
    return this._weights_layer.weights;
  }

  get trainable_weights(): tf.Variable[] {
    return this._weights_layer.trainable_weights;
  }
}

/** `StackedRNNCells`' keyword arguments: Keras's base layer ones (its config writes them back). */
const stackedSchema = layerSchema.pick({ name: true, trainable: true, dtype: true });

/** Keyword arguments of `StackedRNNCells(cells, options)`. */
export type StackedRNNCellsOptions = KerasOptions<typeof stackedSchema>;

/**
 * Keras's `StackedRNNCells(cells)`: several cells as one; each step runs them in order, the
 * output of one the input of the next. The states are every cell's, in order, flattened.
 * `RNN([cellA, cellB])` makes one. Saved as Keras 3 saves it: the config
 * `{ name, trainable, dtype, cells: [each cell serialized] }` (layers/serialization.ts reads it
 * back) and each cell's weights under `cells/<cell class>` in the weights file (saving/weights_store.ts).
 */
export class StackedRNNCells implements RNNCellLike {
  static readonly class_name = 'StackedRNNCells';
  readonly name: string;
  readonly trainable: boolean;
  readonly cells: ReadonlyArray<RNNCellLike | RecurrentCell>;
  built = false;
  /** The step input's shape the stack was built with (Keras's `build_config`). */
  private builtShape: Shape | undefined;

  /**
   * @param cells the cells, run in this order at each step (built-in or your own).
   * @param options.name the stack's name (Keras's `stacked_rnn_cells`, `stacked_rnn_cells_1`...).
   */
  constructor(cells: ReadonlyArray<RNNCellLike | RecurrentCell>, options?: StackedRNNCellsOptions) {
    if (!Array.isArray(cells) || cells.length === 0) {
      throw new ValueError(`StackedRNNCells: \`cells\` must be a non-empty list of RNN cells. Received: cells=${repr(cells)}`);
    }
    const args = parseOptions('StackedRNNCells', stackedSchema, options);
    this.cells = cells.map((c) => (c instanceof RecurrentCell ? c : checkCell(c)));
    this.name = args.name ?? uniqueName('stacked_rnn_cells');
    this.trainable = args.trainable;
  }

  get state_size(): number[] {
    return this.cells.flatMap((c) => stateSizes(c));
  }

  get output_size(): number {
    return outputSize(this.cells.at(-1)!);
  }

  build(input_shape: Shape): void {
    this.builtShape = [...input_shape];
    let shape = input_shape;
    for (const cell of this.cells) {
      buildCell(cell, shape);
      shape = [shape[0] ?? null, outputSize(cell)];
    }
    this.built = true;
  }

  call(inputs: tf.Tensor, states: tf.Tensor[], options: { training?: boolean } = {}): CellCallResult {
    let x = inputs;
    let offset = 0;
    const next: tf.Tensor[] = [];
    for (const cell of this.cells) {
      const count = stateSizes(cell).length;
      const [output, newStates] = stepCell(cell, x, states.slice(offset, offset + count), options.training ?? false);
      next.push(...newStates);
      offset += count;
      x = output;
    }
    return [x, next];
  }

  get_initial_state(batch_size: number): tf.Tensor[] {
    return this.cells.flatMap((c) => initialState(c, batch_size));
  }

  /** Keras's config: the base layer's keys and `cells`, each cell serialized (`serialize_keras_object`). */
  get_config(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, dtype: FLOAT32_POLICY, cells: this.cells.map(serializeCell) };
  }

  /** The shape `build` received, as Keras's `build_config` records it; undefined before. */
  get build_input_shape(): Shape | undefined {
    return this.builtShape;
  }
}

const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/**
 * A cell as Keras's `serialize_keras_object` writes it inside `RNN`'s or `StackedRNNCells`'
 * config: a built-in cell or the stack under `keras.layers`, with its `build_config` once built
 * (as Keras writes it); a user's cell by its class name and, if it has one, its get_config.
 */
export function serializeCell(cell: RNNCellLike | RecurrentCell): Record<string, unknown> {
  if (cell instanceof RecurrentCell || cell instanceof StackedRNNCells) {
    const config = cell instanceof RecurrentCell ? { ...cell.get_config(), dtype: FLOAT32_POLICY } : cell.get_config();
    const serialized: Record<string, unknown> = { module: 'keras.layers', class_name: cell instanceof RecurrentCell ? cell.className : StackedRNNCells.class_name, config, registered_name: null };
    const shape = cell.build_input_shape;
    if (cell.built && shape !== undefined) serialized.build_config = { input_shape: [...shape] };
    return serialized;
  }
  const user = cell as RNNCellLike & { get_config?(): Record<string, unknown> };
  const className = user.constructor.name === 'Object' ? 'RNNCell' : user.constructor.name;
  return { module: null, class_name: className, config: user.get_config?.() ?? {}, registered_name: registeredNameOf(user.constructor, className) };
}

/**
 * What the RNN layer holds for a user's cell: a layer (so the cell's weights are tracked) that
 * gives the loop the same view of the cell as a built-in one (`state_size` as a list,
 * `output_size`, `get_initial_state`) and runs a step.
 */
export class UserCell extends Layer {
  readonly cell: RNNCellLike;

  constructor(cell: RNNCellLike) {
    // The cell's own name, as is (a default name would be made unique: `stacked_rnn_cells_1` in Keras's variable paths).
    super({ trainable: true, dtype: 'float32', ...(cell.name === undefined ? {} : { name: cell.name }) }, 'rnn_cell');
    this.cell = cell;
    for (const layer of weightLayers(cell)) this.track(layer);
  }

  get state_size(): number[] {
    return stateSizes(this.cell);
  }

  get output_size(): number {
    return outputSize(this.cell);
  }

  override build(inputShape: Shape): void {
    buildCell(this.cell, inputShape);
    super.build(inputShape);
  }

  get_initial_state(batch_size: number): tf.Tensor[] {
    return initialState(this.cell, batch_size);
  }

  /** One step of the user's cell: [output, new states]. */
  step(inputs: tf.Tensor, states: tf.Tensor[], training: boolean): [tf.Tensor, tf.Tensor[]] {
    return stepCell(this.cell, inputs, states, training);
  }
}

/** The loop's arguments the user path needs (an RNN layer's). */
export interface LoopOptions {
  readonly return_sequences: boolean;
  readonly go_backwards: boolean;
  readonly zero_output_for_mask: boolean;
}

/**
 * Keras's `backend.rnn` over a user's cell: t = 1 … T (T … 1 with go_backwards); where the mask is
 * 0 the states stay and the output is the previous output (zeros with zero_output_for_mask).
 * Returns every step's output (or the last) and the final states.
 */
export function runUserCell(cell: UserCell, o: LoopOptions, inputs: tf.Tensor, initial: tf.Tensor[], stepMasks: tf.Tensor[] | null, training: boolean): { output: tf.Tensor; states: tf.Tensor[] } {
  const steps = inputs.shape[1]!;
  // A reversed copy: reversing unstack's own list in place would reorder what its gradient reads.
  const unstacked = tf.unstack(inputs, 1);
  const timeMajor = o.go_backwards ? [...unstacked].reverse() : unstacked;
  let states = initial;
  let previous: tf.Tensor | null = null;
  const outputs: tf.Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const [stepOutput, next] = cell.step(timeMajor[t]!, states, training);
    const m = stepMasks?.[t];
    let output = stepOutput;
    if (m !== undefined) {
      // A masked step keeps the states, and outputs the previous output (or zeros).
      states = next.map((s, j) => tf.add(states[j]!, tf.mul(m, tf.sub(s, states[j]!))));
      const kept = o.zero_output_for_mask || previous === null ? tf.zerosLike(stepOutput) : previous;
      output = tf.add(kept, tf.mul(m, tf.sub(stepOutput, kept)));
    } else {
      states = next;
    }
    previous = output;
    if (o.return_sequences) outputs.push(output);
  }
  return { output: o.return_sequences ? tf.stack(outputs, 1) : previous!, states };
}

/** Keras's checks of a cell given to RNN: a `call` method and a `state_size`. */
export function checkCell(cell: unknown): RNNCellLike {
  const given = cell as Partial<RNNCellLike> | null;
  if (given === null || typeof given !== 'object' || typeof given.call !== 'function') {
    throw new ValueError(`Argument \`cell\` should have a \`call\` method. Received: cell=${repr(cell)}`);
  }
  const size = given.state_size;
  const valid = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (!(valid(size) || (Array.isArray(size) && size.length > 0 && size.every(valid)))) {
    throw new ValueError(
      'The RNN cell should have a `state_size` attribute (single integer or list of integers, one integer per RNN state). ' +
        `Received: cell=${repr(cell)}`,
    );
  }
  return given as RNNCellLike;
}

function stateSizes(cell: RNNCellLike | RecurrentCell): number[] {
  const size = cell.state_size;
  return typeof size === 'number' ? [size] : [...size];
}

function outputSize(cell: RNNCellLike | RecurrentCell): number {
  return cell.output_size ?? stateSizes(cell)[0]!;
}

function buildCell(cell: RNNCellLike | RecurrentCell, shape: Shape): void {
  if (cell.built === true) return;
  if (cell instanceof RecurrentCell) cell.build(shape);
  else cell.build?.(shape);
}

function initialState(cell: RNNCellLike | RecurrentCell, batch: number): tf.Tensor[] {
  if (cell instanceof RecurrentCell || typeof cell.get_initial_state !== 'function') {
    return stateSizes(cell).map((size) => tf.zeros([batch, size]));
  }
  const state = cell.get_initial_state(batch);
  return Array.isArray(state) ? state : [state];
}

function stepCell(cell: RNNCellLike | RecurrentCell, inputs: tf.Tensor, states: tf.Tensor[], training: boolean): [tf.Tensor, tf.Tensor[]] {
  if (cell instanceof RecurrentCell) return cell.step(inputs, states);
  const [output, next] = cell.call(inputs, states, { training });
  return [output, Array.isArray(next) ? next : [next]];
}

/** A cell's weights, in Keras's order (a stack: each cell's in turn). */
export function cellWeights(cell: RNNCellLike | RecurrentCell): tf.Variable[] {
  return weightLayers(cell).flatMap((layer) => layer.weights);
}

/** The layers holding a cell's weights: an AbstractRNNCell's, a Layer used as a cell, a stack's cells'. */
function weightLayers(cell: RNNCellLike | RecurrentCell): Layer[] {
  if (cell instanceof AbstractRNNCell) return [cell._weights_layer];
  if (cell instanceof Layer) return [cell as unknown as Layer];
  if (cell instanceof StackedRNNCells) return cell.cells.flatMap(weightLayers);
  return [];
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase() || 'rnn_cell';
}

/** What the user path's forward keeps: the loop is run again, under autodiff, in the backward. */
export interface UserCellSaved {
  readonly initial: tf.Tensor[];
  readonly stepMasks: tf.Tensor[] | null;
  readonly training: boolean;
}

/**
 * The user path's backward: ∂C/∂x and ∂C/∂w by TensorFlow.js autodiff of
 * C = Σ_k ⟨output_k, ∂C/∂output_k⟩ over the loop run again from the same initial states and masks.
 */
export function userCellBackward(
  cell: UserCell,
  o: LoopOptions & { readonly return_state: boolean },
  weights: tf.Variable[],
  dOutputs: tf.Tensor | tf.Tensor[],
  inputs: tf.Tensor,
  saved: UserCellSaved,
  needInputGradient: boolean,
  withStates = false,
): { inputGradient: tf.Tensor | tf.Tensor[] | null; weightGradients: tf.Tensor[] } {
  // With a given `initial_state`, ∂C/∂states(0) too: [∂C/∂x, ...∂C/∂states(0)].
  const inputsWrt = withStates ? [inputs, ...saved.initial] : [inputs];
  const wrt = needInputGradient ? [...inputsWrt, ...weights] : weights;
  if (wrt.length === 0) return { inputGradient: null, weightGradients: [] };
  const d = Array.isArray(dOutputs) ? dOutputs : [dOutputs];
  const { grads } = tf.engine().gradients(
    () => {
      const { output, states } = runUserCell(cell, o, inputs, saved.initial, saved.stepMasks, saved.training);
      const outputs = o.return_state ? [output, ...states] : [output];
      return tf.addN(outputs.map((t, k) => tf.sum(tf.mul(t, d[k]!))));
    },
    wrt,
    undefined,
    true,
  );
  const filled = grads.map((g, i) => g ?? tf.zerosLike(wrt[i]!));
  if (!needInputGradient) return { inputGradient: null, weightGradients: filled };
  const n = inputsWrt.length;
  return { inputGradient: withStates ? filled.slice(0, n) : filled[0]!, weightGradients: filled.slice(n) };
}
