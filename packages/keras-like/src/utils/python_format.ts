/**
 * Numbers printed the way Python prints them, so messages and CSV logs read as
 * Keras's do: `str(1e-05)` is `'1e-05'` where JavaScript writes `'0.00001'`, and
 * floats keep a `.0` (`'2.0'`).
 */

/** Python's `str(float(x))`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = x.toString();
  return Number.isInteger(x) ? `${fixed}.0` : fixed;
}
