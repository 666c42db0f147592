/**
 * Writes the encoder-decoder `.keras` file that scripts/keras-golden/seq2seq.py loads in real
 * Keras 3: the architecture of seq2seq.py (an LSTM decoder started from an LSTM encoder's [h, c],
 * a GRU decoder started from a GRU encoder's h), trained 2 epochs by keras-like. Run it before
 * seq2seq.py:
 *   pnpm exec tsx scripts/keras-golden/seq2seq_write.ts
 * It writes test/fixtures/keras-files/keras_like_seq2seq.keras.
 */
import { fileURLToPath } from 'node:url';
import { keras, tf } from 'keras-like';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;

const out = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_seq2seq.keras', import.meta.url));
keras.utils.set_random_seed(17);
const enc = keras.Input({ shape: [5, 3], name: 'enc' });
const dec = keras.Input({ shape: [4, 2], name: 'dec' });
const [, h, c] = L.LSTM(6, { return_state: true, name: 'encoder' }).apply(enc) as KerasTensor[];
const y = L.LSTM(6, { return_sequences: true, name: 'decoder' }).apply(dec, { initial_state: [h!, c!] }) as KerasTensor;
const [, g] = L.GRU(3, { return_state: true, name: 'gru_encoder' }).apply(enc) as KerasTensor[];
const yg = L.GRU(3, { return_sequences: true, name: 'gru_decoder' }).apply(dec, { initial_state: g! }) as KerasTensor;
const outputs = L.Dense(2, { name: 'out' }).apply(L.Concatenate().apply([y, yg]));
const model = keras.Model([enc, dec], outputs, { name: 'seq2seq' });
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
const xe = tf.randomNormal([16, 5, 3], 0, 1, 'float32', 18);
const xd = tf.randomNormal([16, 4, 2], 0, 1, 'float32', 19);
model.fit([xe, xd], tf.randomNormal([16, 4, 2], 0, 1, 'float32', 20), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
model.save(out);
console.log(`wrote ${out}`);
