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
 * - `forward(inputs, training)`: compute the outputs and return a `ForwardPass`:
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
 * - `call(inputs, { training })`: the inference path users call (`layer.apply(x)`). Layers that
 *   implement `forward` get it for free (`forward(...).outputs`).
 * - `compute_output_shape(inputShape)`: the output shape, batch axis included, without running
 *   any op (`summary()` and `Sequential.add` use it). The default runs `call` on zeros.
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
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { disposeWhenCollected } from '../backend/collect.js';
import { uniqueName } from '../backend/session.js';
import { setVariableConstraint, type ConstraintFn } from '../backend/variables.js';
import { RuntimeError, ValueError } from '../errors.js';
import { repr } from '../options/repr.js';
import { toTensor, type TensorLike } from '../utils/data.js';

/** A Keras shape: `null` where the size is not known yet (the batch axis). */
export type Shape = Array<number | null>;

/**
 * What a layer's regularizer must provide: the penalty added to the loss and its
 * gradient. `keras.regularizers.get(...)` returns objects of this shape.
 */
export interface Regularizer {
  call(x: tf.Tensor): tf.Tensor;
  gradient(x: tf.Tensor): tf.Tensor;
}

/** What `forward` returns and `backward` receives. */
export interface ForwardPass<Saved = unknown> {
  readonly inputs: tf.Tensor;
  readonly outputs: tf.Tensor;
  /** What the layer's backward needs besides inputs and outputs (pre-activations, masks...). */
  readonly saved?: Saved;
}

/** What `backward` returns: ∂C/∂inputs and one ∂C/∂w per trainable weight, in `trainable_weights` order. */
export interface Gradients {
  readonly inputGradient: tf.Tensor | null;
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

interface WeightRecord {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly trainable: boolean;
  readonly regularizer: Regularizer | null;
}

/** tf.Variable names are global in TensorFlow.js; a counter keeps models made after clear_session apart. */
let variableCount = 0;

export abstract class Layer {
  readonly name: string;
  /** `[null, 8]` when the layer was given `input_shape: [8]` (or `input_dim`, `batch_input_shape`). */
  readonly batch_input_shape: Shape | undefined;
  readonly dtype = 'float32' as const;
  built = false;
  /** The penalty on this layer's outputs added to the loss; applied by the model. */
  activity_regularizer: Regularizer | null = null;
  private _trainable: boolean;
  private readonly _weights: WeightRecord[] = [];
  /** The same variables as `_weights`, for the collector: freed when this layer is collected. */
  private readonly _variables: tf.Variable[] = [];
  private _buildInputShape: Shape | undefined;

