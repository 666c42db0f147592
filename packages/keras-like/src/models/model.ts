/**
 * `keras.Model`: a graph of layers, trained by one engine (train_step.ts, training.ts).
 *
 *   const inputs = keras.Input({ shape: [8] });
 *   const h = Dense(12, { activation: 'relu' }).apply(inputs);     // or Dense(12, ...)(inputs)
 *   const outputs = Dense(1, { activation: 'sigmoid' }).apply(h);
 *   const model = keras.Model({ inputs, outputs });                 // or keras.Model(inputs, outputs)
 *   model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
 *   model.fit(X, y, { epochs: 150, batch_size: 10 });
 *
 * Three kinds of model share this class, as in Keras 3:
 * - functional (`inputs` / `outputs` given): the layer calls between them (models/graph.ts), trained
 *   by each layer's explicit forward and backward, in graph order;
 * - Sequential (models/sequential.ts): the linear case of the same graph;
 * - a subclass that writes `call(inputs, { training })` (Keras's model subclassing): its layers are
 *   found among its fields, as Keras tracks attributes, and it trains by TensorFlow.js autodiff.
 *
 * A model is a layer: called on KerasTensors it becomes one call (a Node) of a larger graph, and
 * its forward / backward run its own graph, so a nested model trains by the same explicit backward.
 *
 * `fit`, `evaluate` and `predict` are synchronous, as in Python; `await` on them also works.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { uniqueName } from '../backend/session.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback_list.js';
import type { HistoryCallback } from '../callbacks/history.js';
import { NotImplementedError, RuntimeError, ValueError } from '../errors.js';
import { InputLayerLayer } from '../layers/input_layer.js';
import { layerArguments } from '../layers/serialization.js';
import { isKerasTensor, isSymbolic, KerasTensor, type AnyLayer } from '../layers/keras_tensor.js';
import { isShapeList, Layer, layerSchema, shapeText, type CallOptions, type ForwardPass, type Gradients, type LayerInputs, type Masks, type Shape, type SymbolicOf, type Tensors } from '../layers/layer.js';
import type { LossFunction } from '../losses.js';
import type { Metric } from '../metrics.js';
import type { Optimizer } from '../optimizers/base.js';
import { parseArgs, parseOptions, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import type { TensorLike } from '../utils/data.js';
import { resolveCompile, resolveMetrics, type CompileArgs, type CompileConfig, type CompileOptions } from './compile.js';
import { compileArgumentsFromConfig, serializeCompileConfig } from '../saving/compile_config.js';
import { functionalConfig, functionalFromConfig } from '../saving/functional_config.js';
import { registerModelClass, serializeModel, type CustomObjects } from '../saving/model_config.js';
import { save_model, type SaveModelOptions } from '../saving/model_file.js';
import { load_weights, save_weights, type LoadWeightsOptions, type SaveWeightsOptions } from '../saving/weights_file.js';
import { classWeightsToSampleWeights, disposeDataset, readDataset, splitValidation, type Dataset } from './data_adapter.js';
import { arraySource, generatorSource, isBatchGenerator, type BatchGenerator, type EpochSource } from './generator_adapter.js';
import { Graph } from './graph.js';
import { flatten, isKerasTensorDict, pack, pythonKeys, pythonStructure, type KerasTensorDict, type KerasTensorList, type Structure } from './structure.js';
import { warnOnce } from '../callbacks/monitor.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { fitLoop, predictLoop, testLoop } from './training.js';
import { allMetrics, backpropGraph, backwardPlan, predictGraph, runGraph, type Compiled, type GraphRun } from './train_step.js';

/** What a model reads as data: one tensor-like value, a list (one per input or output), a dict by name, or a generator of batches. */
export type InputData = TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>> | BatchGenerator;

/**
 * What `predict` returns: a tensor for a model with one output, a list of tensors (in
 * `model.outputs` order) for several, as in Python. The type admits both uses, as `EvaluateResult` does.
 */
export type Predictions = tf.Tensor & tf.Tensor[];

/**
 * What a functional model returns on KerasTensors: its outputs in the structure they were given
 * (one KerasTensor, a list, lists in a list, or a dict by key). Typed as `Predictions` is, so that
 * it passes as one KerasTensor or as a list without a cast; a dict's entries are read with
 * `(out as unknown as keras.models.KerasTensorDict).a`, a nested list's with `out[1] as unknown as KerasTensor[]`.
 */
export type SymbolicOutputs = KerasTensor & KerasTensor[];

/** A functional model's inputs or outputs: one KerasTensor, a list (lists in it, as a stacked RNN's states), or a dict by key. */
export type SymbolicStructure = KerasTensor | KerasTensor[] | KerasTensorList | KerasTensorDict;

const symbolic = z.custom<SymbolicStructure>((v) => v !== undefined && v !== null, { error: 'must be a KerasTensor (from keras.Input), a list or a dict of them' });
const modelSchema = z.object({
  inputs: symbolic.optional(),
  outputs: symbolic.optional(),
  name: z.string().min(1).optional(),
  trainable: z.boolean().default(true),
  // What a subclass's `get_config()` holds, so `new MyModel(config)` takes it back: a name, or the
  // DTypePolicy Keras writes in config.json (a user's `from_config` passes it on as Python's `cls(**config)`).
  dtype: z.preprocess(
    (v) => (isDict(v) && isDict(v.config) ? v.config.name : v),
    z.literal('float32', { message: "must be 'float32' (keras-like computes in float32)" }).default('float32'),
  ),
});

/** Keyword arguments of `keras.Model`: `inputs`, `outputs`, `name`, `trainable`. */
export type ModelOptions = KerasOptions<typeof modelSchema>;
/** `Model({ inputs, outputs, name })`, `Model(inputs, outputs, { name })`, or `Model()` / `Model({ name })` in a subclass. */
export type ModelArgs = [options?: ModelOptions] | [inputs: SymbolicStructure, outputs: SymbolicStructure, options?: ModelOptions];

const verbose = z
  .union([z.literal('auto'), z.literal(0), z.literal(1), z.literal(2)], { error: "must be 'auto', 0, 1 or 2" })
  .default('auto')
  .transform((v) => (v === 'auto' ? 1 : v));
const tensorLike = z.custom<InputData>((v) => v !== undefined && v !== null, { error: 'must be a tf.Tensor, an array of numbers or a TypedArray' });
const positiveInt = (what: string) => z.number({ error: `must be a positive integer${what}` }).int({ error: `must be a positive integer${what}` }).positive({ error: `must be a positive integer${what}` });

