import { describe, expect, it } from 'vitest';
import { Dense, Dropout, keras, Sequential } from 'keras-like';

function summaryOf(model: { summary(o: { print_fn: (line: string) => void }): void }): string[] {
  const lines: string[] = [];
  model.summary({ print_fn: (line) => lines.push(line) });
  return lines;
}

describe('summary', () => {
  it("prints Keras's table for the Pima model", () => {
    keras.backend.clear_session();
    const model = Sequential();
    model.add(Dense(12, { input_shape: [8], activation: 'relu' }));
    model.add(Dense(8, { activation: 'relu' }));
    model.add(Dropout(0.5));
    model.add(Dense(1, { activation: 'sigmoid' }));
    // The TF2 Keras output for this model (params: 8·12+12 = 108, 12·8+8 = 104, 8·1+1 = 9).
    const blank = ' '.repeat(65);
    expect(summaryOf(model)).toEqual([
      'Model: "sequential"',
      '_________________________________________________________________',
      ' Layer (type)                Output Shape              Param #   ',
      '=================================================================',
      ' dense (Dense)               (None, 12)                108       ',
      blank,
      ' dense_1 (Dense)             (None, 8)                 104       ',
      blank,
      ' dropout (Dropout)           (None, 8)                 0         ',
      blank,
      ' dense_2 (Dense)             (None, 1)                 9         ',
      blank,
      '=================================================================',
      'Total params: 221',
      'Trainable params: 221',
      'Non-trainable params: 0',
      '_________________________________________________________________',
    ]);
    model.dispose();
  });

  it('counts frozen layers as non-trainable and groups thousands', () => {
    const model = Sequential([Dense(100, { input_shape: [784] }), Dense(10)]);
    model.layers[0]!.trainable = false;
    const lines = summaryOf(model);
    expect(lines.slice(-4)).toEqual(['Total params: 79,510', 'Trainable params: 1,010', 'Non-trainable params: 78,500', '_'.repeat(65)]);
    model.dispose();
  });

  it('asks for a build first when the input shape is unknown', () => {
    const model = Sequential([Dense(2)]);
    expect(() => summaryOf(model)).toThrow('This model has not yet been built.');
  });
});
