/**
 * Faults during fit: a diverging loss (with and without TerminateOnNaN) and an
 * exception thrown by a user callback. The diverging fit is derived by hand in
 * training_faults.cases.ts.
 */
import { keras, tf } from 'keras-like';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkArea } from './check.js';
import { compiledModel } from './data.cases.js';
import {
  DIVERGING_FIT,
  DIVERGING_X,
  DIVERGING_Y,
  divergingModel,
  NON_FINITE_LOSS_PRINTED,
  TERMINATE_ON_NAN_PRINTED,
  TRAINING_AREA,
} from './training_faults.cases.js';

checkArea(TRAINING_AREA);

/** The model's weights as nested arrays (no tensor kept). */
function weightValues(model: { get_weights(): tf.Tensor[] }): unknown[] {
  const weights = model.get_weights();
  const values = weights.map((w) => w.arraySync());
  tf.dispose(weights);
  return values;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a loss that becomes NaN', () => {
  it('TerminateOnNaN stops at the first bad batch, names its epoch and batch, and history keeps that epoch', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = divergingModel();
    const history = model.fit(DIVERGING_X, DIVERGING_Y, { ...DIVERGING_FIT, epochs: 3, callbacks: [keras.callbacks.TerminateOnNaN()] });
    expect(log.mock.calls).toEqual([[TERMINATE_ON_NAN_PRINTED.text]]);
    // Batches 0-3 ran; the epoch's loss is the mean of 4, 1.4e14, 2.8e28 and inf.
    expect(model.optimizer.iterations).toBe(4);
    expect(history.epoch).toEqual([0]);
    expect(history.history.loss).toEqual([Infinity]);
    model.dispose();
  });

  it('without it, fit warns once, finishes every epoch and keeps them all in history', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = divergingModel();
    const history = model.fit(DIVERGING_X, DIVERGING_Y, { ...DIVERGING_FIT, epochs: 3 });
    expect(warn.mock.calls).toEqual([[NON_FINITE_LOSS_PRINTED.text]]);
    expect(history.epoch).toEqual([0, 1, 2]);
    // Epoch 1 holds inf; after it the weights are inf and inf − inf gives NaN.
    expect(history.history.loss).toEqual([Infinity, NaN, NaN]);
    expect(model.optimizer.iterations).toBe(12);
    model.dispose();
  });
});

describe('an exception thrown by a user callback', () => {
  const x = [[0.5, 1], [1, 0], [0, 1], [1, 1], [2, 1], [1, 2]];
  const y = [1, 2, 3, 4, 5, 6];

  it('surfaces unchanged, with its stack, and the weights stay as the last finished step left them', () => {
    const model = compiledModel(2, 1, 'linear', 'mse');
    const initial = model.get_weights();
    let afterSecondStep: unknown[] = [];
    class CallbackFailure extends Error {}
    class FailingCallback extends keras.callbacks.Callback {
      override on_train_batch_end(batch: number): void {
        if (batch === 1) afterSecondStep = weightValues(this.model!);
      }
      override on_train_batch_begin(batch: number): void {
        if (batch === 2) throw new CallbackFailure('my callback failed');
      }
    }
    const tensorsBefore = tf.memory().numTensors;
    let caught: unknown;
    try {
      model.fit(x, y, { batch_size: 1, shuffle: false, epochs: 2, verbose: 0, callbacks: [new FailingCallback()] });
    } catch (error) {
      caught = error;
    }
    // The user's own error object, thrown from the user's method.
    expect(caught).toBeInstanceOf(CallbackFailure);
    expect((caught as Error).message).toBe('my callback failed');
    expect((caught as Error).stack).toContain('FailingCallback.on_train_batch_begin');
    // Two steps finished; the third never started.
    expect(model.optimizer.iterations).toBe(2);
    expect(weightValues(model)).toEqual(afterSecondStep);
    // Nothing the failed fit made is left behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // And they are the weights two plain steps give: a twin from the same start, trained batch by batch.
    const twin = compiledModel(2, 1, 'linear', 'mse');
    twin.set_weights(initial);
    twin.train_on_batch([x[0]!], [y[0]!]);
    twin.train_on_batch([x[1]!], [y[1]!]);
    expect(weightValues(model)).toEqual(weightValues(twin));
    // And the model still trains.
    expect(model.fit(x, y, { verbose: 0 }).history.loss).toHaveLength(1);
    tf.dispose(initial);
    model.dispose();
    twin.dispose();
  });

  it('thrown at the end of an epoch, leaves that epoch trained', () => {
    const model = compiledModel(2, 1, 'linear', 'mse');
    class FailAtEpochEnd extends keras.callbacks.Callback {
      override on_epoch_end(): void {
        throw new RangeError('stop here');
      }
    }
    expect(() => model.fit(x, y, { batch_size: 2, epochs: 5, verbose: 0, callbacks: [new FailAtEpochEnd()] })).toThrow(RangeError);
    expect(model.optimizer.iterations).toBe(3);
    model.dispose();
  });
});
