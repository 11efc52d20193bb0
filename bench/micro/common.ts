/**
 * What every micro-benchmark in bench/micro/ shares: the shape of one result, the conversion
 * from tinybench's statistics to it, the timed-repetition helper for benchmarks tinybench
 * cannot run (work that crosses threads), and the environment a result file records.
 *
 * Contract
 * - One result = one scenario, as a rate of *items* per second (commands, messages): tinybench
 *   measures iterations, and an iteration here handles many items (a pipelined buffer, a ring
 *   full of frames), so its throughput figures are multiplied by `itemsPerIteration`.
 * - Every figure is over samples: tinybench's per-iteration samples, or one sample per timed
 *   repetition. `median` is the headline (the machine is shared, so means are pulled by the
 *   slow outliers other people's jobs cause); `min`/`max`/`spreadPct` say how noisy the run was.
 * - Both kinds of benchmark produce the same shape, so run.ts prints and stores them alike.
 *
 * Imports nothing of ours outside bench/micro/.
 */

import os from 'node:os';
import type { Task } from 'tinybench';

export interface MicroResult {
  /** Which file: 'ring', 'parser', 'executor', 'e2e'. */
  suite: string;
  name: string;
  /** What is counted per second: 'messages/s', 'commands/s', 'requests/s'. */
  unit: string;
  /** tinybench (in-process, per-iteration samples) or timed-runs (one sample per repetition). */
  method: 'tinybench' | 'timed-runs' | 'redis-benchmark';
  median: number;
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation, in `unit`. */
  sd: number;
  /** Relative margin of error of the mean (95%), in percent. */
  rme: number;
  /** (max - min) / median, in percent: the whole spread of the samples, outliers included. */
  spreadPct: number;
  /** Median absolute deviation / median, in percent: the spread of a typical sample. */
  madPct: number;
  samples: number;
  /** Items one sample (iteration or repetition) handles. */
  itemsPerSample: number;
  /** Payload rate at the median, in MB/s (10^6 bytes), where bytes per item are known. */
  mbPerSec?: number;
  /** Anything else the scenario wants on record (sizes, batch sizes, ratios). */
  params?: Record<string, number | string>;
}

export interface Environment {
  date: string;
  node: string;
  v8: string;
  platform: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  availableParallelism: number;
  totalMemGiB: number;
  loadAvg: number[];
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: os.platform(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    // Other people's jobs on a shared machine show here: read it next to the spreads.
    loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Sample statistics of per-second rates, in the MicroResult shape. */
function medianOf(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function summarize(rates: number[]): Pick<MicroResult, 'median' | 'mean' | 'min' | 'max' | 'sd' | 'rme' | 'spreadPct' | 'madPct' | 'samples'> {
  const s = [...rates].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const median = medianOf(s);
  const mad = medianOf(s.map((x) => Math.abs(x - median)).sort((a, b) => a - b));
  const sd = n > 1 ? Math.sqrt(s.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  // 95% two-sided Student's t; 1.96 once n is large enough that it no longer matters.
  const t = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23][n - 2] ?? 1.96;
  const rme = n > 1 && mean > 0 ? (100 * t * sd) / Math.sqrt(n) / mean : 0;
  return { median, mean, min: s[0]!, max: s[n - 1]!, sd, rme, spreadPct: median > 0 ? (100 * (s[n - 1]! - s[0]!)) / median : 0,
    madPct: median > 0 ? (100 * mad) / median : 0, samples: n };
}

/** A finished tinybench task as a MicroResult; its throughput (iterations/s) × items per iteration. */
export function fromTask(suite: string, task: Task, unit: string, itemsPerIteration: number, bytesPerItem?: number,
  params?: Record<string, number | string>): MicroResult {
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`${suite}/${task.name}: ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
  const t = r.throughput;
  const k = itemsPerIteration;
  const median = t.p50 * k;
  return {
    suite,
    name: task.name,
    unit,
    method: 'tinybench',
    median,
    mean: t.mean * k,
    min: t.min * k,
    max: t.max * k,
    sd: t.sd * k,
    rme: t.rme,
    spreadPct: median > 0 ? (100 * (t.max - t.min) * k) / median : 0,
    madPct: median > 0 ? (100 * t.mad * k) / median : 0,
    samples: t.samplesCount,
    itemsPerSample: k,
    ...(bytesPerItem === undefined ? {} : { mbPerSec: (median * bytesPerItem) / 1e6 }),
    ...(params === undefined ? {} : { params }),
  };
}

export interface TimedRunsOptions {
  /** Untimed runs first (JIT, caches, thread start-up). */
  warmup: number;
  repetitions: number;
}

/**
 * Runs `once` warm-up + repetitions times; each call returns how many items it handled and how
 * long it took (ms, measured by the callee, which knows where the work starts and ends).
 */
export async function timedRuns(suite: string, name: string, unit: string, opts: TimedRunsOptions,
  once: () => Promise<{ items: number; ms: number }>, bytesPerItem?: number,
  params?: Record<string, number | string>): Promise<MicroResult> {
  for (let i = 0; i < opts.warmup; i++) await once();
  const rates: number[] = [];
  let items = 0;
  for (let i = 0; i < opts.repetitions; i++) {
    const r = await once();
    items = r.items;
    rates.push((r.items * 1000) / r.ms);
  }
  const s = summarize(rates);
  return {
    suite,
    name,
    unit,
    method: 'timed-runs',
    ...s,
    itemsPerSample: items,
    ...(bytesPerItem === undefined ? {} : { mbPerSec: (s.median * bytesPerItem) / 1e6 }),
    ...(params === undefined ? {} : { params }),
  };
}

/** 12345678 → "12.35M", for tables. */
export function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}

/** Prints results as an aligned table (used by run.ts and by each file run on its own). */
export function printTable(results: readonly MicroResult[]): void {
  const rows = results.map((r) => [
    `${r.suite}/${r.name}`,
    `${human(r.median)} ${r.unit}`,
    r.mbPerSec === undefined ? '' : `${r.mbPerSec.toFixed(1)} MB/s`,
    `${human(r.min)}–${human(r.max)}`,
    `±${r.madPct.toFixed(1)}%`,
    String(r.samples),
  ]);
  // mad: median absolute deviation over the median. min–max includes every outlier (a GC
  // pause, another job taking the core), so it says how noisy the machine was, not the code.
  const head = ['scenario', 'median', 'payload', 'min–max', 'mad', 'n'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
