/**
 * The base of every layer: Keras's `keras.layers.Layer`, plus the explicit
 * forward and backward that let a model train without a gradient tape
 * (docs/backprop.md, equations BP1–BP4).
 *
 * ## Writing a layer
 *
 * A layer subclass implements, in Keras's words:
 *
 * - `constructor(...args)`: parse the arguments with `parseArgs(ClassName, schema, positionalNames, args)`
 *   where `schema = layerSchema.extend({...})`, then `super(parsed, 'default_name')`. `layerSchema`
 *   carries what every layer accepts (`name`, `trainable`, `dtype`, `input_shape`, `batch_input_shape`,
 *   `batch_size`, `input_dim`). Export the class as `export const X = callable(XLayer); export type X = XLayer;`.
 * - `build(inputShape)`: create the weights with `this.add_weight({ name, shape, initializer,
 *   regularizer, constraint, trainable })`, then call `super.build(inputShape)` (which marks the
 *   layer built). `inputShape` includes the batch axis (`[null, 8]`). Layers without weights need no build.
 *   A weight made with `trainable: false` (BatchNormalization's moving mean and variance) is
 *   in `non_trainable_weights`, gets no gradient and is never touched by the optimizer.
 * - `forward(inputs, training, mask)`: compute the outputs and return a `ForwardPass`:
 *   `{ inputs, outputs, saved }`, where `saved` holds whatever `backward` needs (Dense saves the
 *   pre-activation `z`, Dropout its mask). `training` is true inside `fit` / `train_on_batch`:
 *   training-only behaviour (dropout, batch statistics) happens only then. Non-trainable state that
 *   Keras updates during training (moving averages) is updated here with `variable.assign`,
 *   because backward is not called by `evaluate` / `predict`.
 * - `backward(dOutputs, pass, needInputGradient)`: given ∂C/∂outputs and the pass `forward`
 *   returned, return `{ inputGradient, weightGradients }`: ∂C/∂inputs (or `null` when
 *   `needInputGradient` is false: the first layer's is never used, and skipping it saves a matMul),
 *   and one gradient per entry of `trainable_weights`, in the same order (none when the layer is
 *   frozen with `trainable = false`, since `trainable_weights` is then empty).
 * - `call(inputs, { training, mask })`: the inference path users call (`layer.apply(x)`, or
 *   `layer(x)`). Layers that implement `forward` get it for free (`forward(...).outputs`).
 * - `compute_output_shape(inputShape)`: the output shape, batch axis included, without running
 *   any op (`summary()`, `Sequential.add` and calls on symbolic tensors use it). The default runs
 *   `call` on zeros.
 * - `get_config()`: `{ ...super.get_config(), units: this.units, ... }`, snake_case keys as in Keras.
 * - `static readonly class_name = 'MyLayer'` names the class in `summary()` and configs (by default
 *   the class's own name, without a trailing `Layer`).
 *
 * Both `forward` and `backward` run inside the model's `tf.tidy`, so they may create tensors
 * freely; they must not dispose `inputs`. A custom layer that implements only `call` still trains:
 * the default `forward` / `backward` fall back to TensorFlow.js autodiff (`tf.engine().gradients`),
 * at the cost of a second forward in the backward step (so a layer whose `call` draws random
 * numbers should implement `forward` / `backward` and keep its draw in `saved`).
 *
 * The model applies `activity_regularizer` (a penalty on a layer's outputs) itself, around
 * forward/backward, so layers do not handle it; weight regularizers are collected from
 * `add_weight`.
 *
 * ## Several inputs or outputs: `Layer<In, Out>`
 *
 * `In` and `Out` are `tf.Tensor` (the default: one tensor in, one out) or `tf.Tensor[]` (a
 * list, as Keras's layers take and return lists), or `Tensors` for either. A merge layer is a
 * `Layer<tf.Tensor[]>`: `call` receives the list, `build` / `compute_output_shape` one shape per
 * input (`Shape[]`), `backward` returns one input gradient per input, in order. A layer with
 * several outputs (an LSTM with `return_state`) is a `Layer<tf.Tensor, Tensors>`: `call` returns
 * a list, `compute_output_shape` a list of shapes, and `backward` receives one ∂C/∂output per
 * output, in order (zeros for an output nothing reads). Where one tensor feeds several layers,
 * the model adds up their ∂C/∂inputs before handing the sum to the layer that made it.
 *
 * ## Masks (`supports_masking`, `compute_mask`)
 *
 * A mask is a boolean tensor, `[batch, timesteps]`, true where a timestep holds data (Keras's
 * `mask=` argument). The model passes each layer the mask of its inputs (`forward`'s third
 * argument, `call`'s `mask` option: `null` when there is none, a list for a list of inputs), and
 * gives the layer's outputs `compute_mask(inputs, mask)`, as Keras does:
 * - a layer with `supports_masking = true` passes the mask on unchanged (the default
 *   `compute_mask`), or computes a new one by overriding `compute_mask` (Embedding with
 *   `mask_zero` makes one; an RNN without `return_sequences` returns `null`);
 * - a layer with `supports_masking = false` (the default) ends the mask: its outputs have none.
 * Overriding `compute_mask` turns `supports_masking` on, as in Keras.
 *
 * ## Layers that hold layers (`track`)
 *
 * A layer made of layers (a wrapper such as Bidirectional or TimeDistributed, a nested model)
 * registers each with `this.track(sublayer)`, in the order Keras creates them. Then, as Keras's:
 * `weights` are the layer's own weights (trainable, then non-trainable) followed by each tracked
 * layer's `weights`; `trainable_weights` / `non_trainable_weights` filter that list (a frozen
 * sublayer's weights are non-trainable); setting `trainable` sets it on every tracked layer too;
 * `dispose` frees them; `regularized_weights` includes theirs. A layer shared twice counts once.
 * The holder's `backward` returns gradients for its whole `trainable_weights`, in that order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { disposeWhenCollected, forgetOwner } from '../backend/collect.js';
import { uniqueName } from '../backend/session.js';
import { setVariableConstraint, type ConstraintFn } from '../backend/variables.js';
import { RuntimeError, ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { CallableInstance } from '../utils/callable_instance.js';
import { toTensor, type TensorLike } from '../utils/data.js';
import { isSymbolic, KerasTensor, Node, type AnyLayer, type NodeArguments } from './keras_tensor.js';
import { configOf } from './weight_arguments.js';

/** A Keras shape: `null` where the size is not known yet (the batch axis). */
export type Shape = Array<number | null>;

