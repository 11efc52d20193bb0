/**
 * Generic key commands against a real redis-server: DEL UNLINK EXISTS TYPE TOUCH, the expire
 * family, RENAME RENAMENX COPY MOVE, and the deterministic corners of KEYS SCAN RANDOMKEY.
 *
 * Only deterministic replies are compared byte for byte: TTLs are large enough that the
 * seconds left cannot change between the two servers, absolute times come from EXPIREAT and
 * PEXPIREAT, SCAN and RANDOMKEY only run where a single key can answer. KEYS replies are in
 * each server's hash order, so the KEYS tests below sort both sides before comparing; the glob
 * matcher is exercised through them, with hand-picked and random patterns.
 * test/integration/scan.test.ts covers full SCAN iterations, RANDOMKEY and active expiry.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSuite, runScript, type Script } from '../helpers/diff.ts';
import { bulkElements } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

/** Year 2100, in seconds and ms: far enough that nothing expires during a test. */
const T2100 = '4102444800';
const T2100MS = '4102444800000';
/** A PXAT/EXAT in the past that SET stores as is (Redis 7.0): the key is there but expired. */
const PAST_MS = '1000';

diffSuite('keys', {
  'DEL and UNLINK': [
    ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
    ['DEL', 'a', 'b', 'nokey', 'a'], ['EXISTS', 'a', 'b'], ['UNLINK', 'c', 'c', 'x'], ['DEL', 'c'],
    ['DEL'], ['UNLINK'], ['del', 'nokey'],
  ],
  'EXISTS counts duplicates': [
    ['SET', 'a', '1'], ['EXISTS', 'a'], ['EXISTS', 'a', 'a', 'a'], ['EXISTS', 'a', 'b', 'a'], ['EXISTS', 'b'], ['EXISTS'],
    ['SET', '', 'empty key'], ['EXISTS', ''],
  ],
  'TYPE': [
    ['TYPE', 'nokey'], ['SET', 'a', '1'], ['TYPE', 'a'], ['TYPE'], ['TYPE', 'a', 'b'],
  ],
  'TOUCH': [['SET', 'a', '1'], ['SET', 'b', '1'], ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH', 'c'], ['TOUCH']],
  'EXPIRE then TTL, PTTL on keys without TTL': [
    ['SET', 'k', 'v'], ['TTL', 'k'], ['PTTL', 'k'], ['TTL', 'nokey'], ['PTTL', 'nokey'],
    ['EXPIRE', 'k', '1000'], ['TTL', 'k'], ['EXPIRE', 'k', '100'], ['TTL', 'k'],
    ['EXPIRE', 'nokey', '100'], ['TTL', 'nokey'], ['EXISTS', 'nokey'],
    ['PEXPIRE', 'k', '1500000'], ['TTL', 'k'], ['PEXPIRE', 'k', '1499400'], ['TTL', 'k'],
    ['TTL'], ['EXPIRE', 'k'], ['PTTL', 'k', 'x'],
  ],
  'EXPIREAT, PEXPIREAT, EXPIRETIME, PEXPIRETIME': [
    ['SET', 'k', 'v'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'],
    ['EXPIREAT', 'k', T2100], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', '4102444800123'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', '4102444800500'], ['EXPIRETIME', 'k'],
    ['PEXPIREAT', 'k', '4102444800499'], ['EXPIRETIME', 'k'],
    ['EXPIREAT', 'nokey', T2100], ['EXPIRETIME', 'nokey'],
    ['expireat', 'k', '4102444801'], ['pexpiretime', 'k'],
  ],
  'a time not in the future deletes the key and replies 1': [
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '0'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '-100'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['PEXPIRE', 'k', '-1'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['EXPIREAT', 'k', '1'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '0'], ['TTL', 'k'],
    ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '-9223372036854775808'], ['TYPE', 'k'],
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '-9223372036854775'], ['EXISTS', 'k'],
    ['EXPIRE', 'nokey', '-1'],
  ],
  'invalid expire times name the command used': [
    ['SET', 'k', 'v'],
    ['EXPIRE', 'k', '9223372036854775807'], ['EXPIRE', 'k', '9223372036854775808'], ['EXPIRE', 'k', '-9223372036854775808'],
    ['EXPIRE', 'k', '9223372036854776'], ['EXPIRE', 'k', '-9223372036854776'], ['EXPIRE', 'k', '9223372036854775'],
    ['PEXPIRE', 'k', '9223372036854775807'], ['pexpire', 'k', '9223372036854000000'],
    ['EXPIREAT', 'k', '9223372036854776'], ['ExpireAt', 'k', '-9223372036854776'],
    ['PEXPIREAT', 'k', '9223372036854775807'], ['EXISTS', 'k'],
    ['EXPIRE', 'nokey', '9223372036854775807'],
    ['EXPIRE', 'k', 'abc'], ['EXPIRE', 'k', '1.5'], ['EXPIRE', 'k', ' 1'], ['EXPIRE', 'k', ''], ['PEXPIREAT', 'k', '+1'],
  ],
  'NX XX GT LT': [
    ['SET', 'k', 'v'],
    ['EXPIRE', 'k', '100', 'XX'], ['TTL', 'k'],
    ['EXPIRE', 'k', '100', 'GT'], ['TTL', 'k'], // no TTL is an infinite TTL: GT never passes
    ['EXPIRE', 'k', '100', 'LT'], ['TTL', 'k'], // ...and LT always does
    ['EXPIRE', 'k', '50', 'NX'], ['TTL', 'k'],
    ['EXPIRE', 'k', '200', 'gt'], ['TTL', 'k'],
    ['EXPIRE', 'k', '150', 'Gt'], ['TTL', 'k'],
    ['EXPIRE', 'k', '300', 'LT'], ['TTL', 'k'],
    ['EXPIRE', 'k', '120', 'lt'], ['TTL', 'k'],
    ['EXPIRE', 'k', '130', 'XX', 'GT'], ['TTL', 'k'],
    ['EXPIRE', 'k', '110', 'xx', 'lt'], ['TTL', 'k'],
    ['EXPIRE', 'k', '90', 'XX'], ['TTL', 'k'],
    ['EXPIRE', 'k', '90', 'NX', 'NX'], ['EXPIRE', 'k', '80', 'XX', 'XX'], ['TTL', 'k'],
    ['PERSIST', 'k'], ['EXPIRE', 'k', '70', 'NX'], ['TTL', 'k'],
    ['EXPIRE', 'k', '-1', 'GT'], ['EXISTS', 'k'],
    ['EXPIRE', 'k', '-1', 'LT'], ['EXISTS', 'k'],
    ['SET', 'j', 'v'], ['PEXPIREAT', 'j', T2100MS, 'NX'], ['PEXPIRETIME', 'j'],
    ['PEXPIREAT', 'j', T2100MS, 'GT'], ['PEXPIREAT', 'j', T2100MS, 'LT'], ['EXPIREAT', 'j', T2100, 'GT'], // equal: neither
    ['PEXPIREAT', 'j', '4102444800001', 'GT'], ['PEXPIRETIME', 'j'], ['PEXPIREAT', 'j', '4102444799999', 'LT'], ['PEXPIRETIME', 'j'],
    ['EXPIREAT', 'j', '4102444900', 'GT'], ['EXPIRETIME', 'j'], ['PEXPIREAT', 'j', '4102444800001', 'LT'], ['PEXPIRETIME', 'j'],
    ['EXPIRE', 'nokey', '100', 'NX'], ['EXPIRE', 'nokey', '100', 'XX'],
  ],
  'option errors come before the time and the key': [
    ['SET', 'k', 'v'],
    ['EXPIRE', 'k', '10', 'NX', 'XX'], ['EXPIRE', 'k', '10', 'NX', 'GT'], ['EXPIRE', 'k', '10', 'LT', 'NX'],
    ['EXPIRE', 'k', '10', 'GT', 'LT'], ['EXPIRE', 'k', '10', 'XX', 'GT', 'LT'], ['EXPIRE', 'k', '10', 'NX', 'XX', 'GT', 'LT'],
    ['EXPIRE', 'k', '10', 'FOO'], ['EXPIRE', 'k', '10', 'nx', 'foo', 'xx'], ['EXPIRE', 'k', '10', 'NX', 'XX', 'foo'],
    ['EXPIRE', 'k', 'abc', 'FOO'], ['EXPIRE', 'k', 'abc', 'NX', 'XX'], ['EXPIRE', 'k', '9223372036854775807', 'GT', 'LT'],
    ['PEXPIRE', 'k', '10', 'a\r\nb'], ['PEXPIREAT', 'nokey', 'x', 'bar'], ['EXPIREAT', 'k', '10', ''],
    ['TTL', 'k'],
  ],
  'PERSIST': [
    ['PERSIST', 'nokey'], ['SET', 'k', 'v'], ['PERSIST', 'k'], ['EXPIRE', 'k', '100'], ['PERSIST', 'k'], ['TTL', 'k'],
    ['PERSIST', 'k'], ['PERSIST'], ['PERSIST', 'a', 'b'],
  ],
  'lazy expiry: a key past its time is gone for every command': [
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['EXISTS', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['TYPE', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['TTL', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['PTTL', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['EXPIRETIME', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['PERSIST', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['EXPIRE', 'k', '100'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['DEL', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['TOUCH', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['RENAME', 'k', 'j'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['COPY', 'k', 'j'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['MOVE', 'k', '1'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['KEYS', '*'], ['SCAN', '0'], ['RANDOMKEY'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['SET', 'j', 'w'], ['RENAMENX', 'j', 'k'], ['GET', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['SET', 'j', 'w'], ['RENAME', 'j', 'k'], ['TTL', 'k'],
    ['SET', 'k', 'v', 'PXAT', PAST_MS], ['COPY', 'k2', 'k'], ['SET', 'k2', 'x'], ['COPY', 'k2', 'k'], ['GET', 'k'], ['TTL', 'k'],
  ],
  'RENAME and RENAMENX': [
    ['RENAME', 'a', 'b'], ['RENAMENX', 'a', 'b'], ['RENAME', 'a', 'a'], ['RENAMENX', 'a', 'a'],
    ['SET', 'a', '1'], ['RENAME', 'a', 'a'], ['RENAMENX', 'a', 'a'], ['GET', 'a'],
    ['RENAME', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['TTL', 'b'],
    ['SET', 'c', '3'], ['RENAMENX', 'b', 'c'], ['GET', 'b'], ['GET', 'c'], ['RENAMENX', 'b', 'd'], ['GET', 'd'], ['EXISTS', 'b'],
    ['RENAME', 'd', 'c'], ['GET', 'c'], ['EXISTS', 'd'],
    ['RENAME', 'c'], ['RENAME', 'a', 'b', 'c'], ['RENAMENX', 'a'],
  ],
  'RENAME moves the TTL and drops the destination\'s': [
    ['SET', 'a', '1'], ['EXPIREAT', 'a', T2100], ['RENAME', 'a', 'b'], ['EXPIRETIME', 'b'], ['EXISTS', 'a'], ['EXPIRETIME', 'a'],
    ['SET', 'c', '1'], ['RENAME', 'c', 'b'], ['EXPIRETIME', 'b'],
    ['EXPIREAT', 'b', T2100], ['SET', 'd', 'x'], ['RENAMENX', 'b', 'd'], ['EXPIRETIME', 'b'], ['RENAMENX', 'b', 'e'], ['EXPIRETIME', 'e'],
  ],
  'COPY': [
    ['COPY', 'a', 'b'], ['SET', 'a', 'hello'], ['COPY', 'a', 'b'], ['GET', 'b'], ['COPY', 'a', 'b'],
    ['SET', 'a', 'world'], ['COPY', 'a', 'b', 'REPLACE'], ['GET', 'b'], ['COPY', 'a', 'b', 'replace', 'replace'],
    ['EXPIREAT', 'a', T2100], ['COPY', 'a', 'c'], ['EXPIRETIME', 'c'], ['EXPIRETIME', 'a'],
    ['PERSIST', 'a'], ['COPY', 'a', 'c', 'REPLACE'], ['TTL', 'c'],
    ['COPY', 'a', 'a'], ['COPY', 'nokey', 'nokey'], ['COPY', 'a', 'a', 'REPLACE'], ['COPY', 'a', 'a', 'DB', '0'],
    ['COPY', 'a', 'a', 'DB', '1'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
    ['COPY', 'a', 'x', 'DB', '1'], ['COPY', 'a', 'x', 'DB', '1'], ['COPY', 'a', 'x', 'db', '1', 'REPLACE'],
    ['COPY', 'a', 'x', 'DB', '16'], ['COPY', 'a', 'x', 'DB', '-1'], ['COPY', 'a', 'x', 'DB', 'one'],
    ['COPY', 'a', 'x', 'DB', '2147483648'], ['COPY', 'a', 'x', 'DB', '-2147483649'], ['COPY', 'a', 'x', 'DB', '99999999999999999999'],
    ['COPY', 'a', 'x', 'DB'], ['COPY', 'a', 'x', 'FOO'], ['COPY', 'a', 'x', 'REPLACE', 'FOO'], ['COPY', 'a', 'x', 'DB', '16', 'FOO'],
    ['COPY', 'a', 'a', 'DB', '16'], ['COPY', 'nokey', 'x', 'DB', '99'], ['COPY', 'a'],
  ],
  'COPY makes an independent value': [
    ['SET', 'a', 'v1'], ['COPY', 'a', 'b'], ['APPEND', 'a', 'x'], ['GET', 'a'], ['GET', 'b'], ['INCR', 'n'], ['COPY', 'n', 'm'],
    ['INCR', 'n'], ['GET', 'm'], ['TYPE', 'm'],
  ],
  'MOVE': [
    ['MOVE', 'a', '1'], ['SET', 'a', '1'], ['EXPIREAT', 'a', T2100], ['MOVE', 'a', '1'], ['EXISTS', 'a'],
    ['SELECT', '1'], ['GET', 'a'], ['EXPIRETIME', 'a'], ['SET', 'b', 'in1'], ['SELECT', '0'],
    ['SET', 'b', 'in0'], ['MOVE', 'b', '1'], ['GET', 'b'],
    ['MOVE', 'b', '0'], ['MOVE', 'nokey', '0'], ['MOVE', 'b', '16'], ['MOVE', 'b', '-1'], ['MOVE', 'b', 'x'], ['MOVE', 'b', '2147483648'],
    ['MOVE', 'b'], ['MOVE', 'b', '1', '2'],
  ],
  'KEYS with a single answer': [
    ['KEYS', '*'], ['SET', 'hello', '1'], ['KEYS', '*'], ['KEYS', 'h?llo'], ['KEYS', 'x*'], ['KEYS'], ['KEYS', 'a', 'b'],
    ['SET', '', 'e'], ['DEL', 'hello'], ['KEYS', '*'], ['KEYS', '**'], ['KEYS', ''], ['KEYS', '?'],
  ],
  'SCAN errors': [
    ['SET', 'k', 'v'],
    ['SCAN', 'abc'], ['SCAN', ' 0'], ['SCAN', '0 '], ['SCAN', '0x0'], ['SCAN', '1.0'], ['SCAN', '-'], ['SCAN', '+'],
    ['SCAN', '18446744073709551616'], ['SCAN', '99999999999999999999999'], ['SCAN', '-18446744073709551616'],
    ['SCAN', 'x', 'COUNT', '0'], ['SCAN', 'x', 'FOO'],
    ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'COUNT', '1.5'],
    ['SCAN', '0', 'COUNT', '9223372036854775808'], ['SCAN', '0', 'COUNT', '-9223372036854775809'],
    ['SCAN', '0', 'MATCH'], ['SCAN', '0', 'COUNT'], ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'FOO', 'bar'], ['SCAN', '0', 'MATCH', 'k', 'x'],
    ['SCAN', '0', 'COUNT', '0', 'MATCH'], ['SCAN', '0', 'MATCH', 'k', 'COUNT', 'x'],
    ['SCAN'],
  ],
  'SCAN with a single answer': [
    ['SCAN', '0'], ['SET', 'k', 'v'], ['SCAN', '0'], ['SCAN', ''], ['SCAN', '-0'], ['SCAN', '+0'], ['SCAN', '00'],
    ['SCAN', '0', 'MATCH', 'k'], ['SCAN', '0', 'MATCH', 'x*'], ['SCAN', '0', 'match', '*', 'COUNT', '100'],
    ['SCAN', '0', 'TYPE', 'string'], ['SCAN', '0', 'TYPE', 'STRING'], ['SCAN', '0', 'TYPE', 'list'], ['SCAN', '0', 'TYPE', 'none'],
    ['SCAN', '0', 'TYPE', 'nosuchtype'], ['SCAN', '0', 'COUNT', '9223372036854775807'], ['SCAN', '0', 'count', '5', 'COUNT', '100'],
    ['SCAN', '0', 'MATCH', 'x', 'MATCH', 'k'], ['SCAN', '0', 'TYPE', 'list', 'TYPE', 'string'],
    ['SET', '', 'empty'], ['DEL', 'k'], ['SCAN', '0', 'MATCH', '*'], ['SCAN', '0', 'MATCH', '**'],
  ],
  'RANDOMKEY with at most one key': [
    ['RANDOMKEY'], ['SET', 'k', 'v'], ['RANDOMKEY'], ['RANDOMKEY', 'x'], ['DEL', 'k'], ['RANDOMKEY'],
  ],
});

/**
 * RESP3 scripts. They start with HELLO 3, whose reply carries the connection's id (numbered
 * differently by the two servers), so that one field is masked before comparing.
 */
describe.skipIf(!requireRedis())('differential: keys in RESP3', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });
  const scripts: Record<string, Script> = {
    'TYPE is a status': [['TYPE', 'nokey'], ['SET', 'a', '1'], ['TYPE', 'a']],
    'RANDOMKEY null': [['RANDOMKEY'], ['SET', 'k', 'v'], ['RANDOMKEY'], ['DEL', 'k'], ['RANDOMKEY']],
    'SCAN, KEYS and TTLs': [['SCAN', '0'], ['SET', 'k', 'v'], ['SCAN', '0'], ['KEYS', '*'], ['KEYS', 'x'], ['EXPIREAT', 'k', T2100],
      ['EXPIRETIME', 'k'], ['TTL', 'nokey'], ['EXISTS', 'k', 'k'], ['COPY', 'k', 'j'], ['RENAME', 'j', 'i'], ['RENAMENX', 'i', 'k']],
  };
  for (const [title, body] of Object.entries(scripts)) {
    test(title, async () => {
      const script: Script = [['HELLO', '3'], ...body];
      const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
      const mask = (r: string[]) => [r[0]!.replace(/(\$2\r\nid\r\n):\d+/, '$1:?'), ...r.slice(1)];
      const show = (replies: string[]) => script.map((argv, i) => `${argv.join(' ')} -> ${JSON.stringify(replies[i])}`);
      expect(show(mask(mine))).toEqual(show(mask(theirs)));
    });
  }
});

// ---- KEYS: sorted comparisons, and the glob matcher through them ------------------------------

/** The elements of a RESP2 array of bulk strings, sorted, or the raw reply if it is anything else. */
function bulkArray(reply: string): string[] | string {
  const r = bulkElements(reply);
  return typeof r === 'string' ? r : r.sort();
}

/** Keys chosen to sit on the glob rules' edges: metacharacters, high bytes, the empty key. */
const KEYSET = [
  '', 'a', 'b', 'c', 'ab', 'abc', 'abd', 'aXc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', 'a-c', 'a^c', 'A', 'Z', 'z', '0', '9',
  '_', '-', ']', '[', '*', '?', '\\', '^', 'hello', 'hallo', 'hxllo', 'hllo', 'heeello', 'h\\llo', '\xff', '\x80', '\x7f',
  '\xe9t\xe9', 'a\x00b', '\x00', 'foo:bar', 'foo:baz:1', 'foo::', 'aaaaaaaaab', 'aaaaaaaaaa', 'x y', 'a\r\nb',
];

const PATTERNS = [
  '*', '**', '', '?', '??', '???', '*?', '?*', '*?*', 'a*', '*a', '*a*', 'a**', 'a*c', 'a*b*c', '*b*', 'h?llo', 'h*llo',
  'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h[a-]llo', 'h[-a]llo', '[]', '[]]', '[]a]', '[a-]', '[^]', '[^]]',
  'a[bc', 'a[', 'a[^', '[', '[^', 'a[b-', 'a[b-c', '[\\', '[\\]', '[\\]]', '[\\-]', '[a\\-c]', '\\', 'a\\', 'a\\\\c', 'a\\*c',
  'a\\?c', 'a\\[c', '\\a', '\\*', '\\?', '\\[', '[*]', '[?]', '[[]', '[a-c]', '[c-a]', '[A-Z]', '[a-z]', '[^a-z]', '[0-9]',
  '[!a]', '[a-\xff]', '[\xff-a]', '[\x80-\xff]', '[\x00-\x7f]', '[^\x80-\xff]', '[\x7f-\x80]', '\xe9*', '*\xe9',
  'a?b', 'a\x00b', '?\x00?', '\x00', 'foo:*', 'foo:*:*', 'foo:?a?', '*:*', 'a*a*a*a*a*a*b', '*a*a*a*a*a*a*a*a', 'x y', '*\r\n*',
  '[ab][ab]', '[^ab][^ab]', 'h[^a-f]llo', 'h[e-e]llo', 'h[^]llo', '*[c]', '*[^c]', '[a-c]*[a-c]',
];

/** Random patterns over the characters that matter, from a fixed seed so failures reproduce. */
function randomPatterns(n: number): string[] {
  let seed = 4242;
  const rand = (m: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % m;
  };
  const chars = ['a', 'b', 'c', 'h', 'l', 'o', '*', '*', '?', '[', ']', '^', '-', '\\', 'A', '\xff', ':'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let p = '';
    for (let j = 1 + rand(7); j > 0; j--) p += chars[rand(chars.length)];
    out.push(p);
  }
  return out;
}

describe.skipIf(!requireRedis())('differential: KEYS patterns (sorted replies)', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  async function compareKeys(patterns: string[], setup: Script = []): Promise<void> {
    const mset: string[] = ['MSET'];
    for (const k of KEYSET) mset.push(k, 'v');
    const script: Script = [mset, ...setup, ...patterns.map((p) => ['KEYS', p])];
    const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
    const skip = 1 + setup.length;
    const show = (replies: string[]) => patterns.map((p, i) => `KEYS ${JSON.stringify(p)} -> ${JSON.stringify(bulkArray(replies[skip + i]!))}`);
    expect(show(mine)).toEqual(show(theirs));
  }

  test('hand-picked patterns', async () => {
    await compareKeys(PATTERNS);
  });

  test('400 random patterns', async () => {
    await compareKeys(randomPatterns(400));
  });

  test('KEYS skips keys past their time', async () => {
    await compareKeys(['*', 'a*', '?', '*b*'], [['SET', 'a', 'v', 'PXAT', PAST_MS], ['SET', 'ab', 'v', 'PXAT', PAST_MS],
      ['EXPIREAT', 'abc', T2100]]);
  });
});

// ---- keyspace hits and misses: which commands read, which write ------------------------------

describe.skipIf(!requireRedis())('differential: keyspace_hits and keyspace_misses', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('each command counts lookups like Redis', async () => {
    const stat = (info: string, name: string) => new RegExp(`${name}:(\\d+)`).exec(info)?.[1];
    const script: Script = [
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['CONFIG', 'RESETSTAT'],
      ['EXISTS', 'a', 'x'], ['TYPE', 'a'], ['TYPE', 'x'], ['TTL', 'a'], ['PTTL', 'x'], ['EXPIRETIME', 'a'], ['TOUCH', 'a', 'x'],
      ['COPY', 'a', 'c'], ['COPY', 'x', 'c'], ['KEYS', '*'], ['SCAN', '0', 'TYPE', 'string'], ['SCAN', '0'],
      ['RENAME', 'c', 'd'], ['EXPIRE', 'd', '100'], ['PERSIST', 'd'], ['DEL', 'd', 'x'], ['MOVE', 'b', '1'], ['RANDOMKEY'],
      ['INFO', 'stats'],
    ];
    const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
    const info = (r: string[]) => r[r.length - 1]!;
    expect(stat(info(mine), 'keyspace_hits')).toBe(stat(info(theirs), 'keyspace_hits'));
    expect(stat(info(mine), 'keyspace_misses')).toBe(stat(info(theirs), 'keyspace_misses'));
    expect(stat(info(theirs), 'keyspace_hits')).toBe('9');
  });
});
