/**
 * `keras.layers.Dot(axes, normalize=False)`: the dot product of two inputs along `axes`, sample by
 * sample (Keras's `batch_dot`). For inputs a, b of shape (batch, d) and axes 1:
 *
 *   y = Σⱼ aⱼ bⱼ (shape (batch, 1));   ∂C/∂a = ∂C/∂y ⊙ b,   ∂C/∂b = ∂C/∂y ⊙ a.
 *
 * With `normalize: true` (cosine proximity) a and b are L2-normalized first; that backward is
 * TensorFlow.js autodiff's. Inputs of rank 2 only (keras-like has no general `batch_dot`).
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

  protected override checkShapes(shapes: Shape[]): void {
    const axes = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    if (shapes.length !== 2 || shapes.some((s) => s.length !== 2) || axes.some((a) => a !== 1 && a !== -1)) {
      throw new ValueError(
        `Dot: keras-like computes the dot product of two inputs of shape (batch, d) along axes 1. Received: input_shape=[${shapes.map((s) => shapeText(s)).join(', ')}], axes=${JSON.stringify(this.axes)}`,
      );
    }
    if (shapes[0]![1] !== null && shapes[1]![1] !== null && shapes[0]![1] !== shapes[1]![1]) {
      throw new ValueError(`Incompatible input shapes: axis values ${shapes[0]![1]} (at axis 1) != ${shapes[1]![1]} (at axis 1). Full input shapes: ${shapeText(shapes[0]!)}, ${shapeText(shapes[1]!)}`);
    }
  }

  override compute_output_shape(shapes: Shape[]): Shape {
    return [shapes[0]![0] ?? null, 1];
  }

  override call(inputs: tf.Tensor[]): tf.Tensor {
    let [a, b] = inputs as [tf.Tensor, tf.Tensor];
    if (this.normalize) {
      // Keras's l2_normalize: x / sqrt(max(Σx², 1e-12)).
      const unit = (x: tf.Tensor) => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-12)));
      a = unit(a);
      b = unit(b);
    }
    return tf.sum(tf.mul(a, b), 1, true);
  }

  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }

  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (this.normalize) return Layer.prototype.backward.call(this, dY, pass, need) as Gradients<tf.Tensor[]>;
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