/** What a layer takes or returns: one tensor, or a list of tensors. */
export type Tensors = tf.Tensor | tf.Tensor[];

/** The shape (or shapes) that go with `T`: `Shape` for one tensor, `Shape[]` for a list. */
export type ShapeOf<T extends Tensors> = T extends tf.Tensor[] ? Shape[] : T extends tf.Tensor ? Shape : Shape | Shape[];

/** The symbolic tensor (or tensors) that go with `T`. */
export type SymbolicOf<T extends Tensors> = T extends tf.Tensor[] ? KerasTensor[] : T extends tf.Tensor ? KerasTensor : KerasTensor | KerasTensor[];

/** A mask for each input: `null` (none), a boolean tensor, or a list of those for a list of inputs. */
export type Mask = tf.Tensor | null;
export type Masks = Mask | Mask[];

/** Options of `call` and `apply`: Keras's `training=` and `mask=` arguments. */
export interface CallOptions {
  training?: boolean;
  mask?: Masks;
}

/** What `layer.apply(...)` takes for a real (not symbolic) call: one tensor-like value, or a list of tensors. */
export type LayerInputs = TensorLike | readonly tf.Tensor[];

/**
 * What a layer's regularizer must provide: the penalty added to the loss and its
 * gradient. `keras.regularizers.get(...)` returns objects of this shape.
 */
