/**
 * What the generic key commands promise beyond a single reply, checked over TCP against ringkv
 * and, for the promises Redis also makes, against a real redis-server (so the tests are known
 * to describe Redis, not just ringkv):
 * - SCAN: a full iteration returns every key that exists for its whole duration, even while
 *   keys are added and deleted; MATCH, COUNT and TYPE filter without losing any; keys past
 *   their time are never returned. Cursor values differ between the servers, so only the sets
 *   of keys are compared.
 * - KEYS and RANDOMKEY never return a key past its time.
 * - Active expiry removes keys nobody reads: DBSIZE drops to 0 by itself.
 * - ringkv only: an unknown or foreign cursor restarts the iteration instead of skipping keys.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand, decodeReply as decode, type Reply } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

async function call(c: RawClient, ...argv: string[]): Promise<Reply> {
  return decode(await c.command(...argv));
}

/** Sets `keys` (value "v") in batches. */
async function fill(c: RawClient, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    const argv = ['MSET'];
    for (const k of keys.slice(i, i + 500)) argv.push(k, 'v');
    expect(await call(c, ...argv)).toBe('OK');
  }
}

/** One SCAN call: the next cursor and the keys. */
async function scanStep(c: RawClient, cursor: string, ...opts: string[]): Promise<[string, string[]]> {
  const r = await call(c, 'SCAN', cursor, ...opts);
  if (!Array.isArray(r)) throw new Error(`SCAN replied ${JSON.stringify(r)}`);
  return [r[0] as string, r[1] as string[]];
}

/**
 * A full iteration: every key returned (with repeats counted once). `between` runs after each
 * step, to change the keyspace mid-iteration. Fails if the iteration does not end.
 */
async function scanAll(c: RawClient, opts: string[] = [], between?: (step: number) => Promise<void>): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor = '0';
  for (let step = 0; step < 100000; step++) {
    const [next, keys] = await scanStep(c, cursor, ...opts);
    for (const k of keys) seen.add(k);
    if (next === '0') return seen;
    cursor = next;
    if (between !== undefined) await between(step);
  }
  throw new Error('SCAN iteration did not end');
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const run = requireRedis();

