/**
 * RDB files against real Redis 7.0, over TCP, in both I/O modes:
 * - a dump written by ringkv passes redis-check-rdb and loads into redis-server with the same
 *   keys, values (read with TYPE/GET/LRANGE/HGETALL/SMEMBERS/ZRANGE WITHSCORES, not DUMP) and
 *   TTLs; a dump written by redis-server (every type, small and large encodings, intsets,
 *   int-encoded and compressed strings, expiry) loads into ringkv the same way;
 * - BGSAVE is a point-in-time snapshot: writes made while it runs are not in the file, and the
 *   replies and INFO fields are Redis's;
 * - older dumps (Redis's own test assets, test/fixtures/rdb: RDB versions 3 to 10 with zipmap,
 *   ziplist, quicklist v1 and intset encodings) load into ringkv as they load into redis-server;
 * - save points trigger a background save; config-file save lines add up;
 * - a corrupt dump stops start-up with an error saying what and where (exit code 1).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { decodeReply, encodeCommand, RawClient } from '../helpers/raw.ts';
import { cmd, infoField, keyspaceContents as contents, pipeline, scratch } from '../helpers/scratch.ts';
import { requireRedis, startRedis, startRingkv, waitForOutput } from '../helpers/servers.ts';

const HAVE_REDIS = requireRedis();
const { tempDir, track } = scratch('ringkv-rdb-');

/** The commands building a dataset with every type in each of Redis 7.0's encodings. */
function datasetCommands(): string[][] {
  const c: string[][] = [];
  c.push(['SET', 'str:small', 'hello'], ['SET', 'str:int', '12345'], ['SET', 'str:neg', '-7'], ['SET', 'str:bigint', '9223372036854775807'],
    ['SET', 'str:zeros', '007'], ['SET', 'str:long', 'abc'.repeat(200)], ['SET', 'str:empty', ''],
    ['SET', 'str:binary', '\x00\x01\xff\r\nbytes'], ['SET', 'str:random', Array.from({ length: 60 }, (_, i) => String.fromCharCode(33 + ((i * 37) % 90))).join('')]);
  c.push(['RPUSH', 'list:small', 'a', '1', '-300', '70000', 'x'.repeat(70)]);
  const big: string[] = [];
  for (let i = 0; i < 3000; i++) big.push(i % 5 === 0 ? `element-${i}-${'z'.repeat(i % 90)}` : String(i * 7 - 1000));
  c.push(['RPUSH', 'list:big', ...big]);
  c.push(['HSET', 'hash:small', 'f1', 'v1', 'n', '42', 'neg', '-5']);
  const hb: string[] = [];
  for (let i = 0; i < 700; i++) hb.push(`field:${i}`, `value:${i}`);
  c.push(['HSET', 'hash:big', ...hb], ['HSET', 'hash:longvalue', 'f', 'v'.repeat(100)]);
  c.push(['SADD', 'set:intset', '1', '5', '-100', '40000', '-9223372036854775808'], ['SADD', 'set:strings', 'apple', 'pear', '7']);
  const sb: string[] = [];
  for (let i = 0; i < 600; i++) sb.push(String(i * 3));
  c.push(['SADD', 'set:manyints', ...sb]);
  c.push(['ZADD', 'zset:small', '1.5', 'a', '-2', 'b', 'inf', 'c', '-inf', 'd', '0.1', 'e', '123456789012', 'f']);
  const zb: string[] = [];
  for (let i = 0; i < 300; i++) zb.push(String(i / 7), `member:${i}`);
  c.push(['ZADD', 'zset:big', ...zb], ['ZADD', 'zset:longmember', '3', 'm'.repeat(80)]);
  c.push(['SET', 'ttl:str', 'v', 'PX', '3600000'], ['RPUSH', 'ttl:list', 'a'], ['PEXPIRE', 'ttl:list', '7200000']);
  c.push(['SELECT', '3'], ['SET', 'db3:key', 'in db 3'], ['HSET', 'db3:hash', 'a', 'b'], ['SELECT', '0']);
  return c;
}

