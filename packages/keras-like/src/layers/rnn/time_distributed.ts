/**
 * `keras.layers.TimeDistributed(layer)`: applies `layer` to every timestep of a
 * [batch, timesteps, ...] input, with the same weights at each step (S16's
 * `TimeDistributed(Dense(10))` after a `return_sequences` LSTM).
 *
 *   forward:  reshape to [batch·timesteps, ...], run the layer, reshape back
 *   backward: the layer's backward on the same rows; its weight gradients are already the
 *             sums over batch and time (BP3/BP4 over every row), so nothing else is summed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import { Layer, layerSchema, shapeText, type ForwardPass, type Gradients, type Shape } from '../layer.js';

const timeDistributedSchema = layerSchema.extend({
  layer: z.custom<Layer>((v) => v instanceof Layer, { error: 'must be a `keras.layers.Layer` instance, such as Dense(10)' }),
});

export type TimeDistributedOptions = KerasOptions<typeof layerSchema>;

export class TimeDistributedLayer extends Layer {
  readonly layer: Layer;

  /** @param layer the layer applied at each timestep, such as `Dense(10)`. */
  constructor(layer: Layer | (TimeDistributedOptions & { layer: Layer }), options?: TimeDistributedOptions) {
    // `layer` is positional or a keyword (Python's `TimeDistributed(layer=Dense(1))`).
    const { layer: given, ...args } = parseArgs('TimeDistributed', timeDistributedSchema, ['layer'], [layer, options]);
    super(args, 'time_distributed');
    this.layer = this.track(given);
    // As Keras 3's: a mask reaching TimeDistributed ends there (its outputs carry none, so a loss after it is not masked).
    this.supports_masking = false;
  }

  override build(inputShape: Shape): void {
    if (inputShape.length < 3) {
      throw new ValueError(`\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${shapeText(inputShape)}`);
    }
    if (!this.layer.built) this.layer.build([null, ...inputShape.slice(2)]);
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, false).outputs);
  }

  override forward(inputs: tf.Tensor, training: boolean): ForwardPass<ForwardPass> {
    const [batch, steps] = inputs.shape as [number, number];
    const inner = this.layer.forward(tf.reshape(inputs, [batch * steps, ...inputs.shape.slice(2)]), training);
    return { inputs, outputs: tf.reshape(inner.outputs, [batch, steps, ...inner.outputs.shape.slice(1)]), saved: inner };
  }

  override backward(dOutputs: tf.Tensor, pass: ForwardPass<ForwardPass>, needInputGradient: boolean): Gradients {
    const inner = pass.saved!;
    const rows = tf.reshape(dOutputs, [-1, ...dOutputs.shape.slice(2)]);
    const { inputGradient, weightGradients } = this.layer.backward(rows, inner, needInputGradient);
    return { inputGradient: inputGradient === null ? null : tf.reshape(inputGradient, pass.inputs.shape), weightGradients: this.trainable ? weightGradients : [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    const inner = this.layer.compute_output_shape([inputShape[0] ?? null, ...inputShape.slice(2)]);
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...inner.slice(1)];
  }

  override get_config(): Record<string, unknown> {
    return { ...super.get_config(), layer: { class_name: this.layer.className, config: this.layer.get_config() } };
  }
}

export const TimeDistributed = callable(TimeDistributedLayer);
export type TimeDistributed = TimeDistributedLayer;
