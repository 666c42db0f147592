/**
 * `keras.layers.TextVectorization`: strings → token indices or token vectors, the Keras 3
 * spelling of `Tokenizer` + `pad_sequences`. A preprocessing layer: it has no weights and no
 * gradient, and its vocabulary comes from `adapt(texts)` or the `vocabulary` argument.
 *
 * Each text goes through Keras's steps: standardize (`'lower_and_strip_punctuation'`: ASCII
 * lowercasing, as `tf.strings.lower` does, and removal of ASCII punctuation), split
 * (`'whitespace'`: ASCII whitespace runs; `'character'`: code points), ngrams, then lookup:
 *
 * - `output_mode: 'int'`: index 0 is padding (`''`), 1 the OOV token `'[UNK]'`, then the
 *   vocabulary by decreasing count (equal counts: the larger string first, as Keras sorts);
 *   rows are padded with 0 at the end to the longest row or cut to `output_sequence_length`;
 * - `'multi_hot'` / `'count'` / `'tf_idf'`: one row of width `vocabulary_size()` (index 0 is
 *   OOV), 1 where a token occurs / its count / count · idf, with
 *   idf = ln(1 + documents / (1 + documents containing the token)) learnt by `adapt`, and the
 *   OOV slot given the mean idf, as Keras.
 *
 * The layer runs outside the model's tensors (strings are not float32), as Keras recommends
 * for every backend but TensorFlow: vectorize the texts, then `fit` the integer result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { RuntimeError, ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { repr } from '../options/repr.js';
import { callable } from '../utils/callable.js';
import { isSymbolic, type KerasTensor } from './keras_tensor.js';
import { Layer, layerSchema, type CallOptions, type LayerInputs, type Shape } from './layer.js';
import { layerArguments, registerLayerClass } from './serialization.js';

const MASK_TOKEN = '';
const OOV_TOKEN = '[UNK]';
// Keras's punctuation class: r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']' (`,-\.` is the range , - .).
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

type Standardize = (text: string) => string;
type Split = (text: string) => string[];

const fn = <T>(message: string) => z.custom<T>((v) => typeof v === 'function', { message });

const schema = layerSchema.extend({
  max_tokens: z.number({ message: 'must be a positive integer or null' }).int({ message: 'must be a positive integer or null' }).positive({ message: 'must be a positive integer or null' }).nullable().default(null),
  standardize: z
    .union([z.enum(['lower_and_strip_punctuation', 'lower', 'strip_punctuation']), fn<Standardize>('')], {
      message: "must be one of 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function",
    })
    .nullable()
    .default('lower_and_strip_punctuation'),
  split: z
    .union([z.enum(['whitespace', 'character']), fn<Split>('')], { message: "must be one of 'whitespace', 'character', null or a function" })
    .nullable()
    .default('whitespace'),
  ngrams: z
    .union([z.number().int().positive(), z.array(z.number().int().positive())], { message: 'must be None, an integer, or a tuple of integers' })
    .nullable()
    .default(null),
  output_mode: z
    .enum(['int', 'multi_hot', 'count', 'tf_idf', 'binary', 'tf-idf'], { message: "must be one of 'int', 'multi_hot', 'count', 'tf_idf'" })
    .default('int')
    .transform((m) => (m === 'binary' ? 'multi_hot' : m === 'tf-idf' ? 'tf_idf' : m)),
  output_sequence_length: z.number({ message: 'must be either None or an integer' }).int({ message: 'must be either None or an integer' }).positive({ message: 'must be either None or an integer' }).nullable().default(null),
  pad_to_max_tokens: z.boolean({ message: 'must be a boolean' }).default(false),
  vocabulary: z.array(z.string(), { message: 'must be an array of strings (a file path is not supported)' }).nullable().default(null),
  idf_weights: z.array(z.number(), { message: 'must be an array of numbers' }).nullable().default(null),
  sparse: z.boolean().default(false),
  ragged: z.boolean().default(false),
  encoding: z.literal('utf-8', { message: "must be 'utf-8'" }).default('utf-8'),
});
export type TextVectorizationOptions = KerasOptions<typeof schema>;

const adaptSchema = z.object({
  batch_size: z.number().int().positive().nullable().default(null),
  steps: z.number({ message: 'must be a positive integer or null' }).int({ message: 'must be a positive integer or null' }).positive({ message: 'must be a positive integer or null' }).nullable().default(null),
});
export type AdaptOptions = KerasOptions<typeof adaptSchema>;
type OutputMode = 'int' | 'multi_hot' | 'count' | 'tf_idf';

/** What `adapt` and `apply` read: strings, one per text (also `[[text], ...]` or a string tensor). */
export type TextBatch = string | readonly string[] | ReadonlyArray<readonly [string]> | tf.Tensor;

