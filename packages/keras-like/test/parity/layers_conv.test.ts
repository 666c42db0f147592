/**
 * Convolution, pooling and reshaping layers against real Keras 3 (torch backend; the NumPy
 * backend cannot run conv or pooling): test/fixtures/keras/layers_conv.json, written by
 * scripts/keras-golden/layers_conv.py. Each case rebuilds the layer from Keras's own
 * get_config() (`keras.layers.deserialize`, the path `load_model` takes), sets Keras's weights,
 * and checks the forward output, ∂C/∂x and ∂C/∂w for C = Σ output · upstream (torch autograd
 * through the Keras layer), the summary shape, the parameter count, the weight names and
 * that keras-like's get_config has Keras's keys with Keras's plain values.
 *
 * Tolerance: rtol 1e-5 above a floor of 0.1, so an absolute 1e-6 below it. A forward value is a
 * sum of up to ~60 float32 products of N(0, 1) draws and each gradient sums over the batch and the
 * positions (up to ~250 terms); torch and TensorFlow.js add them in different orders (im2col /
 * MKL-DNN against XNNPACK), which moves the last bits of partial sums of size ~10: results that
 * cancel to ~0.005 then differ by ~5e-7 (absolute), 1e-4 relative. Every case carries this one
 * tolerance; pooling, padding and global pooling are exact or within 1 ulp.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { deserialize } from '../../src/layers/serialization.js';
import type { Layer } from '../../src/layers/layer.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

interface Case extends GoldenCase {
  layer: string;
  options: Record<string, unknown>;
  config: Record<string, unknown>;
  input: GoldenTensor;
  weights: GoldenTensor[];
  weight_names: string[];
  upstream: GoldenTensor;
  output: GoldenTensor;
  input_gradient: GoldenTensor;
  weight_gradients: GoldenTensor[];
  summary_shape: Array<number | null>;
  params: number;
}

const MODULE = 'layers_conv';
const fixture = loadFixture<Case>(MODULE);
reportWorstErrors(MODULE);

/** Config values that are plain (not an initializer, regularizer or constraint object, not the dtype policy). */
function plainEntries(config: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(config).filter(([key, value]) => key !== 'dtype' && (value === null || typeof value !== 'object' || Array.isArray(value)));
}

describe('convolution, pooling and reshaping layers match Keras 3 (forward and gradients)', () => {
  it('the fixture was made on the torch backend', () => {
    expect(fixture.keras.backend).toBe('torch');
    expect(fixture.cases.length).toBeGreaterThan(30);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const tolerance = c.tolerance ?? fixture.tolerance;
      const close = (label: string, actual: tf.Tensor, expected: GoldenTensor) => expectGolden(MODULE, c.name, label, actual, expected, tolerance);
      const layer = deserialize({ class_name: c.layer, config: c.config, module: 'keras.layers', registered_name: null }) as Layer;
      const x = toTensor(c.input);
      layer.build(x.shape);
      layer.set_weights(c.weights.map(toTensor));
      expect(layer.weights.map((w) => w.name.split('/').pop()!.replace(/_\d+$/, ''))).toEqual(c.weight_names);
      expect(layer.compute_output_shape([null, ...x.shape.slice(1)])).toEqual(c.summary_shape);
      expect(layer.count_params()).toBe(c.params);

      const config = layer.get_config();
      expect(Object.keys(config).sort()).toEqual(Object.keys(c.config).sort());
      for (const [key, value] of plainEntries(c.config)) expect([key, config[key]]).toEqual([key, value]);

      const pass = layer.forward(x, false);
      close('output', pass.outputs as tf.Tensor, c.output);
      const grads = layer.backward(toTensor(c.upstream), pass, true);
      close('input gradient', grads.inputGradient as tf.Tensor, c.input_gradient);
      expect(grads.weightGradients.length).toBe(c.weight_gradients.length);
      grads.weightGradients.forEach((g, i) => close(`gradient of ${c.weight_names[i]}`, g, c.weight_gradients[i]!));
      layer.dispose();
    });
  }
});
