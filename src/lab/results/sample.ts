/**
 * A small, valid, deterministic results.json for tests of anything that reads results
 * (`ringkv report`, `ringkv gate`, the repeatability check) without running a benchmark.
 *
 *   const r = sampleResults();                       // 4 targets, 2 workloads, 3 reps, a curve
 *   const r = sampleResults({ redis: false });       // redis-server reported absent
 *   const r = sampleResults({ scale: { 'ringkv-1': 0.5 } }); // one target's throughput halved
 *
 * The numbers are invented but shaped like a real run (ringkv single ≈ 0.65× redis-server,
 * forced threads slower, p99 a few times p50); histograms are real HdrHistogram encodings.
 */

import * as hdr from 'hdr-histogram-js';
import type { Cell, Curve, HeadOfLineResult, HolPhase, PubsubFanoutResult, Rep, Results, Target, WebSessionsResult } from './schema.ts';
import { SCHEMA_ID } from './schema.ts';
import { isUnstable, statOf } from './stats.ts';

export interface SampleOptions {
  /** Include redis-server targets as available (default true); false marks them absent. */
  redis?: boolean;
  /** Repetitions per cell (default 3). */
  reps?: number;
  /** Multiply a target's throughput by this factor (latency by its inverse). */
  scale?: Record<string, number>;
  /** Spread of the repetitions around the cell's centre, as a fraction (default 0.03; 0.3 makes unstable cells). */
  jitter?: number;
  runId?: string;
}

/** An encoded HdrHistogram (µs) of `count` values spread log-normally around `p50`. */
export function sampleHistogram(p50: number, count = 2000): string {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  for (let i = 1; i <= count; i++) {
    const q = i / (count + 1);
    // A fat right tail: p99 ≈ 4× p50.
    h.recordValue(Math.max(1, Math.round(p50 * Math.exp(0.6 * Math.tan(Math.PI * (q - 0.5)) * 0.35))));
  }
  const s = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return s;
}

const BASE: Record<string, { tput: number; p50: number; kind: Target['kind']; io: number; label: string; args: string[] }> = {
  'ringkv-1': { tput: 60000, p50: 700, kind: 'ringkv', io: 1, label: 'ringkv io-threads 1', args: [] },
  'ringkv-2': { tput: 62000, p50: 690, kind: 'ringkv', io: 2, label: 'ringkv io-threads 2 (adaptive)', args: ['--io-threads', '2'] },
  'ringkv-2-forced': { tput: 45000, p50: 950, kind: 'ringkv', io: 2, label: 'ringkv io-threads 2 (forced)', args: ['--io-threads', '2', '--io-threads-force', 'yes'] },
  'redis-1': { tput: 92000, p50: 480, kind: 'redis', io: 1, label: 'redis-server io-threads 1', args: [] },
  'redis-2': { tput: 50000, p50: 850, kind: 'redis', io: 2, label: 'redis-server io-threads 2', args: ['--io-threads', '2', '--io-threads-do-reads', 'yes'] },
};

function holPhase(blocker: string | null, p99: number, calls: number, meanMs: number): HolPhase {
  return { blocker, getRequests: 4000, getErrors: 0, getLatencyUs: { p50: p99 / 4, p90: p99 / 2, p99, p999: p99 * 1.1, max: p99 * 1.2 }, blockerCalls: calls, blockerMeanMs: meanMs };
}

function sampleHol(f: number): HeadOfLineResult {
  return {
    keyCount: 1000000, getRate: 2000,
    baseline: holPhase(null, 1500 * f, 0, 0),
    keys: holPhase('KEYS *', 400000 * f, 5, 400 * f),
    scan: holPhase('SCAN cursor COUNT 100', 2500 * f, 15000, 0.12 * f),
    keysStalls: true, scanStalls: false,
  };
}

function samplePubsub(p50: number): PubsubFanoutResult {
  return {
    subscribers: 100, rate: 500, published: 750, expected: 75000, delivered: 75000,
    deliveryLatencyUs: { p50, p90: p50 * 2, p99: p50 * 5, p999: p50 * 8, max: p50 * 10 },
    histogram: sampleHistogram(p50, 200), client: { cpuMs: 700, utilisation: 0.45, bound: false },
  };
}

function sampleWeb(tput: number): WebSessionsResult {
  return {
    apps: 3, connections: 30, sessions: 10000, requests: tput * 3, throughput: tput,
    latencyUs: { mean: 3000, p50: 3000, p90: 5000, p99: 12000, max: 30000 }, errors: 0, non2xx: 0,
    client: { cpuMs: 2000, utilisation: 0.66, bound: false },
  };
}