/** Called as a function on strings, as in Python: `vectorize(texts)`. */
export interface TextVectorizationLayer {
  (inputs: TextBatch): tf.Tensor;
}

export class TextVectorizationLayer extends Layer {
  static readonly class_name = 'TextVectorization';
  readonly max_tokens: number | null;
  readonly standardize: string | Standardize | null;
  readonly split: string | Split | null;
  readonly ngrams: number | number[] | null;
  readonly output_mode: OutputMode;
  readonly output_sequence_length: number | null;
  readonly pad_to_max_tokens: boolean;
  private readonly inputVocabulary: string[] | null;
  private readonly inputIdfWeights: number[] | null;
  private tokens: string[] = [];
  private index = new Map<string, number>();
  private idf: Float32Array | null = null;

  /**
   * @param options.max_tokens Vocabulary size cap, special tokens included. Defaults to null.
   * @param options.standardize Defaults to `'lower_and_strip_punctuation'`; a function receives one text.
   * @param options.split Defaults to `'whitespace'`; a function receives one standardized text.
   * @param options.ngrams null, n (1…n-grams) or a list of widths.
   * @param options.output_mode `'int'` (default), `'multi_hot'`, `'count'` or `'tf_idf'`.
   * @param options.output_sequence_length For `'int'`: pad or cut every row to this length.
   * @param options.vocabulary The vocabulary instead of `adapt`.
   */
  constructor(options?: TextVectorizationOptions) {
    const args = parseArgs('TextVectorization', schema, [], [options]);
    if (args.sparse) throw new ValueError('`sparse=True` can only be used with the TensorFlow backend.');
    if (args.ragged) throw new ValueError('`ragged=True` can only be used with the TensorFlow backend.');
    const mode = args.output_mode as OutputMode;
    if (mode !== 'int' && args.output_sequence_length !== null) {
      throw new ValueError(
        `\`output_sequence_length\` must not be set if \`output_mode\` is not 'int'. Received output_sequence_length=${args.output_sequence_length}.`,
      );
    }
    super(args, 'text_vectorization');
    this.max_tokens = args.max_tokens;
    this.standardize = args.standardize;
    this.split = args.split;
    this.ngrams = args.ngrams;
    this.output_mode = mode;
    this.output_sequence_length = args.output_sequence_length;
    this.pad_to_max_tokens = args.pad_to_max_tokens;
    this.inputVocabulary = args.vocabulary;
    this.inputIdfWeights = args.idf_weights;
    if (mode === 'tf_idf' && args.vocabulary !== null && args.idf_weights === null) {
      throw new ValueError('When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.');
    }
    if (args.vocabulary !== null) this.set_vocabulary(args.vocabulary, args.idf_weights);
    this.built = true;
  }

  /** 0 is padding and 1 OOV in `'int'` mode; otherwise 0 is OOV. Learnt tokens start after them. */
  private get tokenStart(): number {
    return this.output_mode === 'int' ? 2 : 1;
  }

