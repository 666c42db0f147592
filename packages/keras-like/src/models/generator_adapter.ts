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
 * Without `steps_per_epoch` (and without `__len__`) an epoch runs until the generator or the
 * iterable ends, as Keras 3 runs a source of unknown size: the steps are unknown (`steps: null`,
 * the progress bar counts `n/Unknown`). A generator that has ended gives the next epoch no batch,
 * and `fit` stops there with Keras's "ran out of data" warning (Keras 3.16 replays the two batches
 * it peeked at to learn the structure, an artifact not copied); an iterable starts again.
 */
import { ValueError } from '../errors.js';
import { shuffledIndices } from '../utils/random.js';
import { epochBatches, type Dataset } from './data_adapter.js';

/** The batches of each epoch; `epoch()` is called once per epoch. */
export interface EpochSource {
  /** Batches per epoch; null when unknown until the source ends. */
  readonly steps: number | null;
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
  const iterable = generator as Partial<Iterable<unknown>>;
  const ownIterator = typeof (generator as Partial<Iterator<unknown>>).next === 'function';
  if (!ownIterator && typeof iterable[Symbol.iterator] !== 'function') {
    throw new ValueError(`\`${what}\` must be a generator, an iterable of batches or a PyDataset (with \`__len__\` and \`__getitem__\`). Received: ${String(generator)}`);
  }
  // A generator is read on across epochs; an iterable is started again each epoch.
  const shared = ownIterator ? (generator as Iterator<unknown>) : null;
  let warned = false;
  const ranOut = () => {
    if (warned) return;
    warned = true;
    console.warn(
      `UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least \`steps_per_epoch * epochs\` batches. You may need to use the \`.repeat()\` function when building your dataset.`,
    );
  };
  if (steps === null || steps === undefined) {
    let epochs = 0;
    return {
      steps: null,
      *epoch() {
        epochs += 1;
        const it = shared ?? iterable[Symbol.iterator]!();
        let i = 0;
        for (let next = it.next(); next.done !== true; next = it.next()) yield read(next.value, i++);
        if (i === 0 && epochs > 1) ranOut();
      },
    };
  }
  return {
    steps,
    *epoch() {
      const it = shared ?? iterable[Symbol.iterator]!();
      for (let i = 0; i < steps; i++) {
        const next = it.next();
        if (next.done === true) {
          ranOut();
          return;
        }
        yield read(next.value, i);
      }
    },
  };
}
