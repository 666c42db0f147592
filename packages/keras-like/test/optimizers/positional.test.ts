import { describe, expect, it } from 'vitest';
import { optimizers } from 'keras-like';

// PORTING_SPEC §2: positional arguments stay positional, in Keras 3's order
// (keras/src/optimizers/*.py signatures: the optimizer's own arguments, then weight_decay,
// clipnorm, clipvalue, global_clipnorm, use_ema, ..., name).
describe("optimizers take positional arguments in Keras's order", () => {
  it('SGD(learning_rate, momentum, nesterov)', () => {
    const sgd = optimizers.SGD(0.05, 0.9, true);
    expect([sgd.learning_rate, sgd.momentum, sgd.nesterov]).toEqual([0.05, 0.9, true]);
  });
  it('Adam(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay) with keywords after', () => {
    const adam = optimizers.Adam(0.01, 0.8, 0.99, 1e-6, true, 0.1, { clipnorm: 1 });
    expect(adam.get_config()).toMatchObject({
      learning_rate: 0.01, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6, amsgrad: true, weight_decay: 0.1, clipnorm: 1,
    });
  });
  it('AdamW puts weight_decay second, as Keras 3 does', () => {
    const adamw = optimizers.AdamW(0.01, 0.1, 0.8);
    expect(adamw.get_config()).toMatchObject({ learning_rate: 0.01, weight_decay: 0.1, beta_1: 0.8 });
  });
  it('Adadelta(learning_rate, rho, epsilon) and RMSprop(learning_rate, rho, momentum, epsilon, centered)', () => {
    expect(optimizers.Adadelta(1.0, 0.95).get_config()).toMatchObject({ learning_rate: 1.0, rho: 0.95 });
    expect(optimizers.RMSprop(0.01, 0.8, 0.5, 1e-6, true).get_config()).toMatchObject({
      learning_rate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true,
    });
  });
  it('an argument given both ways, or a wrong positional value, fails with Keras words', () => {
    expect(() => optimizers.SGD(0.01, 0.9, { momentum: 0.5 })).toThrow("SGD got multiple values for argument 'momentum'.");
    expect(() => optimizers.SGD(0.01, 2)).toThrow('`momentum` must be a float between [0, 1]. Received: momentum=2');
  });
});
