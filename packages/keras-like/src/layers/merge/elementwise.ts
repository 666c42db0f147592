/**
 * Keras's element-wise merge layers and their backward. For y = f(x₁, …, xₙ):
 *
 *   Add       y = Σ xᵢ            ∂C/∂xᵢ = ∂C/∂y
 *   Subtract  y = x₁ − x₂         ∂C/∂x₁ = ∂C/∂y, ∂C/∂x₂ = −∂C/∂y
 *   Multiply  y = Π xᵢ            ∂C/∂xᵢ = ∂C/∂y ⊙ Π_{j≠i} xⱼ
 *   Average   y = (1/n) Σ xᵢ      ∂C/∂xᵢ = ∂C/∂y / n
 *   Maximum   y = max(max(x₁, x₂), …)  ∂C/∂y goes to the input that is the maximum (the earlier one on a tie,
 *   Minimum   y = min(min(x₁, x₂), …)  as TensorFlow's gradient of maximum / minimum does, pair by pair)
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { parseOptions, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { KerasTensor } from '../keras_tensor.js';
import { layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from '../layer.js';
import { Merge } from './base_merge.js';

const mergeSchema = layerSchema;
/** Keyword arguments of the merge layers: `name` and the other common layer arguments. */
export type MergeOptions = KerasOptions<typeof mergeSchema>;

export class AddLayer extends Merge {
  static readonly class_name = 'Add';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Add', mergeSchema, options), 'add');
  }
  override call(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.length === 2 ? tf.add(inputs[0]!, inputs[1]!) : tf.addN(inputs);
  }
  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }
  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    return { inputGradient: need ? pass.inputs.map(() => dY) : null, weightGradients: [] };
  }
}

export class SubtractLayer extends Merge {
  static readonly class_name = 'Subtract';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Subtract', mergeSchema, options), 'subtract');
  }
  override build(shapes: Shape[]): void {
    if (Array.isArray(shapes) && Array.isArray(shapes[0]) && shapes.length !== 2) {
      throw new ValueError(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${shapes.map((s) => shapeText(s)).join(', ')}`);
    }
    super.build(shapes);
  }
  override call(inputs: tf.Tensor[]): tf.Tensor {
    return tf.sub(inputs[0]!, inputs[1]!);
  }
  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }
  override backward(dY: tf.Tensor, _pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    return { inputGradient: need ? [dY, tf.neg(dY)] : null, weightGradients: [] };
  }
}

export class MultiplyLayer extends Merge {
  static readonly class_name = 'Multiply';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Multiply', mergeSchema, options), 'multiply');
  }
  override call(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((a, b) => tf.mul(a, b), inputs[0]!);
  }
  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }
  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (!need) return { inputGradient: null, weightGradients: [] };
    const xs = pass.inputs;
    return { inputGradient: xs.map((_, i) => xs.reduce((g, x, j) => (j === i ? g : tf.mul(g, x)), dY)), weightGradients: [] };
  }
}

export class AverageLayer extends Merge {
  static readonly class_name = 'Average';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Average', mergeSchema, options), 'average');
  }
  override call(inputs: tf.Tensor[]): tf.Tensor {
    return tf.div(tf.addN(inputs), inputs.length);
  }
  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }
  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (!need) return { inputGradient: null, weightGradients: [] };
    const share = tf.div(dY, pass.inputs.length);
    return { inputGradient: pass.inputs.map(() => share), weightGradients: [] };
  }
}

/** Maximum and Minimum: a running extremum, pair by pair, remembering which input won each pair. */
export abstract class ExtremumLayer extends Merge {
  protected abstract pick(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** Where the running value `a` stays against the next input `b` (a ≥ b for maximum, a ≤ b for minimum). */
  protected abstract keeps(a: tf.Tensor, b: tf.Tensor): tf.Tensor;

  override call(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((a, b) => this.pick(a, b), inputs[0]!);
  }
  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[], tf.Tensor> {
    const running = [inputs[0]!];
    for (const x of inputs.slice(1)) running.push(this.pick(running[running.length - 1]!, x));
    return { inputs, outputs: running[running.length - 1]!, saved: running };
  }
  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (!need) return { inputGradient: null, weightGradients: [] };
    const running = pass.saved as tf.Tensor[];
    const grads: tf.Tensor[] = new Array(pass.inputs.length);
    // Back through the pairs, last first: the running value keeps its share where it won.
    let g = dY;
    for (let i = pass.inputs.length - 1; i >= 1; i--) {
      const kept = tf.cast(this.keeps(running[i - 1]!, pass.inputs[i]!), 'float32');
      grads[i] = tf.mul(g, tf.sub(1, kept));
      g = tf.mul(g, kept);
    }
    grads[0] = g;
    return { inputGradient: grads, weightGradients: [] };
  }
}

export class MaximumLayer extends ExtremumLayer {
  static readonly class_name = 'Maximum';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Maximum', mergeSchema, options), 'maximum');
  }
  protected pick(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.maximum(a, b);
  }
  protected keeps(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.greaterEqual(a, b);
  }
}

export class MinimumLayer extends ExtremumLayer {
  static readonly class_name = 'Minimum';
  constructor(options: MergeOptions = {}) {
    super(parseOptions('Minimum', mergeSchema, options), 'minimum');
  }
  protected pick(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.minimum(a, b);
  }
  protected keeps(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.lessEqual(a, b);
  }
}

export const Add = callable(AddLayer);
export type Add = AddLayer;
export const Subtract = callable(SubtractLayer);
export type Subtract = SubtractLayer;
export const Multiply = callable(MultiplyLayer);
export type Multiply = MultiplyLayer;
export const Average = callable(AverageLayer);
export type Average = AverageLayer;
export const Maximum = callable(MaximumLayer);
export type Maximum = MaximumLayer;
export const Minimum = callable(MinimumLayer);
export type Minimum = MinimumLayer;

/** The functional forms, `keras.layers.add([a, b])`: the layer made and called at once. */
type MergeInputs = KerasTensor[] | tf.Tensor[];
type MergeResult<T> = T extends KerasTensor[] ? KerasTensor : tf.Tensor;
const functional =
  (make: (options: MergeOptions) => Merge) =>
  <T extends MergeInputs>(inputs: T, options: MergeOptions = {}): MergeResult<T> =>
    make(options).apply(inputs as never) as MergeResult<T>;

export const add = functional((o) => new AddLayer(o));
export const subtract = functional((o) => new SubtractLayer(o));
export const multiply = functional((o) => new MultiplyLayer(o));
export const average = functional((o) => new AverageLayer(o));
export const maximum = functional((o) => new MaximumLayer(o));
export const minimum = functional((o) => new MinimumLayer(o));
