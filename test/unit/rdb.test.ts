/**
 * The RDB codec in-process: CRC-64/Jones, LZF, listpack/intset blobs, writer → loader round
 * trips for every type and encoding, corruption detection, and the background Snapshot's
 * point-in-time guarantee under copy-on-write (writes between slices, in several databases).
 * The files' compatibility with redis-server itself is test/integration/rdb.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { CorruptError, crc64, loadRdb, Snapshot, writeRdb } from '../../src/persistence/rdb/index.ts';
import { intsetDecode, intsetEncode, listpackDecode, listpackEncode } from '../../src/persistence/rdb/encodings.ts';
import { lzfCompress, lzfDecompress } from '../../src/persistence/rdb/lzf.ts';
import { dupValue, type Value } from '../../src/store/db.ts';
import { HashValue } from '../../src/store/hash.ts';
import { Keyspace } from '../../src/store/keyspace.ts';
import { ListValue } from '../../src/store/list.ts';
import { SetValue } from '../../src/store/set.ts';
import { ZSet } from '../../src/store/zset.ts';

/** A comparable plain form of a value. */
function plain(v: Value | undefined): unknown {
  if (v === undefined || typeof v === 'string') return v;
  if (v instanceof ListValue) return ['list', v.toArray()];
  if (v instanceof HashValue) return ['hash', [...v.entries()].sort()];
  if (v instanceof SetValue) return ['set', v.isIntset, [...v.members()].sort()];
  if (v instanceof ZSet) {
    const out: Array<[string, number]> = [];
    v.tree.visit(0, v.size - 1, false, (m, s) => out.push([m, s]));
    return ['zset', v.compact, out];
  }
  throw new Error('unknown value');
}

function dump(ks: Keyspace): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const db of ks.dbs) {
    for (const [k, v] of db.dict) out[`${db.index}/${k}`] = [plain(v), db.expires.get(k)];
  }
  return out;
}

function list(items: string[]): ListValue {
  const l = new ListValue();
  for (const s of items) l.pushTail(s);
  return l;
}

/** A keyspace with every type in each of its encodings. */
function sample(): Keyspace {
  const ks = new Keyspace(16);
  const db = ks.dbs[0]!;
  for (const s of ['', 'hello', '0', '-1', '127', '-128', '32767', '-32769', '2147483647', '2147483648', '-2147483648',
    '007', '+5', '-0', '12345678901', '1.5', 'x'.repeat(21), 'ab'.repeat(5000), '\x00\xff\r\n binary']) {
    db.dict.set(`s:${s.slice(0, 40)}`, s);
  }
  db.dict.set('list:small', list(['a', '1', '-5000', '9223372036854775807', '-9223372036854775808', 'y'.repeat(70)]));
  db.dict.set('list:big', list(Array.from({ length: 20000 }, (_, i) => (i % 7 === 0 ? `e${i}`.repeat(30) : String(i * 37 - 5000)))));
  const hs = new HashValue([['f', 'v'], ['n', '42'], ['neg', '-4097']]);
  db.dict.set('hash:small', hs);
  db.dict.set('hash:longvalue', new HashValue([['f', 'v'.repeat(65)]]));
  db.dict.set('hash:big', new HashValue(Array.from({ length: 1000 }, (_, i): [string, string] => [`field${i}`, `value${i}`])));
  const si = new SetValue();
  for (const m of ['5', '-3', '100000', '-9223372036854775808', '40000']) si.add(m);
  db.dict.set('set:intset', si);
  const ss = new SetValue();
  for (const m of ['a', 'b', '3']) ss.add(m);
  db.dict.set('set:strings', ss);
  const sb = new SetValue();
  for (let i = 0; i < 600; i++) sb.add(String(i));
  db.dict.set('set:manyints', sb);
  const zs = new ZSet();
  zs.add('a', 1.5);
  zs.add('b', -2);
  zs.add('c', Infinity);
  zs.add('d', -Infinity);
  zs.add('e', 0.1);
  zs.add('f', 1e300);
  zs.add('g', 123456789012);
  db.dict.set('zset:small', zs);
  const zb = new ZSet();
  for (let i = 0; i < 300; i++) zb.add(`member${i}`, i / 3);
  db.dict.set('zset:big', zb);
  const zl = new ZSet();
  zl.add('m'.repeat(65), 1);
  db.dict.set('zset:longmember', zl);
  db.dict.set('ttl:future', 'v');
  db.expires.set('ttl:future', Date.now() + 3_600_000);
  ks.dbs[5]!.dict.set('other-db', list(['x']));
  ks.dbs[15]!.dict.set('last-db', '1');
  return ks;
}

