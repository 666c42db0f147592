/**
 * Python's `hash(str)` as CPython 3.11+ computes it with hash randomisation off
 * (`PYTHONHASHSEED=0`): SipHash-1-3 with a zero key over the string's internal buffer
 * (1, 2 or 4 bytes per code point, little-endian, by the largest code point; PEP 393).
 *
 * Why this and not Python's default: `one_hot` is `hash(word) % (n - 1) + 1`, and Python
 * salts `hash` with a random key per process, so a notebook's `one_hot` indices change from
 * one run to the next (TF2's docs: "uniqueness is not guaranteed"). No run can be matched;
 * `PYTHONHASHSEED=0` is the one reproducible Python, so keras-like matches it exactly.
 */

const MASK = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/** SipHash-1-3 (one compression round, three finalisation rounds), as CPython's `siphash13`. */
function siphash13(k0: bigint, k1: bigint, bytes: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK; v2 = (v2 + v3) & MASK;
    v1 = rotl(v1, 13n) ^ v0; v3 = rotl(v3, 16n) ^ v2;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v1) & MASK; v0 = (v0 + v3) & MASK;
    v1 = rotl(v1, 17n) ^ v2; v3 = rotl(v3, 21n) ^ v0;
    v2 = rotl(v2, 32n);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const whole = bytes.length - (bytes.length % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = view.getBigUint64(i, true);
    v3 ^= m;
    round();
    v0 ^= m;
  }
  // The last 0-7 bytes, with the length in the top byte.
  let b = (BigInt(bytes.length) << 56n) & MASK;
  for (let i = whole; i < bytes.length; i++) b |= BigInt(bytes[i]!) << BigInt(8 * (i - whole));
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** CPython's internal buffer of a `str`: 1, 2 or 4 bytes per code point (PEP 393). */
function pep393Bytes(text: string): Uint8Array {
  const codePoints = Array.from(text, (c) => c.codePointAt(0)!);
  const max = codePoints.reduce((m, c) => Math.max(m, c), 0);
  const width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
  const bytes = new Uint8Array(codePoints.length * width);
  const view = new DataView(bytes.buffer);
  codePoints.forEach((c, i) => {
    if (width === 1) bytes[i] = c;
    else if (width === 2) view.setUint16(2 * i, c, true);
    else view.setUint32(4 * i, c, true);
  });
  return bytes;
}

/** `hash(text)` of CPython ≥ 3.11 run with `PYTHONHASHSEED=0`, as a signed 64-bit integer. */
export function pythonStringHash(text: string): bigint {
  if (text.length === 0) return 0n;
  const unsigned = siphash13(0n, 0n, pep393Bytes(text));
  const signed = BigInt.asIntN(64, unsigned);
  // -1 is CPython's error value, so a hash of -1 becomes -2.
  return signed === -1n ? -2n : signed;
}

/** Python's `a % n` for n > 0: never negative, unlike JavaScript's `%`. */
export function pythonMod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r < 0n ? r + n : r;
}
