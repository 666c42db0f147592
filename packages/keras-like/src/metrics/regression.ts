/**
 * Keras's regression metrics (the running mean of a loss function per sample) and `Mean`.
 */
import { z } from 'zod';
import * as lossFns from '../losses/functions.js';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { callable } from '../utils/callable.js';
import { MeanMetric, MeanMetricWrapper, type MetricFn } from './metric.js';

export const nameOnly = (name: string) => z.object({ name: z.string({ message: 'must be a string' }).default(name) });
/** Keyword arguments of the metrics whose only argument is `name`. */
export type MetricNameOptions = KerasOptions<ReturnType<typeof nameOnly>>;

/** A metric class averaging a loss function per sample (Keras's regression and probabilistic metrics). */
function lossMetric(className: string, fn: MetricFn, defaultName: string) {
  const schema = nameOnly(defaultName);
  const cls = class extends MeanMetricWrapper {
    constructor(...args: [MetricNameOptions?] | [string]) {
      super(fn, parseArgs(className, schema, ['name'], args).name);
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}

/** Mean of `(y_true - y_pred)²`. Args: `name` (defaults to 'mean_squared_error'). */
export const MeanSquaredError = lossMetric('MeanSquaredError', lossFns.mean_squared_error, 'mean_squared_error');
export type MeanSquaredError = MeanMetricWrapper;
/** Mean of `|y_true - y_pred|`. Args: `name` (defaults to 'mean_absolute_error'). */
export const MeanAbsoluteError = lossMetric('MeanAbsoluteError', lossFns.mean_absolute_error, 'mean_absolute_error');
export type MeanAbsoluteError = MeanMetricWrapper;
/** Mean absolute percentage error. Args: `name` (defaults to 'mean_absolute_percentage_error'). */
export const MeanAbsolutePercentageError = lossMetric(
  'MeanAbsolutePercentageError',
  lossFns.mean_absolute_percentage_error,
  'mean_absolute_percentage_error',
);
export type MeanAbsolutePercentageError = MeanMetricWrapper;
/** Mean squared logarithmic error. Args: `name` (defaults to 'mean_squared_logarithmic_error'). */
export const MeanSquaredLogarithmicError = lossMetric(
  'MeanSquaredLogarithmicError',
  lossFns.mean_squared_logarithmic_error,
  'mean_squared_logarithmic_error',
);
export type MeanSquaredLogarithmicError = MeanMetricWrapper;

class MeanClass extends MeanMetric {
  constructor(...args: [MetricNameOptions?] | [string]) {
    super(parseArgs('Mean', nameOnly('mean'), ['name'], args).name);
  }
}
/** The (weighted) mean of the values given to `update_state(values, sample_weight?)`. Args: `name` (defaults to 'mean'). */
export const Mean = callable(MeanClass);
export type Mean = MeanMetric;

