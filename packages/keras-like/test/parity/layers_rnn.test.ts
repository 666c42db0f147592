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
import { Bidirectional } from '../../src/layers/rnn/bidirectional.js';
import { RNN } from '../../src/layers/rnn/rnn.js';
import { LSTMCell } from '../../src/layers/rnn/lstm_cell.js';

interface Case extends GoldenCase {
  kind?: 'stateful' | 'initial_weights' | 'weight_shapes' | 'model' | 'config' | 'bidirectional_config' | 'rnn_config';
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
  inner?: string;
  cell_keys?: string[];
  cell_class?: string;
  cell_config_keys?: string[];
  merge_mode?: string | null;
  layer_keys?: string[];
  layer_config_keys?: string[];
  directions?: Array<[string, boolean, string]>;
  inner_options?: Record<string, unknown>;
}

const MODULE = 'layers_rnn';
const fixture = loadFixture<Case>(MODULE);
reportWorstErrors(MODULE);

const LAYERS: Record<string, (options: Record<string, unknown>) => Layer<Tensors, Tensors>> = {
  Embedding: ({ input_dim, output_dim, ...options }) => Embedding(input_dim as number, output_dim as number, options),
  Masking: (options) => Masking(options),
  RepeatVector: ({ n }) => RepeatVector(n as number),
  LSTM: ({ units, ...options }) => LSTM(units as number, options),
  SimpleRNN: ({ units, ...options }) => SimpleRNN(units as number, options),
  GRU: ({ units, ...options }) => GRU(units as number, options),
};

/** The cases this file checks (return_state's list of outputs is checked where the functional API tests it). */
const covered = (c: Case) => (c.kind === 'model' || c.kind === 'rnn_config' || c.layer in LAYERS || c.layer === 'TimeDistributed' || c.layer === 'Bidirectional') && c.options?.return_state !== true;

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
      if (c.kind === 'rnn_config') {
        const rnn = RNN(LSTMCell(4), c.options);
        const config = rnn.get_config();
        expect(Object.keys(config).sort()).toEqual(c.keys);
        const cell = config.cell as { class_name: string; config: Record<string, unknown> };
        expect(Object.keys(cell).sort()).toEqual(c.cell_keys);
        expect(cell.class_name).toBe(c.cell_class);
        expect(Object.keys(cell.config).sort()).toEqual(c.cell_config_keys);
        rnn.dispose();
        return;
      }
      const layer =
        c.layer === 'TimeDistributed'
          ? TimeDistributed(Dense(c.inner_options as { units: number }))
          : c.layer === 'Bidirectional'
            ? Bidirectional(LAYERS[c.inner!]!(c.inner_options!) as RNNLayer, c.options)
            : LAYERS[c.layer]!(c.options);
      if (c.kind === 'bidirectional_config') {
        const config = layer.get_config();
        expect(Object.keys(config).sort()).toEqual(c.keys);
        expect(config.merge_mode).toBe(c.merge_mode);
        const directions = (['layer', 'backward_layer'] as const).map((k) => config[k] as { class_name: string; config: Record<string, unknown> });
        for (const d of directions) {
          expect(Object.keys(d).sort()).toEqual(c.layer_keys);
          expect(Object.keys(d.config).sort()).toEqual(c.layer_config_keys);
        }
        expect(directions.map((d) => [d.class_name, d.config.go_backwards, String(d.config.name).split('_')[0]])).toEqual(c.directions);
      } else if (c.kind === 'config') {
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
          const y = layer.forward(x, false, mask).outputs;
          if (Array.isArray(c.output)) (y as tf.Tensor[]).forEach((t, i) => expectClose(t, (c.output as GoldenTensor[])[i]!, `output ${i}`));
          else expectClose(y as tf.Tensor, c.output);
          // Keras's weight order and names: bidirectional/forward_lstm_14/lstm_cell/kernel, ... then backward_lstm_14's.
          if (c.layer === 'Bidirectional' && c.weight_names !== undefined) {
            const bidirectional = layer as unknown as Bidirectional;
            const path = (n: string) => n.split('/').slice(-2).join('/').replace(/_\d+$/, '');
            const owner = (n: string) => n.split('/').at(-3)!.replace(/_\d+$/, '');
            const ours = [...bidirectional.forward_layer.weights.map((w) => [`forward_${c.inner!.toLowerCase()}`, path(w.name)]), ...bidirectional.backward_layer.weights.map((w) => [`backward_${c.inner!.toLowerCase()}`, path(w.name)])];
            expect(layer.weights).toEqual([...bidirectional.forward_layer.weights, ...bidirectional.backward_layer.weights]);
            expect(ours).toEqual(c.weight_names.map((n) => [owner(n), path(n)]));
            expect([bidirectional.forward_layer.name, bidirectional.backward_layer.name].map((n) => n.replace(/_\d+$/, ''))).toEqual(ours.filter((_, i) => i % 3 === 0).map(([o]) => o));
          }
          if (c.output_mask !== undefined) expectClose(tf.cast(layer.compute_mask(x, null) as tf.Tensor, 'float32'), c.output_mask, 'mask');
        });
      }
      layer.dispose();
    });
  }
});
