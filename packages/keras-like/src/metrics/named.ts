/** Helpers for metric classes whose arguments are just `name` (and a per-sample function). */
import { z } from 'zod';
import { type KerasOptions, parseArgs } from '../options/parse.js';
import { type CallableClass, callable } from '../utils/callable.js';
import { MeanMetricWrapper, type MetricFn } from './metric.js';
import type { ShapeRule } from './shapes.js';

export const nameOnly = (name: string) => z.object({ name: z.string({ message: 'must be a string' }).default(name) });
/** Keyword arguments of the metrics whose only argument is `name`. */
export type MetricNameOptions = KerasOptions<ReturnType<typeof nameOnly>>;

/**
 * A metric class averaging a loss function per sample (Keras's regression and probabilistic
 * metrics); `rule` is the shapes it accepts (element-wise losses broadcast).
 */
export function lossMetric(
  className: string,
  fn: MetricFn,
  defaultName: string,
  rule: ShapeRule = 'broadcast',
): CallableClass<[MetricNameOptions?] | [string], MeanMetricWrapper> {
  const schema = nameOnly(defaultName);
  const cls = class extends MeanMetricWrapper {
    constructor(...args: [MetricNameOptions?] | [string]) {
      super(fn, parseArgs(className, schema, ['name'], args).name, {}, { owner: className, rule });
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return callable(cls);
}
