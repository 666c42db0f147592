/**
 * Writes the `.keras` file that scripts/keras-golden/saving.py loads in real Keras 3: a Dense
 * net trained for a few epochs by keras-like (so its Adam state is not zero), saved with
 * `model.save`. Run it before saving.py:
 *   pnpm exec tsx scripts/keras-golden/saving_write.ts
 * It writes test/fixtures/keras-files/keras_like_dense.keras.
 */
import { fileURLToPath } from 'node:url';
import { Dense, Dropout, keras, Sequential, tf } from 'keras-like';

const out = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_dense.keras', import.meta.url));
keras.utils.set_random_seed(7);
const model = Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'relu', name: 'hidden' }), Dropout(0.25), keras.layers.BatchNormalization(), Dense(3, { activation: 'softmax' })]);
model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const x = tf.randomNormal([32, 4], 0, 1, 'float32', 3);
const y = tf.oneHot(tf.argMax(x.slice([0, 0], [32, 3]), 1), 3);
model.fit(x, y, { epochs: 3, batch_size: 8, verbose: 0, shuffle: false });
model.save(out);
console.log(`wrote ${out}`);

// An LSTM net (its weights live in the cell: layers/lstm/cell/vars), trained 2 epochs.
const lstmOut = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_lstm.keras', import.meta.url));
keras.utils.set_random_seed(8);
const lstm = Sequential([keras.Input({ shape: [5, 3] }), keras.layers.LSTM(4), Dense(2)]);
lstm.compile({ optimizer: 'rmsprop', loss: 'mse' });
lstm.fit(tf.randomNormal([16, 5, 3], 0, 1, 'float32', 4), tf.randomNormal([16, 2], 0, 1, 'float32', 5), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
lstm.save(lstmOut);
console.log(`wrote ${lstmOut}`);
