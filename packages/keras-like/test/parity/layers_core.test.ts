/**
 * Core layers and a Sequential model against real Keras 3 (test/fixtures/keras/layers_core.json,
 * written by scripts/keras-golden/layers_core.py): each layer's forward pass with Keras's
 * weights set by `set_weights`, in inference and in training (BatchNormalization's batch
 * statistics and its moving statistics after the call), Dropout's and GaussianNoise's
 * training behaviour as properties (they are random), then `predict` and `evaluate` of a
 * model over a partial last batch, with and without sample weights, and `test_on_batch`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/kernels.js';
import * as layers from '../../src/layers/index.js';
import type { AnyLayer } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/index.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

interface NamedWeight {
  name: string;
  value: GoldenTensor;
}

interface LayerCase extends GoldenCase {
  kind: 'layer';
  class_name: string;
  kwargs: Record<string, unknown>;
  input: GoldenTensor;
  weights: NamedWeight[];
  inference: GoldenTensor;
  training?: GoldenTensor;
  weights_after_training?: NamedWeight[];
  training_property?: { kept_fraction?: number; max_kept_error?: number; noise_mean?: number; noise_std?: number };
}

type Logs = Record<string, number>;

interface ModelCase extends GoldenCase {
  kind: 'model';
  layers: Array<{ class_name: string; kwargs: Record<string, unknown> }>;
  input_shape: number[];
  weights: GoldenTensor[];
  compile: { loss: string; metrics: string[]; weighted_metrics: string[] };
  x: GoldenTensor;
  y: GoldenTensor;
  sample_weight: GoldenTensor;
  batch_size: number;
  predict: GoldenTensor;
  evaluate: Logs;
  evaluate_weighted: Logs;
  evaluate_one_batch: Logs;
  test_on_batch: Logs[];
  test_on_batch_accumulated: Logs[];
}

/** What the test uses of a single-input, single-output layer. */
interface LayerCall {
  apply(x: tf.Tensor, options?: { training?: boolean }): tf.Tensor;
  readonly weights: tf.Variable[];
  set_weights(weights: tf.Tensor[]): void;
  dispose(): void;
}

const fixture = loadFixture<LayerCase | ModelCase>('layers_core');
reportWorstErrors('layers_core');

function makeLayer(class_name: string, kwargs: Record<string, unknown>): AnyLayer {
  const make = (layers as unknown as Record<string, ((options: Record<string, unknown>) => AnyLayer) | undefined>)[class_name];
  expect(make, `keras.layers.${class_name}`).toBeTypeOf('function');
  return make!(kwargs);
}

describe('core layers match Keras 3 with fixed weights', () => {
  const cases = fixture.cases.filter((c): c is LayerCase => c.kind === 'layer');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const tolerance = c.tolerance ?? fixture.tolerance;
    const layer = makeLayer(c.class_name, c.kwargs) as unknown as LayerCall;
    const x = toTensor(c.input);
    layer.apply(x).dispose(); // builds
    expect(layer.weights.map((w) => w.name.split('/').at(-1)!.replace(/_\d+$/, ''))).toEqual(c.weights.map((w) => w.name));
    layer.set_weights(c.weights.map((w) => toTensor(w.value)));
    const before = tf.memory().numTensors;
    const inference = layer.apply(x, { training: false });
    expectGolden('layers_core', c.name, 'inference', inference, c.inference, tolerance);
    inference.dispose();
    const training = layer.apply(x, { training: true });
    if (c.training) {
      expectGolden('layers_core', c.name, 'training', training, c.training, tolerance);
      c.weights_after_training!.forEach((w, i) =>
        expectGolden('layers_core', c.name, `${w.name} after training`, layer.weights[i]!, w.value, tolerance),
      );
    } else if (c.class_name === 'Dropout') {
      // Kept values are x / (1 - rate), exactly as Keras's (max_kept_error 0); the fraction kept
      // is 1 - rate within 5 standard errors, as Keras's own draw is.
      const rate = c.kwargs['rate'] as number;
      const [y, xs] = [training.dataSync(), x.dataSync()];
      let kept = 0;
      // Finding (layers): Keras divides, x / (1 - rate); keras-like multiplies by 1 / (1 - rate),
      // which is within one float32 ulp of it (1.2e-7 relative), not always equal.
      for (let i = 0; i < y.length; i++) {
        if (y[i] === 0) continue;
        kept += 1;
        const expected = Math.fround(xs[i]! / Math.fround(1 - rate));
        expect(Math.abs(y[i]! - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -23);
      }
      const standardError = Math.sqrt((rate * (1 - rate)) / y.length);
      expect(Math.abs(kept / y.length - (1 - rate))).toBeLessThan(5 * standardError);
      expect(Math.abs(c.training_property!.kept_fraction! - (1 - rate))).toBeLessThan(5 * standardError);
      expect(c.training_property!.max_kept_error).toBe(0);
    } else {
      // GaussianNoise: x + N(0, stddev²) noise, its mean and std within 5 standard errors, as Keras's.
      const stddev = c.kwargs['stddev'] as number;
      const noise = tf.tidy(() => tf.sub(training, x));
      const { mean, variance } = tf.tidy(() => tf.moments(noise));
      const n = noise.size;
      for (const [m, s] of [
        [mean.dataSync()[0]!, Math.sqrt(variance.dataSync()[0]!)],
        [c.training_property!.noise_mean!, c.training_property!.noise_std!],
      ] as const) {
        expect(Math.abs(m) / (stddev / Math.sqrt(n))).toBeLessThan(5);
        expect(Math.abs(s - stddev) / (stddev / Math.sqrt(2 * n))).toBeLessThan(5);
      }
      tf.dispose([noise, mean, variance]);
    }
    training.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });
});

