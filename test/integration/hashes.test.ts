/**
 * What HRANDFIELD and HSCAN promise beyond a single reply, checked over TCP against ringkv and
 * against a real redis-server (so the tests are known to describe Redis, not just ringkv).
 * Their replies are random (HRANDFIELD) or carry cursors that differ between the servers
 * (HSCAN), so they are checked as properties:
 * - HRANDFIELD: a positive count gives that many distinct fields (all of them when the hash has
 *   no more); a negative count gives exactly |count| fields, repeats allowed, in random order;
 *   WITHVALUES pairs each field with its current value (flat in RESP2, pairs in RESP3); every
 *   field comes up, about equally often.
 * - HSCAN: a full iteration returns every field with its value, whatever the COUNT; MATCH
 *   filters without losing any; fields present for the whole iteration are returned while
 *   others come and go; the iteration ends.
 * - ringkv only: a cursor of another hash, or of an earlier value of the key, restarts the
 *   iteration instead of skipping fields.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, decodeReply as decode, type Reply } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

async function call(c: RawClient, ...argv: string[]): Promise<Reply> {
  return decode(await c.command(...argv));
}

async function strings(c: RawClient, ...argv: string[]): Promise<string[]> {
  const r = await call(c, ...argv);
  if (!Array.isArray(r)) throw new Error(`${argv.join(' ')} replied ${JSON.stringify(r)}`);
  return r as string[];
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** HSET of `fields`, each field's value being "v:" + field, in batches. */
async function fill(c: RawClient, key: string, fields: string[]): Promise<void> {
  for (let i = 0; i < fields.length; i += 500) {
    const argv = ['HSET', key];
    for (const f of fields.slice(i, i + 500)) argv.push(f, `v:${f}`);
    expect(await call(c, ...argv)).toBe(Math.min(500, fields.length - i));
  }
}

/** A flat [field, value, ...] list as [field, value] pairs. */
function pairsOf(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/**
 * A full HSCAN iteration: field → value of everything returned. `between` runs after each step.
 * Fails if a field comes back with two different values, or if the iteration does not end.
 */
async function hscanAll(c: RawClient, key: string, opts: string[] = [],
                        between?: (step: number) => Promise<void>): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  let cursor = '0';
  for (let step = 0; step < 100000; step++) {
    const r = await call(c, 'HSCAN', key, cursor, ...opts);
    if (!Array.isArray(r)) throw new Error(`HSCAN replied ${JSON.stringify(r)}`);
    for (const [f, v] of pairsOf(r[1] as string[])) seen.set(f, v);
    if (r[0] === '0') return seen;
    cursor = r[0] as string;
    if (between !== undefined) await between(step);
  }
  throw new Error('HSCAN iteration did not end');
}

const run = requireRedis();

