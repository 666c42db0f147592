/**
 * `keras.callbacks.CSVLogger(filename, {separator, append})`: writes one row per
 * epoch (the epoch index, then the logs' values in sorted key order) to a CSV
 * file, as Keras 3 does, with Python's number formatting and the Excel dialect's
 * `\r\n` line ends, so files match Keras's byte for byte.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { parseArgs, type KerasOptions } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { pythonFloat } from '../utils/python_format.js';
import { Callback, type Logs } from './callback.js';

const csvLoggerSchema = z.object({
  filename: z.string({ error: 'must be a file path' }).min(1, { error: 'must be a file path' }),
  separator: z.string().length(1, { error: 'must be a 1-character string' }).default(','),
  append: z.boolean().default(false),
});

export type CSVLoggerOptions = Omit<KerasOptions<typeof csvLoggerSchema>, 'filename'>;

export class CSVLoggerCallback extends Callback {
  readonly filename: string;
  readonly sep: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private appendHeader = true;
  private headerWritten = false;

  /**
   * @param filename the CSV file, such as `'run/log.csv'`.
   * @param options.separator the field separator. Defaults to `','`.
   * @param options.append add to an existing file (continuing a training) instead of
   *   overwriting it. Defaults to `false`.
   */
  constructor(
    filename: string | (CSVLoggerOptions & { filename: string }),
    separator?: string | CSVLoggerOptions,
    append?: boolean | CSVLoggerOptions,
    options?: CSVLoggerOptions,
  ) {
    super();
    const args = parseArgs('CSVLogger', csvLoggerSchema, ['filename', 'separator', 'append'], [filename, separator, append, options]);
    this.filename = args.filename;
    this.sep = args.separator;
    this.append = args.append;
  }

  override on_train_begin(_logs?: Logs): void {
    if (this.append) {
      // No header when appending to a file that already has content.
      this.appendHeader = !(fs.existsSync(this.filename) && fs.readFileSync(this.filename, 'utf8').length > 0);
    } else {
      fs.writeFileSync(this.filename, '');
      this.appendHeader = true;
    }
    this.keys = null;
    this.headerWritten = false;
  }

  override on_epoch_end(epoch: number, logs: Logs = {}): void {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      // Validation columns the model will produce even if this epoch's logs lack them.
      for (const name of this.model?.metrics_names ?? []) {
        if (name.startsWith('val_') && !this.keys.includes(name)) this.keys.push(name);
      }
    }
    let text = '';
    if (!this.headerWritten && this.appendHeader) text += this.row(['epoch', ...this.keys]);
    this.headerWritten = true;
    const values = this.keys.map((key) => {
      const value = logs[key];
      return value === undefined || value === null ? 'NA' : pythonFloat(value);
    });
    text += this.row([String(epoch), ...values]);
    fs.appendFileSync(this.filename, text);
  }

  override on_train_end(_logs?: Logs): void {
    this.keys = null;
  }

  // Python's csv module quotes a field holding the separator, a quote or a line break.
  private row(fields: string[]): string {
    const quoted = fields.map((f) => (f.includes(this.sep) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f));
    return `${quoted.join(this.sep)}\r\n`;
  }
}

export const CSVLogger = callable(CSVLoggerCallback);
export type CSVLogger = CSVLoggerCallback;
