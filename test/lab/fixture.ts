/**
 * A synthetic but realistic results.json ("ringkv-bench/1") for the report and gate tests:
 * three targets (ringkv single, ringkv threaded, redis-server) × two workloads, five
 * repetitions each with real HdrHistograms (hdr-histogram-js, µs) drawn from a seeded
 * log-normal, per-thread CPU, RSS, one redis-benchmark cell without histograms, one unstable
 * cell, a latency–throughput curve with a knee, and the three harness scenarios in their real
 * shapes (head-of-line where `KEYS *` stalls the GETs and SCAN does not — or, with
 * `hol: 'no-stall'`, where neither does; one target's head-of-line run failed; pub/sub fan-out
 * with one target losing deliveries; web sessions with one target answering errors).
 * Deterministic for a given seed.
 * `validateResults` is applied, so the fixture tracks the committed schema.
 */

import * as hdr from 'hdr-histogram-js';
import type { Cell, Curve, HeadOfLineResult, HolPhase, PubsubFanoutResult, Rep, Results, ScenarioRun, WebSessionsResult } from '../../src/lab/results/schema.ts';
import { validateResults } from '../../src/lab/results/schema.ts';
import { statOf } from '../../src/lab/results/stats.ts';
import { rng } from '../../src/lab/report/stats.ts';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function histogramOf(random: () => number, medianUs: number, sigma: number, count: number): { b64: string; h: hdr.Histogram } {
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < count; i++) h.recordValue(Math.max(1, Math.round(medianUs * Math.exp(sigma * gaussian(random)))));
  return { b64: hdr.encodeIntoCompressedBase64(h), h };
}

interface CellSpec {
  target: string;
  workload: string;
  throughput: number;
  noise: number;
  latencyUs: number;
  mainBusy: number;
  ioBusy: number;
  generator?: 'builtin' | 'redis-benchmark';
}

function holPhase(blocker: string | null, p50: number, p99: number, max: number, calls: number, meanMs: number): HolPhase {
  return { blocker, getRequests: 4000, getErrors: 0, getLatencyUs: { p50, p90: Math.round((p50 + p99) / 2), p99, p999: Math.round((p99 + max) / 2), max }, blockerCalls: calls, blockerMeanMs: meanMs };
}

/** Head-of-line results: `stalls` as the seeds say (KEYS * blocks the GETs for its whole call), else a run where KEYS did not stall. */
function holResult(stalls: boolean, f: number): HeadOfLineResult {
  const baseline = holPhase(null, Math.round(400 * f), Math.round(2100 * f), Math.round(5300 * f), 0, 0);
  const keys = stalls
    ? holPhase('KEYS *', Math.round(310_000 * f), Math.round(910_000 * f), Math.round(1_020_000 * f), 2, 950 * f)
    : holPhase('KEYS *', Math.round(450 * f), Math.round(4400 * f), Math.round(9100 * f), 40, 12 * f);
  const scan = holPhase('SCAN cursor COUNT 100', Math.round(420 * f), Math.round(3300 * f), Math.round(7700 * f), 15000, 0.13 * f);
  return { keyCount: stalls ? 1_000_000 : 10_000, getRate: 2000, baseline, keys, scan, keysStalls: stalls, scanStalls: false };
}

function pubsubResult(random: () => number, p50: number, delivered: number): PubsubFanoutResult {
  const { b64 } = histogramOf(random, p50, 0.5, 300);
  return {
    subscribers: 100, rate: 500, published: 750, expected: 75_000, delivered,
    deliveryLatencyUs: { p50, p90: p50 * 3, p99: p50 * 7, p999: p50 * 9, max: p50 * 12 },
    histogram: b64, client: { cpuMs: 400, utilisation: 0.27, bound: false },
  };
}

function webResult(throughput: number, p99: number, errors: number): WebSessionsResult {
  return {
    apps: 3, connections: 30, sessions: 10_000, requests: Math.round(throughput * 3), throughput,
    latencyUs: { mean: 4500, p50: 3000, p90: 7000, p99, max: p99 * 3 }, errors, non2xx: 0,
    client: { cpuMs: 600, utilisation: 0.2, bound: false },
  };
}

export interface FixtureOptions {
  throughputScale?: Record<string, number>;
  runId?: string;
  /** The head-of-line outcome (default 'stalls': KEYS * stalls, SCAN does not). */
  hol?: 'stalls' | 'no-stall';
}

