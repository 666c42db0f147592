/**
 * `padding` and `data_format` of the convolution and pooling layers, against real Keras 3
 * (test/fixtures/keras/option_literals.json, written by scripts/keras-golden/option_literals.py):
 * which spellings each constructor takes and what its config then holds; and, at compile time,
 * that the option types are Keras's literals (the `// @ts-expect-error` lines fail the repository's
 * type-check if a wrong literal ever type-checks).
 */
import { describe, expect, it } from 'vitest';
import { keras, Conv1D, Conv2D, MaxPooling2D, ValueError } from 'keras-like';
import { loadFixture, type GoldenCase } from './golden.js';

interface LiteralCase extends GoldenCase {
  layer: string;
  kwargs: Record<string, number>;
  key: 'padding' | 'data_format';
  value: string;
  accepted: boolean;
  config_value?: string;
  error?: string;
  message?: string;
}

const fixture = loadFixture<LiteralCase>('option_literals');
const POOLING = /Pooling[12]D$/;

/** keras.layers[name]({ ...kwargs, key: value }), called as a JavaScript user would (no types). */
function construct(c: LiteralCase): keras.layers.Layer {
  const make = (keras.layers as unknown as Record<string, (options: Record<string, unknown>) => keras.layers.Layer>)[c.layer]!;
  return make({ ...c.kwargs, [c.key]: c.value });
}

describe('padding and data_format spellings, as Keras 3.16 takes them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const lowered = c.value.toLowerCase();
    // Keras's pooling layers keep `padding` as given, unchecked, and its op reads anything but
    // 'same' as 'valid'. keras-like checks it at the constructor, as Keras's convolutions do, and
    // keeps it lowered: 'full' and 'causal' fail there, and 'SAME' is written 'same' in the config.
    const poolingPadding = POOLING.test(c.layer) && c.key === 'padding';
    const kerasLikeAccepts = poolingPadding ? lowered === 'valid' || lowered === 'same' : c.accepted;
    if (kerasLikeAccepts) {
      const layer = construct(c);
      expect(layer.get_config()[c.key]).toBe(poolingPadding ? lowered : c.config_value);
      layer.dispose();
    } else {
      const allowed = c.key === 'data_format' ? "{'channels_first', 'channels_last'}" : c.layer === 'Conv1D' ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}";
      expect(() => construct(c)).toThrow(ValueError);
      expect(() => construct(c)).toThrow(`${c.layer}: \`${c.key}\` must be one of ${allowed}. Received: ${c.key}='${c.value}'`);
      if (!poolingPadding) expect(c.error).toBe('ValueError');
    }
  });
});

describe('the option types are the literals Keras accepts', () => {
  it('lower- and upper-case literals type-check and construct', () => {
    const layers = [
      Conv2D(8, 3, { padding: 'same', data_format: 'channels_last' }),
      Conv2D(8, 3, 1, 'SAME'),
      Conv1D(4, 3, { padding: 'causal' }),
      Conv1D(4, 3, 1, 'CAUSAL'),
      keras.layers.Conv2DTranspose(4, 3, 2, 'same'),
      keras.layers.SeparableConv2D(4, 3, { padding: 'VALID', data_format: 'CHANNELS_FIRST' }),
      keras.layers.DepthwiseConv2D(3, 1, 'same'),
      MaxPooling2D(2, null, 'same', 'channels_first'),
      keras.layers.AveragePooling1D(2, 1, 'SAME', null),
      keras.layers.GlobalAveragePooling2D({ data_format: 'channels_first' }),
      keras.layers.UpSampling2D({ size: 2, data_format: null }),
    ];
    expect(layers.map((l) => l.get_config().padding ?? l.get_config().data_format)).toEqual([
      'same', 'same', 'causal', 'causal', 'same', 'valid', 'same', 'same', 'same', 'channels_first', 'channels_last',
    ]);
    for (const layer of layers) layer.dispose();
  });

  it('a wrong literal is a compile error, and still the Keras-worded ValueError at run time', () => {
    // @ts-expect-error: 'causal' is Conv1D's only
    expect(() => Conv2D(8, 3, { padding: 'causal' })).toThrow("Conv2D: `padding` must be one of {'valid', 'same'}. Received: padding='causal'");
    // @ts-expect-error: not a Keras padding
    expect(() => Conv2D(8, 3, 1, 'full')).toThrow("Conv2D: `padding` must be one of {'valid', 'same'}. Received: padding='full'");
    // @ts-expect-error: TensorFlow.js's name, not Keras's
    expect(() => Conv2D(8, 3, { data_format: 'NHWC' })).toThrow("`data_format` must be one of {'channels_first', 'channels_last'}");
    // @ts-expect-error: not a Keras padding
    expect(() => Conv1D(4, 3, { padding: 'full' })).toThrow("Conv1D: `padding` must be one of {'valid', 'same', 'causal'}. Received: padding='full'");
    // @ts-expect-error: the transposed convolutions have no 'causal'
    expect(() => keras.layers.Conv1DTranspose(4, 3, 1, 'causal')).toThrow("must be one of {'valid', 'same'}");
    // @ts-expect-error: nor do the depthwise ones
    expect(() => keras.layers.DepthwiseConv1D(3, { padding: 'causal' })).toThrow("must be one of {'valid', 'same'}");
    // @ts-expect-error: pooling takes 'valid' or 'same'
    expect(() => MaxPooling2D(2, null, 'causal')).toThrow("MaxPooling2D: `padding` must be one of {'valid', 'same'}. Received: padding='causal'");
    // @ts-expect-error: a data format is a Keras name
    expect(() => keras.layers.AveragePooling2D(2, null, 'valid', 'NCHW')).toThrow("`data_format` must be one of {'channels_first', 'channels_last'}");
    // @ts-expect-error: a data format is a Keras name
    expect(() => keras.layers.ZeroPadding2D({ data_format: 'last' })).toThrow("`data_format` must be one of {'channels_first', 'channels_last'}");
  });
});
