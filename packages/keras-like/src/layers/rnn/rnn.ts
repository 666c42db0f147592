/**
 * `keras.layers.RNN(cell, {return_sequences, return_state, go_backwards, stateful, unroll, ...})`:
 * runs a recurrent cell over the time axis of [batch, timesteps, features] inputs. `LSTM`,
 * `GRU` and `SimpleRNN` are this loop with their cell.
 *
 * Forward ("unrolling" the network in time, as the S16 notebook draws it):
 *
 *   states(0) = zeros (or, when `stateful`, the last states of the previous batch)
 *   for t = 1 … T:  states(t) = cell(x(t), states(t−1));   output(t) = h(t) = states(t)[0]
 *
 * The result is h(T), or every h(t) when `return_sequences`. `layer.apply(x, { initial_state: [h, c] })`
 * starts from the given states instead of zeros (the encoder-decoder pattern: a decoder LSTM
 * starts from the encoder's final states). `go_backwards` runs t = T … 1
 * and returns the outputs in that (reversed) order. A mask (from `Embedding(mask_zero)` or
 * `Masking`) skips a sample's step: where m(t) = 0, states(t) = states(t−1).
 *
 * Backward: back-propagation through time (BPTT). The cost reaches h(t) from the output at t
 * (when it is returned) and from step t+1 through the state, so walking t = T … 1:
 *
 *   ∂C/∂states(t)  = [∂C/∂output(t), 0…] + ∂C/∂states(t) carried from step t+1
 *   cell backward:  δ(t), ∂C/∂states(t−1)                    (the cell's equations)
 *
 * then the weights' gradients are the sums over t of each step's (the cell's `weightGradients`),
 * and ∂C/∂x(t) = δ(t) · kernelᵀ. A masked step passes ∂C/∂states(t) straight to t−1. What the
 * walk carries past t = 1 is ∂C/∂states(0): the gradient of a given `initial_state`, which the
 * model passes on to the layer that made it (the encoder of a seq2seq model trains through it).
 * docs/backprop.md walks through it.
 *
 * keras-like always runs the loop step by step in JavaScript, so `unroll` is accepted and
 * changes nothing: the outputs are the same in Keras either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { isPlainObject, parseArgs, parseOptions, type KerasOptions } from '../../options/parse.js';
import { getRegularizer, type RegularizerIdentifier } from '../../regularizers.js';
import { callable } from '../../utils/callable.js';
import { toTensor, type TensorLike } from '../../utils/data.js';
import { isKerasTensor, isSymbolic, type KerasTensor, type KerasTensorTree } from '../keras_tensor.js';
import {
  assertOneInput,
  isShapeList,
  Layer,
  layerSchema,
  shapeText,
  type CallOptions,
  type ForwardPass,
  type Gradients,
  type LayerInputs,
  type Masks,
  type Shape,
  type SymbolicOf,
  type Tensors,
} from '../layer.js';
import { configOf, RecurrentCell, type CellStepGradients, type Sequence } from './recurrent_cell.js';
import { eagerNesting, flattenStates, nestStates, stackedCells, symbolicNesting, type Nested, type StateNesting } from './stacked_states.js';
import { splitRows } from './time_steps.js';
import { checkCell, runUserCell, serializeCell, StackedRNNCells, UserCell, userCellBackward, type RNNCellLike, type UserCellSaved } from './user_cell.js';

export const rnnSchema = layerSchema.extend({
  return_sequences: z.boolean().default(false),
  return_state: z.boolean().default(false),
  go_backwards: z.boolean().default(false),
  stateful: z.boolean().default(false),
  unroll: z.boolean().default(false),
  zero_output_for_mask: z.boolean().default(false),
  activity_regularizer: z.custom<RegularizerIdentifier>((v) => v !== undefined).nullish(),
});

/** `RNN`'s own call: the loop's arguments and the cell. */
const rnnCallSchema = rnnSchema.extend({
  // A built-in cell, a user's cell (user_cell.ts: checked as Keras checks it) or a list of cells.
  cell: z.custom<RecurrentCell | RNNCellLike | Array<RecurrentCell | RNNCellLike>>((v) => (typeof v === 'object' || typeof v === 'function') && v !== null, {
    error: 'must be a recurrent cell such as LSTMCell(units), GRUCell(units) or SimpleRNNCell(units), a cell of your own (with `call(inputs, states)` and `state_size`) or a list of cells',
  }),
});

