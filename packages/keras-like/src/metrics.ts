/**
 * `keras.metrics`: Keras 3's stateful metrics (`update_state`, `result`, `reset_state`),
 * their per-sample functions (`binary_accuracy`, `mean_absolute_error`, ...),
 * `get` / `serialize` / `deserialize`, and `getMetric`, which resolves `compile`'s
 * 'accuracy' the way Keras does (docs/architecture.md, "Metric").
 */
export { Metric, MeanMetricWrapper, type MetricFn, type MetricBaseOptions, type MetricVariableOptions } from './metrics/metric.js';
export * from './metrics/accuracy.js';
export * from './metrics/confusion.js';
export * from './metrics/regression.js';
export type { MetricNameOptions } from './metrics/named.js';
export * from './metrics/probabilistic.js';
export { get, serialize, deserialize, getMetric, METRIC_NAMES, type MetricConfig, type MetricIdentifier } from './metrics/get.js';
// Keras exports the losses' per-sample functions as metric functions too.
export {
  mean_squared_error,
  mean_absolute_error,
  mean_absolute_percentage_error,
  mean_squared_logarithmic_error,
  binary_crossentropy,
  categorical_crossentropy,
  sparse_categorical_crossentropy,
  hinge,
  squared_hinge,
  categorical_hinge,
  kl_divergence,
  poisson,
  log_cosh,
  huber,
  kl_divergence as kld,
  mean_squared_error as mse,
  mean_absolute_error as mae,
  mean_absolute_percentage_error as mape,
  mean_squared_logarithmic_error as msle,
} from './losses/functions.js';