test('CRC-64/Jones check value', () => {
  expect(crc64(0n, Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  // Continuing over pieces gives the same as one pass.
  const data = Buffer.from('the quick brown fox jumps over the lazy dog');
  expect(crc64(crc64(0n, data.subarray(0, 10)), data.subarray(10))).toBe(crc64(0n, data));
});

test('LZF round trips, refuses what does not shrink, and rejects malformed input', () => {
  const inputs = [Buffer.from('a'.repeat(1000)), Buffer.from('abcabcabcabc'.repeat(50) + 'xyz'),
    Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)), Buffer.from('hello world hello world hello world')];
  for (const input of inputs) {
    const c = lzfCompress(input, input.length - 4);
    if (c === null) continue;
    expect(c.length).toBeLessThanOrEqual(input.length - 4);
    expect(lzfDecompress(c, input.length).equals(input)).toBe(true);
  }
  expect(lzfCompress(Buffer.from('a'.repeat(1000)), 996)).not.toBeNull();
  const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 17) % 256));
  expect(lzfCompress(random, random.length - 4)).toBeNull();
  expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 10)).toThrow(/LZF/);
  expect(() => lzfDecompress(Buffer.from([0x01, 0x61]), 5)).toThrow(/LZF/);
});

test('listpack and intset round trips at every encoding boundary', () => {
  const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-4097', '32767', '-32768', '32768', '8388607', '-8388608',
    '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808',
    '9223372036854775808', '01', '-0', '', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(4095), 'd'.repeat(4096), 'x'.repeat(20000)];
  expect(listpackDecode(listpackEncode(items))).toEqual(items);
  expect(listpackDecode(listpackEncode([]))).toEqual([]);
  for (const ints of [['1', '2', '3'], ['-40000', '5'], ['-1', '9223372036854775807']]) {
    expect(intsetDecode(intsetEncode(ints))).toEqual(ints);
  }
  const lp = listpackEncode(['a', 'b']);
  lp[lp.length - 1] = 0x00; // the end byte
  expect(() => listpackDecode(lp)).toThrow(CorruptError);
});

describe('writer → loader', () => {
  for (const compression of [true, false]) {
    test(`every type and encoding round trips (rdbcompression ${compression ? 'yes' : 'no'})`, () => {
      const ks = sample();
      const buf = writeRdb(ks, { compression, checksum: true });
      expect(buf.subarray(0, 9).toString()).toBe('REDIS0010');
      const back = new Keyspace(16);
      const r = loadRdb(buf, back);
      expect(r.end).toBe(buf.length);
      expect(r.aux.get('redis-ver')).toBe('7.0.15');
      expect(r.keysLoaded).toBe(ks.size);
      expect(dump(back)).toEqual(dump(ks));
    });
  }

  test('compression shrinks compressible values', () => {
    const ks = sample();
    expect(writeRdb(ks, { compression: true, checksum: true }).length)
      .toBeLessThan(writeRdb(ks, { compression: false, checksum: true }).length);
  });

  test('keys already expired are skipped (kept with keepExpired); empty checksum is not checked', () => {
    const ks = new Keyspace(16);
    ks.dbs[0]!.dict.set('gone', 'v');
    ks.dbs[0]!.expires.set('gone', Date.now() - 1000);
    ks.dbs[0]!.dict.set('kept', 'v');
    const buf = writeRdb(ks, { compression: true, checksum: false });
    expect(buf.subarray(buf.length - 8).equals(Buffer.alloc(8))).toBe(true);
    const a = new Keyspace(16);
    const r = loadRdb(buf, a);
    expect([r.keysLoaded, r.keysExpired]).toEqual([1, 1]);
    expect([...a.dbs[0]!.dict.keys()]).toEqual(['kept']);
    const b = new Keyspace(16);
    loadRdb(buf, b, { keepExpired: true });
    expect(b.dbs[0]!.dict.size).toBe(2);
  });

  test('corruption is reported with what and where, never loaded silently', () => {
    const buf = writeRdb(sample(), { compression: true, checksum: true });
    const flipped = Buffer.from(buf);
    flipped[Math.floor(buf.length / 2)]! ^= 0x55;
    expect(() => loadRdb(flipped, new Keyspace(16))).toThrow(CorruptError);
    expect(() => loadRdb(buf.subarray(0, buf.length - 20), new Keyspace(16))).toThrow(/unexpected end of file|offset/);
    expect(() => loadRdb(Buffer.from('REDIX0010'), new Keyspace(16))).toThrow(/signature/);
    expect(() => loadRdb(Buffer.from('REDIS0011\xff'), new Keyspace(16))).toThrow(/version 11/);
    // A checksum mismatch alone (a flipped byte inside a string value) is caught by the CRC.
    const text = Buffer.from(buf);
    const at = text.indexOf('hello');
    text[at] = 'j'.charCodeAt(0);
    expect(() => loadRdb(text, new Keyspace(16))).toThrow(/checksum/);
    expect(() => loadRdb(buf, new Keyspace(2))).toThrow(/database 5/);
  });
});

