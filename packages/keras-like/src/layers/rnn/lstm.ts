/**
 * `keras.layers.LSTM(units, {...})`: the Long Short-Term Memory layer, Keras 3's
 * `RNN(LSTMCell(units, ...))` with the cell's and the loop's arguments in one call, as in
 * the S16 notebook's `LSTM(50, activation='relu', input_shape=(n_steps, n_features))`.
 *
 * The equations, forward and backward through time, are in lstm_cell.ts (one step) and
 * rnn.ts (the loop); the weights are the cell's: `kernel` [features, 4·units],
 * `recurrent_kernel` [units, 4·units], `bias` [4·units], gates in the order i, f, c, o,
 * so Keras's `get_weights()` load one to one.
 */
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import type { Activation } from '../../activations.js';
import { LSTMCellLayer, lstmCellSchema } from './lstm_cell.js';
import { RNNLayer, rnnSchema, splitCellArgs, type RNNOptions } from './rnn.js';

const lstmSchema = lstmCellSchema.extend(rnnSchema.shape).extend({
  /** Keras's switch for the cuDNN kernel; accepted, and the computation is the same. */
  use_cudnn: z.union([z.literal('auto'), z.boolean()], { error: "must be one of 'auto', true, false" }).default('auto'),
});

/** Keyword arguments of `LSTM`: the cell's (`activation`, `dropout`...) and the loop's (`return_sequences`...). */
export type LSTMOptions = Omit<KerasOptions<typeof lstmSchema>, 'units'>;

export class LSTMLayer extends RNNLayer {
  static override readonly class_name: string = 'LSTM';
  static override readonly default_name: string = 'lstm';
  declare readonly cell: LSTMCellLayer;

  /**
   * @param units the size of the output h (and of the carry c), a positive integer.
   * @param options the cell's arguments (see `LSTMCell`: `activation` `'tanh'`,
   *   `recurrent_activation` `'sigmoid'`, `use_bias`, the initializers `'glorot_uniform'` /
   *   `'orthogonal'` / `'zeros'`, `unit_forget_bias` `true`, regularizers, constraints,
   *   `dropout`, `recurrent_dropout`, `seed`) and the loop's (see `RNN`: `return_sequences`,
   *   `return_state`, `go_backwards`, `stateful`, `unroll`), plus `input_shape` and the other
   *   layer keywords. `use_cudnn` is accepted ('auto', true or false) and changes nothing.
   */
  constructor(units: number | (LSTMOptions & { units: number }), options?: LSTMOptions) {
    const { use_cudnn: _cudnn, ...args } = parseArgs('LSTM', lstmSchema, ['units'], [units, options]);
    const [cellArgs, loopArgs] = splitCellArgs(args, Object.keys(lstmCellSchema.shape));
    super(new LSTMCellLayer({ ...(cellArgs as LSTMOptions), units: args.units, name: 'lstm_cell' }), loopArgs as RNNOptions);
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): Activation {
    return this.cell.activation;
  }
  get recurrent_activation(): Activation {
    return this.cell.recurrent_activation;
  }

  override get_config(): Record<string, unknown> {
    const { name: _name, trainable: _trainable, dtype: _dtype, ...cell } = this.cell.get_config();
    return { ...super.get_config(), ...cell };
  }
}

export const LSTM = callable(LSTMLayer);
export type LSTM = LSTMLayer;
