/**
 * `keras.layers.ActivityRegularization({l1, l2})`: the identity, with an activity
 * regularizer `L1L2(l1, l2)` on its outputs. The model adds the penalty to the loss
 * (not divided by the batch size: Keras 3 adds it as is) and its gradient to ∂C/∂outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { L1L2 } from '../regularizers.js';
import { callable } from '../utils/callable.js';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { Layer, layerSchema, type ForwardPass, type Gradients, type Shape } from './layer.js';

const factor = z
  .number({ error: 'must be a non-negative float' })
  .finite({ error: 'must be a non-negative float' })
  .min(0, { error: 'must be a non-negative float' })
  .default(0);

const activityRegularizationSchema = layerSchema.extend({ l1: factor, l2: factor });

export type ActivityRegularizationOptions = KerasOptions<typeof activityRegularizationSchema>;

export class ActivityRegularizationLayer extends Layer {
  readonly l1: number;
  readonly l2: number;

  /**
   * @param l1 the L1 factor on the outputs. Defaults to 0.
   * @param l2 the L2 factor on the outputs. Defaults to 0.
   */
  constructor(
    l1?: number | ActivityRegularizationOptions,
    l2?: number | ActivityRegularizationOptions,
    options?: ActivityRegularizationOptions,
  ) {
    const args = parseArgs('ActivityRegularization', activityRegularizationSchema, ['l1', 'l2'], [l1, l2, options]);
    super(args, 'activity_regularization');
    // As in Keras, a mask passes through this layer unchanged.
    this.supports_masking = true;
    this.l1 = args.l1;
    this.l2 = args.l2;
    this.activity_regularizer = L1L2(this.l1, this.l2);
  }

  override forward(inputs: tf.Tensor, _training: boolean): ForwardPass {
    return { inputs, outputs: inputs.clone() };
  }

  override backward(dOutputs: tf.Tensor, _pass: ForwardPass, needInputGradient: boolean): Gradients {
    return { inputGradient: needInputGradient ? dOutputs : null, weightGradients: [] };
  }

  override compute_output_shape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override get_config(): Record<string, unknown> {
    // l1 and l2 say it all: Keras drops the base config's activity_regularizer here.
    const { activity_regularizer: _penalty, ...base } = super.get_config();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}

export const ActivityRegularization = callable(ActivityRegularizationLayer);
export type ActivityRegularization = ActivityRegularizationLayer;
