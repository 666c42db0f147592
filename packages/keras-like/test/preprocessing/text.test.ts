import 'keras-like';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { keras, one_hot, Tokenizer, tokenizer_from_json } from 'keras-like';
import { hashing_trick, text_to_word_sequence } from '../../src/preprocessing/text/index.js';
import { pythonStringHash } from '../../src/preprocessing/text/python_hash.js';
import { closeTo, golden } from './golden.js';

describe('text_to_word_sequence', () => {
  it("splits as Keras 3's legacy text_to_word_sequence does", () => {
    for (const { kwargs, texts, result } of golden.text_to_word_sequence) {
      expect(texts.map((t) => text_to_word_sequence(t, kwargs))).toEqual(result);
    }
  });
  it('takes filters, lower and split positionally, as Python', () => {
    expect(text_to_word_sequence('A-b c', '-', false)).toEqual(['A', 'b', 'c']);
  });
  it('rejects a bad option with a Keras-worded error', () => {
    expect(() => text_to_word_sequence('a', { split: '' })).toThrow('text_to_word_sequence: `split` must be a non-empty string. Received: split=\'\'');
    expect(() => text_to_word_sequence('a', { lowr: true } as never)).toThrow('Did you mean `lower`?');
  });
});

describe('one_hot and hashing_trick', () => {
  it("hash as CPython 3.11+ with PYTHONHASHSEED=0 (values of real Python's hash)", () => {
    // Printed by `PYTHONHASHSEED=0 python3 -c "print(hash('well'), hash('日本'), hash('🙂'))"` (Python 3.11.7).
    expect(pythonStringHash('well')).toBe(-203898982115331432n);
    expect(pythonStringHash('日本')).toBe(6243316497235261705n);
    expect(pythonStringHash('🙂')).toBe(-3580763040787020986n);
  });
  it('give the indices Keras gives (one_hot with PYTHONHASHSEED=0, md5 in any run)', () => {
    for (const { n, texts, result } of golden.one_hot) expect(texts.map((t) => one_hot(t, n))).toEqual(result);
    for (const { n, texts, result } of golden.hashing_trick_md5) {
      expect(texts.map((t) => hashing_trick(t, n, { hash_function: 'md5' }))).toEqual(result);
    }
  });
  it('is reachable as keras.preprocessing.text.one_hot and takes a custom hash', () => {
    expect(keras.preprocessing.text.one_hot('a b', 50)).toEqual(one_hot('a b', { n: 50 }));
    expect(hashing_trick('a bb ccc', 3, { hash_function: (w: string) => w.length })).toEqual([2, 1, 2]);
  });
  it('rejects n < 2 and a non-string text', () => {
    expect(() => one_hot('a', 1)).toThrow('one_hot: `n` must be an integer >= 2 (the size of the hashing space). Received: n=1');
    expect(() => one_hot(3 as never, 5)).toThrow('one_hot: the text must be a string. Received: 3');
  });
});

