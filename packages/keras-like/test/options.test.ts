import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseOptions } from '../src/options/parse.js';
import { callable } from '../src/utils/callable.js';
import { closestName } from '../src/options/suggest.js';

const schema = z.object({
  learning_rate: z.number().positive().default(0.01),
  momentum: z.number().min(0).max(1, { message: 'must be a float between [0, 1]' }).default(0),
  nesterov: z.boolean().default(false),
  input_shape: z.array(z.number().int()).optional(),
});

describe('parseOptions', () => {
  it('fills defaults and accepts camelCase aliases', () => {
    expect(parseOptions('SGD', schema, undefined)).toEqual({ learning_rate: 0.01, momentum: 0, nesterov: false });
    expect(parseOptions('SGD', schema, { learningRate: 0.1, inputShape: [3] })).toMatchObject({ learning_rate: 0.1, input_shape: [3] });
  });
  it("words a bad value as Keras does, naming owner, argument and value", () => {
    expect(() => parseOptions('SGD', schema, { momentum: 2 })).toThrow(
      'SGD: `momentum` must be a float between [0, 1]. Received: momentum=2',
    );
    expect(() => parseOptions('SGD', schema, { nesterov: 'yes' })).toThrow('`nesterov` must be a boolean. Received: nesterov=\'yes\'');
    expect(() => parseOptions('SGD', schema, { learning_rate: -1 })).toThrow('`learning_rate` must be > 0. Received: learning_rate=-1');
    expect(() => parseOptions('Dense', schema, { input_shape: [1.5] })).toThrow('`input_shape.0` must be an integer. Received: input_shape.0=1.5');
  });
  it('names the closest valid key for a misspelt one', () => {
    expect(() => parseOptions('SGD', schema, { learnig_rate: 0.1 })).toThrow(
      "Unrecognized keyword arguments passed to SGD: {'learnig_rate': 0.1}. Did you mean `learning_rate`?",
    );
  });
  it('rejects both spellings of one argument', () => {
    expect(() => parseOptions('Dense', schema, { input_shape: [2], inputShape: [2] })).toThrow(
      'both `input_shape` and `inputShape` were given',
    );
  });
});

describe('parseArgs', () => {
  it('takes positional arguments in Keras order, then keyword arguments', () => {
    expect(parseArgs('SGD', schema, ['learning_rate', 'momentum'], [0.5])).toMatchObject({ learning_rate: 0.5 });
    expect(parseArgs('SGD', schema, ['learning_rate', 'momentum'], [0.5, { nesterov: true }])).toMatchObject({
      learning_rate: 0.5,
      nesterov: true,
    });
    expect(parseArgs('SGD', schema, ['learning_rate'], [{ lr: 1 }].map(() => ({ learning_rate: 1 })))).toMatchObject({ learning_rate: 1 });
  });
  it('rejects an argument given twice and too many positionals', () => {
    expect(() => parseArgs('SGD', schema, ['learning_rate'], [0.5, { learning_rate: 0.1 }])).toThrow(
      "SGD got multiple values for argument 'learning_rate'",
    );
    expect(() => parseArgs('SGD', schema, ['learning_rate'], [0.5, 0.9, 1])).toThrow('takes at most 1 positional');
  });
});

describe('callable', () => {
  class Thing {
    constructor(readonly size: number) {}
  }
  const MakeThing = callable(Thing);
  it('makes new optional and keeps instanceof', () => {
    const a = MakeThing(3);
    const b = new MakeThing(4);
    expect(a).toBeInstanceOf(Thing);
    expect(b).toBeInstanceOf(MakeThing);
    expect(a.size + b.size).toBe(7);
  });
});

describe('closestName', () => {
  it('suggests near misses only', () => {
    expect(closestName('learnign_rate', ['learning_rate', 'momentum'])).toBe('learning_rate');
    expect(closestName('zzz', ['learning_rate', 'momentum'])).toBeUndefined();
  });
});
