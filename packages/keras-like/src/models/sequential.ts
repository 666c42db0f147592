/**
 * `keras.Sequential`: a stack of layers, each feeding the next.
 *
 *   const model = Sequential();
 *   model.add(Dense(12, { input_shape: [8], activation: 'relu' }));
 *   model.add(Dense(1, { activation: 'sigmoid' }));
 *   model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
 *   const history = model.fit(X, y, { epochs: 150, batch_size: 10 });
 *   const [, accuracy] = model.evaluate(X, y);
 *
 * `fit`, `evaluate` and `predict` are synchronous, as in Python; `await` on them
 * also works. Training runs each layer's explicit forward and backward
 * (models/train_step.ts), not a gradient tape.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { uniqueName } from '../backend/session.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback_list.js';
import type { HistoryCallback } from '../callbacks/history.js';
import { RuntimeError, ValueError } from '../errors.js';
import { InputLayerLayer } from '../layers/input_layer.js';
import type { AnyLayer } from '../layers/keras_tensor.js';
import { isShapeList, Layer, shapeText, type Shape } from '../layers/layer.js';
import type { LossFunction } from '../losses.js';
import type { Metric } from '../metrics.js';
import type { Optimizer } from '../optimizers/base.js';
import { parseArgs, parseOptions, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import type { TensorLike } from '../utils/data.js';
import { resolveCompile, resolveMetrics, type CompileArgs, type CompileConfig, type CompileOptions } from './compile.js';
import { compileArgumentsFromConfig, serializeCompileConfig } from '../saving/compile_config.js';
import { registerModelClass, sequentialConfig, sequentialFromConfig, serializeModel, type CustomObjects } from '../saving/model_config.js';
import { save_model, type SaveModelOptions } from '../saving/model_file.js';
import { load_weights, save_weights, type LoadWeightsOptions, type SaveWeightsOptions } from '../saving/weights_file.js';
import { classWeightsToSampleWeights, disposeDataset, readDataset, splitValidation, type Dataset } from './data_adapter.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { fitLoop, predictLoop, testLoop } from './training.js';
import { allMetrics, type Compiled } from './train_step.js';

const sequentialSchema = z.object({
  layers: z.array(z.custom<Layer>(), { error: 'must be a list of layers' }).nullish(),
  name: z.string().min(1).optional(),
  trainable: z.boolean().default(true),
});

/** Keyword arguments of `Sequential`. */
export type SequentialOptions = KerasOptions<typeof sequentialSchema>;

const verbose = z
  .union([z.literal('auto'), z.literal(0), z.literal(1), z.literal(2)], { error: "must be 'auto', 0, 1 or 2" })
  .default('auto')
  .transform((v) => (v === 'auto' ? 1 : v));
const tensorLike = z.custom<TensorLike>((v) => v !== undefined && v !== null, { error: 'must be a tf.Tensor, an array of numbers or a TypedArray' });
const positiveInt = (what: string) => z.number({ error: `must be a positive integer${what}` }).int({ error: `must be a positive integer${what}` }).positive({ error: `must be a positive integer${what}` });

