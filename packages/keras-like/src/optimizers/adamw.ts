/**
 * AdamW: Adam with decoupled weight decay, on by default (Keras 3's
 * keras/src/optimizers/adamw.py). Before Adam's step, every step:
 *
 *   w = w - w * weight_decay * learning_rate          (weight_decay defaults to 0.004)
 *
 * then Adam's rule (adam.ts). The decay shrinks the weights directly instead of
 * adding an L2 term to the loss, so Adam's per-parameter scaling does not weaken it.
 * Reference: Loshchilov and Hutter, 2019, https://arxiv.org/abs/1711.05101
 */
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { adamSchema, AdamOptimizer, type AdamOptions } from './adam.js';
import { positionalNames, type OptimizerArgs } from './base.js';

const adamWSchema = adamSchema.extend({
  weight_decay: z.number({ message: 'must be a float' }).min(0, { message: 'must be a float >= 0' }).default(0.004),
});

/**
 * Keyword arguments of `AdamW`: Adam's (`learning_rate` 0.001, `beta_1` 0.9, `beta_2` 0.999,
 * `epsilon` 1e-7, `amsgrad` false) and `weight_decay`, a float >= 0 that must be given
 * (not null). Defaults to 0.004.
 */
export type AdamWOptions = KerasOptions<typeof adamWSchema>;

export class AdamWOptimizer extends AdamOptimizer {
  static override readonly class_name: string = 'AdamW';

  /** `AdamW({ learning_rate: 0.001, weight_decay: 0.004 })`. */
  constructor(...given: OptimizerArgs<AdamWOptions>) {
    const args = parseArgs('AdamW', adamWSchema, positionalNames(adamWSchema, ['weight_decay']), given);
    // Validated above with AdamW's schema; Adam's schema accepts every one of these keys.
    super({ ...args, name: args.name ?? 'adam_w' } as AdamOptions);
  }
}

/** Keras's `keras.optimizers.AdamW`; `new` is optional. */
export const AdamW = callable(AdamWOptimizer);
export type AdamW = AdamWOptimizer;
