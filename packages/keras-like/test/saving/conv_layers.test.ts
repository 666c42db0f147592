/**
 * save + load_model of a network made of issue 15's newer layers (Conv2DTranspose,
 * Conv1DTranspose, DepthwiseConv2D, SeparableConv2D, SeparableConv1D, DepthwiseConv1D,
 * Cropping1D/2D, UpSampling1D/2D, ZeroPadding1D, SpatialDropout1D/2D): the reloaded model has the
 * same config, the same weights under the same names and predicts bit-identically, and
 * training resumes bit-identically.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keras, Sequential, tf } from 'keras-like';

const L = keras.layers;
const dir = mkdtempSync(join(tmpdir(), 'keras-like-conv-saving-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)));

function imageModel() {
  keras.utils.set_random_seed(15);
  const model = Sequential(
    [
      keras.Input({ shape: [8, 8, 2] }),
      L.DepthwiseConv2D(3, { depth_multiplier: 2, padding: 'same', activation: 'relu' }),
      L.SpatialDropout2D(0.2),
      L.SeparableConv2D(4, 3, { strides: 2, padding: 'same', activation: 'tanh' }),
      L.Conv2DTranspose(3, 3, { strides: 2, padding: 'same', output_padding: 1 }),
      L.Cropping2D([[1, 0], [0, 1]]),
      L.UpSampling2D(2, { interpolation: 'bilinear' }),
      L.Conv2D(1, 1),
    ],
    { name: 'image_net' },
  );
  model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
  return model;
}

function sequenceModel() {
  keras.utils.set_random_seed(16);
  const model = Sequential(
    [
      keras.Input({ shape: [10, 3] }),
      L.ZeroPadding1D([1, 2]),
      L.DepthwiseConv1D(3, { depth_multiplier: 2 }),
      L.SpatialDropout1D(0.1),
      L.SeparableConv1D(4, 3, { padding: 'same', activation: 'relu' }),
      L.Conv1DTranspose(2, 3, { strides: 2 }),
      L.Cropping1D([2, 3]),
      L.UpSampling1D(2),
    ],
    { name: 'sequence_net' },
  );
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return model;
}

describe('save / load_model with the convolution, cropping and up-sampling layers', () => {
  for (const [name, make, xShape] of [
    ['image', imageModel, [6, 8, 8, 2]],
    ['sequence', sequenceModel, [6, 10, 3]],
  ] as const) {
    it(`${name} model: config, weights, predictions and resumed training are identical`, () => {
      const model = make();
      const x = tf.randomNormal([...xShape], 0, 1, 'float32', 1);
      const y = tf.randomNormal(model.predict(x, { verbose: 0 }).shape, 0, 1, 'float32', 2);
      model.fit(x, y, { epochs: 1, batch_size: 3, verbose: 0 });
      const path = join(dir, `${name}.keras`);
      model.save(path);
      const loaded = keras.models.load_model(path) as unknown as ReturnType<typeof make>;
      expect(loaded.get_config()).toEqual(model.get_config());
      const names = (m: typeof model) => m.weights.map((w) => w.name.replace(/_\d+$/, ''));
      expect(names(loaded)).toEqual(names(model));
      expect(bits(loaded.get_weights())).toEqual(bits(model.get_weights()));
      expect(bits([loaded.predict(x, { verbose: 0 })])).toEqual(bits([model.predict(x, { verbose: 0 })]));
      keras.utils.set_random_seed(3);
      model.fit(x, y, { epochs: 2, batch_size: 3, verbose: 0, shuffle: false });
      keras.utils.set_random_seed(3);
      loaded.fit(x, y, { epochs: 2, batch_size: 3, verbose: 0, shuffle: false });
      expect(bits(loaded.get_weights())).toEqual(bits(model.get_weights()));
    });
  }
});
