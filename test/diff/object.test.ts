/**
 * OBJECT against a real redis-server: ENCODING of every type at and around Redis 7.0's limits
 * (strings 20-digit ints and 44 bytes, sets 512 integers, sorted sets 128 entries, hashes 512,
 * both 64 bytes), REFCOUNT of shared integers, FREQ's error, nulls, arities, HELP and COMMAND INFO.
 *
 * Left out on purpose, because ringkv answers for a value's shape where Redis remembers its
 * history (src/commands/object.ts): strings after APPEND to an existing key, SETRANGE or
 * INCRBYFLOAT, and hashes that shrank back under the listpack limits. IDLETIME of an existing
 * key is Redis's LRU clock (it may tick between two commands, and shared integers carry the
 * server's start time), so it is checked for its range only, at the end.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSuite, type Script } from '../helpers/diff.ts';
import { RawClient } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { diffSuiteUnordered } from '../helpers/unordered.ts';

const enc = (key: string): string[] => ['OBJECT', 'ENCODING', key];
const ref = (key: string): string[] => ['OBJECT', 'REFCOUNT', key];

function range(from: number, to: number, prefix = ''): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
}

/** SET key value, then its encoding and refcount. */
function stringCase(key: string, value: string): Script {
  return [['SET', key, value], enc(key), ref(key)];
}

/** ZADD with scores 1..n for the members. */
function zaddArgs(members: string[]): string[] {
  return members.flatMap((m, i) => [String(i + 1), m]);
}

diffSuite('object', {
  'strings: int, embstr and raw by shape': [
    ...stringCase('a', '0'), ...stringCase('a', '123'), ...stringCase('a', '9999'), ...stringCase('a', '10000'),
    ...stringCase('a', '-1'), ...stringCase('a', '-0'), ...stringCase('a', '0123'), ...stringCase('a', '+5'),
    ...stringCase('a', ' 5'), ...stringCase('a', '9223372036854775807'), ...stringCase('a', '-9223372036854775808'),
    ...stringCase('a', '9223372036854775808'), ...stringCase('a', '12345678901234567890'),
    ...stringCase('a', ''), ...stringCase('a', 'hello'), ...stringCase('a', '1.5'),
    ...stringCase('a', 'x'.repeat(44)), ...stringCase('a', 'x'.repeat(45)), ...stringCase('a', 'x'.repeat(1000)),
    ...stringCase('a', '\x00\xff\r\n'),
  ],
  'strings: every writer that encodes its argument': [
    ['MSET', 'a', '5', 'b', 'xx', 'c', 'y'.repeat(50)], enc('a'), enc('b'), enc('c'), ref('a'), ref('b'),
    ['GETSET', 'a', '77'], enc('a'), ref('a'), ['SETNX', 'n', '12'], enc('n'), ref('n'),
    ['SETEX', 'e', '100', '42'], enc('e'), ['PSETEX', 'p', '100000', 'v'.repeat(45)], enc('p'),
    ['SET', 'g', 'old'], ['SET', 'g', '8', 'GET'], enc('g'), ref('g'), ['MSETNX', 'm1', '3', 'm2', 'z'], enc('m1'), enc('m2'),
    ['APPEND', 'new1', '12'], enc('new1'), ref('new1'), ['APPEND', 'new2', 'x'], enc('new2'),
    ['GETEX', 'a', 'EX', '100'], enc('a'), ['GETDEL', 'b'], enc('b'),
  ],
  'strings: INCR family': [
    ['INCR', 'i'], enc('i'), ref('i'), ['INCRBY', 'i', '9997'], enc('i'), ref('i'), ['INCR', 'i'], enc('i'), ref('i'),
    ['DECRBY', 'i', '20000'], enc('i'), ref('i'), ['SET', 'j', '99999999'], ['INCR', 'j'], enc('j'), ref('j'),
    ['SET', 'k', '9223372036854775806'], ['INCR', 'k'], enc('k'), ref('k'),
  ],
  'strings: COPY, RENAME and MOVE keep the encoding': [
    ['SET', 'a', '5'], ['SET', 'b', 'short'], ['SET', 'c', 'z'.repeat(60)],
    ['COPY', 'a', 'a2'], ['COPY', 'b', 'b2'], ['COPY', 'c', 'c2'], enc('a2'), enc('b2'), enc('c2'),
    ['RENAME', 'b', 'b3'], enc('b3'), ['MOVE', 'c', '1'], ['SELECT', '1'], enc('c'), ['FLUSHDB'],
  ],
  'lists are quicklists in 7.0, whatever their size': [
    ['RPUSH', 'l', 'a'], enc('l'), ref('l'), ['RPUSH', 'l', ...range(0, 200)], enc('l'),
    ['RPUSH', 'big', 'x'.repeat(10000)], enc('big'), ['LPOP', 'l', '150'], enc('l'), ['LPUSH', 'l2', '1'], enc('l2'),
  ],
  'sets: intset until a non-integer or the 513th member, for good': [
    ['SADD', 's', '1', '2', '-3'], enc('s'), ref('s'), ['SADD', 's', 'x'], enc('s'), ['SREM', 's', 'x'], enc('s'),
    ['SADD', 't', 'x'], enc('t'), ['SADD', 'big', ...range(0, 512)], enc('big'), ['SADD', 'big', '512'], enc('big'),
    ['SREM', 'big', '512', '511'], enc('big'), ['SADD', 'u', '01'], enc('u'), ['SADD', 'v', '9223372036854775807'], enc('v'),
    ['SADD', 'w', '9223372036854775808'], enc('w'),
    ['SINTERSTORE', 'd1', 's', 'big'], enc('d1'), ['SUNIONSTORE', 'd2', 'big'], enc('d2'), ['SDIFFSTORE', 'd3', 't'], enc('d3'),
  ],
  'sorted sets: listpack until the 129th member or a 65-byte one, for good': [
    ['ZADD', 'z', '1', 'a'], enc('z'), ref('z'), ['ZADD', 'z', ...zaddArgs(range(0, 127, 'm'))], enc('z'),
    ['ZADD', 'z', '5', 'last'], enc('z'), ['ZREM', 'z', 'last', 'a'], enc('z'),
    ['ZADD', 'long', '1', 'x'.repeat(64)], enc('long'), ['ZADD', 'long', '2', 'y'.repeat(65)], enc('long'),
    ['ZADD', 'first', '1', 'y'.repeat(65)], enc('first'), ['ZADD', 'many', ...zaddArgs(range(0, 200))], enc('many'),
    ['ZUNIONSTORE', 'u1', '1', 'long'], enc('u1'), ['ZRANGESTORE', 'r1', 'many', '0', '9'], enc('r1'),
  ],
  'hashes: listpack within 512 fields (not 128) of at most 64 bytes': [
    ['HSET', 'h', 'f', 'v'], enc('h'), ref('h'), ['HSET', 'h', 'f2', 'v'.repeat(64)], enc('h'),
    ['HSET', 'h2', 'f', 'v'.repeat(65)], enc('h2'), ['HSET', 'h3', 'f'.repeat(65), 'v'], enc('h3'),
    ['HSET', 'h4', ...range(0, 512).flatMap((i) => [i, 'v'])], enc('h4'), ['HSET', 'h4', 'one', 'more'], enc('h4'),
    ['HSET', 'h5', ...range(0, 300).flatMap((i) => [i, i])], enc('h5'), ['HSET', 'h5', ...range(0, 300).flatMap((i) => [`f${i}`, i])],
    enc('h5'), ['HINCRBY', 'h6', 'n', '5'], enc('h6'),
  ],
  'missing keys are nulls': [
    enc('nokey'), ref('nokey'), ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'nokey'],
  ],
  'FREQ without an LFU policy': [
    ['SET', 'a', 'v'], ['OBJECT', 'FREQ', 'a'], ['RPUSH', 'l', 'x'], ['OBJECT', 'FREQ', 'l'],
  ],
  'wrong type is no error: OBJECT works on every type': [
    ['SET', 's', 'x'], ['RPUSH', 'l', 'x'], ['SADD', 'st', 'x'], ['ZADD', 'z', '1', 'x'], ['HSET', 'h', 'f', 'v'],
    ['TYPE', 's'], enc('s'), enc('l'), enc('st'), enc('z'), enc('h'),
  ],
  'syntax: arity, unknown subcommands, HELP': [
    ['OBJECT'], ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'REFCOUNT'], ['OBJECT', 'FREQ', 'a', 'b'],
    ['OBJECT', 'IDLETIME'], ['OBJECT', 'foo'], ['OBJECT', 'foo', 'bar'], ['object', 'encoding', 'nokey'],
    ['OBJECT', 'HELP'], ['object', 'help'], ['OBJECT', 'HELP', 'x'],
  ],
  'COMMAND INFO and GETKEYS of the subcommands': [
    ['COMMAND', 'INFO', 'object|encoding', 'object|freq', 'object|help', 'object|idletime', 'object|refcount'],
    ['COMMAND', 'GETKEYS', 'OBJECT', 'ENCODING', 'k'], ['COMMAND', 'GETKEYS', 'OBJECT', 'HELP'],
  ],
});

