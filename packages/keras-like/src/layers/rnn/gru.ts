/**
 * `keras.layers.GRU(units, {...})`: the Gated Recurrent Unit layer, Keras 3's
 * `RNN(GRUCell(units, ...))` with Keras 3's default `reset_after=True` and its bias [2, 3·units].
 * The step's equations, forward and backward, are in gru_cell.ts, the loop in rnn.ts.
 */
import { z } from 'zod';
import type { Activation } from '../../activations.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import { GRUCellLayer, gruCellSchema, type GRUCellOptions } from './gru_cell.js';
import { RNNLayer, rnnSchema, splitCellArgs, type RNNOptions } from './rnn.js';

const gruSchema = gruCellSchema.extend(rnnSchema.shape).extend({
  /** Keras's switch for the cuDNN kernel; accepted, and the computation is the same. */
  use_cudnn: z.union([z.literal('auto'), z.boolean()], { error: "must be one of 'auto', true, false" }).default('auto'),
});

/** Keyword arguments of `GRU`: the cell's (`reset_after`, `dropout`...) and the loop's (`return_sequences`...). */
export type GRUOptions = Omit<KerasOptions<typeof gruSchema>, 'units'>;

export class GRULayer extends RNNLayer {
  static override readonly class_name: string = 'GRU';
  static override readonly default_name: string = 'gru';
  declare readonly cell: GRUCellLayer;

  /**
   * @param units the size of the output h, a positive integer.
   * @param options the cell's arguments (see `GRUCell`) and the loop's (see `RNN`).
   */
  constructor(units: number | (GRUOptions & { units: number }), options?: GRUOptions) {
    const { use_cudnn: _cudnn, ...args } = parseArgs('GRU', gruSchema, ['units'], [units, options]);
    const [cellArgs, loopArgs] = splitCellArgs(args, Object.keys(gruCellSchema.shape));
    super(new GRUCellLayer({ ...(cellArgs as GRUCellOptions), units: args.units, name: 'gru_cell' }), loopArgs as RNNOptions);
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): Activation {
    return this.cell.activation;
  }
  get reset_after(): boolean {
    return this.cell.reset_after;
  }

  override get_config(): Record<string, unknown> {
    const { name: _name, trainable: _trainable, dtype: _dtype, implementation: _implementation, ...cell } = this.cell.get_config();
    return { ...super.get_config(), ...cell };
  }
}

export const GRU = callable(GRULayer);
export type GRU = GRULayer;