export interface Regularizer {
  call(x: tf.Tensor): tf.Tensor;
  gradient(x: tf.Tensor): tf.Tensor;
}

/** What `forward` returns and `backward` receives. */
export interface ForwardPass<Saved = unknown, In extends Tensors = tf.Tensor, Out extends Tensors = tf.Tensor> {
  readonly inputs: In;
  readonly outputs: Out;
  /** What the layer's backward needs besides inputs and outputs (pre-activations, masks...). */
  readonly saved?: Saved;
}

/**
 * What `backward` returns: ∂C/∂inputs (one per input for a list of inputs) and one ∂C/∂w per
 * trainable weight, in `trainable_weights` order.
 */
export interface Gradients<In extends Tensors = tf.Tensor> {
  readonly inputGradient: In | null;
  readonly weightGradients: tf.Tensor[];
}

/** Options of `add_weight`. */
export interface AddWeightOptions {
  /** The weight's name inside its layer, as in Keras: `'kernel'`, `'bias'`, `'moving_mean'`. */
  name: string;
  shape: number[];
  /** Makes the initial value: an initializer from `keras.initializers.get(...)`, called as `init(shape)`. */
  initializer: (shape: number[]) => tf.Tensor;
  trainable?: boolean;
  regularizer?: Regularizer | null;
  constraint?: ConstraintFn | null;
}

/** Keyword arguments every layer accepts (Keras's `**kwargs` of `Layer`). */
export const layerSchema = z.object({
  name: z.string().min(1, { message: 'must be a non-empty string' }).optional(),
  trainable: z.boolean().default(true),
  dtype: z.literal('float32', { message: "must be 'float32' (keras-like computes in float32)" }).default('float32'),
  input_shape: z
    .array(z.number().int().positive().nullable(), { message: 'must be an array of positive integers, such as [8]' })
    .optional(),
  batch_input_shape: z
    .array(z.number().int().positive().nullable(), { message: 'must be an array such as [null, 8]' })
    .optional(),
  batch_size: z.number().int().positive().optional(),
  input_dim: z.number().int().positive().optional(),
});
export type LayerArgs = z.output<typeof layerSchema>;

/** One weight a layer holds: its variable, name, and how training treats it. */
export interface WeightRecord {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly trainable: boolean;
  readonly regularizer: Regularizer | null;
}

/** A weight with its regularizer, as the model collects them for the loss. */
export interface RegularizedWeight {
  readonly variable: tf.Variable;
  readonly regularizer: Regularizer;
  readonly trainable: boolean;
}

/** tf.Variable names are global in TensorFlow.js; a counter keeps models made after clear_session apart. */
let variableCount = 0;

/**
 * A layer is called like a function, as in Python: `Dense(10)(x)` is `Dense(10).apply(x)`.
 * On KerasTensors (from `keras.Input`) the call is symbolic and records the graph.
 */
export interface Layer<In extends Tensors = tf.Tensor, Out extends Tensors = tf.Tensor> {
  (inputs: KerasTensor | readonly KerasTensor[], options?: CallOptions): SymbolicOf<Out>;
  (inputs: LayerInputs, options?: CallOptions): Out;
}

export abstract class Layer<In extends Tensors = tf.Tensor, Out extends Tensors = tf.Tensor> extends CallableInstance {
  readonly name: string;
  /** `[null, 8]` when the layer was given `input_shape: [8]` (or `input_dim`, `batch_input_shape`). */
  readonly batch_input_shape: Shape | undefined;
  readonly dtype = 'float32' as const;
  built = false;
  /** The penalty on this layer's outputs added to the loss; applied by the model. */
  activity_regularizer: Regularizer | null = null;
  /** The symbolic calls of this layer (Keras's `_inbound_nodes`), in call order. */
  readonly _inbound_nodes: Node[] = [];
  private _trainable: boolean;
  private _supportsMasking: boolean | undefined;
  private readonly _weights: WeightRecord[] = [];
  /** The same variables as `_weights`, for the collector: freed when this layer is collected. */
  private readonly _variables: tf.Variable[] = [];
  /** The layers this layer holds (`track`), in Keras's order. */
  private readonly _layers: AnyLayer[] = [];
  private _buildInputShape: Shape | Shape[] | undefined;