  /**
   * Learns the vocabulary (and, for `'tf_idf'`, the idf weights) from texts: an array of
   * strings, `[[text], ...]`, a string tensor, or an iterable of such batches (read for at
   * most `steps` batches when given; `batch_size` is accepted, as Keras, and does nothing).
   */
  adapt(data: TextBatch | Iterable<TextBatch>, options?: AdaptOptions): void {
    const { steps } = parseArgs('TextVectorization.adapt', adaptSchema, ['batch_size', 'steps'], [options]);
    if (this.inputVocabulary !== null) {
      throw new ValueError(`Cannot adapt layer '${this.name}' after setting a static vocabulary via \`vocabulary\` argument or \`set_vocabulary()\` method.`);
    }
    const counts = new Map<string, number>();
    const documentCounts = new Map<string, number>();
    let documents = 0;
    let step = 0;
    for (const batch of batchesOf(data)) {
      // `steps` bounds an endless generator of batches, as in Keras.
      if (steps !== null && step++ >= steps) break;
      for (const tokens of this.preprocess(batch)) {
        documents += 1;
        for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
        for (const t of new Set(tokens)) documentCounts.set(t, (documentCounts.get(t) ?? 0) + 1);
      }
    }
    counts.delete(MASK_TOKEN);
    counts.delete(OOV_TOKEN);
    // By count, then by the token's UTF-8 bytes, both descending (Keras's lexsort(...)[::-1]).
    let sorted = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || Buffer.compare(Buffer.from(b[0]), Buffer.from(a[0])))
      .map(([token]) => token);
    if (this.max_tokens !== null) sorted = sorted.slice(0, Math.max(0, this.max_tokens - this.tokenStart));
    this.setTokens(sorted);
    if (this.output_mode === 'tf_idf') {
      const idf = sorted.map((t) => Math.log(1 + documents / (1 + (documentCounts.get(t) ?? 0))));
      this.idf = this.paddedIdf(idf);
    }
  }

  /** Replaces the vocabulary (and idf weights in `'tf_idf'` mode), as Keras's `set_vocabulary`. */
  set_vocabulary(vocabulary: readonly string[], idf_weights: readonly number[] | null = null): void {
    if (this.output_mode === 'tf_idf' && idf_weights === null) throw new ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.");
    if (this.output_mode !== 'tf_idf' && idf_weights !== null) {
      throw new ValueError(`\`idf_weights\` should only be set if output_mode is \`'tf_idf'\`. Received: output_mode=${this.output_mode} and idf_weights=${repr(idf_weights)}`);
    }
    const special = this.output_mode === 'int' ? [MASK_TOKEN, OOV_TOKEN] : [OOV_TOKEN];
    const hasSpecial = special.every((t, i) => vocabulary[i] === t);
    const tokens = hasSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    const repeated = tokens.find((t, i) => tokens.indexOf(t) !== i);
    if (repeated !== undefined) throw new ValueError(`The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated term is ${repr(repeated)}`);
    if (tokens.includes(MASK_TOKEN) || tokens.includes(OOV_TOKEN)) {
      throw new ValueError(`Found reserved mask or OOV token at unexpected location in \`vocabulary\`. Include them only at the start of the vocabulary in precisely this order: ${repr(special)}.`);
    }
    if (this.max_tokens !== null && this.tokenStart + tokens.length > this.max_tokens) {
      throw new ValueError(`Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${this.tokenStart + tokens.length}; \`max_tokens\` is ${this.max_tokens}.`);
    }
    this.setTokens(tokens);
    if (idf_weights !== null) {
      if (idf_weights.length !== vocabulary.length) {
        throw new ValueError(`\`idf_weights\` must be the same length as vocabulary. len(idf_weights) is ${idf_weights.length}; len(vocabulary) is ${vocabulary.length}`);
      }
      this.idf = hasSpecial ? this.paddedIdf(idf_weights.slice(special.length), idf_weights.slice(0, special.length)) : this.paddedIdf([...idf_weights]);
    }
  }

  /** The vocabulary; with special tokens (default), a token's position is its index. */
  get_vocabulary(include_special_tokens = true): string[] {
    if (!include_special_tokens) return [...this.tokens];
    return [...(this.output_mode === 'int' ? [MASK_TOKEN, OOV_TOKEN] : [OOV_TOKEN]), ...this.tokens];
  }

  /** Vocabulary size, padding and OOV tokens included. */
  vocabulary_size(): number {
    return this.tokenStart + this.tokens.length;
  }

  /** Keras's `layer(texts)`: int32 indices [texts, length] or float32 rows [texts, depth]. */
  override apply(inputs: KerasTensor | readonly KerasTensor[], options?: CallOptions): KerasTensor;
  override apply(inputs: TextBatch | LayerInputs, options?: CallOptions): tf.Tensor;
  override apply(inputs: TextBatch | LayerInputs | KerasTensor | readonly KerasTensor[], _options: CallOptions = {}): tf.Tensor | KerasTensor {
    if (isSymbolic(inputs)) {
      throw new ValueError(
        `Layer "${this.name}" (TextVectorization) runs on strings, before the model: keras-like's models carry float32 tensors. Vectorize the texts, then fit on the result.`,
      );
    }
    const rows = this.preprocess(inputs as TextBatch).map((tokens) => tokens.map((t) => this.index.get(t) ?? this.tokenStart - 1));
    if (this.output_mode === 'int') return this.intOutput(rows);
    if (!this.pad_to_max_tokens && this.tokens.length === 0 && this.inputVocabulary === null) {
      throw new RuntimeError(`When using \`output_mode=${this.output_mode}\` and \`pad_to_max_tokens=False\`, you must set the layer's vocabulary before calling it. Either pass a \`vocabulary\` argument to the layer, or call \`adapt\` with some sample data.`);
    }
    const depth = this.pad_to_max_tokens && this.max_tokens !== null ? this.max_tokens : this.vocabulary_size();
    const out = new Float32Array(rows.length * depth);
    rows.forEach((ids, r) => {
      for (const id of ids) {
        const at = r * depth + id;
        if (this.output_mode === 'multi_hot') out[at] = 1;
        else out[at]! += 1;
      }
      if (this.output_mode === 'tf_idf') for (let j = 0; j < depth; j++) out[r * depth + j]! *= this.idf![j] ?? 0;
    });
    return tf.tensor2d(out, [rows.length, depth], 'float32');
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return this.apply(inputs);
  }

  override compute_output_shape(inputShape: Shape): Shape {
    if (this.output_mode === 'int') return [inputShape[0] ?? null, this.output_sequence_length];
    return [inputShape[0] ?? null, this.pad_to_max_tokens && this.max_tokens !== null ? this.max_tokens : this.vocabulary_size()];
  }

  /**
   * Keras's `TextVectorization.from_config(config)`: the layer `get_config` describes. As in
   * Keras, `vocabulary_size` is dropped (it is read back from the vocabulary), and an adapted
   * vocabulary is not in the config (`vocabulary` is the constructor's argument, null after
   * `adapt`): Keras keeps an adapted one in the .keras file's assets, not ported here.
   */
  static from_config(config: Record<string, unknown>): TextVectorizationLayer {
    const { vocabulary_size: _size, ...args } = layerArguments(TextVectorizationLayer.class_name, config);
    return new TextVectorizationLayer(args as TextVectorizationOptions);
  }

  override get_config(): Record<string, unknown> {
    return {
      ...super.get_config(),
      max_tokens: this.max_tokens,
      standardize: typeof this.standardize === 'function' ? this.standardize.name : this.standardize,
      split: typeof this.split === 'function' ? this.split.name : this.split,
      ngrams: this.ngrams,
      output_mode: this.output_mode,
      output_sequence_length: this.output_sequence_length,
      pad_to_max_tokens: this.pad_to_max_tokens,
      sparse: false,
      ragged: false,
      vocabulary: this.inputVocabulary,
      idf_weights: this.inputIdfWeights,
      encoding: 'utf-8',
      vocabulary_size: this.vocabulary_size(),
    };
  }

  private setTokens(tokens: string[]): void {
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i + this.tokenStart]));
  }

  /** The idf of each index: special slots get `front` or the mean idf, then zeros to max_tokens when padding. */
  private paddedIdf(idf: readonly number[], front?: readonly number[]): Float32Array {
    const mean = idf.length === 0 ? 0 : idf.reduce((a, b) => a + b, 0) / idf.length;
    const head = front ?? Array.from({ length: this.tokenStart }, () => mean);
    const all = [...head, ...idf];
    const size = this.pad_to_max_tokens && this.max_tokens !== null ? Math.max(this.max_tokens, all.length) : all.length;
    const out = new Float32Array(size);
    out.set(all);
    return out;
  }

  private intOutput(rows: number[][]): tf.Tensor2D {
    const length = this.output_sequence_length ?? rows.reduce((m, r) => Math.max(m, r.length), 0);
    const out = new Int32Array(rows.length * length);
    rows.forEach((ids, r) => out.set(ids.slice(0, length), r * length));
    return tf.tensor2d(out, [rows.length, length], 'int32');
  }

  /** Each text of the batch as its tokens: standardize, split, ngrams. */
  private preprocess(batch: TextBatch): string[][] {
    return textsOf(this.name, batch, this.split !== null).map((text) => {
      let s = text;
      if (this.standardize === 'lower' || this.standardize === 'lower_and_strip_punctuation') s = asciiLower(s);
      if (this.standardize === 'strip_punctuation' || this.standardize === 'lower_and_strip_punctuation') s = s.replace(PUNCTUATION, '');
      if (typeof this.standardize === 'function') s = this.standardize(s);
      const tokens =
        this.split === 'whitespace' ? s.split(/[ \t\n\v\f\r]+/).filter((t) => t.length > 0)
        : this.split === 'character' ? Array.from(s)
        : typeof this.split === 'function' ? this.split(s)
        : [s];
      return this.ngrams === null ? tokens : ngramsOf(tokens, this.ngrams);
    });
  }
}