const fitSchema = z.object({
  x: tensorLike,
  y: tensorLike.nullish(),
  steps_per_epoch: positiveInt('').nullish(),
  validation_steps: positiveInt('').nullish(),
  batch_size: positiveInt('').nullish().transform((v) => v ?? 32),
  epochs: z.number({ error: 'must be a non-negative integer' }).int({ error: 'must be a non-negative integer' }).min(0, { error: 'must be a non-negative integer' }).default(1),
  verbose,
  callbacks: z.array(z.custom<Callback>(), { error: 'must be a list of callbacks' }).nullish(),
  validation_split: z.number({ error: 'must be a float between 0 and 1' }).min(0, { error: 'must be a float between 0 and 1' }).lt(1, { error: 'must be a float between 0 and 1' }).default(0),
  validation_data: z
    .union([
      z.custom<BatchGenerator>((v) => isBatchGenerator(v)),
      z
        .array(z.custom<InputData | null>((v) => v !== undefined), { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' })
        .min(2, { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' })
        .max(3, { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val]' }),
    ], { error: 'must be [x_val, y_val] or [x_val, y_val, sample_weight_val], or a generator of batches' })
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
  | [options: FitOptions & { x: InputData; y?: InputData | null }]
  | [generator: BatchGenerator, options?: FitOptions]
  | [x: InputData, y?: InputData | null, options?: FitOptions]
  | [x: InputData, y: InputData | null | undefined, batch_size: number | null, epochs?: number, verbose?: Verbose, options?: FitOptions];

const evaluateSchema = z.object({
  x: tensorLike,
  y: tensorLike.nullish(),
  steps: positiveInt('').nullish(),
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
  | [options: EvaluateOptions & { x: InputData; y?: InputData | null }]
  | [generator: BatchGenerator, options?: EvaluateOptions]
  | [x: InputData, y?: InputData | null, options?: EvaluateOptions]
  | [x: InputData, y: InputData | null | undefined, batch_size: number | null, verbose?: Verbose, options?: EvaluateOptions];

const predictSchema = z.object({
  x: tensorLike,
  steps: positiveInt('').nullish(),
  batch_size: positiveInt('').nullish().transform((v) => v ?? 32),
  verbose,
  callbacks: z.array(z.custom<Callback>()).nullish(),
});

/** Keyword arguments of `predict`. */
export type PredictOptions = Omit<KerasOptions<typeof predictSchema>, 'x'>;
/** `predict(x, {...})`, `predict(x, batch_size, verbose)` or `predict({ x, ... })`. */
export type PredictArgs =
  | [options: PredictOptions & { x: InputData }]
  | [x: InputData, options?: PredictOptions]
  | [x: InputData, batch_size: number | null, verbose?: Verbose, options?: PredictOptions];

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

/**
 * The fields every model has (Layer's and ModelClass's own), recorded from the first model made:
 * Keras's `get_attr_skipset`, so that only a subclass's own fields are walked for its layers.
 */
let BASE_FIELDS: ReadonlySet<string> | null = null;

/** Keras's NotImplementedError for an object it cannot write a config of, with the TypeScript spelling. */
function mustOverrideGetConfig(className: string): NotImplementedError {
  return new NotImplementedError(
    `Object ${className} is a subclass of keras.Model without its own \`get_config()\`: keras-like cannot read the arguments ` +
      `its constructor was given (Keras 3 records them when they are plain values), and therefore the object must override ` +
      `\`get_config()\` in order to be serializable. Please implement \`get_config()\` (and a static \`from_config(config)\` ` +
      `when the constructor does not take the config's keys as its options). model.save_weights() needs neither. Example:\n\n` +
      `class ${className} extends keras.Model {\n` +
      `  constructor({ units = 4, ...options }: { units?: number } & ModelOptions = {}) {\n` +
      `    super(options);\n    this.units = units;\n    this.dense = keras.layers.Dense(units);\n  }\n` +
      `  get_config() {\n    return { ...super.get_config(), units: this.units };\n  }\n}`,
  );
}

/** `MyModel` → `my_model` (Keras's default name of a subclassed model). */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export class ModelClass extends Layer<Tensors, Tensors> {
  /** Set by a callback (EarlyStopping, TerminateOnNaN...) to end `fit` after the current batch. */
  stop_training = false;
  /** Set by a callback's `on_train_begin` (BackupAndRestore) to start `fit` at a restored epoch; `fit` clears it. */
  _initial_epoch: number | null = null;
  /** The History of the last `fit`. */
  history: HistoryCallback | null = null;
  private _graph: Graph | null = null;
  /** How the model was given its inputs / outputs (one, a list, a dict: Keras's structures). */
  private inputStructure: Structure = { kind: 'one' };
  private outputStructure: Structure = { kind: 'one' };
  private compileConfig: CompileConfig | null = null;
  private compiled: Compiled | null = null;
  // Set by dispose(): its layers would otherwise rebuild with fresh weights and answer silently.
  private disposed = false;

  /**
   * @param inputs the model's input KerasTensor(s) (from `keras.Input`).
   * @param outputs the KerasTensor(s) the layers made from them.
   * @param options.name the model's name. Defaults to `functional`, `functional_1`...
   */
  constructor(...args: ModelArgs) {
    // Model({ a: x1 }, { out: y }): a dict of KerasTensors in the last slot is the outputs, not the keyword arguments.
    const given = args.length === 2 && isKerasTensorDict(args[1]) ? [...args, {}] : args;
    const parsed = parseArgs('Model', modelSchema, ['inputs', 'outputs'], given);
    const functional = parsed.inputs !== undefined || parsed.outputs !== undefined;
    const defaultName = functional || new.target === ModelClass ? 'functional' : snakeCase(new.target.name.replace(/Class$/, ''));
    super(layerSchema.parse({ name: parsed.name, trainable: parsed.trainable }), defaultName);
    if (functional) {
      if (parsed.inputs === undefined || parsed.outputs === undefined) {
        throw new ValueError(`Model: \`inputs\` and \`outputs\` must both be given for a functional model. Received: inputs=${repr(parsed.inputs)}, outputs=${repr(parsed.outputs)}`);
      }
      this.setGraph(parsed.inputs, parsed.outputs, true);
    }
    BASE_FIELDS ??= new Set(Object.keys(this));
  }

  override get className(): string {
    if (this.constructor === ModelClass) return 'Functional';
    return super.className;
  }

  /** The graph the engine runs; null for a subclass with its own `call` until it has one. */
  get graph(): Graph | null {
    return this._graph;
  }

  /** Makes this model the graph from `inputs` to `outputs` (Keras's functional constructor). */
  protected setGraph(inputs: SymbolicStructure, outputs: SymbolicStructure, trackLayers: boolean): void {
    const inputList = checkSymbolic(inputs, 'inputs');
    const outputList = checkSymbolic(outputs, 'outputs');
    this._graph = new Graph(inputList, outputList);
    this.inputStructure = flatten(inputs).structure;
    this.outputStructure = flatten(outputs).structure;
    if (this.inputStructure.kind === 'dict') {
      for (const key of this.inputStructure.given) {
        const tensor = (inputs as KerasTensorDict)[key]!;
        if (key !== tensor.name) {
          warnOnce(
            `When providing \`inputs\` as a dict, all keys in the dict must match the names of the corresponding tensors. ` +
              `Received key '${key}' mapping to value ${tensor.toString()} which has name '${tensor.name}'. Change the tensor name to '${key}' (via \`Input(..., name='${key}')\`)`,
          );
        }
      }
    }
    if (trackLayers) for (const layer of this._graph.layers) this.track(layer);
    const shapes = inputList.map((t) => t.shape);
    super.build(this.listInputs ? shapes : shapes[0]!);
  }

  /** Whether the graph takes / returns a list of tensors (a list or a dict was given). */
  private get listInputs(): boolean {
    return this.inputStructure.kind !== 'one';
  }
  private get listOutputs(): boolean {
    return this.outputStructure.kind !== 'one';
  }

  /** Drops the graph (a Sequential model whose layers changed). */
  protected clearGraph(): void {
    this._graph = null;
    this.built = false;
  }

  /** Whether this is a subclass that writes its own `call` (Keras's model subclassing), not a graph of layers. */
  private get isSubclassed(): boolean {
    return this._graph === null && this.call !== ModelClass.prototype.call;
  }

  /**
   * A subclass's own fields that hold layers (a layer, or a list of layers), in field order; null
   * for a functional or Sequential model. Keras tracks these attributes, and saving walks them by
   * name to place each layer's weights (saving/weights_store.ts).
   */
  get _layer_attributes(): Array<[string, AnyLayer | AnyLayer[]]> | null {
    if (!this.isSubclassed) return null;
    const attributes: Array<[string, AnyLayer | AnyLayer[]]> = [];
    for (const [key, value] of Object.entries(this)) {
      if (BASE_FIELDS?.has(key)) continue;
      if (value instanceof Layer && value !== this) attributes.push([key, value as AnyLayer]);
      else if (Array.isArray(value) && value.some((v) => v instanceof Layer)) attributes.push([key, value.filter((v): v is AnyLayer => v instanceof Layer)]);
    }
    return attributes;
  }

  /** A subclass's layers, as Keras tracks them: every field holding a layer (or a list of layers), in field order. */
  private trackFields(): void {
    for (const [, value] of this._layer_attributes ?? []) {
      for (const layer of Array.isArray(value) ? value : [value]) this.track(layer);
    }
  }

  /** The layers: a functional model's, InputLayers included (as Keras 3 lists them); a subclass's fields. */
  get layers(): AnyLayer[] {
    if (this._graph !== null) return [...this._graph.layers];
    this.trackFields();
    return [...this._tracked_layers];
  }

  override get weights(): tf.Variable[] {
    this.trackFields();
    return super.weights;
  }
  override get trainable_weights(): tf.Variable[] {
    this.trackFields();
    return super.trainable_weights;
  }
  override get non_trainable_weights(): tf.Variable[] {
    this.trackFields();
    return super.non_trainable_weights;
  }

  /** The input KerasTensors (empty for a subclass). */
  get inputs(): KerasTensor[] {
    return this._graph === null ? [] : [...this._graph.inputs];
  }
  get outputs(): KerasTensor[] {
    return this._graph === null ? [] : [...this._graph.outputs];
  }
  /** The input KerasTensor, or the list or dict of them, as the model was given them. */
  get input(): SymbolicStructure {
    return pack(this.inputStructure, this.requireGraph('input').inputs) as SymbolicStructure;
  }
  get output(): SymbolicStructure {
    return pack(this.outputStructure, this.requireGraph('output').outputs) as SymbolicStructure;
  }
  /** The input shape (batch axis included), or one per input. */
  get input_shape(): Shape | Shape[] {
    const shapes = this.requireGraph('input_shape').inputs.map((t) => [...t.shape]);
    return this.listInputs ? shapes : shapes[0]!;
  }
  get output_shape(): Shape | Shape[] {
    const shapes = this.requireGraph('output_shape').outputs.map((t) => [...t.shape]);
    return this.listOutputs ? shapes : shapes[0]!;
  }

  /**
   * The keys of a dict of input data, in `model.inputs` order: a dict model's keys (sorted), else
   * the input layers' names (Keras's input spec names).
   */
  get input_names(): string[] {
    if (this.inputStructure.kind === 'dict') return [...this.inputStructure.sorted];
    return this.inputs.map((t) => t._keras_history?.operation.name ?? t.name);
  }
  /** The names of the layers that make the outputs, in `model.outputs` order (Keras 3's `output_names`). */
  get output_names(): string[] {
    return this.outputs.map((t) => t._keras_history?.operation.name ?? t.name);
  }
  /**
   * The keys of dicts of targets, losses, metrics and of the logs (`<key>_loss`): a dict model's
   * output keys (sorted), else `output_names`.
   */
  private get outputKeys(): string[] {
    return this.outputStructure.kind === 'dict' ? [...this.outputStructure.sorted] : this.output_names;
  }

  /** Keras's `get_layer(name)` or `get_layer({ index })`: a layer by name or by position in `layers`. */
  get_layer(name?: string | null, options: { index?: number } = {}): AnyLayer {
    const layers = this.layers;
    if (name !== undefined && name !== null) {
      const found = layers.find((l) => l.name === name);
      if (found === undefined) {
        throw new ValueError(`No such layer: ${name}. Existing layers are: [${layers.map((l) => `'${l.name}'`).join(', ')}].`);
      }
      return found;
    }
    const index = options.index;
    if (index === undefined) throw new ValueError('Provide either a layer name or layer index at `get_layer`.');
    const layer = layers[index];
    if (layer === undefined) {
      throw new ValueError(`Was asked to retrieve layer at index ${index} but model only has ${layers.length} layers.`);
    }
    return layer;
  }

  // ---- weights ----

  /** Copies of every weight, layer by layer (kernel, bias, ...), as Keras orders them. */
  override get_weights(): tf.Tensor[] {
    return this.weights.map((v) => v.clone());
  }

  override set_weights(weights: readonly TensorLike[]): void {
    const expected = this.weights.length;
    if (weights.length !== expected) {
      throw new ValueError(`You called \`set_weights(weights)\` on model "${this.name}" with a weight list of length ${weights.length}, but the model was expecting ${expected} weights.`);
    }
    let offset = 0;
    for (const layer of this.layers) {
      const count = layer.weights.length;
      layer.set_weights(weights.slice(offset, offset + count));
      offset += count;
    }
  }

  override count_params(): number {
    if (!this.built) {
      throw new ValueError(`You tried to call \`count_params\` on model '${this.name}', but the model isn't built. You can build it manually via: \`model.build(batch_input_shape)\`.`);
    }
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  // ---- as a layer: a model inside another model ----

  /**
   * Keras's `model(x)` (here `model.apply(x)` or `model(x)`): a functional model returns its
   * outputs in the structure they were given (`outputs: { a, b }` gives `{ a, b }`, `[x, [y, z]]`
   * gives `[x, [y, z]]`). On data, as `predict`, a list of one is its tensor (Keras's
   * `unpack_singleton`); on KerasTensors (a model nested in another) it stays a list of one, as
   * Keras's symbolic call leaves it. The graph's node keeps the flat list either way.
   */
  override apply(inputs: KerasTensor | readonly KerasTensor[], options?: CallOptions): SymbolicOutputs;
  override apply(inputs: LayerInputs, options?: CallOptions): Predictions;
  override apply(inputs: LayerInputs | KerasTensor | readonly KerasTensor[], options: CallOptions = {}): Tensors | SymbolicOf<Tensors> {
    const outputs = super.apply(inputs as LayerInputs, options);
    if (this._graph === null) return outputs;
    if (isSymbolic(inputs)) return pack(this.outputStructure, Array.isArray(outputs) ? outputs : [outputs]) as unknown as SymbolicOutputs;
    if (!Array.isArray(outputs)) return outputs;
    return this.structured(outputs);
  }

  /** The graph's flat outputs as the model's `outputs` were given (for `apply` and `predict`). */
  private structured(flat: tf.Tensor[]): Predictions {
    if (this.outputStructure.kind === 'list' && this.outputStructure.nested === undefined && flat.length === 1) return flat[0]! as Predictions;
    return pack(this.outputStructure, flat) as unknown as Predictions;
  }

  override call(inputs: Tensors, options: CallOptions = {}): Tensors {
    const graph = this.requireGraph('call');
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const masks = options.mask === undefined || options.mask === null ? [] : Array.isArray(options.mask) ? options.mask : [options.mask];
    const outputs = options.training === true ? this.forward(inputs, true, options.mask ?? null).outputs : predictGraph(graph, xs, masks);
    return Array.isArray(outputs) || !this.listOutputs ? (this.listOutputs ? outputs : asOne(outputs)) : [outputs];
  }

  override forward(inputs: Tensors, training: boolean, mask: Masks = null): ForwardPass<unknown, Tensors, Tensors> {
    const graph = this._graph;
    if (graph === null) return super.forward(inputs, training, mask);
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const masks = mask === null ? [] : Array.isArray(mask) ? mask : [mask];
    const run = runGraph(graph, xs, training, masks);
    const outputs = graph.outputIds.map((id) => run.values[id]!);
    return { inputs, outputs: this.listOutputs ? outputs : outputs[0]!, saved: run };
  }

  /** The nested graph's own explicit backward: ∂C/∂inputs and ∂C/∂w in `trainable_weights` order. */
  override backward(dOutputs: Tensors, pass: ForwardPass<unknown, Tensors, Tensors>, needInputGradient: boolean): Gradients<Tensors> {
    const graph = this._graph;
    if (graph === null) return super.backward(dOutputs, pass, needInputGradient);
    const dValues: Array<tf.Tensor | undefined> = new Array(graph.tensorCount);
    const given = Array.isArray(dOutputs) ? dOutputs : [dOutputs];
    graph.outputIds.forEach((id, k) => {
      const sum = dValues[id];
      dValues[id] = sum === undefined ? given[k]! : tf.add(sum, given[k]!);
    });
    const run = pass.saved as GraphRun;
    const weights = this.trainable_weights;
    const gradients = backpropGraph(graph, backwardPlan(graph, weights, needInputGradient), run, dValues);
    const weightGradients = weights.map((w, i) => gradients.weights[i] ?? tf.zerosLike(w));
    if (!needInputGradient) return { inputGradient: null, weightGradients };
    const xs = Array.isArray(pass.inputs) ? pass.inputs : [pass.inputs];
    const inputGradients = gradients.inputs.map((g, i) => g ?? tf.zerosLike(xs[i]!));
    return { inputGradient: this.listInputs ? inputGradients : inputGradients[0]!, weightGradients };
  }

  override compute_output_shape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (this._graph === null) return super.compute_output_shape(inputShape);
    const given = isShapeList(inputShape) ? inputShape : [inputShape];
    const shapes = this._graph.outputs.map((t) => [given[0]?.[0] ?? null, ...t.shape.slice(1)]);
    return this.listOutputs ? shapes : shapes[0]!;
  }

  // ---- compile ----

  /**
   * Configures training: `compile(optimizer, loss, metrics)` or `compile({ optimizer, loss, metrics, loss_weights })`.
   * @param optimizer a name (`'adam'`, `'SGD'`...) or an optimizer instance. Defaults to `'rmsprop'`.
   * @param loss a Keras loss name or alias (`'mse'`, `'binary_crossentropy'`...), a `keras.losses` object or a function;
   *   for several outputs, also a list (one per output) or a dict by output name.
   * @param metrics names (`'accuracy'`, `'mae'`...), functions or metric objects, reported by `fit` and `evaluate`;
   *   for several outputs, a list of lists or a dict by output name.
   */
  compile(...args: CompileArgs): void {
    const config = resolveCompile(args, this.ownerName);
    // A functional model knows its outputs now: a structure that does not match them fails at this call.
    if (this._graph !== null) disposeProbe(config, resolveMetrics(config, this.outputInfo()));
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

  /** `['loss', ...]`: the order of `evaluate`'s result (each output's loss, then the metrics, as Keras 3). */
  get metrics_names(): string[] {
    if (this.compileConfig === null) return [];
    const compiled = this.compiled ?? (this._graph === null ? null : resolveMetricsFor(this.compileConfig, this.outputInfo()));
    if (compiled === null) return ['loss'];
    const several = compiled.outputs.length > 1;
    const keys = [...compiled.outputs.flatMap((o) => o.metricKeys), ...compiled.outputs.flatMap((o) => o.weightedKeys)];
    if (this.compiled === null) disposeProbe(this.compileConfig, compiled);
    return ['loss', ...(several ? compiled.outputs.map((o) => `${o.name}_loss`) : []), ...(several ? [...keys].sort() : keys)];
  }

  // ---- training and inference ----

  /**
   * Trains the model: `fit(x, y, { epochs, batch_size, validation_data, ... })`, or `fit(generator, { steps_per_epoch })`.
   * @param x inputs: a tf.Tensor, nested number arrays, or a TypedArray; a list or a dict by input name for several
   *   inputs; or a generator / iterable / PyDataset of `[x, y]` (or `[x, y, sample_weight]`) batches.
   * @param y targets, one per sample of `x` (a list or a dict by output name for several outputs); none with a generator.
   * @param options.batch_size samples per gradient update. Defaults to 32.
   * @param options.epochs passes over the data. Defaults to 1.
   * @param options.verbose 0 silent, 1 progress bar, 2 one line per epoch. Defaults to 'auto' (1).
   * @param options.callbacks `keras.callbacks` objects called during training.
   * @param options.validation_split the fraction of the data (its last samples, before shuffling) held out for validation.
   * @param options.validation_data `[x_val, y_val]` (or with sample weights), or a generator, evaluated after each epoch; overrides validation_split.
   * @param options.shuffle shuffle the training samples before each epoch. Defaults to true.
   * @param options.class_weight `{class: weight}` scaling the loss of each sample by its class.
   * @param options.sample_weight one weight per sample, scaling its loss.
   * @param options.initial_epoch the epoch to start counting from (to resume training). Defaults to 0.
   * @param options.steps_per_epoch batches per epoch from a generator (defaults to its `__len__()`).
   * @param options.validation_steps batches per validation from a generator (defaults to its `__len__()`).
   * @param options.validation_batch_size batch size of the validation. Defaults to batch_size.
   * @param options.validation_freq validate every this many epochs. Defaults to 1.
   * @returns the History: `history.history.loss`, `history.history.val_accuracy`, ... and `history.epoch`.
   */
  fit(...given: FitArgs): HistoryCallback {
    const args = parseArgs(`${this.ownerName}.fit`, fitSchema, FIT_POSITIONAL, this.dataDictsFirst(given));
    const compileConfig = this.requireCompiled();
    if (args.class_weight && args.sample_weight) {
      throw new ValueError('You cannot use `class_weight` and `sample_weight` at the same time.');
    }
    const owned: Dataset[] = [];
    try {
      let train: EpochSource;
      let validation: EpochSource | null = null;
      let compiled: Compiled;
      if (isBatchGenerator(args.x)) {
        if (args.y !== undefined && args.y !== null) throw new ValueError('`y` argument is not supported when using a generator as input: it gives the targets.');
        train = this.generatorBatches(args.x, args.steps_per_epoch, 'x', true, args.class_weight ?? null);
        compiled = this.compiledFor(compileConfig, null);
      } else {
        if (args.y === undefined || args.y === null) {
          throw new ValueError(`${this.ownerName}.fit: \`y\` must be a tf.Tensor, an array of numbers or a TypedArray. Received: y=${repr(args.y)}`);
        }
        let data: Dataset = this.readData(args.x, args.y, args.sample_weight as TensorLike | null | undefined, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
        owned.push(data);
        if (args.class_weight) {
          const weights = this.classWeights(data.y!, args.class_weight);
          data = { ...data, sampleWeight: weights };
          owned[0] = data;
        }
        if (args.validation_split > 0 && !args.validation_data) {
          const split = splitValidation(data, args.validation_split);
          owned.length = 0;
          owned.push(split.train, split.validation);
          data = split.train;
          validation = arraySource(split.validation, args.validation_batch_size ?? args.batch_size, false);
          compiled = this.compiledFor(compileConfig, data.y!, split.validation.y);
        } else {
          compiled = this.compiledFor(compileConfig, data.y!);
        }
        train = arraySource(data, args.batch_size, args.shuffle);
      }
      if (args.validation_data) {
        if (isBatchGenerator(args.validation_data)) {
          validation = this.generatorBatches(args.validation_data, args.validation_steps, 'validation_data', true, null);
        } else {
          const [vx, vy, vw] = args.validation_data as ReadonlyArray<InputData | null>;
          const v = this.readData(vx!, vy!, (vw ?? null) as TensorLike | null, { x: 'validation_data[0]', y: 'validation_data[1]', sampleWeight: 'validation_data[2]' });
          owned.push(v);
          this.checkMetricTargets(compiled, v.y!);
          validation = arraySource(v, args.validation_batch_size ?? args.batch_size, false);
        }
      }
      compileConfig.optimizer._check_variables_are_known(this.trainable_weights);
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_history: true,
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: args.epochs, steps: train.steps },
      });
      fitLoop(this, compiled, train, validation, { epochs: args.epochs, initial_epoch: args.initial_epoch, validation_freq: args.validation_freq }, callbacks);
      this.history = callbacks.history;
      return callbacks.history!;
    } finally {
      for (const data of owned) disposeDataset(data);
    }
  }

  /**
   * The loss (and metrics) on `x`, `y`: a number when there are no metrics, else
   * `[loss, ...metrics]` in `metrics_names` order, or a dict with `return_dict: true`.
   */
  evaluate(...given: EvaluateArgs): EvaluateResult {
    const args = parseArgs(`${this.ownerName}.evaluate`, evaluateSchema, ['x', 'y', 'batch_size', 'verbose'], this.dataDictsFirst(given));
    const compileConfig = this.requireCompiled();
    let data: Dataset | null = null;
    try {
      let source: EpochSource;
      let compiled: Compiled;
      if (isBatchGenerator(args.x)) {
        source = this.generatorBatches(args.x, args.steps, 'x', true, null);
        compiled = this.compiledFor(compileConfig, null);
      } else {
        data = this.readData(args.x, args.y, args.sample_weight as TensorLike | null | undefined, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
        compiled = this.compiledFor(compileConfig, data.y!);
        source = arraySource(data, args.batch_size, false);
      }
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: 1, steps: source.steps },
      });
      const logs = testLoop(this, compiled, source, callbacks);
      return this.formatResult(logs, args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The model's outputs for `x`: one tf.Tensor, or one per output for a model with several. */
  predict(...given: PredictArgs): Predictions {
    const args = parseArgs(`${this.ownerName}.predict`, predictSchema, ['x', 'batch_size', 'verbose'], this.dataDictsFirst(given));
    let data: Dataset | null = null;
    try {
      let source: EpochSource;
      if (isBatchGenerator(args.x)) {
        source = this.generatorBatches(args.x, args.steps, 'x', false, null);
      } else {
        data = this.readData(args.x, null, null, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
        source = arraySource(data, args.batch_size, false);
      }
      const callbacks = new CallbackList(args.callbacks ?? [], {
        add_progbar: args.verbose !== 0,
        model: this,
        params: { verbose: args.verbose, epochs: 1, steps: source.steps },
      });
      const outputs = predictLoop(this, source, callbacks);
      // A dict, or a list holding lists (a stacked RNN's states), comes back as the outputs were given.
      if (this._graph !== null) return this.structured(outputs);
      return (this.returnsList(outputs.length) ? outputs : outputs[0]!) as Predictions;
    } finally {
      disposeDataset(data);
    }
  }

  /**
   * TF2's `predict_classes`: the index of the largest output for a multi-class model,
   * or `output > 0.5` as 0/1 for a single sigmoid output (int32 tensor).
   */
  predict_classes(x: InputData, options?: PredictOptions): tf.Tensor {
    const probabilities = this.predict(x, { verbose: 0, ...options }) as tf.Tensor;
    return tf.tidy(() => {
      const last = probabilities.shape[probabilities.rank - 1]!;
      const classes = last > 1 ? tf.argMax(probabilities, -1) : tf.cast(tf.greater(probabilities, 0.5), 'int32');
      probabilities.dispose();
      return classes;
    });
  }

  /** One gradient update on one batch; returns its loss (and metrics), as `evaluate` does. */
  train_on_batch(x: InputData, y: InputData, options?: OnBatchOptions): EvaluateResult {
    const args = parseOptions(`${this.ownerName}.train_on_batch`, onBatchSchema, { ...options, x, y });
    const compileConfig = this.requireCompiled();
    if (args.class_weight && args.sample_weight) throw new ValueError('You cannot use `class_weight` and `sample_weight` at the same time.');
    let data = this.readData(args.x, args.y, args.sample_weight as TensorLike | null | undefined, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      if (args.class_weight) data = { ...data, sampleWeight: this.classWeights(data.y!, args.class_weight) };
      const compiled = this.compiledFor(compileConfig, data.y!);
      compileConfig.optimizer._check_variables_are_known(this.trainable_weights);
      const callbacks = new CallbackList([], { model: this, params: { verbose: 0, epochs: 1, steps: 1 } });
      const logs = fitLoop(this, compiled, arraySource(data, data.x[0]!.shape[0]!, false), null, { epochs: 1, initial_epoch: 0, validation_freq: 1 }, callbacks);
      return this.formatResult(logs!, args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The loss (and metrics) on one batch, without updating the weights. */
  test_on_batch(x: InputData, y: InputData, options?: OnBatchOptions): EvaluateResult {
    const args = parseOptions(`${this.ownerName}.test_on_batch`, onBatchSchema, { ...options, x, y });
    const compileConfig = this.requireCompiled();
    const data = this.readData(args.x, args.y, args.sample_weight as TensorLike | null | undefined, { x: 'x', y: 'y', sampleWeight: 'sample_weight' });
    try {
      const compiled = this.compiledFor(compileConfig, data.y!);
      const callbacks = new CallbackList([], { model: this, params: { verbose: 0, epochs: 1, steps: 1 } });
      return this.formatResult(testLoop(this, compiled, arraySource(data, data.x[0]!.shape[0]!, false), callbacks), args.return_dict);
    } finally {
      disposeDataset(data);
    }
  }

  /** The outputs for one batch. */
  predict_on_batch(x: InputData): Predictions {
    return this.predict(x, { verbose: 0, batch_size: Number.MAX_SAFE_INTEGER });
  }

  /** Prints Keras's table of layers, output shapes and parameter counts (and, for a graph, what each layer is connected to). */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  /**
   * Keras's functional config: the layers with their inbound nodes, and the input / output layers
   * (saving/functional_config.ts). A subclass writes its own `get_config()`, starting from
   * `super.get_config()` (`{ name, trainable, dtype }`, as Keras's Layer); one that does not cannot
   * be serialized (Keras's NotImplementedError).
   */
  override get_config(): Record<string, unknown> {
    if (this.isSubclassed) {
      if (this.get_config === ModelClass.prototype.get_config) throw mustOverrideGetConfig(this.className);
      return super.get_config();
    }
    const graph = this.requireGraph('get_config');
    const nodes = new Set([...graph.nodesByDepth.values()].flat());
    return functionalConfig({
      name: this.name,
      trainable: this.trainable,
      className: this.className,
      layers: graph.layers,
      nodes,
      input: this.input,
      output: this.output,
    });
  }

  /**
   * Keras's `Model.from_config(config, custom_objects)`: a new model (not compiled) from
   * `get_config()`. A functional config rebuilds the graph; a subclass's config is given to its
   * constructor (Python's `cls(**config)`), so the constructor takes the config's keys as its
   * options, or the subclass writes its own static `from_config`.
   */
  static from_config(config: Record<string, unknown>, custom_objects: CustomObjects = {}): ModelClass {
    const make = this as unknown as new (options: Record<string, unknown>) => ModelClass;
    const functional = ['name', 'layers', 'input_layers', 'output_layers'].every((key) => key in config);
    if (this === ModelClass || functional) return functionalFromConfig(config, custom_objects, (options) => new make(options) as never) as unknown as ModelClass;
    try {
      return new make(layerArguments(this.name, config));
    } catch (error) {
      throw new TypeError(
        'Unable to revive model from config. When overriding the `get_config()` method, make sure that the returned config contains all items ' +
          `used as arguments in the constructor to ${this.name}, which is the default behavior. You can override this default behavior by defining ` +
          `a static \`from_config(config)\` method to specify how to create an instance of ${this.name} from its config.\n\n` +
          `Received config=${JSON.stringify(config)}\n\nError encountered during deserialization: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Keras's `build_from_config({ input_shape })`, which loading calls: a subclass (without its own
   * `build`) is built by running its `call` once on zeros of that shape, which creates its layers'
   * weights (Keras runs it on symbolic tensors); any other model is `build(input_shape)`.
   */
  build_from_config(config: Record<string, unknown>): void {
    const shape = config.input_shape as Shape | Shape[] | undefined;
    if (!Array.isArray(shape)) return;
    if (!this.isSubclassed || this.build !== ModelClass.prototype.build) {
      this.build(shape);
      return;
    }
    try {
      const zeros = (s: Shape) => tf.zeros(s.map((size) => size ?? 1));
      tf.tidy(() => {
        this.apply(isShapeList(shape) ? shape.map(zeros) : zeros(shape));
      });
    } catch {
      console.warn(
        `UserWarning: Model '${this.name}' had a build config, but the model cannot be built automatically in \`build_from_config(config)\`. ` +
          'You should implement `build_from_config(config)` (or a `build(input_shape)` that builds its layers). ' +
          'The method `build_from_config()` is meant to create the state of the model (i.e. its variables) upon deserialization.',
      );
    }
  }

  // ---- saving (src/saving/) ----

  /** Keras's `model.save('model.keras')`: architecture, weights and optimizer state in one file. */
  save(filepath: string, options?: SaveModelOptions): void {
    save_model(this as never, filepath, options);
  }

  /** Keras's `model.save_weights('model.weights.h5')`: the layers' weights and the optimizer's state. */
  save_weights(filepath: string, options?: SaveWeightsOptions): void {
    save_weights(this as never, filepath, options);
  }

  /** Keras's `model.load_weights(path, { skip_mismatch, by_name })`: from `.weights.h5`, `.keras` or a legacy `.h5`. */
  load_weights(filepath: string, options?: LoadWeightsOptions): void {
    this.assertNotDisposed();
    load_weights(this as never, filepath, options);
  }

  /** Keras's `model.to_json()`: the serialized model (`keras.models.model_from_json` rebuilds it). */
  to_json(): string {
    return JSON.stringify(serializeModel(this as never, this.className));
  }

  /** Keras's `get_compile_config()`: what `compile` was given, serialized; `{}` before compile. */
  get_compile_config(): Record<string, unknown> {
    const config = this.compileConfig;
    if (config === null) return {};
    return serializeCompileConfig({ optimizer: config.optimizer, loss: config.lossIdentifier as never, metrics: config.metricIdentifiers as never, weighted_metrics: config.weightedMetricIdentifiers as never, loss_weights: config.lossWeights === null ? null : config.lossWeights.kind === 'one' ? config.lossWeights.value : config.lossWeights.values });
  }

  /** Keras's `compile_from_config(config)`: compiles from `get_compile_config()`, building the optimizer when the model is built. */
  compile_from_config(config: Record<string, unknown>): void {
    this.compile(compileArgumentsFromConfig(config) as CompileOptions);
    if (this.built) this.compileConfig!.optimizer.build(this.trainable_weights);
  }

  /** Frees the weights (and the optimizer's state). The model cannot be used afterwards. */
  override dispose(): void {
    for (const layer of this.layers) layer.dispose();
    super.dispose();
    this.compileConfig?.optimizer.dispose();
    this.dropCompiled();
    this.compileConfig = null;
    this.disposed = true;
  }

  override toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built ? 'True' : 'False'}>`;
  }

  // ---- internals ----

  /** `Sequential.fit`, `Model.fit`...: the name errors give the call. */
  protected get ownerName(): string {
    return this.className === 'Functional' ? 'Model' : this.className;
  }

  /**
   * `fit({ features: x, aux: a }, { price: y })`: a trailing dict keyed by input or output names is
   * data, not the keyword arguments (which then default).
   */
  private dataDictsFirst<T extends readonly unknown[]>(given: T): T {
    const last = given[given.length - 1];
    if (!isDict(last)) return given;
    const names = new Set([...this.input_names, ...this.outputKeys]);
    if (names.size > 0 && isDict(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => names.has(k))) return [...given, {}] as unknown as T;
    return given;
  }

  /** Whether `predict` returns a list: a model with a list of outputs (or several, for a subclass). */
  private returnsList(count: number): boolean {
    return this._graph === null ? count > 1 : this.listOutputs;
  }

  /** Output shapes for summary() (layer by layer, for a Sequential model); a functional model lists its graph. */
  layerOutputShapes(): Array<Shape | Shape[] | undefined> {
    return this.layers.map((layer) => {
      const node = layer._inbound_nodes.find((n) => this._graph?.steps.some((s) => s.node === n) || (n.is_input && this._graph?.inputs.includes(n.outputs[0]!)));
      if (node === undefined) return undefined;
      const shapes = node.outputs.map((t) => [...t.shape]);
      return node.listOutput ? shapes : shapes[0];
    });
  }

  private requireGraph(what: string): Graph {
    this.assertNotDisposed();
    if (this._graph === null) {
      throw new ValueError(`Model "${this.name}" has no \`${what}\` yet: it is not built. Call it on data (or on a keras.Input), or build it first.`);
    }
    return this._graph;
  }

  /**
   * Builds from the first data: a subclass is built (Keras's `__call__` builds before `call`), so
   * that it records the shape `save` writes as `build_config`; Sequential builds its graph.
   */
  protected prepareForData(xShapes: ReadonlyArray<readonly number[]>): void {
    if (this.isSubclassed && !this.built && xShapes.length > 0) this.ensureBuilt(xShapes.length === 1 ? xShapes[0]! : (xShapes as readonly number[][]));
  }

  /** One output's name, shape and targets' shape, for resolving compile's structures. */
  private outputInfo(ys: readonly tf.Tensor[] | null = null, xShapes: ReadonlyArray<readonly number[]> | null = null): Array<{ name: string; shape: Shape; yShape?: number[] }> {
    if (this._graph !== null) {
      const names = this.outputKeys;
      return this._graph.outputs.map((t, k) => ({ name: names[k]!, shape: [...t.shape], ...(ys?.[k] === undefined ? {} : { yShape: ys[k]!.shape }) }));
    }
    // A subclass: its outputs' shapes from one call on zeros.
    const probe = xShapes ?? [];
    const shapes = probe.length === 0 ? [] : this.compute_output_shape(probe.length === 1 ? [null, ...probe[0]!.slice(1)] : probe.map((s) => [null, ...s.slice(1)]));
    const list = isShapeList(shapes as Shape | Shape[]) ? (shapes as Shape[]) : [shapes as Shape];
    return list.map((shape, k) => ({ name: `output_${k + 1}`, shape, ...(ys?.[k] === undefined ? {} : { yShape: ys[k]!.shape }) }));
  }

  private lastXShapes: ReadonlyArray<readonly number[]> | null = null;

  /**
   * The compiled state, resolving the metrics on first use from the output and target shapes, as
   * Keras does; then every metric checks the targets `y` (and `fit`'s validation targets) against
   * the output, so a shape it would refuse fails here, at the call, and not at the end of an epoch
   * that has trained (`fit` updates its metrics when the logs are read, deferred_logs.ts).
   */
  private compiledFor(config: CompileConfig, y: tf.Tensor[] | null, validationY: tf.Tensor[] | null = null): Compiled {
    this.compiled ??= resolveMetrics(config, this.outputInfo(y, this.lastXShapes));
    if (y !== null) this.checkMetricTargets(this.compiled, y);
    if (validationY !== null) this.checkMetricTargets(this.compiled, validationY);
    return this.compiled;
  }

  /** Each metric's own shape check (its `update_state`'s error) on targets `y` against the outputs for `y`'s samples. */
  private checkMetricTargets(compiled: Compiled, ys: tf.Tensor[]): void {
    if (this._graph === null) return;
    compiled.outputs.forEach((output, k) => {
      const y = ys[k]!;
      const shape = this._graph!.outputs[k]!.shape.slice(1);
      // An output axis unknown until data flows is left to the metric's own check, batch by batch.
      if (shape.some((size) => size === null)) return;
      const yPred = [y.shape[0]!, ...(shape as number[])];
      for (const metric of [...output.metrics, ...output.weighted_metrics]) metric.assertInputsCompatible(y.shape, yPred);
    });
  }

  /** Forgets the resolved metrics, freeing the state of those made from names or functions (the user owns the objects they passed). */
  protected dropCompiled(): void {
    if (this.compiled !== null && this.compileConfig !== null) {
      const given = new Set<unknown>(flatIdentifiers(this.compileConfig));
      for (const metric of allMetrics(this.compiled)) {
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

  protected assertNotDisposed(): void {
    if (this.disposed) {
      throw new RuntimeError(`${this.className} model "${this.name}" was disposed: its weights are freed. Build a new model to train or predict.`);
    }
  }

  private classWeights(ys: tf.Tensor[], classWeight: Readonly<Record<string, number>>): tf.Tensor {
    if (ys.length !== 1) throw new ValueError('`class_weight` is only supported for Models with a single output.');
    return classWeightsToSampleWeights(ys[0]!, classWeight);
  }

  /**
   * x as one value per model input (`model.inputs` order): a list, a dict, or (one input) the value
   * itself. A dict is read by a dict model's keys, else by the input layers' names (Keras's input
   * spec names); a key the model does not take is ignored, as in Keras (with its warning for a dict model).
   */
  private inputList(x: InputData, what: string): TensorLike[] {
    const n = this._graph === null ? null : this._graph.inputs.length;
    const names = this.input_names;
    const structure = this.inputStructure;
    if (isDict(x)) {
      if (n === null) return Object.values(x);
      const keys = Object.keys(x);
      const missing = names.find((name) => !keys.includes(name));
      if (missing !== undefined) {
        throw new ValueError(`Missing data for input "${missing}". You passed a data dictionary with keys ${pythonKeys(keys)}. Expected the following keys: ${pythonKeys(names)}`);
      }
      if (structure.kind === 'dict' && keys.length !== names.length) {
        warnOnce(
          `The structure of \`inputs\` doesn't match the expected structure.\nExpected: ${this.inputStructureText()}\n` +
            `Received: inputs={${keys.map((k) => `'${k}': 'Tensor(shape=${shapeText(dataShape(x[k]))})'`).join(', ')}}`,
        );
      }
      return names.map((name) => (x as Record<string, TensorLike>)[name]!);
    }
    const list = Array.isArray(x) && x.length > 0 && x.every((v) => v instanceof tf.Tensor || (n !== null && n > 1 && Array.isArray(v)));
    const given = list ? [...(x as TensorLike[])] : [x as TensorLike];
    // A list for a dict model is read in flat (sorted key) order, which Keras allows only when the dict was written in that order.
    if (structure.kind === 'dict' && structure.given.some((k, i) => k !== structure.sorted[i])) {
      throw new ValueError(
        `The structure of \`inputs\` doesn't match the expected structure.\nExpected: ${this.inputStructureText()}\n` +
          `Received: inputs=${list ? `[${given.map((v) => `'Tensor(shape=${shapeText(dataShape(v))})'`).join(', ')}]` : `'Tensor(shape=${shapeText(dataShape(x as TensorLike))})'`}`,
      );
    }
    const expected = n ?? given.length;
    if (given.length !== expected || (n !== null && n > 1 && !list)) {
      const count = list ? given.length : 1;
      throw new ValueError(
        `Layer "${this.name}" expects ${expected} named input(s) with keys [${names.map((k) => `'${k}'`).join(', ')}], but it received ${count} input tensors. ` +
          `Pass inputs as a dict, e.g. \`layer({${names.map((k) => `'${k}': ...`).join(', ')}})\`.`,
      );
    }
    return given;
  }

  /** Keras's `{'key': 'input name', ...}` of a dict model's inputs, for its messages. */
  private inputStructureText(): string {
    const inputs = this._graph?.inputs ?? [];
    return pythonStructure(this.inputStructure, inputs.length, (i) => inputs[i]!.name);
  }

  /**
   * y as one value per model output (`model.outputs` order): a list, a dict, or (one output) the
   * value itself. A dict must have exactly the output keys (a dict model's keys, else the output
   * layers' names), as Keras's CompileLoss matches them.
   */
  private targetList(y: InputData, what: string): TensorLike[] {
    const n = this._graph === null ? null : this._graph.outputs.length;
    const names = this.outputKeys;
    if (isDict(y)) {
      const keys = Object.keys(y);
      const mismatch = names.some((name) => !keys.includes(name)) || (n !== null && keys.some((k) => !names.includes(k)));
      if (mismatch && this.compileConfig !== null) {
        const predicted = pythonStructure(this._graph === null ? { kind: 'list' } : this.outputStructure, names.length, () => '*');
        throw new ValueError(`y_true and y_pred have different structures.\ny_true: {${keys.map((k) => `'${k}': '*'`).join(', ')}}\ny_pred: ${predicted}\n`);
      }
      return names.map((name) => (y as Record<string, TensorLike>)[name]!);
    }
    const list = (n ?? 1) > 1 && Array.isArray(y) && y.every((v) => v instanceof tf.Tensor || Array.isArray(v) || ArrayBuffer.isView(v));
    const given = list ? [...(y as TensorLike[])] : [y as TensorLike];
    if (n !== null && given.length !== n) {
      throw new ValueError(
        `y_true and y_pred have different structures: the model has ${n} outputs [${names.map((k) => `'${k}'`).join(', ')}], but \`${what}\` holds ${given.length} target array(s). Pass one array per output, as a list or a dict by output name.`,
      );
    }
    return given;
  }

  /** Reads a generator's batches into Datasets, each read and checked as `fit` reads arrays. */
  private generatorBatches(generator: BatchGenerator, steps: number | null | undefined, what: string, withTargets: boolean, classWeight: Readonly<Record<string, number>> | null): EpochSource {
    return generatorSource(
      generator,
      steps,
      (item, step) => {
        const parts: unknown[] = withTargets ? (Array.isArray(item) ? item : [item]) : Array.isArray(item) && item.length <= 3 && !this.looksLikeOneInput(item) ? item : [item];
        if (withTargets && (parts.length < 2 || parts.length > 3)) {
          throw new ValueError(`A generator given as \`${what}\` must yield [x, y] or [x, y, sample_weight] batches. Received at step ${step}: ${repr(item)}`);
        }
        const labels = { x: `${what} batch ${step}: x`, y: `${what} batch ${step}: y`, sampleWeight: `${what} batch ${step}: sample_weight` };
        const data = this.readData(parts[0] as InputData, withTargets ? (parts[1] as InputData) : null, (parts[2] ?? null) as TensorLike | null, labels);
        if (classWeight !== null) {
          const weights = this.classWeights(data.y!, classWeight);
          return { ...data, sampleWeight: weights };
        }
        if (withTargets && this.compiled !== null) this.checkMetricTargets(this.compiled, data.y!);
        return data;
      },
      what,
    );
  }

  /** A predict batch `[[1, 2], [3, 4]]` is one input, not [x, y]. */
  private looksLikeOneInput(item: readonly unknown[]): boolean {
    return item.every((v) => typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number')));
  }

  /** Reads x (and y), builds the model on first data, and checks shapes against the inputs and outputs. */
  protected readData(x: InputData, y: InputData | null | undefined, sampleWeight: TensorLike | null | undefined, names: { x: string; y: string; sampleWeight: string }): Dataset {
    this.assertNotDisposed();
    const xs = this.inputList(x, names.x);
    const graphBefore = this._graph;
    const declared = graphBefore?.inputs.map((t) => t.shape) ?? this.declaredInputShapes();
    const data = readDataset(xs, y === null || y === undefined ? null : this.targetList(y, names.y), sampleWeight, {
      inputs: declared.map((shape) => shape.at(-1) ?? null),
      outputs: (tensors) => {
        // Build from the first data now, so a 1-D y is read as a column for a one-unit output.
        this.lastXShapes = tensors.map((t) => t.shape);
        this.prepareForData(tensors.map((t) => t.shape));
        return this.outputInfo(null, this.lastXShapes).map((o) => o.shape.at(-1) ?? null);
      },
    }, names);
    try {
      this.lastXShapes = data.x.map((t) => t.shape);
      this.prepareForData(this.lastXShapes);
      this.assertDataFits(data.x, names.x);
      if (data.y !== null) this.checkTargets(data.y, names.y);
    } catch (error) {
      disposeDataset(data);
      throw error;
    }
    return data;
  }

  /** The input shapes known before any data (a Sequential model's declared shape); none for a subclass. */
  protected declaredInputShapes(): Shape[] {
    return [];
  }

  /** Keras's message when `x` does not fit the model's inputs. */
  protected assertDataFits(xs: readonly tf.Tensor[], name: string): void {
    if (this._graph === null) return;
    this._graph.inputs.forEach((input, i) => {
      const got = xs[i]!.shape;
      const fits = input.shape.length === got.length && input.shape.every((size, axis) => axis === 0 || size === null || size === got[axis]);
      if (!fits) {
        const hint = got.length === input.shape.length - 1 ? ` \`${name}\` looks like one sample without the batch axis: wrap it in a list ([${name}]) to pass a batch of one.` : '';
        throw new ValueError(
          `Input ${i} of layer "${this.name}" is incompatible with the layer: expected shape=${shapeText(input.shape)}, found shape=${shapeText(got)}.${hint}`,
        );
      }
    });
  }

  private checkTargets(ys: tf.Tensor[], name: string): void {
    if (this.compileConfig === null) return;
    const compiled = resolveMetricsFor(this.compileConfig, this.outputInfo(ys, this.lastXShapes));
    try {
      const shapes = this.outputInfo(null, this.lastXShapes).map((o) => o.shape);
      compiled.outputs.forEach((out, k) => {
        const loss = out.loss;
        const output = shapes[k];
        if (loss === null || output === undefined) return;
        const label = ys.length === 1 ? name : `${name}[${k}]`;
        checkTarget(ys[k]!, output, loss, label);
      });
    } finally {
      disposeProbe(this.compileConfig, compiled);
    }
  }

  private formatResult(logs: Logs, returnDict: boolean): EvaluateResult {
    const names = Object.keys(logs);
    const order = this.metrics_names.filter((n) => n in logs);
    const rest = names.filter((n) => !order.includes(n)).sort();
    const keys = [...order, ...rest];
    const result: number | number[] | Logs = returnDict ? { ...logs } : keys.length <= 1 ? logs.loss! : keys.map((key) => logs[key]!);
    return result as EvaluateResult;
  }
}

/** The compile structures matched to the outputs, for a question asked before the first fit (metric names, target checks). */
function resolveMetricsFor(config: CompileConfig, outputs: Array<{ name: string; shape: Shape; yShape?: number[] }>): Compiled {
  return resolveMetrics(config, outputs);
}

/** Frees the metrics a probe resolution made (not the objects the user passed to compile). */
function disposeProbe(config: CompileConfig, compiled: Compiled): void {
  const given = new Set<unknown>(flatIdentifiers(config));
  for (const metric of allMetrics(compiled)) if (!given.has(metric)) metric.dispose();
}

function flatIdentifiers(config: CompileConfig): unknown[] {
  const flat = (given: unknown): unknown[] => (Array.isArray(given) ? given.flatMap(flat) : isDict(given) ? Object.values(given).flatMap(flat) : [given]);
  return [...flat(config.metricIdentifiers), ...flat(config.weightedMetricIdentifiers)];
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The shape of one value of data, for messages (a tensor's, nested arrays' by their first elements). */
function dataShape(value: TensorLike | undefined): number[] {
  if (value instanceof tf.Tensor) return value.shape;
  if (ArrayBuffer.isView(value)) return [(value as unknown as ArrayLike<number>).length];
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

function asOne(t: Tensors): tf.Tensor {
  return Array.isArray(t) ? t[0]! : t;
}

/** Keras's "All `inputs` values must be KerasTensors" check; returns the list. */
function checkSymbolic(given: SymbolicStructure, what: string): KerasTensor[] {
  const list: unknown[] = Array.isArray(given) || isDict(given) ? flatten(given as KerasTensorList | KerasTensorDict).flat : [given];
  const bad = list.find((v) => !isKerasTensor(v));
  if (bad !== undefined || list.length === 0) {
    throw new ValueError(
      `All \`${what}\` values must be KerasTensors. Received: ${what}=${repr(given)} including invalid value ${repr(bad)} of type ${bad === null ? 'null' : typeof bad}` +
        (bad instanceof InputLayerLayer ? '. This is an InputLayer: pass the KerasTensor keras.Input(...) returns.' : ''),
    );
  }
  return list as KerasTensor[];
}

const CLASS_INDICES_HINT =
  ' These look like class indices: use sparse_categorical_crossentropy, or one-hot encode them with keras.utils.to_categorical(y).';

/** The loss's shape check of targets `y` against an output of shape `output`. */
function checkTarget(y: tf.Tensor, output: Shape, loss: LossFunction, name: string): void {
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

/** One label per sample ([N] or [N, 1]) for an output with several units: a student's sparse labels. */
function looksLikeClassIndices(y: tf.Tensor, output: Shape): boolean {
  const units = output[output.length - 1] ?? 1;
  return units > 1 && output.length === 2 && (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1));
}

// 'Model' is how TF2-era files name a functional model.
for (const className of ['Functional', 'Model']) registerModelClass(className, (config, custom_objects) => ModelClass.from_config(config, custom_objects) as never);

export const Model = callable(ModelClass);
export type Model = ModelClass;
