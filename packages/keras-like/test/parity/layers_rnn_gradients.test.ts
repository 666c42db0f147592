/**
 * Back-propagation through time against real Keras 3's gradients (torch backend, autograd through
 * Keras's own RNN loop): test/fixtures/keras/layers_rnn_gradients.json, written by
 * scripts/keras-golden/layers_rnn_gradients.py. Each case is C = Σ_k Σ R_k ⊙ output_k; the
 * hand-written backward (rnn.ts, the cells, bidirectional.ts) must give Keras's ∂C/∂x and ∂C/∂w.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { SimpleRNN } from '../../src/layers/rnn/simple_rnn.js';
import { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import type { RNNLayer } from '../../src/layers/rnn/rnn.js';
import type { Layer, Tensors } from '../../src/layers/layer.js';

interface Case extends GoldenCase {
  layer: string;
  inner: string | null;
  inner_options: Record<string, unknown> | null;
  options: Record<string, unknown>;
  input: GoldenTensor;
  mask?: GoldenTensor;
  weights: GoldenTensor[];
  outputs: GoldenTensor[];
  output_gradients: GoldenTensor[];
  input_gradient: GoldenTensor;
  weight_gradients: GoldenTensor[];
}

const MODULE = 'layers_rnn_gradients';
const fixture = loadFixture<Case>(MODULE);
reportWorstErrors(MODULE);

const RNNS: Record<string, (options: Record<string, unknown>) => RNNLayer> = {
  LSTM: ({ units, ...options }) => LSTM(units as number, options),
  GRU: ({ units, ...options }) => GRU(units as number, options),
  SimpleRNN: ({ units, ...options }) => SimpleRNN(units as number, options),
};

function make(c: Case): Layer<Tensors, Tensors> {
  if (c.layer === 'Bidirectional') return Bidirectional(RNNS[c.inner!]!(c.inner_options!), c.options);
  return RNNS[c.layer]!(c.options);
}

describe("recurrent layers' backward matches Keras 3's gradients", () => {
  it('the fixture holds the Bidirectional and plain-layer cases', () => {
    expect(fixture.keras.backend).toBe('torch');
    expect(fixture.cases.filter((c) => c.layer === 'Bidirectional').length).toBeGreaterThanOrEqual(11);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const layer = make(c);
      const close = (actual: tf.Tensor, expected: GoldenTensor, label: string) => expectGolden(MODULE, c.name, label, actual, expected, c.tolerance ?? fixture.tolerance);
      tf.tidy(() => {
        const x = toTensor(c.input);
        layer.build([null, ...x.shape.slice(1)]);
        layer.set_weights(c.weights.map(toTensor));
        const mask = c.mask === undefined ? null : tf.cast(toTensor(c.mask), 'bool');
        const pass = layer.forward(x, true, mask);
        const outputs = Array.isArray(pass.outputs) ? pass.outputs : [pass.outputs];
        expect(outputs).toHaveLength(c.outputs.length);
        outputs.forEach((o, i) => close(o, c.outputs[i]!, `output ${i}`));
        const dOutputs = c.output_gradients.map(toTensor);
        const { inputGradient, weightGradients } = layer.backward(Array.isArray(pass.outputs) ? dOutputs : dOutputs[0]!, pass, true);
        close(inputGradient as tf.Tensor, c.input_gradient, '∂C/∂x');
        expect(weightGradients).toHaveLength(c.weight_gradients.length);
        weightGradients.forEach((g, i) => close(g, c.weight_gradients[i]!, `∂C/∂${layer.trainable_weights[i]!.name}`));
      });
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
