/**
 * Every layer's serialized form against real Keras 3 (test/fixtures/keras/layer_configs.json,
 * written by scripts/keras-golden/layer_configs.py): each layer keras-like registers, made with
 * Keras's defaults and with a few non-default arguments, built on the same input shape, then
 * `keras.layers.serialize(layer)` must equal `keras.saving.serialize_keras_object(layer)` of
 * Keras 3.16 (module, class_name, config, build_config, registered_name): same keys, same values.
 * `clear_session()` before each case, as the script, so default names agree too.
 * Then the other way: Keras's serialized form deserialized by keras-like serializes back to itself
 * (from_config reads every key Keras writes).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clear_session } from '../../src/backend/index.js';
import { initBackend } from '../../src/backend/kernels.js';
import * as layers from '../../src/layers/index.js';
import type { Layer, Shape } from '../../src/layers/index.js';
import { loadFixture, type GoldenCase } from './golden.js';

await initBackend();

interface LayerSpec {
  class_name: string;
  args: Record<string, unknown>;
}

interface ConfigCase extends GoldenCase, LayerSpec {
  input_shape: Shape | Shape[] | null;
  serialized: Record<string, unknown>;
}

const fixture = loadFixture<ConfigCase>('layer_configs');

type Factory = (args: Record<string, unknown>) => Layer;
const factories = layers as unknown as Record<string, Factory>;

/** The layer made from the case's keyword arguments; a wrapped layer ({class_name, args}) first. */
function make(spec: LayerSpec): Layer {
  const args: Record<string, unknown> = { ...spec.args };
  for (const key of ['layer', 'cell', 'backward_layer']) {
    const inner = args[key];
    if (inner !== null && typeof inner === 'object' && 'class_name' in inner) args[key] = make(inner as LayerSpec);
  }
  const factory = factories[spec.class_name];
  if (typeof factory !== 'function') throw new Error(`keras-like has no layers.${spec.class_name}`);
  return factory(args);
}

function built(c: ConfigCase): Layer {
  clear_session();
  const layer = make(c);
  if (c.input_shape !== null) layer.build(c.input_shape as never);
  return layer;
}

/** JSON's view of a value: what config.json would hold. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('layer configs as Keras 3.16 writes them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = tf.memory().numTensors;
    const layer = built(c);
    expect(asJson(layers.serialize(layer))).toEqual(c.serialized);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: from Keras\'s config and back', (_name, c) => {
    clear_session();
    const layer = layers.deserialize(c.serialized);
    if (c.input_shape !== null) layer.build(c.input_shape as never);
    expect(asJson(layers.serialize(layer))).toEqual(c.serialized);
    layer.dispose();
  });

  // What keras-like wrote before it matched Keras 3.16 (files of earlier versions exist): Dense's
  // `activity_regularizer: null` and no `quantization_config`, BatchNormalization's initializers as
  // names and no renorm keys, Bidirectional's layers without build_config, SpatialDropout's
  // DTypePolicy. Each still loads, and serializes as Keras does.
  const older: Record<string, (config: Record<string, unknown>) => Record<string, unknown>> = {
    Dense: ({ quantization_config: _q, ...config }) => ({ ...config, activity_regularizer: config.activity_regularizer ?? null }),
    BatchNormalization: ({ renorm: _r, renorm_clipping: _c, renorm_momentum: _m, ...config }) => {
      const names: Record<string, string> = { Zeros: 'zeros', Ones: 'ones' };
      for (const key of ['beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer']) {
        config[key] = names[(config[key] as { class_name: string }).class_name];
      }
      return config;
    },
    Bidirectional: (config) => {
      const strip = ({ build_config: _b, ...inner }: Record<string, unknown>) => inner;
      return { ...config, layer: strip(config.layer as Record<string, unknown>), backward_layer: strip(config.backward_layer as Record<string, unknown>) };
    },
    SpatialDropout1D: (config) => ({ ...config, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null } }),
  };
  const olderCases = fixture.cases.filter((c) => c.class_name in older);
  it.each(olderCases.map((c) => [c.name, c] as const))('%s: the config an earlier keras-like wrote loads', (_name, c) => {
    clear_session();
    const config = older[c.class_name]!(structuredClone(c.serialized.config) as Record<string, unknown>);
    const layer = layers.deserialize({ ...c.serialized, config });
    if (c.input_shape !== null) layer.build(c.input_shape as never);
    expect(asJson(layers.serialize(layer))).toEqual(c.serialized);
    layer.dispose();
  });
});
