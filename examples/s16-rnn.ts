/**
 * S16, "Redes Neuronales Recurrentes": the notebook's Keras cells in order.
 *
 *   1. the four sequence shapes (one-to-one, one-to-many with RepeatVector, many-to-one,
 *      many-to-many with return_sequences);
 *   2. stacked LSTMs with TimeDistributed(Dense(10)), and the same with RNN(LSTMCell(20));
 *   3. Embedding + Flatten on ten short reviews, encoded with one_hot and pad_sequences;
 *   4. the IMDB models (LSTM and Conv1D): built and summarized; training them needs the 17 MB
 *      imdb.npz download (keras.datasets.imdb.load_data), so it runs only with IMDB=1;
 *   5. the time-series regression: series_to_supervised, MinMax scaling, LSTM(32, relu) ×2 →
 *      Dense(1) with the mae loss. The notebook downloads Beijing's pollution.csv (43,800 hours);
 *      this port makes a synthetic hourly series with the same eight columns instead (no download),
 *      shorter, and prints the test RMSE beside the naive "same as last hour" forecast.
 *
 *   npx -y pnpm@12.4.2 exec tsx examples/s16-rnn.ts
 *   EPOCHS=20 npx -y pnpm@12.4.2 exec tsx examples/s16-rnn.ts      # fewer epochs for the time series
 */
import { keras, tf, Sequential, Dense, Flatten, Embedding, LSTM, RepeatVector, one_hot, pad_sequences, sklearn } from 'keras-like';

const EPOCHS = Number(process.env.EPOCHS ?? 50);
keras.utils.set_random_seed(16);

// ---- 1. Sequences in Keras ------------------------------------------------------------------

// one-to-one: model.add(Dense(2, input_dim=3))
keras.backend.clear_session();
let model = Sequential();
model.add(Dense(2, { input_dim: 3 }));
model.summary();

// one-to-many: RepeatVector(2, input_shape=(1,)), LSTM(1, return_sequences=True)
keras.backend.clear_session();
model = Sequential();
model.add(RepeatVector(2, { input_shape: [1] }));
model.add(LSTM(1, { return_sequences: true }));
model.summary();

// many-to-one: LSTM(1, input_shape=(10, 1))
keras.backend.clear_session();
model = Sequential();
model.add(LSTM(1, { input_shape: [10, 1] }));
model.summary();

// many-to-many: LSTM(1, input_shape=(10, 10), return_sequences=True)
keras.backend.clear_session();
model = Sequential();
model.add(LSTM(1, { input_shape: [10, 10], return_sequences: true }));
model.summary();

// ---- 2. Stacked LSTMs and TimeDistributed ----------------------------------------------------

model = keras.models.Sequential([
  keras.layers.LSTM(20, { return_sequences: true, input_shape: [null, 1] }),
  keras.layers.LSTM(20, { return_sequences: true }),
  keras.layers.TimeDistributed(keras.layers.Dense(10)),
]);
model.summary();

// The same network written with the cell: RNN(LSTMCell(20), return_sequences=True)
model = keras.models.Sequential([
  keras.layers.RNN(keras.layers.LSTMCell(20), { return_sequences: true, input_shape: [null, 1] }),
  keras.layers.RNN(keras.layers.LSTMCell(20), { return_sequences: true }),
  keras.layers.TimeDistributed(keras.layers.Dense(10)),
]);
model.summary();

// ---- 3. Embedding: a tiny sentiment problem --------------------------------------------------

