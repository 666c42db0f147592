/** `keras.preprocessing.text`: TF2's text utilities, which course notebooks import. */
export { Tokenizer, tokenizer_from_json, type TokenizerOptions, type MatrixOptions, type MatrixMode, type Text } from './tokenizer.js';
export { one_hot, hashing_trick, type OneHotOptions, type HashingTrickOptions } from './one_hot.js';
export { text_to_word_sequence, type TextToWordSequenceOptions } from './text_to_word_sequence.js';
