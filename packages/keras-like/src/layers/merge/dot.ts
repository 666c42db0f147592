/**
 * `keras.layers.Dot(axes, normalize=False)`: the dot product of two inputs along `axes`, sample by
 * sample (Keras's `batch_dot`). For inputs a, b of shape (batch, d) and axes 1:
 *
 *   y = Σⱼ aⱼ bⱼ (shape (batch, 1));   ∂C/∂a = ∂C/∂y ⊙ b,   ∂C/∂b = ∂C/∂y ⊙ a.
 *
 * For sequences, a of shape (batch, n, d) and b of shape (batch, m, d') with `axes: [i, j]`
 * (each 1 or 2), Keras's `batch_dot` contracts a's axis i with b's axis j, sample by sample: one
 * batched matrix product, a (transposed when i = 1) · b (transposed when j = 2), of shape
 * (batch, a's other axis, b's other axis). Its backward, and that of `normalize`, is TensorFlow.js
 * autodiff's.
 *
 * With `normalize: true` (cosine proximity) a and b are L2-normalized along their axes first.
 * Inputs of rank 2 or both of rank 3 (keras-like has no general `batch_dot`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { KerasTensor } from '../keras_tensor.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from '../layer.js';
import { Merge } from './base_merge.js';

const axesSchema = z.union([z.number().int(), z.array(z.number().int()).length(2)], { error: 'must be an integer or a list of 2 integers' });
const dotSchema = layerSchema.extend({
  axes: axesSchema,
  normalize: z.boolean().default(false),
});
/** Keyword arguments of `Dot`: `normalize` (defaults to false) and the common layer arguments. */
export type DotOptions = Omit<KerasOptions<typeof dotSchema>, 'axes'>;

export class DotLayer extends Merge {
  static readonly class_name = 'Dot';
  readonly axes: number | number[];
  readonly normalize: boolean;

  /**
   * @param axes the axis (or one per input) to take the product along; 1 or -1 for inputs (batch, d).
   * @param options.normalize L2-normalize the inputs first, giving their cosine. Defaults to false.
   */
  constructor(axes: number | number[] | (DotOptions & { axes: number | number[] }), options?: DotOptions) {
    const args = parseArgs('Dot', dotSchema, ['axes'], [axes, options]);
    super(args, 'dot');
    this.axes = args.axes;
    this.normalize = args.normalize;
  }

  /** Keras's axes for inputs of these ranks: one per input, negative ones counted from the end. */
  private resolvedAxes(ranks: readonly number[]): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [0, 1].map((i) => (given[i]! < 0 ? given[i]! + ranks[i]! : given[i]!)) as [number, number];
  }

  protected override checkShapes(shapes: Shape[]): void {
    const rank = shapes[0]?.length;
    const axes = shapes.length === 2 ? this.resolvedAxes(shapes.map((s) => s.length)) : [0, 0];
    if (shapes.length !== 2 || (rank !== 2 && rank !== 3) || shapes[1]!.length !== rank || axes.some((a) => a < 1 || a >= rank)) {
      throw new ValueError(
        `Dot: keras-like computes the dot product of two inputs of shape (batch, d), or of two of shape (batch, n, d), along axes 1 or 2. Received: input_shape=[${shapes.map((s) => shapeText(s)).join(', ')}], axes=${JSON.stringify(this.axes)}`,
      );
    }
    const [d1, d2] = [shapes[0]![axes[0]!], shapes[1]![axes[1]!]];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new ValueError(`Incompatible input shapes: axis values ${d1} (at axis ${axes[0]}) != ${d2} (at axis ${axes[1]}). Full input shapes: ${shapeText(shapes[0]!)}, ${shapeText(shapes[1]!)}`);
    }
  }

  /** Keras's: each input's shape without its axis (and b's batch), then a 1 if only the batch is left. */
  override compute_output_shape(shapes: Shape[]): Shape {
    const [i, j] = this.resolvedAxes(shapes.map((s) => s.length));
    const out = [...shapes[0]!.filter((_, k) => k !== i), ...shapes[1]!.filter((_, k) => k !== j && k !== 0)];
    return out.length === 1 ? [...out, 1] : out;
  }

  override call(inputs: tf.Tensor[]): tf.Tensor {
    let [a, b] = inputs as [tf.Tensor, tf.Tensor];
    const [i, j] = this.resolvedAxes([a.rank, b.rank]);
    if (this.normalize) {
      // Keras's l2_normalize along each input's axis: x / sqrt(max(Σx², 1e-12)).
      const unit = (x: tf.Tensor, axis: number) => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
      a = unit(a, i);
      b = unit(b, j);
    }
    if (a.rank === 2) return tf.sum(tf.mul(a, b), 1, true);
    return tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, i === 1, j === 2);
  }

  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }

  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (this.normalize || dY.rank === 3) return Layer.prototype.backward.call(this, dY, pass, need) as Gradients<tf.Tensor[]>;
    if (!need) return { inputGradient: null, weightGradients: [] };
    const [a, b] = pass.inputs as [tf.Tensor, tf.Tensor];
    return { inputGradient: [tf.mul(dY, b), tf.mul(dY, a)], weightGradients: [] };
  }

  override compute_mask(): null {
    return null;
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), axes: this.axes, normalize: this.normalize };
  }
}

export const Dot = callable(DotLayer);
export type Dot = DotLayer;

/** `keras.layers.dot(inputs, axes, normalize=False)`: a Dot layer made and called at once. */
export function dot<T extends KerasTensor[] | tf.Tensor[]>(inputs: T, axes: number | number[], options?: DotOptions): T extends KerasTensor[] ? KerasTensor : tf.Tensor {
  return new DotLayer(axes, options).apply(inputs as never) as T extends KerasTensor[] ? KerasTensor : tf.Tensor;
}
