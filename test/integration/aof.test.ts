/**
 * The append-only file against real Redis 7.0, over TCP, in both I/O modes:
 * - what is written: the incr file of ringkv and of redis-server, after the same commands, hold
 *   the same commands (Redis 7.0's rewrites: relative times to PXAT/PEXPIREAT, INCRBYFLOAT to
 *   SET KEEPTTL, blocking pops served later to their plain pop, SPOP to SREM, transactions in
 *   MULTI/EXEC, SELECT when the database changes, expired keys as DEL), times masked (a write
 *   on a key found expired is left out: whether active or lazy expiry gets there first is timing);
 * - the Redis 7 multi-part layout: a ringkv AOF directory (RDB preamble or command base, after
 *   BGREWRITEAOF) passes redis-check-aof and loads into redis-server with the same data; a
 *   redis-server AOF directory loads into ringkv with the same data;
 * - crashes: kill -9 under write load from several pipelining clients, restart from disk: with
 *   appendfsync always every acknowledged write is there; with everysec only writes
 *   acknowledged in the last ~2 s may be missing;
 * - a torn tail loads per aof-load-truncated (truncated and logged, or a start-up error naming
 *   the file and offset); corrupt bytes in the middle stop start-up with file and offset;
 * - CONFIG SET appendonly yes at run time writes a base of the current data; automatic rewrite
 *   by growth; INFO persistence's aof_* fields; a failed write (a file size limit) makes writes
 *   and PING answer MISCONF.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { decodeReply, encodeCommand, RawClient, type Reply } from '../helpers/raw.ts';
import { cmd, infoField, keyspaceContents as contents, pipeline, scratch } from '../helpers/scratch.ts';
import { requireRedis, ROOT, startRedis, startRingkv, waitForOutput } from '../helpers/servers.ts';

const HAVE_REDIS = requireRedis();
const { tempDir, track } = scratch('ringkv-aof-');

/** Waits (up to `ms`) until INFO says no AOF rewrite is in progress. */
async function rewriteDone(c: RawClient, ms: number): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (infoField((await cmd(c, 'INFO', 'persistence')) as string, 'aof_rewrite_in_progress') === '0') return;
    await sleep(50);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The commands of an AOF file (RESP arrays), as arrays of latin1 strings. */
function decodeAof(buf: Buffer): string[][] {
  const out: string[][] = [];
  let p = 0;
  const line = (): string => {
    const e = buf.indexOf('\r\n', p);
    const s = buf.toString('latin1', p, e);
    p = e + 2;
    return s;
  };
  while (p < buf.length) {
    const n = Number(line().slice(1));
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = Number(line().slice(1));
      argv.push(buf.toString('latin1', p, p + len));
      p += len + 2;
    }
    out.push(argv);
  }
  return out;
}

/** The manifest's files by type. */
function manifest(dir: string): Array<{ name: string; seq: number; type: string }> {
  const text = readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
  return text.trim().split('\n').map((l) => {
    const m = /^file (\S+) seq (\d+) type ([bhi])$/.exec(l);
    if (m === null) throw new Error(`bad manifest line ${l}`);
    return { name: m[1]!, seq: Number(m[2]), type: m[3]! };
  });
}

function incrFile(dir: string): string {
  const incrs = manifest(dir).filter((f) => f.type === 'i');
  return path.join(dir, 'appendonlydir', incrs[incrs.length - 1]!.name);
}

