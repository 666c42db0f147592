/**
 * `sklearn.metrics.confusion_matrix(y_true, y_pred)`: C[i][j] counts the samples of true class
 * `labels[i]` predicted as `labels[j]`; the labels are the sorted union of both, unless given.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type TensorInput, convertToTensor } from '../backend/math.js';
import { ValueError } from '../errors.js';
import { type KerasOptions, parseOptions } from '../options/parse.js';

const schema = z.object({
  labels: z.array(z.number(), { message: 'must be a list of labels' }).nullable().default(null),
});
export type ConfusionMatrixOptions = KerasOptions<typeof schema>;

/** Flat label values of a 1-D array or an [N, 1] column. */
function labelsOf(y: TensorInput, name: string): number[] {
  const t = convertToTensor(y);
  try {
    if (t.rank > 2 || (t.rank === 2 && t.shape[1] !== 1)) {
      throw new ValueError(`confusion_matrix: \`${name}\` must hold one label per sample (shape [N] or [N, 1]). Received shape [${t.shape.join(', ')}].`);
    }
    return Array.from(t.dataSync());
  } finally {
    if (t !== y) t.dispose();
  }
}

export function confusion_matrix(y_true: TensorInput, y_pred: TensorInput, options?: ConfusionMatrixOptions): tf.Tensor {
  const { labels } = parseOptions('confusion_matrix', schema, options);
  const truth = labelsOf(y_true, 'y_true');
  const predicted = labelsOf(y_pred, 'y_pred');
  if (truth.length !== predicted.length) {
    throw new ValueError(`confusion_matrix: found input variables with inconsistent numbers of samples: [${truth.length}, ${predicted.length}]`);
  }
  const classes = labels ?? [...new Set([...truth, ...predicted])].sort((a, b) => a - b);
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => classes.map(() => 0));
  truth.forEach((t, k) => {
    const i = index.get(t);
    const j = index.get(predicted[k]!);
    if (i !== undefined && j !== undefined) counts[i]![j]!++;
  });
  return tf.tensor2d(counts, [classes.length, classes.length], 'int32');
}
