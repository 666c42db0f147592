/**
 * One optimizer object compiled into a new model per loop iteration, the notebook habit. Keras 3
 * builds an optimizer on the variables of its first `apply` and raises a ValueError for any other
 * (`BaseOptimizer._check_variables_are_known`), so the state it holds is the first model's, however
 * many models follow: nothing accumulates for the dropped ones.
 */
import { keras, tf, Dense, Sequential } from 'keras-like';
import { describe, expect, it } from 'vitest';

const x = tf.tidy(() => tf.linspace(-1, 1, 32 * 4).reshape([32, 4]));
const y = tf.tidy(() => tf.sum(x, 1, true));

/** Dense(8) on 4 inputs, then Dense(1): 4·8 + 8 + 8·1 + 1 = 49 weights. */
function newModel(): Sequential {
  return Sequential([Dense(8, { input_shape: [4], activation: 'relu' }), Dense(1)]);
}

function weightValues(model: Sequential): number[][] {
  return model.weights.map((w) => Array.from(w.dataSync()));
}

/** The number of values the optimizer holds: every array of its state is in `variables`. */
function valuesHeld(optimizer: keras.optimizers.Optimizer): number {
  const variables = optimizer.variables;
  const count = variables.reduce((sum, v) => sum + v.size, 0);
  tf.dispose(variables);
  return count;
}

describe('one optimizer object, a new model per loop iteration', () => {
  it("trains the first model only; every later fit raises Keras's ValueError before a weight changes, and the state stays the first model's", () => {
    const optimizer = keras.optimizers.Adam(0.01);
    const held: number[] = [];
    const errors: string[] = [];
    for (let i = 0; i < 30; i++) {
      const model = newModel();
      model.compile({ optimizer, loss: 'mse' });
      const before = weightValues(model);
      const tensorsBefore = tf.memory().numTensors;
      const callbacksRun: string[] = [];
      const recorder = keras.callbacks.LambdaCallback({ on_train_begin: () => callbacksRun.push('on_train_begin') });
      try {
        model.fit(x, y, { epochs: 2, batch_size: 8, verbose: 0, callbacks: [recorder] });
      } catch (error) {
        errors.push(`${(error as Error).name}: ${(error as Error).message}`);
        expect(weightValues(model)).toEqual(before);
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expect(callbacksRun).toEqual([]); // raised by the fit call itself, before training began
      }
      held.push(valuesHeld(optimizer));
    }
    // Adam holds iterations, the learning rate, then m and v of each of the first model's 49 weights.
    expect(held).toEqual(Array(30).fill(1 + 1 + 2 * 49));
    // 32 samples in batches of 8, for 2 epochs: the first model's 8 steps, and no other.
    expect(optimizer.iterations).toBe(8);
    expect(errors).toHaveLength(29);
    expect(errors[0]).toMatch(
      /^ValueError: Unknown variable: <Variable shape=\[4, 8\], dtype=float32, name=dense_\d+\/kernel_\d+>\. This optimizer can only be called for the variables it was originally built with\. When working with a new set of variables, you should recreate a new optimizer instance\./,
    );
  });

  it('train_on_batch raises at the call, before its step', () => {
    const optimizer = keras.optimizers.SGD(0.01);
    const first = newModel();
    first.compile({ optimizer, loss: 'mse' });
    first.train_on_batch(x, y);
    const second = newModel();
    second.compile({ optimizer, loss: 'mse' });
    const before = weightValues(second);
    expect(() => second.train_on_batch(x, y)).toThrow(/^Unknown variable: <Variable shape=\[4, 8\]/);
    expect(weightValues(second)).toEqual(before);
    expect(optimizer.iterations).toBe(1);
    // Evaluating updates nothing, so it needs no optimizer state: it works, as in Keras.
    const mse = (second.test_on_batch(x, y) as number);
    expect(mse).toBeCloseTo(second.evaluate(x, y, { verbose: 0 }) as number, 5);
    first.dispose();
    second.dispose();
  });

  it('the same model compiled again with the same optimizer keeps training it', () => {
    const optimizer = keras.optimizers.SGD(0.01);
    const model = newModel();
    model.compile({ optimizer, loss: 'mse' });
    model.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
    model.compile({ optimizer, loss: 'mae', metrics: ['mse'] });
    model.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
    expect(optimizer.iterations).toBe(8);
    model.dispose();
  });
});