  constructor(args: LayerArgs, defaultName: string) {
    super();
    this.name = args.name ?? uniqueName(defaultName);
    this._trainable = args.trainable;
    this.batch_input_shape = batchInputShape(args);
    disposeWhenCollected(this, this._variables);
  }

  /** What calling the layer does: `apply`. */
  override __call__(inputs: LayerInputs | KerasTensor | readonly KerasTensor[], options?: CallOptions): Tensors | KerasTensor | KerasTensor[] {
    return this.apply(inputs as LayerInputs, options);
  }

  /**
   * The Keras class name shown by `summary()` and `get_config()` (`'Dense'`): a static
   * `class_name` when the class has one, else the class's name without a trailing `Layer`
   * (keras-like names its classes `DenseLayer` and exports them as `Dense`).
   */
  get className(): string {
    const cls = this.constructor as { class_name?: string; name: string };
    return cls.class_name ?? (cls.name.replace(/Layer$/, '') || 'Layer');
  }

  /** When false, all of this layer's weights (and its tracked layers') are non-trainable (frozen), as in Keras. */
  get trainable(): boolean {
    return this._trainable;
  }
  set trainable(value: boolean) {
    this._trainable = value;
    for (const layer of this._layers) layer.trainable = value;
  }

  /**
   * Whether the layer passes a mask on (see "Masks" above). Defaults to true when the class
   * overrides `compute_mask`, else false; layers that keep the timestep axis set it to true.
   */
  get supports_masking(): boolean {
    return this._supportsMasking ?? this.compute_mask !== Layer.prototype.compute_mask;
  }
  set supports_masking(value: boolean) {
    this._supportsMasking = value;
  }

  /** The mask of the outputs, from the inputs and their mask. The default passes the mask on. */
  compute_mask(_inputs: In, mask: Masks): Masks {
    return mask;
  }

  /** Creates a weight (a tf.Variable) owned by this layer; call it from `build`. */
  add_weight(options: AddWeightOptions): tf.Variable {
    const trainable = options.trainable ?? true;
    const initial = options.initializer(options.shape);
    if (!tf.util.arraysEqual(initial.shape, options.shape)) {
      const got = initial.shape;
      initial.dispose();
      throw new ValueError(`${this.name}: the initializer of \`${options.name}\` made shape ${shapeText(got)}, expected ${shapeText(options.shape)}.`);
    }
    variableCount += 1;
    const variable = tf.variable(initial, trainable, `${this.name}/${options.name}_${variableCount}`, 'float32');
    initial.dispose();
    setVariableConstraint(variable, options.constraint);
    this._weights.push({ name: options.name, variable, trainable, regularizer: options.regularizer ?? null });
    this._variables.push(variable);
    return variable;
  }

  /**
   * Registers a layer this layer is made of (a wrapper's inner layer, a model's layer), so its
   * weights, freezing and disposal follow this layer's, in Keras's order. Returns it.
   */
  protected track<L extends AnyLayer | Layer>(layer: L): L {
    const sublayer = layer as unknown as AnyLayer;
    if (!this._layers.includes(sublayer)) this._layers.push(sublayer);
    return layer;
  }

  /** Replaces the tracked layers by `layers` (a Sequential model after `pop`). */
  protected retrack(layers: readonly AnyLayer[]): void {
    this._layers.length = 0;
    for (const layer of layers) this.track(layer);
  }

