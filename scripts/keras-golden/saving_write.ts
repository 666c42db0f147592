/**
 * Writes the `.keras` file that scripts/keras-golden/saving.py loads in real Keras 3: a Dense
 * net trained for a few epochs by keras-like (so its Adam state is not zero), saved with
 * `model.save`. Run it before saving.py:
 *   pnpm exec tsx scripts/keras-golden/saving_write.ts
 * It writes test/fixtures/keras-files/keras_like_{dense,lstm,functional}.keras.
 */
import { fileURLToPath } from 'node:url';
import { Dense, Dropout, keras, Sequential, tf } from 'keras-like';

type KerasTensor = keras.KerasTensor;

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

// A functional net: two inputs, two outputs, a shared layer, merges, a nested functional model
// and a nested Sequential (the architecture of saving.py's functional_model), trained 2 epochs.
const functionalOut = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_functional.keras', import.meta.url));
keras.utils.set_random_seed(9);
const L = keras.layers;
const a = keras.Input({ shape: [4], name: 'a' });
const b = keras.Input({ shape: [3], name: 'b' });
const shared = Dense(5, { activation: 'tanh', name: 'shared' });
const h1 = shared.apply(Dense(5, { name: 'pa' }).apply(a));
const h2 = shared.apply(Dense(5, { name: 'pb' }).apply(b));
const m = L.BatchNormalization().apply(L.Dropout(0.2).apply(L.Add().apply([h1, h2])));
const innerIn = keras.Input({ shape: [5], name: 'inner_in' });
const inner = keras.Model(innerIn, Dense(2, { name: 'inner_dense' }).apply(innerIn), { name: 'inner' });
const stack = Sequential([keras.Input({ shape: [10] }), Dense(3, { activation: 'relu', name: 'stack_dense' })], { name: 'stack' });
const o1 = inner.apply(m) as KerasTensor;
const o2 = L.Multiply().apply([stack.apply(L.Concatenate().apply([h1, m])) as KerasTensor, Dense(3, { name: 'gate' }).apply(a)]);
const functional = keras.Model([a, b], [o1, o2], { name: 'two_heads' });
functional.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: ['mse', 'mse'], loss_weights: [1, 0.5] });
const fa = tf.randomNormal([16, 4], 0, 1, 'float32', 6);
const fb = tf.randomNormal([16, 3], 0, 1, 'float32', 7);
functional.fit([fa, fb], [tf.randomNormal([16, 2], 0, 1, 'float32', 8), tf.randomNormal([16, 3], 0, 1, 'float32', 9)], { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
functional.save(functionalOut);
console.log(`wrote ${functionalOut}`);

// A CNN (scripts/keras-golden/saving_torch.py loads it on Keras's torch backend): Conv2D,
// BatchNormalization, MaxPooling2D, Conv2D, Flatten, Dropout, Dense, trained 2 epochs.
const cnnOut = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_cnn.keras', import.meta.url));
keras.utils.set_random_seed(10);
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
const cx = tf.randomNormal([16, 8, 8, 2], 0, 1, 'float32', 11);
cnn.fit(cx, tf.oneHot(tf.argMax(cx.mean([1, 2]).concat(cx.mean([1, 2, 3]).expandDims(1), 1), 1), 3), { epochs: 2, batch_size: 8, verbose: 0, shuffle: false });
cnn.save(cnnOut);
console.log(`wrote ${cnnOut}`);

// The convolution layers added since (scripts/keras-golden/saving_torch.py's conv2d_more / conv1d_more),
// trained 2 epochs each.
function fitAndSave(model: ReturnType<typeof Sequential>, x: tf.Tensor, units: number, name: string, seed: number) {
  model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
  model.fit(x, tf.randomNormal([x.shape[0]!, units], 0, 1, 'float32', seed), { epochs: 2, batch_size: 4, verbose: 0, shuffle: false });
  const out = fileURLToPath(new URL(`../../test/fixtures/keras-files/${name}`, import.meta.url));
  model.save(out);
  console.log(`wrote ${out}`);
}
keras.utils.set_random_seed(12);
fitAndSave(
  Sequential([
    keras.Input({ shape: [8, 8, 2] }),
    L.Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }),
    L.DepthwiseConv2D(3, { depth_multiplier: 2 }),
    L.SeparableConv2D(4, 3, { activation: 'relu' }),
    L.Cropping2D([[1, 1], [2, 0]]),
    L.MaxPooling2D(2),
    L.UpSampling2D(2),
    L.ZeroPadding2D(1),
    L.SpatialDropout2D(0.2),
    L.GlobalAveragePooling2D(),
    Dense(3),
  ]),
  tf.randomNormal([8, 8, 8, 2], 0, 1, 'float32', 13),
  3,
  'keras_like_conv2d_more.keras',
  14,
);
keras.utils.set_random_seed(15);
fitAndSave(
  Sequential([
    keras.Input({ shape: [10, 3] }),
    L.Conv1DTranspose(4, 3, { strides: 2 }),
    L.DepthwiseConv1D(3),
    L.SeparableConv1D(3, 3, { activation: 'relu' }),
    L.Cropping1D(1),
    L.UpSampling1D(2),
    L.ZeroPadding1D(1),
    L.SpatialDropout1D(0.2),
    L.GlobalMaxPooling1D(),
    Dense(2),
  ]),
  tf.randomNormal([8, 10, 3], 0, 1, 'float32', 16),
  2,
  'keras_like_conv1d_more.keras',
  17,
);

// Wrappers (saving.py's wrappers): TimeDistributed(Dense) and RNN(LSTMCell), trained 2 epochs.
const wrappersOut = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_wrappers.keras', import.meta.url));
keras.utils.set_random_seed(18);
const wrappers = Sequential([keras.Input({ shape: [5, 3] }), L.TimeDistributed(Dense(4, { activation: 'tanh' })), L.RNN(L.LSTMCell(3)), Dense(2)]);
wrappers.compile({ optimizer: 'rmsprop', loss: 'mse' });
wrappers.fit(tf.randomNormal([12, 5, 3], 0, 1, 'float32', 19), tf.randomNormal([12, 2], 0, 1, 'float32', 20), { epochs: 2, batch_size: 4, verbose: 0, shuffle: false });
wrappers.save(wrappersOut);
console.log(`wrote ${wrappersOut}`);

// Bidirectional (saving.py's bidirectional), trained 2 epochs.
const biOut = fileURLToPath(new URL('../../test/fixtures/keras-files/keras_like_bidirectional.keras', import.meta.url));
keras.utils.set_random_seed(21);
const bi = Sequential([keras.Input({ shape: [5, 3] }), L.Bidirectional(L.LSTM(3, { return_sequences: true })), L.Bidirectional(L.GRU(2), { merge_mode: 'sum' }), Dense(2)]);
bi.compile({ optimizer: 'adam', loss: 'mse' });
bi.fit(tf.randomNormal([12, 5, 3], 0, 1, 'float32', 22), tf.randomNormal([12, 2], 0, 1, 'float32', 23), { epochs: 2, batch_size: 4, verbose: 0, shuffle: false });
bi.save(biOut);
console.log(`wrote ${biOut}`);
