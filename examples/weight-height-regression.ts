/**
 * Linear regression with one neuron, the course's first Keras model: predict a
 * person's weight (pounds) from their height (inches) on 10,000 people, and
 * read the fitted line back from the weights.
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/weight-height-regression.ts
 *   EPOCHS=10 npx -y pnpm@12.4.2 exec tsx examples/weight-height-regression.ts
 *
 * As in the notebook, the data is not standardised: Adam's per-weight step size
 * copes with the intercept being about 45 times larger than the slope, which is
 * why the notebook picks Adam with a large learning rate (0.9) here.
 */
import { readFileSync } from 'node:fs';
import { keras, Sequential, Dense } from 'keras-like';

// The notebook's `epochs=40`; EPOCHS changes it (the test suite uses it).
const EPOCHS = Number(process.env.EPOCHS ?? 40);

keras.utils.set_random_seed(42);

// --- Cell 1: read the CSV (pd.read_csv), X = df[['Height']].values, y_true = df['Weight'].values ---
const [header, ...lines] = readFileSync(new URL('./data/weight_height.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const columns = header.split(',').map((name) => name.replaceAll('"', ''));
const rows = lines.map((line) => line.split(','));
const column = (name: string): number[] => rows.map((row) => Number(row[columns.indexOf(name)]));
const X = column('Height');
const y_true = column('Weight');

// --- Cell 2: one neuron, no activation: y = m·x + b ---
const model = Sequential();
model.add(Dense(1, { input_shape: [1] }));
model.summary();

// --- Cell 3: compile with Adam(learning_rate=0.9) and the mean squared error ---
model.compile(keras.optimizers.Adam({ learning_rate: 0.9 }), 'mean_squared_error');

// --- Cell 4: fit (X and y_true are 1-D; a one-feature model reads them as columns) ---
model.fit(X, y_true, { epochs: EPOCHS, verbose: 2 });

// --- Cell 5: the fitted line: m, b = model.get_weights() ---
const [m, b] = model.get_weights();
const slope = m.dataSync()[0]; //     m[0][0]
const intercept = b.dataSync()[0]; // b[0]
console.log(`slope m = ${slope.toFixed(4)}`);
console.log(`intercept b = ${intercept.toFixed(4)}`);

// --- Cell 6: use the model: the predicted weight of someone 70 inches tall ---
const predicted = model.predict([70]).dataSync()[0];
console.log(`predicted weight at 70 in: ${predicted.toFixed(2)} lb (m·70 + b = ${(slope * 70 + intercept).toFixed(2)})`);

// --- Cell 7: the same line in closed form (least squares), which gradient descent approaches ---
// m = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,  b = ȳ − m·x̄
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const [xMean, yMean] = [mean(X), mean(y_true)];
const sxy = X.reduce((sum, x, i) => sum + (x - xMean) * (y_true[i] - yMean), 0);
const sxx = X.reduce((sum, x) => sum + (x - xMean) ** 2, 0);
console.log(`least squares: m = ${(sxy / sxx).toFixed(4)}, b = ${(yMean - (sxy / sxx) * xMean).toFixed(4)}`);