describe('a Sequential model predicts and evaluates as Keras 3', () => {
  const [c] = fixture.cases.filter((c): c is ModelCase => c.kind === 'model');
  const tolerance = c!.tolerance ?? fixture.tolerance;
  const build = () => {
    const model = Sequential();
    c!.layers.forEach((l, i) => model.add(makeLayer(l.class_name, i === 0 ? { ...l.kwargs, input_shape: c!.input_shape } : l.kwargs)));
    model.compile(c!.compile);
    model.set_weights(c!.weights.map(toTensor));
    return model;
  };
  const [x, y, sampleWeight] = [toTensor(c!.x), toTensor(c!.y), toTensor(c!.sample_weight)];
  const expectLogs = (label: string, actual: Logs, expected: Logs) => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectGolden('layers_core', c!.name, `${label} ${key}`, actual[key]!, value, tolerance);
  };

  it('predict, batch_size 4 on 10 samples', () => {
    const model = build();
    const predicted = model.predict(x, { batch_size: c!.batch_size, verbose: 0 });
    expectGolden('layers_core', c!.name, 'predict', predicted, c!.predict, tolerance);
    predicted.dispose();
    model.dispose();
  });

  it("evaluate averages over the partial last batch by sample count, as Keras's", () => {
    const model = build();
    const options = { batch_size: c!.batch_size, verbose: 0, return_dict: true } as const;
    expectLogs('evaluate', model.evaluate(x, y, options), c!.evaluate);
    expectLogs('evaluate weighted', model.evaluate(x, y, { ...options, sample_weight: sampleWeight }), c!.evaluate_weighted);
    expectLogs('evaluate one batch', model.evaluate(x, y, { ...options, batch_size: 10 }), c!.evaluate_one_batch);
    model.dispose();
  });

  it('test_on_batch gives each batch its own logs (Keras 3 accumulates them: a finding)', () => {
    const model = build();
    const results = [0, 4, 8].map((start) => {
      const size = Math.min(4, 10 - start);
      const [xb, yb] = [tf.slice(x, [start, 0], [size, -1]), tf.slice(y, [start, 0], [size, -1])];
      const logs = model.test_on_batch(xb, yb, { return_dict: true });
      tf.dispose([xb, yb]);
      return logs;
    });
    results.forEach((logs, i) => expectLogs(`test_on_batch ${i + 1}`, logs, c!.test_on_batch[i]!));
    // Keras 3's test_on_batch never resets its metrics, so its second call reports batches 1-2
    // together (TF2 Keras reset them: `reset_metrics=True`); keras-like keeps TF2's per-batch logs.
    expect(Math.abs(results[1]!['loss']! - c!.test_on_batch_accumulated[1]!['loss']!)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
