/**
 * `keras.layers.SimpleRNN(units, {...})`: the fully-connected recurrent layer of the S16
 * notebook, Y(t) = φ(X(t) W_x + Y(t−1) W_y + b); Keras 3's `RNN(SimpleRNNCell(units, ...))`.
 * The step's equations, forward and backward, are in simple_rnn_cell.ts, the loop in rnn.ts.
 */
import type { Activation } from '../../activations.js';
import { parseArgs, type KerasOptions } from '../../options/parse.js';
import { callable } from '../../utils/callable.js';
import { RNNLayer, rnnSchema, splitCellArgs, type RNNOptions } from './rnn.js';
import { SimpleRNNCellLayer, simpleRNNCellSchema, type SimpleRNNCellOptions } from './simple_rnn_cell.js';

const simpleRNNSchema = simpleRNNCellSchema.extend(rnnSchema.shape);

/** Keyword arguments of `SimpleRNN`: the cell's and the loop's. */
export type SimpleRNNOptions = Omit<KerasOptions<typeof simpleRNNSchema>, 'units'>;

export class SimpleRNNLayer extends RNNLayer {
  static override readonly class_name: string = 'SimpleRNN';
  static override readonly default_name: string = 'simple_rnn';
  declare readonly cell: SimpleRNNCellLayer;

  /**
   * @param units the size of the output h, a positive integer.
   * @param options the cell's arguments (see `SimpleRNNCell`) and the loop's (see `RNN`).
   */
  constructor(units: number | (SimpleRNNOptions & { units: number }), options?: SimpleRNNOptions) {
    const args = parseArgs('SimpleRNN', simpleRNNSchema, ['units'], [units, options]);
    const [cellArgs, loopArgs] = splitCellArgs(args, Object.keys(simpleRNNCellSchema.shape));
    super(new SimpleRNNCellLayer({ ...(cellArgs as SimpleRNNCellOptions), units: args.units, name: 'simple_rnn_cell' }), loopArgs as RNNOptions);
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): Activation {
    return this.cell.activation;
  }

  override get_config(): Record<string, unknown> {
    // Keras 3's SimpleRNN config has no `seed` (its cell's has).
    const { name: _name, trainable: _trainable, dtype: _dtype, seed: _seed, ...cell } = this.cell.get_config();
    return { ...super.get_config(), ...cell };
  }
}

export const SimpleRNN = callable(SimpleRNNLayer);
export type SimpleRNN = SimpleRNNLayer;
