/**
 * `pd.read_csv(path)`: a CSV file with a header line as a small DataFrame: `columns`, `shape`,
 * `df.column('Height')` (pandas' `df['Height']`) and `df.values`, each a float32 tensor.
 * Non-numeric columns are kept as strings (`df.strings('Gender')`); only numbers become tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseOptions } from '../options/parse.js';
import { lines, readLocalText, splitFields } from './text_table.js';

const schema = z.object({
  sep: z.string({ message: 'must be a string' }).min(1, { message: 'must be a string' }).default(','),
  header: z.union([z.literal(0), z.null()], { message: 'must be 0 (the first line names the columns) or null' }).default(0),
});
export type ReadCsvOptions = KerasOptions<typeof schema>;

export class DataFrame {
  constructor(
    readonly columns: string[],
    private readonly rows: string[][],
  ) {}

  /** [rows, columns], as pandas' `df.shape`. */
  get shape(): [number, number] {
    return [this.rows.length, this.columns.length];
  }

  private index(name: string): number {
    const i = this.columns.indexOf(name);
    if (i < 0) throw new ValueError(`DataFrame: no column ${JSON.stringify(name)}. Columns: ${this.columns.join(', ')}`);
    return i;
  }

  /** The strings of one column. */
  strings(name: string): string[] {
    const i = this.index(name);
    return this.rows.map((row) => row[i] ?? '');
  }

  /** One numeric column as a 1-D float32 tensor (pandas' `df[name].values`). */
  column(name: string): tf.Tensor {
    return tf.tensor1d(this.strings(name).map((v, r) => numberAt(v, name, r)), 'float32');
  }

  /** Every column as a 2-D float32 tensor (pandas' `df.values`); all columns must be numeric. */
  get values(): tf.Tensor {
    const data = this.rows.map((row, r) => this.columns.map((name, c) => numberAt(row[c] ?? '', name, r)));
    return tf.tensor2d(data, [this.rows.length, this.columns.length], 'float32');
  }
}

function numberAt(value: string, column: string, row: number): number {
  const v = Number(value);
  if (value.trim() === '' || Number.isNaN(v)) {
    throw new ValueError(`DataFrame: column ${JSON.stringify(column)} holds ${JSON.stringify(value)} at row ${row}, not a number.`);
  }
  return v;
}

export function read_csv(path: string | URL, options?: ReadCsvOptions): DataFrame {
  const { sep, header } = parseOptions('read_csv', schema, options);
  const all = lines(readLocalText('read_csv', path)).map((line) => splitFields(line, sep));
  if (all.length === 0) throw new ValueError(`read_csv: ${String(path)} is empty.`);
  const columns = header === 0 ? all[0]!.map((c) => c.trim()) : all[0]!.map((_, i) => String(i));
  return new DataFrame(columns, header === 0 ? all.slice(1) : all);
}