export function makeResults(seed = 7, opts: FixtureOptions = {}): Results {
  const random = rng(seed);
  const specs: CellSpec[] = [
    { target: 'ringkv-1', workload: 'cache', throughput: 80_000, noise: 0.02, latencyUs: 600, mainBusy: 0.97, ioBusy: 0 },
    { target: 'ringkv-3', workload: 'cache', throughput: 90_000, noise: 0.02, latencyUs: 520, mainBusy: 0.62, ioBusy: 1.1 },
    { target: 'redis', workload: 'cache', throughput: 120_000, noise: 0.03, latencyUs: 380, mainBusy: 0.85, ioBusy: 0 },
    { target: 'ringkv-1', workload: 'leaderboard', throughput: 40_000, noise: 0.15, latencyUs: 1200, mainBusy: 0.98, ioBusy: 0 },
    { target: 'ringkv-3', workload: 'leaderboard', throughput: 41_000, noise: 0.03, latencyUs: 1150, mainBusy: 0.96, ioBusy: 0.7 },
    { target: 'redis', workload: 'leaderboard', throughput: 70_000, noise: 0.03, latencyUs: 700, mainBusy: 0.9, ioBusy: 0, generator: 'redis-benchmark' },
  ];
  let order = 0;
  const cells: Cell[] = specs.map((s) => {
    const scale = opts.throughputScale?.[s.target] ?? 1;
    const reps: Rep[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const durationMs = 2000 + Math.round(random() * 10);
      const throughput = s.throughput * scale * (1 + s.noise * gaussian(random));
      const { b64, h } = histogramOf(random, s.latencyUs, 0.35, 2000);
      const withHist = (s.generator ?? 'builtin') === 'builtin';
      const main = s.mainBusy * durationMs;
      const io = s.ioBusy * durationMs;
      const threads = [
        { tid: 100, name: 'node', role: 'main' as const, cpuMs: main },
        ...(io > 0 ? [1, 2, 3].map((i) => ({ tid: 100 + i, name: `io-thread-${i}`, role: 'io' as const, cpuMs: io / 3 })) : []),
        { tid: 110, name: 'V8Worker', role: 'other' as const, cpuMs: 0.05 * durationMs },
      ];
      const cpuMs = threads.reduce((a, t) => a + t.cpuMs, 0);
      reps.push({
        rep,
        order: order++,
        throughput,
        errors: 0,
        durationMs,
        latencyUs: {
          mean: h.mean,
          p50: h.getValueAtPercentile(50),
          p90: h.getValueAtPercentile(90),
          p99: h.getValueAtPercentile(99),
          p999: h.getValueAtPercentile(99.9),
          max: h.maxValue,
        },
        histogram: withHist ? b64 : null,
        server: { threads, cpuMs, rssBytes: 60_000_000 + Math.round(random() * 1e6), opsPerCpuSec: (throughput * durationMs) / cpuMs },
        client: { cpuMs: 0.6 * durationMs, utilisation: 0.6, bound: false },
      });
    }
    const t = statOf(reps.map((r) => r.throughput));
    return {
      target: s.target,
      workload: s.workload,
      generator: s.generator ?? 'builtin',
      params: { connections: 50, pipeline: 1, valueSize: 64 },
      reps,
      summary: { throughput: t, p50: statOf(reps.map((r) => r.latencyUs.p50)), p99: statOf(reps.map((r) => r.latencyUs.p99)), unstable: t.cv > 0.1 },
    };
  });
  const curve = (target: string, capacity: number): Curve => {
    const points = [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1].map((f) => {
      const rate = Math.round(capacity * f);
      const served = Math.min(rate, capacity);
      const p99 = f < 0.85 ? 300 + 400 * f : 2000 * (f / 0.85) ** 8;
      const { b64 } = histogramOf(random, p99 / 3, 0.4, 500);
      return { rate, throughput: served, latencyUs: { p50: Math.round(p99 / 3), p99: Math.round(p99), p999: Math.round(p99 * 1.5) }, histogram: b64 };
    });
    const under = points.filter((p) => p.latencyUs.p99 <= 1000);
    const k = under[under.length - 1];
    return { target, workload: 'cache', p99BoundUs: 1000, points, knee: k ? { rate: k.rate, throughput: k.throughput } : null };
  };
  const r: Results = {
    schema: 'ringkv-bench/1',
    runId: opts.runId ?? `fixture-${seed}`,
    startedAt: '2026-11-22T03:00:00.000Z',
    finishedAt: '2026-11-22T03:05:00.000Z',
    suite: 'fixture',
    env: {
      cpuModel: 'Test CPU @ 3.0GHz', cores: 2, kernel: '6.1.0', node: 'v26.0.0', ringkvCommit: '0123456789abcdef0123456789abcdef01234567',
      ringkvDirty: false, redisVersion: '7.0.15', hostname: 'fixture', loadavg: [0.5, 0.4, 0.3], pinned: false, notes: ['synthetic fixture'],
    },
    targets: [
      { id: 'ringkv-1', label: 'ringkv single', kind: 'ringkv', ioThreads: 1, args: ['--io-threads', '1'], available: true },
      { id: 'ringkv-3', label: 'ringkv threaded', kind: 'ringkv', ioThreads: 3, args: ['--io-threads', '3'], available: true },
      { id: 'redis', label: 'redis-server', kind: 'redis', ioThreads: 1, args: [], available: true },
      { id: 'redis-io', label: 'redis-server io-threads 2', kind: 'redis', ioThreads: 2, args: ['--io-threads', '2'], available: false, reason: 'not in this suite' },
    ],
    cells,
    curves: [curve('ringkv-1', 80_000), curve('redis', 120_000)],
    scenarios: {
      headOfLine: {
        params: { keys: opts.hol === 'no-stall' ? 10_000 : 1_000_000, valueSize: 16, durationMs: 2000, scanCount: 100 },
        byTarget: { 'ringkv-1': holResult(opts.hol !== 'no-stall', 1), 'ringkv-3': { error: 'preload timed out' }, redis: holResult(opts.hol !== 'no-stall', 0.6) },
      } satisfies ScenarioRun<HeadOfLineResult>,
      pubsubFanout: {
        params: { subscribers: 100, rate: 500, durationMs: 1500, payloadSize: 64 },
        byTarget: { 'ringkv-1': pubsubResult(random, 1800, 75_000), 'ringkv-3': pubsubResult(random, 2600, 75_000), redis: pubsubResult(random, 900, 74_100) },
      } satisfies ScenarioRun<PubsubFanoutResult>,
      webSessions: {
        params: { apps: 3, connections: 30, durationMs: 3000, sessions: 10_000 },
        byTarget: { 'ringkv-1': webResult(5600, 40_000, 0), 'ringkv-3': webResult(6100, 44_000, 0), redis: webResult(7200, 31_000, 12) },
      } satisfies ScenarioRun<WebSessionsResult>,
    },
  };
  validateResults(r);
  return r;
}
