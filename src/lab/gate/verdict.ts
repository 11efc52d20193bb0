/**
 * The gate's decision for one metric and for a whole comparison. Pure functions: given the base
 * and head samples of a metric (repetitions, interleaved), a direction and a threshold, say pass,
 * regression or inconclusive — and why, in numbers.
 *
 * The rule (thresholds are fractions: 0.05 = 5%):
 *   change   = how much worse head is than base, as a fraction: for a higher-is-better metric
 *              (throughput) 1 − head/base, for a lower-is-better one (latency, instructions)
 *              head/base − 1; computed on the ratio of medians and on both ends of its 95%
 *              bootstrap interval (src/lab/report/stats.ts; resampling base/head pairs together
 *              when they were measured back to back, as the A/B driver does).
 *   regression    the whole interval is worse than the threshold (best case > threshold);
 *   inconclusive  the estimate is worse than the threshold but the interval reaches back inside
 *                 it (it looks like a regression, the data cannot show it) — the A/B driver
 *                 reruns once and decides on the pooled repetitions;
 *   pass          the estimate is within the threshold. When the interval still reaches beyond
 *                 the threshold the check is marked `wide` (the run could not exclude a
 *                 regression of that size) — a pass, with a note in every output format.
 * A noisy metric with fewer than MIN_REPS values on a side can be inconclusive, never a
 * regression: with fewer, a bootstrap interval says nothing about spread. An `exact` metric
 * (instruction counts: deterministic) needs one value a side and has a zero-width interval.
 * Mann–Whitney's p-value is reported beside the interval as a second opinion; it does not vote.
 */

import { bootstrapRatio, bootstrapRatioPaired, mannWhitney, median, type MannWhitney, type RatioCI } from '../report/stats.ts';

export type Verdict = 'pass' | 'regression' | 'inconclusive';
export type Direction = 'higher-is-better' | 'lower-is-better';

/** Fewer repetitions than this on either side cannot prove a regression on a noisy metric. */
export const MIN_REPS = 3;

export interface Rule {
  /** Metric id: "throughput", "p50", "p99", "cpu" (server CPU µs per request), "instructions". */
  metric: string;
  direction: Direction;
  /** Allowed worsening, a fraction (0.05 = 5%). */
  threshold: number;
  /** Deterministic metric: no interval, one value a side suffices. */
  exact?: boolean;
}

export interface CheckResult {
  /** What is measured, e.g. "GET throughput", "parser instructions/iteration". */
  name: string;
  rule: Rule;
  base: number[];
  head: number[];
  baseMedian: number;
  headMedian: number;
  ratio: RatioCI;
  mannWhitney: MannWhitney;
  /** Worsening as a fraction: estimate and interval (lo ≤ est ≤ hi); negative = improvement. */
  change: { est: number; lo: number; hi: number };
  verdict: Verdict;
  /** The interval reaches beyond the threshold (only meaningful on a pass). */
  wide: boolean;
  reason: string;
}

/** Default thresholds (fractions) by metric; gate.config.json or --threshold override them. */
export const DEFAULT_RULES: Record<string, Rule> = {
  throughput: { metric: 'throughput', direction: 'higher-is-better', threshold: 0.05 },
  p50: { metric: 'p50', direction: 'lower-is-better', threshold: 0.1 },
  p99: { metric: 'p99', direction: 'lower-is-better', threshold: 0.1 },
  /** Server CPU time per request (A/B mode). */
  cpu: { metric: 'cpu', direction: 'lower-is-better', threshold: 0.05 },
  instructions: { metric: 'instructions', direction: 'lower-is-better', threshold: 0.01, exact: true },
};

export function pctText(f: number): string {
  const v = f * 100;
  return `${v >= 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 1 : 0)}%`;
}

/** Describes a change in the metric's own terms: "-12.3%" throughput means 12.3% lower. */
export function changeText(c: CheckResult): string {
  const sign = c.rule.direction === 'higher-is-better' ? -1 : 1;
  const est = pctText(sign * c.change.est);
  if (c.rule.exact) return est;
  const a = pctText(sign * c.change.lo);
  const b = pctText(sign * c.change.hi);
  return `${est} (95% CI ${sign < 0 ? `${b} … ${a}` : `${a} … ${b}`})`;
}

export function thresholdText(r: Rule): string {
  return r.direction === 'higher-is-better' ? `−${(r.threshold * 100).toFixed(1)}%` : `+${(r.threshold * 100).toFixed(1)}%`;
}

/** `paired`: base[i] and head[i] were measured back to back (interleaved A/B): resample pairs. */
export function decide(name: string, rule: Rule, base: readonly number[], head: readonly number[], seed = 1, paired = false): CheckResult {
  const ratio = rule.exact
    ? (() => { const r = median(head) / median(base); return { ratio: r, lo: r, hi: r, level: 1, n: [base.length, head.length] as [number, number] }; })()
    : paired ? bootstrapRatioPaired(base, head, { seed }) : bootstrapRatio(base, head, { seed });
  const worse = (r: number): number => (rule.direction === 'higher-is-better' ? 1 - r : r - 1);
  const ends = [worse(ratio.lo), worse(ratio.hi)].sort((a, b) => a - b);
  const change = { est: worse(ratio.ratio), lo: ends[0]!, hi: ends[1]! };
  const t = rule.threshold;
  const enough = rule.exact ? base.length >= 1 && head.length >= 1 : base.length >= MIN_REPS && head.length >= MIN_REPS;
  let verdict: Verdict;
  let reason: string;
  if (!Number.isFinite(change.est) || !enough) {
    verdict = 'inconclusive';
    reason = `too few values (${base.length} base, ${head.length} head; need ${rule.exact ? 1 : MIN_REPS} a side)`;
  } else if (change.lo > t) {
    verdict = 'regression';
    reason = rule.exact ? `worse than the threshold ${thresholdText(rule)}` : `the whole 95% interval is worse than the threshold ${thresholdText(rule)}`;
  } else if (change.est > t) {
    verdict = 'inconclusive';
    reason = `the estimate is worse than the threshold ${thresholdText(rule)} but the 95% interval reaches back within it`;
  } else {
    verdict = 'pass';
    reason = `within the threshold ${thresholdText(rule)}`;
  }
  const wide = verdict === 'pass' && change.hi > t;
  if (wide) reason += `; the interval cannot exclude a worsening of ${(change.hi * 100).toFixed(1)}%`;
  return {
    name, rule, base: [...base], head: [...head], baseMedian: median(base), headMedian: median(head),
    ratio, mannWhitney: mannWhitney(base, head), change, verdict, wide, reason,
  };
}

/** The comparison's verdict: any regression, else any inconclusive, else pass. */
export function overall(checks: readonly CheckResult[]): Verdict {
  if (checks.some((c) => c.verdict === 'regression')) return 'regression';
  if (checks.some((c) => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** Exit codes of `ringkv gate` (docs/ci.md). */
export const EXIT = { pass: 0, regression: 1, inconclusive: 2, error: 3 } as const;
