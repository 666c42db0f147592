/**
 * Writes the bidirectional encoder-decoder `.keras` file that scripts/keras-golden/bidirectional_state.py
 * loads in real Keras 3: its architecture (a Bidirectional LSTM decoder started from a Bidirectional
 * LSTM encoder's [h_f, c_f, h_b, c_b], a Bidirectional GRU decoder, merge_mode 'sum', from a GRU
 * encoder's [h_f, h_b]), trained 2 epochs by keras-like. Run it before bidirectional_state.py:
 *   pnpm exec tsx scripts/keras-golden/bidirectional_state_write.ts
 * It writes test/fixtures/keras-files/keras_like_bidirectional_state.keras.
 */
import { fileURLToPath } from 'node:url';
import { keras, tf } from 'keras-like';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;

const out = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_bidirectional_state.keras', import.meta.url));
keras.utils.set_random_seed(23);
const enc = keras.Input({ shape: [5, 3], name: 'enc' });
const dec = keras.Input({ shape: [4, 2], name: 'dec' });
const [, hf, cf, hb, cb] = L.Bidirectional(L.LSTM(3, { return_state: true }), { name: 'encoder' }).apply(enc) as KerasTensor[];
const y = L.Bidirectional(L.LSTM(3, { return_sequences: true }), { name: 'decoder' }).apply(dec, { initial_state: [hf!, cf!, hb!, cb!] }) as KerasTensor;
const [, gf, gb] = L.Bidirectional(L.GRU(2, { return_state: true }), { merge_mode: 'sum', name: 'gru_encoder' }).apply(enc) as KerasTensor[];
const yg = L.Bidirectional(L.GRU(2, { return_sequences: true }), { merge_mode: 'sum', name: 'gru_decoder' }).apply(dec, { initial_state: [gf!, gb!] }) as KerasTensor;
const model = keras.Model([enc, dec], L.Dense(2, { name: 'out' }).apply(L.Concatenate().apply([y, yg])), { name: 'bidirectional_seq2seq' });
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
const xe = tf.randomNormal([16, 5, 3], 0, 1, 'float32', 24);
const xd = tf.randomNormal([16, 4, 2], 0, 1, 'float32', 25);
model.fit([xe, xd], tf.randomNormal([16, 4, 2], 0, 1, 'float32', 26), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
model.save(out);
console.log(`wrote ${out}`);