/** tf.strings.lower without an encoding: ASCII letters only. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** tf.strings.ngrams(tokens, widths, separator=' '): every n-gram of each width, width by width. */
function ngramsOf(tokens: readonly string[], ngrams: number | readonly number[]): string[] {
  const widths = typeof ngrams === 'number' ? Array.from({ length: ngrams }, (_, i) => i + 1) : ngrams;
  const out: string[] = [];
  for (const n of widths) for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  return out;
}

function batchesOf(data: TextBatch | Iterable<TextBatch>): Iterable<TextBatch> {
  if (typeof data === 'string' || Array.isArray(data) || data instanceof tf.Tensor) return [data as TextBatch];
  if (typeof data === 'object' && data !== null && Symbol.iterator in data) return data as Iterable<TextBatch>;
  throw new ValueError(`TextVectorization.adapt: \`data\` must be an array of strings, a string tensor or an iterable of batches of strings. Received: ${repr(data)}`);
}

/** One string per text: a [n] or [n, 1] array or string tensor; a lone string is one text. */
function textsOf(name: string, batch: TextBatch, splitting: boolean): string[] {
  let values: unknown = batch;
  if (batch instanceof tf.Tensor) {
    if (batch.dtype !== 'string') throw new ValueError(`Layer "${name}" (TextVectorization) takes strings. Received a tensor of dtype ${batch.dtype}.`);
    values = batch.arraySync();
  }
  if (typeof values === 'string') return [values];
  if (!Array.isArray(values)) throw new ValueError(`Layer "${name}" (TextVectorization) takes an array of strings. Received: ${repr(values)}`);
  return values.map((v: unknown, i) => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') {
      if (v.length !== 1 && splitting) {
        throw new ValueError(
          `When using \`TextVectorization\` to tokenize strings, the input rank must be 1 or the last shape dimension must be 1. Received: inputs.shape=(${values.length}, ${v.length}) with rank=2`,
        );
      }
      return v.join(' ');
    }
    throw new ValueError(`Layer "${name}" (TextVectorization) takes strings. Received: inputs[${i}]=${repr(v)}`);
  });
}

registerLayerClass(TextVectorizationLayer.class_name, TextVectorizationLayer);

export const TextVectorization = callable(TextVectorizationLayer);
export type TextVectorization = TextVectorizationLayer;
