/**
 * What the callbacks that watch a metric share (EarlyStopping, ReduceLROnPlateau):
 * reading the monitored value from `logs`, warning as Keras does when it is
 * missing, and telling whether a metric improves upwards or downwards.
 */

/** Keras metrics that improve upwards (their `_direction` is "up"); everything else here improves downwards. */
const UP = new Set([
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
  'auc',
  'precision',
  'recall',
  'precision_at_recall',
  'recall_at_precision',
  'sensitivity_at_specificity',
  'specificity_at_sensitivity',
  'f1_score',
  'fbeta_score',
  'r2_score',
  'mean_iou',
  'iou',
  'true_positives',
  'true_negatives',
  'cosine_similarity',
]);

const DOWN = new Set([
  'loss',
  'mse',
  'mae',
  'mape',
  'msle',
  'mean_squared_error',
  'mean_absolute_error',
  'mean_absolute_percentage_error',
  'mean_squared_logarithmic_error',
  'root_mean_squared_error',
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'hinge',
  'squared_hinge',
  'categorical_hinge',
  'kl_divergence',
  'kullback_leibler_divergence',
  'poisson',
  'log_cosh',
  'logcosh',
  'false_positives',
  'false_negatives',
]);

/**
 * `'max'` or `'min'` for a monitored name (`val_` stripped), as Keras's
 * `EarlyStopping` infers it in `mode='auto'`; `undefined` when it cannot tell.
 * A metric object with Keras's `_direction` attribute is trusted first.
 */
export function metricDirection(monitor: string, metrics: readonly unknown[] = []): 'min' | 'max' | undefined {
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss') return 'min';
  for (const metric of metrics) {
    if (typeof metric !== 'object' || metric === null) continue;
    const { name: metricName, _direction: direction } = metric as { name?: unknown; _direction?: unknown };
    if (metricName === name && (direction === 'up' || direction === 'down')) return direction === 'up' ? 'max' : 'min';
  }
  // Named top-k metrics (`top_k_categorical_accuracy` with k=3 is still "up"); names ending in _loss are losses.
  if (UP.has(name) || name.endsWith('_accuracy')) return 'max';
  if (DOWN.has(name) || name.endsWith('_loss') || name.endsWith('_error')) return 'min';
  return undefined;
}

/**
 * Python's `warnings.warn`: printed once per distinct message (Python's default
 * filter), on stderr.
 */
const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`UserWarning: ${message}`);
}