/** A dataset with every type, TTLs and several databases. */
function datasetCommands(): string[][] {
  const c: string[][] = [];
  c.push(['SET', 'str', 'hello'], ['SET', 'int', '12345'], ['SET', 'bin', '\x00\x01\xff\r\nbytes'], ['SET', 'long', 'abc'.repeat(300)]);
  const big: string[] = [];
  for (let i = 0; i < 500; i++) big.push(i % 3 === 0 ? `e${i}` : String(i));
  c.push(['RPUSH', 'list', 'a', 'b', 'c'], ['RPUSH', 'list:big', ...big]);
  c.push(['HSET', 'hash', 'f1', 'v1', 'n', '42']);
  c.push(['SADD', 'set:int', '1', '5', '-100'], ['SADD', 'set', 'apple', 'pear']);
  c.push(['ZADD', 'zset', '1.5', 'a', '-2', 'b', 'inf', 'c', '0.1', 'e']);
  c.push(['SET', 'ttl', 'v', 'EX', '3600'], ['RPUSH', 'ttl:list', 'x'], ['EXPIRE', 'ttl:list', '7200']);
  c.push(['INCRBYFLOAT', 'float', '1.25'], ['HINCRBYFLOAT', 'hash', 'fl', '2.5']);
  c.push(['SELECT', '3'], ['SET', 'db3', 'in db 3'], ['HSET', 'db3:hash', 'a', 'b'], ['SELECT', '0']);
  return c;
}

// ---- what is written ----------------------------------------------------------------------

/**
 * One scenario step: a command, a command sent from a second client while the first is
 * blocked (`bg`), or a pause. Deterministic: SPOP only ever pops from a one-member set.
 */
type Step = string[] | { bg: string[] } | { sleep: number };

