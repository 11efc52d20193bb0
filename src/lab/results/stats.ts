/**
 * Summary statistics over a cell's repetitions: median, min, max, coefficient of variation and
 * a 95% confidence interval of the mean (Student's t), plus the instability rule the lab uses.
 * Pure functions; the harness, the report and the gate all summarise with these.
 */

import type { Stat } from './schema.ts';

/** A cell whose throughput coefficient of variation exceeds this is flagged unstable. */
export const UNSTABLE_CV = 0.1;

// Two-sided 95% Student's t critical values by degrees of freedom (1..30); beyond, 1.96.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The Stat of a sample; an empty sample gives zeros, a single value a zero-width interval. */
export function statOf(xs: readonly number[]): Stat {
  const n = xs.length;
  if (n === 0) return { median: 0, min: 0, max: 0, cv: 0, ci95: [0, 0] };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const half = n > 1 ? (T95[n - 2] ?? 1.96) * sd / Math.sqrt(n) : 0;
  return {
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    cv: mean === 0 ? 0 : sd / Math.abs(mean),
    ci95: [mean - half, mean + half],
  };
}

/**
 * Unstable: the throughput's CV is above UNSTABLE_CV (the rule). Tail latency on a shared
 * 2-core box varies far more than throughput and is reported with its own spread, not flagged.
 * One repetition cannot show its spread, so it is never flagged (its cv is 0).
 */
export function isUnstable(throughput: Stat, limit = UNSTABLE_CV): boolean {
  return throughput.cv > limit;
}