describe('Tokenizer', () => {
  it.each(golden.tokenizer.map((c) => [JSON.stringify(c.kwargs), c] as const))('matches Keras 3 with %s', (_, c) => {
    const tokenizer = Tokenizer(c.kwargs);
    tokenizer.fit_on_texts(c.fit_texts);
    expect({ ...tokenizer.word_index }).toEqual(c.word_index);
    expect({ ...tokenizer.index_word }).toEqual(c.index_word);
    expect(Object.entries(tokenizer.word_counts)).toEqual(c.word_counts);
    expect({ ...tokenizer.word_docs }).toEqual(c.word_docs);
    expect({ ...tokenizer.index_docs }).toEqual(c.index_docs);
    expect(tokenizer.document_count).toBe(c.document_count);
    const sequences = tokenizer.texts_to_sequences(c.queries);
    expect(sequences).toEqual(c.texts_to_sequences);
    expect(tokenizer.sequences_to_texts([...sequences, [1, 2, 3, 99]])).toEqual(c.sequences_to_texts);
    for (const mode of ['binary', 'count', 'tfidf', 'freq'] as const) {
      const m = tokenizer.texts_to_matrix(c.queries, mode);
      const s = tokenizer.sequences_to_matrix([[1, 2, 2, 3], [], [4, 4, 4, 1]], { mode });
      closeTo(m.arraySync(), c.texts_to_matrix[mode], `texts_to_matrix ${mode}`);
      closeTo(s.arraySync(), c.sequences_to_matrix[mode], `sequences_to_matrix ${mode}`);
      tf.dispose([m, s]);
    }
    // Keras's JSON string, field by field (word_docs follows a Python set's order, so it is compared parsed).
    const ours = JSON.parse(tokenizer.to_json()) as { class_name: string; config: Record<string, unknown> };
    const keras3 = JSON.parse(c.to_json) as typeof ours;
    expect(ours.class_name).toBe('Tokenizer');
    for (const [key, value] of Object.entries(keras3.config)) {
      if (key === 'word_docs' || key === 'index_docs') expect(JSON.parse(ours.config[key] as string)).toEqual(JSON.parse(value as string));
      else expect([key, ours.config[key]]).toEqual([key, value]);
    }
  });

  it('round-trips through to_json and reads the JSON Keras wrote', () => {
    const c = golden.tokenizer[2]!;
    const restored = tokenizer_from_json(c.to_json);
    expect(restored.num_words).toBe(5);
    expect(restored.texts_to_sequences(c.queries)).toEqual(c.texts_to_sequences);
    const again = tokenizer_from_json(restored.to_json());
    expect(again.texts_to_sequences(c.queries)).toEqual(c.texts_to_sequences);
  });

  it('accepts pre-split texts and fit_on_sequences for tfidf, as Keras', () => {
    const t = new Tokenizer();
    t.fit_on_texts([['A', 'b'], ['b']]);
    expect({ ...t.word_index }).toEqual({ b: 1, a: 2 });
    t.fit_on_sequences([[1], [1, 2]]);
    expect(t.document_count).toBe(4);
    expect({ ...t.index_docs }).toEqual({ 1: 4, 2: 2 });
  });

  it('keeps words like "constructor" and "__proto__" as plain words', () => {
    const t = Tokenizer();
    t.fit_on_texts(['constructor __proto__ constructor']);
    expect(t.word_index.constructor).toBe(1);
    expect(t.texts_to_sequences(['__proto__ toString'])).toEqual([[2]]);
  });

  it('fails at the call that received bad input, in Keras\'s words', () => {
    expect(() => Tokenizer({ num_words: 0 })).toThrow('Tokenizer: `num_words` must be a positive integer or null. Received: num_words=0');
    expect(() => Tokenizer({ oov: 'x' } as never)).toThrow("Unrecognized keyword arguments passed to Tokenizer: {'oov': 'x'}");
    const t = Tokenizer();
    expect(() => t.fit_on_texts('the cat' as never)).toThrow('a single string would be read as one text per character');
    expect(() => t.sequences_to_matrix([[1]])).toThrow('Specify a dimension (`num_words` argument), or fit on some text data first.');
    expect(() => Tokenizer({ num_words: 3 }).sequences_to_matrix([[1]], 'tfidf')).toThrow('Fit the Tokenizer on some data before using tfidf mode.');
    expect(() => Tokenizer({ num_words: 3 }).sequences_to_matrix([[1]], 'tf-idf' as never)).toThrow(
      "sequences_to_matrix: `mode` must be one of 'binary', 'count', 'tfidf', 'freq'. Received: mode='tf-idf'",
    );
  });

  it('leaves no tensor behind', () => {
    const t = Tokenizer({ num_words: 4 });
    t.fit_on_texts(['a b c', 'a b']);
    const before = tf.memory().numTensors;
    t.texts_to_matrix(['a c']).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
