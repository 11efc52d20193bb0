/**
 * The set family against a real redis-server.
 *
 * Reply order: a set of at most 512 integers is an intset on both servers and answers in
 * ascending numeric order, so those scripts are compared byte for byte (diffSuite). Any other
 * set answers in Redis's hash order and ringkv's insertion order, so those scripts sort the
 * replies of the listed commands before comparing (diffSuiteUnordered). Random picks (SPOP,
 * SRANDMEMBER) are compared only where they are deterministic (the whole set, zero, a missing
 * key); their randomness is tested for its properties against ringkv alone at the end, as is a
 * full SSCAN iteration under churn.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSuite, type Script } from '../helpers/diff.ts';
import { RawClient } from '../helpers/raw.ts';
import { startRingkv, type TestServer } from '../helpers/servers.ts';
import { diffSuiteUnordered } from '../helpers/unordered.ts';
import { seededInt as seeded } from '../helpers/random.ts';

const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';
const T2100 = '4102444800';

function ints(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => String(from + i));
}

/** The commands whose replies depend on hash order for a non-intset set. */
const UNORDERED = ['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SSCAN', 'SPOP', 'SRANDMEMBER', 'SCAN'];

// ---- intsets: order is numeric on both servers, compared byte for byte ---------------------------

diffSuite('sets (intset order, byte for byte)', {
  'SADD and SMEMBERS keep integers sorted': [
    ['SADD', 's', '3', '1', '2', '-5', '100', '1', '3'], ['SMEMBERS', 's'], ['SCARD', 's'], ['TYPE', 's'],
    ['SADD', 's', '0', '-1', '99'], ['SMEMBERS', 's'],
    ['SADD', 'big', INT64_MAX, INT64_MIN, '0', '-9223372036854775807', '9223372036854775806'], ['SMEMBERS', 'big'],
  ],
  'SISMEMBER, SMISMEMBER on intsets, with non-canonical integers': [
    ['SADD', 's', '1', '10', '-3'],
    ['SISMEMBER', 's', '1'], ['SISMEMBER', 's', '01'], ['SISMEMBER', 's', '+1'], ['SISMEMBER', 's', ' 1'], ['SISMEMBER', 's', '1.0'],
    ['SISMEMBER', 's', 'x'], ['SISMEMBER', 'nokey', '1'],
    ['SMISMEMBER', 's', '1', '2', '10', '-3', '-03'], ['SMISMEMBER', 'nokey', 'a', 'b'],
  ],
  'SREM from an intset, deleting the emptied key': [
    ['SADD', 's', '1', '2', '3'], ['SREM', 's', '2', '2', '4', 'x', '02'], ['SMEMBERS', 's'],
    ['SREM', 's', '1', '3', '5'], ['EXISTS', 's'], ['SREM', 's', '1'], ['SREM', 'nokey', 'a', 'b'],
  ],
  'SPOP and SRANDMEMBER with counts covering the whole intset': [
    ['SADD', 's', '5', '-2', '7', '0'],
    ['SRANDMEMBER', 's', '4'], ['SRANDMEMBER', 's', '100'], ['SRANDMEMBER', 's', INT64_MAX], ['SRANDMEMBER', 's', '0'],
    ['SRANDMEMBER', 's', '-0'], ['SCARD', 's'],
    ['SPOP', 's', '0'], ['SPOP', 's', '4'], ['EXISTS', 's'],
    ['SADD', 's', '9', '8'], ['SPOP', 's', INT64_MAX], ['EXISTS', 's'],
  ],
  'a hashtable set left with integers: SUNION and SPOP-all rebuild an intset, SMEMBERS does not': [
    ['SADD', 's', 'x', '30', '-1', '2', '10'], ['SREM', 's', 'x'], ['SUNION', 's'], ['SDIFF', 's', 'nokey'], ['SINTERSTORE', 'd', 's'],
    ['SMEMBERS', 'd'], ['SPOP', 's', '4'], ['EXISTS', 's'],
  ],
  'single-member SPOP and SRANDMEMBER are deterministic': [
    ['SADD', 's', '42'], ['SRANDMEMBER', 's'], ['SRANDMEMBER', 's', '1'], ['SRANDMEMBER', 's', '-3'],
    ['SPOP', 's'], ['EXISTS', 's'], ['SPOP', 's'], ['SRANDMEMBER', 's'],
  ],
  'set algebra over intsets answers in numeric order': [
    ['SADD', 'a', '1', '2', '3', '4', '10'], ['SADD', 'b', '3', '4', '5', '-6'], ['SADD', 'c', '4', '10', '-6'],
    ['SINTER', 'a', 'b'], ['SINTER', 'a', 'b', 'c'], ['SINTER', 'c', 'a'],
    ['SUNION', 'a', 'b'], ['SUNION', 'a', 'b', 'c', 'nokey'], ['SUNION', 'nokey'],
    ['SDIFF', 'a', 'b'], ['SDIFF', 'b', 'a'], ['SDIFF', 'a', 'b', 'c'], ['SDIFF', 'a', 'nokey'], ['SDIFF', 'nokey', 'a'],
    ['SINTERSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'], ['SUNIONSTORE', 'd', 'a', 'c'], ['SMEMBERS', 'd'],
    ['SDIFFSTORE', 'd', 'a', 'c'], ['SMEMBERS', 'd'],
  ],
  'SSCAN of an intset comes whole with cursor 0': [
    ['SADD', 's', ...ints(0, 300)], ['SSCAN', 's', '0'], ['SSCAN', 's', '0', 'COUNT', '1'],
    ['SSCAN', 's', '0', 'MATCH', '1*'], ['SSCAN', 's', '12345', 'MATCH', '*9', 'COUNT', '2'],
    ['SADD', 'n', '-1', '-12', '5'], ['SSCAN', 'n', '0', 'MATCH', '-1*'],
  ],
  '512 integers stay an intset': [
    ['SADD', 's', ...ints(0, 512).reverse()], ['SCARD', 's'], ['SMEMBERS', 's'], ['SRANDMEMBER', 's', '600'],
    ['SINTER', 's', 's'], ['SUNIONSTORE', 'd', 's'], ['SMEMBERS', 'd'],
  ],
  'COMMAND INFO and GETKEYS of the set commands': [
    ['COMMAND', 'INFO', 'sadd', 'srem', 'sismember', 'smismember', 'scard', 'smembers', 'srandmember', 'spop', 'smove'],
    ['COMMAND', 'INFO', 'sinter', 'sunion', 'sdiff', 'sinterstore', 'sunionstore', 'sdiffstore', 'sintercard', 'sscan'],
    ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'], ['COMMAND', 'GETKEYS', 'SINTERSTORE', 'd', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['COMMAND', 'GETKEYS', 'SUNION', 'a', 'b', 'c'],
  ],
  'TYPE, and numbers of the wrong shape convert nothing': [
    ['SADD', 's', '1'], ['TYPE', 's'], ['TYPE', 'nokey'], ['SADD', 's', '1'], ['SMEMBERS', 's'],
  ],
});

