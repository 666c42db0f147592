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
 * A Sequential model is a `keras.Model` whose graph is a line: once its input shape is known
 * (from `input_shape`, `keras.Input`, `build` or the first data), it calls each layer on the
 * previous one's KerasTensor, as Keras 3's `Sequential` does, and trains through the same engine
 * (models/model.ts, train_step.ts) with each layer's explicit forward and backward.
 */
import { z } from 'zod';
import { uniqueName } from '../backend/session.js';
import { ValueError } from '../errors.js';
import { Input, InputLayerLayer } from '../layers/input_layer.js';
import { isKerasTensor, KerasTensor, type AnyLayer } from '../layers/keras_tensor.js';
import { isShapeList, Layer, shapeText, type Shape } from '../layers/layer.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import type * as tf from '@tensorflow/tfjs-core';
import { registerModelClass, sequentialConfig, sequentialFromConfig, type CustomObjects } from '../saving/model_config.js';
import { ModelClass } from './model.js';

const sequentialSchema = z.object({
  layers: z.array(z.custom<AnyLayer | KerasTensor>(), { error: 'must be a list of layers' }).nullish(),
  name: z.string().min(1).optional(),
  trainable: z.boolean().default(true),
});

/** Keyword arguments of `Sequential`. */
export type SequentialOptions = KerasOptions<typeof sequentialSchema>;

export class SequentialModel extends ModelClass {
  static readonly class_name = 'Sequential';
  private readonly stack: AnyLayer[] = [];
  private inputLayer: InputLayerLayer | null = null;

  /**
   * @param layers the layers, in order (optional; `add` them later). A `keras.Input(...)` may come first.
   * @param options.name the model's name. Defaults to `sequential`, `sequential_1`...
   */
  constructor(layers?: Array<AnyLayer | KerasTensor> | SequentialOptions | null, options?: SequentialOptions) {
    const args = parseArgs('Sequential', sequentialSchema, ['layers'], [layers, options]);
    super({ name: args.name ?? uniqueName('sequential') });
    for (const layer of args.layers ?? []) this.add(layer);
    if (!args.trainable) this.trainable = false;
  }

  /** The layers, in order (a leading InputLayer is not listed, as in Keras). */
  override get layers(): AnyLayer[] {
    return [...this.stack];
  }

