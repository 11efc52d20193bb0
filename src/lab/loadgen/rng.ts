/**
 * Seeded randomness for the load generator: a small fast PRNG and the three key choosers
 * (uniform, zipf, sequential).
 *
 * Contract
 * - Everything is reproducible from a seed: `deriveSeed(seed, shard, conn)` gives every
 *   connection its own stream, so a run's per-connection request sequence does not depend on
 *   how replies interleave across connections.
 * - Key choosers return a key number in [0, keyspace).
 * - Zipf uses rejection-inversion sampling (W. Hörmann and G. Derflinger, "Rejection-inversion
 *   to generate variates from monotone discrete distributions", 1996): O(1) per sample and no
 *   table, so a key space of 100 M costs nothing to set up, and any exponent s > 0 works
 *   (including s = 1 and s < 1, where the closed forms need the log1p/expm1 helpers below).
 *   Rank r (1-based, r = 1 the hottest) maps to key r - 1.
 *
 * Pure: imports nothing, no I/O.
 */

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 32-bit state words, period ≥ 2^32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Spread one number over the four words with splitmix32, then discard a few outputs so
    // nearby seeds give unrelated streams.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    this.d = (this.d + 1) | 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform double in [0, 1) (32 bits of randomness: plenty for choosing among ≤ 2^32 keys). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** One seed per (run seed, shard, connection): a hash, so neighbouring connections differ. */
export function deriveSeed(seed: number, shard: number, conn: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x27d4eb2d, 0x165667b1);
  h = Math.imul(h ^ (shard + 0x3c6ef372), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ (conn + 0x1b873593), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type KeyDist = 'uniform' | 'zipf' | 'sequential';

/** Returns the next key number in [0, keyspace). */
export type KeyChooser = () => number;

/**
 * Zipf over ranks 1..n with P(r) ∝ r^-s, by rejection-inversion. The expected number of
 * iterations per sample is below 1.1 for any n and s.
 */
export class ZipfSampler {
  private readonly n: number;
  private readonly s: number;
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly cut: number;

  constructor(n: number, s: number) {
    if (!(n >= 1) || !(s > 0)) throw new Error(`zipf needs n >= 1 and s > 0 (got n=${n}, s=${s})`);
    this.n = n;
    this.s = s;
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.cut = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  /** A rank in [1, n]. */
  sample(rng: Rng): number {
    for (;;) {
      const u = this.hIntegralN + rng.next() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > this.n) k = this.n;
      // Accept at once when k is close enough to x (the common case), else test against the
      // area under the hat between k - 1/2 and k + 1/2.
      if (k - x <= this.cut || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  /** h(x) = x^-s, the unnormalised density. */
  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }

  /** H(x) = ∫ h = (x^(1-s) - 1) / (1 - s), written so it stays exact as s → 1 (then log x). */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return expm1OverX((1 - this.s) * logX) * logX;
  }

  /** H⁻¹. */
  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s);
    if (t < -1) t = -1; // rounding can push it just past the domain's edge
    return Math.exp(log1pOverX(t) * x);
  }
}

/** log(1 + x) / x, with its series near 0. */
function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (e^x - 1) / x, with its series near 0. */
function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/**
 * A key chooser for one connection. `sequential` walks the key space from a per-connection
 * starting point (connection i of n starts at i·keyspace/n), so n connections together cover
 * it evenly, as a bulk loader would.
 */
export function keyChooser(dist: KeyDist, keyspace: number, rng: Rng, opts: { zipfS?: number; index?: number; of?: number } = {}): KeyChooser {
  if (dist === 'uniform') return () => Math.floor(rng.next() * keyspace);
  if (dist === 'zipf') {
    const z = new ZipfSampler(keyspace, opts.zipfS ?? 0.99);
    return () => z.sample(rng) - 1;
  }
  let k = Math.floor(((opts.index ?? 0) * keyspace) / Math.max(1, opts.of ?? 1));
  return () => {
    const r = k;
    k = k + 1 === keyspace ? 0 : k + 1;
    return r;
  };
}
