/**
 * The recurrent layers' forward against real Keras 3 (NumPy backend), with fixed weights:
 * test/fixtures/keras/layers_rnn.json, written by scripts/keras-golden/layers_rnn.py.
 */
import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';
import { LSTM } from '../../src/layers/rnn/lstm.js';
import type { RNNLayer } from '../../src/layers/rnn/rnn.js';
import { SimpleRNN } from '../../src/layers/rnn/simple_rnn.js';
import { GRU } from '../../src/layers/rnn/gru.js';
import { Embedding } from '../../src/layers/embedding.js';
import { Masking } from '../../src/layers/masking.js';
import { RepeatVector } from '../../src/layers/repeat_vector.js';
import type { Layer, Tensors } from '../../src/layers/layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { TimeDistributed } from '../../src/layers/rnn/time_distributed.js';
import { Dense } from '../../src/layers/dense.js';

interface Case extends GoldenCase {
  kind?: 'stateful' | 'initial_weights' | 'weight_shapes' | 'model' | 'config';
  keys: string[];
  plain: Record<string, unknown>;
  layer: string;
  options: Record<string, unknown>;
  input: GoldenTensor;
  inputs: GoldenTensor[];
  mask?: GoldenTensor;
  weights: GoldenTensor[];
  output: GoldenTensor | GoldenTensor[];
  outputs: GoldenTensor[];
  shapes: number[][];
  weight_names: string[];
  input_shape: Array<number | null>;
  layers: Array<[string, Record<string, unknown>]>;
  output_mask?: GoldenTensor;
}

const MODULE = 'layers_rnn';
const fixture = loadFixture<Case>(MODULE);
reportWorstErrors(MODULE);

const LAYERS: Record<string, (options: Record<string, unknown>) => Layer<tf.Tensor, Tensors>> = {
  Embedding: ({ input_dim, output_dim, ...options }) => Embedding(input_dim as number, output_dim as number, options),
  Masking: (options) => Masking(options),
  RepeatVector: ({ n }) => RepeatVector(n as number),
  LSTM: ({ units, ...options }) => LSTM(units as number, options),
  SimpleRNN: ({ units, ...options }) => SimpleRNN(units as number, options),
  GRU: ({ units, ...options }) => GRU(units as number, options),
};

/** The cases this file checks (return_state's list of outputs is checked where the functional API tests it). */
const covered = (c: Case) => (c.kind === 'model' || c.layer in LAYERS || c.layer === 'TimeDistributed') && c.options?.return_state !== true;

describe('recurrent layers match Keras 3', () => {
  for (const c of fixture.cases.filter(covered)) {
    it(c.name, () => {
      const expectClose = (actual: tf.Tensor, expected: GoldenTensor, label = 'output') =>
        expectGolden(MODULE, c.name, label, actual, expected, c.tolerance ?? fixture.tolerance);
      if (c.kind === 'model') {
        const model = Sequential(c.layers.map(([name, options]) => LAYERS[name]!(options)) as never);
        const x = toTensor(c.input);
        model.build([null, ...x.shape.slice(1)]);
        model.set_weights(c.weights.map(toTensor));
        expectClose(model.predict(x, { verbose: 0 }), c.output as GoldenTensor);
        model.dispose();
        return;
      }
      const layer =
        c.layer === 'TimeDistributed'
          ? TimeDistributed(Dense(c.inner_options as { units: number }))
          : LAYERS[c.layer]!(c.options);
      if (c.kind === 'config') {
        const config = layer.get_config();
        expect(Object.keys(config).sort()).toEqual(c.keys);
        for (const [key, value] of Object.entries(c.plain)) expect([key, config[key]]).toEqual([key, value]);
      } else if (c.kind === 'weight_shapes') {
        layer.build(c.input_shape);
        expect(layer.weights.map((w) => w.shape)).toEqual(c.shapes);
        expect(layer.weights.map((w) => w.name.split('/').at(-1)!.replace(/_\d+$/, ''))).toEqual(c.weight_names.map((n) => n.split('/').at(-1)));
      } else if (c.kind === 'initial_weights') {
        layer.build(c.input_shape);
        layer.weights.forEach((w, i) => expectClose(w, c.weights[i]!));
      } else if (c.kind === 'stateful') {
        layer.build([null, ...c.inputs[0]!.shape.slice(1)]);
        layer.set_weights(c.weights.map(toTensor));
        c.inputs.forEach((x, i) => tf.tidy(() => expectClose(layer.apply(toTensor(x)) as tf.Tensor, c.outputs[i]!)));
        (layer as RNNLayer).reset_states();
        tf.tidy(() => expectClose(layer.apply(toTensor(c.inputs[0]!)) as tf.Tensor, c.outputs[0]!));
      } else {
        tf.tidy(() => {
          const x = toTensor(c.input);
          layer.build([null, ...x.shape.slice(1)]);
          layer.set_weights(c.weights.map(toTensor));
          const mask = c.mask === undefined ? null : toTensor(c.mask);
          expectClose(layer.forward(x, false, mask).outputs as tf.Tensor, c.output as GoldenTensor);
          if (c.output_mask !== undefined) expectClose(tf.cast(layer.compute_mask(x, null) as tf.Tensor, 'float32'), c.output_mask, 'mask');
        });
      }
      layer.dispose();
    });
  }
});
