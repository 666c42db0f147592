/**
 * `keras.layers.RepeatVector(n)`: repeats a [batch, features] input n times along a new time
 * axis, [batch, n, features] (S16's one-to-many model feeds it to an LSTM).
 *
 *   forward:  a[b, t] = x[b]            backward: ∂C/∂x[b] = Σ_t ∂C/∂a[b, t]
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from './layer.js';

const repeatVectorSchema = layerSchema.extend({
  n: z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' }),
});

export type RepeatVectorOptions = Omit<KerasOptions<typeof repeatVectorSchema>, 'n'>;

export class RepeatVectorLayer extends Layer {
  readonly n: number;

  /** @param n how many times to repeat the input. */
  constructor(n: number | (RepeatVectorOptions & { n: number }), options?: RepeatVectorOptions) {
    const args = parseArgs('RepeatVector', repeatVectorSchema, ['n'], [n, options]);
    super(args, 'repeat_vector');
    this.n = args.n;
  }

  override build(inputShape: Shape): void {
    assertRank2(this.name, inputShape);
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass {
    assertRank2(this.name, inputs.shape);
    return { inputs, outputs: tf.tile(tf.expandDims(inputs, 1), [1, this.n, 1]) };
  }

  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? tf.sum(dOutputs, 1) : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    assertRank2(this.name, inputShape);
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), n: this.n };
  }
}

function assertRank2(name: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 2) {
    throw new ValueError(`Input 0 of layer "${name}" is incompatible with the layer: expected ndim=2, found ndim=${shape.length}. Full shape received: ${shapeText(shape)}`);
  }
}

export const RepeatVector = callable(RepeatVectorLayer);
export type RepeatVector = RepeatVectorLayer;
