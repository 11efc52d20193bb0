/**
 * The built-in load generator (src/lab/loadgen) against real servers. Correctness, not speed:
 * nothing here asserts a rate a loaded machine could miss.
 *
 * What is pinned here
 * - Every workload runs against a real redis-server (once; it does not depend on ringkv's I/O
 *   mode) and against ringkv (in each I/O mode) with zero error replies, every request kind
 *   seen, and the data it leaves behind shaped as the workload says (lists capped at 10,
 *   sessions with their TTL, rate counters with a TTL, the leaderboard's members).
 * - Open loop keeps its schedule: exactly rate × window requests are scheduled in the window,
 *   each one is either answered or counted as timed out, and the throughput is the rate.
 * - Coordinated omission is corrected: a server stalled for 200 ms (DEBUG SLEEP 0.2 on a real
 *   ringkv) puts every request scheduled during the stall into the latency distribution, so the
 *   p99 from the intended send time is in the stall's range, while the latency from the actual
 *   send (what a closed-loop tool reports) hides it.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runLoad, type LoadOptions, type LoadResult } from '../../src/lab/loadgen/index.ts';
import { keyName } from '../../src/lab/loadgen/encoder.ts';
import { WORKLOADS } from '../../src/lab/workloads/index.ts';
import { RawClient, decodeReply } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

const KEYSPACE = 300;

function brief(port: number, workload: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  const w = WORKLOADS[workload]!;
  return {
    host: '127.0.0.1', port, workload, connections: 4, threads: 2, pipeline: 4, durationMs: 400, warmupMs: 0,
    keyspace: KEYSPACE, keyDist: w.defaults.keyDist, valueSize: 32, preload: true, seed: 7, ...extra,
  };
}

/** Kinds that must occur in a short run (a lock's 'lost' needs a lock to expire mid-exchange). */
function expectedKinds(workload: string): string[] {
  const kinds = [...WORKLOADS[workload]!.kinds];
  return workload === 'lock' ? ['lock+release'] : kinds;
}

async function checkState(port: number, workload: string): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    const q = async (...argv: string[]): Promise<unknown> => decodeReply(await c.command(...argv));
    switch (workload) {
      case 'cache':
      case 'get':
        expect(await q('GET', keyName('key:', KEYSPACE - 1))).toMatch(/^[A-Za-z0-9]{32}$/);
        break;
      case 'sessions': {
        const h = (await q('HGETALL', keyName('sess:', 1))) as string[];
        expect(h.filter((_, i) => i % 2 === 0).sort()).toEqual(['created', 'data', 'last', 'user']);
        const ttl = (await q('TTL', keyName('sess:', 1))) as number;
        expect(ttl > 0 && ttl <= 1800).toBe(true);
        break;
      }
      case 'ratelimit': {
        const keys = (await q('KEYS', 'rl:*')) as string[];
        expect(keys.length).toBeGreaterThan(0);
        const ttl = (await q('TTL', keys[0]!)) as number;
        expect(ttl > 0 && ttl <= 60).toBe(true);
        break;
      }
      case 'leaderboard':
        expect(await q('ZCARD', 'lb')).toBe(KEYSPACE);
        break;
      case 'latest':
        for (const k of [0, 1, KEYSPACE - 1]) expect(await q('LLEN', keyName('latest:', k))).toBe(10);
        break;
      default:
        break;
    }
  } finally {
    c.close();
  }
}

function expectClean(r: LoadResult, workload: string): void {
  expect(r.errors).toBe(0);
  expect(r.requests).toBeGreaterThan(0);
  for (const k of expectedKinds(workload)) expect(r.perCommand![k]!.requests, `${workload}: ${k}`).toBeGreaterThan(0);
  for (const [k, v] of Object.entries(r.perCommand!)) expect(v.errors, `${workload}: ${k}`).toBe(0);
  expect(r.latencyUs.p50).toBeGreaterThan(0);
  expect(r.client.threads).toBe(2);
  expect(r.client.cpuMs).toBeGreaterThan(0);
}

// The redis-server runs do not depend on ringkv's I/O mode: they are defined in the single
// project only (not skipped in the threaded one: a skipped suite would read as missing coverage).
const singleProject = process.env.RINGKV_TEST_IO_THREADS === undefined;
if (singleProject) describe.skipIf(!requireRedis())('workloads against redis-server', () => {
  let redis: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  for (const name of Object.keys(WORKLOADS)) {
    test(name, async () => {
      const r = await runLoad(brief(redis.port, name));
      expectClean(r, name);
      await checkState(redis.port, name);
    });
  }
});

describe('against ringkv', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startRingkv(['--enable-debug-command', 'yes']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const name of Object.keys(WORKLOADS)) {
    test(`workload ${name}: zero errors`, async () => {
      const r = await runLoad(brief(server.port, name));
      expectClean(r, name);
      await checkState(server.port, name);
    });
  }

  test('open loop schedules exactly rate × window and answers every request', async () => {
    const rate = 2000;
    const r = await runLoad(brief(server.port, 'get', { rate, durationMs: 1500, warmupMs: 200, connections: 10 }));
    const s = r.schedule!;
    // Two shards of 1000 req/s each, 1.5 s: 1500 intended times each fall in the window (±1 at each edge).
    expect(Math.abs(s.scheduled - rate * 1.5)).toBeLessThanOrEqual(4);
    expect(r.requests + s.timedOut).toBe(s.scheduled);
    expect(s.timedOut).toBe(0);
    expect(r.errors).toBe(0);
    expect(Math.abs(r.throughput - rate) / rate).toBeLessThan(0.01);
    expect(r.schedule!.rate).toBe(rate);
  });

  test('a 200 ms stall shows in the intended-time p99, not in the send-time one', async () => {
    const stall = await RawClient.connect(server.port);
    try {
      // 1000 req/s for 3 s: the stall (200 ms) delays ~200 of ~3000 requests (~6.7%).
      const run = runLoad(brief(server.port, 'get', { rate: 1000, durationMs: 3000, warmupMs: 300, connections: 10, threads: 1, pipeline: 1, preload: false }));
      await new Promise((r) => setTimeout(r, 1800));
      expect((await stall.command('DEBUG', 'SLEEP', '0.2')).toString()).toBe('+OK\r\n');
      const r = await run;
      const corrected = r.latencyUs;
      const naive = r.schedule!.uncorrectedUs;
      expect(corrected.max).toBeGreaterThanOrEqual(180_000);
      expect(corrected.p99).toBeGreaterThanOrEqual(100_000);
      // Only the 10 requests in flight when the stall began waited on it from their send.
      expect(naive.p99).toBeLessThan(corrected.p99 / 3);
      expect(r.errors).toBe(0);
    } finally {
      stall.close();
    }
  });
});
