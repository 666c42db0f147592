/**
 * `np.loadtxt(path, delimiter=',', skiprows=0)`: a file of numbers as a 2-D float32 tensor
 * (one row per line). TensorFlow.js has no file reader; this is keras-like's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseOptions } from '../options/parse.js';
import { lines, readLocalText, splitFields } from './text_table.js';

const schema = z.object({
  delimiter: z.string({ message: 'must be a string or null' }).min(1, { message: 'must be a string or null' }).nullable().default(null),
  skiprows: z.number({ message: 'must be a non-negative integer' }).int({ message: 'must be a non-negative integer' }).nonnegative({ message: 'must be a non-negative integer' }).default(0),
});
export type LoadtxtOptions = KerasOptions<typeof schema>;

export function loadtxt(path: string | URL, options?: LoadtxtOptions): tf.Tensor {
  const { delimiter, skiprows } = parseOptions('loadtxt', schema, options);
  const rows = lines(readLocalText('loadtxt', path))
    .slice(skiprows)
    .filter((line) => !line.trimStart().startsWith('#'))
    .map((line, i) =>
      (delimiter === null ? line.trim().split(/\s+/) : splitFields(line, delimiter)).map((field, j) => {
        const v = Number(field);
        if (field.trim() === '' || Number.isNaN(v)) {
          throw new ValueError(`loadtxt: could not convert string to float: ${JSON.stringify(field)} (line ${i + 1 + skiprows}, column ${j + 1}).`);
        }
        return v;
      }),
    );
  if (rows.length === 0) throw new ValueError(`loadtxt: ${String(path)} holds no rows of numbers.`);
  const width = rows[0]!.length;
  const ragged = rows.findIndex((row) => row.length !== width);
  if (ragged >= 0) throw new ValueError(`loadtxt: the number of columns changed from ${width} to ${rows[ragged]!.length} at row ${ragged + 1 + skiprows}.`);
  return tf.tensor2d(rows, [rows.length, width], 'float32');
}
