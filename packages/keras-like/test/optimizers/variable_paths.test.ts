/**
 * The names of the optimizers' variables against real Keras 3 (test/fixtures/keras/optimizer_variables.json,
 * written by scripts/keras-golden/optimizer_variables.py): each optimizer built on
 * Sequential([Input([3]), Dense(2)]) lists Keras's `[v.path for v in optimizer.variables]`
 * (`variable_paths`, with the model's variable paths), with Keras's shapes, and the legacy `.h5`
 * file names its `optimizer_weights` datasets as Keras's `model.save('m.h5')` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clear_session } from '../../src/backend/index.js';
import { initBackend } from '../../src/backend/kernels.js';
import { Dense, Input } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/index.js';
import * as optimizers from '../../src/optimizers/index.js';
import { getGroup } from '../../src/saving/hdf5.js';
import { legacyH5Tree } from '../../src/saving/legacy_h5_write.js';
import { loadFixture, type GoldenCase } from '../parity/golden.js';

await initBackend();

type SavedModel = Parameters<typeof legacyH5Tree>[0];

interface PathsCase extends GoldenCase {
  class_name: string;
  args: Record<string, unknown>;
  paths: string[];
  shapes: number[][];
  legacy_h5_weight_names?: string[];
  legacy_h5_backend?: string;
  legacy_h5_error?: string;
}

const fixture = loadFixture<PathsCase>('optimizer_variables');
type OptimizerFactory = (args: Record<string, unknown>) => optimizers.Optimizer;

function compiled(c: PathsCase) {
  clear_session();
  const model = Sequential([Input({ shape: [3] }), Dense(2)]);
  const optimizer = (optimizers as unknown as Record<string, OptimizerFactory>)[c.class_name]!(c.args);
  model.compile({ optimizer, loss: 'mse' });
  optimizer.build(model.trainable_weights);
  return { model, optimizer };
}

function optimizerWeightNames(model: ReturnType<typeof compiled>['model']): string[] {
  const tree = legacyH5Tree(model as unknown as SavedModel, 'Sequential', { include_optimizer: true, keras_version: '3.16.0' });
  return (getGroup(tree, 'optimizer_weights')!.attrs.weight_names as string[]).map(String);
}

describe("optimizer variables named as Keras 3.16's", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { model, optimizer } = compiled(c);
    // The model's variable paths, as Keras's `v.path`: [kernel, bias] of the one Dense layer.
    const [kernel, bias] = model.weights;
    const pathOf = (v: tf.Variable) => (v === kernel ? 'sequential/dense/kernel' : v === bias ? 'sequential/dense/bias' : '?');
    expect(optimizer.variable_paths(pathOf)).toEqual(c.paths);
    const values = optimizer.variables;
    expect(values.map((v) => v.shape)).toEqual(c.shapes);
    tf.dispose(values);
    if (c.legacy_h5_weight_names !== undefined) {
      expect(optimizerWeightNames(model)).toEqual(c.legacy_h5_weight_names);
      // Keras writes its backend's name ('numpy' here); keras-like writes 'tensorflow' (legacy_h5_write.ts).
      expect(c.legacy_h5_backend).toBe('numpy');
      expect(legacyH5Tree(model as unknown as SavedModel, 'Sequential', { include_optimizer: false, keras_version: '3.16.0' }).attrs.backend).toBe('tensorflow');
    } else {
      // Keras 3.16 cannot write this file (h5py: "Unable to create dataset (name already exists)":
      // Adafactor's two factored moments are both `adafactor/kernel`); keras-like makes the
      // repeated names unique, as for every dataset of the file.
      expect(c.legacy_h5_error).toContain('name already exists');
      const unique = optimizerWeightNames(model);
      expect(unique).toEqual(c.paths.map((p, i) => (c.paths.indexOf(p) === i ? p : `${p}_1`)));
    }
    model.dispose();
  });
});
