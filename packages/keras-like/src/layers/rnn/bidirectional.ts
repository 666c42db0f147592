/**
 * `keras.layers.Bidirectional(layer, {merge_mode, weights, backward_layer})`: runs a recurrent
 * layer over the sequence twice, once forward (t = 1 … T) and once backward (t = T … 1), and
 * merges the two outputs, so every step's output sees the whole sequence.
 *
 * As in Keras 3, the wrapper does not use `layer` itself: it makes two new layers from its
 * config, `forward_<name>` and `backward_<name>` (the latter with `go_backwards: true`), so the
 * weights are [forward kernel, recurrent_kernel, bias, backward kernel, recurrent_kernel, bias].
 *
 * Forward:
 *
 *   y     = forward_layer(x)                  h(t) read from the start of the sequence
 *   y_rev = backward_layer(x)                 h(t) read from its end; with return_sequences
 *                                             its steps come out last-first and are flipped
 *                                             back, so y_rev[t] lines up with y[t]
 *   output = merge(y, y_rev):  concat [y, y_rev]  |  sum y + y_rev  |  ave (y + y_rev) / 2
 *                              mul y ⊙ y_rev      |  null [y, y_rev] as two outputs
 *
 * With `return_state`, Keras returns [output, ...forward states, ...backward states]
 * ([y, y_rev, ...states] when merge_mode is null). Over stacked cells
 * (`Bidirectional(RNN([LSTMCell(4), GRUCell(3)], { return_state: true }))`) each direction's
 * states come nested per cell, as its RNN returns them (stacked_states.ts):
 * [y, [h₁, c₁], [h₂], [h₁ᵇ, c₁ᵇ], [h₂ᵇ]] eagerly, [y, [h₁, c₁], h₂, [h₁ᵇ, c₁ᵇ], h₂ᵇ] on KerasTensors.
 *
 * Backward: the merge's derivative splits ∂C/∂output into ∂C/∂y and ∂C/∂y_rev,
 *
 *   concat  ∂C/∂y = ∂C/∂out[..., :u]      ∂C/∂y_rev = ∂C/∂out[..., u:]
 *   sum     ∂C/∂y = ∂C/∂y_rev = ∂C/∂out
 *   ave     ∂C/∂y = ∂C/∂y_rev = ∂C/∂out / 2
 *   mul     ∂C/∂y = ∂C/∂out ⊙ y_rev       ∂C/∂y_rev = ∂C/∂out ⊙ y
 *
 * (∂C/∂y_rev flipped in time again with return_sequences), then each direction runs its own
 * back-propagation through time (rnn.ts), and ∂C/∂x is the sum of the two directions' ∂C/∂x.
 *
 * `initial_state` (Keras 3's `call(sequences, initial_state)`): the forward layer's states, then
 * the backward layer's, `bi(x, { initial_state: [h_f, c_f, h_b, c_b] })` for an LSTM (the first
 * half goes forward, the second backward; the backward layer starts from its states at t = T).
 * Its backward returns [∂C/∂x, ∂C/∂h_f(0), ∂C/∂c_f(0), ∂C/∂h_b(0), ∂C/∂c_b(0)]: each direction's
 * ∂C/∂states(0), what its walk back through time carries past its first step. Over stacked cells
 * Keras splits the list in half at its top level, one entry per cell and direction:
 * `initial_state: [[h₁, c₁], [h₂], [h₁ᵇ, c₁ᵇ], [h₂ᵇ]]` (a cell's entry may be its one tensor); the
 * layer itself runs on the flat list, so the backward's gradients are flat in that order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { repr } from '../../options/repr.js';
import { callable } from '../../utils/callable.js';
import { parseOptions } from '../../options/parse.js';
import { toTensor, type TensorLike } from '../../utils/data.js';
import { isKerasTensor, isSymbolic, type KerasTensor, type KerasTensorTree } from '../keras_tensor.js';
import { isShapeList, Layer, layerSchema, type CallOptions, type ForwardPass, type Gradients, type LayerInputs, type Masks, type Shape, type SymbolicOf, type Tensors } from '../layer.js';
import { deserialize, layerArguments, registerLayerClass, serialize, type LayerClass } from '../serialization.js';
import { assertSequence, rnnCallOptionsSchema, RNNLayer, type RNNCallOptions } from './rnn.js';
import { eagerNesting, flattenStates, nestDirections, splitDirections, stackedCells, symbolicNesting, type Nested, type StateNesting } from './stacked_states.js';

const MERGE_MODES = ['sum', 'mul', 'ave', 'concat'] as const;
type MergeMode = (typeof MERGE_MODES)[number] | null;

const MERGE_MODE = 'must be one of "sum", "mul", "ave", "concat" or null';

const bidirectionalSchema = layerSchema.extend({
  layer: z.custom<RNNLayer>((v) => v instanceof Layer, { error: 'must be a `keras.layers.Layer` instance, such as LSTM(10)' }),
  merge_mode: z.enum(MERGE_MODES, { error: MERGE_MODE }).nullable().default('concat'),
  weights: z.array(z.custom<TensorLike>((v) => v !== undefined && v !== null)).nullish(),
  backward_layer: z.custom<RNNLayer>((v) => v instanceof Layer, { error: 'must be a `keras.layers.Layer` instance' }).nullish(),
});

/** Keyword arguments of `Bidirectional`. */
export type BidirectionalOptions = Omit<KerasOptions<typeof bidirectionalSchema>, 'layer'>;

