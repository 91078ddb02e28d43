/**
 * Seeded randomness for the synthetic organisations. Everything here is plain integer and
 * floating-point arithmetic with a fixed order of operations, so the same seed gives the same
 * numbers on every machine and Node version.
 */

// Local aliases: under Jest, modules run in a vm context where every global lookup (`Math`)
// is some hundred times slower than a local one, which dominated the generator's run time.
const { floor, imul, log, sqrt } = Math;

/** mulberry32: a small, fast 32-bit PRNG; returns uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes integers into one 32-bit seed (murmur3's finaliser per part). Used to give every team
 * and every team×round its own stream, so one team's draws never shift another's.
 */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Keep the high bits of seeds beyond 32 bits instead of silently dropping them.
    const high = floor(part / 4294967296);
    for (const word of [part >>> 0, high >>> 0]) {
      h ^= word;
      h = imul(h ^ (h >>> 16), 0x85ebca6b);
      h = imul(h ^ (h >>> 13), 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** A seeded random stream with the few distributions the generator needs. */
export class Rng {
  private readonly uniform: () => number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.uniform = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + floor(this.uniform() * (max - min + 1));
  }

  /** Standard normal (Marsaglia's polar method; the pair's second value serves the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let x: number;
    let y: number;
    let q: number;
    do {
      x = 2 * this.uniform() - 1;
      y = 2 * this.uniform() - 1;
      q = x * x + y * y;
    } while (q >= 1 || q === 0);
    const f = sqrt((-2 * log(q)) / q);
    this.spare = y * f;
    this.hasSpare = true;
    return x * f;
  }

  pick<T>(list: readonly T[]): T {
    return list[floor(this.uniform() * list.length)];
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = floor(this.uniform() * (i + 1));
      const swap = list[i];
      list[i] = list[j];
      list[j] = swap;
    }
    return list;
  }
}
