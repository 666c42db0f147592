/**
 * `keras.preprocessing.text.one_hot(input_text, n)` and `hashing_trick(text, n, hash_function)`:
 * each word of the text becomes `hash(word) % (n - 1) + 1`, an integer in [1, n) (0 is left
 * for padding). Distinct words may share an index: it is a hash, not a vocabulary.
 *
 * `one_hot` hashes with Python's `hash`, which Python salts per process; keras-like uses the
 * value Python gives with `PYTHONHASHSEED=0` (see python_hash.ts), so results are stable and
 * equal to that Python's. `hash_function: 'md5'` is Keras's stable alternative, equal in any run.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { pythonMod, pythonStringHash } from './python_hash.js';
import { splitOptionsSchema, splitWords } from './text_to_word_sequence.js';

type HashFunction = (word: string) => number | bigint;

const nSchema = z
  .number({ message: 'must be an integer >= 2 (the size of the hashing space)' })
  .int({ message: 'must be an integer >= 2 (the size of the hashing space)' })
  .min(2, { message: 'must be an integer >= 2 (the size of the hashing space)' });

const analyzerSchema = z
  .custom<(text: string) => string[]>((v) => typeof v === 'function', { message: 'must be a function from a text to its words, or null' })
  .nullable()
  .default(null);

const oneHotSchema = splitOptionsSchema.extend({ n: nSchema, analyzer: analyzerSchema });
const hashingTrickSchema = oneHotSchema.extend({
  hash_function: z
    .union([z.literal('md5'), z.custom<HashFunction>((v) => typeof v === 'function')], {
      message: "must be null (Python's hash), 'md5' or a function from a word to an integer",
    })
    .nullable()
    .default(null),
});

/** Keyword arguments of `one_hot` after `n`. */
export type OneHotOptions = Omit<KerasOptions<typeof oneHotSchema>, 'n'>;
/** Keyword arguments of `hashing_trick` after `n`. */
export type HashingTrickOptions = Omit<KerasOptions<typeof hashingTrickSchema>, 'n'>;

/** `int(md5(word).hexdigest(), 16)`, Keras's `hash_function='md5'`. */
function md5(word: string): bigint {
  return BigInt(`0x${createHash('md5').update(word, 'utf8').digest('hex')}`);
}

function hashWords(owner: string, text: string, options: z.output<typeof hashingTrickSchema>): number[] {
  const words = options.analyzer ? options.analyzer(text) : splitWords(owner, text, options);
  const hash: HashFunction = options.hash_function === 'md5' ? md5 : options.hash_function ?? pythonStringHash;
  const modulus = BigInt(options.n - 1);
  return words.map((word) => {
    const h = hash(word);
    if (typeof h === 'number' && !Number.isInteger(h)) {
      throw new ValueError(`${owner}: \`hash_function\` must return an integer. Received: ${h} for '${word}'`);
    }
    return Number(pythonMod(BigInt(h), modulus)) + 1;
  });
}

/**
 * One integer in [1, n) per word of `input_text`, by Python's string hash.
 *
 *   one_hot('Well done!', 50)   // [2, 44], as Python with PYTHONHASHSEED=0
 */
export function one_hot(input_text: string, n: number | (OneHotOptions & { n: number }), options?: OneHotOptions): number[] {
  const parsed = parseArgs('one_hot', oneHotSchema, ['n'], [n, options]);
  return hashWords('one_hot', input_text, { ...parsed, hash_function: null });
}

/** Like `one_hot`, with `hash_function`: null (Python's hash), `'md5'` or a function of a word. */
export function hashing_trick(
  text: string,
  n: number | (HashingTrickOptions & { n: number }),
  ...rest: [HashingTrickOptions?] | ['md5' | HashFunction | null, HashingTrickOptions?]
): number[] {
  return hashWords('hashing_trick', text, parseArgs('hashing_trick', hashingTrickSchema, ['n', 'hash_function'], [n, ...rest]));
}
