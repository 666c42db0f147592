/**
 * `keras.datasets.imdb.load_data({ num_words, skip_top, maxlen, seed, start_char, oov_char,
 * index_from, path })`: 25,000 + 25,000 movie reviews as word-index lists (most frequent word
 * = 1 before the `index_from` shift), labelled 1 (positive) or 0, from `imdb.npz` in Keras's
 * cache. The reviews come in Keras's order (its NumPy shuffle with `seed` is reproduced, see
 * numpy_random.ts), with Keras's processing (word_sequences.ts).
 *
 * Returns `[[x_train, y_train], [x_test, y_test]]`: `x` as arrays of number arrays (ragged, as
 * Keras's object arrays; `pad_sequences` makes them a tensor), `y` as int32 tensors.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { cachedPath, findDataset, readDataset } from './cache.js';
import { loadNpz, member } from './npz.js';
import { addStartAndOffset, limitVocabulary, RandomState, removeLong, sequenceOptions, sequencesOf, shuffledOrder } from './word_sequences.js';

const schema = z.object({ path: z.string({ message: 'must be a file name or path' }).default('imdb.npz'), ...sequenceOptions });
export type ImdbOptions = KerasOptions<typeof schema>;
export type SequenceSplit = [number[][], tf.Tensor];

export function load_data(options?: ImdbOptions): [SequenceSplit, SequenceSplit] {
  const o = parseArgs('imdb.load_data', schema, [], [options]);
  const file = cachedPath(o.path);
  const arrays = loadNpz(readDataset('imdb.load_data()', [file], 'imdb.npz'), file);
  const rng = new RandomState(o.seed);
  const xTrainAll = sequencesOf(member(arrays, 'x_train', file).data, `${file}:x_train`);
  const yTrainAll = Array.from(member(arrays, 'y_train', file).data as ArrayLike<number>);
  const xTestAll = sequencesOf(member(arrays, 'x_test', file).data, `${file}:x_test`);
  const yTestAll = Array.from(member(arrays, 'y_test', file).data as ArrayLike<number>);
  // One generator, train then test, as Keras draws both permutations from the same RandomState.
  const trainOrder = shuffledOrder(xTrainAll.length, rng);
  const testOrder = shuffledOrder(xTestAll.length, rng);
  let xTrain = addStartAndOffset(trainOrder.map((i) => xTrainAll[i]!), o);
  let yTrain = trainOrder.map((i) => yTrainAll[i]!);
  let xTest = addStartAndOffset(testOrder.map((i) => xTestAll[i]!), o);
  let yTest = testOrder.map((i) => yTestAll[i]!);
  if (o.maxlen) {
    [xTrain, yTrain] = removeLong(o.maxlen, xTrain, yTrain);
    [xTest, yTest] = removeLong(o.maxlen, xTest, yTest);
    if (xTrain.length === 0 || xTest.length === 0) {
      throw new ValueError(`After filtering for sequences shorter than maxlen=${o.maxlen}, no sequence was kept. Increase maxlen.`);
    }
  }
  const xs = limitVocabulary([...xTrain, ...xTest], o);
  return [
    [xs.slice(0, xTrain.length), tf.tensor1d(yTrain, 'int32')],
    [xs.slice(xTrain.length), tf.tensor1d(yTest, 'int32')],
  ];
}

/** `imdb.get_word_index()`: word → index (before the `index_from` shift), from imdb_word_index.json. */
export function get_word_index(...args: [{ path?: string }?] | [string]): Record<string, number> {
  const { path } = parseArgs('imdb.get_word_index', z.object({ path: z.string().default('imdb_word_index.json') }), ['path'], args);
  const file = findDataset('imdb.get_word_index()', [cachedPath(path)], 'imdb_word_index.json');
  return Object.assign(Object.create(null) as Record<string, number>, JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>);
}
