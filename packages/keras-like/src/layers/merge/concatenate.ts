/**
 * `keras.layers.Concatenate(axis=-1)`: the inputs side by side along `axis`,
 * y = [x₁ | x₂ | …]; backward: ∂C/∂xᵢ is xᵢ's slice of ∂C/∂y along that axis.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { KerasTensor } from '../keras_tensor.js';
import { layerSchema, shapeText, type ForwardPass, type Gradients, type Masks, type Shape } from '../layer.js';
import { Merge } from './base_merge.js';

const concatenateSchema = layerSchema.extend({
  axis: z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).default(-1),
});
/** Keyword arguments of `Concatenate`: `axis` (defaults to -1) and the common layer arguments. */
export type ConcatenateOptions = KerasOptions<typeof concatenateSchema>;

export class ConcatenateLayer extends Merge {
  static readonly class_name = 'Concatenate';
  readonly axis: number;

  constructor(axis?: number | ConcatenateOptions, options?: ConcatenateOptions) {
    const args = parseArgs('Concatenate', concatenateSchema, ['axis'], [axis, options]);
    super(args, 'concatenate');
    this.axis = args.axis;
  }

  private axisOf(rank: number): number {
    return this.axis < 0 ? rank + this.axis : this.axis;
  }

  protected override checkShapes(shapes: Shape[]): void {
    const rank = shapes[0]!.length;
    const axis = this.axisOf(rank);
    for (const shape of shapes) {
      const fits = shape.length === rank && shape.every((s, i) => i === 0 || i === axis || s === null || shapes[0]![i] === null || s === shapes[0]![i]);
      if (!fits || axis <= 0 || axis >= rank) {
        throw new ValueError(
          `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[${shapes.map((s) => shapeText(s)).join(', ')}]`,
        );
      }
    }
  }

  override compute_output_shape(shapes: Shape[]): Shape {
    const axis = this.axisOf(shapes[0]!.length);
    const out = [...shapes[0]!];
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((n, s) => n + s[axis]!, 0);
    return out;
  }

  override call(inputs: tf.Tensor[]): tf.Tensor {
    return tf.concat(inputs, this.axisOf(inputs[0]!.rank));
  }

  override forward(inputs: tf.Tensor[]): ForwardPass<unknown, tf.Tensor[]> {
    return { inputs, outputs: this.call(inputs) };
  }

  override backward(dY: tf.Tensor, pass: ForwardPass<unknown, tf.Tensor[]>, need: boolean): Gradients<tf.Tensor[]> {
    if (!need) return { inputGradient: null, weightGradients: [] };
    const axis = this.axisOf(dY.rank);
    return { inputGradient: tf.split(dY, pass.inputs.map((x) => x.shape[axis]!), axis), weightGradients: [] };
  }


  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), axis: this.axis };
  }
}

export const Concatenate = callable(ConcatenateLayer);
export type Concatenate = ConcatenateLayer;

/** `keras.layers.concatenate(inputs, axis=-1)`: a Concatenate layer made and called at once. */
export function concatenate<T extends KerasTensor[] | tf.Tensor[]>(inputs: T, axis: number | ConcatenateOptions = -1, options?: ConcatenateOptions): T extends KerasTensor[] ? KerasTensor : tf.Tensor {
  return new ConcatenateLayer(axis, options).apply(inputs as never) as T extends KerasTensor[] ? KerasTensor : tf.Tensor;
}