/** What the forward keeps: each direction's pass, and the two outputs the merge multiplied. */
interface BidirectionalSaved {
  readonly forward: ReturnType<RNNLayer['forward']>;
  readonly backward: ReturnType<RNNLayer['forward']>;
  readonly y: tf.Tensor;
  readonly yRev: tf.Tensor;
}

/** Bidirectional is called with `initial_state` too: `bi(x, { initial_state: [h_f, c_f, h_b, c_b] })`. */
export interface BidirectionalLayer {
  (inputs: KerasTensor | readonly KerasTensor[], options?: RNNCallOptions): Nested<KerasTensor>;
  (inputs: LayerInputs, options?: RNNCallOptions): Nested<tf.Tensor>;
}

/**
 * The layer takes the sequence [batch, T, features], or, called with `initial_state`, the list
 * [sequence, ...forward states, ...backward states] (as RNNLayer does; the graph's node records
 * the call as Keras 3 does: `args: [x], kwargs: { initial_state }`).
 */
export class BidirectionalLayer extends Layer<Tensors, Tensors> {
  static readonly class_name = 'Bidirectional';
  readonly forward_layer: RNNLayer;
  readonly backward_layer: RNNLayer;
  readonly merge_mode: MergeMode;
  readonly stateful: boolean;
  readonly return_sequences: boolean;
  readonly return_state: boolean;
  /** `weights`: set into the two directions (first half forward, second half backward) when built. */
  private initialWeights: TensorLike[] | null;

  /**
   * @param layer the recurrent layer to run in both directions: `LSTM(10)`, `GRU(8)`,
   *   `SimpleRNN(4)`, `RNN(cell)`. Its config is copied; `layer` itself is not used.
   * @param options.merge_mode how the two outputs combine: `'concat'` (the default), `'sum'`,
   *   `'mul'`, `'ave'`, or `null` for both, as two outputs.
   * @param options.weights initial weights, in the order of `weights` (forward then backward).
   * @param options.backward_layer the layer for the backward direction (by default a copy of
   *   `layer` with `go_backwards: true`); it must have the other `go_backwards` and the same
   *   `stateful`, `return_sequences` and `return_state` as `layer`.
   */
  constructor(layer: RNNLayer | (BidirectionalOptions & { layer: RNNLayer }), options?: BidirectionalOptions | BidirectionalOptions['merge_mode']) {
    // `Bidirectional(lstm, null)` is merge_mode=None given positionally, not "no keyword arguments".
    const given = options === null || typeof options === 'string' ? { merge_mode: options } : options;
    const { layer: inner, merge_mode, weights, backward_layer, ...args } = parseArgs('Bidirectional', bidirectionalSchema, ['layer'], [layer, given]);
    assertRecurrent('layer', inner);
    if (backward_layer !== undefined && backward_layer !== null) assertRecurrent('backward_layer', backward_layer);
    // The course's `Bidirectional(LSTM(50, input_shape=(n_steps, n_features)))`: the wrapper is the
    // model's first layer, so it takes the input shape its layer was given.
    const withShape = args.input_shape === undefined && args.batch_input_shape === undefined && args.input_dim === undefined && inner.batch_input_shape !== undefined;
    super(withShape ? { ...args, batch_input_shape: inner.batch_input_shape } : args, 'bidirectional');
    // Keras 3 remakes the forward layer from the config (it carries no state from `layer`).
    this.forward_layer = this.track(copyLayer(inner, { name: `forward_${removePrefix(inner.name, 'forward_')}` }));
    this.backward_layer = this.track(
      backward_layer ?? copyLayer(inner, { name: `backward_${removePrefix(inner.name, 'backward_')}`, go_backwards: true }),
    );
    this.verifyLayerConfig();
    // A masked step of a returned sequence is zero in both directions, whatever the layers said.
    for (const l of [this.forward_layer, this.backward_layer]) l.zero_output_for_mask = l.return_sequences;
    this.merge_mode = merge_mode;
    this.initialWeights = weights && weights.length > 0 ? [...weights] : null;
    this.stateful = inner.stateful;
    this.return_sequences = inner.return_sequences;
    this.return_state = inner.return_state;
    this.supports_masking = false;
  }

