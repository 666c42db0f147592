import { describe, expect, it } from 'vitest';
import { pythonFloat } from '../src/utils/python_format.js';

describe('pythonFloat', () => {
  it("prints floats as Python's str(float) does", () => {
    // Values checked against CPython: str(0.5), str(2.0), str(1e-05), str(0.0001), str(1e16), ...
    expect(pythonFloat(0.5)).toBe('0.5');
    expect(pythonFloat(2)).toBe('2.0');
    expect(pythonFloat(-3)).toBe('-3.0');
    expect(pythonFloat(0)).toBe('0.0');
    expect(pythonFloat(1e-5)).toBe('1e-05');
    expect(pythonFloat(1.5e-7)).toBe('1.5e-07');
    expect(pythonFloat(0.0001)).toBe('0.0001');
    expect(pythonFloat(123456789012345.6)).toBe('123456789012345.6');
    expect(pythonFloat(1e16)).toBe('1e+16');
    expect(pythonFloat(2.5e-300)).toBe('2.5e-300');
    expect(pythonFloat(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(pythonFloat(Math.fround(0.1))).toBe('0.10000000149011612');
    expect(pythonFloat(Number.NaN)).toBe('nan');
    expect(pythonFloat(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(pythonFloat(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });
});
