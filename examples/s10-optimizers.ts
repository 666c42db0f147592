/**
 * "S10 Optimizadores y retroproyección" (optimizers and back-propagation), the
 * course's optimizer lesson, ported.
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/s10-optimizers.ts
 *   EPOCHS=20 SEED=3 npx -y pnpm@12.4.2 exec tsx examples/s10-optimizers.ts
 *
 * The notebook itself is not available to this project: its Keras cells were
 * reconstructed from the cells the course quotes (the optimizer calls of
 * ../shared/PORTING_SPEC.md §7), ported in the notebook's order, one comment per
 * cell naming what it teaches. The last two cells are new: they train one small
 * network with each optimizer the lesson presents, from the same initial weights
 * on the same data, and print a table so a class can check the lesson's claims.
 *
 * What each optimizer computes, with Keras's exact equations: docs/optimizers.md.
 * How the gradients they receive are computed (the lesson's four equations): docs/backprop.md.
 * The notebook's animations of optimizers racing on 2-D loss surfaces, made by
 * examples/optimizer-race.ts with these same optimizers: examples/output/
 * optimizer-race-saddle.png (SGD stalls at the saddle, the adaptive methods escape),
 * optimizer-race-beale.png, optimizer-race-rosenbrock.png, and a .gif of each race.
 */
import { readFileSync } from 'node:fs';
import { keras, tf, optimizers, Sequential, Dense } from 'keras-like';

// The comparison's length and seed; the test suite shortens the run with EPOCHS.
const EPOCHS = Number(process.env.EPOCHS ?? 60);
const SEED = Number(process.env.SEED ?? 7);

// --- Cell 1: a model to optimize: 64 softmax units on 10 inputs, TF2's 'uniform' initializer ---
{
  const model = Sequential();
  model.add(Dense(64, { kernel_initializer: 'uniform', input_shape: [10], activation: 'softmax' }));

  // --- Cell 2: SGD with inverse-time decay, momentum and Nesterov's look-ahead (TF2 `lr`, `decay`) ---
  const sgd = optimizers.SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });
  model.compile({ loss: 'mean_squared_error', optimizer: sgd });
  model.summary();
}

// --- Cell 3: Adam with its default hyperparameters written out ---
const adam = keras.optimizers.Adam({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, amsgrad: false });
console.log('Adam config:', JSON.stringify(adam.get_config()));

// --- Cell 4: Adam with a large learning rate on a one-neuron linear regression (y = 2x + 1) ---
{
  keras.utils.set_random_seed(SEED);
  const x = [-2, -1, 0, 1, 2, 3];
  const y = x.map((v) => 2 * v + 1);
  const model = Sequential();
  model.add(Dense(1, { input_shape: [1] }));
  model.compile(keras.optimizers.Adam({ learning_rate: 0.9 }), 'mean_squared_error');
  model.fit(x, y, { epochs: 200, verbose: 0 });
  const [m, b] = model.get_weights();
  console.log(`one neuron, Adam(0.9): m = ${m.dataSync()[0].toFixed(3)}, b = ${b.dataSync()[0].toFixed(3)} (true line: m = 2, b = 1)`);
}

// --- Cell 5: Adadelta, which adapts each step from two running averages (learning_rate 1.0 as in the paper) ---
const adadelta = keras.optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 });
console.log('Adadelta config:', JSON.stringify(adadelta.get_config()));

// --- Cell 6: gradient clipping by norm: each gradient is rescaled to norm ≤ 1 ---
const sgdClipnorm = optimizers.SGD({ lr: 0.01, clipnorm: 1 });
console.log('SGD clipnorm:', sgdClipnorm.get_config().clipnorm);

// --- Cell 7: gradient clipping by value: each component is clipped to [-0.5, 0.5] ---
const sgdClipvalue = optimizers.SGD({ lr: 0.01, clipvalue: 0.5 });
console.log('SGD clipvalue:', sgdClipvalue.get_config().clipvalue);

// --- Cell 8: the ReLU activation and its arguments (alpha is TF2's name for negative_slope) ---
const relu = keras.activations.relu([-3, -1, 0, 2, 5], { alpha: 0.0, max_value: null, threshold: 0 });
console.log('relu([-3, -1, 0, 2, 5]) =', JSON.stringify(relu.arraySync()));