const fitSchema = z.object({
  x: tensorLike,
  y: tensorLike,
  batch_size: positiveInt('').nullish().transform((v) => v ?? 32),
  epochs: z.number({ error: 'must be a non-negative integer' }).int({ error: 'must be a non-negative integer' }).min(0, { error: 'must be a non-negative integer' }).default(1),
  verbose,
  callbacks: z.array(z.custom<Callback>(), { error: 'must be a list of callbacks' }).nullish(),
  validation_split: z.number({ error: 'must be a float between 0 and 1' }).min(0, { error: 'must be a float between 0 and 1' }).lt(1, { error: 'must be a float between 0 and 1' }).default(0),
  validation_data: z
    .array(z.custom<TensorLike | null>((v) => v !== undefined), { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' })
    .min(2, { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' })
    .max(3, { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' })
    .nullish(),
  shuffle: z.boolean().default(true),
  class_weight: z.record(z.string(), z.number(), { error: 'must map class indices to weights, such as {0: 1, 1: 5}' }).nullish(),
  sample_weight: tensorLike.nullish(),
  initial_epoch: z.number().int().min(0, { error: 'must be a non-negative integer' }).default(0),
  validation_batch_size: positiveInt('').nullish(),
  validation_freq: positiveInt('').default(1),
});

/** Keyword arguments of `fit`. */
export type FitOptions = Omit<KerasOptions<typeof fitSchema>, 'x' | 'y'>;

type Verbose = 'auto' | 0 | 1 | 2;
// Keras's positional order: fit(x, y, batch_size, epochs, verbose, ...); the rest by keyword.
const FIT_POSITIONAL = ['x', 'y', 'batch_size', 'epochs', 'verbose'] as const;
/** `fit(x, y, {...})`, `fit(x, y, batch_size, epochs, {...})` or `fit({ x, y, ... })`. */
export type FitArgs =
  | [options: FitOptions & { x: TensorLike; y: TensorLike }]
  | [x: TensorLike, y: TensorLike, options?: FitOptions]
  | [x: TensorLike, y: TensorLike, batch_size: number | null, epochs?: number, verbose?: Verbose, options?: FitOptions];

const evaluateSchema = z.object({
  x: tensorLike,
  y: tensorLike,
  batch_size: positiveInt('').nullish().transform((v) => v ?? 32),
  verbose,
  sample_weight: tensorLike.nullish(),
  callbacks: z.array(z.custom<Callback>()).nullish(),
  return_dict: z.boolean().default(false),
});

/** Keyword arguments of `evaluate`. */
export type EvaluateOptions = Omit<KerasOptions<typeof evaluateSchema>, 'x' | 'y'>;
/** `evaluate(x, y, {...})`, `evaluate(x, y, batch_size, verbose)` or `evaluate({ x, y, ... })`. */
export type EvaluateArgs =
  | [options: EvaluateOptions & { x: TensorLike; y: TensorLike }]
  | [x: TensorLike, y: TensorLike, options?: EvaluateOptions]
  | [x: TensorLike, y: TensorLike, batch_size: number | null, verbose?: Verbose, options?: EvaluateOptions];

const predictSchema = z.object({
  x: tensorLike,
  batch_size: positiveInt('').nullish().transform((v) => v ?? 32),
  verbose,
  callbacks: z.array(z.custom<Callback>()).nullish(),
});

/** Keyword arguments of `predict`. */
export type PredictOptions = Omit<KerasOptions<typeof predictSchema>, 'x'>;
/** `predict(x, {...})`, `predict(x, batch_size, verbose)` or `predict({ x, ... })`. */
export type PredictArgs =
  | [options: PredictOptions & { x: TensorLike }]
  | [x: TensorLike, options?: PredictOptions]
  | [x: TensorLike, batch_size: number | null, verbose?: Verbose, options?: PredictOptions];

const onBatchSchema = z.object({
  x: tensorLike,
  y: tensorLike,
  sample_weight: tensorLike.nullish(),
  class_weight: z.record(z.string(), z.number()).nullish(),
  return_dict: z.boolean().default(false),
});

/** Keyword arguments of `train_on_batch` / `test_on_batch`. */
export type OnBatchOptions = Omit<KerasOptions<typeof onBatchSchema>, 'x' | 'y'>;

/**
 * What `evaluate`, `train_on_batch` and `test_on_batch` return. As in Python, the value is
 * the loss (a number) for a model compiled without metrics, `[loss, ...metrics]` with
 * metrics, and a dict with `return_dict: true`. The type admits every use Python admits, so
 * `const mse = model.evaluate(x, y)` and `const [, accuracy] = model.evaluate(x, y)`
 * (PORTING_SPEC §7) both type-check; which one holds at run time depends on how the model
 * was compiled, exactly as in Python.
 */
export type EvaluateResult = number & number[] & Logs;

export class SequentialModel {
  readonly name: string;
  /** Set by a callback (EarlyStopping, TerminateOnNaN...) to end `fit` after the current batch. */
  stop_training = false;
  /** The History of the last `fit`. */
  history: HistoryCallback | null = null;
  private readonly stack: Layer[] = [];
  private inputLayer: InputLayerLayer | null = null;
  private compileConfig: CompileConfig | null = null;
  private compiled: Compiled | null = null;
  // Set by dispose(): its layers would otherwise rebuild with fresh weights and answer silently.
  private disposed = false;

  /**
   * @param layers the layers, in order (optional; `add` them later). A `keras.Input(...)` may come first.
   * @param options.name the model's name. Defaults to `sequential`, `sequential_1`...
   */
  constructor(layers?: AnyLayer[] | SequentialOptions | null, options?: SequentialOptions) {
    const args = parseArgs('Sequential', sequentialSchema, ['layers'], [layers, options]);
    this.name = args.name ?? uniqueName('sequential');
    for (const layer of args.layers ?? []) this.add(layer);
    if (!args.trainable) this.trainable = false;
  }

  /** The layers, in order (a leading InputLayer is not listed, as in Keras). */
  get layers(): Layer[] {
    return [...this.stack];
  }

  /** Appends a layer; builds it now when the model's input shape is known. */
  add(given: AnyLayer): void {
    // The stack holds single-output layers (checked below, as Keras does); their type says so.
    const layer = given as unknown as Layer;
    if (!(layer instanceof Layer)) {
      // `model.add(Dense)`: the class itself, a slip worth naming.
      const isLayerClass = typeof layer === 'function' && (layer as { prototype?: unknown }).prototype instanceof Layer;
      throw new TypeError(
        `The added layer must be an instance of class Layer. Received: layer=${repr(layer)} of type ${typeof layer}.` +
          (isLayerClass ? ' This is the layer class: call it to make a layer, such as Dense(8).' : ''),
      );
    }
    if (layer instanceof InputLayerLayer) {
      if (this.stack.length > 0 || this.inputLayer !== null) {
        throw new ValueError('Sequential model: an InputLayer (or keras.Input) can only be the first layer of the model.');
      }
      this.inputLayer = layer;
      return;
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
      );
    }
    if (this.stack.length > 0 && layer.batch_input_shape !== undefined) {
      // Keras ignores input_shape on a later layer, but a mismatch is a mistake worth reporting.
      const expected = this.knownOutputShape();
      if (expected !== undefined && expected[expected.length - 1] !== layer.batch_input_shape[layer.batch_input_shape.length - 1]) {
        throw new ValueError(
          `Input 0 of layer "${layer.name}" is incompatible with the layer: expected shape=${shapeText(layer.batch_input_shape)}, found shape=${shapeText(expected)}`,
        );
      }
    }
    this.stack.push(layer);
    try {
      // Builds the new layer (and any before it) as soon as the input shape is known, as Keras does.
      this.knownOutputShape();
    } catch (error) {
      this.stack.pop();
      throw error;
    }
    this.dropCompiled();
  }

  /** Keras's `get_layer(name)` or `get_layer({ index })`: a layer by name or by position in `layers`. */
  get_layer(name?: string | null, options: { index?: number } = {}): Layer {
    if (name !== undefined && name !== null) {
      const found = this.stack.find((l) => l.name === name);
      if (found === undefined) {
        throw new ValueError(`No such layer: ${name}. Existing layers are: [${this.stack.map((l) => `'${l.name}'`).join(', ')}].`);
      }
      return found;
    }
    const index = options.index;
    if (index === undefined) throw new ValueError('Provide either a layer name or layer index at `get_layer`.');
    const layer = this.stack[index];
    if (layer === undefined) {
      throw new ValueError(`Was asked to retrieve layer at index ${index} but model only has ${this.stack.length} layers.`);
    }
    return layer;
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new TypeError('There are no layers in the model.');
    this.dropCompiled();
    return layer;
  }

  /** The model's input shape (batch axis included), once known. */
  get input_shape(): Shape {
    const shape = this.declaredInputShape();
    if (shape === undefined) throw new ValueError(`Sequential model "${this.name}" has no input shape yet: give the first layer an input_shape, or call build / fit first.`);
    return [...shape];
  }

  /** The model's output shape (batch axis included), once known. */
  get output_shape(): Shape {
    const shape = this.knownOutputShape();
    if (shape === undefined) throw new ValueError(`Sequential model "${this.name}" has no output shape yet: give the first layer an input_shape, or call build / fit first.`);
    return shape;
  }

  get built(): boolean {
    return this.stack.length > 0 && this.stack.every((l) => l.built);
  }

  /** Builds every layer for inputs of `input_shape` (batch axis included: `[null, 8]`). */
  build(input_shape?: Shape): void {
    const shape = input_shape ?? this.declaredInputShape();
    if (shape === undefined) {
      throw new ValueError(`Sequential.build: \`input_shape\` must be given when the first layer has none. Received: input_shape=${repr(input_shape)}`);
    }
    let current: Shape = [...shape];
    for (const layer of this.stack) {
      this.buildLayer(layer, current);
      current = layer.compute_output_shape(current);
    }
  }

  // ---- weights ----

  get weights(): tf.Variable[] {
    return [...this.trainable_weights, ...this.non_trainable_weights];
  }

  /** Whether any layer trains; setting it sets every layer's `trainable`, as in Keras. */
  get trainable(): boolean {
    return this.stack.some((l) => l.trainable) || this.stack.length === 0;
  }
  set trainable(value: boolean) {
    for (const layer of this.stack) layer.trainable = value;
  }

  get trainable_weights(): tf.Variable[] {
    return this.stack.flatMap((l) => l.trainable_weights);
  }

  get non_trainable_weights(): tf.Variable[] {
    return this.stack.flatMap((l) => l.non_trainable_weights);
  }

  /** Copies of every weight, layer by layer (kernel, bias, ...), as Keras orders them. */
  get_weights(): tf.Tensor[] {
    return this.stack.flatMap((l) => l.get_weights());
  }

  /** Sets every weight from `get_weights()`-ordered tensors or arrays. */
  set_weights(weights: readonly TensorLike[]): void {
    const expected = this.stack.reduce((n, l) => n + l.weights.length, 0);
    if (weights.length !== expected) {
      throw new ValueError(`You called \`set_weights(weights)\` on model "${this.name}" with a weight list of length ${weights.length}, but the model was expecting ${expected} weights.`);
    }
    let offset = 0;
    for (const layer of this.stack) {
      const count = layer.weights.length;
      layer.set_weights(weights.slice(offset, offset + count));
      offset += count;
    }
  }

  count_params(): number {
    if (!this.built) {
      throw new ValueError(`You tried to call \`count_params\` on model '${this.name}', but the model isn't built. You can build it manually via: \`model.build(batch_input_shape)\`.`);
    }
    return this.stack.reduce((n, l) => n + l.count_params(), 0);
  }

  // ---- compile ----

  /**
   * Configures training: `compile(optimizer, loss, metrics)` or `compile({ optimizer, loss, metrics })`.
   * @param optimizer a name (`'adam'`, `'SGD'`...) or an optimizer instance. Defaults to `'rmsprop'`.
   * @param loss a Keras loss name or alias (`'mse'`, `'binary_crossentropy'`...), a `keras.losses` object or a function.
   * @param metrics names (`'accuracy'`, `'mae'`...), functions or metric objects, reported by `fit` and `evaluate`.
   */
  compile(...args: CompileArgs): void {
    const config = resolveCompile(args);
    this.dropCompiled();
    this.compileConfig = config;
  }

  get optimizer(): Optimizer {
    return this.requireCompiled().optimizer;
  }

  get loss(): LossFunction {
    return this.requireCompiled().loss;
  }

  /** The metric objects (after the first fit / evaluate; empty before). */
  get metrics(): Metric[] {
    return this.compiled === null ? [] : allMetrics(this.compiled);
  }

  /** `['loss', ...metric names]`: the order of `evaluate`'s result. */
  get metrics_names(): string[] {
    if (this.compileConfig === null) return [];
    if (this.compiled !== null) return ['loss', ...allMetrics(this.compiled).map((m) => m.name)];
    const identifiers = [...this.compileConfig.metricIdentifiers, ...this.compileConfig.weightedMetricIdentifiers];
    return ['loss', ...identifiers.map((m) => (typeof m === 'string' ? m : ((m as { name?: string }).name ?? 'metric')))];
  }

  // ---- training and inference ----

  /**
   * Trains the model: `fit(x, y, { epochs, batch_size, validation_data, ... })`.
   * @param x inputs: a tf.Tensor, nested number arrays, or a TypedArray.
   * @param y targets, one per sample of `x`.
   * @param options.batch_size samples per gradient update. Defaults to 32.
   * @param options.epochs passes over the data. Defaults to 1.
   * @param options.verbose 0 silent, 1 progress bar, 2 one line per epoch. Defaults to 'auto' (1).
   * @param options.callbacks `keras.callbacks` objects called during training.
   * @param options.validation_split the fraction of the data (its last samples, before shuffling) held out for validation.
   * @param options.validation_data `[x_val, y_val]` (or with sample weights) evaluated after each epoch; overrides validation_split.
   * @param options.shuffle shuffle the training samples before each epoch. Defaults to true.
   * @param options.class_weight `{class: weight}` scaling the loss of each sample by its class.
   * @param options.sample_weight one weight per sample, scaling its loss.
   * @param options.initial_epoch the epoch to start counting from (to resume training). Defaults to 0.
   * @param options.validation_batch_size batch size of the validation. Defaults to batch_size.
   * @param options.validation_freq validate every this many epochs. Defaults to 1.
   * @returns the History: `history.history.loss`, `history.history.val_accuracy`, ... and `history.epoch`.
   */
  fit(...given: FitArgs): HistoryCallback {
    const args = parseArgs('Sequential.fit', fitSchema, FIT_POSITIONAL, given);
    const compileConfig = this.requireCompiled();
    if (args.class_weight && args.sample_weight) {
      throw new ValueError('You cannot use `class_weight` and `sample_weight` at the same time.');
    }
    let data: Dataset | null = this.readData(args.x, args.y, args.sample_weight, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    let validation: Dataset | null = null;
    try {
      if (args.class_weight) {
        const weights = classWeightsToSampleWeights(data.y!, args.class_weight);
        data = { ...data, sampleWeight: weights };
      }
      if (args.validation_data) {
        const [vx, vy, vw] = args.validation_data;
        validation = this.readData(vx!, vy!, vw ?? null, { x: 'validation_data[0]', y: 'validation_data[1]', sampleWeight: 'validation_data[2]' });
      } else if (args.validation_split > 0) {
        const split = splitValidation(data, args.validation_split);
        data = split.train;
        validation = split.validation;
      }
      const compiled = this.compiledFor(compileConfig, data.y!, validation?.y ?? null);
      compileConfig.optimizer._check_variables_are_known(this.trainable_weights);
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_history: true,
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: args.epochs, steps: Math.ceil(data.x.shape[0]! / args.batch_size) },
      });
      fitLoop(this, compiled, data, validation, {
        batch_size: args.batch_size,
        epochs: args.epochs,
        initial_epoch: args.initial_epoch,
        shuffle: args.shuffle,
        validation_batch_size: args.validation_batch_size ?? args.batch_size,
        validation_freq: args.validation_freq,
      }, callbacks);
      this.history = callbacks.history;
      return callbacks.history!;
    } finally {
      disposeDataset(data);
      disposeDataset(validation);
    }
  }

  /**
   * The loss (and metrics) on `x`, `y`: a number when there are no metrics, else
   * `[loss, ...metrics]` in `metrics_names` order, or a dict with `return_dict: true`.
   */
  evaluate(...given: EvaluateArgs): EvaluateResult {
    const args = parseArgs('Sequential.evaluate', evaluateSchema, ['x', 'y', 'batch_size', 'verbose'], given);
    const compileConfig = this.requireCompiled();
    const data = this.readData(args.x, args.y, args.sample_weight, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      const compiled = this.compiledFor(compileConfig, data.y!);
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: 1, steps: Math.ceil(data.x.shape[0]! / args.batch_size) },
      });
      const logs = testLoop(this, compiled, data, args.batch_size, callbacks);
      return this.formatResult(logs, args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The model's outputs for `x`, as one tf.Tensor. */
  predict(...given: PredictArgs): tf.Tensor {
    const args = parseArgs('Sequential.predict', predictSchema, ['x', 'batch_size', 'verbose'], given);
    const data = this.readData(args.x, null, null, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: 1, steps: Math.ceil(data.x.shape[0]! / args.batch_size) },
      });
      const out = predictLoop(this, data.x, args.batch_size, callbacks);
      return out === data.x ? out.clone() : out;
    } finally {
      disposeDataset(data);
    }
  }

  /**
   * TF2's `predict_classes`: the index of the largest output for a multi-class model,
   * or `output > 0.5` as 0/1 for a single sigmoid output (int32 tensor).
   */
  predict_classes(x: TensorLike, options?: PredictOptions): tf.Tensor {
    const probabilities = this.predict(x, { verbose: 0, ...options });
    return tf.tidy(() => {
      const last = probabilities.shape[probabilities.rank - 1]!;
      const classes = last > 1 ? tf.argMax(probabilities, -1) : tf.cast(tf.greater(probabilities, 0.5), 'int32');
      probabilities.dispose();
      return classes;
    });
  }

  /** One gradient update on one batch; returns its loss (and metrics), as `evaluate` does. */
  train_on_batch(x: TensorLike, y: TensorLike, options?: OnBatchOptions): EvaluateResult {
    const args = parseOptions('Sequential.train_on_batch', onBatchSchema, { ...options, x, y });
    const compileConfig = this.requireCompiled();
    if (args.class_weight && args.sample_weight) throw new ValueError('You cannot use `class_weight` and `sample_weight` at the same time.');
    let data = this.readData(args.x, args.y, args.sample_weight, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      if (args.class_weight) data = { ...data, sampleWeight: classWeightsToSampleWeights(data.y!, args.class_weight) };
      const compiled = this.compiledFor(compileConfig, data.y!);
      compileConfig.optimizer._check_variables_are_known(this.trainable_weights);
      const callbacks = new CallbackList([], { model: this, params: { verbose: 0, epochs: 1, steps: 1 } });
      const logs = fitLoop(this, compiled, data, null, { batch_size: data.x.shape[0]!, epochs: 1, initial_epoch: 0, shuffle: false, validation_batch_size: 1, validation_freq: 1 }, callbacks);
      return this.formatResult(logs!, args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The loss (and metrics) on one batch, without updating the weights. */
  test_on_batch(x: TensorLike, y: TensorLike, options?: OnBatchOptions): EvaluateResult {
    const args = parseOptions('Sequential.test_on_batch', onBatchSchema, { ...options, x, y });
    const compileConfig = this.requireCompiled();
    const data = this.readData(args.x, args.y, args.sample_weight, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      const compiled = this.compiledFor(compileConfig, data.y!);
      const callbacks = new CallbackList([], { model: this, params: { verbose: 0, epochs: 1, steps: 1 } });
      return this.formatResult(testLoop(this, compiled, data, data.x.shape[0]!, callbacks), args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The outputs for one batch. */
  predict_on_batch(x: TensorLike): tf.Tensor {
    return this.predict(x, { verbose: 0, batch_size: Number.MAX_SAFE_INTEGER });
  }

  /** Prints Keras's table of layers, output shapes and parameter counts. */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  /** Keras 3's config: `{ name, trainable, dtype, layers: [serialized layers], build_input_shape }`. */
  get_config(): Record<string, unknown> {
    const inputLayers = this.inputLayer ? [this.inputLayer] : [];
    return sequentialConfig({ name: this.name, trainable: this.trainable, built: this.built, inputLayers, layers: this.stack, declaredInputShape: this.declaredInputShape() });
  }

  /** Keras's `Sequential.from_config(config, custom_objects)`: a new model (not compiled) from `get_config()`. */
  static from_config(config: Record<string, unknown>, custom_objects: CustomObjects = {}): SequentialModel {
    return sequentialFromConfig(config, custom_objects, (options) => new SequentialModel(options));
  }

  // ---- saving (src/saving/) ----

  /** Keras's `model.save('model.keras')`: architecture, weights and optimizer state in one file. */
  save(filepath: string, options?: SaveModelOptions): void {
    save_model(this, filepath, options);
  }

  /** Keras's `model.save_weights('model.weights.h5')`: the layers' weights and the optimizer's state. */
  save_weights(filepath: string, options?: SaveWeightsOptions): void {
    save_weights(this, filepath, options);
  }

  /** Keras's `model.load_weights(path)`: from `.weights.h5`, `.keras` or a legacy `.h5`. */
  load_weights(filepath: string, options?: LoadWeightsOptions): void {
    this.assertNotDisposed();
    load_weights(this, filepath, options);
  }

  /** Keras's `model.to_json()`: the serialized model (`keras.models.model_from_json` rebuilds it). */
  to_json(): string {
    return JSON.stringify(serializeModel(this, 'Sequential'));
  }

  /** Keras's `get_compile_config()`: what `compile` was given, serialized; `{}` before compile. */
  get_compile_config(): Record<string, unknown> {
    const config = this.compileConfig;
    if (config === null) return {};
    return serializeCompileConfig({ optimizer: config.optimizer, loss: config.lossIdentifier, metrics: config.metricIdentifiers, weighted_metrics: config.weightedMetricIdentifiers });
  }

  /** Keras's `compile_from_config(config)`: compiles from `get_compile_config()`, building the optimizer when the model is built. */
  compile_from_config(config: Record<string, unknown>): void {
    this.compile(compileArgumentsFromConfig(config) as CompileOptions);
    if (this.built) this.compileConfig!.optimizer.build(this.trainable_weights);
  }

  /** Frees the weights (and the optimizer's state). The model cannot be used afterwards. */
  dispose(): void {
    for (const layer of this.stack) layer.dispose();
    this.compileConfig?.optimizer.dispose();
    this.dropCompiled();
    this.compileConfig = null;
    this.disposed = true;
  }

  toString(): string {
    return `<Sequential name=${this.name}, built=${String(this.built)}>`;
  }

  // ---- internals ----

  /** Shapes for summary(): the output shape of each layer, when known. */
  layerOutputShapes(): Array<Shape | undefined> {
    let current = this.declaredInputShape();
    return this.stack.map((layer) => {
      if (current === undefined) return undefined;
      current = layer.compute_output_shape(current);
      return current;
    });
  }

  private declaredInputShape(): Shape | undefined {
    if (this.inputLayer !== null) return this.inputLayer.batch_input_shape;
    const first = this.stack[0];
    if (first === undefined) return undefined;
    return first.batch_input_shape ?? first.build_input_shape;
  }

  private knownOutputShape(): Shape | undefined {
    let current = this.declaredInputShape();
    if (current === undefined) return undefined;
    for (const layer of this.stack) {
      if (!layer.built) this.buildLayer(layer, current);
      current = singleOutput(layer, layer.compute_output_shape(current));
    }
    return current;
  }

  private buildLayer(layer: Layer, inputShape: Shape): void {
    if (layer.built) layer.assertInputCompatible(inputShape);
    else layer.build([null, ...inputShape.slice(1)]);
  }

  /** Forgets the resolved metrics, freeing the state of those made from names or functions (the user owns the objects they passed). */
  private dropCompiled(): void {
    if (this.compiled !== null && this.compileConfig !== null) {
      const given = new Set<unknown>([...this.compileConfig.metricIdentifiers, ...this.compileConfig.weightedMetricIdentifiers]);
      for (const metric of [...this.compiled.metrics, ...this.compiled.weighted_metrics]) {
        if (!given.has(metric)) metric.dispose();
      }
    }
    this.compiled = null;
  }

  private requireCompiled(): CompileConfig {
    this.assertNotDisposed();
    if (this.compileConfig === null) {
      throw new RuntimeError("You must compile your model before training/testing. Use `model.compile(optimizer, loss)`, such as model.compile({ optimizer: 'adam', loss: 'mse' }).");
    }
    return this.compileConfig;
  }

  /**
   * The compiled state, resolving the metrics on first use from the output and target shapes, as
   * Keras does; then every metric checks the targets `y` (and `fit`'s validation targets) against
   * the output, so a shape it would refuse fails here, at the call, and not at the end of an epoch
   * that has trained (`fit` updates its metrics when the logs are read, deferred_logs.ts).
   */
  private compiledFor(config: CompileConfig, y: tf.Tensor, validationY: tf.Tensor | null = null): Compiled {
    this.compiled ??= resolveMetrics(config, this.output_shape, y.shape);
    this.checkMetricTargets(this.compiled, y);
    if (validationY !== null) this.checkMetricTargets(this.compiled, validationY);
    return this.compiled;
  }

  /** Each metric's own shape check (its `update_state`'s error) on targets `y` against the outputs for `y`'s samples. */
  private checkMetricTargets(compiled: Compiled, y: tf.Tensor): void {
    const output = this.output_shape.slice(1);
    // An output axis unknown until data flows is left to the metric's own check, batch by batch.
    if (output.some((size) => size === null)) return;
    const yPred = [y.shape[0]!, ...(output as number[])];
    for (const metric of allMetrics(compiled)) metric.assertInputsCompatible(y.shape, yPred);
  }

  private assertNotDisposed(): void {
    if (this.disposed) {
      throw new RuntimeError(`Sequential model "${this.name}" was disposed: its weights are freed. Build a new model to train or predict.`);
    }
  }

  /** Reads x (and y), builds the model on first data, and checks shapes against the layers. */
  private readData(x: TensorLike, y: TensorLike | null | undefined, sampleWeight: TensorLike | null | undefined, names: { x: string; y: string; sampleWeight: string }): Dataset {
    this.assertNotDisposed();
    if (this.stack.length === 0) throw new ValueError(`Sequential model "${this.name}" has no layers; add some with model.add(...) first.`);
    const declared = this.declaredInputShape();
    const data = readDataset(x, y, sampleWeight, {
      input: declared === undefined ? null : (declared[declared.length - 1] ?? null),
      output: (xs) => {
        // Build from the first data now, so a 1-D y is read as a column for a one-unit output.
        if (!this.built) this.build(declared ?? [null, ...xs.shape.slice(1)]);
        return (this.knownOutputShape() ?? [null]).at(-1) ?? null;
      },
    }, names);
    try {
      if (!this.built) this.build(declared ?? [null, ...data.x.shape.slice(1)]);
      try {
        this.stack[0]!.assertInputCompatible(data.x.shape);
      } catch (error) {
        // `predict([1, 2, 3])` for input_shape [3]: one sample, missing its batch axis (its shape is the sample's;
        // [4, 28, 28] for input_shape [28, 28, 1] is a batch missing its channel axis, not one sample).
        const oneSample = declared !== undefined && data.x.rank === declared.length - 1 && declared.slice(1).every((d, i) => d === null || d === data.x.shape[i]);
        if (!(error instanceof ValueError) || !oneSample) throw error;
        throw new ValueError(`${error.message}. \`${names.x}\` looks like one sample without the batch axis: wrap it in a list ([${names.x}]) to pass a batch of one.`);
      }
      if (data.y !== null) this.checkTargets(data.y, names.y);
    } catch (error) {
      disposeDataset(data);
      throw error;
    }
    return data;
  }

  private checkTargets(y: tf.Tensor, name: string): void {
    const output = this.output_shape;
    const loss = this.compileConfig?.loss;
    if (loss === undefined) return;
    const sparse = loss.name.startsWith('sparse_');
    const expected = sparse ? output.slice(1, -1) : output.slice(1);
    const received = sparse && y.rank === output.length ? y.shape.slice(1, -1) : y.shape.slice(1);
    const fits = expected.length === received.length && expected.every((s, i) => s === null || s === received[i]);
    if (!fits) {
      throw new ValueError(
        `Arguments \`target\` and \`output\` must have the same shape${sparse ? ' (up to the class axis, for a sparse loss)' : ''}. ` +
          `Received: ${name}.shape=${shapeText([null, ...y.shape.slice(1)])}, output.shape=${shapeText(output)} (loss: ${loss.name}).` +
          (loss.name.startsWith('categorical_') && looksLikeClassIndices(y, output) ? CLASS_INDICES_HINT : ''),
      );
    }
    loss.checkTargets?.(y, output.map((s) => s ?? y.shape[0]!));
  }

  private formatResult(logs: Logs, returnDict: boolean): EvaluateResult {
    const names = this.metrics_names;
    const result: number | number[] | Logs = returnDict ? { ...logs } : names.length <= 1 ? logs.loss! : names.map((name) => logs[name]!);
    return result as EvaluateResult;
  }
}

/** Keras's rule: every layer of a Sequential model has one output tensor. */
function singleOutput(layer: Layer, shape: Shape | Shape[]): Shape {
  if (isShapeList(shape)) {
    throw new ValueError(
      `All layers added to a Sequential model should have a single output tensor. For multi-output layers, use the functional API. Received: layer "${layer.name}" with ${shape.length} outputs.`,
    );
  }
  return shape;
}

const CLASS_INDICES_HINT =
  ' These look like class indices: use sparse_categorical_crossentropy, or one-hot encode them with keras.utils.to_categorical(y).';

/** One label per sample ([N] or [N, 1]) for an output with several units: a student's sparse labels. */
function looksLikeClassIndices(y: tf.Tensor, output: Shape): boolean {
  const units = output[output.length - 1] ?? 1;
  return units > 1 && output.length === 2 && (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1));
}

registerModelClass('Sequential', (config, custom_objects) => SequentialModel.from_config(config, custom_objects));

export const Sequential = callable(SequentialModel);
export type Sequential = SequentialModel;