/** Keyword arguments of `RNN` (and the loop arguments of `LSTM`, `GRU`, `SimpleRNN`). */
export type RNNOptions = KerasOptions<typeof rnnSchema>;

/** The loop's own arguments, as the subclasses pass them on. */
export type RNNArgs = z.output<typeof rnnSchema>;

/** What `RNN` takes as its cell: a built-in cell, a user's cell, or a list of cells (stacked). */
export type RNNCellArgument = RecurrentCell | RNNCellLike | Array<RecurrentCell | RNNCellLike>;

/**
 * What a recurrent layer's call takes besides `training` and `mask`: Keras's `initial_state`,
 * one tensor per state of the cell (LSTM: [h, c]; GRU, SimpleRNN: h, or [h]), each
 * [batch, state size]; for stacked cells one entry per cell ([[h₁, c₁], [h₂]] or [[h₁, c₁], h₂])
 * or all of them flat. KerasTensors in a functional model, data in an eager call.
 */
export interface RNNCallOptions extends CallOptions {
  initial_state?: KerasTensor | Array<KerasTensor | KerasTensor[]> | TensorLike | Array<TensorLike | TensorLike[]> | null;
}

export const rnnCallOptionsSchema = z.object({
  training: z.boolean().optional(),
  mask: z.custom<Masks>((v) => v === null || v instanceof tf.Tensor || Array.isArray(v), { error: 'must be a boolean tensor, a list of them, or null' }).optional(),
  initial_state: z
    .custom<NonNullable<RNNCallOptions['initial_state']>>((v) => v !== undefined, {
      error: 'must be a tensor or a list of tensors, one per state of the cell (an LSTM takes [h, c])',
    })
    .nullish(),
});

/** What the forward keeps for back-propagation through time (a user's cell: what autodiff reruns). */
type RNNSaved = BuiltInSaved | { readonly user: UserCellSaved };

interface BuiltInSaved {
  /** What the steps shared: every step's inputs (after input dropout), the masks, U per gate. */
  readonly sequence: Sequence;
  readonly tapes: unknown[];
  /** Each step's mask m(t) [batch, 1] (1 = the step counts), or null without a mask. */
  readonly stepMasks: tf.Tensor[] | null;
}

/**
 * A recurrent layer is called with `initial_state` too: `lstm(x, { initial_state: [h, c] })`.
 * Stacked cells with `return_state` give each cell's states as a list (stacked_states.ts), so
 * the result is typed `Nested`: `const [out, [h1, c1], h2] = rnn(x) as [KerasTensor, KerasTensor[], KerasTensor]`.
 */
export interface RNNLayer {
  (inputs: KerasTensor | readonly KerasTensor[], options?: RNNCallOptions): Nested<KerasTensor>;
  (inputs: LayerInputs, options?: RNNCallOptions): Nested<tf.Tensor>;
}

/**
 * The layer takes the sequence [batch, T, features], or, when called with `initial_state`, the
 * list [sequence, ...initial states] (Keras 2's way of passing them; `apply` makes the list, and
 * the graph's node records the call as Keras 3 does: `args: [x], kwargs: { initial_state }`).
 */
export class RNNLayer extends Layer<Tensors, Tensors> {
  static readonly class_name: string = 'RNN';
  /** The prefix of generated names: `rnn`, `lstm_1`... */
  static readonly default_name: string = 'rnn';
  /** A built-in cell, or the holder of a user's cell (`cell.cell` is the user's object). */
  readonly cell: RecurrentCell | UserCell;
  readonly return_sequences: boolean;
  readonly return_state: boolean;
  readonly go_backwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Settable, as in Keras: Bidirectional sets it to `return_sequences` on both directions. */
  zero_output_for_mask: boolean;
  /** When `stateful`: the last states of the previous batch (Keras's `layer.states`), not weights. */
  states: tf.Variable[] | null = null;