test.runIf(HAVE_REDIS)('a ringkv dump passes redis-check-rdb and loads into redis-server identically', async () => {
  const dir = tempDir();
  const ringkv = await track(startRingkv(['--dir', dir]));
  const c = await RawClient.connect(ringkv.port);
  for (const r of await pipeline(c, datasetCommands())) expect(r).not.toHaveProperty('error');
  expect(await cmd(c, 'SAVE')).toBe('OK');
  expect(await cmd(c, 'LASTSAVE')).toBeGreaterThan(Date.now() / 1000 - 60);
  c.close();
  const check = spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
  expect(check.stdout).toMatch(/RDB looks OK/);
  expect(check.status).toBe(0);
  const redis = await track(startRedis(['--dir', dir, '--sanitize-dump-payload', 'yes']));
  expect(redis.output()).toMatch(/DB loaded from disk/);
  const mine = await contents(ringkv.port);
  expect(mine.size).toBeGreaterThan(20);
  expect(await contents(redis.port)).toEqual(mine);
}, 60000);

test.runIf(HAVE_REDIS)('a redis-server dump (every type and encoding, expiry) loads into ringkv identically', async () => {
  const dir = tempDir();
  const redis = await track(startRedis(['--dir', dir, '--enable-debug-command', 'yes']));
  const c = await RawClient.connect(redis.port);
  for (const r of await pipeline(c, datasetCommands())) expect(r).not.toHaveProperty('error');
  // Encodings as Redis made them: the loader must read each.
  const enc = await pipeline(c, ['list:big', 'hash:small', 'hash:big', 'set:intset', 'set:strings', 'zset:small', 'zset:big', 'str:int', 'str:long']
    .map((k) => ['OBJECT', 'ENCODING', k]));
  expect(enc).toEqual(['quicklist', 'listpack', 'hashtable', 'intset', 'hashtable', 'listpack', 'skiplist', 'int', 'raw']);
  // An already expired key (set with a past time just before SAVE) must not come back.
  expect(await pipeline(c, [['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'expiring', 'v', 'PX', '1'], ['DEBUG', 'SLEEP', '0.02'], ['SAVE']]))
    .toEqual(['OK', 'OK', 'OK', 'OK']);
  c.close();
  const ringkv = await track(startRingkv(['--dir', dir]));
  expect(ringkv.output()).toMatch(/DB loaded from disk/);
  const theirs = await contents(redis.port);
  expect(theirs.has('0/expiring')).toBe(false);
  expect(await contents(ringkv.port)).toEqual(theirs);
  const k = await RawClient.connect(ringkv.port);
  const info = (await cmd(k, 'INFO', 'persistence')) as string;
  expect(Number(infoField(info, 'rdb_last_load_keys_loaded'))).toBe(theirs.size);
  expect(infoField(info, 'rdb_last_load_keys_expired')).toBe('1');
  k.close();
}, 60000);

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/rdb');

test.runIf(HAVE_REDIS)('older encodings (zipmap, ziplist, quicklist v1, intset; RDB 3 to 10) load as redis-server loads them', async () => {
  await Promise.all(['encodings', 'hash-zipmap', 'hash-ziplist', 'list-quicklist', 'zset-ziplist'].map(async (name) => {
    const dir = tempDir();
    copyFileSync(path.join(FIXTURES, `${name}.rdb`), path.join(dir, 'dump.rdb'));
    const [redis, ringkv] = await Promise.all([track(startRedis(['--dir', dir])), track(startRingkv(['--dir', dir]))]);
    const theirs = await contents(redis.port);
    expect(theirs.size, name).toBeGreaterThan(0);
    expect(await contents(ringkv.port), name).toEqual(theirs);
  }));
}, 60000);

test.runIf(HAVE_REDIS)('BGSAVE is a point-in-time snapshot while writes go on', async () => {
  const dir = tempDir();
  const ringkv = await track(startRingkv(['--dir', dir]));
  const c = await RawClient.connect(ringkv.port);
  const N = 100_000;
  for (let i = 0; i < N; i += 10_000) {
    const batch: string[][] = [];
    for (let j = i; j < i + 10_000; j++) batch.push(['SET', `key:${j}`, `value:${j}`]);
    await pipeline(c, batch);
  }
  await pipeline(c, [['RPUSH', 'list', 'a', 'b'], ['HSET', 'hash', 'f', 'old'], ['RPUSH', 'dst', 'old']]);
  // A blocked client whose serving (during the save) writes its destination: the hook covers it.
  const blocked = await RawClient.connect(ringkv.port);
  blocked.write(encodeCommand(['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']));
  for (let i = 0; i < 100 && infoField((await cmd(c, 'INFO', 'clients')) as string, 'blocked_clients') !== '1'; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  // One write: the save starts, and the writes behind it run before most of it is serialised.
  const replies = await pipeline(c, [
    ['BGSAVE'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['SAVE'],
    ['SET', `key:${N - 1}`, 'changed'], ['DEL', 'key:5'], ['SET', 'born-later', '1'], ['RPUSH', 'list', 'c'],
    ['HSET', 'hash', 'f', 'new'], ['RPUSH', 'src', 'moved'], ['FLUSHDB'], ['SET', 'after-flush', '1'],
  ]);
  expect(decodeReply(await blocked.readReply())).toBe('moved');
  blocked.close();
  expect(replies.slice(0, 4)).toEqual(['Background saving started', { error: 'ERR Background save already in progress' },
    { error: 'ERR Background save already in progress' }, { error: 'ERR Background save already in progress' }]);
  let info = '';
  for (let i = 0; i < 300; i++) {
    info = (await cmd(c, 'INFO', 'persistence')) as string;
    if (infoField(info, 'rdb_bgsave_in_progress') === '0') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(infoField(info, 'rdb_bgsave_in_progress')).toBe('0');
  expect(infoField(info, 'rdb_last_bgsave_status')).toBe('ok');
  expect(infoField(info, 'rdb_saves')).toBe('1');
  c.close();
  // The file, read by redis-server: the keyspace as it was when BGSAVE ran.
  const redis = await track(startRedis(['--dir', dir]));
  const r = await RawClient.connect(redis.port);
  expect(await cmd(r, 'DBSIZE')).toBe(N + 3);
  expect(await pipeline(r, [['GET', `key:${N - 1}`], ['GET', 'key:5'], ['EXISTS', 'born-later'], ['LRANGE', 'list', '0', '-1'],
    ['HGET', 'hash', 'f'], ['EXISTS', 'after-flush'], ['LRANGE', 'dst', '0', '-1'], ['EXISTS', 'src']]))
    .toEqual([`value:${N - 1}`, 'value:5', 0, ['a', 'b'], 'old', 0, ['old'], 0]);
  r.close();
}, 90000);

test('BGSAVE in MULTI is scheduled; save points start a background save; replies as Redis', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'ringkv.conf'), `dir ${dir}\nsave 3600 1000\nsave 1 1\n`);
  const ringkv = await track(startRingkv([path.join(dir, 'ringkv.conf'), '--hz', '50']));
  const c = await RawClient.connect(ringkv.port);
  expect(await cmd(c, 'CONFIG', 'GET', 'save')).toEqual(['save', '3600 1000 1 1']);
  expect(await cmd(c, 'BGSAVE', 'foo')).toEqual({ error: 'ERR syntax error' });
  expect(await cmd(c, 'CONFIG', 'SET', 'save', '100')).toEqual({ error: "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters" });
  expect(await pipeline(c, [['MULTI'], ['BGSAVE'], ['EXEC']])).toEqual(['OK', 'QUEUED', ['Background saving scheduled']]);
  expect(await cmd(c, 'SAVE')).toBeOneOf(['OK', { error: 'ERR Background save already in progress' }]);
  await waitForOutput(ringkv, /Background saving terminated with success/, 10000);
  // A change and a second later, the "1 1" save point saves again.
  await cmd(c, 'SET', 'k', 'v');
  const out = await waitForOutput(ringkv, /1 changes in 1 seconds\. Saving\.\.\.[\s\S]*Background saving terminated with success[\s\S]*Background saving terminated with success|Background saving terminated with success[\s\S]*1 changes in 1 seconds\. Saving\.\.\.[\s\S]*Background saving terminated with success/, 10000);
  expect(out).toMatch(/1 changes in 1 seconds\. Saving\.\.\./);
  for (let i = 0; i < 100 && infoField((await cmd(c, 'INFO', 'persistence')) as string, 'rdb_changes_since_last_save') !== '0'; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(infoField((await cmd(c, 'INFO', 'persistence')) as string, 'rdb_changes_since_last_save')).toBe('0');
  expect(readFileSync(path.join(dir, 'dump.rdb')).subarray(0, 9).toString()).toBe('REDIS0010');
  c.close();
}, 30000);

test('a corrupt dump stops start-up with an error saying what and where', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'dump.rdb'), Buffer.concat([Buffer.from('REDIS0010'), Buffer.from([0xfe, 0x00, 0x00, 0x03, 0x61])]));
  const err = await startRingkv(['--dir', dir]).then(() => null, (e: Error) => e);
  expect(err?.message).toMatch(/exited \(1\)/);
  expect(err?.message).toContain(path.join(dir, 'dump.rdb'));
  expect(err?.message).toMatch(/not a valid RDB file: unexpected end of file/);
});

test('SIGTERM with save points saves the dump, and a restart loads it', async () => {
  const dir = tempDir();
  const first = await startRingkv(['--dir', dir, '--save', '3600 1']);
  const c = await RawClient.connect(first.port);
  expect(await pipeline(c, [['SET', 'k', 'v'], ['RPUSH', 'l', 'a', 'b'], ['SET', 't', 'x', 'EX', '1000'], ['SELECT', '2'], ['SET', 'k2', '2']]))
    .toEqual(['OK', 2, 'OK', 'OK', 'OK']);
  c.close();
  await first.stop();
  expect(first.output()).toMatch(/DB saved on disk/);
  const second = await track(startRingkv(['--dir', dir]));
  expect(second.output()).toMatch(/DB loaded from disk/);
  const d = await RawClient.connect(second.port);
  const r = await pipeline(d, [['GET', 'k'], ['LRANGE', 'l', '0', '-1'], ['TTL', 't'], ['SELECT', '2'], ['GET', 'k2']]);
  expect([r[0], r[1], r[3], r[4]]).toEqual(['v', ['a', 'b'], 'OK', '2']);
  // The expiry is an absolute time: the seconds spent stopping and starting are gone from it.
  expect(r[2]).toBeGreaterThan(900);
  expect(r[2]).toBeLessThanOrEqual(1000);
  d.close();
}, 30000);

test('a failed save: SAVE answers -ERR, a failed BGSAVE sets rdb_last_bgsave_status:err and MISCONF refuses writes until a save succeeds', async () => {
  const dir = tempDir();
  const ringkv = await track(startRingkv(['--dir', dir, '--save', '3600 1']));
  const c = await RawClient.connect(ringkv.port);
  const pid = infoField((await cmd(c, 'INFO', 'server')) as string, 'process_id');
  // A directory where the temp file should go makes the open fail (permissions do not stop root).
  mkdirSync(path.join(dir, `temp-${pid}.rdb`));
  mkdirSync(path.join(dir, `temp-bgsave-${pid}.rdb`));
  expect(await cmd(c, 'SET', 'k', 'v')).toBe('OK');
  expect(await cmd(c, 'SAVE')).toEqual({ error: 'ERR' });
  expect(await cmd(c, 'BGSAVE')).toBe('Background saving started');
  let info = '';
  for (let i = 0; i < 100; i++) {
    info = (await cmd(c, 'INFO', 'persistence')) as string;
    if (infoField(info, 'rdb_bgsave_in_progress') === '0') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(infoField(info, 'rdb_last_bgsave_status')).toBe('err');
  expect(await cmd(c, 'SET', 'k', 'w')).toEqual({ error: expect.stringMatching(/^MISCONF Redis is configured to save RDB snapshots/) });
  expect(await cmd(c, 'GET', 'k')).toBe('v');
  rmSync(path.join(dir, `temp-${pid}.rdb`), { recursive: true });
  expect(await cmd(c, 'SAVE')).toBe('OK'); // a good save clears the error
  expect(infoField((await cmd(c, 'INFO', 'persistence')) as string, 'rdb_last_bgsave_status')).toBe('ok');
  expect(await cmd(c, 'SET', 'k', 'w')).toBe('OK');
  expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
  c.close();
}, 30000);
