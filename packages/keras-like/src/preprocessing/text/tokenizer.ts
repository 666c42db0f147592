/**
 * `keras.preprocessing.text.Tokenizer`: TF2's word index over a corpus (Keras 3 keeps it in
 * `keras/src/legacy/preprocessing/text.py`; the Keras 3 spelling is `layers.TextVectorization`).
 *
 * `fit_on_texts` counts words; `word_index` numbers them from 1 by decreasing count (ties in
 * order of first appearance; 0 is never a word), with `oov_token`, when given, at 1.
 * `texts_to_sequences` maps texts to those indices, keeping only indices below `num_words`
 * (the others become `oov_token`'s index, or are dropped when there is none).
 * `sequences_to_matrix` writes one row per sequence of width `num_words`
 * (or `len(word_index) + 1`): `binary` 1 where a word occurs, `count`, `freq` = count / length,
 * `tfidf` = (1 + ln count) · ln(1 + documents / (1 + documents containing the word)).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs, parseOptions } from '../../options/parse.js';
import { repr } from '../../options/repr.js';
import { callable } from '../../utils/callable.js';
import { dict, type PyJson, pythonJsonDumps } from './python_json.js';
import { splitOptionsSchema, splitWords } from './text_to_word_sequence.js';

const tokenizerSchema = splitOptionsSchema.extend({
  num_words: z
    .number({ message: 'must be a positive integer or null' })
    .int({ message: 'must be a positive integer or null' })
    .positive({ message: 'must be a positive integer or null' })
    .nullable()
    .default(null),
  char_level: z.boolean({ message: 'must be a boolean' }).default(false),
  oov_token: z.string({ message: 'must be a string or null' }).nullable().default(null),
  analyzer: z
    .custom<(text: string) => string[]>((v) => typeof v === 'function', { message: 'must be a function from a text to its words, or null' })
    .nullable()
    .default(null),
  document_count: z.number().int().nonnegative().default(0),
});
export type TokenizerOptions = KerasOptions<typeof tokenizerSchema>;

const modeSchema = z.object({
  mode: z.enum(['binary', 'count', 'tfidf', 'freq'], { message: "must be one of 'binary', 'count', 'tfidf', 'freq'" }).default('binary'),
});
export type MatrixMode = z.output<typeof modeSchema>['mode'];
export type MatrixOptions = KerasOptions<typeof modeSchema>;

/** A text is a string, or a list of words already split (as Keras accepts). */
export type Text = string | readonly string[];