  /**
   * @param cell the cell run at each step: `LSTMCell(20)`, `GRUCell(8)`, `SimpleRNNCell(4)`.
   * @param options.return_sequences return every step's output [batch, T, units] instead of the
   *   last one [batch, units]. Defaults to `false`.
   * @param options.return_state also return the final states (Keras's `return_state`).
   * @param options.go_backwards process the sequence from its end and return the outputs in
   *   that order. Defaults to `false`.
   * @param options.stateful start each batch from the previous batch's final states (sample i
   *   continues sample i); `reset_states()` sets them back to zeros. Defaults to `false`.
   * @param options.unroll accepted (keras-like always loops step by step; the result is the same).
   * @param options.zero_output_for_mask a masked step outputs zeros instead of the previous output.
   */
  constructor(cell: RNNCellArgument | (RNNOptions & { cell: RNNCellArgument }), options?: RNNOptions) {
    // `cell` is positional or a keyword (Python's `RNN(cell=LSTMCell(4), return_sequences=True)`).
    // A plain-object cell ({ state_size, call }) alone is the cell, not the keyword arguments.
    const cellAlone = isPlainObject(cell) && typeof (cell as { call?: unknown }).call === 'function' && options === undefined;
    const { cell: given, ...args } = parseArgs('RNN', rnnCallSchema, ['cell'], cellAlone ? [cell, {}] : [cell, options]);
    super(args, (new.target as typeof RNNLayer).default_name);
    // The weights are the cell's: `lstm.weights` is [kernel, recurrent_kernel, bias], as in Keras.
    this.cell = this.track(given instanceof RecurrentCell ? given : new UserCell(Array.isArray(given) ? new StackedRNNCells(given) : checkCell(given)));
    // Keras 3's RNN reads the mask it is given but does not pass one on (its supports_masking is
    // False): a layer after it, even after return_sequences=True, sees no mask.
    this.supports_masking = false;
    this.initLoop(args);
    this.return_sequences = args.return_sequences;
    this.return_state = args.return_state;
    this.go_backwards = args.go_backwards;
    this.stateful = args.stateful;
    this.unroll = args.unroll;
    this.zero_output_for_mask = args.zero_output_for_mask;
  }

  /** Shared by the subclasses' constructors: what every RNN layer does with its arguments. */
  protected initLoop(args: RNNArgs): void {
    this.activity_regularizer = getRegularizer(args.activity_regularizer);
  }