  /** Keras's `_verify_layer_config`: the two directions differ in `go_backwards` only. */
  private verifyLayerConfig(): void {
    const f = this.forward_layer;
    const b = this.backward_layer;
    if (f.go_backwards === b.go_backwards) {
      throw new ValueError(
        'Forward layer and backward layer should have different `go_backwards` value. Received: ' +
          `forward_layer.go_backwards ${pyBool(f.go_backwards)}, backward_layer.go_backwards=${pyBool(b.go_backwards)}`,
      );
    }
    for (const a of ['stateful', 'return_sequences', 'return_state'] as const) {
      if (f[a] !== b[a]) {
        throw new ValueError(
          `Forward layer and backward layer are expected to have the same value for attribute "${a}", got ` +
            `"${pyBool(f[a])}" for forward layer and "${pyBool(b[a])}" for backward layer`,
        );
      }
    }
  }

  /**
   * Keras's `layer(x, initial_state=...)`: `bi(x, { initial_state: [...forward states, ...backward
   * states] })`. The layer receives [x, ...states]; on KerasTensors the node records `initial_state`
   * as a keyword, as Keras 3 writes it in the model's config.
   */
  override apply(inputs: KerasTensor | readonly KerasTensor[], options?: RNNCallOptions): SymbolicOf<Tensors>;
  override apply(inputs: LayerInputs, options?: RNNCallOptions): Tensors;
  override apply(inputs: LayerInputs | KerasTensor | readonly KerasTensor[], options: RNNCallOptions = {}): Tensors | SymbolicOf<Tensors> {
    const { initial_state: given, ...callOptions } = parseOptions(this.className, rnnCallOptionsSchema, options);
    // Over stacked cells each direction's states come back nested per cell, as its RNN returns
    // them (stacked_states.ts); the layer's own call and the engine keep them flat.
    const forwardCells = stackedCells(this.forward_layer.cell);
    const backwardCells = stackedCells(this.backward_layer.cell);
    const nest = <R extends Tensors | SymbolicOf<Tensors>>(result: R, forward: StateNesting, backward: StateNesting) =>
      (this.return_state && (forwardCells !== null || backwardCells !== null) && Array.isArray(result)
        ? nestDirections<unknown>(result, this.merge_mode === null ? 2 : 1, this.forward_layer.cell.state_size.length, forward, backward)
        : result) as R;
    const nesting = (cells: typeof forwardCells, symbolic: boolean) => (cells === null ? null : symbolic ? symbolicNesting(cells) : eagerNesting(cells));
    if (given === null || given === undefined) {
      const symbolic = isSymbolic(inputs);
      return nest(super.apply(inputs as LayerInputs, callOptions), nesting(forwardCells, symbolic), nesting(backwardCells, symbolic));
    }
    // Keras splits the list in half at its top level; a flat list is split by the forward layer's state count.
    const directions = splitDirections(given, forwardCells, backwardCells);
    const states = directions === null ? flattenStates(given, null).flat : [...directions[0].flat, ...directions[1].flat];
    if (isKerasTensor(inputs)) {
      if (!states.every(isKerasTensor)) {
        throw new ValueError(`Layer "${this.name}" was called on a KerasTensor with an \`initial_state\` that is not made of KerasTensors; pass the states of the same model (such as an encoder's return_state outputs).`);
      }
      const stateTensors = states as KerasTensor[];
      // The node keeps `initial_state` nested as given ([[h₁, c₁], h₂, [h₁ᵇ, c₁ᵇ], h₂ᵇ]), as Keras writes it.
      const outputs = this.applySymbolic([inputs, ...stateTensors], { args: inputs, kwargs: { initial_state: Array.isArray(given) ? (given as KerasTensorTree) : stateTensors } });
      // A symbolic call nests by the cells' state_size, however the states were given (as Keras's compute_output_shape).
      return nest(outputs, nesting(forwardCells, true), nesting(backwardCells, true));
    }
    if (isSymbolic(inputs) || states.some(isKerasTensor)) {
      throw new ValueError(`Layer "${this.name}" was called with \`initial_state\` on a mix of KerasTensors (from keras.Input) and data, or on a list of inputs; pass one sequence and its states, of one kind.`);
    }
    const sequence = toTensor(inputs as TensorLike, `layer "${this.name}"`);
    const converted = states.map((state, j) => toTensor(state as TensorLike, `initial_state[${j}] of layer "${this.name}"`));
    try {
      // An eager call gives each direction's states back in the structure they were given in.
      return nest(super.apply([sequence, ...converted], callOptions), directions?.[0].nesting ?? null, directions?.[1].nesting ?? null);
    } finally {
      if (sequence !== inputs) sequence.dispose();
      converted.forEach((t, j) => t !== states[j] && t.dispose());
    }
  }