/** A plain object without a prototype, so a word like `constructor` is just a word. */
function record<V>(entries: Iterable<readonly [string | number, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[String(k)] = v;
  return out;
}

export class TokenizerClass {
  num_words: number | null;
  filters: string;
  lower: boolean;
  split: string;
  char_level: boolean;
  oov_token: string | null;
  analyzer: ((text: string) => string[]) | null;
  document_count: number;
  /** Word → index (from 1), as Keras's dict. */
  word_index: Record<string, number> = record([]);
  /** Index → word. */
  index_word: Record<number, string> = record([]);
  // Insertion-ordered, as Python's dicts: to_json writes them in this order.
  private _wordCounts = new Map<string, number>();
  private _wordDocs = new Map<string, number>();
  private _indexDocs = new Map<number, number>();

  /**
   * @param options.num_words Keep only the `num_words - 1` most frequent words in
   *   `texts_to_sequences` / matrices. Defaults to null (all words).
   * @param options.filters Characters removed from texts. Defaults to punctuation, tab and newline.
   * @param options.lower Lowercase the texts. Defaults to true.
   * @param options.split Word separator. Defaults to `' '`.
   * @param options.char_level Every character is a token. Defaults to false.
   * @param options.oov_token Added to `word_index` at index 1 and used for out-of-vocabulary words.
   */
  constructor(...args: [TokenizerOptions?] | [number | null, TokenizerOptions?]) {
    const o = parseArgs('Tokenizer', tokenizerSchema, ['num_words'], args);
    this.num_words = o.num_words;
    this.filters = o.filters;
    this.lower = o.lower;
    this.split = o.split;
    this.char_level = o.char_level;
    this.oov_token = o.oov_token;
    this.analyzer = o.analyzer;
    this.document_count = o.document_count;
  }

  /** Word → number of occurrences over the fitted texts, in order of first appearance. */
  get word_counts(): Record<string, number> {
    return record(this._wordCounts);
  }
  /** Word → number of texts it occurs in. */
  get word_docs(): Record<string, number> {
    return record(this._wordDocs);
  }
  /** Word index → number of texts it occurs in. */
  get index_docs(): Record<number, number> {
    return record(this._indexDocs);
  }

  /** Counts the words of `texts` and rebuilds `word_index` (texts may be fitted in several calls). */
  fit_on_texts(texts: Iterable<Text>): void {
    for (const text of checkTexts('fit_on_texts', texts)) {
      this.document_count += 1;
      const words = this.wordsOf(text);
      for (const w of words) this._wordCounts.set(w, (this._wordCounts.get(w) ?? 0) + 1);
      for (const w of new Set(words)) this._wordDocs.set(w, (this._wordDocs.get(w) ?? 0) + 1);
    }
    // A stable sort by decreasing count: equal counts keep their order of first appearance, as Python's.
    const sorted = [...this._wordCounts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocabulary = this.oov_token === null ? sorted : [this.oov_token, ...sorted];
    this.word_index = record(vocabulary.map((w, i) => [w, i + 1] as const));
    this.index_word = record(vocabulary.map((w, i) => [i + 1, w] as const));
    // The oov_token is listed first; a word equal to it keeps the later index, as Python's dict.
    for (const [w, docs] of this._wordDocs) this._indexDocs.set(this.word_index[w]!, docs);
  }

  /** Counts, for tfidf, the texts each index occurs in, from sequences instead of texts. */
  fit_on_sequences(sequences: ReadonlyArray<readonly number[]>): void {
    this.document_count += sequences.length;
    for (const seq of sequences) {
      for (const i of new Set(seq)) this._indexDocs.set(i, (this._indexDocs.get(i) ?? 0) + 1);
    }
  }

  /** Each text as the list of its word indices (see the class comment for `num_words`, `oov_token`). */
  texts_to_sequences(texts: Iterable<Text>): number[][] {
    return Array.from(this.texts_to_sequences_generator(texts));
  }

  *texts_to_sequences_generator(texts: Iterable<Text>): Generator<number[]> {
    const oovIndex = this.oov_token === null ? undefined : this.word_index[this.oov_token];
    for (const text of checkTexts('texts_to_sequences', texts)) {
      const sequence: number[] = [];
      for (const w of this.wordsOf(text)) {
        const i = this.word_index[w];
        if (i !== undefined && !(this.num_words && i >= this.num_words)) sequence.push(i);
        else if (this.oov_token !== null && oovIndex !== undefined) sequence.push(oovIndex);
      }
      yield sequence;
    }
  }

  /** The inverse of `texts_to_sequences`: words joined by spaces (unknown indices dropped or OOV). */
  sequences_to_texts(sequences: Iterable<Iterable<number>>): string[] {
    const oovIndex = this.oov_token === null ? undefined : this.word_index[this.oov_token];
    const oovWord = oovIndex === undefined ? undefined : this.index_word[oovIndex];
    return Array.from(sequences, (seq) => {
      const words: string[] = [];
      for (const i of seq) {
        const word = this.index_word[i];
        if (word !== undefined && !(this.num_words && i >= this.num_words)) words.push(word);
        else if (this.oov_token !== null && oovWord !== undefined) words.push(oovWord);
      }
      return words.join(' ');
    });
  }

  /** `sequences_to_matrix(texts_to_sequences(texts), mode)`. */
  texts_to_matrix(texts: Iterable<Text>, ...args: [MatrixOptions?] | [MatrixMode]): tf.Tensor2D {
    const { mode } = parseArgs('texts_to_matrix', modeSchema, ['mode'], args);
    return this.sequences_to_matrix(this.texts_to_sequences(texts), mode);
  }

  /** A float32 matrix [sequences, num_words]: see the class comment for the four modes. */
  sequences_to_matrix(sequences: ReadonlyArray<readonly number[]>, ...args: [MatrixOptions?] | [MatrixMode]): tf.Tensor2D {
    const { mode } = parseArgs('sequences_to_matrix', modeSchema, ['mode'], args);
    let width = this.num_words;
    if (!width) {
      if (Object.keys(this.word_index).length === 0) {
        throw new ValueError('Specify a dimension (`num_words` argument), or fit on some text data first.');
      }
      width = Object.keys(this.word_index).length + 1;
    }
    if (mode === 'tfidf' && !this.document_count) {
      throw new ValueError('Fit the Tokenizer on some data before using tfidf mode.');
    }
    const x = new Float32Array(sequences.length * width);
    sequences.forEach((seq, row) => {
      const counts = new Map<number, number>();
      for (const j of seq) {
        if (!Number.isInteger(j) || j < 0) {
          throw new ValueError(`sequences_to_matrix: indices must be non-negative integers. Received: sequences[${row}] holds ${repr(j)}`);
        }
        if (j < width) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      for (const [j, c] of counts) {
        const at = row * width + j;
        if (mode === 'count') x[at] = c;
        else if (mode === 'freq') x[at] = c / seq.length;
        else if (mode === 'binary') x[at] = 1;
        else x[at] = (1 + Math.log(c)) * Math.log(1 + this.document_count / (1 + (this._indexDocs.get(j) ?? 0)));
      }
    });
    return tf.tensor2d(x, [sequences.length, width], 'float32');
  }

  /** Keras's config: the options, and the fitted dicts as JSON strings (as Keras writes them). */
  get_config(): Record<string, string | number | boolean | null> {
    return {
      num_words: this.num_words,
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      char_level: this.char_level,
      oov_token: this.oov_token,
      document_count: this.document_count,
      word_counts: pythonJsonDumps(dict(this._wordCounts)),
      word_docs: pythonJsonDumps(dict(this._wordDocs)),
      index_docs: pythonJsonDumps(dict(this._indexDocs)),
      index_word: pythonJsonDumps(dict(indexOrder(this.index_word))),
      word_index: pythonJsonDumps(dict(indexOrder(this.index_word).map(([i, w]) => [w, i] as const))),
    };
  }

  /** `{"class_name": "Tokenizer", "config": ...}` as the string Keras's `to_json()` writes; see `tokenizer_from_json`. */
  to_json(): string {
    const config = this.get_config();
    return pythonJsonDumps(dict([['class_name', 'Tokenizer'], ['config', dict(Object.entries(config) as Array<[string, PyJson]>)]]));
  }

  /** Restores the fitted state from a config (`tokenizer_from_json`). */
  static fromSavedState(config: Record<string, unknown>): TokenizerClass {
    const { word_counts, word_docs, index_docs, word_index, index_word, ...options } = config;
    const tokenizer = new TokenizerClass(parseOptions('tokenizer_from_json', tokenizerSchema, options));
    tokenizer._wordCounts = new Map(Object.entries(parseJsonObject<number>(word_counts, 'word_counts')));
    tokenizer._wordDocs = new Map(Object.entries(parseJsonObject<number>(word_docs, 'word_docs')));
    tokenizer._indexDocs = new Map(Object.entries(parseJsonObject<number>(index_docs, 'index_docs')).map(([k, v]) => [Number(k), v]));
    tokenizer.word_index = record(Object.entries(parseJsonObject<number>(word_index, 'word_index')));
    tokenizer.index_word = record(Object.entries(parseJsonObject<string>(index_word, 'index_word')));
    return tokenizer;
  }

  private wordsOf(text: Text): readonly string[] {
    if (typeof text !== 'string') return this.lower ? text.map((w) => w.toLowerCase()) : text;
    if (this.char_level) return Array.from(this.lower ? text.toLowerCase() : text);
    if (this.analyzer) return this.analyzer(text);
    return splitWords('Tokenizer', text, this);
  }
}

/** `index_word`'s entries in index order (what Python's insertion order is after a fit). */
function indexOrder(indexWord: Record<number, string>): Array<readonly [number, string]> {
  return Object.entries(indexWord)
    .map(([i, w]) => [Number(i), w] as const)
    .sort((a, b) => a[0] - b[0]);
}

function checkTexts(owner: string, texts: Iterable<Text>): Iterable<Text> {
  if (typeof texts === 'string' || texts === null || typeof texts !== 'object' || !(Symbol.iterator in texts)) {
    throw new ValueError(
      `${owner}: \`texts\` must be a list of texts (strings, or lists of words)` +
        (typeof texts === 'string' ? '; a single string would be read as one text per character' : '') +
        `. Received: ${repr(texts)}`,
    );
  }
  return Array.from(texts, (text, i) => {
    if (typeof text !== 'string' && !(Array.isArray(text) && text.every((w) => typeof w === 'string'))) {
      throw new ValueError(`${owner}: every text must be a string or a list of strings. Received: texts[${i}]=${repr(text)}`);
    }
    return text;
  });
}

function parseJsonObject<V>(value: unknown, key: string): Record<string, V> {
  if (typeof value !== 'string') throw new ValueError(`tokenizer_from_json: \`${key}\` must be a JSON string. Received: ${repr(value)}`);
  return JSON.parse(value) as Record<string, V>;
}

/**
 * Rebuilds a Tokenizer from the string `to_json()` wrote (by Keras or keras-like).
 *
 *   const copy = tokenizer_from_json(tokenizer.to_json());
 */
export function tokenizer_from_json(json_string: string): TokenizerClass {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json_string);
  } catch (error) {
    throw new ValueError(`tokenizer_from_json: \`json_string\` is not JSON (${(error as Error).message}).`);
  }
  const config = (parsed as { config?: unknown } | null)?.config;
  if (typeof config !== 'object' || config === null) {
    throw new ValueError('tokenizer_from_json: `json_string` must hold {"class_name": "Tokenizer", "config": {...}}, as `to_json()` writes.');
  }
  return TokenizerClass.fromSavedState(config as Record<string, unknown>);
}

export const Tokenizer = callable(TokenizerClass);
export type Tokenizer = TokenizerClass;
