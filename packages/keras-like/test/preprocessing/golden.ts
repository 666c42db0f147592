/** The Keras 3 golden values of scripts/keras-golden/preprocessing.py (committed JSON). */
import { readFileSync } from 'node:fs';

export interface Golden {
  keras_version: string;
  text_to_word_sequence: Array<{ kwargs: Record<string, unknown>; texts: string[]; result: string[][] }>;
  one_hot: Array<{ n: number; texts: string[]; result: number[][] }>;
  hashing_trick_md5: Array<{ n: number; texts: string[]; result: number[][] }>;
  tokenizer: Array<{
    kwargs: Record<string, unknown>;
    fit_texts: string[];
    queries: string[];
    word_index: Record<string, number>;
    index_word: Record<string, string>;
    word_counts: Array<[string, number]>;
    word_docs: Record<string, number>;
    index_docs: Record<string, number>;
    document_count: number;
    texts_to_sequences: number[][];
    sequences_to_texts: string[];
    texts_to_matrix: Record<'binary' | 'count' | 'tfidf' | 'freq', number[][]>;
    sequences_to_matrix: Record<'binary' | 'count' | 'tfidf' | 'freq', number[][]>;
    to_json: string;
  }>;
  pad_sequences: Array<{ sequences: number[][]; kwargs: Record<string, unknown>; result: number[][]; dtype: string }>;
  timeseries_generator: Array<{ kwargs: Record<string, unknown>; length: number; batches: Array<[number[][][], number[]]> }>;
  timeseries_dataset_from_array: Array<{ kwargs: Record<string, unknown>; targets: string | null; batches: unknown[] }>;
}

export const golden = JSON.parse(readFileSync(new URL('../../../../test/fixtures/keras/preprocessing.json', import.meta.url), 'utf8')) as Golden;

/** Asserts two nested arrays of numbers agree to float32 precision. */
export function closeTo(actual: unknown, expected: unknown, path = 'value'): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) throw new Error(`${path}: length ${Array.isArray(actual) ? actual.length : 'n/a'} != ${expected.length}`);
    expected.forEach((e, i) => closeTo(actual[i], e, `${path}[${i}]`));
    return;
  }
  const a = actual as number;
  const e = expected as number;
  if (!(Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e)))) throw new Error(`${path}: ${a} != ${e}`);
}