const SCENARIO: Step[] = [
  ['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['EXPIRE', 'a', '50'], ['SETEX', 'c', '10', 'v'], ['PSETEX', 'c2', '10000', 'v'],
  ['SET', 'e', 'v', 'PXAT', '99999999999999'], ['GETEX', 'a', 'EX', '20'], ['GETEX', 'a', 'PERSIST'], ['GETEX', 'a'],
  ['SADD', 's', 'x'], ['SPOP', 's'], ['SADD', 's', 'x', 'y'], ['SPOP', 's', '2'], ['SPOP', 's', '0'],
  ['INCRBYFLOAT', 'f', '1.5'], ['LPUSH', 'l', 'a', 'b'], ['SET', 't', 'v', 'PX', '1'], { sleep: 50 }, ['GET', 't'],
  ['DEL', 'nokey'], ['EXPIRE', 'a', '-1'], ['PERSIST', 'b'],
  ['RPOPLPUSH', 'l', 'l2'], ['BLPOP', 'l', '1'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZPOPMIN', 'z'], ['BZPOPMAX', 'z', '1'],
  ['HINCRBYFLOAT', 'h', 'f', '2.5'], ['SADD', 's2', 'a'], ['PEXPIREAT', 's2', '1999999999000'], ['EXPIREAT', 's2', '1999999999'],
  ['SET', 'k', 'v', 'EXAT', '1999999999'], ['GETEX', 'k', 'PX', '10000'], ['GETDEL', 'k'], ['SET', 'k2', 'v'], ['SET', 'k2', 'w', 'GET'],
  ['SET', 'k2', 'x', 'XX', 'GET', 'KEEPTTL'], ['GETSET', 'k2', 'y'], ['LPUSH', 'q', 'a', 'b', 'c'], ['LMPOP', '1', 'q', 'LEFT', 'COUNT', '2'],
  ['ZADD', 'z2', '1', 'a', '2', 'b'], ['ZMPOP', '1', 'z2', 'MIN'], ['BZMPOP', '1', '1', 'z2', 'MAX'], ['BLMPOP', '1', '1', 'q', 'RIGHT'],
  ['RPUSH', 'q2', 'x', 'y'], ['BLMOVE', 'q2', 'q3', 'left', 'right', '1'], ['BRPOPLPUSH', 'q2', 'q3', '1'],
  ['SET', 'z9', '1'], ['RENAME', 'z9', 'z10'], ['MOVE', 'z10', '5'],
  ['SET', 'g1', 'c', 'NX'], ['EXPIRE', 'g1', '100', 'NX'], ['EXPIRE', 'g1', '200', 'XX'], ['SET', 'p1', 'v'], ['PEXPIREAT', 'p1', '1000'],
  ['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'c', '3', 'd', '4'], ['DEL', 'a', 'b', 'c', 'd', 'zz'],
  { bg: ['RPUSH', 'wl', 'a', 'b'] }, ['BLPOP', 'wl', '5'], { bg: ['ZADD', 'wz', '1', 'a'] }, ['BZMPOP', '5', '1', 'wz', 'MIN', 'COUNT', '3'],
  { bg: ['RPUSH', 'wl2', 'a'] }, ['BLMOVE', 'wl2', 'wl3', 'RIGHT', 'LEFT', '5'], { bg: ['RPUSH', 'wl4', 'a', 'b', 'c'] },
  ['BLMPOP', '5', '1', 'wl4', 'LEFT', 'COUNT', '2'],
  ['MULTI'], ['SET', 'm1', '1'], ['INCR', 'm1'], ['GET', 'm1'], ['EXEC'], ['MULTI'], ['GET', 'm1'], ['EXEC'], ['MULTI'], ['SET', 'm2', '1'], ['EXEC'],
  ['MULTI'], ['SET', 'm3', '1'], ['SELECT', '2'], ['SET', 'm3', '2'], ['EXEC'], ['SET', 'in2', 'x'], ['SELECT', '0'],
  ['SADD', 'one', 'x'], ['MULTI'], ['SPOP', 'one'], ['SET', 'y', '2'], ['EXEC'], ['FLUSHDB'],
];

async function runScenario(port: number): Promise<void> {
  const c = await RawClient.connect(port);
  const other = await RawClient.connect(port);
  try {
    for (const step of SCENARIO) {
      if ('sleep' in step) await sleep(step.sleep);
      else if ('bg' in step) setTimeout(() => other.write(encodeCommand(step.bg)), 150);
      else {
        const r = await cmd(c, ...step);
        expect(r !== null && typeof r === 'object' && 'error' in r ? r.error : null, step.join(' ')).toBeNull();
      }
    }
    // The background pushes' replies, so nothing is left unread.
    for (let i = 0; i < 4; i++) await other.readReply(5000);
  } finally {
    c.close();
    other.close();
  }
}

/** The incr file's commands with absolute times (13 digits starting 1) masked. */
function maskedIncr(dir: string): string[] {
  return decodeAof(readFileSync(incrFile(dir))).map((a) => a.map((x) => (/^1\d{12}$/.test(x) ? '<ms>' : x)).join(' '));
}

test.runIf(HAVE_REDIS)('the incr file holds what redis-server 7.0 writes for the same commands', async () => {
  const rdir = tempDir();
  const kdir = tempDir();
  const redis = await track(startRedis(['--appendonly', 'yes', '--dir', rdir]));
  const ringkv = await track(startRingkv(['--appendonly', 'yes', '--dir', kdir]));
  await Promise.all([runScenario(redis.port), runScenario(ringkv.port)]);
  await sleep(1200); // both write within a turn, and sync within a second
  const expected = maskedIncr(rdir);
  expect(expected.length).toBeGreaterThan(60);
  expect(maskedIncr(kdir)).toEqual(expected);
}, 60000);

// ---- layout and round trips with redis-server ---------------------------------------------------

for (const preamble of ['yes', 'no']) {
  test.runIf(HAVE_REDIS)(`a ringkv AOF dir (aof-use-rdb-preamble ${preamble}) passes redis-check-aof and loads into redis-server`, async () => {
    const dir = tempDir();
    const ringkv = await track(startRingkv(['--appendonly', 'yes', '--dir', dir, '--aof-use-rdb-preamble', preamble]));
    const c = await RawClient.connect(ringkv.port);
    for (const r of await pipeline(c, datasetCommands())) expect(r).not.toHaveProperty('error');
    // The first base (made at start-up, in the background here; synchronously in Redis) first.
    await rewriteDone(c, 5000);
    expect(await cmd(c, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    // The rewrite finishes in the background; writes meanwhile go to the new incr file.
    for (const r of await pipeline(c, [['SET', 'after', 'rewrite'], ['SELECT', '5'], ['RPUSH', 'db5:list', 'p', 'q'], ['SELECT', '0'], ['SET', 'ttl2', 'x', 'PX', '9000000']])) {
      expect(r).not.toHaveProperty('error');
    }
    await rewriteDone(c, 5000);
    const info = (await cmd(c, 'INFO', 'persistence')) as string;
    expect(infoField(info, 'aof_enabled')).toBe('1');
    expect(infoField(info, 'aof_last_bgrewrite_status')).toBe('ok');
    expect(Number(infoField(info, 'aof_base_size'))).toBeGreaterThan(0);
    expect(Number(infoField(info, 'aof_current_size'))).toBeGreaterThan(Number(infoField(info, 'aof_base_size')));
    c.close();
    const files = manifest(dir);
    expect(files.map((f) => f.type)).toEqual(['b', 'i']);
    expect(files[0]!.name).toBe(`appendonly.aof.${files[0]!.seq}.base.${preamble === 'yes' ? 'rdb' : 'aof'}`);
    expect(files[1]!.name).toBe(`appendonly.aof.${files[1]!.seq}.incr.aof`);
    // The files before the rewrite are gone.
    expect(readdirSync(path.join(dir, 'appendonlydir')).sort()).toEqual([files[0]!.name, files[1]!.name, 'appendonly.aof.manifest'].sort());
    const mine = await contents(ringkv.port);
    expect(mine.size).toBeGreaterThan(14);
    const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8', input: 'n\n' });
    expect(check.stdout).toMatch(/All AOF files and manifest are valid/);
    expect(check.status).toBe(0);
    const redis = await track(startRedis(['--appendonly', 'yes', '--dir', dir]));
    expect(redis.output()).toMatch(/DB loaded from append only file/);
    expect(await contents(redis.port)).toEqual(mine);
    // And back: ringkv restarted on the same files has the same data.
    await redis.stop();
    await ringkv.stop();
    const again = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
    expect(again.output()).toMatch(/DB loaded from append only file/);
    expect(await contents(again.port)).toEqual(mine);
  }, 60000);
}

test.runIf(HAVE_REDIS)('a redis-server AOF dir (RDB base + incr) loads into ringkv with the same data', async () => {
  const dir = tempDir();
  const redis = await track(startRedis(['--appendonly', 'yes', '--dir', dir]));
  const c = await RawClient.connect(redis.port);
  await pipeline(c, datasetCommands());
  expect(await cmd(c, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
  await rewriteDone(c, 5000);
  await pipeline(c, [['SET', 'after', 'rewrite'], ['SPOP', 'set:int'], ['SELECT', '7'], ['SET', 'db7', 'x', 'EX', '5000']]);
  c.close();
  const theirs = await contents(redis.port);
  await redis.stop();
  const ringkv = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  expect(ringkv.output()).toMatch(/DB loaded from append only file/);
  expect(await contents(ringkv.port)).toEqual(theirs);
}, 60000);

// ---- crashes -------------------------------------------------------------------------------

interface Ack {
  key: string;
  at: number;
}

/**
 * Several clients each pipelining SETs of fresh keys (16 at a time) until `stop` is set,
 * recording every acknowledged key with the time its reply arrived.
 */
async function writeLoad(port: number, clients: number, stop: { now: boolean }, acks: Ack[]): Promise<Ack[]> {
  await Promise.all(Array.from({ length: clients }, async (_, id) => {
    const c = await RawClient.connect(port);
    let i = 0;
    try {
      while (!stop.now) {
        const keys = Array.from({ length: 16 }, () => `c${id}:${i++}`);
        c.write(Buffer.concat(keys.map((k) => encodeCommand(['SET', k, k]))));
        for (const k of keys) {
          const r = decodeReply(await c.readReply(5000));
          if (r !== 'OK') throw new Error(`SET ${k}: ${JSON.stringify(r)}`);
          acks.push({ key: k, at: Date.now() });
        }
      }
    } catch {
      // The server was killed mid-batch: what was acknowledged is recorded.
    } finally {
      c.close();
    }
  }));
  return acks;
}

/** Which of `keys` exist (EXISTS, pipelined). */
async function missing(port: number, acks: Ack[]): Promise<Ack[]> {
  const c = await RawClient.connect(port);
  const out: Ack[] = [];
  try {
    for (let i = 0; i < acks.length; i += 1000) {
      const part = acks.slice(i, i + 1000);
      const r = await pipeline(c, part.map((a) => ['EXISTS', a.key]));
      for (let j = 0; j < part.length; j++) if (r[j] !== 1) out.push(part[j]!);
    }
  } finally {
    c.close();
  }
  return out;
}

async function crashUnderLoad(fsync: string, ms: number): Promise<{ acks: Ack[]; lost: Ack[]; killedAt: number }> {
  const dir = tempDir();
  const server = await track(startRingkv(['--appendonly', 'yes', '--appendfsync', fsync, '--dir', dir]));
  const stop = { now: false };
  const acked: Ack[] = [];
  const load = writeLoad(server.port, 4, stop, acked);
  // At least `ms` of load, and (on a loaded machine) until a few thousand writes were acknowledged.
  const t0 = Date.now();
  while (Date.now() - t0 < ms || (acked.length < 3000 && Date.now() - t0 < 20000)) await sleep(50);
  const killedAt = Date.now();
  server.proc.kill('SIGKILL');
  stop.now = true;
  const acks = await load;
  await new Promise((r) => (server.proc.exitCode !== null || server.proc.signalCode !== null ? r(null) : server.proc.once('exit', r)));
  const again = await track(startRingkv(['--appendonly', 'yes', '--appendfsync', fsync, '--dir', dir]));
  const lost = await missing(again.port, acks);
  return { acks, lost, killedAt };
}

test('kill -9 under write load with appendfsync always: every acknowledged write is there after restart', async () => {
  const { acks, lost } = await crashUnderLoad('always', 1500);
  expect(acks.length).toBeGreaterThan(100);
  expect(lost).toEqual([]);
}, 60000);

test('kill -9 under write load with appendfsync everysec: only writes of the last ~2 s may be missing', async () => {
  const { acks, lost, killedAt } = await crashUnderLoad('everysec', 3000);
  expect(acks.length).toBeGreaterThan(100);
  // A process crash keeps what reached the kernel; everysec's window is for a machine crash.
  // Either way nothing acknowledged more than ~2 s (plus scheduling slack) before the kill.
  for (const a of lost) expect(killedAt - a.at).toBeLessThan(2500);
}, 60000);

// ---- damaged files -----------------------------------------------------------------------------

/** A server with a few keys, stopped cleanly; returns its dir and the incr file's path. */
async function aofWithData(): Promise<{ dir: string; incr: string }> {
  const dir = tempDir();
  const s = await startRingkv(['--appendonly', 'yes', '--dir', dir]);
  const c = await RawClient.connect(s.port);
  await pipeline(c, [['SET', 'k1', 'v1'], ['SET', 'k2', 'v2'], ['RPUSH', 'list', 'a', 'b']]);
  c.close();
  await s.stop();
  return { dir, incr: incrFile(dir) };
}

async function startFails(args: string[]): Promise<string> {
  try {
    await track(startRingkv(args));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the server started');
}

test('a torn tail: aof-load-truncated no refuses to start naming the file and offset; yes loads, truncates and logs', async () => {
  const { dir, incr } = await aofWithData();
  const good = statSync(incr).size;
  const torn = '*3\r\n$3\r\nSET\r\n$2\r\nk3\r\n$5\r\nval';
  appendFileSync(incr, torn);
  const name = path.basename(incr);
  const msg = await startFails(['--appendonly', 'yes', '--dir', dir, '--aof-load-truncated', 'no']);
  expect(msg).toMatch(/exited \(1\)/);
  expect(msg).toContain(`Unexpected end of file reading the append only file ${name} at offset ${good}`);
  expect(statSync(incr).size).toBe(good + torn.length);
  const s = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  expect(s.output()).toContain(`!!! Truncating the AOF ${name} at offset ${good} !!!`);
  expect(s.output()).toContain(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
  expect(statSync(incr).size).toBe(good);
  const c = await RawClient.connect(s.port);
  expect(await cmd(c, 'MGET', 'k1', 'k2', 'k3')).toEqual(['v1', 'v2', null]);
  // Appending goes on after the cut: a later restart reads a clean file.
  expect(await cmd(c, 'SET', 'k4', 'v4')).toBe('OK');
  c.close();
  await s.stop();
  const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8', input: 'n\n' });
  expect(check.stdout).toMatch(/All AOF files and manifest are valid/);
}, 60000);

test('a transaction cut before its EXEC is dropped as a torn tail', async () => {
  const { dir, incr } = await aofWithData();
  const good = statSync(incr).size;
  appendFileSync(incr, Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['SET', 'k1', 'changed'])]));
  const s = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  expect(statSync(incr).size).toBe(good);
  const c = await RawClient.connect(s.port);
  expect(await cmd(c, 'GET', 'k1')).toBe('v1');
  c.close();
}, 30000);

test('corrupt bytes in the middle stop start-up with the file and offset', async () => {
  const { dir, incr } = await aofWithData();
  const buf = readFileSync(incr);
  const at = buf.indexOf('*3\r\n$3\r\nSET\r\n$2\r\nk2');
  writeFileSync(incr, Buffer.concat([buf.subarray(0, at), Buffer.from('garbage\r\n'), buf.subarray(at)]));
  const msg = await startFails(['--appendonly', 'yes', '--dir', dir]);
  expect(msg).toContain(`Bad file format reading the append only file ${path.basename(incr)} at offset ${at}`);
}, 30000);

// ---- switching on, rewrites, INFO ----------------------------------------------------------------

test('CONFIG SET appendonly yes writes a base of the data so far; restart loads it; BGREWRITEAOF replies', async () => {
  const dir = tempDir();
  const s = await track(startRingkv(['--dir', dir]));
  const c = await RawClient.connect(s.port);
  let info = (await cmd(c, 'INFO', 'persistence')) as string;
  expect(infoField(info, 'aof_enabled')).toBe('0');
  expect(infoField(info, 'aof_current_size')).toBeUndefined();
  for (const r of await pipeline(c, datasetCommands())) expect(r).not.toHaveProperty('error');
  expect(await cmd(c, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK');
  expect(await cmd(c, 'CONFIG', 'SET', 'appendfilename', 'x.aof')).toEqual({ error: "ERR CONFIG SET failed (possibly related to argument 'appendfilename') - can't set immutable config" });
  expect(await cmd(c, 'CONFIG', 'SET', 'appendfsync', 'sometimes')).toEqual({ error: "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no" });
  expect(await cmd(c, 'SET', 'later', '1')).toBe('OK');
  await rewriteDone(c, 5000);
  info = (await cmd(c, 'INFO', 'persistence')) as string;
  expect(infoField(info, 'aof_enabled')).toBe('1');
  expect(infoField(info, 'aof_last_write_status')).toBe('ok');
  expect(infoField(info, 'aof_buffer_length')).toMatch(/^\d+$/);
  expect(manifest(dir).map((f) => f.type)).toEqual(['b', 'i']);
  const before = await contents(s.port);
  expect(await cmd(c, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
  c.close();
  await s.stop();
  const again = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  expect(await contents(again.port)).toEqual(before);
}, 60000);

test('automatic rewrite when the AOF grew by auto-aof-rewrite-percentage over auto-aof-rewrite-min-size', async () => {
  const dir = tempDir();
  const s = await track(startRingkv(['--appendonly', 'yes', '--dir', dir, '--auto-aof-rewrite-min-size', '20kb', '--auto-aof-rewrite-percentage', '100']));
  const c = await RawClient.connect(s.port);
  // The start-up base is written in the background: growth counts from its end.
  await rewriteDone(c, 5000);
  const seq0 = manifest(dir).find((f) => f.type === 'b')?.seq ?? 0;
  // The same key over and over: the file grows, the data does not.
  for (let i = 0; i < 10; i++) await pipeline(c, Array.from({ length: 100 }, (_, j) => ['SET', 'k', `value-${i}-${j}`]));
  let rewrites = 0;
  for (let i = 0; i < 60 && rewrites < 1; i++) {
    await sleep(100);
    rewrites = Number(infoField((await cmd(c, 'INFO', 'persistence')) as string, 'aof_rewrites'));
  }
  expect(rewrites).toBeGreaterThanOrEqual(1);
  await rewriteDone(c, 2500);
  expect(manifest(dir).find((f) => f.type === 'b')!.seq).toBeGreaterThan(seq0);
  expect(await waitForOutput(s, /Starting automatic rewriting of AOF on \d+% growth/)).toMatch(/automatic rewriting/);
  expect(await cmd(c, 'GET', 'k')).toBe('value-9-99');
  c.close();
}, 60000);

test('BGREWRITEAOF of a larger dataset while a client writes: the base is the point in time, the incr file the rest', async () => {
  const dir = tempDir();
  const s = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  const c = await RawClient.connect(s.port);
  for (let i = 0; i < 20; i++) {
    await pipeline(c, Array.from({ length: 1000 }, (_, j) => ['SET', `key:${i * 1000 + j}`, `v${i * 1000 + j}`.repeat(4)]));
  }
  await pipeline(c, [['RPUSH', 'list', 'a', 'b'], ['HSET', 'hash', 'f', 'v'], ['SADD', 'set', 'x'], ['ZADD', 'zset', '1', 'm']]);
  expect(await cmd(c, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
  expect(await cmd(c, 'BGREWRITEAOF')).toEqual({ error: 'ERR Background append only file rewriting already in progress' });
  // Writes while the snapshot is being serialised: overwrites, deletes, new keys, other types.
  const writes: string[][] = [];
  for (let j = 0; j < 2000; j += 7) writes.push(['SET', `key:${j * 9}`, 'changed'], ['DEL', `key:${j * 9 + 1}`], ['SET', `new:${j}`, 'n']);
  writes.push(['RPUSH', 'list', 'c'], ['HDEL', 'hash', 'f'], ['SPOP', 'set'], ['ZINCRBY', 'zset', '2', 'm']);
  for (const r of await pipeline(c, writes)) expect(r !== null && typeof r === 'object' && 'error' in r ? r.error : null).toBeNull();
  await rewriteDone(c, 10000);
  expect(infoField((await cmd(c, 'INFO', 'persistence')) as string, 'aof_last_bgrewrite_status')).toBe('ok');
  c.close();
  const live = await contents(s.port);
  await s.stop();
  const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8', input: 'n\n' });
  expect(check.stdout).toMatch(/All AOF files and manifest are valid/);
  const again = await track(startRingkv(['--appendonly', 'yes', '--dir', dir]));
  expect(await contents(again.port)).toEqual(live);
}, 90000);

test('a failed AOF write (file size limit) refuses writes and PING with MISCONF, as Redis', async () => {
  const dir = tempDir();
  // The shell ignores SIGXFSZ (inherited across exec), so a write past `ulimit -f` fails with EFBIG.
  const threads = process.env.RINGKV_TEST_IO_THREADS;
  const extra = threads === undefined ? '' : ` --io-threads ${threads} --io-threads-force yes`;
  const proc = spawn('sh', ['-c', `ulimit -f 40; trap '' XFSZ; exec bin/ringkv-server --port 0 --appendonly yes --dir ${dir}${extra}`],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  try {
    let port = 0;
    for (let i = 0; i < 300 && port === 0; i++) {
      const m = /Listening on [^\s]+:(\d+)\n[\s\S]*Ready to accept connections/.exec(out);
      if (m !== null) port = Number(m[1]);
      else await sleep(50);
    }
    expect(port).toBeGreaterThan(0);
    const c = await RawClient.connect(port);
    const big = 'x'.repeat(9000);
    let refused: Reply = null;
    for (let i = 0; i < 10 && refused === null; i++) {
      const r = await cmd(c, 'SET', `k${i}`, big);
      if (r !== 'OK') refused = r;
      await sleep(20);
    }
    const misconf = { error: 'MISCONF Errors writing to the AOF file: File too large' };
    expect(refused).toEqual(misconf);
    expect(await cmd(c, 'PING')).toEqual(misconf);
    expect(await cmd(c, 'GET', 'k0')).toBe(big);
    expect(infoField((await cmd(c, 'INFO', 'persistence')) as string, 'aof_last_write_status')).toBe('err');
    c.close();
  } finally {
    proc.kill('SIGKILL');
  }
}, 30000);