// define documents
const docs = ['Well done!', 'Good work', 'Great effort', 'nice work', 'Excellent!', 'Weak', 'Poor effort!', 'not good', 'poor work', 'Could have done better.'];
// define class labels
const labels = tf.tensor1d([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);

console.log(one_hot(docs[0]!, 50));
// integer encode the documents
const vocab_size = 50;
const encoded_docs = docs.map((d) => one_hot(d, vocab_size));
console.log(JSON.stringify(encoded_docs));

// pad documents to a max length of 4 words
const max_length = 4;
const padded_docs = pad_sequences(encoded_docs, { maxlen: max_length, padding: 'post' });
console.log(padded_docs.arraySync());

// define the model
keras.backend.clear_session();
model = Sequential();
model.add(Embedding(vocab_size, 8, { input_length: max_length }));
model.add(Flatten());
model.add(Dense(1, { activation: 'sigmoid' }));
// compile the model
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
// summarize the model
model.summary();
// fit the model
model.fit(padded_docs, labels, { epochs: 180, verbose: 0 });
// evaluate the model
const [, accuracy] = model.evaluate(padded_docs, labels, { verbose: 0 }) as number[];
console.log(`Accuracy: ${(accuracy! * 100).toFixed(6)}`);

// ---- 4. IMDB -----------------------------------------------------------------------------------

model = keras.models.Sequential([
  keras.layers.Embedding({ input_dim: 10000, output_dim: 32, input_length: 500 }),
  keras.layers.LSTM(32, { dropout: 0.1, recurrent_dropout: 0.2, return_sequences: true }),
  keras.layers.LSTM(32, { dropout: 0.1, recurrent_dropout: 0.2 }),
  keras.layers.Dense(1, { activation: 'sigmoid' }),
]);
model.summary();
model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['acc'] });
if (process.env.IMDB === '1') {
  // (X_train, y_train), (X_test, y_test) = keras.datasets.imdb.load_data(num_words=10000)
  const [[X_train_raw, y_train], [X_test_raw, y_test]] = keras.datasets.imdb.load_data({ num_words: 10000 });
  const X_train = pad_sequences(X_train_raw, { maxlen: 500 });
  const X_test = pad_sequences(X_test_raw, { maxlen: 500 });
  model.fit(X_train, y_train, { epochs: 5, batch_size: 512, validation_data: [X_test, y_test] });
}

keras.backend.clear_session();
model = keras.models.Sequential([
  keras.layers.Embedding({ input_dim: 10000, output_dim: 128, input_length: 500 }),
  // Conv1D(32, kernel_size=7, strides=2, padding='valid', activation='relu'): kernel_size is positional in TypeScript's types
  keras.layers.Conv1D(32, 7, { strides: 2, padding: 'valid', activation: 'relu' }),
  keras.layers.Flatten(),
  keras.layers.Dense(1, { activation: 'sigmoid' }),
]);
model.summary();

// ---- 5. A time series: predict the next hour's pollution ---------------------------------------

/**
 * The notebook's dataset.csv, made here: hourly pollution, dew point, temperature, pressure, wind
 * direction (a category), wind speed, snow and rain hours. Pollution follows a daily cycle, the
 * weather and its own past, so the previous hours predict it.
 */
function makeDataset(hours: number): Array<[number, number, number, number, string, number, number, number]> {
  const rows: Array<[number, number, number, number, string, number, number, number]> = [];
  const directions = ['NE', 'NW', 'SE', 'cv'];
  let pollution = 80;
  let wnd_spd = 5;
  for (let t = 0; t < hours; t++) {
    const day = (2 * Math.PI * t) / 24;
    const temp = 10 + 8 * Math.sin(day - 2) + 2 * Math.sin(t / 200);
    const dew = temp - 6 + 2 * Math.cos(t / 37);
    const press = 1015 - 0.5 * temp + 3 * Math.sin(t / 90);
    const wnd_dir = directions[Math.floor(t / 17) % 4]!;
    wnd_spd = Math.max(0.5, 0.9 * wnd_spd + 0.6 * (1 + Math.sin(t / 11)) + (wnd_dir === 'NW' ? 0.8 : 0));
    const snow = temp < 3 ? 1 : 0;
    const rain = Math.sin(t / 29) > 0.95 ? 1 : 0;
    // More pollution at night, swept away by the north-west wind and the rain.
    pollution = Math.max(0, 0.85 * pollution + 20 + 15 * Math.cos(day) - 2.2 * wnd_spd - 30 * rain);
    rows.push([pollution, dew, temp, press, wnd_dir, wnd_spd, snow, rain]);
  }
  return rows;
}
const dataset = makeDataset(60 * 24);
console.log('pollution  dew  temp  press wnd_dir wnd_spd snow rain');
for (const row of dataset.slice(0, 5)) console.log(row.map((v) => (typeof v === 'number' ? v.toFixed(1) : v)).join(' '));

