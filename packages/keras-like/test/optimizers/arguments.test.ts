/**
 * Every argument of every optimizer in this file's table, given a wrong value, fails
 * at the constructor with the class, the argument and the value received.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../../src/optimizers/base.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop, SGD } from '../../src/optimizers/index.js';
import { variable } from './helpers.js';

type Make = (options: Record<string, unknown>) => Optimizer;

const OPTIMIZERS: Array<[string, Make]> = [
  ['SGD', (o) => SGD(o as never)],
  ['RMSprop', (o) => RMSprop(o as never)],
  ['Adam', (o) => Adam(o as never)],
  ['AdamW', (o) => AdamW(o as never)],
  ['Adadelta', (o) => Adadelta(o as never)],
  ['Adagrad', (o) => Adagrad(o as never)],
  ['Adamax', (o) => Adamax(o as never)],
  ['Nadam', (o) => Nadam(o as never)],
];

/** [argument, wrong value, how the message ends after "`argument` "]. */
const SHARED_CASES: Array<[string, unknown, string]> = [
  ['learning_rate', -0.5, 'must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate. Received: learning_rate=-0.5'],
  ['learning_rate', 'fast', "must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate. Received: learning_rate='fast'"],
  ['lr', Number.NaN, 'must be a float >= 0, a LearningRateSchedule, or a function that takes no arguments and returns the learning rate. Received: lr=NaN'],
  ['decay', -1e-6, 'must be a float >= 0. Received: decay=-0.000001'],
  ['clipnorm', -1, 'must be a float >= 0 or null. Received: clipnorm=-1'],
  ['clipvalue', 'big', "must be a number. Received: clipvalue='big'"],
  ['global_clipnorm', -2, 'must be a float >= 0 or null. Received: global_clipnorm=-2'],
  ['use_ema', 'yes', "must be a boolean. Received: use_ema='yes'"],
  ['ema_momentum', 1.5, 'must be in the range [0, 1]. Received: ema_momentum=1.5'],
  ['ema_overwrite_frequency', 0, 'must be an integer >= 1 or null. Received: ema_overwrite_frequency=0'],
  ['loss_scale_factor', -1, 'must be a float > 0 or null. Received: loss_scale_factor=-1'],
  ['gradient_accumulation_steps', 1, 'must be an integer >= 2. Received: gradient_accumulation_steps=1'],
  ['name', 3, 'must be a string. Received: name=3'],
];

const OWN_CASES: Record<string, Array<[string, unknown, string]>> = {
  SGD: [
    ['momentum', 2, 'must be a float between [0, 1]. Received: momentum=2'],
    ['nesterov', 1, 'must be a boolean. Received: nesterov=1'],
  ],
  RMSprop: [
    ['rho', -0.1, 'must be a float between [0, 1]. Received: rho=-0.1'],
    ['momentum', 1.1, 'must be a float between [0, 1]. Received: momentum=1.1'],
    ['epsilon', -1e-7, 'must be a float >= 0. Received: epsilon=-1e-7'],
    ['centered', 'no', "must be a boolean. Received: centered='no'"],
  ],
  Adam: [
    ['beta_1', 1.1, 'must be a float between [0, 1]. Received: beta_1=1.1'],
    ['beta_2', -0.1, 'must be a float between [0, 1]. Received: beta_2=-0.1'],
    ['epsilon', -1, 'must be a float >= 0. Received: epsilon=-1'],
    ['amsgrad', 'true', "must be a boolean. Received: amsgrad='true'"],
  ],
  AdamW: [
    ['weight_decay', null, 'must be a float. Received: weight_decay=null'],
    ['weight_decay', -0.1, 'must be a float >= 0. Received: weight_decay=-0.1'],
    ['beta_1', 2, 'must be a float between [0, 1]. Received: beta_1=2'],
    ['beta_2', 2, 'must be a float between [0, 1]. Received: beta_2=2'],
    ['epsilon', -1, 'must be a float >= 0. Received: epsilon=-1'],
    ['amsgrad', 0, 'must be a boolean. Received: amsgrad=0'],
  ],
  Adadelta: [
    ['rho', 1.5, 'must be a float between [0, 1]. Received: rho=1.5'],
    ['epsilon', -1, 'must be a float >= 0. Received: epsilon=-1'],
  ],
  Adagrad: [
    ['initial_accumulator_value', -0.1, 'must be a float >= 0. Received: initial_accumulator_value=-0.1'],
    ['epsilon', 'small', "must be a float >= 0. Received: epsilon='small'"],
  ],
  Adamax: [
    ['beta_1', -1, 'must be a float between [0, 1]. Received: beta_1=-1'],
    ['beta_2', 1.01, 'must be a float between [0, 1]. Received: beta_2=1.01'],
    ['epsilon', -1, 'must be a float >= 0. Received: epsilon=-1'],
  ],
  Nadam: [
    ['beta_1', 1.2, 'must be a float between [0, 1]. Received: beta_1=1.2'],
    ['beta_2', -0.2, 'must be a float between [0, 1]. Received: beta_2=-0.2'],
    ['epsilon', -1, 'must be a float >= 0. Received: epsilon=-1'],
  ],
};

