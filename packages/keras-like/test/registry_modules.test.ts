/**
 * What every module's `get` / `deserialize` gains from the shared registry
 * (src/utils/registry.ts): the same lookup rules, the same Keras error for a name
 * it does not know, and no lookups that land on Object.prototype's members.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { activations, constraints, initializers, losses, metrics, optimizers, regularizers } from 'keras-like';
import { UnknownIdentifierError } from '../src/errors.js';

// Names an object literal inherits: a plain-object table would have found these.
const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

describe('get and deserialize share one lookup', () => {
  const modules = [
    ['optimizer', (name: string) => optimizers.get(name), (name: string) => optimizers.deserialize({ class_name: name, config: {} })],
    ['loss', (name: string) => losses.get(name), (name: string) => losses.deserialize({ class_name: name, config: {} })],
    ['metric', (name: string) => metrics.get(name), (name: string) => metrics.deserialize({ class_name: name, config: {} })],
    ['initializer', (name: string) => initializers.get(name), (name: string) => initializers.deserialize({ class_name: name, config: {} })],
    ['regularizer', (name: string) => regularizers.get(name), (name: string) => regularizers.deserialize({ class_name: name, config: {} })],
    ['constraint', (name: string) => constraints.get(name), (name: string) => constraints.deserialize({ class_name: name, config: {} })],
    ['activation function', (name: string) => activations.get(name), (name: string) => activations.deserialize({ class_name: name })],
  ] as const;

  for (const [kind, get, deserialize] of modules) {
    it(`${kind}: a name Object.prototype has is unknown, by name and by config`, () => {
      for (const name of PROTOTYPE_KEYS) {
        expect(() => get(name), name).toThrow(UnknownIdentifierError);
        expect(() => get(name), name).toThrow(`Could not interpret ${kind} identifier`);
        expect(() => deserialize(name), name).toThrow(UnknownIdentifierError);
      }
    });
  }

  it('optimizer names are case-insensitive, as in Keras; the others are exact', () => {
    expect(optimizers.get('rmsPROP').class_name).toBe('RMSprop');
    expect(optimizers.deserialize({ class_name: 'adam', config: { learning_rate: 0.5 } }).learning_rate).toBe(0.5);
    expect(() => losses.get('Mse')).toThrow("Could not interpret loss identifier: 'Mse'. Did you mean 'mse'?");
    expect(() => metrics.get('Auc')).toThrow("Could not interpret metric identifier: 'Auc'. Did you mean 'auc'?");
  });

  it('a malformed constraint config gets the Keras error, not a TypeError', () => {
    expect(() => constraints.deserialize(3 as never)).toThrow('Could not interpret constraint identifier: 3.');
    expect(() => constraints.deserialize({ config: {} } as never)).toThrow('Could not interpret constraint identifier: {config: {}}.');
  });

  it('serialize names a built-in by its Keras class name, a user subclass by its own (metrics, initializers)', () => {
    const before = tf.memory().numTensors;
    class MyAccuracy extends metrics.BinaryAccuracy {}
    const builtIn = metrics.BinaryAccuracy();
    const mine = new MyAccuracy();
    expect(metrics.serialize(builtIn)).toMatchObject({ module: 'keras.metrics', class_name: 'BinaryAccuracy', registered_name: null });
    expect(metrics.serialize(mine).class_name).toBe('MyAccuracy');
    builtIn.dispose();
    mine.dispose();
    class MyZeros extends initializers.Zeros {}
    expect(initializers.serialize(new MyZeros()).class_name).toBe('MyZeros');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('losses, regularizers and constraints name a subclass after the built-in it extends', () => {
    class MyHuber extends losses.Huber {}
    class MyL2 extends regularizers.L2 {}
    class MyMaxNorm extends constraints.MaxNorm {}
    expect(losses.serialize(new MyHuber()).class_name).toBe('Huber');
    expect(regularizers.serialize(new MyL2(0.1))).toMatchObject({ class_name: 'L2', registered_name: null });
    expect(constraints.serialize(new MyMaxNorm(3)).class_name).toBe('MaxNorm');
  });
});
