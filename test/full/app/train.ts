// A user's TypeScript file, run with tsx in a "type": "commonjs" folder (compiled to CommonJS:
// no top-level await) and type-checked with tsc against the package's declarations.
import { Dense, Sequential, initializers, keras, losses, metrics, ready, tf } from 'keras-like';

const started = performance.now();
const backendAtImport: string = keras.backend.backend();
// Classes whose declarations were missing before (TS4094): they must type-check and run.
const accuracyMetric: metrics.BinaryAccuracy = metrics.BinaryAccuracy({ threshold: 0.5 });
const loss: losses.BinaryCrossentropy = losses.BinaryCrossentropy();
const init: initializers.GlorotUniform = initializers.GlorotUniform({ seed: 3 });

void ready().then((name) => {
  keras.utils.set_random_seed(1);
  const x = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32'));
  const model = Sequential();
  model.add(Dense(12, { input_dim: 8, activation: 'relu', kernel_initializer: init }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss, optimizer: 'adam', metrics: [accuracyMetric] });
  model.fit(x, y, { epochs: 1, batch_size: 10, verbose: 0 });
  const firstEpoch = performance.now();
  model.fit(x, y, { epochs: 20, batch_size: 10, verbose: 0 });
  const [, accuracy] = model.evaluate(x, y, { verbose: 0 }) as number[];
  console.log(JSON.stringify({ backendAtImport, readyName: name, accuracy, firstEpochMs: firstEpoch - started }));
});