for (const which of ['ringkv', 'redis'] as const) {
  describe.skipIf(which === 'redis' && !run)(`key iteration and expiry guarantees (${which})`, () => {
    let server: TestServer;
    let c: RawClient;
    beforeAll(async () => {
      server = which === 'ringkv' ? await startRingkv() : await startRedis();
      c = await RawClient.connect(server.port);
    });
    afterAll(async () => {
      c?.close();
      await server?.stop();
    });

    test('a full SCAN returns every key, whatever the COUNT', async () => {
      await call(c, 'FLUSHALL');
      const keys = range('key:', 5000);
      await fill(c, keys);
      for (const count of [[], ['COUNT', '1'], ['COUNT', '7'], ['COUNT', '1000'], ['COUNT', '100000']]) {
        const seen = await scanAll(c, count);
        expect(seen.size).toBe(keys.length);
        for (const k of keys) expect(seen.has(k)).toBe(true);
      }
    });

    test('keys present for the whole iteration are returned while others come and go', async () => {
      await call(c, 'FLUSHALL');
      const stable = range('stable:', 3000);
      const volatile = range('volatile:', 3000);
      await fill(c, [...stable, ...volatile]);
      let added = 0;
      const ever = new Set([...stable, ...volatile]);
      const seen = await scanAll(c, ['COUNT', '20'], async (step) => {
        // Delete some volatile keys and add new ones, enough to make the table grow and shrink.
        const del = volatile.slice((step * 40) % 3000, ((step * 40) % 3000) + 40);
        if (del.length > 0) await call(c, 'DEL', ...del);
        const fresh = range(`new:${step}:`, 60);
        for (const k of fresh) ever.add(k);
        await fill(c, fresh);
        added += fresh.length;
      });
      expect(added).toBeGreaterThan(1000);
      for (const k of stable) expect(seen.has(k), k).toBe(true);
      for (const k of seen) expect(ever.has(k), k).toBe(true);
    });

    test('an iteration ends even when keys are replaced faster than SCAN walks', async () => {
      await call(c, 'FLUSHALL');
      const stable = range('stable:', 2000);
      await fill(c, stable);
      // A cache's churn: the size stays bounded, but each step brings more new keys than COUNT.
      let previous: string[] = [];
      let steps = 0;
      const seen = await scanAll(c, ['COUNT', '10'], async (step) => {
        steps = step + 1;
        if (steps > 1000) throw new Error('SCAN is not converging');
        if (previous.length > 0) await call(c, 'DEL', ...previous);
        previous = range(`churn:${step}:`, 50);
        await fill(c, previous);
      });
      expect(steps).toBeLessThanOrEqual(1000);
      for (const k of stable) expect(seen.has(k), k).toBe(true);
    });

    test('MATCH and COUNT filter without losing keys', async () => {
      await call(c, 'FLUSHALL');
      const users = range('user:', 1000);
      await fill(c, [...users, ...range('other:', 1000), 'user', 'usera:']);
      const seen = await scanAll(c, ['MATCH', 'user:*', 'COUNT', '50']);
      expect([...seen].sort()).toEqual([...users].sort());
      const some = await scanAll(c, ['COUNT', '3', 'MATCH', 'user:1?']);
      expect([...some].sort()).toEqual(range('user:1', 10).sort());
      expect((await scanAll(c, ['MATCH', 'nomatch*'])).size).toBe(0);
    });

    test('TYPE filters by type name', async () => {
      await call(c, 'FLUSHALL');
      const strings = range('s:', 500);
      await fill(c, strings);
      // Other types join when their commands exist on the server under test.
      const lists = range('l:', 200);
      const haveLists = !(typeof (await call(c, 'LPUSH', 'probe', 'x')) === 'object');
      if (haveLists) {
        await call(c, 'DEL', 'probe');
        for (const k of lists) await call(c, 'LPUSH', k, 'x');
      }
      expect([...(await scanAll(c, ['TYPE', 'string', 'COUNT', '30']))].sort()).toEqual([...strings].sort());
      expect([...(await scanAll(c, ['TYPE', 'STRING', 'MATCH', 's:1*']))].sort())
        .toEqual(strings.filter((k) => k.startsWith('s:1')).sort());
      expect([...(await scanAll(c, ['TYPE', 'list']))].sort()).toEqual(haveLists ? [...lists].sort() : []);
      expect((await scanAll(c, ['TYPE', 'hash'])).size).toBe(0);
    });

    test('SCAN, KEYS and RANDOMKEY never return a key past its time', async () => {
      await call(c, 'FLUSHALL');
      const live = range('live:', 300);
      const dying = range('dying:', 300);
      await fill(c, [...live, ...dying]);
      for (const k of dying) expect(await call(c, 'PEXPIRE', k, '1')).toBe(1);
      await sleep(20);
      const keys = await call(c, 'KEYS', '*') as string[];
      expect([...keys].sort()).toEqual([...live].sort());
      expect([...(await scanAll(c))].sort()).toEqual([...live].sort());
      // The SCAN deleted whatever active expiry had not: only live keys are counted now.
      expect(await call(c, 'DBSIZE')).toBe(300);
      for (let i = 0; i < 50; i++) expect(live).toContain(await call(c, 'RANDOMKEY'));
    });

    test('RANDOMKEY: null when empty, some existing key otherwise, null when all are past their time', async () => {
      await call(c, 'FLUSHALL');
      expect(await call(c, 'RANDOMKEY')).toBe(null);
      const keys = range('r:', 20);
      await fill(c, keys);
      const got = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const k = await call(c, 'RANDOMKEY');
        expect(keys).toContain(k);
        got.add(k as string);
      }
      expect(got.size).toBeGreaterThan(5);
      for (const k of keys) await call(c, 'PEXPIRE', k, '1');
      await sleep(20);
      expect(await call(c, 'RANDOMKEY')).toBe(null);
      expect(await call(c, 'DBSIZE')).toBe(0);
    });

    test('active expiry removes keys nobody reads', async () => {
      await call(c, 'FLUSHALL');
      await call(c, 'CONFIG', 'RESETSTAT');
      await fill(c, range('keep:', 10));
      // Pipelined, so the keys are all written well within their TTL.
      const argvs: string[][] = [];
      for (const k of range('ttl:', 1000)) argvs.push(['SET', k, 'v', 'PX', '100']);
      for (const k of range('ttl2:', 500)) argvs.push(['SET', k, 'v'], ['PEXPIRE', k, '100']);
      c.write(Buffer.concat(argvs.map((argv) => encodeCommand(argv))));
      for (let i = 0; i < argvs.length; i++) await c.readReply();
      expect(await call(c, 'DBSIZE')).toBeGreaterThan(10);
      const deadline = Date.now() + 2000;
      let size = -1;
      while (Date.now() < deadline) {
        size = await call(c, 'DBSIZE') as number;
        if (size === 10) break;
        await sleep(50);
      }
      expect(size).toBe(10);
      const info = await call(c, 'INFO', 'stats') as string;
      expect(/expired_keys:(\d+)/.exec(info)?.[1]).toBe('1500');
      expect(await call(c, 'EXISTS', 'keep:0', 'keep:9')).toBe(2);
    });
  });
}