// --- Cell 9: an initializer object: uniform initial weights in [0, 1), for a layer's kernel_initializer ---
{
  const init = keras.initializers.RandomUniform({ minval: 0, maxval: 1 });
  const kernel = init([2, 3]).arraySync() as number[][]; // what Dense(3, { kernel_initializer: init }) starts from on 2 inputs
  console.log('RandomUniform(0, 1) on [2, 3]:', JSON.stringify(kernel.map((row) => row.map((w) => Number(w.toFixed(3))))));
}

// --- Cell 10: the lesson's optimizers, one small network each, same data, same initial weights ---
// The Pima diabetes data, each feature standardised (zero mean, unit variance) so that one
// learning rate suits every feature and plain SGD is not handicapped by the raw scales.
const dataset = readFileSync(new URL('./data/pima_indians_diabetes.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));
const X = tf.tidy(() => {
  const raw = tf.tensor2d(dataset.map((row) => row.slice(0, 8)));
  const { mean, variance } = tf.moments(raw, 0);
  return tf.div(tf.sub(raw, mean), tf.sqrt(variance));
});
const y = dataset.map((row) => row[8]);

const contenders: Array<[string, () => keras.optimizers.Optimizer]> = [
  ['SGD(lr=0.01)', () => optimizers.SGD({ learning_rate: 0.01 })],
  ['SGD(lr=0.01, momentum=0.9)', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9 })],
  ['SGD(lr=0.01, momentum=0.9, nesterov)', () => optimizers.SGD({ learning_rate: 0.01, momentum: 0.9, nesterov: true })],
  ['Adagrad(lr=0.01)', () => optimizers.Adagrad({ learning_rate: 0.01 })],
  ['Adadelta(lr=1.0, rho=0.95)', () => optimizers.Adadelta({ learning_rate: 1.0, rho: 0.95 })],
  ['Adam(lr=0.001)', () => optimizers.Adam({ learning_rate: 0.001 })],
  ['Adam(lr=0.001, amsgrad)', () => optimizers.Adam({ learning_rate: 0.001, amsgrad: true })],
  ['SGD(lr=0.01, clipnorm=1)', () => optimizers.SGD({ lr: 0.01, clipnorm: 1 })],
  ['SGD(lr=0.01, clipvalue=0.5)', () => optimizers.SGD({ lr: 0.01, clipvalue: 0.5 })],
];
// A loss every sensible optimizer reaches within the run; how soon it does is the comparison.
const TARGET_LOSS = 0.5;

interface Result {
  optimizer: string;
  finalLoss: number;
  accuracy: number;
  epochsToTarget: number | null;
}

const results: Result[] = contenders.map(([label, makeOptimizer]) => {
  // The same seed before each model: same initial weights and same shuffling for every optimizer.
  keras.utils.set_random_seed(SEED);
  const model = Sequential();
  model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
  model.add(Dense(8, { activation: 'relu' }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ loss: 'binary_crossentropy', optimizer: makeOptimizer(), metrics: ['accuracy'] });
  const history = model.fit(X, y, { epochs: EPOCHS, batch_size: 32, verbose: 0 });
  const losses = history.history.loss;
  const [, accuracy] = model.evaluate(X, y, { verbose: 0 });
  const reached = losses.findIndex((loss) => loss <= TARGET_LOSS);
  return {
    optimizer: label,
    finalLoss: losses[losses.length - 1],
    accuracy,
    epochsToTarget: reached === -1 ? null : reached + 1,
  };
});

// --- Cell 11: the comparison table ---
console.log(`\nPima diabetes (standardised), 8-12-8-1 network, batch 32, ${EPOCHS} epochs, seed ${SEED}`);
const header = ['optimizer', 'final loss', 'accuracy', `epochs to loss ≤ ${TARGET_LOSS}`];
const rows = results.map((r) => [
  r.optimizer,
  r.finalLoss.toFixed(4),
  r.accuracy.toFixed(4),
  r.epochsToTarget === null ? 'not reached' : String(r.epochsToTarget),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((row) => console.log(line(row)));

// Clipping acts only on gradients larger than its threshold: when none is, SGD is unchanged.
const plainSGD = results[0].finalLoss;
const clipped = results.filter((r) => r.optimizer.includes('clip'));
if (clipped.every((r) => r.finalLoss === plainSGD)) {
  console.log('\nClipped SGD matches plain SGD: no gradient of this run exceeded clipnorm=1 or clipvalue=0.5,');
  console.log('so clipping never acted. It guards against exploding gradients; it does not speed training up.');
}