  /** Keras's `build(sequences_shape, initial_state_shape)`: both directions are built for the sequence. */
  override build(inputShape: Shape | Shape[]): void {
    const sequence = this.sequenceShape(inputShape);
    if (!this.forward_layer.built) this.forward_layer.build(sequence);
    if (!this.backward_layer.built) this.backward_layer.build(sequence);
    super.build(sequence);
    if (this.initialWeights !== null) {
      const half = Math.floor(this.initialWeights.length / 2);
      this.forward_layer.set_weights(this.initialWeights.slice(0, half));
      this.backward_layer.set_weights(this.initialWeights.slice(half));
      this.initialWeights = null;
    }
  }

  override ensureBuilt(inputShape: readonly number[] | readonly number[][] | Shape | Shape[]): void {
    super.ensureBuilt(this.sequenceShape(inputShape as Shape | Shape[]));
  }

  override assertInputCompatible(inputShape: readonly number[] | readonly number[][] | Shape | Shape[]): void {
    super.assertInputCompatible(this.sequenceShape(inputShape as Shape | Shape[]));
  }

  /**
   * The sequence's shape, from the shape the layer received: the sequence's own, or, called with
   * `initial_state`, the first of [sequence, ...states], after checking that the states are the
   * forward layer's then the backward layer's (each direction checks its own: count and shapes).
   */
  private sequenceShape(given: Shape | Shape[]): Shape {
    if (!isShapeList(given)) {
      assertSequence(this, given);
      return given;
    }
    const [sequence, ...states] = given;
    assertSequence(this, sequence!);
    const forwardCount = this.forward_layer.cell.state_size.length;
    const expected = forwardCount + this.backward_layer.cell.state_size.length;
    if (states.length !== expected) {
      throw new ValueError(
        `Layer "${this.name}" expects ${expected} initial state tensor(s): the forward layer's ${forwardCount}, then the backward layer's ` +
          `${expected - forwardCount}. Received ${states.length}: ${states.map((s) => `(${s.map((d) => d ?? 'None').join(', ')})`).join(', ')}`,
      );
    }
    this.forward_layer.compute_output_shape([sequence!, ...states.slice(0, forwardCount)]);
    this.backward_layer.compute_output_shape([sequence!, ...states.slice(forwardCount)]);
    return sequence!;
  }

  override call(inputs: Tensors, options: CallOptions = {}): Tensors {
    return tf.tidy(() => this.forward(inputs, options.training ?? false, options.mask ?? null).outputs);
  }