diffSuiteUnordered('sets in RESP3 (intset order, byte for byte; HELLO\'s id masked)', [], {
  'RESP3: sets are sets, SRANDMEMBER is an array, nulls': [
    ['HELLO', '3'],
    ['SADD', 's', '3', '1', '2'], ['SMEMBERS', 's'], ['SMEMBERS', 'nokey'], ['SRANDMEMBER', 's', '5'], ['SRANDMEMBER', 'nokey', '5'],
    ['SRANDMEMBER', 'nokey'], ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', 's', '0'],
    ['SINTER', 's', 's'], ['SINTER', 's', 'nokey'], ['SUNION', 's'], ['SDIFF', 's', 'nokey'], ['SSCAN', 's', '0'],
    ['SMISMEMBER', 's', '1', '9'], ['SINTERCARD', '1', 's'], ['SPOP', 's', '3'],
  ],
});

// ---- everything else: contents compared, order not ------------------------------------------

/** A random sequence of set commands over a few keys and a small alphabet of ints and strings. */
function randomSetScript(seed: number, steps: number): Script {
  const r = seeded(seed);
  const keys = ['s1', 's2', 's3'];
  const key = () => keys[r(3)]!;
  const member = () => (r(3) === 0 ? 'abcdef'[r(6)]! : String(r(12) - 3));
  const members = () => Array.from({ length: 1 + r(4) }, member);
  const script: Script = [];
  for (let i = 0; i < steps; i++) {
    switch (r(14)) {
      case 0: case 1: case 2: script.push(['SADD', key(), ...members()]); break;
      case 3: script.push(['SREM', key(), ...members()]); break;
      case 4: script.push(['SMOVE', key(), key(), member()]); break;
      case 5: script.push(['SINTERSTORE', key(), key(), key()]); break;
      case 6: script.push(['SUNIONSTORE', key(), key(), key()]); break;
      case 7: script.push(['SDIFFSTORE', key(), key(), key()]); break;
      case 8: script.push(['SINTERCARD', '2', key(), key(), 'LIMIT', String(r(4))]); break;
      case 9: script.push(['SMISMEMBER', key(), ...members()]); break;
      case 10: script.push(['SCARD', key()]); break;
      case 11: script.push(['SPOP', key(), '100']); break;
      default: script.push(['SMEMBERS', key()]);
    }
  }
  for (const k of keys) script.push(['SMEMBERS', k], ['SCARD', k]);
  return script;
}

