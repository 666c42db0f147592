/**
 * What Keras's imdb and reuters loaders do to their word-index sequences, in Keras's order:
 * shuffle with `RandomState(seed)`; prepend `start_char` and shift every index by `index_from`
 * (so 0 is padding, 1 the start, 2 out-of-vocabulary); drop sequences of `maxlen` words or more;
 * replace indices outside [skip_top, num_words) by `oov_char` (or drop them when it is null).
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { RandomState, shuffledRange } from './numpy_random.js';

const optionalInt = z.number({ message: 'must be an integer or null' }).int({ message: 'must be an integer or null' }).nullable();

/** The arguments imdb and reuters share, with Keras's defaults. */
export const sequenceOptions = {
  num_words: optionalInt.default(null),
  skip_top: z.number({ message: 'must be an integer >= 0' }).int({ message: 'must be an integer >= 0' }).nonnegative({ message: 'must be an integer >= 0' }).default(0),
  maxlen: optionalInt.default(null),
  seed: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0, { message: 'must be an integer between 0 and 2**32 - 1' }).default(113),
  start_char: optionalInt.default(1),
  oov_char: optionalInt.default(2),
  index_from: z.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).default(3),
};

export interface SequenceOptions {
  num_words: number | null;
  skip_top: number;
  maxlen: number | null;
  start_char: number | null;
  oov_char: number | null;
  index_from: number;
}

/** The permutation Keras applies (`indices = arange(n); rng.shuffle(indices)`), then `x[indices]`. */
export function shuffledOrder(n: number, rng: RandomState): number[] {
  return shuffledRange(n, rng);
}

export function addStartAndOffset(xs: number[][], o: SequenceOptions): number[][] {
  if (o.start_char !== null) return xs.map((x) => [o.start_char!, ...x.map((w) => w + o.index_from)]);
  return xs.map((x) => x.map((w) => w + o.index_from));
}

/** Keras's remove_long_seq: keeps the sequences shorter than maxlen, with their labels. */
export function removeLong(maxlen: number, xs: number[][], labels: number[]): [number[][], number[]] {
  const keep = xs.map((x) => x.length < maxlen);
  return [xs.filter((_, i) => keep[i]), labels.filter((_, i) => keep[i])];
}

export function limitVocabulary(xs: number[][], o: SequenceOptions): number[][] {
  let numWords = o.num_words;
  if (!numWords) numWords = xs.reduce((m, x) => x.reduce((n, w) => Math.max(n, w), m), -Infinity);
  const inside = (w: number) => o.skip_top <= w && w < numWords!;
  if (o.oov_char !== null) return xs.map((x) => x.map((w) => (inside(w) ? w : o.oov_char!)));
  return xs.map((x) => x.filter(inside));
}

/** The lists of an object array (each sample a Python list of ints). */
export function sequencesOf(data: unknown, what: string): number[][] {
  if (!Array.isArray(data) || !data.every((x) => Array.isArray(x))) throw new ValueError(`${what} is not an array of word-index lists.`);
  return data as number[][];
}

export { RandomState };