  /** The layers registered with `track`, in order. */
  get _tracked_layers(): readonly AnyLayer[] {
    return this._layers;
  }

  /** Keras's `_flatten_layers`: this layer (optionally) and every tracked layer, depth first, each once. */
  _flatten_layers(include_self = true, recursive = true): AnyLayer[] {
    const out: AnyLayer[] = include_self ? [this as unknown as AnyLayer] : [];
    const seen = new Set<AnyLayer>(out);
    const visit = (layers: readonly AnyLayer[]) => {
      for (const layer of layers) {
        if (seen.has(layer)) continue;
        seen.add(layer);
        out.push(layer);
        if (recursive) visit(layer._tracked_layers);
      }
    };
    visit(this._layers);
    return out;
  }

  /** Creates the weights for inputs of `inputShape` (batch axis included). Subclasses call `super.build`. */
  build(inputShape: ShapeOf<In>): void {
    this._buildInputShape = copyShapes(inputShape as Shape | Shape[]);
    this.built = true;
  }

  /** The shape the layer was built with (batch axis included; one per input for a list), or undefined before `build`. */
  get build_input_shape(): ShapeOf<In> | undefined {
    return this._buildInputShape as ShapeOf<In> | undefined;
  }

  /** Every weight, as Keras orders `layer.weights`: its own (trainable first), then each tracked layer's. */
  get weights(): tf.Variable[] {
    const own = this.ownWeights(true).concat(this.ownWeights(false));
    if (this._layers.length === 0) return own;
    return unique(own.concat(this._layers.flatMap((l) => l.weights)));
  }

  get trainable_weights(): tf.Variable[] {
    if (!this._trainable) return [];
    const own = this.ownWeights(true);
    if (this._layers.length === 0) return own;
    return unique(own.concat(this._layers.flatMap((l) => l.trainable_weights)));
  }

  get non_trainable_weights(): tf.Variable[] {
    if (!this._trainable) return this.weights;
    const own = this.ownWeights(false);
    if (this._layers.length === 0) return own;
    return unique(own.concat(this._layers.flatMap((l) => l.non_trainable_weights)));
  }

  /** The weights with their regularizers (tracked layers' included), for the model's loss and gradients. */
  get regularized_weights(): RegularizedWeight[] {
    const own = this._weights
      .filter((w) => w.regularizer !== null)
      .map((w) => ({ variable: w.variable, regularizer: w.regularizer!, trainable: this._trainable && w.trainable }));
    if (this._layers.length === 0) return own;
    const seen = new Set(own.map((w) => w.variable));
    for (const layer of this._layers) {
      for (const w of layer.regularized_weights) {
        if (seen.has(w.variable)) continue;
        seen.add(w.variable);
        own.push({ ...w, trainable: this._trainable && w.trainable });
      }
    }
    return own;
  }

  /** Copies of the weights' values, in `weights` order (Keras returns NumPy copies). */
  get_weights(): tf.Tensor[] {
    return this.weights.map((v) => v.clone());
  }

  /** Sets the weights from tensors or arrays, in `weights` order; shapes must match. */
  set_weights(weights: readonly TensorLike[]): void {
    const variables = this.weights;
    if (weights.length !== variables.length) {
      throw new ValueError(
        `You called \`set_weights(weights)\` on layer "${this.name}" with a weight list of length ${weights.length}, ` +
          `but the layer was expecting ${variables.length} weights.`,
      );
    }
    const values = weights.map((w) => toTensor(w, `set_weights of layer "${this.name}"`));
    try {
      variables.forEach((variable, i) => {
        if (!tf.util.arraysEqual(variable.shape, values[i]!.shape)) {
          throw new ValueError(
            `Layer ${this.name} weight shape ${shapeText(variable.shape)} is not compatible with provided weight shape ${shapeText(values[i]!.shape)}.`,
          );
        }
      });
      variables.forEach((variable, i) => variable.assign(values[i]!));
    } finally {
      values.forEach((v, i) => {
        if (v !== weights[i]) v.dispose();
      });
    }
  }