diffSuiteUnordered('sets (contents; hash order aside)', UNORDERED, {
  'strings make a hashtable set': [
    ['SADD', 's', 'a', 'b', 'c', 'a'], ['SMEMBERS', 's'], ['SCARD', 's'], ['SISMEMBER', 's', 'b'], ['SISMEMBER', 's', 'B'],
    ['SADD', 'm', '1', '2', 'x'], ['SMEMBERS', 'm'], ['SREM', 'm', 'x'], ['SMEMBERS', 'm'], ['SADD', 'm', '-1'], ['SMEMBERS', 'm'],
  ],
  'non-canonical integers are strings': [
    ['SADD', 's', '1', '01', '-0', '+1', ' 1', '1.0', '0x1', '9223372036854775808', '-9223372036854775809'],
    ['SMEMBERS', 's'], ['SCARD', 's'], ['SISMEMBER', 's', '01'], ['SREM', 's', '01', '+1'], ['SMEMBERS', 's'],
  ],
  'a 513th integer makes a hashtable': [
    ['SADD', 's', ...ints(0, 513)], ['SCARD', 's'], ['SMEMBERS', 's'], ['SISMEMBER', 's', '512'], ['SREM', 's', '512'],
    ['SMEMBERS', 's'], ['SRANDMEMBER', 's', '1000'], ['SINTER', 's', 's'],
  ],
  'binary members': [
    ['SADD', 's', '', '\x00', 'a\r\nb', '\xff\xfe', 'a b'], ['SMEMBERS', 's'], ['SISMEMBER', 's', ''], ['SISMEMBER', 's', '\x00'],
    ['SREM', 's', 'a\r\nb'], ['SMEMBERS', 's'], ['SSCAN', 's', '0', 'MATCH', '*\xfe'],
  ],
  'set algebra with strings and mixed encodings': [
    ['SADD', 'a', 'x', 'y', 'z', '1', '2'], ['SADD', 'b', 'y', 'z', 'w', '2', '3'], ['SADD', 'c', '1', '2', '3'],
    ['SINTER', 'a', 'b'], ['SINTER', 'a', 'c'], ['SINTER', 'c', 'a'], ['SINTER', 'a', 'b', 'c'],
    ['SUNION', 'a', 'b', 'c'], ['SDIFF', 'a', 'b'], ['SDIFF', 'a', 'c'], ['SDIFF', 'c', 'a', 'b'], ['SDIFF', 'a', 'a'],
    ['SDIFF', 'a', 'b', 'a'], ['SDIFF', 'a', 'nokey', 'nokey'],
    ['SINTERSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'], ['SUNIONSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'],
    ['SDIFFSTORE', 'd', 'b', 'a'], ['SMEMBERS', 'd'], ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '3', 'a', 'b', 'c'],
    ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['SINTERCARD', '2', 'a', 'b', 'limit', '0'],
    ['SINTERCARD', '1', 'a', 'LIMIT', '3', 'LIMIT', '100'],
  ],
  'store commands replace any destination, drop its TTL, or delete it when empty': [
    ['SADD', 'a', 'x', 'y'], ['SADD', 'b', 'y'], ['SET', 'd', 'string'], ['EXPIRE', 'd', '1000'],
    ['SINTERSTORE', 'd', 'a', 'b'], ['TYPE', 'd'], ['TTL', 'd'], ['SMEMBERS', 'd'],
    ['EXPIRE', 'd', '1000'], ['SUNIONSTORE', 'd', 'a'], ['TTL', 'd'], ['SMEMBERS', 'd'],
    ['SDIFFSTORE', 'd', 'a', 'a'], ['EXISTS', 'd'],
    ['SET', 'd', 'v'], ['SINTERSTORE', 'd', 'a', 'nokey'], ['EXISTS', 'd'],
    ['SET', 'd', 'v'], ['SUNIONSTORE', 'd', 'nokey'], ['EXISTS', 'd'],
    ['SET', 'd', 'v'], ['SDIFFSTORE', 'd', 'nokey', 'a'], ['EXISTS', 'd'],
    ['SINTERSTORE', 'a', 'a', 'b'], ['SMEMBERS', 'a'], ['SUNIONSTORE', 'b', 'b', 'b'], ['SMEMBERS', 'b'],
  ],
  'in-place writes keep the TTL': [
    ['SADD', 's', 'a', 'b', 'c', '1'], ['EXPIRE', 's', '1000'], ['SADD', 's', 'd'], ['TTL', 's'], ['SREM', 's', 'a'], ['TTL', 's'],
    ['SADD', 's', 'x'], ['SMOVE', 's', 'o', 'x'], ['TTL', 's'], ['TTL', 'o'], ['SADD', 'o', 'y'], ['EXPIRE', 'o', '500'],
    ['SMOVE', 's', 'o', 'b'], ['TTL', 'o'], ['SMEMBERS', 'o'],
    // EXPIRETIME, not TTL: a TTL counted down from an absolute time can differ by a second
    // between the two servers when their runs straddle a second boundary.
    ['SADD', 'i', '1', '2'], ['EXPIREAT', 'i', T2100], ['SADD', 'i', 'str'], ['EXPIRETIME', 'i'], ['SADD', 'i', ...ints(0, 600)], ['EXPIRETIME', 'i'],
  ],
  'COPY makes an independent set; RENAME and MOVE carry it': [
    ['SADD', 's', '1', '2', 'x'], ['COPY', 's', 't'], ['SADD', 't', 'y'], ['SREM', 's', 'x'], ['SMEMBERS', 's'], ['SMEMBERS', 't'],
    ['SADD', 'i', '3', '1'], ['COPY', 'i', 'j'], ['SADD', 'j', '2'], ['SMEMBERS', 'i'], ['SMEMBERS', 'j'],
    ['RENAME', 't', 'u'], ['TYPE', 'u'], ['SCARD', 'u'], ['MOVE', 'u', '1'], ['SELECT', '1'], ['SMEMBERS', 'u'], ['TYPE', 'u'],
    ['SCAN', '0', 'TYPE', 'set'], ['SELECT', '0'], ['SCAN', '0', 'TYPE', 'SET', 'COUNT', '100'],
  ],
  'SMOVE': [
    ['SADD', 'a', 'x', 'y', '1'], ['SADD', 'b', 'z'], ['SET', 'str', 'v'],
    ['SMOVE', 'a', 'b', 'x'], ['SMEMBERS', 'a'], ['SMEMBERS', 'b'], ['SMOVE', 'a', 'b', 'x'], ['SMOVE', 'a', 'b', 'nope'],
    ['SMOVE', 'nokey', 'b', 'x'], ['SMOVE', 'nokey', 'str', 'x'], ['SMOVE', 'a', 'str', 'y'], ['SMOVE', 'str', 'a', 'y'],
    ['SMOVE', 'a', 'a', 'y'], ['SMOVE', 'a', 'a', 'nope'], ['SMEMBERS', 'a'],
    ['SMOVE', 'a', 'new', '1'], ['SMEMBERS', 'new'], ['TYPE', 'new'], ['SMOVE', 'a', 'b', 'y'], ['EXISTS', 'a'], ['SMEMBERS', 'b'],
    ['SADD', 'c', 'y'], ['SMOVE', 'b', 'c', 'y'], ['SMEMBERS', 'c'], ['SMEMBERS', 'b'], ['SADD', 'i', '5'], ['SMOVE', 'b', 'i', 'z'],
    ['SMEMBERS', 'i'],
  ],
  'SPOP and SRANDMEMBER: the deterministic corners': [
    ['SADD', 's', 'a', 'b', 'c'], ['SPOP', 's', '3'], ['EXISTS', 's'], ['SADD', 's', 'a', 'b', 'c'], ['SPOP', 's', '10'],
    ['SADD', 's', 'a', 'b'], ['SRANDMEMBER', 's', '2'], ['SRANDMEMBER', 's', '5'], ['SRANDMEMBER', 's', '0'],
    ['SPOP', 's', '0'], ['SCARD', 's'], ['SRANDMEMBER', 'nokey', '-5'], ['SRANDMEMBER', 'nokey', '5'], ['SPOP', 'nokey', '5'],
    ['SPOP', 'nokey'], ['SRANDMEMBER', 'nokey'],
  ],
  'SSCAN of a small hashtable set, and its errors': [
    ['SADD', 's', 'a', 'b', 'c', 'ab'], ['SSCAN', 's', '0'], ['SSCAN', 's', '0', 'MATCH', 'a*'], ['SSCAN', 's', '0', 'COUNT', '100'],
    ['SSCAN', 's', '0', 'match', 'z*', 'count', '50'], ['SSCAN', 's', '0', 'MATCH', '*', 'MATCH', 'b'],
    ['SSCAN', 's', 'x'], ['SSCAN', 's', '-1', 'COUNT', '0'], ['SSCAN', 's', '0', 'COUNT', '0'], ['SSCAN', 's', '0', 'COUNT', '-1'],
    ['SSCAN', 's', '0', 'COUNT', 'x'], ['SSCAN', 's', '0', 'TYPE', 'set'], ['SSCAN', 's', '0', 'MATCH'], ['SSCAN', 's', '0', 'FOO', 'x'],
    ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['SSCAN', 'nokey', '0', 'TYPE', 'x'], ['SSCAN', 'nokey', 'abc'],
    ['SSCAN', 's', '18446744073709551616'], ['SSCAN', 's', ' 0'], ['SSCAN', 's', ''], ['SSCAN', 's', '-0'],
    ['SSCAN', 's'], ['SSCAN'],
  ],
  'WRONGTYPE, and its place among the other checks': [
    ['SET', 'str', 'v'], ['SADD', 's', 'a'],
    ['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SISMEMBER', 'str', 'a'], ['SMISMEMBER', 'str', 'a'], ['SCARD', 'str'],
    ['SMEMBERS', 'str'], ['SRANDMEMBER', 'str'], ['SRANDMEMBER', 'str', '2'], ['SRANDMEMBER', 'str', 'x'], ['SPOP', 'str'],
    ['SPOP', 'str', '2'], ['SPOP', 'str', '0'], ['SPOP', 'str', '-1'], ['SSCAN', 'str', '0'], ['SSCAN', 'str', 'x'],
    ['SINTER', 's', 'str'], ['SINTER', 'nokey', 'str'], ['SINTER', 'str', 'nokey'], ['SUNION', 's', 'str'], ['SUNION', 'nokey', 'str'],
    ['SDIFF', 'nokey', 'str'], ['SDIFF', 's', 'str'], ['SINTERSTORE', 'd', 's', 'str'], ['SUNIONSTORE', 'str', 's'], ['TYPE', 'str'],
    ['SET', 'str', 'v'], ['SDIFFSTORE', 'd', 'str'], ['SINTERCARD', '2', 's', 'str'], ['SINTERCARD', '2', 'nokey', 'str'],
    ['SINTERCARD', '2', 'str', 's', 'LIMIT', 'x'],
    ['LPUSH', 'list', 'a'], ['SADD', 'list', 'x'], ['SMEMBERS', 'list'], ['HSET', 'h', 'f', 'v'], ['SCARD', 'h'],
    ['ZADD', 'z', '1', 'm'], ['SISMEMBER', 'z', 'm'], ['SUNION', 's', 'z'], ['GET', 's'], ['INCR', 's'], ['APPEND', 's', 'x'],
  ],
  'argument errors in Redis\'s order': [
    ['SADD', 's', 'a', 'b', 'c'],
    ['SPOP', 's', '-1'], ['SPOP', 's', 'x'], ['SPOP', 's', '1.5'], ['SPOP', 's', '1', '2'], ['SPOP', 'nokey', '-1'],
    ['SPOP', 's', '9223372036854775808'],
    ['SRANDMEMBER', 's', 'x'], ['SRANDMEMBER', 's', INT64_MIN], ['SRANDMEMBER', 's', '-9223372036854775807', 'x'],
    ['SRANDMEMBER', 's', '1', '2'], ['SRANDMEMBER', 'nokey', INT64_MIN], ['SRANDMEMBER', 's', '9223372036854775808'],
    ['SINTERCARD', '0', 's'], ['SINTERCARD', '-1', 's'], ['SINTERCARD', 'x', 's'], ['SINTERCARD', '2', 's'],
    ['SINTERCARD', '1', 's', 'LIMIT'], ['SINTERCARD', '1', 's', 'LIMIT', '-1'], ['SINTERCARD', '1', 's', 'LIMIT', 'x'],
    ['SINTERCARD', '1', 's', 'FOO', '1'], ['SINTERCARD', '1', 's', 's'], ['SINTERCARD', '9223372036854775808', 's'],
    ['SINTERCARD', '1', 'nokey', 'LIMIT', '-5'],
  ],
  'arity': [
    ['SADD', 's'], ['SREM', 's'], ['SISMEMBER', 's'], ['SISMEMBER', 's', 'a', 'b'], ['SMISMEMBER', 's'], ['SCARD'],
    ['SCARD', 'a', 'b'], ['SMEMBERS'], ['SRANDMEMBER'], ['SPOP'], ['SMOVE', 'a', 'b'], ['SINTER'], ['SUNION'], ['SDIFF'],
    ['SINTERSTORE', 'd'], ['SUNIONSTORE', 'd'], ['SDIFFSTORE', 'd'], ['SINTERCARD', '1'], ['sadd'],
  ],
  'random set commands, seed 1': randomSetScript(1, 300),
  'random set commands, seed 2': randomSetScript(2, 300),
  'random set commands, seed 3': randomSetScript(3, 300),
});

