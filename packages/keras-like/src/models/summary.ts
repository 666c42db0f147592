/**
 * `model.summary()`: Keras's table, in the TF2 format course notebooks show:
 *
 *   Model: "sequential"
 *   _________________________________________________________________
 *    Layer (type)                Output Shape              Param #
 *   =================================================================
 *    dense (Dense)               (None, 12)                108
 *   ...
 *   =================================================================
 *   Total params: 221
 *   Trainable params: 221
 *   Non-trainable params: 0
 *   _________________________________________________________________
 */
import { z } from 'zod';
import { ValueError } from '../errors.js';
import type { Layer, Shape } from '../layers/layer.js';
import { shapeText } from '../layers/layer.js';
import { parseOptions, type KerasOptions } from '../options/parse.js';

const summarySchema = z.object({
  /** Total width of the table. Defaults to 65. */
  line_length: z.number({ error: 'must be a positive integer' }).int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' }).nullish(),
  /** Right edges of the columns, as fractions of `line_length` (or absolute). Defaults to [0.45, 0.85, 1]. */
  positions: z.array(z.number(), { error: 'must be a list of 3 numbers, such as [0.45, 0.85, 1]' }).length(3, { error: 'must be a list of 3 numbers, such as [0.45, 0.85, 1]' }).nullish(),
  /** Where each line goes. Defaults to `console.log`. */
  print_fn: z.custom<(line: string) => void>((v) => typeof v === 'function', { error: 'must be a function that takes a line' }).nullish(),
});

/** Keyword arguments of `summary`: `line_length`, `positions`, `print_fn`. */
export type SummaryOptions = KerasOptions<typeof summarySchema>;

interface SummarizedModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly built: boolean;
  layerOutputShapes(): Array<Shape | undefined>;
}

export function printSummary(model: SummarizedModel, given: SummaryOptions = {}): void {
  const options = parseOptions('Sequential.summary', summarySchema, given);
  const lineLength = options.line_length ?? 65;
  const relative = options.positions ?? [0.45, 0.85, 1];
  const positions = relative.every((p) => p <= 1) ? relative.map((p) => Math.floor(lineLength * p)) : relative;
  const print = options.print_fn ?? ((line: string) => console.log(line));
  if (!model.built) {
    throw new ValueError(
      'This model has not yet been built. Build the model first by calling `build()` or by calling `fit()` with some data, ' +
        'or specify an `input_shape` argument in the first layer(s) for automatic build.',
    );
  }

  print(`Model: "${model.name}"`);
  print('_'.repeat(lineLength));
  print(row(['Layer (type)', 'Output Shape', 'Param #'], positions));
  print('='.repeat(lineLength));
  const shapes = model.layerOutputShapes();
  let trainable = 0;
  let total = 0;
  model.layers.forEach((layer, i) => {
    const params = layer.count_params();
    print(row([`${layer.name} (${layer.className})`, shapeText(shapes[i]!), String(params)], positions));
    print(' '.repeat(lineLength));
    total += params;
    trainable += layer.trainable_weights.reduce((n, w) => n + w.size, 0);
  });
  print('='.repeat(lineLength));
  print(`Total params: ${grouped(total)}`);
  print(`Trainable params: ${grouped(trainable)}`);
  print(`Non-trainable params: ${grouped(total - trainable)}`);
  print('_'.repeat(lineLength));
}

// Keras's print_row: each field starts one space in (the first) or at the previous column's edge.
function row(fields: string[], positions: number[]): string {
  let line = '';
  fields.forEach((field, col) => {
    const start = col === 0 ? 0 : positions[col - 1]!;
    const end = positions[col]!;
    const space = col === positions.length - 1 ? 0 : 2;
    if (col === 0) line += ' ';
    line += field.slice(0, end - start - space);
    line = line.padEnd(end);
  });
  return line;
}

/** Python's `'{:,}'.format(n)`. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