export function sampleResults(opts: SampleOptions = {}): Results {
  const withRedis = opts.redis ?? true;
  const nReps = opts.reps ?? 3;
  const jitter = opts.jitter ?? 0.03;
  const targets: Target[] = Object.entries(BASE).map(([id, b]) => {
    const t: Target = { id, label: b.label, kind: b.kind, ioThreads: b.io, args: b.args, available: true };
    if (b.kind === 'redis' && !withRedis) {
      t.available = false;
      t.reason = 'redis-server not found on PATH';
    }
    return t;
  });
  const live = targets.filter((t) => t.available);
  const workloads: Array<[string, Cell['generator'], number]> = [['cache', 'builtin', 1], ['set', 'redis-benchmark', 1.1]];
  const cells: Cell[] = [];
  let order = 0;
  for (const [workload, generator, wf] of workloads) {
    for (const t of live) {
      const b = BASE[t.id]!;
      const f = (opts.scale?.[t.id] ?? 1) * wf;
      const reps: Rep[] = [];
      for (let i = 0; i < nReps; i++) {
        const wobble = 1 + jitter * Math.sin(1 + i * 2.3 + t.id.length);
        const tput = b.tput * f * wobble;
        const p50 = b.p50 / f / wobble;
        const serverCpu = 1000 * (t.kind === 'redis' ? 0.7 : 0.95);
        const ioCpu = b.io > 1 ? 250 : 0;
        reps.push({
          rep: i,
          order: order++,
          throughput: tput,
          errors: 0,
          durationMs: 1000,
          latencyUs: { mean: p50 * 1.2, p50, p90: p50 * 2, p99: p50 * 4, p999: p50 * 7, max: p50 * 20 },
          histogram: generator === 'builtin' ? sampleHistogram(p50, 500) : null,
          server: {
            threads: [
              { tid: 1000, name: t.kind === 'redis' ? 'redis-server' : 'node', role: 'main', cpuMs: serverCpu },
              ...Array.from({ length: b.io - 1 }, (_, k) => ({
                tid: 1001 + k,
                name: t.kind === 'redis' ? `io_thd_${k + 1}` : `io-thread-${k + 1}`,
                role: 'io' as const,
                cpuMs: ioCpu,
              })),
            ],
            cpuMs: serverCpu + ioCpu * (b.io - 1),
            rssBytes: 64 * 2 ** 20,
            opsPerCpuSec: tput / ((serverCpu + ioCpu * (b.io - 1)) / 1000),
          },
          client: { cpuMs: 900, utilisation: 0.45, bound: false },
        });
      }
      const throughput = statOf(reps.map((r) => r.throughput));
      cells.push({
        target: t.id,
        workload,
        generator,
        params: { connections: 50, pipeline: 1, valueSize: 64, keyspace: 10000 },
        reps,
        summary: { throughput, p50: statOf(reps.map((r) => r.latencyUs.p50)), p99: statOf(reps.map((r) => r.latencyUs.p99)), unstable: isUnstable(throughput) },
      });
    }
  }
  const curves: Curve[] = live.filter((t) => t.id === 'ringkv-1' || t.id === 'redis-1').map((t) => {
    const cap = BASE[t.id]!.tput * (opts.scale?.[t.id] ?? 1);
    const points = [0.25, 0.5, 0.75, 1, 1.25].map((x) => {
      const rate = Math.round(cap * x);
      const p50 = x < 1 ? 150 / (1 - x * 0.8) : 5000 * x;
      return { rate, throughput: Math.min(rate, cap), latencyUs: { p50, p99: p50 * 4, p999: p50 * 8 }, histogram: sampleHistogram(p50, 200) };
    });
    const under = points.filter((p) => p.latencyUs.p99 <= 2000);
    const best = under[under.length - 1];
    return { target: t.id, workload: 'cache', p99BoundUs: 2000, points, knee: best === undefined ? null : { rate: best.rate, throughput: best.throughput } };
  });
  return {
    schema: SCHEMA_ID,
    runId: opts.runId ?? '2026-11-22T03-00-00Z-sample',
    startedAt: '2026-11-22T03:00:00.000Z',
    finishedAt: '2026-11-22T03:05:00.000Z',
    suite: 'sample',
    env: {
      cpuModel: 'AMD EPYC (sample)',
      cores: 2,
      kernel: '6.18.44',
      node: 'v26.10.0',
      ringkvCommit: '0000000000000000000000000000000000000000',
      ringkvDirty: false,
      redisVersion: withRedis ? '7.0.15' : null,
      hostname: 'sample',
      loadavg: [0.5, 0.4, 0.3],
      pinned: false,
      notes: ['sample data, not a measurement'],
    },
    targets,
    cells,
    curves,
    scenarios: {
      headOfLine: { params: { keys: 1000000, valueSize: 16, durationMs: 2000, scanCount: 100 }, byTarget: Object.fromEntries(live.filter((t) => t.ioThreads === 1).map((t) => [t.id, sampleHol(t.kind === 'redis' ? 1 : 1.5)])) },
      pubsubFanout: { params: { subscribers: 100, rate: 500, durationMs: 1500, payloadSize: 64 }, byTarget: Object.fromEntries(live.map((t) => [t.id, samplePubsub(t.kind === 'redis' ? 900 : 1100)])) },
      webSessions: { params: { apps: 3, connections: 30, durationMs: 3000, sessions: 10000 }, byTarget: Object.fromEntries(live.filter((t) => t.ioThreads === 1).map((t) => [t.id, sampleWeb(t.kind === 'redis' ? 9000 : 7000)])) },
    },
  };
}