  /** Appends a layer; builds the model now when its input shape is known. */
  add(given: AnyLayer | KerasTensor): void {
    // keras.Input(...) gives a KerasTensor: its InputLayer starts the model, as in Keras 3.
    const layer = (isKerasTensor(given) && given._keras_history?.operation instanceof InputLayerLayer ? given._keras_history.operation : given) as AnyLayer;
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
      this.rebuild();
      return;
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
      );
    }
    if (this.stack.length > 0 && layer.batch_input_shape !== undefined) {
      // Keras ignores input_shape on a later layer, but a mismatch is a mistake worth reporting.
      const expected = this.graph?.outputs[0]?.shape;
      if (expected !== undefined && expected[expected.length - 1] !== layer.batch_input_shape[layer.batch_input_shape.length - 1]) {
        throw new ValueError(
          `Input 0 of layer "${layer.name}" is incompatible with the layer: expected shape=${shapeText(layer.batch_input_shape)}, found shape=${shapeText(expected)}`,
        );
      }
    }
    this.stack.push(layer);
    try {
      // Builds the new layer (and any before it) as soon as the input shape is known, as Keras does.
      this.rebuild();
    } catch (error) {
      this.stack.pop();
      this.rebuild();
      throw error;
    }
    this.track(layer);
    this.dropCompiled();
  }

  /** Removes the last layer. */
  pop(): AnyLayer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new TypeError('There are no layers in the model.');
    this.untrackAll();
    this.rebuild();
    this.dropCompiled();
    return layer;
  }

  /** Builds every layer for inputs of `input_shape` (batch axis included: `[null, 8]`). */
  override build(input_shape?: Shape | Shape[]): void {
    const shape = (input_shape as Shape | undefined) ?? this.declaredInputShapes()[0];
    if (shape === undefined || isShapeList(shape)) {
      throw new ValueError(`Sequential.build: \`input_shape\` must be given when the first layer has none. Received: input_shape=${repr(input_shape)}`);
    }
    this.rebuild(shape);
  }

  /** The model's input shape (batch axis included), once known. */
  override get input_shape(): Shape {
    const shape = this.declaredInputShapes()[0];
    if (shape === undefined) throw new ValueError(`Sequential model "${this.name}" has no input shape yet: give the first layer an input_shape, or call build / fit first.`);
    return [...shape];
  }

  /** The model's output shape (batch axis included), once known. */
  override get output_shape(): Shape {
    const out = this.graph?.outputs[0]?.shape;
    if (out === undefined) throw new ValueError(`Sequential model "${this.name}" has no output shape yet: give the first layer an input_shape, or call build / fit first.`);
    return [...out];
  }

  /** Keras 3's config: `{ name, trainable, dtype, layers: [serialized layers], build_input_shape }`. */
  override get_config(): Record<string, unknown> {
    const inputLayers = this.inputLayer ? [this.inputLayer] : [];
    return sequentialConfig({ name: this.name, trainable: this.trainable, built: this.built, inputLayers, layers: this.stack as unknown as Layer[], declaredInputShape: this.declaredInputShapes()[0] });
  }

  /** Keras's `Sequential.from_config(config, custom_objects)`: a new model (not compiled) from `get_config()`. */
  static override from_config(config: Record<string, unknown>, custom_objects: CustomObjects = {}): SequentialModel {
    return sequentialFromConfig(config, custom_objects, (options) => new SequentialModel(options) as never);
  }

  /** Output shapes for summary(): one per layer, when known. */
  override layerOutputShapes(): Array<Shape | Shape[] | undefined> {
    const graph = this.graph;
    return this.stack.map((_, i) => (graph === null ? undefined : [...graph.steps[i]!.node.outputs[0]!.shape]));
  }

  /** The shape given by `keras.Input`, the first layer's `input_shape`, or an earlier build. */
  protected override declaredInputShapes(): Shape[] {
    if (this.inputLayer !== null) return [this.inputLayer.batch_input_shape!];
    if (this.graph !== null) return [[...this.graph.inputs[0]!.shape]];
    const first = this.stack[0];
    const shape = first?.batch_input_shape ?? (first?.build_input_shape as Shape | undefined);
    return shape === undefined || isShapeList(shape) ? [] : [shape];
  }

  /** A model without an input shape builds from its first data, as Keras's. */
  protected override prepareForData(xShapes: ReadonlyArray<readonly number[]>): void {
    if (this.stack.length === 0) throw new ValueError(`Sequential model "${this.name}" has no layers; add some with model.add(...) first.`);
    if (this.graph === null) this.rebuild([null, ...xShapes[0]!.slice(1)]);
  }

  /** `x` must fit the first layer, whose message Keras gives. */
  protected override assertDataFits(xs: readonly tf.Tensor[], name: string): void {
    const x = xs[0]!;
    try {
      this.stack[0]!.assertInputCompatible(x.shape);
    } catch (error) {
      // `predict([1, 2, 3])` for input_shape [3]: one sample, missing its batch axis.
      // (its shape is the sample's; [4, 28, 28] for input_shape [28, 28, 1] is a batch missing its channel axis, not one sample).
      const declared = this.declaredInputShapes()[0];
      const oneSample = declared !== undefined && x.rank === declared.length - 1 && declared.slice(1).every((d, i) => d === null || d === x.shape[i]);
      if (!(error instanceof ValueError) || !oneSample) throw error;
      throw new ValueError(`${error.message}. \`${name}\` looks like one sample without the batch axis: wrap it in a list ([${name}]) to pass a batch of one.`);
    }
  }

  /** The linear graph: the input, then each layer called on the previous output (Keras's `_maybe_rebuild`). */
  private rebuild(shape: Shape | undefined = this.declaredInputShapes()[0]): void {
    if (shape === undefined || this.stack.length === 0) {
      this.clearGraph();
      return;
    }
    const input = this.inputLayer?.output ?? Input({ batch_shape: [...shape] });
    let h: KerasTensor = input;
    for (const layer of this.stack) {
      const out = layer.apply(h);
      if (Array.isArray(out)) {
        throw new ValueError(
          `All layers added to a Sequential model should have a single output tensor. For multi-output layers, use the functional API. Received: layer "${layer.name}" with ${out.length} outputs.`,
        );
      }
      h = out as KerasTensor;
    }
    this.setGraph(input, h, false);
  }

  private untrackAll(): void {
    this.retrack(this.stack);
  }
}

registerModelClass('Sequential', (config, custom_objects) => SequentialModel.from_config(config, custom_objects) as never);

export const Sequential = callable(SequentialModel);
export type Sequential = SequentialModel;
