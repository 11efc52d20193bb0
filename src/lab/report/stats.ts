/**
 * Comparison statistics for the report and the gate: the bootstrap confidence interval of the
 * ratio of two medians, and the Mann–Whitney U test. Pure functions over plain number arrays;
 * every random draw comes from a seeded generator, so the same samples always give the same
 * interval (a report regenerated from the same results.json is byte-identical, and a gate
 * verdict never flips on re-reading).
 *
 * Why these two: benchmark repetitions are few (3–10) and not normal (a shared machine adds
 * occasional slow outliers), so neither a t-interval of the difference nor a ratio of means is
 * trustworthy. The median ignores single outliers; the bootstrap makes no distributional
 * assumption; Mann–Whitney asks the complementary question "is one side systematically larger?"
 * from ranks alone.
 */

/** The median; 0 for an empty sample: the harness's own, so reports and summaries agree. */
import { median } from '../results/stats.ts';

export { median };

/** A small, fast, seedable PRNG (mulberry32): uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile (0..1) of a sorted array, linear interpolation between closest ranks. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface RatioCI {
  /** median(b) / median(a). */
  ratio: number;
  /** 95% (or `level`) percentile-bootstrap interval of that ratio. */
  lo: number;
  hi: number;
  level: number;
  n: [number, number];
}

/**
 * Bootstrap CI of median(b) / median(a): resample each side independently with replacement
 * `iterations` times, take the ratio of the resampled medians, and report the central `level`
 * share of those ratios. With one value on a side that side contributes no spread (the interval
 * then reflects the other side only); empty sides give NaN.
 */
export function bootstrapRatio(a: readonly number[], b: readonly number[], opts: { iterations?: number; level?: number; seed?: number } = {}): RatioCI {
  const iterations = opts.iterations ?? 4000;
  const level = opts.level ?? 0.95;
  const ratio = median(b) / median(a);
  if (a.length === 0 || b.length === 0) return { ratio: NaN, lo: NaN, hi: NaN, level, n: [a.length, b.length] };
  const random = rng(opts.seed ?? 0x5eed);
  const ratios = new Float64Array(iterations);
  const ra = new Array<number>(a.length);
  const rb = new Array<number>(b.length);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < a.length; j++) ra[j] = a[Math.floor(random() * a.length)]!;
    for (let j = 0; j < b.length; j++) rb[j] = b[Math.floor(random() * b.length)]!;
    ratios[i] = median(rb) / median(ra);
  }
  const sorted = Array.from(ratios).filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { ratio, lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), level, n: [a.length, b.length] };
}

/**
 * The paired version, for interleaved A/B repetitions (pair i = base and head run back to back):
 * resamples pair indices, so both sides of a pair stay together and the drift they share
 * (a busy neighbour during that pair) moves both medians alike instead of widening the interval.
 * Needs equal lengths; falls back to the unpaired bootstrap otherwise.
 */
export function bootstrapRatioPaired(a: readonly number[], b: readonly number[], opts: { iterations?: number; level?: number; seed?: number } = {}): RatioCI {
  if (a.length !== b.length || a.length === 0) return bootstrapRatio(a, b, opts);
  const iterations = opts.iterations ?? 4000;
  const level = opts.level ?? 0.95;
  const random = rng(opts.seed ?? 0x5eed);
  const n = a.length;
  const ratios: number[] = [];
  const ra = new Array<number>(n);
  const rb = new Array<number>(n);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < n; j++) {
      const k = Math.floor(random() * n);
      ra[j] = a[k]!;
      rb[j] = b[k]!;
    }
    const r = median(rb) / median(ra);
    if (Number.isFinite(r)) ratios.push(r);
  }
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { ratio: median(b) / median(a), lo: quantileSorted(ratios, tail), hi: quantileSorted(ratios, 1 - tail), level, n: [n, n] };
}

export interface MannWhitney {
  /** U of sample b: the number of (a, b) pairs with b > a, ties counting one half. */
  u: number;
  /** Two-sided p-value: exact (permutation distribution of U) without ties and n ≤ 20 a side, else normal approximation with tie correction. */
  p: number;
  /** Common-language effect size: U / (na·nb), the probability that a random b exceeds a random a. */
  effect: number;
  exact: boolean;
}

/** The exact null distribution of U: f[u] = number of orderings of na a's and nb b's with that U. */
function exactUDistribution(na: number, nb: number): Float64Array {
  // The distribution of U for sample sizes (na, nb) via the classic recurrence
  // f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1), computed bottom-up.
  const maxU = na * nb;
  let prev: Float64Array[] = [];
  for (let m = 0; m <= na; m++) {
    const row: Float64Array[] = [];
    for (let n = 0; n <= nb; n++) {
      const f = new Float64Array(m * n + 1);
      if (m === 0 || n === 0) f[0] = 1;
      else {
        const left = prev[n]!; // (m - 1, n)
        const down = row[n - 1]!; // (m, n - 1)
        for (let u = 0; u <= m * n; u++) f[u] = (u - n >= 0 && u - n < left.length ? left[u - n]! : 0) + (u < down.length ? down[u]! : 0);
      }
      row.push(f);
    }
    prev = row;
  }
  const f = prev[nb]!;
  if (f.length !== maxU + 1) throw new Error('U distribution size');
  return f;
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5e-7, plenty for a p-value.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return { u: NaN, p: NaN, effect: NaN, exact: false };
  let u = 0;
  for (const y of b) for (const x of a) u += y > x ? 1 : y === x ? 0.5 : 0;
  const all = [...a, ...b].sort((x, y) => x - y);
  let ties = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    if (t > 1) {
      ties++;
      tieTerm += t ** 3 - t;
    }
    i = j;
  }
  const effect = u / (na * nb);
  if (ties === 0 && na <= 20 && nb <= 20) {
    const f = exactUDistribution(na, nb);
    const total = f.reduce((s, x) => s + x, 0);
    const uLow = Math.min(u, na * nb - u);
    let tail = 0;
    for (let k = 0; k <= uLow; k++) tail += f[k]!;
    return { u, p: Math.min(1, (2 * tail) / total), effect, exact: true };
  }
  const n = na + nb;
  const mean = (na * nb) / 2;
  const variance = ((na * nb) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, effect, exact: false };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), effect, exact: false };
}
