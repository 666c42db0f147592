/**
 * Every activation against real Keras 3 (test/fixtures/keras/activations.json, written by
 * scripts/keras-golden/activations.py): the public `keras.activations.<name>(x, options)` and,
 * for the argument-free forms, the engine's `getActivation(name).forward(z)` that layers run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as activations from '../../src/activations.js';
import { initBackend } from '../../src/backend/kernels.js';
import { expectGolden, loadFixture, reportWorstErrors, toTensor, type GoldenCase, type GoldenTensor } from './golden.js';

await initBackend();

interface ActivationCase extends GoldenCase {
  function: string;
  kwargs: Record<string, number | boolean>;
  x: GoldenTensor;
  y: GoldenTensor;
}

type PublicActivation = (x: tf.Tensor, options?: Record<string, number | boolean>) => tf.Tensor;

const fixture = loadFixture<ActivationCase>('activations');
reportWorstErrors('activations');

describe('activations match Keras 3', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = tf.memory().numTensors;
    const tolerance = c.tolerance ?? fixture.tolerance;
    const f = (activations as unknown as Record<string, PublicActivation | undefined>)[c.function];
    expect(f, `keras.activations.${c.function}`).toBeTypeOf('function');
    tf.tidy(() => {
      const x = toTensor(c.x);
      const options = Object.keys(c.kwargs).length > 0 ? c.kwargs : undefined;
      expectGolden('activations', c.name, `keras.activations.${c.function}`, f!(x, options), c.y, tolerance);
      if (!options) expectGolden('activations', c.name, `getActivation('${c.function}').forward`, activations.getActivation(c.function).forward(x), c.y, tolerance);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
