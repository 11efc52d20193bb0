/**
 * Differential tests of the hash family against a real redis-server.
 *
 * Byte for byte: every command's replies and errors in Redis's order, for small hashes (at most
 * 128 fields, fields and values at most 64 bytes), whose order Redis keeps as insertion order
 * (listpack encoding): updates keep a field's place, a field deleted and set again goes last.
 * That covers HGETALL/HKEYS/HVALS, HSCAN (a small hash comes back whole, cursor 0) and the
 * deterministic corners of HRANDFIELD (a count at least the hash's size, a one-field hash).
 *
 * As sets: bigger hashes, or hashes holding a long value, which Redis keeps in hash-table order.
 *
 * Random HRANDFIELD results and full HSCAN iterations of big hashes are checked as properties in
 * test/integration/hashes.test.ts.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSuite, runScript, type Script } from '../helpers/diff.ts';
import { bulkElements } from '../helpers/raw.ts';
import { diffSuiteResp3 } from '../helpers/resp3.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { seeded } from '../helpers/random.ts';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const CRLF_NUL = Buffer.from('a\r\n\0b\xff', 'latin1');
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';
const T2100 = '4102444800';

/** Field/value pairs f0 v0 f1 v1 ... */
function pairs(n: number, f = 'f', v = 'v'): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${f}${i}`, `${v}${i}`);
  return out;
}

/**
 * Random writes and reads on two small hashes (few fields, so they repeat, are deleted and come
 * back): every reply is deterministic, order included, while the hashes stay small.
 */
function randomHashScript(seed: number, steps: number): Script {
  const rnd = seeded(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const key = () => (int(4) === 0 ? 'h2' : 'h1');
  const field = () => ['a', 'b', 'c', 'd', 'e', '__proto__', ''][int(7)]!;
  const value = () => [String(int(100) - 50), 'x', '', '1.5', '007'][int(5)]!;
  const script: Script = [];
  for (let i = 0; i < steps; i++) {
    switch (int(14)) {
      case 0: case 1: case 2: script.push(['HSET', key(), field(), value(), ...(int(2) ? [field(), value()] : [])]); break;
      case 3: script.push(['HSETNX', key(), field(), value()]); break;
      case 4: case 5: script.push(['HDEL', key(), field(), ...(int(2) ? [field()] : [])]); break;
      case 6: script.push(['HINCRBY', key(), field(), String(int(21) - 10)]); break;
      case 7: script.push(['HINCRBYFLOAT', key(), field(), ['0.1', '-2.5', '3', '1e3'][int(4)]!]); break;
      case 8: script.push(['HGET', key(), field()], ['HSTRLEN', key(), field()], ['HEXISTS', key(), field()]); break;
      case 9: script.push(['HMGET', key(), field(), field(), field()]); break;
      case 10: script.push(['HKEYS', key()], ['HVALS', key()]); break;
      case 11: script.push(['HSCAN', key(), '0', 'MATCH', ['*', '[a-c]', '_*', '?'][int(4)]!]); break;
      case 12: script.push(['HRANDFIELD', key(), '10', 'WITHVALUES']); break;
      default: script.push(['HGETALL', key()], ['HLEN', key()]); break;
    }
  }
  script.push(['HGETALL', 'h1'], ['HGETALL', 'h2'], ['EXISTS', 'h1', 'h2']);
  return script;
}

/** Random float operands in the notations strtold takes, for HINCRBYFLOAT. */
function randomFloatScript(seed: number, n: number): Script {
  const rnd = seeded(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const digits = (k: number) => Array.from({ length: k }, () => String(int(10))).join('');
  const sign = () => ['', '-', '+'][int(3)]!;
  const float = () => {
    switch (int(5)) {
      case 0: return sign() + digits(1 + int(20));
      case 1: return `${sign()}${digits(1 + int(8))}.${digits(int(20))}`;
      case 2: return `${sign()}${digits(1 + int(4))}.${digits(int(6))}e${sign()}${int(40)}`;
      case 3: return `${sign()}0.${'0'.repeat(int(20))}${digits(1 + int(6))}`;
      default: return `${sign()}0x${int(2 ** 30).toString(16)}.${int(2 ** 20).toString(16)}p${sign()}${int(80)}`;
    }
  };
  const script: Script = [];
  for (let i = 0; i < n; i++) {
    script.push(['HSET', 'hf', `f${i}`, float()], ['HINCRBYFLOAT', 'hf', `f${i}`, float()], ['HINCRBYFLOAT', 'hf', 'chain', float()]);
  }
  script.push(['HGETALL', 'hf']);
  return script;
}

diffSuite('hashes', {
  // ---- setting and reading fields ----------------------------------------------------------------
  'HSET, HGET, HLEN, HGETALL': [
    ['HSET', 'h', 'f', 'v'], ['HGET', 'h', 'f'], ['HSET', 'h', 'f', 'w', 'g', 'x'], ['HGET', 'h', 'f'], ['HLEN', 'h'],
    ['HGETALL', 'h'], ['HGET', 'h', 'nofield'], ['HGET', 'nokey', 'f'], ['HLEN', 'nokey'], ['HGETALL', 'nokey'],
    ['TYPE', 'h'], ['HSET', 'h', 'a', '1', 'a', '2', 'b', '3'], ['HGETALL', 'h'], ['hset', 'h', '', ''], ['HGET', 'h', ''],
  ],
  'HSET and HMSET arity': [
    ['HSET', 'h'], ['HSET', 'h', 'f'], ['HSET', 'h', 'f', 'v', 'g'], ['HMSET', 'h', 'f'], ['HMSET', 'h', 'a', '1', 'b'],
    ['EXISTS', 'h'], ['HMSET', 'h', 'a', '1', 'b', '2'], ['HGETALL', 'h'], ['HGET', 'h'], ['HGET', 'h', 'a', 'b'],
    ['HSETNX', 'h', 'a'], ['HLEN'], ['HMGET', 'h'], ['HDEL', 'h'], ['HGETALL'], ['HKEYS', 'h', 'x'],
  ],
  'HSETNX': [
    ['HSETNX', 'h', 'f', 'v'], ['HSETNX', 'h', 'f', 'w'], ['HGET', 'h', 'f'], ['HSETNX', 'h', 'g', 'x'], ['HGETALL', 'h'],
  ],
  'HMGET': [
    ['HSET', 'h', 'a', '1', 'b', '2'], ['HMGET', 'h', 'a', 'x', 'b', 'a'], ['HMGET', 'nokey', 'a', 'b'], ['HMGET', 'h', 'x'],
  ],
  'HDEL deletes the key with its last field': [
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['HDEL', 'h', 'a', 'x', 'a'], ['HGETALL', 'h'], ['HDEL', 'nokey', 'a'],
    ['HDEL', 'h', 'b', 'c'], ['EXISTS', 'h'], ['HLEN', 'h'], ['HGETALL', 'h'],
  ],
  'HSTRLEN, HEXISTS, HKEYS, HVALS': [
    ['HSET', 'h', 'a', 'hello', 'b', '', 'c', '12345'], ['HSTRLEN', 'h', 'a'], ['HSTRLEN', 'h', 'b'], ['HSTRLEN', 'h', 'x'],
    ['HSTRLEN', 'nokey', 'a'], ['HEXISTS', 'h', 'a'], ['HEXISTS', 'h', 'b'], ['HEXISTS', 'h', 'x'], ['HEXISTS', 'nokey', 'a'],
    ['HKEYS', 'h'], ['HVALS', 'h'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'],
  ],
  'insertion order: updates keep their place, re-added fields go last': [
    ['HSET', 'h', 'c', '1', 'a', '2', 'b', '3'], ['HGETALL', 'h'], ['HSET', 'h', 'a', 'new'], ['HKEYS', 'h'],
    ['HDEL', 'h', 'c'], ['HSET', 'h', 'c', 'back'], ['HGETALL', 'h'], ['HINCRBY', 'h', 'a', '1'], ['HINCRBY', 'h', 'z', '1'],
    ['HINCRBYFLOAT', 'h', 'b', '0.5'], ['HSETNX', 'h', 'y', 'y'], ['HGETALL', 'h'], ['HVALS', 'h'],
  ],
  'field names that are JS object properties': [
    ['HSET', 'h', '__proto__', 'p', 'constructor', 'c', 'toString', 't', 'hasOwnProperty', 'o', 'valueOf', 'v'],
    ['HGET', 'h', '__proto__'], ['HGET', 'h', 'constructor'], ['HGET', 'h', 'prototype'], ['HEXISTS', 'h', 'toString'],
    ['HEXISTS', 'h', '__defineGetter__'], ['HLEN', 'h'], ['HGETALL', 'h'], ['HINCRBY', 'h', 'length', '5'],
    ['HINCRBY', 'h', '__proto__', '1'], ['HINCRBYFLOAT', 'h', 'size', '1.5'], ['HDEL', 'h', '__proto__', 'constructor'],
    ['HKEYS', 'h'], ['HSTRLEN', 'h', 'toString'], ['HSETNX', 'h', '__proto__', 'again'], ['HGET', 'h', '__proto__'],
    ['HSET', '__proto__', '__proto__', 'x'], ['HGETALL', '__proto__'], ['TYPE', '__proto__'],
  ],
  'binary fields and values': [
    ['HSET', 'b', ALL_BYTES, CRLF_NUL, CRLF_NUL, ALL_BYTES, '\0', ''], ['HGET', 'b', ALL_BYTES], ['HGET', 'b', CRLF_NUL],
    ['HMGET', 'b', '\0', 'x', CRLF_NUL], ['HSTRLEN', 'b', CRLF_NUL], ['HDEL', 'b', '\0'], ['HEXISTS', 'b', ALL_BYTES],
    ['HLEN', 'b'], ['HSET', Buffer.from('k\0\xff', 'latin1'), 'f', 'v'], ['HGETALL', Buffer.from('k\0\xff', 'latin1')],
  ],

  // ---- counters ----------------------------------------------------------------------------------
  'HINCRBY': [
    ['HINCRBY', 'h', 'f', '5'], ['HINCRBY', 'h', 'f', '-10'], ['HINCRBY', 'h', 'f', '0'], ['HGET', 'h', 'f'],
    ['HSET', 'h', 'big', INT64_MAX, 'small', INT64_MIN, 'str', 'abc', 'sp', ' 1', 'e', '', 'plus', '+1', 'zero', '007'],
    ['HINCRBY', 'h', 'big', '1'], ['HINCRBY', 'h', 'big', '0'], ['HINCRBY', 'h', 'big', '-1'], ['HINCRBY', 'h', 'small', '-1'],
    ['HINCRBY', 'h', 'small', '1'], ['HINCRBY', 'h', 'str', '1'], ['HINCRBY', 'h', 'sp', '1'], ['HINCRBY', 'h', 'e', '1'],
    ['HINCRBY', 'h', 'plus', '1'], ['HINCRBY', 'h', 'zero', '1'], ['HINCRBY', 'h', 'new', INT64_MAX],
    ['HINCRBY', 'h', 'new2', INT64_MIN], ['HINCRBY', 'h', 'new2', '-1'], ['HINCRBY', 'h', 'f', 'x'], ['HINCRBY', 'h', 'f', '1.5'],
    ['HINCRBY', 'h', 'f', '99999999999999999999'], ['HINCRBY', 'nokey', 'f', 'x'], ['EXISTS', 'nokey'],
    ['HINCRBY', 'h', 'f'], ['HGETALL', 'h'],
  ],
  'HINCRBYFLOAT': [
    ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'f', '0.1'], ['HINCRBYFLOAT', 'h', 'f', '-1.6'],
    // A 401-byte result turns Redis's listpack into a hash table (another order): its own key.
    ['HINCRBYFLOAT', 'wide', 'f', '1e400'], ['HGET', 'wide', 'f'], ['HINCRBYFLOAT', 'h', 'g', '12345.6789'], ['HINCRBYFLOAT', 'h', 'g', '0x10'],
    ['HSET', 'h', 'x', '10.50', 'str', 'abc', 'e', '', 'big', '1e4932', 'int', INT64_MAX, 'sp', ' 1'],
    ['HINCRBYFLOAT', 'h', 'x', '0'], ['HINCRBYFLOAT', 'h', 'x', '-10.5'], ['HINCRBYFLOAT', 'h', 'int', '1'],
    ['HINCRBYFLOAT', 'h', 'str', '1'], ['HINCRBYFLOAT', 'h', 'e', '1'], ['HINCRBYFLOAT', 'h', 'sp', '1'],
    ['HINCRBYFLOAT', 'h', 'big', '1e4932'], ['HINCRBYFLOAT', 'h', 'big', '-1e4932'],
    ['HINCRBYFLOAT', 'h', 'f', 'x'], ['HINCRBYFLOAT', 'h', 'f', 'nan'], ['HINCRBYFLOAT', 'h', 'f', 'inf'],
    ['HINCRBYFLOAT', 'h', 'f', '-Infinity'], ['HINCRBYFLOAT', 'h', 'f', '1e4933'], ['HINCRBYFLOAT', 'h', 'f', ''],
    ['HINCRBYFLOAT', 'h', 'f', ' 1'], ['HINCRBYFLOAT', 'h', 'neg', '-0.0'], ['HINCRBYFLOAT', 'nokey', 'f', 'inf'],
    ['EXISTS', 'nokey'], ['HGETALL', 'h'],
  ],
  'HINCRBYFLOAT with random operands': randomFloatScript(7, 60),

  // ---- HRANDFIELD: the deterministic cases -------------------------------------------------------
  'HRANDFIELD without randomness': [
    ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3'], ['HRANDFIELD', 'nokey', '-3'], ['HRANDFIELD', 'nokey', '3', 'WITHVALUES'],
    ['HSET', 'one', 'f', 'v'], ['HRANDFIELD', 'one'], ['HRANDFIELD', 'one', '1'], ['HRANDFIELD', 'one', '-3'],
    ['HRANDFIELD', 'one', '-2', 'WITHVALUES'], ['HRANDFIELD', 'one', '0'], ['HRANDFIELD', 'one', '0', 'withvalues'],
    ['HSET', 'h', 'c', '1', 'a', '2', 'b', '3'], ['HRANDFIELD', 'h', '3'], ['HRANDFIELD', 'h', '100'],
    ['HRANDFIELD', 'h', '3', 'WITHVALUES'], ['HRANDFIELD', 'h', INT64_MAX], ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '0'],
  ],
  'HRANDFIELD errors: the count is parsed before the key': [
    ['HSET', 'h', 'a', '1'], ['SET', 's', 'v'],
    ['HRANDFIELD', 'h', 'x'], ['HRANDFIELD', 'h', '1.5'], ['HRANDFIELD', 'h', '1', 'FOO'], ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'X'],
    ['HRANDFIELD', 'h', INT64_MIN], ['HRANDFIELD', 'h', INT64_MIN, 'WITHVALUES'], ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
    ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'h', '99999999999999999999'],
    ['HRANDFIELD', 'nokey', 'x'], ['HRANDFIELD', 'nokey', '1', 'FOO'], ['HRANDFIELD', 's'], ['HRANDFIELD', 's', '1'],
    ['HRANDFIELD', 's', 'x'], ['HRANDFIELD', 's', '-1', 'WITHVALUES'], ['HRANDFIELD'],
  ],

  // ---- HSCAN of small hashes (whole, cursor 0) ---------------------------------------------------
  'HSCAN of a small hash': [
    ['HSET', 'h', ...pairs(20), 'other', 'x', '__proto__', 'p'], ['HSCAN', 'h', '0'], ['HSCAN', 'h', '0', 'COUNT', '1'],
    ['HSCAN', 'h', '0', 'MATCH', 'f1*'], ['HSCAN', 'h', '0', 'MATCH', 'nomatch'], ['HSCAN', 'h', '0', 'MATCH', '*', 'COUNT', '2'],
    ['HSCAN', 'h', '12345'], ['HSCAN', 'h', '-1'], ['HSCAN', 'h', ''], ['hscan', 'h', '0', 'match', '_*', 'count', '100'],
    ['HSCAN', 'h', '0', 'COUNT', '5', 'COUNT', '10'],
  ],
  'HSCAN errors: cursor, then key, then options': [
    ['HSET', 'h', 'a', '1'], ['SET', 's', 'v'],
    ['HSCAN', 'h', '0', 'TYPE', 'string'], ['HSCAN', 'nokey', '0', 'TYPE', 'string'], ['HSCAN', 'nokey', '0', 'COUNT', '0'],
    ['HSCAN', 'nokey', 'abc'], ['HSCAN', 'h', 'abc'], ['HSCAN', 'h', ' 1'], ['HSCAN', 'h', '18446744073709551616'],
    ['HSCAN', 'h', '0', 'COUNT', '0'], ['HSCAN', 'h', '0', 'COUNT', '-1'], ['HSCAN', 'h', '0', 'COUNT', 'x'],
    ['HSCAN', 'h', '0', 'MATCH'], ['HSCAN', 'h', '0', 'NOVALUES'], ['HSCAN', 'h', '0', 'FOO', 'bar'],
    ['HSCAN', 's', '0'], ['HSCAN', 's', 'abc'], ['HSCAN', 's', '0', 'TYPE', 'x'], ['HSCAN', 'h'],
  ],

  // ---- types, TTLs, COMMAND ----------------------------------------------------------------------
  'hash commands against other types': [
    ['SET', 's', 'v'], ['RPUSH', 'l', 'a'],
    ['HSET', 's', 'f', 'v'], ['HMSET', 'l', 'f', 'v'], ['HSETNX', 's', 'f', 'v'], ['HGET', 'l', 'f'], ['HMGET', 's', 'f'],
    ['HDEL', 'l', 'f'], ['HLEN', 's'], ['HSTRLEN', 'l', 'f'], ['HEXISTS', 's', 'f'], ['HKEYS', 'l'], ['HVALS', 's'],
    ['HGETALL', 'l'], ['HINCRBY', 's', 'f', '1'], ['HINCRBY', 's', 'f', 'x'], ['HINCRBYFLOAT', 'l', 'f', '1'],
    ['HINCRBYFLOAT', 'l', 'f', 'x'], ['HINCRBYFLOAT', 'l', 'f', 'inf'], ['HRANDFIELD', 'l'], ['HSCAN', 'l', '0'],
    ['GET', 's'], ['LRANGE', 'l', '0', '-1'],
    ['HSET', 'h', 'f', 'v'], ['GET', 'h'], ['LPUSH', 'h', 'x'], ['INCR', 'h'], ['TYPE', 'h'], ['MGET', 'h', 's'],
  ],
  'in-place writes keep the TTL; emptying the hash deletes the key': [
    ['HSET', 'h', 'a', '1', 'b', '2'], ['EXPIREAT', 'h', T2100], ['HSET', 'h', 'c', '3'], ['HMSET', 'h', 'a', '9'],
    ['HSETNX', 'h', 'd', '4'], ['HINCRBY', 'h', 'a', '1'], ['HINCRBYFLOAT', 'h', 'b', '0.5'], ['HDEL', 'h', 'c'],
    ['EXPIRETIME', 'h'], ['HDEL', 'h', 'a', 'b', 'd'], ['EXISTS', 'h'], ['HSET', 'h', 'a', '1'], ['EXPIRETIME', 'h'],
    ['SET', 'e', 'v', 'PXAT', '1'], ['HSETNX', 'e', 'f', 'v'], ['HGETALL', 'e'], ['TTL', 'e'],
    ['SET', 'g', 'v', 'PXAT', '1'], ['HGET', 'g', 'f'], ['HINCRBY', 'g', 'f', '2'], ['HGETALL', 'g'],
  ],
  'COPY, RENAME and DEL of hashes': [
    ['HSET', 'h', 'a', '1', 'b', '2'], ['COPY', 'h', 'c'], ['HSET', 'c', 'z', '26'], ['HDEL', 'c', 'a'], ['HGETALL', 'h'],
    ['HGETALL', 'c'], ['RENAME', 'c', 'r'], ['HGETALL', 'r'], ['TYPE', 'r'], ['DEL', 'h', 'r'], ['EXISTS', 'h', 'r'],
  ],
  'COMMAND INFO of the hash commands': [
    ['COMMAND', 'INFO', 'hset', 'hsetnx', 'hget', 'hmget', 'hmset', 'hdel', 'hlen', 'hstrlen'],
    ['COMMAND', 'INFO', 'hexists', 'hkeys', 'hvals', 'hgetall', 'hincrby', 'hincrbyfloat', 'hrandfield', 'hscan'],
  ],
  'a hash of exactly 128 fields keeps insertion order': [
    ['HSET', 'h', ...pairs(128)], ['HGETALL', 'h'], ['HSCAN', 'h', '0'], ['HDEL', 'h', 'f0'], ['HSET', 'h', 'f0', 'last'],
    ['HKEYS', 'h'], ['HRANDFIELD', 'h', '128'],
  ],

  // ---- random sequences --------------------------------------------------------------------------
  'random commands, seed 1': randomHashScript(1, 300),
  'random commands, seed 2': randomHashScript(2, 300),
  'random commands, seed 3': randomHashScript(3, 300),
});

diffSuiteResp3('hashes', {
  'maps, nulls and pairs': [
    ['HGETALL', 'nokey'], ['HSET', 'h', 'a', '1', 'b', '2'], ['HGETALL', 'h'], ['HMGET', 'h', 'a', 'x'], ['HGET', 'h', 'x'],
    ['HGET', 'nokey', 'x'], ['HKEYS', 'h'], ['HVALS', 'h'], ['HKEYS', 'nokey'], ['HRANDFIELD', 'nokey'],
    ['HRANDFIELD', 'nokey', '2', 'WITHVALUES'], ['HRANDFIELD', 'h', '5', 'WITHVALUES'], ['HRANDFIELD', 'h', '5'],
    ['HSET', 'one', 'f', 'v'], ['HRANDFIELD', 'one', '-3', 'WITHVALUES'], ['HRANDFIELD', 'one', '-2'], ['HRANDFIELD', 'one'],
    ['HSCAN', 'h', '0'], ['HSCAN', 'nokey', '0'], ['HINCRBYFLOAT', 'h', 'a', '0.5'], ['HINCRBY', 'h', 'b', '1'],
    ['HSTRLEN', 'h', 'a'], ['HEXISTS', 'h', 'a'], ['HLEN', 'h'], ['HDEL', 'h', 'a', 'b'], ['HGETALL', 'h'],
  ],
});

// ---- big hashes, compared as sets ------------------------------------------------------------------

/** An array reply as a sorted list (of field/value pairs when `paired`), order forgotten. */
function unordered(reply: string, paired: boolean): unknown {
  const items = bulkElements(reply);
  if (typeof items === 'string') return items;
  if (!paired) return [...items].sort();
  const ps: string[] = [];
  for (let i = 0; i < items.length; i += 2) ps.push(`${items[i]}\0${items[i + 1]}`);
  return ps.sort();
}

describe.skipIf(!requireRedis())('differential: big hashes, compared as sets', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  /** Runs `script` on both servers; replies of commands named in `paired`/`plain` are compared as sets. */
  async function compare(script: Script): Promise<void> {
    const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
    const canon = (replies: string[]) => script.map((argv, i) => {
      const name = String(argv[0]).toUpperCase();
      const r = replies[i]!;
      if (name === 'HGETALL') return [argv.map(String).join(' '), unordered(r, true)];
      if (name === 'HKEYS' || name === 'HVALS' || name === 'HRANDFIELD') return [argv.map(String).join(' '), unordered(r, false)];
      return [argv.map(String).join(' '), r];
    });
    expect(canon(mine)).toEqual(canon(theirs));
  }

  test('1000 fields: reads, updates, deletes', async () => {
    await compare([
      ['HSET', 'big', ...pairs(1000)], ['HLEN', 'big'], ['HGETALL', 'big'], ['HKEYS', 'big'], ['HVALS', 'big'],
      ['HGET', 'big', 'f500'], ['HMGET', 'big', 'f0', 'f999', 'f1000'], ['HSET', 'big', ...pairs(500, 'f', 'w')],
      ['HDEL', 'big', ...Array.from({ length: 300 }, (_, i) => `f${i * 3}`)], ['HLEN', 'big'], ['HGETALL', 'big'],
      ['HINCRBY', 'big', 'f1', '5'], ['HINCRBY', 'big', 'f2', '5'], ['HSTRLEN', 'big', 'f2'], ['HEXISTS', 'big', 'f3'],
      ['HRANDFIELD', 'big', '2000'], ['HRANDFIELD', 'big', '0'],
    ]);
  });

  test('129 fields, and a few fields with a value over 64 bytes', async () => {
    await compare([
      ['HSET', 'h', ...pairs(129)], ['HGETALL', 'h'], ['HDEL', 'h', 'f128'], ['HGETALL', 'h'], ['HKEYS', 'h'],
      ['HSET', 'long', 'a', 'x'.repeat(65), 'b', '1', 'c', '2'], ['HGETALL', 'long'], ['HVALS', 'long'], ['HLEN', 'long'],
      ['HSET', 'longfield', 'y'.repeat(100), '1', 'z', '2'], ['HKEYS', 'longfield'], ['HDEL', 'longfield', 'z'],
      ['HGETALL', 'longfield'],
    ]);
  });
});
