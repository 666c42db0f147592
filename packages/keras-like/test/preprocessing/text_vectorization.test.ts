import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras, TextVectorization } from 'keras-like';
import { KerasTensor } from '../../src/layers/keras_tensor.js';

describe('TextVectorization', () => {
  it("gives Keras 3's documented and tested outputs (text_vectorization.py docstring, text_vectorization_test.py)", () => {
    const layer = TextVectorization({ max_tokens: 5000, output_mode: 'int', output_sequence_length: 4 });
    layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    const out = layer.apply([['foo qux bar'], ['qux baz']]);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([[4, 1, 3, 0], [1, 2, 0, 0]]);
    // Counts 2, 2, 1, 1, 1; equal counts sorted by the token, descending.
    expect(layer.get_vocabulary()).toEqual(['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
    expect(layer.get_vocabulary(false)).toEqual(['baz', 'bar', 'foo', 'boom', 'bada']);
    expect(layer.vocabulary_size()).toBe(7);
    out.dispose();

    const fixed = keras.layers.TextVectorization({ max_tokens: 5000, output_sequence_length: 4, vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(fixed.get_vocabulary()).toEqual(['', '[UNK]', 'earth', 'wind', 'and', 'fire']);
    const set = TextVectorization({ output_sequence_length: 4 });
    set.set_vocabulary(['baz', 'bar', 'foo']);
    const o = set.apply([['foo qux bar'], ['qux baz']]);
    expect(o.arraySync()).toEqual([[4, 1, 3, 0], [1, 2, 0, 0]]);
    o.dispose();
  });

  it('standardizes as tf.strings: ASCII lowercasing, ASCII punctuation, whitespace runs', () => {
    const layer = TextVectorization({ vocabulary: ['hello', 'world', "don't", 'dont', 'ünï'] });
    // "Don't" loses its apostrophe (Keras's class includes '); 'Ünï' keeps its capital (ASCII-only lower).
    const out = layer.apply(["  Hello,\tWORLD!  Don't  ", 'Ünï ünï']);
    expect(out.arraySync()).toEqual([[2, 3, 5], [1, 6, 0]]);
    out.dispose();
  });

  it('pads int rows at the end to the longest row, or cuts them to output_sequence_length', () => {
    const layer = TextVectorization({ vocabulary: ['a', 'b'] });
    const out = layer.apply(['a', 'a b a c']);
    expect(out.arraySync()).toEqual([[2, 0, 0, 0], [2, 3, 2, 1]]);
    const cut = TextVectorization({ vocabulary: ['a', 'b'], output_sequence_length: 2 }).apply(['a b a']);
    expect(cut.arraySync()).toEqual([[2, 3]]);
    tf.dispose([out, cut]);
  });

  it('multi_hot, count and tf_idf rows (index 0 is OOV), by hand', () => {
    const texts = ['a b a', 'b c', 'a'];
    // Counts: a 3, b 2, c 1 → vocabulary [UNK], a, b, c. Documents containing: a 2, b 2, c 1; N = 3.
    const multi = TextVectorization({ output_mode: 'multi_hot' });
    multi.adapt(texts);
    expect(multi.get_vocabulary()).toEqual(['[UNK]', 'a', 'b', 'c']);
    const m = multi.apply(['a a z', 'c']);
    expect(m.arraySync()).toEqual([[1, 1, 0, 0], [0, 0, 0, 1]]);
    const count = TextVectorization({ output_mode: 'count', pad_to_max_tokens: true, max_tokens: 6 });
    count.adapt(texts);
    const c = count.apply(['a a z b']);
    expect(c.arraySync()).toEqual([[1, 2, 1, 0, 0, 0]]);
    const tfidf = TextVectorization({ output_mode: 'tf_idf' });
    tfidf.adapt(texts);
    const idfA = Math.log(1 + 3 / 3);
    const idfC = Math.log(1 + 3 / 2);
    const idfOov = (idfA + idfA + idfC) / 3; // the mean of the learnt idfs
    const t = tfidf.apply(['a a z c']);
    const row = (t.arraySync() as number[][])[0]!;
    [idfOov, 2 * idfA, 0, idfC].forEach((v, i) => expect(row[i]).toBeCloseTo(v, 6));
    tf.dispose([m, c, t]);
  });

  it('adapts on an iterable of batches with steps, on character splits and on ngrams', () => {
    function* endless() {
      for (;;) yield ['hello world', 'foo bar'];
    }
    const layer = TextVectorization();
    layer.adapt(endless(), { steps: 3 });
    expect(layer.get_vocabulary(false)).toEqual(['world', 'hello', 'foo', 'bar']);
    const chars = TextVectorization({ split: 'character', standardize: null });
    chars.adapt(['abca']);
    expect(chars.get_vocabulary(false)).toEqual(['a', 'c', 'b']);
    const grams = TextVectorization({ ngrams: 2, vocabulary: ['a', 'b', 'a b'] });
    const g = grams.apply(['a b c']);
    // tf.strings.ngrams: 1-grams then 2-grams.
    expect(g.arraySync()).toEqual([[2, 3, 1, 4, 1]]);
    g.dispose();
  });

  it('is a non-trainable layer without weights; compute_output_shape follows the mode', () => {
    const layer = TextVectorization({ output_sequence_length: 5, vocabulary: ['x'] });
    expect(layer.weights).toEqual([]);
    expect(layer.compute_output_shape([null])).toEqual([null, 5]);
    expect(TextVectorization({ output_mode: 'count', vocabulary: ['x', 'y'] }).compute_output_shape([8])).toEqual([8, 3]);
    expect(layer.get_config()).toMatchObject({ name: layer.name, output_mode: 'int', output_sequence_length: 5, vocabulary: ['x'], vocabulary_size: 3 });
  });

  it('fails at the call on bad input, in Keras\'s words', () => {
    expect(() => TextVectorization({ output_mode: 'multi_hot', output_sequence_length: 3 })).toThrow(
      "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received output_sequence_length=3.",
    );
    expect(() => TextVectorization({ ragged: true })).toThrow('`ragged=True` can only be used with the TensorFlow backend.');
    expect(() => TextVectorization({ output_mode: 'onehot' } as never)).toThrow("TextVectorization: `output_mode` must be one of 'int', 'multi_hot', 'count', 'tf_idf'. Received: output_mode='onehot'");
    expect(() => TextVectorization({ output_mode: 'tf_idf', vocabulary: ['a'] })).toThrow('the `idf_weights` argument must also be provided');
    expect(() => TextVectorization({ vocabulary: ['a'] }).adapt(['a'])).toThrow('Cannot adapt layer');
    expect(() => TextVectorization({ max_tokens: 3, vocabulary: ['a', 'b'] })).toThrow(
      'Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is 4; `max_tokens` is 3.',
    );
    expect(() => TextVectorization().apply([['a', 'b']] as never)).toThrow('the input rank must be 1 or the last shape dimension must be 1');
    expect(() => TextVectorization({ output_mode: 'count' }).apply(['a'])).toThrow('you must set the layer\'s vocabulary before calling it');
    expect(() => TextVectorization().apply(tf.tensor([1]))).toThrow('takes strings. Received a tensor of dtype float32.');
  });

  it('is called like a function, as in Python, and refuses a symbolic call', () => {
    const layer = TextVectorization({ vocabulary: ['a', 'b'] });
    const out = layer(['b a']);
    expect(out.arraySync()).toEqual([[3, 2]]);
    out.dispose();
    expect(() => layer.apply(new KerasTensor([null, 1]))).toThrow('runs on strings, before the model');
  });

  it('reads string tensors and leaves no tensor behind', () => {
    const layer = TextVectorization({ vocabulary: ['a'] });
    const input = tf.tensor1d(['a b'], 'string');
    const before = tf.memory().numTensors;
    layer.apply(input).dispose();
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });
});

describe('TextVectorization serialization', () => {
  // Keras 3.16's TextVectorization.get_config keys (layers/preprocessing/text_vectorization.py), after
  // Layer's name, trainable, dtype. Keras's layer needs TensorFlow, which this machine's Keras lacks:
  // the keys are read from its source, not from a file it wrote.
  const KERAS_KEYS = ['name', 'trainable', 'dtype', 'max_tokens', 'standardize', 'split', 'ngrams', 'output_mode', 'output_sequence_length', 'pad_to_max_tokens', 'sparse', 'ragged', 'vocabulary', 'idf_weights', 'encoding', 'vocabulary_size'];

  it('is found by keras.layers.deserialize, and a layer given its vocabulary round-trips with it', () => {
    const layer = TextVectorization({ max_tokens: 10, vocabulary: ['the', 'cat', 'sat'], output_sequence_length: 4, name: 'tv' });
    const serialized = keras.layers.serialize(layer);
    expect(serialized).toMatchObject({ module: 'keras.layers', class_name: 'TextVectorization', registered_name: null });
    expect(Object.keys(serialized.config)).toEqual(KERAS_KEYS);
    const back = keras.layers.deserialize(serialized) as TextVectorization;
    expect(back).toBeInstanceOf(keras.layers.TextVectorization);
    expect(back.get_config()).toEqual(layer.get_config());
    const [a, b] = [layer.apply(['the cat sat on the mat']), back.apply(['the cat sat on the mat'])];
    expect(b.arraySync()).toEqual(a.arraySync());
    expect(a.arraySync()).toEqual([[2, 3, 4, 1]]);
    tf.dispose([a, b]);
  });

  it('tf_idf keeps its idf weights in the config when they were given', () => {
    const layer = TextVectorization({ output_mode: 'tf_idf', vocabulary: ['a', 'b'], idf_weights: [0.5, 0.25] });
    const back = keras.layers.TextVectorization.from_config(layer.get_config());
    const [x, y] = [layer.apply(['a b b z']), back.apply(['a b b z'])];
    expect(y.arraySync()).toEqual(x.arraySync());
    tf.dispose([x, y]);
  });

  it("an adapted vocabulary is not in the config, as in Keras (Keras keeps it in the .keras file's assets)", () => {
    const layer = TextVectorization();
    layer.adapt(['a b b', 'c']);
    expect(layer.get_config()).toMatchObject({ vocabulary: null, vocabulary_size: 5 });
    expect(keras.layers.TextVectorization.from_config(layer.get_config()).get_vocabulary()).toEqual(['', '[UNK]']);
  });
});
