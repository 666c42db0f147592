/**
 * The cell every course notebook ends with: train with a validation split, then
 * plot `history.history` (loss and accuracy, train and validation, per epoch).
 * Python's matplotlib cell becomes one `await keras.utils.plot_history(...)`,
 * which writes training-curves.png to examples/output/ (or the folder given):
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/training-curves.ts [output folder]
 *   EPOCHS=20 npx -y pnpm@12.4.2 exec tsx examples/training-curves.ts   # a quicker run
 *
 * docs/plots.md describes the picture and every option.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keras, Sequential, Dense } from 'keras-like';

// The notebook's `epochs=150`; EPOCHS shortens a run.
const EPOCHS = Number(process.env.EPOCHS ?? 150);
const outDir = process.argv[2] ?? fileURLToPath(new URL('./output/', import.meta.url));

keras.utils.set_random_seed(7);

// dataset = numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",")
const dataset = readFileSync(new URL('./data/pima_indians_diabetes.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));
const X = dataset.map((row) => row.slice(0, 8));
const y = dataset.map((row) => row[8]!);

const model = Sequential();
model.add(Dense(12, { input_dim: 8, activation: 'relu' }));
model.add(Dense(8, { activation: 'relu' }));
model.add(Dense(1, { activation: 'sigmoid' }));
model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

// history = model.fit(X, Y, validation_split=0.33, epochs=150, batch_size=10, verbose=0)
const history = model.fit(X, y, { validation_split: 0.33, epochs: EPOCHS, batch_size: 10, verbose: 0 });

// plt.plot(history.history['accuracy']); plt.plot(history.history['val_accuracy']); ...
// plt.plot(history.history['loss']); plt.plot(history.history['val_loss']); ... plt.show()
mkdirSync(outDir, { recursive: true });
const path = await keras.utils.plot_history(history, {
  path: join(outDir, 'training-curves.png'),
  metrics: ['loss', 'accuracy'],
  title: `Pima diabetes: 8-12-8-1 network, Adam, ${EPOCHS} epochs`,
});
console.log(`wrote ${path}`);
