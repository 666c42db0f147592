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
  x: GoldenTensor;
  predictions: GoldenTensor;
  optimizer_variables: GoldenTensor[];
}
const fixture = loadFixture<SavingCase>('saving');
const file = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/keras-files/${name}`, import.meta.url));

/** The architecture of the Keras-written files, built in code (for load_weights). */
function sameArchitecture() {
  return Sequential([keras.Input({ shape: [4] }), Dense(8, { activation: 'relu', name: 'hidden' }), Dropout(0.25), keras.layers.BatchNormalization(), Dense(3, { activation: 'softmax' })]);
}

function checkModel(c: SavingCase, model: { predict(x: tf.Tensor, o: object): tf.Tensor; optimizer: { variables: tf.Tensor[] } }) {
  const tolerance = c.tolerance ?? fixture.tolerance;
  const x = toTensor(c.x);
  const predictions = model.predict(x, { verbose: 0 });
  expectGolden('saving', c.name, 'predictions', predictions, c.predictions, tolerance);
  const variables = model.optimizer.variables;
  expect(variables.length).toBe(c.optimizer_variables.length);
  variables.forEach((v, i) => expectGolden('saving', c.name, `optimizer variable ${i}`, v, c.optimizer_variables[i]!, tolerance));
  tf.dispose([x, predictions, ...variables]);
}

describe('files written by Keras 3 load in keras-like', () => {
  for (const c of fixture.cases.filter((c) => c.name.startsWith('written by Keras'))) {
    it(c.name, () => {
      if (c.file.endsWith('.weights.h5')) {
        const model = sameArchitecture();
        model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'categorical_crossentropy' });
        model.load_weights(file(c.file));
        checkModel(c, model);
        model.dispose();
        return;
      }
      const model = keras.models.load_model(file(c.file)) as unknown as ReturnType<typeof sameArchitecture>;
      const classes = c.file.includes('lstm') ? ['LSTM', 'Dense'] : ['Dense', 'Dropout', 'BatchNormalization', 'Dense'];
      expect(model.layers.map((l) => l.className)).toEqual(classes);
      checkModel(c, model);
      model.dispose();
    });
  }
});

describe('.keras files written by keras-like load in Keras 3', () => {
  for (const c of fixture.cases.filter((c) => c.name.startsWith('written by keras-like'))) {
    it(`${c.file} gives here the predictions and optimizer state Keras 3 computed from it`, () => {
      const model = keras.models.load_model(file(c.file)) as unknown as ReturnType<typeof sameArchitecture>;
      checkModel(c, model);
      model.dispose();
    });
  }
});
