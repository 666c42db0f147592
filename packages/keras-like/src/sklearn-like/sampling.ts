/**
 * What the data-set helpers share: normal draws (Box-Muller), a row shuffle, and reading their
 * `random_state` / `shuffle` / `noise` options. A helper's numbers follow scikit-learn's recipe,
 * not NumPy's random stream: the same `random_state` gives the same data in keras-like, not the
 * notebook's points.
 */
import { z } from 'zod';

/** A standard normal draw from `uniform` (Box-Muller). */
export function normal(uniform: () => number): number {
  const u = 1 - uniform(); // (0, 1]: log(0) would be -inf
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** Fisher-Yates permutation of [0, n). */
export function permutation(n: number, uniform: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export const randomStateSchema = z
  .number({ message: 'must be a non-negative integer or null' })
  .int({ message: 'must be a non-negative integer or null' })
  .nonnegative({ message: 'must be a non-negative integer or null' })
  .nullable()
  .default(null);

export const nSamplesSchema = z
  .number({ message: 'must be a positive integer' })
  .int({ message: 'must be a positive integer' })
  .positive({ message: 'must be a positive integer' });

export const noiseSchema = z.number({ message: 'must be a non-negative number or null' }).nonnegative({ message: 'must be a non-negative number or null' }).nullable().default(null);

/** Rows `points[i]` / `labels[i]` in the order `order`. */
export function reorder<T>(values: T[], order: readonly number[]): T[] {
  return order.map((i) => values[i]!);
}
