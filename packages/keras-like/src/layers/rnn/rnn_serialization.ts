/**
 * `keras.layers.deserialize` for `RNN(cell)` and the built-in cells (LSTM, GRU and SimpleRNN are
 * registered in serialization.ts): Keras's RNN config holds its cell serialized, so the cell is
 * deserialized first (a user's cell class from `custom_objects`, as Keras needs it registered).
 * Here rather than in serialization.ts, which rnn.ts's subclasses import.
 */
import { isPlainObject } from '../../options/parse.js';
import { deserialize, layerArguments, registerLayerClass, type LayerClass } from '../serialization.js';
import { GRUCellLayer } from './gru_cell.js';
import { LSTMCellLayer } from './lstm_cell.js';
import { RNNLayer, type RNNCellArgument, type RNNOptions } from './rnn.js';
import { SimpleRNNCellLayer } from './simple_rnn_cell.js';

/** RNN's `from_config`: the cell, then the loop around it. */
class RNNFromConfig extends RNNLayer {
  static from_config(config: Record<string, unknown>): RNNLayer {
    const { cell, ...rest } = config;
    const args = layerArguments('RNN', rest) as RNNOptions;
    const made = isPlainObject(cell) ? (deserialize(cell) as unknown as RNNCellArgument) : (cell as RNNCellArgument);
    return new RNNLayer({ ...args, cell: made });
  }
}

registerLayerClass('RNN', RNNFromConfig as unknown as LayerClass);
registerLayerClass('LSTMCell', LSTMCellLayer as unknown as LayerClass);
registerLayerClass('GRUCell', GRUCellLayer as unknown as LayerClass);
registerLayerClass('SimpleRNNCell', SimpleRNNCellLayer as unknown as LayerClass);
