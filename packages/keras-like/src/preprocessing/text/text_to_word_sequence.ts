/**
 * `keras.preprocessing.text.text_to_word_sequence(input_text, filters, lower, split)`: the
 * word splitter of TF2's `Tokenizer`, `one_hot` and `hashing_trick` (Keras 3 keeps it in
 * `keras/src/legacy/preprocessing/text.py`).
 */
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { repr } from '../../options/repr.js';

/** Keras's default `filters`: ASCII punctuation, tab and newline. */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** The options every TF2 text function shares, with Keras's defaults. */
export const splitOptionsSchema = z.object({
  filters: z.string({ message: 'must be a string of characters to remove' }).default(DEFAULT_FILTERS),
  lower: z.boolean({ message: 'must be a boolean' }).default(true),
  split: z.string({ message: 'must be a non-empty string' }).min(1, { message: 'must be a non-empty string' }).default(' '),
});
export type TextToWordSequenceOptions = KerasOptions<typeof splitOptionsSchema>;
export type SplitOptions = z.output<typeof splitOptionsSchema>;

/**
 * Lowercases (when `lower`), replaces every character of `filters` by `split`, splits on
 * `split` and drops the empty strings, as Python's `str.translate` + `str.split` do.
 *
 *   text_to_word_sequence('The cat, the hat.')   // ['the', 'cat', 'the', 'hat']
 */
export function text_to_word_sequence(
  input_text: string,
  ...args: [TextToWordSequenceOptions?] | [string, boolean?, string?]
): string[] {
  const options = parseArgs('text_to_word_sequence', splitOptionsSchema, ['filters', 'lower', 'split'], args);
  return splitWords('text_to_word_sequence', input_text, options);
}

/** The splitting itself, for callers that parsed their options already. */
export function splitWords(owner: string, text: unknown, { filters, lower, split }: SplitOptions): string[] {
  if (typeof text !== 'string') {
    throw new ValueError(`${owner}: the text must be a string. Received: ${repr(text)}`);
  }
  const lowered = lower ? text.toLowerCase() : text;
  // Python iterates code points, so a filter character outside the BMP is one character here too.
  const filtered = new Set(Array.from(filters));
  let translated = '';
  for (const c of lowered) translated += filtered.has(c) ? split : c;
  return translated.split(split).filter((word) => word.length > 0);
}
