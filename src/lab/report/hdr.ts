/**
 * Latency distributions for the report: decodes the results' base64 HdrHistograms
 * (hdr-histogram-js, µs), merges a cell's repetitions, and samples the percentile curve the
 * report plots (x: percentile on the classic 1/(1 − q) log axis, y: latency on a log axis).
 *
 * A cell measured with redis-benchmark has no histogram; its curve is the percentiles the
 * generator reported (p50, p90, p99, p99.9, max), medians over the repetitions, marked
 * `source: 'summary'` so the report can say it is coarser.
 */

import * as hdr from 'hdr-histogram-js';
import type { Cell, Latency } from '../results/schema.ts';
import { median } from './stats.ts';

/** Percentiles sampled for a plotted curve: dense towards the tail, as HdrHistogram's own plots. */
export const PLOT_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.995, 99.999, 100];

export interface PercentilePoint {
  percentile: number;
  valueUs: number;
}

export interface PercentileCurve {
  source: 'histogram' | 'summary';
  /** Requests the curve is drawn from (histogram total count; 0 for a summary curve). */
  count: number;
  points: PercentilePoint[];
}

export function decodeHistogram(base64: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(base64);
}

/** One histogram holding every repetition's samples; null when no repetition has one. */
export function mergedHistogram(histograms: ReadonlyArray<string | null>): hdr.Histogram | null {
  let merged: hdr.Histogram | null = null;
  for (const h of histograms) {
    if (h === null) continue;
    // A decoded histogram has a fixed range; the merge target grows to hold every repetition.
    merged ??= hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true });
    merged.add(decodeHistogram(h));
  }
  return merged;
}

export function curveOfHistogram(h: hdr.Histogram, percentiles: readonly number[] = PLOT_PERCENTILES): PercentileCurve {
  return {
    source: 'histogram',
    count: h.totalCount,
    points: percentiles.map((p) => ({ percentile: p, valueUs: p === 100 ? h.maxValue : h.getValueAtPercentile(p) })),
  };
}

/** The medians over repetitions of each summary percentile. */
export function medianLatency(latencies: readonly Latency[]): Latency {
  const pick = (k: keyof Latency): number => median(latencies.map((l) => l[k]));
  return { mean: pick('mean'), p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), p999: pick('p999'), max: pick('max') };
}

/** The percentile curve of a cell: from its merged histograms, else from its summary percentiles. */
export function cellCurve(cell: Cell): PercentileCurve {
  const h = mergedHistogram(cell.reps.map((r) => r.histogram));
  if (h !== null && h.totalCount > 0) return curveOfHistogram(h);
  const l = medianLatency(cell.reps.map((r) => r.latencyUs));
  return {
    source: 'summary',
    count: 0,
    points: [
      { percentile: 50, valueUs: l.p50 },
      { percentile: 90, valueUs: l.p90 },
      { percentile: 99, valueUs: l.p99 },
      { percentile: 99.9, valueUs: l.p999 },
      { percentile: 100, valueUs: l.max },
    ],
  };
}
