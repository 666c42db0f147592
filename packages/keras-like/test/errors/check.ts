/** Runs an area's cases as vitest tests: each call throws the documented error and leaks no tensor. */
import { tf } from 'keras-like';
import { describe, expect, it } from 'vitest';
import { thrownBy, type ErrorArea } from './error_case.js';

export function checkArea(area: ErrorArea): void {
  describe(area.title, () => {
    for (const errorCase of area.cases) {
      it(`${errorCase.description}: ${errorCase.code}`, () => {
        const before = tf.memory().numTensors;
        const thrown = thrownBy(errorCase);
        expect(thrown.name).toBe(errorCase.error);
        if (typeof errorCase.message === 'string') expect(thrown.message).toBe(errorCase.message);
        else expect(thrown.message).toMatch(errorCase.message);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