/** frame a sequence as a supervised learning problem: each row holds n_in hours before and n_out after. */
function series_to_supervised(data: number[][], n_in = 1, n_out = 1): number[][] {
  const agg: number[][] = [];
  // the shifted copies of the columns, var1(t-n_in) … varN(t+n_out-1); dropna() drops the incomplete rows
  for (let t = n_in; t + n_out - 1 < data.length; t++) {
    const row: number[] = [];
    for (let i = n_in; i > 0; i--) row.push(...data[t - i]!);
    for (let i = 0; i < n_out; i++) row.push(...data[t + i]!);
    agg.push(row);
  }
  return agg;
}

const n_hours = 3;
const n_features = 8;
// encoder = LabelEncoder(); values[:,4] = encoder.fit_transform(values[:,4])
const classes = [...new Set(dataset.map((r) => r[4]))].sort();
const values = dataset.map((r) => r.map((v, j) => (j === 4 ? classes.indexOf(v as string) : (v as number))));
// scaler = MinMaxScaler(feature_range=(0, 1)); scaled = scaler.fit_transform(values)
const scaler = sklearn.preprocessing.MinMaxScaler({ feature_range: [0, 1] });
const scaled = scaler.fit_transform(values).arraySync() as number[][];
// reframed = series_to_supervised(scaled, n_hours, 1), keeping var1(t) (pollution) as the target
const reframed = series_to_supervised(scaled, n_hours, 1).map((row) => row.slice(0, n_hours * n_features + 1));

// split into train and test sets (the notebook trains on 4 years; here 45 of the 60 days)
const n_train_hours = 45 * 24;
const train = reframed.slice(0, n_train_hours);
const test = reframed.slice(n_train_hours);
const n_obs = n_hours * n_features;
// reshape input to be 3D [samples, timesteps, features]
const toX = (rows: number[][]) => tf.tensor3d(rows.map((r) => Array.from({ length: n_hours }, (_, h) => r.slice(h * n_features, (h + 1) * n_features))));
const train_X = toX(train);
const train_y = tf.tensor2d(train.map((r) => [r[n_obs]!]));
let test_X = toX(test);
const test_y = tf.tensor2d(test.map((r) => [r[n_obs]!]));
console.log(train_X.shape, train_y.shape, test_X.shape, test_y.shape);

keras.backend.clear_session();
model = Sequential();
model.add(LSTM(32, { activation: 'relu', input_shape: [train_X.shape[1], train_X.shape[2]], return_sequences: true }));
model.add(LSTM(32, { activation: 'relu' }));
model.add(Dense(1));
model.compile({ loss: 'mae', optimizer: 'adam' });
const history = model.fit(train_X, train_y, { epochs: EPOCHS, batch_size: 72, validation_data: [test_X, test_y], verbose: 2, shuffle: false });
console.log(`final loss ${history.history.loss.at(-1)!.toFixed(4)}, val_loss ${history.history.val_loss!.at(-1)!.toFixed(4)}`);

// make a prediction, then invert the scaling of the forecast and of the actual values
const yhat = model.predict(test_X) as tf.Tensor;
test_X = test_X.reshape([test_X.shape[0]!, n_hours * n_features]);
// inv_yhat = scaler.inverse_transform(concatenate((yhat, test_X[:, -7:]), axis=1))[:, 0]
const lastHour = test_X.slice([0, n_obs - 7], [-1, 7]);
const inv_yhat = scaler.inverse_transform(tf.concat([yhat, lastHour], 1)).slice([0, 0], [-1, 1]);
const inv_y = scaler.inverse_transform(tf.concat([test_y, lastHour], 1)).slice([0, 0], [-1, 1]);
// calculate RMSE
const rmse = Math.sqrt(tf.mean(tf.square(tf.sub(inv_y, inv_yhat))).dataSync()[0]!);
console.log(`Test RMSE: ${rmse.toFixed(3)}`);
// The naive forecast, the same pollution as the hour before, for scale.
const previous = scaler.inverse_transform(tf.concat([test_X.slice([0, n_obs - n_features], [-1, 1]), lastHour], 1)).slice([0, 0], [-1, 1]);
const naive = Math.sqrt(tf.mean(tf.square(tf.sub(inv_y, previous))).dataSync()[0]!);
console.log(`Naive (last hour) RMSE: ${naive.toFixed(3)}`);
