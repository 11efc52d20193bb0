/**
 * The frame fuzzer (scripts/fuzz-frames.ts), bounded for CI: 30,000 generated frames (valid,
 * mutated, truncated, garbage, huge lengths, over-long lines) against ringkv and a real
 * redis-server in each I/O mode. Every batch must be answered byte for byte as redis-server
 * answers it (and closed when it closes), nothing may hang, a bystander connection keeps getting
 * PONG, and ringkv is still up at the end. FUZZ_SEED picks another run.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fuzzFrames } from '../../scripts/fuzz-frames.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

describe.skipIf(!requireRedis())('frame fuzzing', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('30,000 frames: no mismatch with redis-server, no hang, bystander answered, server alive', async () => {
    const log: string[] = [];
    const res = await fuzzFrames(ringkv, { seed: SEED, frames: 30000, lanes: 4, redisPort: redis.port, log: (s) => log.push(s) });
    expect(log.filter((l) => /MISMATCH|HANG|bystander/.test(l))).toEqual([]);
    expect({ mismatches: res.mismatches, hangs: res.hangs, bystanderFailures: res.bystanderFailures, alive: res.alive })
      .toEqual({ mismatches: 0, hangs: 0, bystanderFailures: 0, alive: true });
    expect(res.frames).toBeGreaterThanOrEqual(30000);
    // The run reached the error paths, not just valid frames.
    expect(Object.keys(res.protocolErrors).length).toBeGreaterThan(4);
  }, 120000);
});
