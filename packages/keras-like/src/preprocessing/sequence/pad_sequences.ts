/**
 * `keras.preprocessing.sequence.pad_sequences(sequences, maxlen, dtype, padding, truncating, value)`
 * (also `keras.utils.pad_sequences`): a list of sequences of different lengths as one
 * [samples, maxlen, ...] tensor.
 *
 * As in Keras, both padding and truncating default to `'pre'`: short sequences get `value` in
 * front, long ones lose their first steps (an RNN reads the end of the text last). `maxlen`
 * defaults to the longest sequence. Each step may itself be an array (a sample shape), the
 * same for every sequence.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../../errors.js';
import { type KerasOptions, parseArgs } from '../../options/parse.js';
import { repr } from '../../options/repr.js';
import type { NestedNumbers, TypedArray } from '../../utils/data.js';

const side = (what: string) => z.enum(['pre', 'post'], { message: `must be 'pre' or 'post' (${what} before or after each sequence)` });

const schema = z.object({
  maxlen: z
    .number({ message: 'must be a positive integer or null' })
    .int({ message: 'must be a positive integer or null' })
    .positive({ message: 'must be a positive integer or null' })
    .nullable()
    .default(null),
  dtype: z
    .enum(['int32', 'float32'], { message: "must be 'int32' (Keras's default) or 'float32'; TensorFlow.js tensors have no int64 or string dtype" })
    .default('int32'),
  padding: side('pad').default('pre'),
  truncating: side('cut').default('pre'),
  value: z.number({ message: 'must be a number' }).refine(Number.isFinite, { message: 'must be a finite number' }).default(0),
});
export type PadSequencesOptions = KerasOptions<typeof schema>;

/** A sequence: its steps, each a number or an array of the same shape. */
export type Sequence = readonly NestedNumbers[] | TypedArray;

/**
 * Pads or truncates every sequence to `maxlen` steps.
 *
 *   pad_sequences([[1], [2, 3], [4, 5, 6]])                       // [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
 *   pad_sequences([[1], [2, 3], [4, 5, 6]], { maxlen: 2 })       // [[0, 1], [2, 3], [5, 6]]
 *   pad_sequences(docs, { maxlen: 4, padding: 'post' })
 *
 * Returns an int32 tensor (float32 with `dtype: 'float32'`); an int32 result truncates
 * fractional values toward zero, as NumPy's cast does.
 */
export function pad_sequences(
  sequences: Iterable<Sequence>,
  ...args: [PadSequencesOptions?] | [number | null, PadSequencesOptions?]
): tf.Tensor {
  const { maxlen, dtype, padding, truncating, value } = parseArgs('pad_sequences', schema, ['maxlen'], args);
  if (typeof sequences !== 'object' || sequences === null || !(Symbol.iterator in sequences)) {
    throw new ValueError(`\`sequences\` must be iterable. Received: ${repr(sequences)}`);
  }
  const list = Array.from(sequences, (s, i) => {
    if (typeof s !== 'object' || s === null || typeof (s as { length?: unknown }).length !== 'number') {
      throw new ValueError(`\`sequences\` must be a list of iterables. Found non-iterable: ${repr(s)} at position ${i}`);
    }
    return Array.from(s as ArrayLike<NestedNumbers>);
  });
  // The sample shape comes from the first non-empty sequence; every step must have it.
  const first = list.find((s) => s.length > 0)?.[0];
  const sampleShape = first === undefined ? [] : shapeOf(first);
  const stepSize = sampleShape.reduce((a, b) => a * b, 1);
  const length = maxlen ?? list.reduce((m, s) => Math.max(m, s.length), 0);
  const cast = dtype === 'int32' ? Math.trunc : (v: number) => v;
  const out = (dtype === 'int32' ? new Int32Array(list.length * length * stepSize) : new Float32Array(list.length * length * stepSize)).fill(cast(value));
  list.forEach((seq, row) => {
    if (seq.length === 0) return;
    const kept = truncating === 'pre' ? seq.slice(Math.max(0, seq.length - length)) : seq.slice(0, length);
    const offset = padding === 'post' ? 0 : length - kept.length;
    kept.forEach((step, t) => {
      const shape = shapeOf(step);
      if (shape.length !== sampleShape.length || shape.some((d, i) => d !== sampleShape[i])) {
        throw new ValueError(
          `Shape of sample ${pyShape(shape)} of sequence at position ${row} is different from expected shape ${pyShape(sampleShape)}`,
        );
      }
      const values = flatValues(step);
      if (values.length !== stepSize) {
        throw new ValueError(`pad_sequences: the steps of the sequence at position ${row} are ragged arrays.`);
      }
      const at = (row * length + offset + t) * stepSize;
      values.forEach((v, k) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new ValueError(`pad_sequences: sequences must hold finite numbers. Received: ${repr(v)} in the sequence at position ${row}`);
        }
        out[at + k] = cast(v);
      });
    });
  });
  return tf.tensor(out, [list.length, length, ...sampleShape], dtype);
}

function shapeOf(step: NestedNumbers): number[] {
  const shape: number[] = [];
  let current: NestedNumbers = step;
  while (Array.isArray(current)) {
    shape.push(current.length);
    current = current[0] as NestedNumbers;
  }
  return shape;
}

function flatValues(step: NestedNumbers): unknown[] {
  return Array.isArray(step) ? (step as unknown[]).flat(Infinity) : [step];
}

/** `(2,)`, `()` as NumPy prints a shape tuple. */
function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
