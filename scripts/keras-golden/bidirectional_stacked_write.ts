/**
 * Writes the stacked-cells encoder-decoder `.keras` file that scripts/keras-golden/bidirectional_stacked.py
 * loads in real Keras 3: enc (5, 3) -> Bidirectional(RNN([LSTMCell(3), GRUCell(2)], return_state)) ->
 * [y, [h, c], g, [h_b, c_b], g_b]; dec (4, 2) -> Bidirectional(RNN([LSTMCell(3), GRUCell(2)],
 * return_sequences), merge_mode 'sum') started from those states, nested per cell; the same with a
 * plain RNN([LSTMCell(3), GRUCell(2)]) pair; Concatenate -> Dense(1). Trained 2 epochs by keras-like.
 * Run it before bidirectional_stacked.py:
 *   pnpm exec tsx scripts/keras-golden/bidirectional_stacked_write.ts
 * It writes test/fixtures/keras-files/keras_like_bidirectional_stacked.keras.
 */
import { fileURLToPath } from 'node:url';
import { keras, tf } from 'keras-like';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;

const out = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_bidirectional_stacked.keras', import.meta.url));
keras.utils.set_random_seed(29);
const enc = keras.Input({ shape: [5, 3], name: 'enc' });
const dec = keras.Input({ shape: [4, 2], name: 'dec' });
const cells = () => [L.LSTMCell(3), L.GRUCell(2)];
const [, fl, fg, bl, bg] = L.Bidirectional(L.RNN(cells(), { return_state: true }), { name: 'encoder' })(enc) as [KerasTensor, KerasTensor[], KerasTensor, KerasTensor[], KerasTensor];
const y = L.Bidirectional(L.RNN(cells(), { return_sequences: true }), { merge_mode: 'sum', name: 'decoder' })(dec, { initial_state: [fl, fg, bl, bg] }) as KerasTensor;
const [, l, g] = L.RNN(cells(), { return_state: true, name: 'renc' })(enc) as [KerasTensor, KerasTensor[], KerasTensor];
const z = L.RNN(cells(), { return_sequences: true, name: 'rdec' })(dec, { initial_state: [l, g] }) as KerasTensor;
const model = keras.Model([enc, dec], L.Dense(1, { name: 'out' }).apply(L.Concatenate().apply([y, z])), { name: 'stacked_seq2seq' });
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
const xe = tf.randomNormal([16, 5, 3], 0, 1, 'float32', 30);
const xd = tf.randomNormal([16, 4, 2], 0, 1, 'float32', 31);
model.fit([xe, xd], tf.randomNormal([16, 4, 1], 0, 1, 'float32', 32), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
model.save(out);
console.log(`wrote ${out}`);