  /** The number of scalars in the weights. */
  count_params(): number {
    if (!this.built) {
      throw new ValueError(
        `You tried to call \`count_params\` on layer '${this.name}', but the layer isn't built. ` +
          'You can build it manually via: `layer.build(batch_input_shape)`.',
      );
    }
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /**
   * Keras's `layer(x)`; TypeScript objects are called with `apply` (or as `layer(x)`).
   * On KerasTensors (`keras.Input(...)`), builds the layer from their shapes and records the
   * call in the graph, returning KerasTensors. On data, converts it, builds the layer on first
   * use, checks the shapes and runs `call`.
   */
  apply(inputs: KerasTensor | readonly KerasTensor[], options?: CallOptions): SymbolicOf<Out>;
  apply(inputs: LayerInputs, options?: CallOptions): Out;
  apply(inputs: LayerInputs | KerasTensor | readonly KerasTensor[], options: CallOptions = {}): Out | SymbolicOf<Out> {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs);
    if (Array.isArray(inputs) && inputs.some((v) => v instanceof KerasTensor)) {
      throw new ValueError(`Layer "${this.name}" was called on a list mixing KerasTensors (from keras.Input) and data; pass only one kind.`);
    }
    const given = inputs as LayerInputs;
    const list = isTensorList(given);
    const converted = list ? given.map((t, i) => toTensor(t, `input ${i} of layer "${this.name}"`)) : [toTensor(given as TensorLike, `layer "${this.name}"`)];
    const originals: readonly unknown[] = list ? given : [given];
    let outputs: Out | undefined;
    try {
      const x = (list ? converted : converted[0]!) as In;
      this.ensureBuilt((list ? converted.map((t) => t.shape) : converted[0]!.shape) as ShapeOf<In>);
      outputs = this.call(x, { training: options.training ?? false, mask: options.mask ?? null });
      return outputs;
    } finally {
      // A converted input is ours to free, unless the layer handed it back (an identity).
      const kept = new Set<tf.Tensor>(outputs === undefined ? [] : Array.isArray(outputs) ? outputs : [outputs as tf.Tensor]);
      converted.forEach((t, i) => {
        if (t !== originals[i] && !kept.has(t)) t.dispose();
      });
    }
  }

  /**
   * A call on KerasTensors: build from their shapes, record a Node, return the outputs' KerasTensors.
   * `call` is how the call was written when tensors came by keyword (an RNN's `initial_state`):
   * `inputs` is then every tensor the layer's `forward` receives, in order.
   */
  protected applySymbolic(inputs: KerasTensor | KerasTensor[], call?: NodeArguments): SymbolicOf<Out> {
    const shapes = (Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape) as ShapeOf<In>;
    this.ensureBuilt(shapes);
    const outputShape = this.compute_output_shape(shapes) as Shape | Shape[];
    const outputs = isShapeList(outputShape) ? outputShape.map((s) => new KerasTensor(s)) : new KerasTensor(outputShape);
    new Node(this as unknown as AnyLayer, inputs, outputs, call);
    return outputs as SymbolicOf<Out>;
  }

  /** Builds the layer for `inputShape` unless it is built already, then checks the shape fits. */
  ensureBuilt(inputShape: ShapeOf<In> | readonly number[] | readonly number[][]): void {
    if (!this.built) {
      const shapes = inputShape as Shape | Shape[];
      this.build((isShapeList(shapes) ? shapes.map(withFreeBatch) : withFreeBatch(shapes)) as ShapeOf<In>);
      return;
    }
    this.assertInputCompatible(inputShape);
  }

