// A user's CommonJS script: require cannot wait, so ops start on cpu; `ready()` waits for wasm.
const started = performance.now();
const { Sequential, Dense, keras, tf, ready } = require('keras-like');
const imported = performance.now();
const backendAtImport = keras.backend.backend();
ready().then((name) => {
  keras.utils.set_random_seed(1);
  const x = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32'));
  const model = Sequential();
  model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  model.fit(x, y, { epochs: 1, batch_size: 10, verbose: 0 });
  const firstEpoch = performance.now();
  model.fit(x, y, { epochs: 20, batch_size: 10, verbose: 0 });
  const [, accuracy] = model.evaluate(x, y, { verbose: 0 });
  console.log(JSON.stringify({ backendAtImport, readyName: name, backend: keras.backend.backend(), accuracy, importMs: imported - started, firstEpochMs: firstEpoch - imported }));
});
