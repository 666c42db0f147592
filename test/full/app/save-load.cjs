// A user's CommonJS script that saves and loads (HDF5 runs in a worker thread started from the
// CommonJS build): .keras, .weights.h5 and the TensorFlow.js layers format.
const { mkdtempSync, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Sequential, Dense, keras, tf } = require('keras-like');

const dir = mkdtempSync(join(tmpdir(), 'keras-like-save-cjs-'));
keras.utils.set_random_seed(2);
const model = Sequential([keras.Input({ shape: [3] }), Dense(4, { activation: 'relu' }), Dense(2)]);
model.compile({ optimizer: 'adam', loss: 'mse' });
const x = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
model.fit(x, tf.randomNormal([8, 2], 0, 1, 'float32', 4), { epochs: 2, verbose: 0 });
model.save(join(dir, 'model.keras'));
const loaded = keras.models.load_model(join(dir, 'model.keras'));
model.save_weights(join(dir, 'model.weights.h5'));
const again = Sequential([keras.Input({ shape: [3] }), Dense(4, { activation: 'relu' }), Dense(2)]);
again.load_weights(join(dir, 'model.weights.h5'));
keras.saving.save_tfjs(model, join(dir, 'web'));
const values = (m) => Array.from(m.predict(x, { verbose: 0 }).dataSync());
const expected = values(model).join();
console.log(JSON.stringify({
  loadModel: values(loaded).join() === expected,
  loadWeights: values(again).join() === expected,
  optimizerIterations: loaded.optimizer.iterations,
  tfjs: existsSync(join(dir, 'web', 'model.json')) && existsSync(join(dir, 'web', 'group1-shard1of1.bin')),
}));