describe('invalid arguments', () => {
  for (const [owner, make] of OPTIMIZERS) {
    it(`${owner}: every argument`, () => {
      for (const [key, value, message] of [...SHARED_CASES, ...OWN_CASES[owner]!]) {
        expect(() => make({ [key]: value }), `${owner}({ ${key}: ${String(value)} })`).toThrow(`${owner}: \`${key}\` ${message}`);
      }
      expect(() => make({ learning_rate: 0.1, lr: 0.1 })).toThrow(`${owner}: both \`lr\` and \`learning_rate\` were given`);
      expect(() => make({ clipnorm: 1, clipvalue: 1 })).toThrow(`${owner}: Only one of \`clipnorm\`, \`clipvalue\` and \`global_clipnorm\` can be set.`);
      expect(() => make({ learning_rat: 0.1 })).toThrow(`Unrecognized keyword arguments passed to ${owner}: {'learning_rat': 0.1}. Did you mean \`learning_rate\`?`);
    });
  }

  it("positional arguments: Keras's order, and no more than Keras takes", () => {
    const tooMany = [0.1, 0.9, false, null, null, null, null, false, 0.99, null, null, null, 'sgd', 'extra'];
    expect(() => (SGD as unknown as (...a: unknown[]) => Optimizer)(...tooMany)).toThrow(
      'SGD takes at most 13 positional argument(s) (learning_rate, momentum, nesterov, weight_decay, clipnorm, clipvalue, ' +
        'global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name); received 14.',
    );
    expect(() => (Adam as unknown as (...a: unknown[]) => Optimizer)(0.1, { learning_rate: 0.2 })).toThrow(
      "Adam got multiple values for argument 'learning_rate'.",
    );
    expect(() => (Adam as unknown as (...a: unknown[]) => Optimizer)('0.1')).toThrow("Adam: `learning_rate` must be a float >= 0");
  });
});

describe('invalid calls', () => {
  it('apply_gradients wants [gradient, variable] pairs', () => {
    const v = variable([1]);
    const g = tf.ones([1]);
    const optimizer = SGD();
    expect(() => optimizer.apply_gradients([g] as never)).toThrow('SGD.apply_gradients: expected a list of [gradient, variable] pairs.');
    expect(() => optimizer.apply_gradients([[[1] as never, v]])).toThrow('SGD: a gradient must be a tf.Tensor. Received: [1]');
    expect(() => optimizer.apply([g], [v, v])).toThrow('SGD.apply: received 1 gradients for 2 variables');
    tf.dispose([v, g]);
  });

  it('get_slot needs a variable the optimizer has seen', () => {
    const v = variable([1], 'kernel');
    expect(() => SGD({ momentum: 0.9 }).get_slot(v, 'momentum')).toThrow(/SGD.get_slot: the optimizer has no state for variable 'kernel_\d+' yet./);
    v.dispose();
  });

  it('exclude_from_weight_decay validates its arguments', () => {
    expect(() => SGD().exclude_from_weight_decay({ var_names: 'bias' } as never)).toThrow(
      "SGD.exclude_from_weight_decay: `var_names` must be an array. Received: var_names='bias'",
    );
    expect(() => SGD().exclude_from_weight_decay([1] as never)).toThrow('SGD.exclude_from_weight_decay: `var_list.0` must be a list of tf.Variable');
  });

  it('a disposed optimizer refuses to step', () => {
    const v = variable([1]);
    const g = tf.ones([1]);
    const optimizer = Adam();
    optimizer.apply_gradients([[g, v]]);
    optimizer.dispose();
    expect(() => optimizer.apply_gradients([[g, v]])).toThrow('Adam: this optimizer was disposed.');
    tf.dispose([v, g]);
  });
});