  /** Throws Keras's message when `inputShape` does not fit the shape the layer was built for. */
  assertInputCompatible(inputShape: ShapeOf<In> | readonly number[] | readonly number[][]): void {
    const expected = this._buildInputShape;
    if (expected === undefined) return;
    const given = inputShape as Shape | Shape[];
    const expectedList = isShapeList(expected) ? expected : [expected];
    const givenList = isShapeList(given) ? given : [given];
    if (isShapeList(expected) !== isShapeList(given) || expectedList.length !== givenList.length) {
      throw new ValueError(
        `Layer "${this.name}" expects ${expectedList.length} input(s), but it received ${givenList.length} input tensors. ` +
          `Inputs received: ${givenList.map((s) => shapeText(s)).join(', ')}`,
      );
    }
    expectedList.forEach((shape, index) => {
      const got = givenList[index]!;
      const fits = shape.length === got.length && shape.every((size, axis) => axis === 0 || size === null || got[axis] === null || size === got[axis]);
      if (!fits) {
        throw new ValueError(
          `Input ${index} of layer "${this.name}" is incompatible with the layer: expected shape=${shapeText(shape)}, ` +
            `found shape=${shapeText(got)}`,
        );
      }
    });
  }

  /**
   * The inference computation (`training` false) or a user call. Layers with a
   * `forward` need not override it; custom layers that only override `call` still train.
   */
  call(inputs: In, options: CallOptions = {}): Out {
    if (this.forward === Layer.prototype.forward) {
      throw new RuntimeError(`Layer ${this.className} ("${this.name}") must implement \`call\` or \`forward\`.`);
    }
    return this.forward(inputs, options.training ?? false, options.mask ?? null).outputs;
  }

  /** One step of the forward pass, keeping what `backward` needs. The default runs `call`. */
  forward(inputs: In, training: boolean, mask: Masks = null): ForwardPass<unknown, In, Out> {
    return { inputs, outputs: this.call(inputs, { training, mask }) };
  }

