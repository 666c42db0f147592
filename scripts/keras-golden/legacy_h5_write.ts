/**
 * Writes the legacy `.h5` files (`model.save('x.h5')`) that scripts/keras-golden/legacy_h5.py
 * loads in real Keras 3 and reads with h5py. Run it before legacy_h5.py:
 *   pnpm exec tsx scripts/keras-golden/legacy_h5_write.ts
 * It writes test/fixtures/keras-files/keras_like_{dense,cnn,lstm,functional,stacked}_legacy.h5: a Dense
 * net (Adam), a CNN (Adam), an LSTM net (RMSprop) and a functional net (two inputs, a shared
 * layer, a nested Sequential holding a BatchNormalization before a Dense, a Bidirectional GRU;
 * SGD with momentum) and an RNN over a list of cells before a Bidirectional one (Adam), each trained 2 epochs so the optimizer state is not zero.
 */
import { fileURLToPath } from 'node:url';
import { Dense, Dropout, keras, Sequential, tf } from 'keras-like';

type KerasTensor = keras.KerasTensor;
const L = keras.layers;
const file = (name: string) => fileURLToPath(new URL(`../../test/fixtures/keras-files/${name}`, import.meta.url));

function fitAndSave(model: { fit: (x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[], o: object) => unknown; save: (path: string) => void }, x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[], name: string) {
  model.fit(x, y, { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
  model.save(file(name));
  console.log(`wrote ${file(name)}`);
}

keras.utils.set_random_seed(31);
const dense = Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'relu', name: 'hidden' }), Dropout(0.25), L.BatchNormalization(), Dense(3, { activation: 'softmax' })]);
dense.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const dx = tf.randomNormal([16, 4], 0, 1, 'float32', 32);
fitAndSave(dense, dx, tf.oneHot(tf.argMax(dx.slice([0, 0], [16, 3]), 1), 3), 'keras_like_dense_legacy.h5');

keras.utils.set_random_seed(33);
const cnn = Sequential([
  keras.Input({ shape: [8, 8, 2] }),
  L.Conv2D(4, 3, { activation: 'relu', padding: 'same' }),
  L.BatchNormalization(),
  L.MaxPooling2D(2),
  L.Conv2D(3, 2, { strides: 2 }),
  L.Flatten(),
  Dropout(0.3),
  Dense(3, { activation: 'softmax' }),
]);
cnn.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'categorical_crossentropy' });
const cx = tf.randomNormal([16, 8, 8, 2], 0, 1, 'float32', 34);
fitAndSave(cnn, cx, tf.oneHot(tf.argMax(cx.mean([1, 2]).concat(cx.mean([1, 2, 3]).expandDims(1), 1), 1), 3), 'keras_like_cnn_legacy.h5');

keras.utils.set_random_seed(35);
const lstm = Sequential([keras.Input({ shape: [5, 3] }), L.LSTM(4), Dense(2)]);
// 'mean_squared_error', not 'mse': Keras 3.16 cannot compile a legacy file's 'mse' (its own files too:
// "Could not deserialize 'keras.metrics.mse'"), so load_model would fail on the alias.
lstm.compile({ optimizer: 'rmsprop', loss: 'mean_squared_error' });
fitAndSave(lstm, tf.randomNormal([16, 5, 3], 0, 1, 'float32', 36), tf.randomNormal([16, 2], 0, 1, 'float32', 37), 'keras_like_lstm_legacy.h5');

keras.utils.set_random_seed(38);
const a = keras.Input({ shape: [4], name: 'a' });
const b = keras.Input({ shape: [4], name: 'b' });
const shared = Dense(3, { activation: 'tanh', name: 'shared' });
const sum = L.Add().apply([shared.apply(a) as KerasTensor, shared.apply(b) as KerasTensor]) as KerasTensor;
// BatchNormalization before Dense: the legacy order (trainable first) differs from `weights`.
const inner = Sequential([keras.Input({ shape: [3] }), L.BatchNormalization(), Dense(2, { name: 'inner_dense' })], { name: 'inner' });
const head = inner.apply(sum) as KerasTensor;
const seq = L.Bidirectional(L.GRU(2)).apply(L.Reshape([3, 1]).apply(sum)) as KerasTensor;
const functional = keras.Model([a, b], [head, seq], { name: 'two_heads' });
functional.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.05, momentum: 0.9 }), loss: ['mean_squared_error', 'mean_squared_error'] });
fitAndSave(
  functional,
  [tf.randomNormal([16, 4], 0, 1, 'float32', 39), tf.randomNormal([16, 4], 0, 1, 'float32', 40)],
  [tf.randomNormal([16, 2], 0, 1, 'float32', 41), tf.randomNormal([16, 4], 0, 1, 'float32', 42)],
  'keras_like_functional_legacy.h5',
);

keras.utils.set_random_seed(43);
// RNN over a list of cells (StackedRNNCells), and Bidirectional over one; every name given, so that
// legacy_h5.py can build the same model in Keras (see there) and compare the weight names.
const stacked = Sequential(
  [
    keras.Input({ shape: [5, 3], name: 'seq' }),
    L.RNN(new L.StackedRNNCells([L.LSTMCell(4, { name: 'lstm_c' }), L.GRUCell(3, { name: 'gru_c' })], { name: 'stack' }), { return_sequences: true, name: 'encoder' }),
    L.Bidirectional(L.RNN(new L.StackedRNNCells([L.GRUCell(2, { name: 'gru_b' }), L.SimpleRNNCell(2, { name: 'rnn_b' })], { name: 'stack_b' }), { name: 'inner' }), { name: 'bidi' }),
    Dense(1, { name: 'out' }),
  ],
  { name: 'stacked_cells' },
);
stacked.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mean_squared_error' });
fitAndSave(stacked, tf.randomNormal([16, 5, 3], 0, 1, 'float32', 44), tf.randomNormal([16, 1], 0, 1, 'float32', 45), 'keras_like_stacked_legacy.h5');
