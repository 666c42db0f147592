/**
 * One bad input and the error it must get. The tests in this folder run each case
 * and assert its message; scripts/errors-doc.ts runs the same cases and writes
 * docs/errors.md from what they throw, so the page can only show true messages
 * (errors_doc.test.ts fails when the page is out of date).
 *
 * Kept free of vitest so the doc script can import it.
 */
import { keras, tf, type FitOptions, type Sequential } from 'keras-like';

export type ErrorName = 'ValueError' | 'TypeError' | 'RuntimeError';

export interface ErrorCase {
  /** The mistake, in a student's words: "momentum > 1". */
  readonly description: string;
  /** The call as a user writes it (shown in docs/errors.md). */
  readonly code: string;
  /** Makes the call; it must throw. Disposes whatever it built, so a failing call shows no leak. */
  readonly run: () => unknown;
  readonly error: ErrorName;
  /** The exact message, or its shape where a loop over many constructors checks one rule. */
  readonly message: string | RegExp;
}

/** A titled group of cases: one section of docs/errors.md. */
export interface ErrorArea {
  readonly title: string;
  readonly intro: string;
  readonly cases: readonly ErrorCase[];
}

export interface Thrown {
  readonly name: string;
  readonly message: string;
}

/** What `run` threw (its class name and message); throws when it returned instead. */
export function thrownBy(errorCase: ErrorCase): Thrown {
  try {
    errorCase.run();
  } catch (error) {
    if (error instanceof Error) return { name: error.name, message: error.message };
    return { name: typeof error, message: String(error) };
  }
  throw new Error(`Expected \`${errorCase.code}\` (${errorCase.description}) to throw, but it returned.`);
}

/** Runs `use` on what `make` built, then disposes it: `run` closures that need a model. */
export function using<T extends { dispose(): void }>(make: () => T, use: (value: T) => unknown): unknown {
  const value = make();
  try {
    return use(value);
  } finally {
    value.dispose();
  }
}

/** Every weight's values, read to the host. */
function weightValues(model: Sequential): number[][] {
  return model.weights.map((w) => Array.from(w.dataSync()));
}

/**
 * `model.fit(x, y, { verbose: 0, ...options })` for a case whose error must come before any training
 * (PORTING_SPEC §6): if by the time fit throws an epoch has begun (`on_epoch_begin`), the optimizer
 * has stepped or a weight has changed, this throws a different error instead, so the case fails.
 */
export function fitBeforeTraining(model: Sequential, x: number[][], y: number[] | number[][], options: FitOptions = {}): unknown {
  const before = weightValues(model);
  let epochsBegun = 0;
  class CountEpochs extends keras.callbacks.Callback {
    override on_epoch_begin(): void {
      epochsBegun += 1;
    }
  }
  try {
    return model.fit(x, y, { verbose: 0, ...options, callbacks: [...(options.callbacks ?? []), new CountEpochs()] });
  } finally {
    const steps = model.optimizer.iterations;
    const changed = JSON.stringify(weightValues(model)) !== JSON.stringify(before);
    if (epochsBegun > 0 || steps > 0 || changed) {
      // Thrown from `finally` on purpose: it replaces fit's own error, which came too late.
      throw new Error(`fit trained before raising: ${epochsBegun} epoch(s) begun, ${steps} optimizer step(s), weights ${changed ? 'changed' : 'unchanged'}.`);
    }
  }
}

/** Runs `use` on tensors, then disposes them. */
export function withTensors(make: () => tf.Tensor[], use: (tensors: tf.Tensor[]) => unknown): unknown {
  const tensors = make();
  try {
    return use(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/** A value as TypeScript source, for the code column: `{ units: 2, input_shape: [3] }`. Functions print their name. */
export function jsText(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return value.name;
  if (Array.isArray(value)) return `[${value.map(jsText).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, v]) => `${key}: ${jsText(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}
