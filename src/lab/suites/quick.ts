/**
 * The quick suite: under a minute on 2 cores. CI's smoke run and the lab's own end-to-end test
 * (test/lab/bench.test.ts): one redis-benchmark cell, one built-in generator cell, every
 * harness-driven scenario at toy size. Figures from it show the machinery works, not where
 * anything stands.
 */

import type { Suite } from './suite.ts';

export default {
  name: 'quick',
  description: 'smoke run: every generator and scenario at toy size (under a minute)',
  reps: 2,
  targets: ['ringkv-1', 'ringkv-2', 'redis-1'],
  cells: [
    { workload: 'set', generator: 'redis-benchmark', params: { connections: 20, pipeline: 1, valueSize: 64, keyspace: 10000, requests: 10000 } },
    { workload: 'cache', generator: 'builtin', params: { connections: 20, pipeline: 1, valueSize: 64, keyspace: 10000, keyDist: 'zipf', durationMs: 500, warmupMs: 100 } },
  ],
  curves: [
    { workload: 'cache', targets: ['ringkv-1'], fractions: [0.5, 1.2], p99BoundUs: 5000,
      params: { connections: 20, pipeline: 1, valueSize: 64, keyspace: 10000, keyDist: 'zipf', durationMs: 500, warmupMs: 100 } },
  ],
  headOfLine: { keys: 50000, valueSize: 16, durationMs: 600, scanCount: 100, targets: ['ringkv-1'] },
  pubsubFanout: { subscribers: 20, rate: 200, durationMs: 500, payloadSize: 64, targets: ['ringkv-1', 'redis-1'] },
  webSessions: { apps: 2, connections: 10, durationMs: 1000, sessions: 1000, targets: ['ringkv-1'] },
} satisfies Suite;
