/**
 * Keras's per-session state: the counters behind automatic names (`dense`,
 * `dense_1`, ...) and whatever else `clear_session()` must reset.
 */
const nameCounts = new Map<string, number>();
const resetHooks = new Set<() => void>();

/** `uniqueName('dense')` → `'dense'`, then `'dense_1'`, `'dense_2'`... until `clear_session()`. */
export function uniqueName(base: string): string {
  const count = nameCounts.get(base) ?? 0;
  nameCounts.set(base, count + 1);
  return count === 0 ? base : `${base}_${count}`;
}

/** Registers work for `clear_session()` (dropping caches, resetting seeds...). */
export function onClearSession(hook: () => void): void {
  resetHooks.add(hook);
}

/**
 * Resets automatic names and the state registered with `onClearSession`.
 * As in Keras, models built before the call keep working; free their weights
 * with `model.dispose()` when they are no longer needed.
 */
export function clear_session(): void {
  nameCounts.clear();
  for (const hook of resetHooks) hook();
}
