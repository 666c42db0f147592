/** Data a model cannot read (cases in data.cases.ts), and what happens to data it can. */
import { keras, tf } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { checkArea } from './check.js';
import { compiledModel, DATA_AREA } from './data.cases.js';

checkArea(DATA_AREA);

describe('data edge cases that are not errors', () => {
  it('a batch_size larger than the data makes one batch of every sample, as Keras 3 does', () => {
    const model = compiledModel(2, 1, 'linear', 'mse');
    const batchSizes: number[] = [];
    class CountBatches extends keras.callbacks.Callback {
      override on_train_batch_begin(): void {
        batchSizes.push(this.params.steps ?? -1);
      }
    }
    const x = [[1, 2], [3, 4], [5, 6]];
    model.fit(x, [1, 2, 3], { batch_size: 100, epochs: 2, verbose: 0, callbacks: [new CountBatches()] });
    // One step per epoch, and the step count Keras reports is ceil(3 / 100) = 1.
    expect(batchSizes).toEqual([1, 1]);
    expect(model.optimizer.iterations).toBe(2);
    model.dispose();
  });

  it('a fit that rejects its data changes no weight and no optimizer state', () => {
    const model = compiledModel(2, 3, 'softmax', 'sparse_categorical_crossentropy');
    const values = () => {
      const weights = model.get_weights();
      const arrays = weights.map((w) => w.arraySync());
      tf.dispose(weights);
      return arrays;
    };
    const before = values();
    // The bad label is the last one, after every good batch: still nothing is trained.
    expect(() => model.fit([[0, 1], [1, 0], [1, 1]], [0, 1, 7], { batch_size: 1, verbose: 0 })).toThrow('Received: y_true[2]=7.');
    expect(values()).toEqual(before);
    expect(model.optimizer.iterations).toBe(0);
    model.dispose();
  });
});