  /**
   * Keras's `layer(x)`, plus its `initial_state`: `lstm(x, { initial_state: [h, c] })`. The layer
   * receives the list [x, ...states]; on KerasTensors the node records `initial_state` as a
   * keyword, as Keras 3 writes it in the model's config.
   */
  override apply(inputs: KerasTensor | readonly KerasTensor[], options?: RNNCallOptions): SymbolicOf<Tensors>;
  override apply(inputs: LayerInputs, options?: RNNCallOptions): Tensors;
  override apply(inputs: LayerInputs | KerasTensor | readonly KerasTensor[], options: RNNCallOptions = {}): Tensors | SymbolicOf<Tensors> {
    const { initial_state: given, ...callOptions } = parseOptions(this.className, rnnCallOptionsSchema, options);
    // Stacked cells' states come back nested per cell (stacked_states.ts); the layer's own call
    // and the engine keep them flat. The nested value is given the flat type `apply` inherits
    // (TypeScript's override rule); `layer(x)` is typed `Nested`.
    const cells = stackedCells(this.cell);
    const nest = <R extends Tensors | SymbolicOf<Tensors>>(result: R, nesting: StateNesting) => (this.return_state && cells !== null ? nestStates<unknown>(result, nesting) : result) as R;
    // Keras 3 takes the sequence alone; a list [x, h, c] (Keras 2's way) is refused by the shape check.
    if (given === null || given === undefined) {
      const symbolic = isSymbolic(inputs);
      return nest(super.apply(inputs as LayerInputs, callOptions), cells === null ? null : symbolic ? symbolicNesting(cells) : eagerNesting(cells));
    }
    const { flat: states, nesting } = flattenStates(given, cells);
    if (isKerasTensor(inputs)) {
      if (!states.every(isKerasTensor)) {
        throw new ValueError(`Layer "${this.name}" was called on a KerasTensor with an \`initial_state\` that is not made of KerasTensors; pass the states of the same model (such as an encoder LSTM's return_state outputs).`);
      }
      const stateTensors = states as KerasTensor[]; // the node keeps `initial_state` nested as given, as Keras writes it
      const outputs = this.applySymbolic([inputs, ...stateTensors], { args: inputs, kwargs: { initial_state: Array.isArray(given) ? (given as KerasTensorTree) : stateTensors[0]! } });
      // A symbolic call nests by the cells' state_size, however the states were given (as Keras's compute_output_shape).
      return nest(outputs, cells === null ? null : symbolicNesting(cells));
    }
    if (isSymbolic(inputs) || states.some(isKerasTensor)) {
      throw new ValueError(`Layer "${this.name}" was called with \`initial_state\` on a mix of KerasTensors (from keras.Input) and data, or on a list of inputs; pass one sequence and its states, of one kind.`);
    }
    const sequence = toTensor(inputs as TensorLike, `layer "${this.name}"`);
    const converted = states.map((s, j) => toTensor(s as TensorLike, `initial_state[${j}] of layer "${this.name}"`));
    try {
      // An eager call gives the states back in the structure they were given in.
      return nest(super.apply([sequence, ...converted], callOptions), nesting);
    } finally {
      if (sequence !== inputs) sequence.dispose();
      converted.forEach((t, j) => t !== states[j] && t.dispose());
    }
  }

  /** Keras's `build(sequences_shape, initial_state_shape)`: the cell is built for one step of the sequence. */
  override build(inputShape: Shape | Shape[]): void {
    const sequenceShape = this.sequenceShape(inputShape);
    if (!this.cell.built) this.cell.build([sequenceShape[0] ?? null, ...sequenceShape.slice(2)]);
    super.build(sequenceShape);
  }

  /** The sequence's shape the layer was built for (never the states'). */
  override get build_input_shape(): Shape | undefined {
    return super.build_input_shape as Shape | undefined;
  }

  override ensureBuilt(inputShape: readonly number[] | readonly number[][] | Shape | Shape[]): void {
    super.ensureBuilt(this.sequenceShape(inputShape as Shape | Shape[]));
  }

  override assertInputCompatible(inputShape: readonly number[] | readonly number[][] | Shape | Shape[]): void {
    super.assertInputCompatible(this.sequenceShape(inputShape as Shape | Shape[]));
  }

  override call(inputs: Tensors, options: CallOptions = {}): Tensors {
    return tf.tidy(() => this.forward(inputs, options.training ?? false, options.mask ?? null).outputs);
  }

