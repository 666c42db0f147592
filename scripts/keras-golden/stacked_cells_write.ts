/**
 * Writes the stacked-cells `.keras` file that scripts/keras-golden/stacked_cells.py loads in real
 * Keras 3: Input (5, 3) -> RNN([LSTMCell(4), GRUCell(3)], return_sequences) ->
 * Bidirectional(RNN([GRUCell(2), SimpleRNNCell(2)])) -> Dense(1), trained 2 epochs by keras-like.
 * Run it before stacked_cells.py:
 *   pnpm exec tsx scripts/keras-golden/stacked_cells_write.ts
 * It writes test/fixtures/keras-files/keras_like_stacked_cells.keras.
 */
import { fileURLToPath } from 'node:url';
import { keras, tf } from 'keras-like';

const L = keras.layers;

const out = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_stacked_cells.keras', import.meta.url));
keras.utils.set_random_seed(19);
const model = keras.Sequential(
  [
    keras.Input({ shape: [5, 3] }),
    L.RNN([L.LSTMCell(4), L.GRUCell(3)], { return_sequences: true }),
    L.Bidirectional(L.RNN([L.GRUCell(2), L.SimpleRNNCell(2)])),
    L.Dense(1),
  ],
  { name: 'stacked_bidirectional' },
);
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
const x = tf.randomNormal([16, 5, 3], 0, 1, 'float32', 20);
model.fit(x, tf.randomNormal([16, 1], 0, 1, 'float32', 21), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
model.save(out);
console.log(`wrote ${out}`);
