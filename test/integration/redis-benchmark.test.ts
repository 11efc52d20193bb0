/**
 * redis-benchmark's default suite against ringkv: every test of
 *   redis-benchmark -p PORT -q -n 2000 -c 20 --csv
 * (PING_INLINE, PING_MBULK, SET, GET, INCR, LPUSH, RPUSH, LPOP, RPOP, SADD, HSET, SPOP, ZADD,
 * ZPOPMIN, the LPUSH that fills the list, LRANGE_100/300/500/600, MSET) runs to the end at a
 * positive rate, with nothing on stderr and no error reply.
 *
 * redis-benchmark 7 exits with status 1 and "Error from server: ..." on stderr at the first
 * error reply, so a clean exit already means no command was refused; the server's own
 * total_error_replies counts it again from the other side. The vitest config runs this file in
 * both I/O modes (single-threaded, and threaded with every client on an I/O thread).
 * Rates are not compared with anything here: scripts/bench-default-suite.ts does that.
 */

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeReply, RawClient } from '../helpers/raw.ts';
import { startRingkv, type TestServer } from '../helpers/servers.ts';

/** The default suite's test names, in the order redis-benchmark 7.0 runs them. */
const DEFAULT_TESTS = [
  'PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'SADD', 'HSET', 'SPOP', 'ZADD',
  'ZPOPMIN', 'LPUSH (needed to benchmark LRANGE)', 'LRANGE_100 (first 100 elements)', 'LRANGE_300 (first 300 elements)',
  'LRANGE_500 (first 500 elements)', 'LRANGE_600 (first 600 elements)', 'MSET (10 keys)',
];

const available = spawnSync('redis-benchmark', ['--version']).status === 0;
if (!available && process.env.CI) throw new Error('redis-benchmark is not installed, and CI is set');

/** Runs redis-benchmark to its end: exit status, stdout, stderr. */
async function redisBenchmark(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const [code] = (await once(proc, 'exit')) as [number | null];
  return { code, out, err };
}

/** CSV lines "test","rps",... → [test, rps] in order (the header skipped). */
function parseCsv(out: string): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  for (const line of out.split('\n')) {
    const m = /^"([^"]*)","([^"]*)"/.exec(line.trim());
    if (m !== null && m[1] !== 'test') rows.push([m[1]!, Number(m[2])]);
  }
  return rows;
}

describe.skipIf(!available)('redis-benchmark default suite', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startRingkv();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('every default test runs, at a positive rate, with no error', async () => {
    const r = await redisBenchmark(['-p', String(server.port), '-q', '-n', '2000', '-c', '20', '--csv']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = parseCsv(r.out);
    expect(rows.map(([name]) => name)).toEqual(DEFAULT_TESTS);
    for (const [name, rps] of rows) {
      expect(Number.isFinite(rps), `${name} rps ${rps}`).toBe(true);
      expect(rps, name).toBeGreaterThan(0);
    }

    // The server's side: no error reply at all, and the data the suite leaves behind.
    const c = await RawClient.connect(server.port);
    try {
      const info = decodeReply(await c.command('INFO', 'stats')) as string;
      expect(info).toContain('\r\ntotal_error_replies:0\r\n');
      // 2000 LPUSH + 2000 RPUSH + 2000 for LRANGE, 2000 LPOP + 2000 RPOP: 2000 elements left.
      expect(decodeReply(await c.command('LLEN', 'mylist'))).toBe(2000);
      expect(decodeReply(await c.command('GET', 'counter:__rand_int__'))).toBe('2000');
    } finally {
      c.close();
    }
  }, 120_000);
});