  /** The loop forward, keeping every step's tape for back-propagation through time. */
  override forward(given: Tensors, training: boolean, masks: Masks = null): ForwardPass<RNNSaved, Tensors, Tensors> {
    const mask = Array.isArray(masks) ? (masks[0] ?? null) : masks;
    // [x, ...initial states] when the call gave `initial_state`.
    const inputs = Array.isArray(given) ? given[0]! : given;
    this.sequenceShape(Array.isArray(given) ? given.map((t) => t.shape) : given.shape);
    const [batch, steps, features] = inputs.shape as [number, number, number];
    const initial = Array.isArray(given) ? given.slice(1) : this.initialStates(batch);
    if (this.cell instanceof UserCell) {
      // A user's cell: its own call per step; the backward is autodiff (user_cell.ts).
      const user: UserCellSaved = { initial, stepMasks: mask === null ? null : this.stepMasks(mask, batch, steps), training };
      const { output, states } = runUserCell(this.cell, this, inputs, user.initial, user.stepMasks, training);
      if (this.stateful) this.states!.forEach((v, j) => v.assign(states[j]!));
      return { inputs: given, outputs: this.return_state ? [output, ...states] : output, saved: { user } };
    }
    const cell = this.cell;
    // Time-major, so that step t is the rows t·batch … (t+1)·batch − 1.
    let timeMajor = tf.transpose(inputs, [1, 0, 2]);
    if (this.go_backwards) timeMajor = tf.reverse(timeMajor, 0);
    // The dropout masks, and x̃(t) · W + b for every t at once; the loop adds h(t−1) · U.
    const sequence = cell.startSequence(tf.reshape(timeMajor, [steps * batch, features]), steps, training);
    const stepMasks = mask === null ? null : this.stepMasks(mask, batch, steps);

    let states = initial;
    const tapes: unknown[] = [];
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const step = cell.stepForward(sequence.inputs[t]!, states, sequence);
      tapes.push(step.tape);
      const m = stepMasks?.[t];
      // A masked step keeps the previous states: s(t) = s(t−1) + m ⊙ (s_new − s(t−1)).
      states = m === undefined ? step.states : step.states.map((s, j) => tf.add(states[j]!, tf.mul(m, tf.sub(s, states[j]!))));
      if (this.return_sequences || t === steps - 1) {
        outputs.push(m !== undefined && this.zero_output_for_mask ? tf.mul(m, states[0]!) : states[0]!);
      }
    }
    if (this.stateful) this.states!.forEach((v, j) => v.assign(states[j]!));
    const output = this.return_sequences ? tf.transpose(tf.stack(outputs, 0), [1, 0, 2]) : outputs[0]!;
    // return_state: [output, h(T), c(T)] as Keras returns them.
    return { inputs: given, outputs: this.return_state ? [output, ...states] : output, saved: { sequence, tapes, stepMasks } };
  }

  /** Back-propagation through time: the steps' backwards from t = T to 1, then the sums over time. */
  override backward(dOutputList: Tensors, pass: ForwardPass<RNNSaved, Tensors, Tensors>, needInputGradient: boolean): Gradients<Tensors> {
    const saved = pass.saved!;
    // Called with `initial_state`: the inputs were [x, ...states], and so are their gradients.
    const withStates = Array.isArray(pass.inputs);
    const sequenceInput = Array.isArray(pass.inputs) ? pass.inputs[0]! : pass.inputs;
    if (this.cell instanceof UserCell || 'user' in saved) {
      const user = (saved as { user: UserCellSaved }).user;
      return userCellBackward(this.cell as UserCell, this, this.trainable_weights, dOutputList, sequenceInput, user, needInputGradient, withStates);
    }
    const { sequence, stepMasks } = saved;
    const cell = this.cell;
    // What the steps' backwards share, computed for all steps at once (the activations' derivatives).
    const tapes = cell.startBackward(saved.tapes);
    const steps = tapes.length;
    const batch = sequence.rows.shape[0]! / steps;
    // With return_state, the final states' own gradients start the walk back.
    const [dOutputs, ...dFinalStates] = Array.isArray(dOutputList) ? dOutputList : [dOutputList];
    const dOutputSteps = this.return_sequences ? splitRows(tf.reshape(tf.transpose(dOutputs!, [1, 0, 2]), [steps * batch, -1]), steps) : null;
    let dStates: Array<tf.Tensor | null> = cell.state_size.map((_, j) => dFinalStates[j] ?? null);
    const stepGradients: CellStepGradients[] = new Array<CellStepGradients>(steps);
    for (let t = steps - 1; t >= 0; t--) {
      const m = stepMasks?.[t];
      // ∂C/∂h(t): from the output at t (when returned) plus what step t+1 carried back.
      let dOut = dOutputSteps === null ? (t === steps - 1 ? dOutputs! : null) : dOutputSteps[t]!;
      if (dOut !== null && m !== undefined && this.zero_output_for_mask) dOut = tf.mul(dOut, m);
      const dNow = dStates.map((d, j) => (j === 0 ? plus(d, dOut) : d));
      const dCell = dNow.map((d, j) => d ?? tf.zeros([batch, cell.state_size[j]!]));
      // A masked step: the cell's part is m ⊙ ∂C/∂s(t), the rest goes straight to s(t−1).
      const gradients = cell.stepBackward(m === undefined ? dCell : dCell.map((d) => tf.mul(d, m)), tapes[t]!, sequence);
      stepGradients[t] = gradients;
      dStates = m === undefined ? gradients.dStates : gradients.dStates.map((d, j) => tf.add(d, tf.sub(dCell[j]!, tf.mul(dCell[j]!, m))));
    }
    const dProjected = tf.concat(stepGradients.map((g) => g.dProjected), 0);
    const weightGradients = this.trainable ? cell.weightGradients(sequence, dProjected, tapes, stepGradients) : [];
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    const features = sequenceInput.shape[2]!;
    let dTimeMajor = tf.reshape(cell.inputGradient(sequence, dProjected), [steps, batch, features]);
    if (this.go_backwards) dTimeMajor = tf.reverse(dTimeMajor, 0);
    const dSequence = tf.transpose(dTimeMajor, [1, 0, 2]);
    if (!withStates) return { inputGradient: dSequence, weightGradients };
    // ∂C/∂states(0), carried back past the first step: the given initial states' gradients.
    return { inputGradient: [dSequence, ...dStates.map((d, j) => d ?? tf.zeros([batch, cell.state_size[j]!]))], weightGradients };
  }

  /**
   * Keras's `compute_mask`: the input mask when `return_sequences` (else none), and none for
   * the states. Unused by the engine, as in Keras 3, because `supports_masking` is false.
   */
  override compute_mask(_inputs: tf.Tensor, mask: Masks): Masks {
    const output = this.return_sequences ? (Array.isArray(mask) ? (mask[0] ?? null) : mask) : null;
    return this.return_state ? [output, ...this.cell.state_size.map(() => null)] : output;
  }

  /** Keras's `reset_states()`: the stateful layer's states back to zeros. */
  reset_states(): void {
    for (const v of this.states ?? []) v.assign(tf.zerosLike(v));
  }

  /** Keras 3's spelling of `reset_states`. */
  reset_state(): void {
    this.reset_states();
  }

  override compute_output_shape(shapes: Shape | Shape[]): Shape | Shape[] {
    const inputShape = this.sequenceShape(shapes);
    const batch = inputShape[0] ?? null;
    const units = this.cell.output_size;
    const output: Shape = this.return_sequences ? [batch, inputShape[1] ?? null, units] : [batch, units];
    return this.return_state ? [output, ...this.cell.state_size.map((size): Shape => [batch, size])] : output;
  }

  override get_config(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.get_config(),
      return_sequences: this.return_sequences,
      return_state: this.return_state,
      go_backwards: this.go_backwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zero_output_for_mask,
      activity_regularizer: configOf(this.activity_regularizer),
    };
    // RNN(cell) writes its cell, serialized (layers/serialization.ts reads it back); LSTM, GRU and
    // SimpleRNN write their cell's arguments instead (Keras deletes "cell" from their base config).
    if (this.constructor === RNNLayer) {
      if (this.activity_regularizer === null) delete config.activity_regularizer;
      config.cell = serializeCell(this.cell instanceof UserCell ? this.cell.cell : this.cell);
    }
    return config;
  }

  override dispose(): void {
    for (const v of this.states ?? []) v.dispose();
    this.states = null;
    super.dispose();
  }

  /** zeros, or the stateful layer's last states (copied: the variables change after this batch). */
  private initialStates(batch: number): tf.Tensor[] {
    if (!this.stateful) return this.cell.get_initial_state(batch);
    if (this.states === null) {
      this.states = this.cell.get_initial_state(batch).map((s) => tf.variable(s, false));
    }
    const expected = this.states[0]!.shape[0]!;
    if (batch !== expected) {
      throw new ValueError(
        'If an RNN is stateful, the batch size of the input sequences must be the same as the batch size of the initial state. \n' +
          `- Expected batch size: ${expected}\n- Received batch size: ${batch}`,
      );
    }
    return this.states.map((v) => tf.clone(v));
  }

  /**
   * The sequence's shape, from the shape the layer received: the sequence's own, or, called with
   * `initial_state`, the first of [sequence, ...states], after checking one state per entry of the
   * cell's `state_size`, each [batch, size].
   */
  private sequenceShape(given: Shape | Shape[] | readonly number[] | readonly number[][]): Shape {
    if (!isShapeList(given as Shape | Shape[])) {
      assertSequence(this, given as Shape);
      return given as Shape;
    }
    const [sequence, ...states] = given as Shape[];
    assertSequence(this, sequence!);
    const sizes = this.cell.state_size;
    if (states.length !== sizes.length) {
      throw new ValueError(
        `Layer "${this.name}" expects ${sizes.length} initial state tensor(s) (the cell's state_size is [${sizes.join(', ')}]), ` +
          `but it received ${states.length}: ${states.map((s) => shapeText(s)).join(', ')}`,
      );
    }
    states.forEach((shape, j) => {
      const batch = sequence![0] ?? null;
      const fits = shape.length === 2 && shape[1] === sizes[j] && (batch === null || shape[0] === null || shape[0] === batch);
      if (!fits) {
        throw new ValueError(
          `Layer "${this.name}": initial_state[${j}] must have shape (${batch === null ? 'None' : batch}, ${sizes[j]}) ` +
            `(the batch size and the cell's state size). Received: shape=${shapeText(shape)}`,
        );
      }
    });
    return sequence!;
  }

  private stepMasks(mask: tf.Tensor, batch: number, steps: number): tf.Tensor[] {
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ValueError(`Layer "${this.name}": the mask must have shape (${batch}, ${steps}), one entry per sample and timestep. Received: mask.shape=${shapeText(mask.shape)}`);
    }
    let timeMajor = tf.transpose(tf.cast(mask, 'float32'));
    if (this.go_backwards) timeMajor = tf.reverse(timeMajor, 0);
    return splitRows(tf.reshape(timeMajor, [steps * batch, 1]), steps);
  }
}

