// A user's ES-module TypeScript file (.mts: an ES module in any folder), type-checked with tsc
// against the package's `import` condition types; it may wait at top level.
import { Dense, Sequential, initializers, keras, losses, metrics, ready, tf } from 'keras-like';

const backend: string = await ready();
const accuracyMetric: metrics.BinaryAccuracy = metrics.BinaryAccuracy({ threshold: 0.5 });
const loss: losses.BinaryCrossentropy = losses.BinaryCrossentropy();
const init: initializers.GlorotUniform = initializers.GlorotUniform({ seed: 3 });
const x = tf.randomNormal([16, 8], 0, 1, 'float32', 1);
const model = Sequential();
model.add(Dense(1, { input_dim: 8, activation: 'sigmoid', kernel_initializer: init }));
model.compile({ loss, optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), metrics: [accuracyMetric] });
const history = model.fit(x, tf.zeros([16, 1]), { epochs: 1, verbose: 0 });
console.log(JSON.stringify({ backend, loss: history.history.loss }));
