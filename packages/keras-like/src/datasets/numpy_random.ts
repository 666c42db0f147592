/**
 * NumPy's legacy `np.random.RandomState(seed).shuffle(indices)`, which Keras's imdb, reuters and
 * boston_housing loaders use to order their samples (seed 113): the same Mersenne Twister
 * (MT19937, seeded by `init_genrand`), and NumPy's `random_interval` — a draw masked to the
 * smallest 2^k − 1 ≥ i, retried while larger than i — for j in the Fisher-Yates swap of
 * position i with j ≤ i, from the last position down. So `x_train[0]` here is the review
 * `x_train[0]` is in a Keras notebook.
 */

const N = 624;
const M = 397;

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.mt[i] = s;
      // s = 1812433253 · (s ^ (s >> 30)) + i + 1, modulo 2^32
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
  }

  /** The next 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** NumPy's random_interval(max): uniform in [0, max] by masked rejection (max < 2^32). */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles `items` in place, as `RandomState.shuffle` shuffles a 1-D array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/** `np.arange(n)` shuffled by `rng`. */
export function shuffledRange(n: number, rng: RandomState): number[] {
  return rng.shuffle(Array.from({ length: n }, (_, i) => i));
}