/**
 * Splits a recurrent layer's parsed arguments into the cell's (every key of `cellSchema` but the
 * layer keywords, plus `trainable`/`dtype`) and the loop's (the rest), as Keras's `LSTM(...)` builds
 * its `LSTMCell` from its own arguments.
 */
export function splitCellArgs(args: Record<string, unknown>, cellKeys: readonly string[]): [Record<string, unknown>, Record<string, unknown>] {
  const layerKeys = new Set(Object.keys(layerSchema.shape));
  const cellOnly = new Set(cellKeys.filter((k) => !layerKeys.has(k)));
  const cellArgs: Record<string, unknown> = { trainable: args.trainable, dtype: args.dtype };
  const loopArgs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (cellOnly.has(key)) cellArgs[key] = value;
    else loopArgs[key] = value;
  }
  return [cellArgs, loopArgs];
}

function plus(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return tf.add(a, b);
}

/** Keras's InputSpec(ndim=3) message for a recurrent layer given anything but [batch, timesteps, features]. */
export function assertSequence(layer: { readonly name: string }, shape: readonly (number | null)[]): void {
  assertOneInput(layer.name, shape as Shape);
  if (shape.length !== 3) {
    throw new ValueError(
      `Input 0 of layer "${layer.name}" is incompatible with the layer: expected ndim=3, found ndim=${shape.length}. ` +
        `Full shape received: ${shapeText(shape)}`,
    );
  }
}

export const RNN = callable(RNNLayer);
export type RNN = RNNLayer;