// RESP3: diffSuiteUnordered masks the connection id in HELLO's reply (nothing is sorted here).
diffSuiteUnordered('object (RESP3)', [], {
  'nulls, integers and COMMAND INFO sets': [
    ['HELLO', '3'], enc('nokey'), ref('nokey'), ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'nokey'],
    ['SET', 'a', '1'], enc('a'), ref('a'), ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'HELP'],
    ['COMMAND', 'INFO', 'object|encoding', 'object|help'],
  ],
});

/** What the harness cannot compare byte for byte. */
describe.skipIf(!requireRedis())('OBJECT against redis-server, compared by property', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('IDLETIME of a fresh key: 0 on ringkv (no access clock), at most 1 on redis-server', async () => {
    for (const [server, max] of [[ringkv, 0], [redis, 1]] as const) {
      const c = await RawClient.connect(server.port);
      try {
        await c.command('FLUSHALL');
        await c.command('SET', 'k', 'not-a-shared-integer');
        const reply = (await c.command('OBJECT', 'IDLETIME', 'k')).toString('latin1');
        expect(reply).toMatch(/^:\d+\r\n$/);
        expect(Number(reply.slice(1, -2))).toBeLessThanOrEqual(max);
      } finally {
        c.close();
      }
    }
  });

  test('OBJECT lookups count as keyspace hits and misses', async () => {
    const counts: string[] = [];
    for (const server of [ringkv, redis]) {
      const c = await RawClient.connect(server.port);
      try {
        await c.command('FLUSHALL');
        await c.command('SET', 'k', 'v');
        await c.command('CONFIG', 'RESETSTAT');
        for (const sub of ['ENCODING', 'REFCOUNT', 'IDLETIME', 'FREQ']) {
          await c.command('OBJECT', sub, 'k');
          await c.command('OBJECT', sub, 'nokey');
        }
        const info = (await c.command('INFO', 'stats')).toString('latin1');
        counts.push(info.split('\r\n').filter((l) => l.startsWith('keyspace_')).join(' '));
      } finally {
        c.close();
      }
    }
    expect(counts[0]).toBe('keyspace_hits:4 keyspace_misses:4');
    expect(counts[0]).toBe(counts[1]);
  });
});
