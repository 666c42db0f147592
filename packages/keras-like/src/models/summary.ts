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
import type { Layer, Shape } from '../layers/layer.js';
import { shapeText } from '../layers/layer.js';

export interface SummaryOptions {
  /** Total width of the table. Defaults to 65. */
  line_length?: number;
  /** Right edges of the columns, as fractions of `line_length` (or absolute). Defaults to [0.45, 0.85, 1]. */
  positions?: number[];
  /** Where each line goes. Defaults to `console.log`. */
  print_fn?: (line: string) => void;
}

interface SummarizedModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly trainable: boolean;
  layerOutputShapes(): Array<Shape | undefined>;
}

export function printSummary(model: SummarizedModel, options: SummaryOptions = {}): void {
  const lineLength = options.line_length ?? 65;
  const relative = options.positions ?? [0.45, 0.85, 1];
  const positions = relative.every((p) => p <= 1) ? relative.map((p) => Math.floor(lineLength * p)) : relative;
  const print = options.print_fn ?? ((line: string) => console.log(line));

  print(`Model: "${model.name}"`);
  print('_'.repeat(lineLength));
  print(row(['Layer (type)', 'Output Shape', 'Param #'], positions));
  print('='.repeat(lineLength));
  const shapes = model.layerOutputShapes();
  let trainable = 0;
  let total = 0;
  model.layers.forEach((layer, i) => {
    const params = layer.built ? layer.count_params() : 0;
    const shape = shapes[i];
    print(row([`${layer.name} (${layer.className})`, shape === undefined ? '?' : shapeText(shape), layer.built ? String(params) : '0 (unbuilt)'], positions));
    print(' '.repeat(lineLength));
    total += params;
    if (model.trainable) trainable += layer.trainable_weights.reduce((n, w) => n + w.size, 0);
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
