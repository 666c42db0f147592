import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { Dense, keras, Sequential } from 'keras-like';
import type { Logs } from '../src/callbacks/callback.js';
import { CallbackList } from '../src/callbacks/callback_list.js';

describe('History', () => {
  it('records one value per epoch under each log key, and the epoch indices', () => {
    const history = keras.callbacks.History();
    history.on_train_begin();
    history.on_epoch_end(0, { loss: 0.5, accuracy: 0.6 });
    history.on_epoch_end(1, { loss: 0.4, accuracy: 0.7 });
    expect(history.history).toEqual({ loss: [0.5, 0.4], accuracy: [0.6, 0.7] });
    expect(history.epoch).toEqual([0, 1]);
  });

  it('is a fresh object for every fit, and model.history is the last one', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    const first = model.fit([1], [1], { epochs: 2, verbose: 0 });
    const second = model.fit([1], [1], { epochs: 1, verbose: 0 });
    expect(first).not.toBe(second);
    expect(first.history.loss).toHaveLength(2);
    expect(second.history.loss).toHaveLength(1);
    expect(model.history).toBe(second);
    model.dispose();
  });
});

describe('ProgbarLogger', () => {
  it("accepts TF2's count_mode, positional or keyword, and counts steps either way, as Keras 3", () => {
    expect(keras.callbacks.ProgbarLogger().count_mode).toBe('samples');
    expect(keras.callbacks.ProgbarLogger('steps').count_mode).toBe('steps');
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse');
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      printed.push(String(text));
      return true;
    });
    try {
      const logger = keras.callbacks.ProgbarLogger({ count_mode: 'samples' });
      model.fit([1, 2, 3, 4], [1, 2, 3, 4], { epochs: 2, batch_size: 2, verbose: 1, callbacks: [logger] });
    } finally {
      write.mockRestore();
    }
    const text = printed.join('');
    // The user's logger replaces fit's own: one header and one finished bar per epoch,
    // counting 2 steps (4 samples in batches of 2), not 4 samples.
    expect(text.match(/Epoch \d\/2/g)).toEqual(['Epoch 1/2', 'Epoch 2/2']);
    expect(text.match(/2\/2 \[=+\]/g)).toHaveLength(2);
    expect(text).not.toMatch(/4\/4/);
    model.dispose();
  });
});

describe('Callback', () => {
  it('has every Keras hook as a no-op, and set_model / set_params', () => {
    const cb = new keras.callbacks.Callback();
    for (const hook of ['on_train_begin', 'on_train_end', 'on_test_begin', 'on_test_end', 'on_predict_begin', 'on_predict_end'] as const) {
      expect(() => cb[hook]({})).not.toThrow();
    }
    for (const hook of ['on_epoch_begin', 'on_epoch_end', 'on_train_batch_begin', 'on_train_batch_end', 'on_test_batch_begin', 'on_test_batch_end', 'on_predict_batch_begin', 'on_predict_batch_end', 'on_batch_begin', 'on_batch_end'] as const) {
      expect(() => cb[hook](0, {})).not.toThrow();
    }
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    cb.set_model(model);
    cb.set_params({ verbose: 2, epochs: 3, steps: 4 });
    expect(cb.model).toBe(model);
    expect(cb.params).toEqual({ verbose: 2, epochs: 3, steps: 4 });
    model.dispose();
  });

  it('CallbackList rejects what is not a callback', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    expect(() => new CallbackList([{} as never], { model, params: { verbose: 0, epochs: 1, steps: 1 } })).toThrow('`callbacks[0]` must be a keras.callbacks.Callback');
    model.dispose();
  });

  it('passes numbers in batch logs when a callback reads them, and calls on_batch_end too', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse', ['mae']);
    const seen: Logs[] = [];
    let legacyCalls = 0;
    class Recorder extends keras.callbacks.Callback {
      override on_train_batch_end(_b: number, logs?: Logs) { seen.push(logs!); }
      override on_batch_end() { legacyCalls++; }
    }
    model.fit([1, 2, 3, 4], [1, 2, 3, 4], { epochs: 1, batch_size: 1, verbose: 0, callbacks: [new Recorder()] });
    expect(legacyCalls).toBe(4);
    expect(seen.map((logs) => Object.keys(logs))).toEqual(Array(4).fill(['loss', 'mae']));
    expect(seen.every((logs) => Number.isFinite(logs.loss) && Number.isFinite(logs.mae))).toBe(true);
    model.dispose();
  });

  it('does not read the backend per batch when no callback reads batch logs', () => {
    const model = Sequential([Dense(1, { input_shape: [1] })]);
    model.compile('sgd', 'mse', ['mae']);
    model.fit([1], [1], { verbose: 0 });
    const engine = tf.engine();
    const readSync = engine.readSync.bind(engine);
    const optimizer = model.optimizer;
    const applyGradients = optimizer.apply_gradients.bind(optimizer);
    let reads = 0;
    let inOptimizer = false;
    engine.readSync = (id) => {
      if (!inOptimizer) reads++;
      return readSync(id);
    };
    // The optimizer's own reads are its business; count the engine's.
    optimizer.apply_gradients = (pairs) => {
      inOptimizer = true;
      try {
        return applyGradients(pairs);
      } finally {
        inOptimizer = false;
      }
    };
    const readsFor = (batches: number) => {
      reads = 0;
      const data = Array.from({ length: batches }, (_, i) => i);
      model.fit(data, data, { epochs: 1, batch_size: 1, verbose: 0, shuffle: false });
      return reads;
    };
    try {
      // Reads happen once per fit (checking x and y) and once per epoch (loss, mae), never per batch.
      expect(readsFor(16)).toBe(readsFor(8));
    } finally {
      engine.readSync = readSync;
      optimizer.apply_gradients = applyGradients;
    }
    model.dispose();
  });
});
