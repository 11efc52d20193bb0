/**
 * The opt-in per-thread sampler behind `ringkv profile` (src/lab/profile): event-loop
 * utilisation, event-loop delay and GC pauses of the thread that calls it, written as JSON lines.
 *
 * Contract
 * - Off unless the environment variable RINGKV_PROFILE_SAMPLES names a file: then
 *   `startProfileSampler()` costs one env lookup and returns; nothing else in the server changes.
 * - On, every RINGKV_PROFILE_SAMPLE_MS (default 250) the calling thread appends one line to that
 *   file (appendFileSync, O_APPEND: lines of several threads never interleave within a line):
 *     { kind: 'start' | 'tick' | 'end', thread, threadId, pid, t, elu, delayMs, gc }
 *   t is CLOCK_MONOTONIC in µs (process.hrtime), the clock of V8's .cpuprofile timestamps, so the
 *   lab can line samples up with a profile and with its own /proc samples. elu is the event-loop
 *   utilisation over the interval (performance.eventLoopUtilization), delayMs the interval's
 *   event-loop delay percentiles in ms (monitorEventLoopDelay at RESOLUTION_MS),
 *   gc the interval's GC pauses by kind (PerformanceObserver 'gc').
 * - A leaf (imports only node:*), so an I/O worker, which may load protocol and ring code only,
 *   can use it. The timer is unref'd: the sampler never keeps a thread alive. The 'end' line is
 *   written from process 'exit' (main thread) or when the worker's event loop ends.
 */

import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';

/** monitorEventLoopDelay's sampling resolution: a coarser timer costs less and still sees stalls. */
const RESOLUTION_MS = 5;

interface GcTally {
  count: number;
  ms: number;
  maxMs: number;
  byKind: Record<string, { count: number; ms: number }>;
}

/** V8's GC kinds (perf_hooks constants NODE_PERFORMANCE_GC_*). */
const GC_KINDS: Record<number, string> = { 1: 'major', 2: 'minor', 4: 'incremental', 8: 'weakcb' };

function emptyGc(): GcTally {
  return { count: 0, ms: 0, maxMs: 0, byKind: {} };
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Starts sampling this thread when RINGKV_PROFILE_SAMPLES is set; `thread` names it in the
 * lines (the kernel thread name the lab sees in /proc: 'main', 'io-thread-N').
 */
export function startProfileSampler(thread: string): void {
  const file = process.env.RINGKV_PROFILE_SAMPLES;
  if (file === undefined || file === '') return;
  const everyMs = Math.max(10, Number(process.env.RINGKV_PROFILE_SAMPLE_MS) || 250);
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let gc = emptyGc();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KINDS[((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ?? 0] ?? 'other';
      gc.count++;
      gc.ms += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
      const k = (gc.byKind[kind] ??= { count: 0, ms: 0 });
      k.count++;
      k.ms += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  const write = (kind: 'start' | 'tick' | 'end'): void => {
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    const h = delay.count > 0
      ? { mean: round(delay.mean / 1e6), p50: round(delay.percentile(50) / 1e6), p90: round(delay.percentile(90) / 1e6),
          p99: round(delay.percentile(99) / 1e6), max: round(delay.max / 1e6), count: delay.count }
      : null;
    delay.reset();
    const g = { ...gc, ms: round(gc.ms), maxMs: round(gc.maxMs) };
    gc = emptyGc();
    const line = { kind, thread, threadId, pid: process.pid, t: nowUs(), elu: round(elu.utilization, 4),
      activeMs: round(elu.active), idleMs: round(elu.idle), delayMs: h, gc: g };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the profile's directory went away: sampling is best effort
    }
  };
  write('start');
  const timer = setInterval(() => write('tick'), everyMs);
  timer.unref();
  process.once('exit', () => {
    clearInterval(timer);
    write('end');
  });
}