// ---- properties of the random commands and of SSCAN, against ringkv alone -----------------------

describe('sets: random picks and full scans (ringkv)', () => {
  let ringkv: TestServer;
  let c: RawClient;
  beforeAll(async () => {
    ringkv = await startRingkv();
    c = await RawClient.connect(ringkv.port);
  });
  afterAll(async () => {
    c?.close();
    await ringkv?.stop();
  });

  /** A command's reply as a list of strings (an array or set of bulk strings). */
  async function list(...argv: string[]): Promise<string[]> {
    const r = (await c.command(...argv)).toString('latin1');
    const lines = r.split('\r\n');
    const out: string[] = [];
    for (let i = 1; i < lines.length - 1; i += 2) out.push(lines[i + 1]!);
    return out;
  }

  async function str(...argv: string[]): Promise<string> {
    return (await c.command(...argv)).toString('latin1');
  }

  for (const [label, members] of [['intset', ints(0, 60)], ['hashtable', ints(0, 60).map((i) => `m${i}`)]] as const) {
    test(`SRANDMEMBER (${label}): distinct members for a positive count, repeats allowed for a negative one`, async () => {
      await str('DEL', 's');
      await str('SADD', 's', ...members);
      const all = new Set(members);
      for (const count of [1, 2, 5, 19, 20, 21, 30, 59]) {
        const got = await list('SRANDMEMBER', 's', String(count));
        expect(got).toHaveLength(count);
        expect(new Set(got).size).toBe(count);
        for (const m of got) expect(all.has(m)).toBe(true);
      }
      const many = await list('SRANDMEMBER', 's', '-1000');
      expect(many).toHaveLength(1000);
      for (const m of many) expect(all.has(m)).toBe(true);
      // 1000 draws over 60 members: every member should show up (a miss has odds ~ 60·e^-16.7).
      expect(new Set(many).size).toBe(60);
      expect(await str('SCARD', 's')).toBe(':60\r\n');
    });

    test(`SPOP (${label}): pops distinct members and removes exactly those`, async () => {
      await str('DEL', 's');
      await str('SADD', 's', ...members);
      const left = new Set(members);
      for (const count of [1, 3, 10, 40]) {
        const got = await list('SPOP', 's', String(count));
        expect(got).toHaveLength(count);
        expect(new Set(got).size).toBe(count);
        for (const m of got) {
          expect(left.has(m)).toBe(true);
          left.delete(m);
        }
        expect(new Set(await list('SMEMBERS', 's'))).toEqual(left);
      }
      const one = await str('SPOP', 's');
      const m = one.split('\r\n')[1]!;
      expect(left.has(m)).toBe(true);
      left.delete(m);
      expect(await str('SCARD', 's')).toBe(`:${left.size}\r\n`);
      const rest = await list('SPOP', 's', '100');
      expect(new Set(rest)).toEqual(left);
      expect(await str('EXISTS', 's')).toBe(':0\r\n');
    });
  }

  test('SPOP that leaves few members rebuilds the set: an all-integer rest answers in numeric order', async () => {
    await str('DEL', 's');
    let sortedRests = 0;
    for (let i = 0; i < 30; i++) {
      await str('SADD', 's', 'x', ...ints(0, 11).reverse()); // a hashtable: it holds a string
      await str('EXPIREAT', 's', T2100);
      // 12 members, pop 10: the 2 that stay go to a new set, an intset when they are integers.
      expect(await list('SPOP', 's', '10')).toHaveLength(10);
      const rest = await list('SMEMBERS', 's');
      expect(rest).toHaveLength(2);
      expect(await str('TTL', 's')).not.toBe(':-1\r\n');
      if (!rest.includes('x')) {
        expect(rest).toEqual(rest.slice().sort((a, b) => Number(a) - Number(b)));
        sortedRests++;
      }
      await str('DEL', 's');
    }
    expect(sortedRests).toBeGreaterThan(0);
  });

  test('SPOP keeps the TTL whichever way it pops', async () => {
    await str('DEL', 's');
    await str('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', '1', '2');
    await str('EXPIREAT', 's', T2100);
    await str('SPOP', 's');
    expect(await str('TTL', 's')).not.toBe(':-1\r\n');
    await str('SPOP', 's', '1'); // picks one by one
    expect(await str('TTL', 's')).not.toBe(':-1\r\n');
    await str('SPOP', 's', '5'); // rebuilds from the one that stays
    expect(await str('SCARD', 's')).toBe(':1\r\n');
    expect(await str('TTL', 's')).not.toBe(':-1\r\n');
  });

  test('SRANDMEMBER is roughly uniform', async () => {
    await str('DEL', 's');
    await str('SADD', 's', 'a', 'b', 'c', 'd');
    const counts = new Map<string, number>();
    for (const m of await list('SRANDMEMBER', 's', '-8000')) counts.set(m, (counts.get(m) ?? 0) + 1);
    for (const m of ['a', 'b', 'c', 'd']) {
      expect(counts.get(m)).toBeGreaterThan(1700);
      expect(counts.get(m)).toBeLessThan(2300);
    }
  });

  test('SSCAN of a large set returns every member present throughout, under churn', async () => {
    await str('DEL', 's');
    const stable = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    for (let i = 0; i < stable.length; i += 500) await str('SADD', 's', ...stable.slice(i, i + 500));
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const r = (await c.command('SSCAN', 's', cursor, 'COUNT', '50')).toString('latin1');
      const parts = r.split('\r\n');
      cursor = parts[2]!;
      for (let i = 4; i < parts.length - 1; i += 2) seen.add(parts[i + 1]!);
      // churn: members come and go, the stable ones stay
      await str('SADD', 's', `tmp${calls}`, `tmp${calls + 1}`);
      await str('SREM', 's', `tmp${calls - 1}`);
      calls++;
    } while (cursor !== '0' && calls < 1000);
    expect(cursor).toBe('0');
    for (const m of stable) expect(seen.has(m)).toBe(true);
    // COUNT bounds the work: 3000 members at 50 a call take at least 60 calls and end.
    expect(calls).toBeGreaterThanOrEqual(60);
    expect(calls).toBeLessThan(200);
  });

  test('SSCAN MATCH filters, and a cursor from another key restarts the walk', async () => {
    await str('DEL', 's', 't');
    await str('SADD', 's', ...Array.from({ length: 100 }, (_, i) => `a${i}`), ...Array.from({ length: 100 }, (_, i) => `b${i}`));
    await str('SADD', 't', ...Array.from({ length: 100 }, (_, i) => `t${i}`));
    const first = (await c.command('SSCAN', 's', '0', 'COUNT', '10')).toString('latin1');
    const cursor = first.split('\r\n')[2]!;
    expect(cursor).not.toBe('0');
    // The same cursor on t: t walked from its start, so the walk still covers all of t.
    const seen = new Set<string>();
    let cur = cursor;
    do {
      const r = (await c.command('SSCAN', 't', cur, 'MATCH', 't1*', 'COUNT', '30')).toString('latin1').split('\r\n');
      cur = r[2]!;
      for (let i = 4; i < r.length - 1; i += 2) seen.add(r[i + 1]!);
    } while (cur !== '0');
    expect([...seen].sort()).toEqual(['t1', ...Array.from({ length: 10 }, (_, i) => `t1${i}`)].sort());
  });
});