  override forward(given: Tensors, training: boolean, masks: Masks = null): ForwardPass<BidirectionalSaved, Tensors, Tensors> {
    const [inputs, ...states] = list(given);
    this.sequenceShape(Array.isArray(given) ? given.map((t) => t.shape) : given.shape);
    const mask = Array.isArray(masks) ? (masks[0] ?? null) : masks;
    // Keras: the first half of initial_state starts the forward layer, the second the backward one.
    const half = this.forward_layer.cell.state_size.length;
    const forwardIn = states.length > 0 ? [inputs!, ...states.slice(0, half)] : inputs!;
    const backwardIn = states.length > 0 ? [inputs!, ...states.slice(half)] : inputs!;
    const forward = this.forward_layer.forward(forwardIn, training, mask);
    const backward = this.backward_layer.forward(backwardIn, training, mask);
    const [y, ...forwardStates] = list(forward.outputs);
    const [yBackward, ...backwardStates] = list(backward.outputs);
    // The backward layer's sequence runs t = T … 1: flipped, its step t lines up with the forward's.
    const yRev = this.return_sequences ? tf.reverse(yBackward!, 1) : yBackward!;
    const merged = this.merge(y!, yRev);
    const outputs = this.return_state ? [...list(merged), ...forwardStates, ...backwardStates] : merged;
    return { inputs: given, outputs, saved: { forward, backward, y: y!, yRev } };
  }

  private merge(y: tf.Tensor, yRev: tf.Tensor): Tensors {
    switch (this.merge_mode) {
      case 'concat':
        return tf.concat([y, yRev], -1);
      case 'sum':
        return tf.add(y, yRev);
      case 'ave':
        return tf.div(tf.add(y, yRev), 2);
      case 'mul':
        return tf.mul(y, yRev);
      case null:
        return [y, yRev];
    }
  }

  /** The merge's derivative, then each direction's back-propagation through time. */
  override backward(dOutputs: Tensors, pass: ForwardPass<BidirectionalSaved, Tensors, Tensors>, needInputGradient: boolean): Gradients<Tensors> {
    const { forward, backward, y, yRev } = pass.saved!;
    const d = list(dOutputs);
    const merged = this.merge_mode === null ? 2 : 1;
    const [dY, dYRev] = this.unmerge(d.slice(0, merged), y, yRev);
    const forwardStates = this.forward_layer.cell.state_size.length;
    const dForwardStates = d.slice(merged, merged + forwardStates);
    const dBackwardStates = d.slice(merged + forwardStates);
    const dYBackward = this.return_sequences ? tf.reverse(dYRev, 1) : dYRev;
    const f = this.forward_layer.backward(this.return_state ? [dY, ...dForwardStates] : dY, forward, needInputGradient);
    const b = this.backward_layer.backward(this.return_state ? [dYBackward, ...dBackwardStates] : dYBackward, backward, needInputGradient);
    const weightGradients = this.trainable ? [...f.weightGradients, ...b.weightGradients] : [];
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    // Each direction saw the sequence, so ∂C/∂x is the sum of theirs; given initial states, each
    // also returns ∂C/∂(its states at its first step), listed as the states were given.
    const [dxForward, ...dForwardInitial] = list(f.inputGradient as Tensors);
    const [dxBackward, ...dBackwardInitial] = list(b.inputGradient as Tensors);
    const dx = tf.add(dxForward!, dxBackward!);
    return { inputGradient: Array.isArray(pass.inputs) ? [dx, ...dForwardInitial, ...dBackwardInitial] : dx, weightGradients };
  }

  /** ∂C/∂y and ∂C/∂y_rev from ∂C/∂output (the list of both when merge_mode is null). */
  private unmerge(d: tf.Tensor[], y: tf.Tensor, yRev: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const dOut = d[0]!;
    switch (this.merge_mode) {
      case 'concat': {
        const units = y.shape[y.rank - 1]!;
        const [dY, dYRev] = tf.split(dOut, [units, yRev.shape[yRev.rank - 1]!], -1);
        return [dY!, dYRev!];
      }
      case 'sum':
        return [dOut, dOut];
      case 'ave': {
        const half = tf.div(dOut, 2);
        return [half, half];
      }
      case 'mul':
        return [tf.mul(dOut, yRev), tf.mul(dOut, y)];
      case null:
        return [dOut, d[1]!];
    }
  }

