/**
 * `keras.datasets.reuters.load_data({ num_words, skip_top, maxlen, test_split, seed, start_char,
 * oov_char, index_from, path })`: 11,228 newswires in 46 topics as word-index lists, from
 * `reuters.npz` in Keras's cache, shuffled as Keras shuffles them (seed 113) and processed as
 * imdb's (word_sequences.ts), then the first `1 - test_split` for training.
 * Returns `[[x_train, y_train], [x_test, y_test]]` (ragged number arrays, int32 tensors).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { cachedPath, findDataset, readDataset } from './cache.js';
import type { SequenceSplit } from './imdb.js';
import { loadNpz, member } from './npz.js';
import { addStartAndOffset, limitVocabulary, RandomState, removeLong, sequenceOptions, sequencesOf, shuffledOrder } from './word_sequences.js';

const schema = z.object({
  path: z.string({ message: 'must be a file name or path' }).default('reuters.npz'),
  ...sequenceOptions,
  test_split: z.number({ message: 'must be a float in [0, 1)' }).min(0, { message: 'must be a float in [0, 1)' }).lt(1, { message: 'must be a float in [0, 1)' }).default(0.2),
});
export type ReutersOptions = KerasOptions<typeof schema>;

export function load_data(options?: ReutersOptions): [SequenceSplit, SequenceSplit] {
  const o = parseArgs('reuters.load_data', schema, [], [options]);
  const file = cachedPath(o.path);
  const arrays = loadNpz(readDataset('reuters.load_data()', [file], 'reuters.npz'), file);
  const xsAll = sequencesOf(member(arrays, 'x', file).data, `${file}:x`);
  const labelsAll = Array.from(member(arrays, 'y', file).data as ArrayLike<number>);
  const order = shuffledOrder(xsAll.length, new RandomState(o.seed));
  let xs = addStartAndOffset(order.map((i) => xsAll[i]!), o);
  let labels = order.map((i) => labelsAll[i]!);
  if (o.maxlen) [xs, labels] = removeLong(o.maxlen, xs, labels);
  xs = limitVocabulary(xs, o);
  const idx = Math.trunc(xs.length * (1 - o.test_split));
  return [
    [xs.slice(0, idx), tf.tensor1d(labels.slice(0, idx), 'int32')],
    [xs.slice(idx), tf.tensor1d(labels.slice(idx), 'int32')],
  ];
}

/** `reuters.get_word_index()`: word → index, from reuters_word_index.json. */
export function get_word_index(...args: [{ path?: string }?] | [string]): Record<string, number> {
  const { path } = parseArgs('reuters.get_word_index', z.object({ path: z.string().default('reuters_word_index.json') }), ['path'], args);
  const file = findDataset('reuters.get_word_index()', [cachedPath(path)], 'reuters_word_index.json');
  return Object.assign(Object.create(null) as Record<string, number>, JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>);
}

/** `reuters.get_label_names()`: the 46 topics, in label order (Keras's list). */
export function get_label_names(): string[] {
  return [
    'cocoa', 'grain', 'veg-oil', 'earn', 'acq', 'wheat', 'copper', 'housing', 'money-supply', 'coffee', 'sugar', 'trade',
    'reserves', 'ship', 'cotton', 'carcass', 'crude', 'nat-gas', 'cpi', 'money-fx', 'interest', 'gnp', 'meal-feed', 'alum',
    'oilseed', 'gold', 'tin', 'strategic-metal', 'livestock', 'retail', 'ipi', 'iron-steel', 'rubber', 'heat', 'jobs', 'lei',
    'bop', 'zinc', 'orange', 'pet-chem', 'dlr', 'gas', 'silver', 'wpi', 'hog', 'lead',
  ];
}