  constructor(args: LayerArgs, defaultName: string) {
    this.name = args.name ?? uniqueName(defaultName);
    this._trainable = args.trainable;
    this.batch_input_shape = batchInputShape(args);
    disposeWhenCollected(this, this._variables);
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

  /** When false, all of this layer's weights are non-trainable (frozen), as in Keras. */
  get trainable(): boolean {
    return this._trainable;
  }
  set trainable(value: boolean) {
    this._trainable = value;
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

  /** Creates the weights for inputs of `inputShape` (batch axis included). Subclasses call `super.build`. */
  build(inputShape: Shape): void {
    this._buildInputShape = [...inputShape];
    this.built = true;
  }

  /** The shape the layer was built with (batch axis included), or undefined before `build`. */
  get build_input_shape(): Shape | undefined {
    return this._buildInputShape;
  }

  /** Every weight, trainable first, as Keras orders `layer.weights`. */
  get weights(): tf.Variable[] {
    return [...this.trainable_weights, ...this.non_trainable_weights];
  }

  get trainable_weights(): tf.Variable[] {
    if (!this._trainable) return [];
    return this._weights.filter((w) => w.trainable).map((w) => w.variable);
  }

  get non_trainable_weights(): tf.Variable[] {
    if (!this._trainable) return this._weights.map((w) => w.variable);
    return this._weights.filter((w) => !w.trainable).map((w) => w.variable);
  }

  /** The weights with their regularizers, for the model's loss and gradients. */
  get regularized_weights(): Array<{ variable: tf.Variable; regularizer: Regularizer; trainable: boolean }> {
    return this._weights
      .filter((w) => w.regularizer !== null)
      .map((w) => ({ variable: w.variable, regularizer: w.regularizer!, trainable: this._trainable && w.trainable }));
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
   * Keras's `layer(x)`: converts `inputs`, builds the layer on first use, checks the
   * shape and runs `call`. TypeScript objects cannot be called, so this is `apply`.
   */
  apply(inputs: TensorLike, options: { training?: boolean } = {}): tf.Tensor {
    const x = toTensor(inputs, `layer "${this.name}"`);
    let outputs: tf.Tensor | undefined;
    try {
      this.ensureBuilt(x.shape);
      outputs = this.call(x, { training: options.training ?? false });
      return outputs;
    } finally {
      // The converted input is ours to free, unless the layer handed it back (an identity).
      if (x !== inputs && x !== outputs) x.dispose();
    }
  }

  /** Builds the layer for `inputShape` unless it is built already, then checks the shape fits. */
  ensureBuilt(inputShape: readonly number[] | Shape): void {
    if (!this.built) {
      this.build([null, ...inputShape.slice(1)]);
      return;
    }
    this.assertInputCompatible(inputShape);
  }

  /** Throws Keras's message when `inputShape` does not fit the shape the layer was built for. */
  assertInputCompatible(inputShape: readonly number[] | Shape): void {
    const expected = this._buildInputShape;
    if (expected === undefined) return;
    const fits =
      expected.length === inputShape.length &&
      expected.every((size, axis) => axis === 0 || size === null || inputShape[axis] === null || size === inputShape[axis]);
    if (!fits) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected shape=${shapeText(expected)}, ` +
          `found shape=${shapeText(inputShape)}`,
      );
    }
  }

  /**
   * The inference computation (`training` false) or a user call. Layers with a
   * `forward` need not override it; custom layers that only override `call` still train.
   */
  call(inputs: tf.Tensor, options: { training?: boolean } = {}): tf.Tensor {
    if (this.forward === Layer.prototype.forward) {
      throw new RuntimeError(`Layer ${this.className} ("${this.name}") must implement \`call\` or \`forward\`.`);
    }
    return this.forward(inputs, options.training ?? false).outputs;
  }

  /** One step of the forward pass, keeping what `backward` needs. The default runs `call`. */
  forward(inputs: tf.Tensor, training: boolean): ForwardPass {
    return { inputs, outputs: this.call(inputs, { training }) };
  }

  /**
   * ∂C/∂inputs and ∂C/∂weights from ∂C/∂outputs. The default is TensorFlow.js
   * autodiff through `call`, for layers written without a hand-derived backward.
   */
  backward(dOutputs: tf.Tensor, pass: ForwardPass, needInputGradient: boolean): Gradients {
    const weights = this.trainable_weights;
    const wrt = needInputGradient ? [pass.inputs, ...weights] : weights;
    if (wrt.length === 0) return { inputGradient: null, weightGradients: [] };
    const { grads } = tf.engine().gradients(
      () => this.call(pass.inputs, { training: true }),
      wrt,
      dOutputs,
      true,
    );
    const filled = grads.map((g, i) => g ?? tf.zerosLike(wrt[i]!));
    return needInputGradient
      ? { inputGradient: filled[0]!, weightGradients: filled.slice(1) }
      : { inputGradient: null, weightGradients: filled };
  }

  /** The output shape for `inputShape` (batch axis included). The default runs `call` on zeros. */
  compute_output_shape(inputShape: Shape): Shape {
    const probe = inputShape.map((size) => size ?? 1);
    if (!this.built) this.build([null, ...inputShape.slice(1)]);
    const shape = tf.tidy(() => this.call(tf.zeros(probe), { training: false }).shape);
    return [inputShape[0] ?? null, ...shape.slice(1)];
  }

  /** Keras's config: the arguments that rebuild this layer. */
  get_config(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batch_input_shape !== undefined) config.batch_input_shape = [...this.batch_input_shape];
    return config;
  }

  /** Frees the weights' memory. The layer cannot be used afterwards. */
  dispose(): void {
    for (const w of this._weights) w.variable.dispose();
    this._weights.length = 0;
    this._variables.length = 0;
    this.built = false;
  }

  toString(): string {
    return `<${this.className} name=${this.name}, built=${String(this.built)}>`;
  }
}

/** `(None, 8)` as Keras prints shapes. */
export function shapeText(shape: readonly (number | null)[]): string {
  const parts = shape.map((s) => (s === null ? 'None' : String(s)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
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