describe('SCAN cursors (ringkv)', () => {
  let server: TestServer;
  let c: RawClient;
  beforeAll(async () => {
    server = await startRingkv();
    c = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    c?.close();
    await server?.stop();
  });

  test('an unknown cursor restarts the iteration rather than skipping keys', async () => {
    await call(c, 'FLUSHALL');
    const keys = range('k:', 100);
    await fill(c, keys);
    for (const cursor of ['123456789', '18446744073709551615', '-1']) {
      const [next, got] = await scanStep(c, cursor, 'COUNT', '1000');
      expect(next).toBe('0');
      expect([...got].sort()).toEqual([...keys].sort());
    }
  });

  test('a cursor is consumed once: replaying it restarts', async () => {
    await call(c, 'FLUSHALL');
    const keys = range('k:', 100);
    await fill(c, keys);
    const [cursor, first] = await scanStep(c, '0', 'COUNT', '10');
    expect(cursor).not.toBe('0');
    const [, second] = await scanStep(c, cursor, 'COUNT', '90');
    expect(new Set([...first, ...second]).size).toBe(100);
    const [, replay] = await scanStep(c, cursor, 'COUNT', '1000');
    expect(replay.length).toBe(100);
  });

  test('interleaved iterations on two connections are independent', async () => {
    await call(c, 'FLUSHALL');
    const keys = range('k:', 1000);
    await fill(c, keys);
    const d = await RawClient.connect(server.port);
    try {
      const seen = [new Set<string>(), new Set<string>()];
      const cursors = ['0', '0'];
      const done = [false, false];
      while (!done[0] || !done[1]) {
        for (const i of [0, 1]) {
          if (done[i]) continue;
          const [next, got] = await scanStep(i === 0 ? c : d, cursors[i]!, 'COUNT', i === 0 ? '7' : '13');
          for (const k of got) seen[i]!.add(k);
          cursors[i] = next;
          done[i] = next === '0';
        }
      }
      expect(seen[0]!.size).toBe(1000);
      expect(seen[1]!.size).toBe(1000);
    } finally {
      d.close();
    }
  });

  test('a cursor from another database restarts in the current one', async () => {
    await call(c, 'FLUSHALL');
    await fill(c, range('db0:', 50));
    const [cursor] = await scanStep(c, '0', 'COUNT', '5');
    await call(c, 'SELECT', '1');
    await fill(c, range('db1:', 30));
    const [next, got] = await scanStep(c, cursor, 'COUNT', '1000');
    await call(c, 'SELECT', '0');
    expect(next).toBe('0');
    expect([...got].sort()).toEqual(range('db1:', 30).sort());
  });
});