describe('Snapshot (background save without fork)', () => {
  test('the image is the keyspace at the epoch, whatever the writes between slices', async () => {
    const ks = new Keyspace(4);
    for (let d = 0; d < 3; d++) {
      for (let i = 0; i < 3000; i++) ks.dbs[d]!.dict.set(`k${i}`, `v${d}:${i}`);
      ks.dbs[d]!.dict.set('list', list(['a', 'b']));
      ks.dbs[d]!.dict.set('ttl', 'x');
      ks.dbs[d]!.expires.set('ttl', Date.now() + 100_000);
    }
    // The expected image: a deep copy as of the epoch.
    const expected = new Keyspace(4);
    for (const db of ks.dbs) for (const [k, v] of db.dict) expected.dbs[db.index]!.dict.set(k, dupValue(v));
    for (const db of ks.dbs) for (const [k, t] of db.expires) expected.dbs[db.index]!.expires.set(k, t);

    const pieces: Buffer[] = [];
    const snap = new Snapshot(ks, { compression: true, checksum: true }, async (c) => {
      pieces.push(Buffer.from(c));
    }, 0.05);
    // Writes as the executor would make them: the hook first, then the change.
    const write = (d: number, argv: string[], keys: string[], change: () => void): void => {
      snap.beforeCommand(ks.dbs[d]!, argv, keys);
      change();
    };
    let round = 0;
    while (!snap.step(0.05)) {
      round++;
      for (let d = 0; d < 3; d++) {
        const db = ks.dbs[d]!;
        const k = `k${(round * 97) % 3000}`;
        write(d, ['set', k, 'new'], [k], () => db.dict.set(k, 'new'));
        write(d, ['del', `k${round}`], [`k${round}`], () => db.dict.delete(`k${round}`));
        write(d, ['set', `born${round}`, '1'], [`born${round}`], () => db.dict.set(`born${round}`, '1'));
        write(d, ['rpush', 'list', 'c'], ['list'], () => (db.dict.get('list') as ListValue).pushTail(`c${round}`));
        write(d, ['persist', 'ttl'], ['ttl'], () => db.expires.delete('ttl'));
      }
      // A key written in db 3, empty at the epoch, stays out; MOVE into db 2 keeps db 2's image.
      write(3, ['set', 'late', '1'], ['late'], () => ks.dbs[3]!.dict.set('late', '1'));
      write(0, ['move', 'k2999', '2'], ['k2999'], () => {
        const v = ks.dbs[0]!.dict.get('k2999');
        if (v !== undefined && !ks.dbs[2]!.dict.has('k2999')) {
          ks.dbs[0]!.dict.delete('k2999');
          ks.dbs[2]!.dict.set('k2999', v);
        }
      });
    }
    await snap.run();
    expect(round).toBeGreaterThan(3); // the writes really happened between slices
    expect(snap.cowKeys).toBeGreaterThan(0);
    const back = new Keyspace(4);
    loadRdb(Buffer.concat(pieces), back);
    expect(dump(back)).toEqual(dump(expected));
  });

  test('FLUSHALL during a snapshot finishes it first', async () => {
    const ks = new Keyspace(2);
    for (let i = 0; i < 5000; i++) ks.dbs[1]!.dict.set(`k${i}`, String(i));
    const pieces: Buffer[] = [];
    const snap = new Snapshot(ks, { compression: false, checksum: true }, async (c) => {
      pieces.push(Buffer.from(c));
    });
    snap.step(0);
    snap.beforeCommand(ks.dbs[0]!, ['FLUSHALL'], []);
    expect(snap.serialised).toBe(true);
    ks.flushAll();
    await snap.run();
    const back = new Keyspace(2);
    expect(loadRdb(Buffer.concat(pieces), back).keysLoaded).toBe(5000);
  });
});
