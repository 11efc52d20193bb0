/**
 * The default suite (`make bench`, `ringkv bench`): about 5 minutes on 2 cores.
 *
 * - targets: ringkv io-threads 1; ringkv io-threads 2 adaptive (the default mode) and forced
 *   (every client on an I/O thread); redis-server io-threads 1 and 2 (when on PATH).
 * - redis-benchmark SET/GET at -P 1 (where its single-threaded client is the ceiling on 2 cores)
 *   and -P 16 (where the server is).
 * - the seeds' workloads through the built-in generator: cache (GET/SET 80/20, zipf keys),
 *   sessions, ratelimit, lock, leaderboard, latest.
 * - a latency-throughput curve (cache, open loop) for ringkv single, ringkv adaptive and redis-server.
 * - head-of-line blocking on 1M keys (KEYS * vs SCAN COUNT 100), pub/sub fan-out to 100
 *   subscribers, web sessions (3 node:http apps, autocannon).
 *
 * Three repetitions per cell, interleaved: enough for a median and a spread, not for fine
 * differences — for those, `--reps 7` and a quiet machine.
 */

import type { CellParams, CellSpec, Suite } from './suite.ts';

const builtin: Omit<CellParams, 'pipeline'> = { connections: 50, valueSize: 64, keyspace: 10000, durationMs: 1000, warmupMs: 250, threads: 1 };
const seeds = ['cache', 'sessions', 'ratelimit', 'lock', 'leaderboard', 'latest'].map((workload): CellSpec => ({
  workload,
  generator: 'builtin',
  params: { ...builtin, pipeline: 1, ...(workload === 'cache' ? { keyDist: 'zipf' as const } : {}) },
}));
const rb = (test: string, pipeline: number): CellSpec => ({
  workload: test,
  generator: 'redis-benchmark',
  params: { connections: 50, pipeline, valueSize: 64, keyspace: 100000, requests: pipeline > 1 ? 300000 : 50000, maxMs: 10000 },
});

export default {
  name: 'default',
  description: "ringkv single vs threaded vs redis-server: redis-benchmark SET/GET, the seeds' workloads, a latency curve and three scenarios",
  reps: 3,
  targets: ['ringkv-1', 'ringkv-2', 'ringkv-2-forced', 'redis-1', 'redis-2'],
  cells: [rb('set', 1), rb('get', 1), rb('set', 16), rb('get', 16), ...seeds],
  curves: [
    { workload: 'cache', targets: ['ringkv-1', 'ringkv-2', 'redis-1'], fractions: [0.25, 0.5, 0.7, 0.85, 1.0, 1.15], p99BoundUs: 2000,
      params: { ...builtin, pipeline: 1, keyDist: 'zipf', durationMs: 1000, warmupMs: 200 } },
  ],
  headOfLine: { keys: 1_000_000, valueSize: 16, durationMs: 2000, scanCount: 100, targets: ['ringkv-1', 'ringkv-2', 'redis-1'] },
  pubsubFanout: { subscribers: 100, rate: 500, durationMs: 1500, payloadSize: 64, targets: ['ringkv-1', 'ringkv-2', 'ringkv-2-forced', 'redis-1'] },
  webSessions: { apps: 3, connections: 30, durationMs: 3000, sessions: 10000, targets: ['ringkv-1', 'ringkv-2', 'redis-1'] },
} satisfies Suite;