for (const which of ['ringkv', 'redis'] as const) {
  describe.skipIf(which === 'redis' && !run)(`HRANDFIELD and HSCAN guarantees (${which})`, () => {
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

    for (const size of [5, 300]) {
      test(`HRANDFIELD with a positive count: distinct fields of the hash (${size} fields)`, async () => {
        await call(c, 'DEL', 'h');
        const fields = range('f', size);
        await fill(c, 'h', fields);
        const all = new Set(fields);
        for (const count of [1, 2, 3, size - 1, size, size + 10]) {
          const got = await strings(c, 'HRANDFIELD', 'h', String(count));
          expect(got.length).toBe(Math.min(count, size));
          expect(new Set(got).size).toBe(got.length);
          for (const f of got) expect(all.has(f)).toBe(true);
          const withValues = await strings(c, 'HRANDFIELD', 'h', String(count), 'WITHVALUES');
          expect(withValues.length).toBe(2 * Math.min(count, size));
          const ps = pairsOf(withValues);
          expect(new Set(ps.map(([f]) => f)).size).toBe(ps.length);
          for (const [f, v] of ps) expect(v).toBe(`v:${f}`);
        }
      });

      test(`HRANDFIELD with a negative count: exactly |count| fields, repeats allowed (${size} fields)`, async () => {
        await call(c, 'DEL', 'h');
        const fields = range('f', size);
        await fill(c, 'h', fields);
        const all = new Set(fields);
        for (const count of [1, 3, size, 2 * size + 7]) {
          const got = await strings(c, 'HRANDFIELD', 'h', String(-count));
          expect(got.length).toBe(count);
          for (const f of got) expect(all.has(f)).toBe(true);
          const ps = pairsOf(await strings(c, 'HRANDFIELD', 'h', String(-count), 'WITHVALUES'));
          expect(ps.length).toBe(count);
          for (const [f, v] of ps) expect(v).toBe(`v:${f}`);
        }
        // More draws than fields must repeat some.
        const many = await strings(c, 'HRANDFIELD', 'h', String(-(size + 1)));
        expect(new Set(many).size).toBeLessThan(many.length);
      });
    }

    test('HRANDFIELD draws every field about equally often, in no fixed order', async () => {
      await call(c, 'DEL', 'h');
      const fields = range('f', 10);
      await fill(c, 'h', fields);
      const counts = new Map<string, number>();
      const draws = await strings(c, 'HRANDFIELD', 'h', '-20000');
      for (const f of draws) counts.set(f, (counts.get(f) ?? 0) + 1);
      expect(counts.size).toBe(10);
      // 2000 expected each; the standard deviation is about 42.
      for (const n of counts.values()) {
        expect(n).toBeGreaterThan(1700);
        expect(n).toBeLessThan(2300);
      }
      // Negative counts answer in random order: two draws of all fields in a row rarely agree.
      const a = await strings(c, 'HRANDFIELD', 'h', '-10');
      const b = await strings(c, 'HRANDFIELD', 'h', '-10');
      const d = await strings(c, 'HRANDFIELD', 'h', '-10');
      expect(a.join() === b.join() && b.join() === d.join()).toBe(false);
      // Without a count: one field, and all of them show up.
      const single = new Set<string>();
      for (let i = 0; i < 300; i++) single.add((await call(c, 'HRANDFIELD', 'h')) as string);
      expect([...single].sort()).toEqual([...fields].sort());
    });

    test('HRANDFIELD in RESP3: WITHVALUES answers pairs', async () => {
      const c3 = await RawClient.connect(server.port);
      try {
        await call(c3, 'HELLO', '3');
        await call(c3, 'DEL', 'h3');
        await fill(c3, 'h3', range('f', 200));
        for (const count of ['5', '-5', '500']) {
          const r = (await call(c3, 'HRANDFIELD', 'h3', count, 'WITHVALUES')) as string[][];
          expect(r.length).toBe(count === '500' ? 200 : 5);
          for (const p of r) {
            expect(p.length).toBe(2);
            expect(p[1]).toBe(`v:${p[0]}`);
          }
        }
      } finally {
        c3.close();
      }
    });

    test('a full HSCAN returns every field with its value, whatever the COUNT', async () => {
      await call(c, 'DEL', 'big');
      const fields = range('field:', 3000);
      await fill(c, 'big', fields);
      for (const count of [[], ['COUNT', '1'], ['COUNT', '7'], ['COUNT', '1000'], ['COUNT', '100000']]) {
        const seen = await hscanAll(c, 'big', count);
        expect(seen.size).toBe(fields.length);
        for (const f of fields) expect(seen.get(f)).toBe(`v:${f}`);
      }
    });

    test('HSCAN MATCH filters fields without losing any', async () => {
      await call(c, 'DEL', 'big');
      const fields = [...range('a:', 1000), ...range('b:', 1000)];
      await fill(c, 'big', fields);
      const seen = await hscanAll(c, 'big', ['MATCH', 'a:1*', 'COUNT', '50']);
      const want = fields.filter((f) => f.startsWith('a:1'));
      expect([...seen.keys()].sort()).toEqual(want.sort());
    });

    test('fields present for the whole HSCAN are returned while others come and go', async () => {
      await call(c, 'DEL', 'churn');
      const stable = range('stable:', 2000);
      const volatile = range('volatile:', 2000);
      await fill(c, 'churn', [...stable, ...volatile]);
      const ever = new Set([...stable, ...volatile]);
      const seen = await hscanAll(c, 'churn', ['COUNT', '20'], async (step) => {
        const del = volatile.slice((step * 30) % 2000, ((step * 30) % 2000) + 30);
        if (del.length > 0) await call(c, 'HDEL', 'churn', ...del);
        const fresh = range(`new:${step}:`, 40);
        for (const f of fresh) ever.add(f);
        await fill(c, 'churn', fresh);
      });
      for (const f of stable) expect(seen.get(f)).toBe(`v:${f}`);
      for (const f of seen.keys()) expect(ever.has(f)).toBe(true);
    });

    test('a small hash comes back whole in one HSCAN call, with cursor 0', async () => {
      await call(c, 'DEL', 'small');
      await fill(c, 'small', range('f', 100));
      const r = (await call(c, 'HSCAN', 'small', '0', 'COUNT', '1')) as [string, string[]];
      expect(r[0]).toBe('0');
      expect(r[1].length).toBe(200);
    });
  });
}

describe('HSCAN cursors that are not this hash\'s restart the iteration (ringkv)', () => {
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

  test('a cursor from another hash, or from an earlier value of the key, misses nothing', async () => {
    await call(c, 'FLUSHALL');
    await fill(c, 'x', range('x', 1000));
    await fill(c, 'y', range('y', 1000));
    const rx = (await call(c, 'HSCAN', 'x', '0', 'COUNT', '10')) as [string, string[]];
    expect(rx[0]).not.toBe('0');
    // x's cursor used on y: y is walked from its start.
    const ry = (await call(c, 'HSCAN', 'y', rx[0], 'COUNT', '1000')) as [string, string[]];
    expect(ry[0]).toBe('0');
    expect(ry[1].length).toBe(2000);
    // A cursor of x, then x replaced by a new hash: the new one is walked from its start.
    const rx2 = (await call(c, 'HSCAN', 'x', '0', 'COUNT', '10')) as [string, string[]];
    await call(c, 'DEL', 'x');
    await fill(c, 'x', range('z', 500));
    const rz = (await call(c, 'HSCAN', 'x', rx2[0], 'COUNT', '1000')) as [string, string[]];
    expect(rz[0]).toBe('0');
    expect(rz[1].length).toBe(1000);
    // A cursor never issued, or already used, restarts too.
    const ru = (await call(c, 'HSCAN', 'y', '987654321', 'COUNT', '1000')) as [string, string[]];
    expect(ru[1].length).toBe(2000);
    const again = (await call(c, 'HSCAN', 'y', rx[0], 'COUNT', '1000')) as [string, string[]];
    expect(again[1].length).toBe(2000);
  });
});
