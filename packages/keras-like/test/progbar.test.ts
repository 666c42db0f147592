import 'keras-like';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatValue, Progbar, type ProgbarStream } from '../src/models/progbar.js';

function capture(isTTY: boolean): ProgbarStream & { text: string } {
  const stream = { text: '', isTTY, write(s: string) { stream.text += s; } };
  return stream;
}

/** A clock the test advances by hand, in seconds. */
function clock(start = 100): { now: () => number; advance: (s: number) => void } {
  let t = start;
  return { now: () => t, advance: (s) => { t += s; } };
}

describe('Progbar', () => {
  it('prints only the finished line when the output is not a terminal (verbose 1)', () => {
    const out = capture(false);
    const time = clock();
    const bar = new Progbar(77, { stream: out, now: time.now });
    for (let step = 1; step < 77; step++) {
      time.advance(0.002);
      bar.update(step, [['loss', 0.5]], false);
    }
    time.advance(0.002);
    bar.update(77, [['loss', 0.4521], ['accuracy', 0.78125]], true);
    // 77 steps of 2 ms: Keras prints " - 0s 2ms/step", then each value with 4 decimals.
    expect(out.text).toBe('77/77 [==============================] - 0s 2ms/step - loss: 0.4521 - accuracy: 0.7812\n');
  });

  it('redraws in place on a terminal, with an ETA while running', () => {
    const out = capture(true);
    const time = clock();
    const bar = new Progbar(10, { stream: out, now: time.now });
    time.advance(1);
    bar.update(5, [['loss', 0.25]], false);
    // 5 of 10 steps in 1 s: 15 '=' minus one for the '>' head, ETA 0.2 s/step × 5 = 1s.
    expect(out.text).toBe('\r 5/10 [==============>...............] - ETA: 1s - loss: 0.2500');
    time.advance(1);
    bar.update(10, [['loss', 0.125]], true);
    expect(out.text.endsWith('\r10/10 [==============================] - 2s 200ms/step - loss: 0.1250\n')).toBe(true);
  });

  it('throttles terminal redraws to the interval', () => {
    const out = capture(true);
    const time = clock();
    const bar = new Progbar(100, { stream: out, now: time.now, interval: 0.05 });
    time.advance(0.1);
    bar.update(1, [], false);
    time.advance(0.01);
    expect(bar.wantsUpdate(2, false)).toBe(false);
    bar.update(2, [], false);
    expect(out.text.split('\r').length - 1).toBe(1);
  });

  it('prints one summary line for verbose 2', () => {
    const out = capture(true);
    const time = clock();
    const bar = new Progbar(4, { stream: out, now: time.now, verbose: 2 });
    bar.update(2, [['loss', 1]], false);
    expect(out.text).toBe('');
    time.advance(0.02);
    bar.update(4, [['loss', 0.0001234]], true);
    // 20 ms for the epoch, 5 ms per step; small values switch to %.4e as Python does.
    expect(out.text).toBe('4/4 - 0s - loss: 1.2340e-04 - 20ms/epoch - 5ms/step\n');
  });
});

describe('formatting helpers', () => {
  it("format values like Python's %.4f / %.4e", () => {
    expect(formatValue(0.45213)).toBe('0.4521');
    expect(formatValue(12)).toBe('12.0000');
    // Exact binary ties round to even in Python, not up as toFixed does.
    expect(formatValue(0.78125)).toBe('0.7812');
    expect(formatValue(-0.78125)).toBe('-0.7812');
    expect(formatValue(0.71875)).toBe('0.7188');
    expect(formatValue(-0.0005)).toBe('-5.0000e-04');
    expect(formatValue(0)).toBe('0.0000e+00');
    expect(formatValue(NaN)).toBe('nan');
  });
  it('format durations as Keras does', () => {
    expect(formatDuration(0.0012, 'step')).toBe('1ms/step');
    expect(formatDuration(0.00002, 'step')).toBe('20us/step');
    expect(formatDuration(2.4, 'step')).toBe('2s/step');
  });
});