  /**
   * ∂C/∂inputs and ∂C/∂weights from ∂C/∂outputs. The default is TensorFlow.js
   * autodiff through `call`, for layers written without a hand-derived backward.
   */
  backward(dOutputs: Out, pass: ForwardPass<unknown, In, Out>, needInputGradient: boolean): Gradients<In> {
    const weights = this.trainable_weights;
    const inputs: tf.Tensor[] = Array.isArray(pass.inputs) ? pass.inputs : [pass.inputs as tf.Tensor];
    const wrt = needInputGradient ? [...inputs, ...weights] : weights;
    if (wrt.length === 0) return { inputGradient: null, weightGradients: [] };
    const recompute = () => this.call(pass.inputs, { training: true }) as Tensors;
    const { grads } = Array.isArray(dOutputs)
      ? // Several outputs: the gradient of Σᵢ ⟨outputᵢ, ∂C/∂outputᵢ⟩, with the ∂C/∂outputᵢ held constant.
        tf.engine().gradients(() => {
          const outs = recompute() as tf.Tensor[];
          return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, (dOutputs as tf.Tensor[])[i]!))));
        }, wrt, undefined, true)
      : tf.engine().gradients(() => recompute() as tf.Tensor, wrt, dOutputs as tf.Tensor, true);
    const filled = grads.map((g, i) => g ?? tf.zerosLike(wrt[i]!));
    if (!needInputGradient) return { inputGradient: null, weightGradients: filled };
    const inputGradients = filled.slice(0, inputs.length);
    return {
      inputGradient: (Array.isArray(pass.inputs) ? inputGradients : inputGradients[0]!) as In,
      weightGradients: filled.slice(inputs.length),
    };
  }

  /** The output shape for `inputShape` (batch axis included). The default runs `call` on zeros. */
  compute_output_shape(inputShape: ShapeOf<In>): ShapeOf<Out> {
    const given = inputShape as Shape | Shape[];
    if (!this.built) this.ensureBuilt(inputShape);
    const batch = (isShapeList(given) ? given[0]?.[0] : given[0]) ?? null;
    const probe = (shape: Shape) => tf.zeros(shape.map((size) => size ?? 1));
    const shapes = tf.tidy(() => {
      const x = isShapeList(given) ? given.map(probe) : probe(given);
      const out = this.call(x as In, { training: false }) as Tensors;
      return Array.isArray(out) ? out.map((t) => t.shape) : out.shape;
    });
    const withBatch = (shape: number[]): Shape => [batch, ...shape.slice(1)];
    return (isShapeList(shapes) ? shapes.map(withBatch) : withBatch(shapes as number[])) as ShapeOf<Out>;
  }

  /** Keras's config: the arguments that rebuild this layer. */
  get_config(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batch_input_shape !== undefined) config.batch_input_shape = [...this.batch_input_shape];
    // As Keras 3's Layer.get_config: written only when set (Dense has no key of its own for it).
    if (this.activity_regularizer !== null) config.activity_regularizer = configOf(this.activity_regularizer);
    return config;
  }

  /** Frees the weights' memory (and the tracked layers'). The layer cannot be used afterwards. */
  dispose(): void {
    for (const w of this._weights) w.variable.dispose();
    this._weights.length = 0;
    this._variables.length = 0;
    for (const layer of this._layers) layer.dispose();
    this.built = false;
    forgetOwner(this);
  }

  override toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built ? 'True' : 'False'}>`;
  }

  private ownWeights(trainable: boolean): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const w of this._weights) if (w.trainable === trainable) out.push(w.variable);
    return out;
  }
}

/** `(None, 8)` as Keras prints shapes. */
export function shapeText(shape: readonly (number | null)[]): string {
  const parts = shape.map((s) => (s === null ? 'None' : String(s)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

/**
 * Keras's InputSpec check for a layer that takes one tensor, given a list (the outputs of an LSTM
 * or Bidirectional with `return_state`, say): "expects 1 input(s), but it received N input tensors".
 */
export function assertOneInput(layerName: string, shape: Shape | Shape[] | readonly number[] | readonly number[][]): void {
  if (!isShapeList(shape)) return;
  throw new ValueError(
    `Layer "${layerName}" expects 1 input(s), but it received ${shape.length} input tensors. Inputs received: ${shape.map((s) => shapeText(s)).join(', ')}`,
  );
}

/** True when `shape` is a list of shapes (one per tensor) rather than one shape. */
export function isShapeList(shape: Shape | Shape[] | readonly number[] | readonly number[][]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** True when `value` is a list of tensors (several inputs), not nested numbers (one input). */
function isTensorList(value: LayerInputs): value is readonly tf.Tensor[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof tf.Tensor);
}

function withFreeBatch(shape: Shape | readonly number[]): Shape {
  return [null, ...shape.slice(1)];
}

function copyShapes(shape: Shape | Shape[]): Shape | Shape[] {
  return isShapeList(shape) ? shape.map((s) => [...s]) : [...shape];
}

function unique(variables: tf.Variable[]): tf.Variable[] {
  return [...new Set(variables)];
}

function batchInputShape(args: LayerArgs): Shape | undefined {
  const given = [args.input_shape, args.batch_input_shape, args.input_dim].filter((v) => v !== undefined);
  if (given.length > 1) {
    throw new ValueError(
      `Give only one of \`input_shape\`, \`batch_input_shape\` and \`input_dim\`. Received: ` +
        `input_shape=${repr(args.input_shape)}, batch_input_shape=${repr(args.batch_input_shape)}, input_dim=${repr(args.input_dim)}`,
    );
  }
  if (args.batch_input_shape !== undefined) return [...args.batch_input_shape];
  const batch = args.batch_size ?? null;
  if (args.input_shape !== undefined) return [batch, ...args.input_shape];
  if (args.input_dim !== undefined) return [batch, args.input_dim];
  return undefined;
}
