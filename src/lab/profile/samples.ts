/**
 * The server's per-thread samples (src/lib/profile-sampler.ts, on when RINGKV_PROFILE_SAMPLES
 * names a file): JSON lines of event-loop utilisation, event-loop delay and GC pauses, read back
 * and summarised over the measured window, per thread.
 */

import { existsSync, readFileSync } from 'node:fs';

export interface SampleLine {
  kind: 'start' | 'tick' | 'end';
  thread: string;
  threadId: number;
  pid: number;
  /** CLOCK_MONOTONIC µs. */
  t: number;
  elu: number;
  activeMs: number;
  idleMs: number;
  delayMs: { mean: number; p50: number; p90: number; p99: number; max: number; count: number } | null;
  gc: { count: number; ms: number; maxMs: number; byKind: Record<string, { count: number; ms: number }> };
}

export interface ThreadSamples {
  thread: string;
  threadId: number;
  /** Event-loop utilisation over the window (active / (active + idle) of the ticks in it). */
  elu: number;
  /** Worst interval's p99 and max event-loop delay, and the mean of the intervals' p50. */
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  gcByKind: Record<string, { count: number; ms: number }>;
  /** The window's ticks, for the ELU-over-time chart: [t µs, elu, p99 delay ms]. */
  series: Array<[number, number, number]>;
}

export function readSamples(file: string): SampleLine[] {
  if (!existsSync(file)) return [];
  const out: SampleLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as SampleLine);
    } catch {
      // a line cut by a kill: skip it
    }
  }
  return out;
}

/** threadId → thread name, from the lines' 'start' records. */
export function threadNames(lines: readonly SampleLine[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const l of lines) m.set(l.threadId, l.thread);
  return m;
}

/** Per-thread summary of the ticks whose interval ends in [fromUs, toUs]. */
export function summariseSamples(lines: readonly SampleLine[], fromUs: number, toUs: number): ThreadSamples[] {
  const by = new Map<number, SampleLine[]>();
  for (const l of lines) {
    if (l.kind === 'start' || l.t < fromUs || l.t > toUs) continue;
    const a = by.get(l.threadId) ?? [];
    a.push(l);
    by.set(l.threadId, a);
  }
  const out: ThreadSamples[] = [];
  for (const [threadId, ls] of by) {
    const active = ls.reduce((a, l) => a + l.activeMs, 0);
    const idle = ls.reduce((a, l) => a + l.idleMs, 0);
    const d = ls.map((l) => l.delayMs).filter((x) => x !== null);
    const byKind: Record<string, { count: number; ms: number }> = {};
    for (const l of ls) {
      for (const [k, v] of Object.entries(l.gc.byKind)) {
        const e = (byKind[k] ??= { count: 0, ms: 0 });
        e.count += v.count;
        e.ms += v.ms;
      }
    }
    out.push({
      thread: ls[0]!.thread,
      threadId,
      elu: active + idle > 0 ? active / (active + idle) : 0,
      delayP50Ms: d.length === 0 ? 0 : d.reduce((a, x) => a + x.p50, 0) / d.length,
      delayP99Ms: d.length === 0 ? 0 : Math.max(...d.map((x) => x.p99)),
      delayMaxMs: d.length === 0 ? 0 : Math.max(...d.map((x) => x.max)),
      gcCount: ls.reduce((a, l) => a + l.gc.count, 0),
      gcMs: ls.reduce((a, l) => a + l.gc.ms, 0),
      gcMaxMs: Math.max(0, ...ls.map((l) => l.gc.maxMs)),
      gcByKind: byKind,
      series: ls.map((l) => [l.t, l.elu, l.delayMs?.p99 ?? 0]),
    });
  }
  return out.sort((a, b) => a.threadId - b.threadId);
}
