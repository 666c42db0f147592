/**
 * The shapes of `y_true` and `y_pred` a built-in metric accepts, checked when
 * `update_state` receives them: a mismatch is a ValueError naming the metric and both
 * shapes (PORTING_SPEC §6), not a kernel's broadcast error from deep inside the update.
 * A trailing axis of 1 is added or dropped first, as Keras's
 * `squeeze_or_expand_to_same_rank` does, so y_true [N] against y_pred [N, 1] stays valid.
 */
import { ValueError } from '../errors.js';

/**
 * - `broadcast`: element-wise metrics (accuracy, mse, hinge, ...): shapes that broadcast, as
 *   Keras's ops allow (y_true [N, 1] against y_pred [N, 3] is valid).
 * - `same`: one-hot, crossentropy, confusion-matrix and R² metrics: the same shape.
 * - `sparse`: integer labels: y_pred's shape without its last axis (or with a trailing 1).
 */
export type ShapeRule = 'broadcast' | 'same' | 'sparse';

/** How a built-in metric class checks its inputs (its `assertInputsCompatible`). */
export interface MetricShapes {
  /** The Keras class, named in the message: `'CategoricalAccuracy'`. */
  readonly owner: string;
  readonly rule: ShapeRule;
  /** The class to suggest when the labels look like the other kind (class indices for a one-hot metric, or the reverse). */
  readonly otherLabels?: string;
}

type Shape = readonly number[];

const text = (shape: Shape) => `[${shape.join(', ')}]`;
const last = (shape: Shape) => shape[shape.length - 1];
const equal = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Keras's `squeeze_or_expand_to_same_rank`, on shapes. */
export function sameRankShapes(a: Shape, b: Shape): [Shape, Shape] {
  if (a.length === b.length + 1 && last(a) === 1) return b.length === 1 ? [a, [...b, 1]] : [a.slice(0, -1), b];
  if (b.length === a.length + 1 && last(b) === 1) return a.length === 1 ? [[...a, 1], b] : [a, b.slice(0, -1)];
  return [a, b];
}

/** NumPy's rule: aligned from the last axis, each pair of sizes is equal or one of them is 1. */
function broadcastable(a: Shape, b: Shape): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]!;
    const y = b[b.length - i]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** Throws when `yTrue` and `yPred` do not fit `shapes.rule`; `name` is the metric's name (its History key). */
export function checkMetricShapes(shapes: MetricShapes, name: string, yTrue: Shape, yPred: Shape): void {
  const received = `Received: y_true.shape=${text(yTrue)}, y_pred.shape=${text(yPred)} (metric: ${name}).`;
  const owner = `${shapes.owner}.update_state`;
  if (shapes.rule === 'sparse') {
    const labels = yTrue.length === yPred.length && last(yTrue) === 1 ? yTrue.slice(0, -1) : yTrue;
    const expected = yPred.slice(0, -1);
    if (yPred.length > 0 && equal(labels, expected)) return;
    const oneHot = yTrue.length === yPred.length && yPred.length > 0 && last(yTrue) === last(yPred);
    throw new ValueError(
      `${owner}: \`y_true\` must hold integer class indices with one axis fewer than \`y_pred\` ` +
        `(shape ${text(expected)} or ${text([...expected, 1])}). ${received}` +
        (oneHot && shapes.otherLabels ? ` These look like one-hot labels: use ${shapes.otherLabels}, or pass class indices.` : ''),
    );
  }
  const [t, p] = sameRankShapes(yTrue, yPred);
  if (shapes.rule === 'broadcast' ? broadcastable(t, p) : equal(t, p)) return;
  const classIndices =
    (yTrue.length === yPred.length - 1 || (yTrue.length === yPred.length && last(yTrue) === 1)) && (last(yPred) ?? 0) > 1;
  throw new ValueError(
    `${owner}: arguments \`y_true\` and \`y_pred\` must have ${shapes.rule === 'broadcast' ? 'the same shape, or shapes that broadcast together' : 'the same shape'}. ${received}` +
      (classIndices && shapes.otherLabels
        ? ` These look like class indices: use ${shapes.otherLabels}, or one-hot encode them with keras.utils.to_categorical(y).`
        : ''),
  );
}