  /**
   * Keras's `compute_mask`: the input mask for a returned sequence (twice when merge_mode is
   * null), none otherwise, and none for each state. Unused by the engine, as in Keras 3, because
   * `supports_masking` is false.
   */
  override compute_mask(_inputs: Tensors, mask: Masks): Masks {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : mask;
    const output = this.return_sequences ? m : null;
    const outputs = this.merge_mode === null ? [output, output] : [output];
    if (!this.return_state) return this.merge_mode === null ? outputs : output;
    const states = this.forward_layer.cell.state_size.length + this.backward_layer.cell.state_size.length;
    return [...outputs, ...new Array<null>(states).fill(null)];
  }

  override compute_output_shape(shapes: Shape | Shape[]): Shape | Shape[] {
    const inputShape = this.sequenceShape(shapes);
    const inner = this.forward_layer.compute_output_shape(inputShape);
    const [output, ...stateShapes] = this.return_state ? (inner as Shape[]) : [inner as Shape];
    const merged: Shape[] =
      this.merge_mode === 'concat'
        ? [[...output!.slice(0, -1), output!.at(-1) === null ? null : 2 * output!.at(-1)!]]
        : this.merge_mode === null
          ? [output!, [...output!]]
          : [output!];
    if (this.return_state) return [...merged, ...stateShapes, ...stateShapes.map((s) => [...s])];
    return this.merge_mode === null ? merged : merged[0]!;
  }

  /** Keras's `reset_states()`: both directions' states back to zeros. */
  reset_states(): void {
    if (!this.stateful) throw new ValueError(`Layer "${this.name}" must be stateful to reset its states.`);
    this.forward_layer.reset_states();
    this.backward_layer.reset_states();
  }

  /** Keras 3's spelling of `reset_states`. */
  reset_state(): void {
    this.reset_states();
  }

  /** The stateful directions' last states, forward then backward, or null before the first batch. */
  get states(): tf.Variable[] | null {
    const f = this.forward_layer.states;
    const b = this.backward_layer.states;
    return f !== null && b !== null ? [...f, ...b] : null;
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      merge_mode: this.merge_mode,
      // With their build_config once built, as Keras's serialize_keras_object writes them.
      layer: serialize(this.forward_layer as unknown as Layer),
      backward_layer: serialize(this.backward_layer as unknown as Layer),
    };
  }

  /** Keras's `from_config`: the two directions deserialized, then the wrapper around them. */
  static from_config(config: Record<string, unknown>): BidirectionalLayer {
    const { layer, backward_layer, ...rest } = config;
    // Keras 3's DTypePolicy and the keys keras-like accepts only at their defaults, as every layer's config.
    const args = layerArguments('Bidirectional', rest);
    return new BidirectionalLayer({
      ...(args as BidirectionalOptions),
      layer: deserialize(layer) as RNNLayer,
      backward_layer: backward_layer === undefined || backward_layer === null ? null : (deserialize(backward_layer) as RNNLayer),
    });
  }
}

/** Keras's `serialize` then `deserialize` with some config keys changed: a fresh, unbuilt copy. */
function copyLayer(layer: RNNLayer, changes: Record<string, unknown>): RNNLayer {
  const serialized = serialize(layer as unknown as Layer);
  const { build_config: _built, ...rest } = serialized;
  const copy = deserialize({ ...rest, config: { ...serialized.config, ...changes } });
  return copy as RNNLayer;
}

/** The wrapped layer must be a recurrent layer: it needs `go_backwards`, `return_sequences` and `return_state`. */
function assertRecurrent(argument: string, layer: unknown): asserts layer is RNNLayer {
  if (!(layer instanceof RNNLayer)) {
    throw new ValueError(
      `Bidirectional: \`${argument}\` must be a recurrent layer (RNN, LSTM, GRU or SimpleRNN) with \`go_backwards\`, ` +
        `\`return_sequences\` and \`return_state\`. Received: ${argument}=${repr(layer)}`,
    );
  }
}

function removePrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

function list(value: Tensors): tf.Tensor[] {
  return Array.isArray(value) ? value : [value];
}

registerLayerClass('Bidirectional', BidirectionalLayer as unknown as LayerClass);

export const Bidirectional = callable(BidirectionalLayer);
export type Bidirectional = BidirectionalLayer;
