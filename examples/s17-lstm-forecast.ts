/**
 * S17's recurrent forecaster, on the International Airline Passengers series (monthly,
 * 1949–1960, 144 months; examples/data/international_airline_passengers.csv): scale with a
 * MinMax scaler fitted on the training months, predict the next month from a window of the
 * previous 12 (the notebook's "método de la ventana"), train an LSTM with EarlyStopping, and
 * plot the forecast against the series (examples/output/s17-lstm-forecast.png).
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/s17-lstm-forecast.ts [output folder]
 *   EPOCHS=20 npx -y pnpm@12.4.2 exec tsx examples/s17-lstm-forecast.ts   # a quicker run
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keras, tf, Sequential, Dense, LSTM } from 'keras-like';
import { loadRenderers, svgToPng, vegaLiteToSvg } from '../packages/keras-like/src/plot/render.js';

const EPOCHS = Number(process.env.EPOCHS ?? 100);
const outDir = process.argv[2] ?? process.env.OUTPUT_DIR ?? fileURLToPath(new URL('./output/', import.meta.url));
keras.utils.set_random_seed(17);

// df = pd.read_csv('international_airline_passengers.csv')
const rows = readFileSync(new URL('./data/international_airline_passengers.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
const months = rows.map((r) => r.split(',')[0]!.replace(/"/g, ''));
const passengers = rows.map((r) => Number(r.split(',')[1]));

// train = df.loc[:split_date]; test = df.loc[split_date:]   (split at 1957-01)
const split = months.indexOf('1957-01');
// sc = MinMaxScaler(); train_sc = sc.fit_transform(train); test_sc = sc.transform(test)
const train = passengers.slice(0, split);
const [lo, hi] = [Math.min(...train), Math.max(...train)];
const scaled = passengers.map((p) => (p - lo) / (hi - lo));
const unscale = (v: number) => v * (hi - lo) + lo;

// for s in range(1, 13): df['shift_{}'.format(s)] = df['Scaled'].shift(s); then dropna()
const LOOK_BACK = 12;
function windows(from: number, to: number): { X: number[][][]; y: number[][]; at: number[] } {
  const X: number[][][] = [];
  const y: number[][] = [];
  const at: number[] = [];
  for (let t = Math.max(from, LOOK_BACK); t < to; t++) {
    // X_train_t = X_train.reshape(X_train.shape[0], 1, 12): one timestep of 12 features
    X.push([scaled.slice(t - LOOK_BACK, t).reverse()]);
    y.push([scaled[t]!]);
    at.push(t);
  }
  return { X, y, at };
}
const trainSet = windows(0, split);
const testSet = windows(split, passengers.length);

// model = Sequential(); model.add(LSTM(6, input_shape=(1, 12))); model.add(Dense(1))
keras.backend.clear_session();
const model = Sequential();
model.add(LSTM(6, { input_shape: [1, LOOK_BACK] }));
model.add(Dense(1));
model.compile({ loss: 'mean_squared_error', optimizer: 'adam' });
model.summary();

// early_stop = EarlyStopping(monitor='loss', patience=1, verbose=1)
const early_stop = keras.callbacks.EarlyStopping({ monitor: 'loss', patience: 1, verbose: 1 });
// model.fit(X_train_t, y_train, epochs=100, batch_size=1, verbose=1, callbacks=[early_stop])
const history = model.fit(trainSet.X, trainSet.y, { epochs: EPOCHS, batch_size: 1, verbose: 0, callbacks: [early_stop] });
console.log(`trained ${history.history.loss!.length} epochs, final loss ${history.history.loss!.at(-1)!.toFixed(5)}`);

// y_pred = model.predict(X_test_t)
const predictions = (set: { X: number[][][] }) => Array.from((model.predict(set.X, { verbose: 0 }) as tf.Tensor).dataSync(), unscale);
const trainPred = predictions(trainSet);
const testPred = predictions(testSet);

const rmse = (pred: number[], at: number[]) => Math.sqrt(pred.reduce((s, p, i) => s + (p - passengers[at[i]!]!) ** 2, 0) / pred.length);
console.log(`Test RMSE: ${rmse(testPred, testSet.at).toFixed(2)} thousand passengers`);
// The baseline any forecaster must beat: next month = this month.
console.log(`Naive (last month) RMSE: ${rmse(testSet.at.map((t) => passengers[t - 1]!), testSet.at).toFixed(2)} thousand passengers`);

// plt.plot(y_test); plt.plot(y_pred); plt.show()
const values = [
  ...passengers.map((p, t) => ({ month: months[t], passengers: p, series: 'observed' })),
  ...trainPred.map((p, i) => ({ month: months[trainSet.at[i]!], passengers: p, series: 'LSTM, training months' })),
  ...testPred.map((p, i) => ({ month: months[testSet.at[i]!], passengers: p, series: 'LSTM forecast, test months' })),
];
// The plotting packages are optional and load on first use (plot_history does this itself).
await loadRenderers();
const svg = await vegaLiteToSvg({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'International airline passengers: LSTM(6) on a 12-month window',
  width: 640,
  height: 320,
  background: 'white',
  data: { values },
  mark: { type: 'line', strokeWidth: 1.5 },
  encoding: {
    x: { field: 'month', type: 'temporal', title: 'month' },
    y: { field: 'passengers', type: 'quantitative', title: 'thousand passengers' },
    color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-left' } },
  },
});
mkdirSync(outDir, { recursive: true });
const path = join(outDir, 's17-lstm-forecast.png');
writeFileSync(path, svgToPng(svg));
console.log(`wrote ${path}`);
