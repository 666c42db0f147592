/**
 * `.keras` interop with real Keras 3, both directions, from committed files (no Python in CI):
 * files Keras 3 wrote load here with Keras's predictions and optimizer state, and the file
 * keras-like wrote (scripts/keras-golden/saving_write.ts) gives here the predictions and
 * optimizer variables Keras 3 computed after loading it (scripts/keras-golden/saving.py).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, keras, Sequential, tf } from 'keras-like';
import { expectGolden, loadFixture, toTensor, type GoldenCase, type GoldenTensor } from '../parity/golden.js';

interface SavingCase extends GoldenCase {
  file: string;
  /** One tensor, or one per input (the functional net). */
  x: GoldenTensor | GoldenTensor[];
  predictions: GoldenTensor | GoldenTensor[];
  optimizer_variables: GoldenTensor[];
  /** Keras's `model.layers` names, where recorded. */
  layers?: string[];
}
// saving.json: Keras's NumPy backend (Dense, LSTM, functional); saving_torch.json: its torch backend (the CNN).
const fixtures = [loadFixture<SavingCase>('saving'), loadFixture<SavingCase>('saving_torch')];
const cases = fixtures.flatMap((fixture) => fixture.cases.map((c) => ({ ...c, tolerance: c.tolerance ?? fixture.tolerance, module: fixture.module })));
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));

/** The architecture of the Keras-written files, built in code (for load_weights). */
function sameArchitecture() {
  return Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'relu', name: 'hidden' }), Dropout(0.25), keras.layers.BatchNormalization(), Dense(3, { activation: 'softmax' })]);
}

interface LoadedModel {
  predict(x: tf.Tensor | tf.Tensor[], o: object): tf.Tensor | tf.Tensor[];
  optimizer: { variables: tf.Tensor[] };
  layers: Array<{ name: string }>;
}

function checkModel(c: (typeof cases)[number], model: LoadedModel) {
  const tolerance = c.tolerance;
  const x = Array.isArray(c.x) ? c.x.map(toTensor) : toTensor(c.x);
  const predictions = model.predict(x, { verbose: 0 });
  const expected = Array.isArray(c.predictions) ? c.predictions : [c.predictions];
  const got = Array.isArray(predictions) ? predictions : [predictions];
  expect(got.length).toBe(expected.length);
  got.forEach((p, k) => expectGolden(c.module, c.name, `predictions[${k}]`, p, expected[k]!, tolerance));
  if (c.layers !== undefined) expect(model.layers.map((l) => l.name)).toEqual(c.layers);
  const variables = model.optimizer.variables;
  expect(variables.length).toBe(c.optimizer_variables.length);
  variables.forEach((v, i) => expectGolden(c.module, c.name, `optimizer variable ${i}`, v, c.optimizer_variables[i]!, tolerance));
  tf.dispose([x, predictions, ...variables] as tf.Tensor[]);
}

const CLASSES: Record<string, string[]> = {
  'keras_dense.keras': ['Dense', 'Dropout', 'BatchNormalization', 'Dense'],
  'keras_dense_legacy.h5': ['Dense', 'Dropout', 'BatchNormalization', 'Dense'],
  'keras_lstm.keras': ['LSTM', 'Dense'],
  'keras_wrappers.keras': ['TimeDistributed', 'RNN', 'Dense'],
  'keras_bidirectional.keras': ['Bidirectional', 'Bidirectional', 'Dense'],
  'keras_cnn.keras': ['Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dropout', 'Dense'],
  'keras_conv2d_more.keras': ['Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'Cropping2D', 'MaxPooling2D', 'UpSampling2D', 'ZeroPadding2D', 'SpatialDropout2D', 'GlobalAveragePooling2D', 'Dense'],
  'keras_conv1d_more.keras': ['Conv1DTranspose', 'DepthwiseConv1D', 'SeparableConv1D', 'Cropping1D', 'UpSampling1D', 'ZeroPadding1D', 'SpatialDropout1D', 'GlobalMaxPooling1D', 'Dense'],
  'keras_functional.keras': ['InputLayer', 'InputLayer', 'Dense', 'Dense', 'Dense', 'Add', 'Dropout', 'BatchNormalization', 'Concatenate', 'Sequential', 'Dense', 'Functional', 'Multiply'],
};

describe('files written by Keras 3 load in keras-like', () => {
  for (const c of cases.filter((c) => c.name.startsWith('written by Keras'))) {
    it(c.name, () => {
      if (c.file.endsWith('.weights.h5')) {
        const model = sameArchitecture();
        model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'categorical_crossentropy' });
        model.load_weights(file(c.file));
        checkModel(c, model as unknown as LoadedModel);
        model.dispose();
        return;
      }
      const model = keras.models.load_model(file(c.file)) as unknown as ReturnType<typeof sameArchitecture>;
      const classes = CLASSES[c.file];
      if (classes !== undefined) expect(model.layers.map((l) => l.className)).toEqual(classes);
      checkModel(c, model as unknown as LoadedModel);
      model.dispose();
    });
  }
});

describe('.keras files written by keras-like load in Keras 3', () => {
  for (const c of cases.filter((c) => c.name.startsWith('written by keras-like'))) {
    it(`${c.file} gives here the predictions and optimizer state Keras 3 computed from it`, () => {
      const model = keras.models.load_model(file(c.file)) as unknown as LoadedModel & { dispose(): void };
      checkModel(c, model);
      model.dispose();
    });
  }
});
