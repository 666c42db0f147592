/** `keras.preprocessing.sequence`: padding and TF2's window generator. */
export { pad_sequences, type PadSequencesOptions, type Sequence } from './pad_sequences.js';
export { TimeseriesGenerator, type TimeseriesGeneratorOptions } from './timeseries_generator.js';
