/**
 * Where the loops get their batches: arrays cut into batches (`fit(x, y, { batch_size })`), or
 * a generator of batches (`fit(gen, { steps_per_epoch })`, issue 16), as Keras's data adapters.
 *
 * A batch a generator gives is `[x, y]` or `[x, y, sample_weight]` (for `predict`, `x` or `[x]`),
 * each part anything `fit` reads (tensors, nested arrays; a list or dict for several inputs or
 * outputs). Three kinds of source, as Keras accepts:
 * - a generator / iterator (`function* gen() {...}; gen()`): read on across epochs, so one
 *   that never ends serves every epoch; `steps_per_epoch` batches make an epoch;
 * - an iterable that is not an array (a class with `[Symbol.iterator]`): iterated afresh each
 *   epoch, `steps_per_epoch` batches or until it ends;
 * - a Keras `PyDataset` / `Sequence` (`__len__()` and `__getitem__(i)`, as `TimeseriesGenerator`):
 *   `__len__()` batches per epoch unless `steps_per_epoch` says otherwise.
 * keras-like needs the number of steps up front (the progress bar shows it): a generator or an
 * iterable without `__len__` needs `steps_per_epoch` (Keras 3 runs it until it ends).
 */
import { ValueError } from '../errors.js';
import { shuffledIndices } from '../utils/random.js';
import { epochBatches, type Dataset } from './data_adapter.js';

/** The batches of each epoch; `epoch()` is called once per epoch. */
export interface EpochSource {
  readonly steps: number;
  epoch(): Iterable<Dataset>;
}

/** Batches cut from arrays held in memory, shuffled each epoch when asked. */
export function arraySource(data: Dataset, batchSize: number, shuffle: boolean): EpochSource {
  const n = data.x[0]!.shape[0]!;
  const order = shuffle ? new Int32Array(n) : null;
  const steps = Math.ceil(n / batchSize);
  return {
    steps,
    epoch(): Iterable<Dataset> {
      // One unshuffled batch is the data itself: no copy (predict on a row, train_on_batch).
      if (n <= batchSize && order === null) return [{ ...data, borrowed: true }];
      const batches = epochBatches(data, batchSize, order === null ? null : shuffledIndices(n, order));
      let step = 0;
      return { [Symbol.iterator]: () => ({ next: () => (step < batches.count ? { done: false, value: batches.batch(step++) } : { done: true, value: undefined }) }) };
    },
  };
}

/** Keras's PyDataset protocol. */
export interface PyDatasetLike<T = unknown> {
  __len__(): number;
  __getitem__(index: number): T;
}

/** A generator, an iterable of batches, or a PyDataset. */
export type BatchGenerator<T = unknown> = Iterator<T> | Iterable<T> | PyDatasetLike<T>;

/** True for what `fit` takes as a generator: an iterator, a non-array iterable, or a PyDataset. */
export function isBatchGenerator(value: unknown): value is BatchGenerator {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const v = value as Partial<Record<string | symbol, unknown>>;
  if (typeof v.__len__ === 'function' && typeof v.__getitem__ === 'function') return true;
  if (typeof v.next === 'function') return true;
  return typeof v[Symbol.iterator] === 'function' && !('shape' in v);
}

/**
 * Batches read from a generator; `read` turns what it yields into a Dataset (the model's
 * reading of x, y and sample weights), `what` names the argument in messages.
 */
export function generatorSource(generator: BatchGenerator, steps: number | null | undefined, read: (item: unknown, step: number) => Dataset, what: string): EpochSource {
  const asPy = generator as Partial<PyDatasetLike>;
  if (typeof asPy.__len__ === 'function' && typeof asPy.__getitem__ === 'function') {
    const length = asPy.__len__();
    const count = steps ?? length;
    return {
      steps: count,
      *epoch() {
        for (let i = 0; i < count; i++) yield read(asPy.__getitem__!(i % length), i);
      },
    };
  }
  if (steps === null || steps === undefined) {
    throw new ValueError(
      `When \`${what}\` is a generator or an iterable without \`__len__\`, \`steps_per_epoch\` (\`steps\` for evaluate / predict, \`validation_steps\` for validation data) must be given: the number of batches of one epoch.`,
    );
  }
  const iterable = generator as Partial<Iterable<unknown>>;
  const ownIterator = typeof (generator as Partial<Iterator<unknown>>).next === 'function';
  // A generator is read on across epochs; an iterable is started again each epoch.
  const shared = ownIterator ? (generator as Iterator<unknown>) : null;
  let warned = false;
  return {
    steps,
    *epoch() {
      const it = shared ?? iterable[Symbol.iterator]!();
      for (let i = 0; i < steps; i++) {
        const next = it.next();
        if (next.done === true) {
          if (!warned) {
            warned = true;
            console.warn(
              `UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least \`steps_per_epoch * epochs\` batches. You may need to use the \`.repeat()\` function when building your dataset.`,
            );
          }
          return;
        }
        yield read(next.value, i);
      }
    },
  };
}
