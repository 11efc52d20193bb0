/**
 * Differential fuzzer: random command sequences sent to ringkv and to a real redis-server,
 * replies compared byte for byte (with the small, explained allow-list below).
 *
 *   node scripts/fuzz-diff.ts [--seed 1] [--count 10000] [--io-threads 4] [--len 20] [--quiet]
 *
 * How a sequence is made
 * - Commands are drawn from the command table (src/commands/table.ts), every family: strings,
 *   keys and expiry, lists, hashes, sets, sorted sets, transactions, connection, a little of
 *   server and pub/sub. Each has a grammar (GRAMMARS below) built from typed argument
 *   generators: keys from a 6-key space shared by every type (so WRONGTYPE comes naturally),
 *   integers and floats with their edge cases (inf, nan, huge, -0, "1e", " 1", "+1"...),
 *   negative indexes, options in random order and in invalid combinations. A few per cent of
 *   commands then lose or gain an argument (wrong arity) or are renamed to an unknown command.
 * - A sequence is 1 to `--len` commands on one fresh connection after FLUSHALL, pipelined, in
 *   RESP2 or (one in five) after HELLO 3. MULTI/EXEC/DISCARD/WATCH are ordinary draws, so
 *   transactions open and close at random; blocking commands are drawn only inside MULTI,
 *   where they never block.
 * - Everything is a function of the seed: sequence i of seed s is the same on every run.
 *
 * How replies are compared (the allow-list, each with its reason: docs/fuzzing.md)
 * - Exact bytes, except:
 *   - unordered replies (SMEMBERS, SINTER/SUNION/SDIFF, KEYS, HKEYS, HVALS, HGETALL, SPOP with a
 *     count, the element list of SCAN/SSCAN/HSCAN/ZSCAN): compared as multisets, because Redis
 *     answers a hash table in its hash order and ringkv in insertion order;
 *   - random replies (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY): compared by shape (the
 *     types, lengths and null-ness, every bulk's contents masked);
 *   - TTL/PTTL/EXPIRETIME/PEXPIRETIME: a non-negative value may differ by 2 s / 2000 ms, since
 *     the two servers set and read expiry times at slightly different moments;
 *   - HELLO: the connection id is masked.
 *   The same rules apply inside an EXEC reply, element by element.
 * - Not generated at all: commands whose replies describe the server rather than the data or
 *   that would disturb the run (INFO, CONFIG, CLIENT, COMMAND, DEBUG, OBJECT, TIME, AUTH, QUIT,
 *   SUBSCRIBE and its family, FLUSHALL mid-sequence); positive expiry times are kept at 100 s or
 *   more so nothing expires during a sequence.
 *
 * On a mismatch the fuzzer reruns the sequence (a mismatch that does not reproduce is reported
 * as such), shrinks it by deleting commands while the mismatch persists, and prints the seed,
 * the sequence index and the minimal sequence with both servers' replies.
 */

import { COMMANDS } from '../src/commands/table.ts';
import { RawClient, encodeCommand, replyLength } from '../test/helpers/raw.ts';
import { seeded } from '../test/helpers/random.ts';
import { parseReplyTree, sortedGroups, type ReplyNode } from '../test/helpers/resptree.ts';
import { startRedis, startRingkv, type TestServer } from '../test/helpers/servers.ts';

export type Argv = string[];
export type Sequence = Argv[];

// ----- randomness ----------------------------------------------------------------------------

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seeded(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  /** `n` to `m` draws of `f`. */
  some(lo: number, hi: number, f: () => string): string[] {
    const out: string[] = [];
    for (let i = this.range(lo, hi); i > 0; i--) out.push(f());
    return out;
  }
}

/** Seed of sequence `i` of run `seed`: each sequence replays alone. */
export function sequenceSeed(seed: number, i: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
}

// ----- typed argument generators ---------------------------------------------------------

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const MEMBERS = ['a', 'b', 'c', 'd', 'e', '1', '2', '10', '-1', '3.5', ''];
const INT_EDGE = ['0', '1', '-1', '2', '-2', '3', '5', '10', '100', '-100', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '-9223372036854775809', '2147483647', '2147483648', '4294967296', 'abc', '1.5', '', '01', '+1', '-0', ' 1', '1e3'];
const FLOAT_EDGE = ['0', '1', '-1', '1.5', '-2.5', '0.1', '3', '1e3', '1e308', '-1e308', '1e309', '1.7976931348623157e308', 'inf', '-inf',
  '+inf', 'Infinity', 'nan', 'NaN', '-0', '+1', '.5', '5.', '1e', ' 1', '1 ', 'abc', '', '0x10', '1e-10', '9007199254740993', '123456789.123'];
const VALUES = ['v', 'hello', '', '0', '1', '-1', '10', '3.0', '1.5', '9223372036854775807', '-9223372036854775808', '9223372036854775808',
  'abc', ' 1', 'a b', '\x00\xff\r\n', 'x'.repeat(70), 'inf', '1e5', '0x1'];
const DBS = ['0', '1', '2', '15', '16', '-1', 'abc', '1.5'];

const key = (r: Rng): string => (r.chance(0.02) ? r.pick(['', 'k\r\nx', 'kk']) : r.pick(KEYS));
const keys = (r: Rng, lo = 1, hi = 3): string[] => r.some(lo, hi, () => key(r));
const member = (r: Rng): string => r.pick(MEMBERS);
const value = (r: Rng): string => (r.chance(0.3) ? String(r.range(-20, 20)) : r.pick(VALUES));
const int = (r: Rng): string => (r.chance(0.6) ? String(r.range(-5, 10)) : r.pick(INT_EDGE));
const count = (r: Rng): string => (r.chance(0.7) ? String(r.range(-3, 6)) : r.pick(INT_EDGE));
const index = (r: Rng): string => (r.chance(0.85) ? String(r.range(-8, 8)) : r.pick(INT_EDGE));
const float = (r: Rng): string => (r.chance(0.5) ? String(r.range(-10, 10) / r.pick([1, 2, 4, 10])) : r.pick(FLOAT_EDGE));
/** Score bounds: numbers, exclusive "(x", infinities, and some invalid ones. */
const scoreBound = (r: Rng): string => r.pick(['-inf', '+inf', 'inf', '(1', '(-1', '0', '1', '2', '-1', '(inf', '(-inf', '1.5', '(2.5', 'abc', '((1', '', '(', r.pick(FLOAT_EDGE)]);
const lexBound = (r: Rng): string => r.pick(['-', '+', '[a', '(a', '[b', '(c', '[', '(', 'a', '[e', '(1', '[10', '', '+inf']);
/** Positive expiry times stay ≥ 100 s so nothing expires while a sequence runs; the rest are edge cases. */
const seconds = (r: Rng): string => (r.chance(0.5) ? String(r.range(100, 1000000)) : r.pick(['0', '-1', '-100', 'abc', '1.5', '9223372036854775807', '9223372036854775', '9223372036854774', '-9223372036854775808', '9223370000000']));
const millis = (r: Rng): string => (r.chance(0.5) ? String(r.range(100000, 1000000000)) : r.pick(['0', '-1', 'abc', '9223372036854775807', '-9223372036854775808', '1.5']));
const unixSeconds = (r: Rng): string => r.pick(['1', '0', '-5', '1000', String(4102444800 + r.range(0, 1000000)), '9223372036854775', '9223372036854776', 'abc']);
const unixMillis = (r: Rng): string => r.pick(['1', '0', '-5', '1000', String(4102444800000 + r.range(0, 1000000000)), '9223372036854775807', 'abc']);
const pattern = (r: Rng): string => r.pick(['*', 'k*', 'k?', 'k[0-2]', 'k[^1]', '*1', '[', 'k\\', 'a*', '*[b-a]*', '?', '', 'k[', '*\\*']);
/**
 * Only cursor 0 or invalid cursors: a non-zero cursor the server did not hand out (e.g. -1, which
 * wraps to 2^64-1) names a position in Redis's hash table, whose hash seed is random per process.
 */
const cursor = (r: Rng): string => r.pick(['0', '0', '0', 'abc', '', '1.5', ' 1', '18446744073709551616']);
/** Sometimes many members at once, so collections outgrow their small encodings (128 entries). */
const many = (r: Rng): string[] => (r.chance(0.03) ? Array.from({ length: r.range(100, 300) }, (_, i) => (r.chance(0.5) ? String(i) : `m${i}`)) : []);

/** Options, each present or not, in random order; sometimes one twice or with a junk word. */
function options(r: Rng, opts: Array<() => string[]>): string[] {
  const chosen = r.shuffle(opts.filter(() => r.chance(0.35)));
  if (chosen.length > 0 && r.chance(0.05)) chosen.push(r.pick(chosen));
  const out = chosen.flatMap((f) => f());
  if (r.chance(0.03)) out.splice(r.int(out.length + 1), 0, r.pick(['FOO', 'LIMIT', 'COUNT', 'WITHSCORES', '1']));
  return out;
}
const flag = (...names: string[]) => (): string[] => [names[0]!];
const either = (r: Rng, ...names: string[]) => (): string[] => [r.pick(names)];
const withArg = (name: string, f: () => string) => (): string[] => [name, f()];
const pairs = (r: Rng, lo: number, hi: number, a: () => string, b: () => string): string[] => {
  const out: string[] = [];
  for (let i = r.range(lo, hi); i > 0; i--) out.push(a(), b());
  return out;
};
const numkeys = (r: Rng): string[] => {
  const ks = keys(r, 1, 3);
  const n = r.chance(0.9) ? String(ks.length) : r.pick(['0', '-1', '5', 'abc', String(ks.length + 1)]);
  return [n, ...ks];
};
const limit = (r: Rng) => (): string[] => ['LIMIT', index(r), count(r)];
const side = (r: Rng): string => r.pick(['LEFT', 'RIGHT', 'left', 'MIDDLE']);

// ----- grammars ---------------------------------------------------------------------------

type Grammar = (r: Rng) => string[];

/** Arguments after the command name, for every command the fuzzer draws. */
export const GRAMMARS: Record<string, Grammar> = {
  // connection
  ping: (r) => (r.chance(0.5) ? [] : [value(r)]),
  echo: (r) => [value(r)],
  select: (r) => [r.chance(0.7) ? r.pick(['0', '1']) : r.pick(DBS)],
  reset: () => [],
  // strings
  get: (r) => [key(r)],
  set: (r) => [key(r), value(r), ...options(r, [either(r, 'NX', 'XX'), flag('GET'),
    () => r.pick([['EX', seconds(r)], ['PX', millis(r)], ['EXAT', unixSeconds(r)], ['PXAT', unixMillis(r)], ['KEEPTTL']])])],
  setnx: (r) => [key(r), value(r)],
  setex: (r) => [key(r), seconds(r), value(r)],
  psetex: (r) => [key(r), millis(r), value(r)],
  getset: (r) => [key(r), value(r)],
  getdel: (r) => [key(r)],
  getex: (r) => [key(r), ...options(r, [() => r.pick([['EX', seconds(r)], ['PX', millis(r)], ['EXAT', unixSeconds(r)], ['PXAT', unixMillis(r)], ['PERSIST']])])],
  mget: (r) => keys(r),
  mset: (r) => pairs(r, 1, 3, () => key(r), () => value(r)),
  msetnx: (r) => pairs(r, 1, 3, () => key(r), () => value(r)),
  incr: (r) => [key(r)],
  decr: (r) => [key(r)],
  incrby: (r) => [key(r), int(r)],
  decrby: (r) => [key(r), int(r)],
  incrbyfloat: (r) => [key(r), float(r)],
  append: (r) => [key(r), value(r)],
  strlen: (r) => [key(r)],
  getrange: (r) => [key(r), index(r), index(r)],
  substr: (r) => [key(r), index(r), index(r)],
  // Offsets stay small, or beyond proto-max-bulk-len (an error): no 512 MB strings.
  setrange: (r) => [key(r), r.chance(0.9) ? String(r.range(-2, 20)) : r.pick(['536870912', '536870911999', 'abc', '-1']), r.chance(0.9) ? value(r) : ''],
  // keys and expiry
  del: (r) => keys(r),
  unlink: (r) => keys(r),
  exists: (r) => keys(r),
  touch: (r) => keys(r),
  type: (r) => [key(r)],
  expire: (r) => [key(r), seconds(r), ...expireOptions(r)],
  pexpire: (r) => [key(r), millis(r), ...expireOptions(r)],
  expireat: (r) => [key(r), unixSeconds(r), ...expireOptions(r)],
  pexpireat: (r) => [key(r), unixMillis(r), ...expireOptions(r)],
  ttl: (r) => [key(r)],
  pttl: (r) => [key(r)],
  expiretime: (r) => [key(r)],
  pexpiretime: (r) => [key(r)],
  persist: (r) => [key(r)],
  rename: (r) => [key(r), key(r)],
  renamenx: (r) => [key(r), key(r)],
  copy: (r) => [key(r), key(r), ...options(r, [withArg('DB', () => r.pick(DBS)), flag('REPLACE')])],
  move: (r) => [key(r), r.pick(DBS)],
  keys: (r) => [pattern(r)],
  scan: (r) => [cursor(r), ...options(r, [withArg('MATCH', () => pattern(r)), withArg('COUNT', () => r.pick(['0', '-1', 'abc', '100', '1000'])),
    withArg('TYPE', () => r.pick(['string', 'list', 'set', 'zset', 'hash', 'STRING', 'foo']))])],
  randomkey: () => [],
  // lists
  lpush: (r) => [key(r), ...r.some(1, 3, () => value(r)), ...many(r)],
  rpush: (r) => [key(r), ...r.some(1, 3, () => value(r))],
  lpushx: (r) => [key(r), ...r.some(1, 3, () => value(r))],
  rpushx: (r) => [key(r), ...r.some(1, 3, () => value(r))],
  lpop: (r) => [key(r), ...(r.chance(0.4) ? [count(r)] : [])],
  rpop: (r) => [key(r), ...(r.chance(0.4) ? [count(r)] : [])],
  llen: (r) => [key(r)],
  lrange: (r) => [key(r), index(r), index(r)],
  lindex: (r) => [key(r), index(r)],
  lset: (r) => [key(r), index(r), value(r)],
  linsert: (r) => [key(r), r.pick(['BEFORE', 'AFTER', 'before', 'MIDDLE']), value(r), value(r)],
  lrem: (r) => [key(r), int(r), value(r)],
  ltrim: (r) => [key(r), index(r), index(r)],
  lpos: (r) => [key(r), value(r), ...options(r, [withArg('RANK', () => int(r)), withArg('COUNT', () => count(r)), withArg('MAXLEN', () => count(r))])],
  lmove: (r) => [key(r), key(r), side(r), side(r)],
  rpoplpush: (r) => [key(r), key(r)],
  lmpop: (r) => [...numkeys(r), side(r), ...options(r, [withArg('COUNT', () => count(r))])],
  blpop: (r) => [...keys(r), timeout(r)],
  brpop: (r) => [...keys(r), timeout(r)],
  blmove: (r) => [key(r), key(r), side(r), side(r), timeout(r)],
  brpoplpush: (r) => [key(r), key(r), timeout(r)],
  blmpop: (r) => [timeout(r), ...numkeys(r), side(r), ...options(r, [withArg('COUNT', () => count(r))])],
  // hashes
  hset: (r) => [key(r), ...pairs(r, 1, 3, () => member(r), () => value(r)), ...many(r).flatMap((m) => [m, m])],
  hsetnx: (r) => [key(r), member(r), value(r)],
  hget: (r) => [key(r), member(r)],
  hmget: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  hmset: (r) => [key(r), ...pairs(r, 1, 3, () => member(r), () => value(r))],
  hdel: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  hlen: (r) => [key(r)],
  hstrlen: (r) => [key(r), member(r)],
  hexists: (r) => [key(r), member(r)],
  hkeys: (r) => [key(r)],
  hvals: (r) => [key(r)],
  hgetall: (r) => [key(r)],
  hincrby: (r) => [key(r), member(r), int(r)],
  hincrbyfloat: (r) => [key(r), member(r), float(r)],
  hrandfield: (r) => [key(r), ...(r.chance(0.6) ? [count(r), ...(r.chance(0.5) ? ['WITHVALUES'] : [])] : [])],
  hscan: (r) => [key(r), cursor(r), ...scanOptions(r)],
  // sets
  sadd: (r) => [key(r), ...r.some(1, 4, () => member(r)), ...many(r)],
  srem: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  sismember: (r) => [key(r), member(r)],
  smismember: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  scard: (r) => [key(r)],
  smembers: (r) => [key(r)],
  srandmember: (r) => [key(r), ...(r.chance(0.6) ? [count(r)] : [])],
  // SPOP only where its outcome is determined: every member (a count above the size) or an error.
  spop: (r) => [key(r), r.pick(['1000', '0', '-1', 'abc'])],
  smove: (r) => [key(r), key(r), member(r)],
  sinter: (r) => keys(r),
  sunion: (r) => keys(r),
  sdiff: (r) => keys(r),
  sinterstore: (r) => [key(r), ...keys(r)],
  sunionstore: (r) => [key(r), ...keys(r)],
  sdiffstore: (r) => [key(r), ...keys(r)],
  sintercard: (r) => [...numkeys(r), ...options(r, [withArg('LIMIT', () => count(r))])],
  sscan: (r) => [key(r), cursor(r), ...scanOptions(r)],
  // sorted sets
  zadd: (r) => [key(r), ...options(r, [either(r, 'NX', 'XX'), either(r, 'GT', 'LT'), flag('CH'), flag('INCR')]),
    ...pairs(r, 1, 3, () => float(r), () => member(r)), ...many(r).flatMap((m, i) => [String(i % 7), m])],
  zincrby: (r) => [key(r), float(r), member(r)],
  zrem: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  zcard: (r) => [key(r)],
  zcount: (r) => [key(r), scoreBound(r), scoreBound(r)],
  zlexcount: (r) => [key(r), lexBound(r), lexBound(r)],
  zscore: (r) => [key(r), member(r)],
  zmscore: (r) => [key(r), ...r.some(1, 3, () => member(r))],
  zrank: (r) => [key(r), member(r)],
  zrevrank: (r) => [key(r), member(r)],
  zrange: (r) => zrangeArgs(r, [key(r)]),
  zrangestore: (r) => zrangeArgs(r, [key(r), key(r)]).filter((a) => a !== 'WITHSCORES' || r.chance(0.1)),
  zrangebyscore: (r) => [key(r), scoreBound(r), scoreBound(r), ...options(r, [flag('WITHSCORES'), limit(r)])],
  zrevrangebyscore: (r) => [key(r), scoreBound(r), scoreBound(r), ...options(r, [flag('WITHSCORES'), limit(r)])],
  zrangebylex: (r) => [key(r), lexBound(r), lexBound(r), ...options(r, [limit(r)])],
  zrevrangebylex: (r) => [key(r), lexBound(r), lexBound(r), ...options(r, [limit(r)])],
  zrevrange: (r) => [key(r), index(r), index(r), ...options(r, [flag('WITHSCORES')])],
  zremrangebyrank: (r) => [key(r), index(r), index(r)],
  zremrangebyscore: (r) => [key(r), scoreBound(r), scoreBound(r)],
  zremrangebylex: (r) => [key(r), lexBound(r), lexBound(r)],
  zpopmin: (r) => [key(r), ...(r.chance(0.5) ? [count(r)] : [])],
  zpopmax: (r) => [key(r), ...(r.chance(0.5) ? [count(r)] : [])],
  zmpop: (r) => [...numkeys(r), r.pick(['MIN', 'MAX', 'min', 'MID']), ...options(r, [withArg('COUNT', () => count(r))])],
  bzpopmin: (r) => [...keys(r), timeout(r)],
  bzpopmax: (r) => [...keys(r), timeout(r)],
  bzmpop: (r) => [timeout(r), ...numkeys(r), r.pick(['MIN', 'MAX']), ...options(r, [withArg('COUNT', () => count(r))])],
  zunionstore: (r) => [key(r), ...numkeys(r), ...zsetOpOptions(r)],
  zinterstore: (r) => [key(r), ...numkeys(r), ...zsetOpOptions(r)],
  zdiffstore: (r) => [key(r), ...numkeys(r)],
  zunion: (r) => [...numkeys(r), ...zsetOpOptions(r), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
  zinter: (r) => [...numkeys(r), ...zsetOpOptions(r), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
  zdiff: (r) => [...numkeys(r), ...(r.chance(0.4) ? ['WITHSCORES'] : [])],
  zintercard: (r) => [...numkeys(r), ...options(r, [withArg('LIMIT', () => count(r))])],
  zrandmember: (r) => [key(r), ...(r.chance(0.6) ? [count(r), ...(r.chance(0.5) ? ['WITHSCORES'] : [])] : [])],
  zscan: (r) => [key(r), cursor(r), ...scanOptions(r)],
  // transactions
  multi: () => [],
  exec: () => [],
  discard: () => [],
  watch: (r) => keys(r),
  unwatch: () => [],
  // server and pub/sub (the parts whose replies are about the data, or constant)
  dbsize: () => [],
  flushdb: (r) => (r.chance(0.7) ? [] : [r.pick(['ASYNC', 'SYNC', 'foo'])]),
  publish: (r) => [r.pick(['ch', 'x']), value(r)],
  spublish: (r) => [r.pick(['ch', 'x']), value(r)],
  pubsub: (r) => r.pick([['NUMPAT'], ['NUMSUB', 'ch'], ['CHANNELS'], ['SHARDCHANNELS'], ['SHARDNUMSUB', 'ch'], ['FOO']]),
};

/** Not drawn, and why (docs/fuzzing.md repeats this). */
export const EXCLUDED: Record<string, string> = {
  auth: 'changes who the connection is; covered by the auth tests',
  hello: 'sent at the start of one sequence in five (RESP3), not mid-sequence',
  quit: 'closes the connection',
  client: 'replies describe connections (ids, addresses, ages)',
  info: 'describes the server (memory, uptime, counters)',
  config: 'changes or describes the server',
  command: 'describes the command table (its own diff suite)',
  debug: 'server internals',
  object: 'encodings, idle times and frequencies are implementation details',
  time: 'the clock',
  flushall: 'sent before each sequence',
  subscribe: 'switches the connection to pub/sub mode (own diff suite)',
  psubscribe: 'as subscribe',
  ssubscribe: 'as subscribe',
  unsubscribe: 'as subscribe',
  punsubscribe: 'as subscribe',
  sunsubscribe: 'as subscribe',
};

/** Drawn only inside MULTI, where they do not block. */
const BLOCKING = new Set(['blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop']);

const TX = new Set(['multi', 'exec', 'discard', 'reset', 'watch']);

function timeout(r: Rng): string {
  return r.pick(['0', '1', '0.5', '-1', 'abc', '1e3', 'inf']);
}

function expireOptions(r: Rng): string[] {
  if (!r.chance(0.3)) return [];
  return r.some(1, 2, () => r.pick(['NX', 'XX', 'GT', 'LT', 'nx', 'FOO']));
}

function scanOptions(r: Rng): string[] {
  return options(r, [withArg('MATCH', () => r.pick(['*', 'a*', '?', '1*', '[a-c]'])), withArg('COUNT', () => r.pick(['0', '-1', 'abc', '100']))]);
}

function zsetOpOptions(r: Rng): string[] {
  return options(r, [
    () => ['WEIGHTS', ...r.some(1, 3, () => float(r))],
    () => ['AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'sum', 'AVG'])],
  ]);
}

function zrangeArgs(r: Rng, head: string[]): string[] {
  const by = r.pick(['', '', 'BYSCORE', 'BYLEX']);
  const bound = by === 'BYSCORE' ? scoreBound : by === 'BYLEX' ? lexBound : index;
  return [...head, bound(r), bound(r), ...options(r, [() => (by === '' ? [] : [by]), flag('REV'), limit(r), flag('WITHSCORES')])];
}

/** Every command the table has that the fuzzer draws. */
export function drawable(): string[] {
  return COMMANDS.map((c) => c.name).filter((n) => n in GRAMMARS && !(n in EXCLUDED));
}

/** The data families: each of their commands must have a grammar or a stated exclusion. */
export const DATA_GROUPS = ['string', 'generic', 'list', 'hash', 'set', 'sorted-set', 'transactions'];

/** Commands of the data families with neither a grammar nor an exclusion (a test keeps this empty). */
export function uncovered(): string[] {
  return COMMANDS.filter((c) => DATA_GROUPS.includes(c.group)).map((c) => c.name).filter((n) => !(n in GRAMMARS) && !(n in EXCLUDED));
}

/** Sequence `i` of run `seed`: 1..maxLen commands, one in five after HELLO 3. */
export function generateSequence(seed: number, i: number, maxLen = 20): Sequence {
  const r = new Rng(sequenceSeed(seed, i));
  const names = drawable();
  const plain = names.filter((n) => !BLOCKING.has(n));
  const seq: Sequence = [];
  if (r.chance(0.2)) seq.push(['HELLO', '3']);
  let inMulti = false;
  // Some sequences stay on one family, where interesting states (long lists, big sets) build up.
  const family = r.chance(0.5) ? r.pick(['string', 'list', 'hash', 'set', 'sorted-set', 'generic']) : null;
  const familyNames = family === null ? plain : plain.filter((n) => COMMANDS.find((c) => c.name === n)!.group === family || r.chance(0.05));
  const n = r.range(1, maxLen);
  for (let k = 0; k < n; k++) {
    let name: string;
    if (r.chance(0.04)) name = inMulti ? r.pick(['exec', 'exec', 'discard']) : r.pick(['multi', 'watch']);
    else if (inMulti && r.chance(0.08)) name = r.pick([...BLOCKING]);
    else name = r.pick(familyNames.length > 0 ? familyNames : plain);
    let argv = [r.chance(0.5) ? name.toUpperCase() : name, ...GRAMMARS[name]!(r)];
    // Wrong arity, unknown commands.
    // (Transaction commands and blocking ones keep their shape: the generator must know
    // whether MULTI is open, or a blocking command could block the run. SPOP without its count
    // would pop a random member, and the two servers' data would part ways.)
    const m = TX.has(name) || BLOCKING.has(name) || name === 'spop' ? 1 : r.float();
    if (m < 0.02 && argv.length > 1) argv = argv.slice(0, r.range(1, argv.length - 1));
    else if (m < 0.04) argv = [...argv, r.pick([value(r), 'extra', '1'])];
    else if (m < 0.045) argv = [r.pick(['nosuchcmd', 'GETT', 'hset2', '']), ...argv.slice(1)];
    if (name === 'multi') inMulti = true;
    if (name === 'exec' || name === 'discard' || name === 'reset') inMulti = false;
    seq.push(argv);
  }
  return seq;
}

// ----- running and comparing --------------------------------------------------------------

/** Sends FLUSHALL and the sequence pipelined on a fresh connection; returns each reply (FLUSHALL's dropped). */
export async function runSequence(port: number, seq: Sequence, timeoutMs = 10000): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    c.write(Buffer.concat([encodeCommand(['FLUSHALL']), ...seq.map((a) => encodeCommand(a))]));
    const replies: string[] = [];
    for (let i = 0; i <= seq.length; i++) replies.push((await c.readReply(timeoutMs)).toString('latin1'));
    replies.shift();
    return replies;
  } finally {
    c.close();
  }
}

function shape(n: ReplyNode): string {
  if (n.children !== null) return `${n.head}[${n.children.map(shape).join(',')}]`;
  if ((n.head[0] === '$' && n.head !== '$-1') || n.head[0] === ',') return '$?';
  return n.head;
}

const UNORDERED: Record<string, number> = {
  smembers: 1, sinter: 1, sunion: 1, sdiff: 1, keys: 1, hkeys: 1, hvals: 1, hgetall: 2, spop: 1,
};
const SCANS: Record<string, number> = { scan: 1, sscan: 1, hscan: 2, zscan: 2 };
const RANDOM = new Set(['srandmember', 'hrandfield', 'zrandmember', 'randomkey']);
const TIMES: Record<string, number> = { ttl: 2, pttl: 2000, expiretime: 2, pexpiretime: 2000 };

/** The reply as compared for command `argv` (see the file comment); TIMES are handled in `same()`. */
function normalize(argv: Argv, reply: string): string {
  const name = argv[0]!.toLowerCase();
  if (reply[0] === '-' || reply === '') return reply;
  if (name === 'hello') return reply.replace(/(\$2\r\nid\r\n):\d+/, '$1:?');
  const [node] = parseReplyTree(reply, 0);
  if (RANDOM.has(name)) return shape(node);
  const width = UNORDERED[name];
  if (width !== undefined && node.children !== null && node.children.every((k) => k.children === null)) return `${node.head}\r\n${sortedGroups(node.children, width)}`;
  const sw = SCANS[name];
  if (sw !== undefined && node.children !== null && node.children.length === 2 && node.children[1]!.children !== null) {
    // A partial page (non-zero cursor) holds whatever part of the hash table the cursor walked.
    if (node.children[0]!.text !== '$1\r\n0\r\n') return `${node.head}\r\n(partial page)`;
    return `${node.head}\r\n${node.children[0]!.text}${node.children[1]!.head}\r\n${sortedGroups(node.children[1]!.children, sw)}`;
  }
  return reply;
}

function same(argv: Argv, a: string, b: string): boolean {
  const tol = TIMES[argv[0]!.toLowerCase()];
  if (tol !== undefined && a[0] === ':' && b[0] === ':') {
    const x = Number(a.slice(1, -2));
    const y = Number(b.slice(1, -2));
    if (x >= 0 && y >= 0) return Math.abs(x - y) <= tol;
  }
  return normalize(argv, a) === normalize(argv, b);
}

/**
 * Index of the first reply that differs, or -1. Inside MULTI, commands answered +QUEUED (by
 * redis-server) are remembered, and EXEC's array is compared element by element with their rules.
 */
export function firstMismatch(seq: Sequence, mine: string[], theirs: string[]): number {
  let queued: Argv[] | null = null;
  for (let i = 0; i < seq.length; i++) {
    const argv = seq[i]!;
    const name = argv[0]!.toLowerCase();
    const a = mine[i]!;
    const b = theirs[i]!;
    if (queued !== null && name === 'exec' && b[0] === '*' && a[0] === '*' && b !== '*-1\r\n') {
      const [na] = parseReplyTree(a, 0);
      const [nb] = parseReplyTree(b, 0);
      if (na.children === null || nb.children === null || na.children.length !== nb.children.length || nb.children.length !== queued.length) return i;
      for (let k = 0; k < queued.length; k++) if (!same(queued[k]!, na.children[k]!.text, nb.children[k]!.text)) return i;
    } else if (!same(argv, a, b)) {
      return i;
    }
    if (queued === null && name === 'multi' && b === '+OK\r\n') queued = [];
    else if (queued !== null && (name === 'exec' || name === 'discard' || name === 'reset') && b[0] !== '-') queued = null;
    else if (queued !== null && name === 'exec') queued = null; // EXECABORT, or EXEC's own arity error ends MULTI too
    else if (queued !== null && b === '+QUEUED\r\n') queued.push(argv);
  }
  return -1;
}

export interface Servers {
  ringkv: number;
  redis: number;
}

export interface Mismatch {
  seed: number;
  index: number;
  sequence: Sequence;
  /** The shrunk sequence and the replies of both servers to it. */
  minimal: Sequence;
  mine: string[];
  theirs: string[];
  reproduced: boolean;
}

/** Runs the sequence; a server that fails to answer gives one last pseudo-reply saying so. */
async function repliesOf(port: number, seq: Sequence): Promise<string[]> {
  try {
    return await runSequence(port, seq);
  } catch (e) {
    return [`!! ${(e as Error).message}`];
  }
}

export async function mismatchOf(s: Servers, seq: Sequence): Promise<{ at: number; mine: string[]; theirs: string[] }> {
  const [mine, theirs] = await Promise.all([repliesOf(s.ringkv, seq), repliesOf(s.redis, seq)]);
  const broken = Math.min(mine.length, theirs.length);
  if (broken < seq.length) return { at: broken, mine, theirs };
  return { at: firstMismatch(seq, mine, theirs), mine, theirs };
}

/** Deletes commands (one at a time, then from the end) while some mismatch remains. */
export async function shrink(s: Servers, seq: Sequence): Promise<Sequence> {
  let cur = seq;
  const first = await mismatchOf(s, cur);
  if (first.at < 0) return cur;
  cur = cur.slice(0, first.at + 1);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = cur.length - 1; i >= 0; i--) {
      const cand = [...cur.slice(0, i), ...cur.slice(i + 1)];
      if (cand.length === 0) continue;
      const m = await mismatchOf(s, cand);
      if (m.at >= 0) {
        cur = cand.slice(0, m.at + 1);
        changed = true;
        if (i > cur.length) i = cur.length;
      }
    }
  }
  return cur;
}

export interface FuzzResult {
  seed: number;
  count: number;
  commands: number;
  ms: number;
  mismatches: Mismatch[];
}

/** Runs sequences `from`..`from+count-1` of `seed`; stops after `maxMismatches` distinct finds. */
export async function fuzzDiff(s: Servers, seed: number, count: number, opts: { from?: number; maxLen?: number; maxMismatches?: number; progress?: (done: number) => void } = {}): Promise<FuzzResult> {
  const t0 = Date.now();
  const mismatches: Mismatch[] = [];
  let commands = 0;
  const from = opts.from ?? 0;
  for (let i = from; i < from + count; i++) {
    const seq = generateSequence(seed, i, opts.maxLen);
    commands += seq.length;
    const m = await mismatchOf(s, seq);
    if (m.at >= 0) {
      const again = await mismatchOf(s, seq);
      const minimal = again.at >= 0 ? await shrink(s, seq) : seq.slice(0, m.at + 1);
      const last = again.at >= 0 ? await mismatchOf(s, minimal) : m;
      mismatches.push({ seed, index: i, sequence: seq, minimal, mine: last.mine, theirs: last.theirs, reproduced: again.at >= 0 });
      if (mismatches.length >= (opts.maxMismatches ?? 20)) break;
    }
    if (opts.progress !== undefined && (i - from + 1) % 1000 === 0) opts.progress(i - from + 1);
  }
  return { seed, count, commands, ms: Date.now() - t0, mismatches };
}

/** A mismatch as a human reads it: the replay command, then each command with both replies. */
export function describeMismatch(m: Mismatch): string {
  const lines = [`mismatch: seed ${m.seed} sequence ${m.index}${m.reproduced ? '' : ' (did NOT reproduce on rerun)'}`,
    `  replay: node scripts/fuzz-diff.ts --seed ${m.seed} --from ${m.index} --count 1`,
    '  minimal sequence (ringkv | redis-server):'];
  m.minimal.forEach((argv, i) => {
    const mark = m.mine[i] === m.theirs[i] ? ' ' : '*';
    lines.push(`  ${mark} ${JSON.stringify(argv)}`);
    lines.push(`      ${JSON.stringify(m.mine[i])} | ${JSON.stringify(m.theirs[i])}`);
  });
  return lines.join('\n');
}

// ----- command line -----------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : dflt;
  };
  const seed = Number(opt('seed', '1'));
  const count = Number(opt('count', '10000'));
  const from = Number(opt('from', '0'));
  const maxLen = Number(opt('len', '20'));
  const threads = opt('io-threads', '');
  const quiet = args.includes('--quiet');
  const ringkvArgs = threads === '' ? [] : ['--io-threads', threads, '--io-threads-force', 'yes'];
  const [ringkv, redis]: TestServer[] = await Promise.all([startRingkv(ringkvArgs), startRedis()]);
  try {
    const res = await fuzzDiff({ ringkv: ringkv.port, redis: redis.port }, seed, count, {
      from, maxLen,
      progress: quiet ? undefined : (d) => process.stderr.write(`  ${d}/${count} sequences\n`),
    });
    for (const m of res.mismatches) console.log(describeMismatch(m));
    console.log(`fuzz-diff: seed ${seed}, sequences ${from}..${from + count - 1}, io-threads ${threads || 1}: ${res.count} sequences, ${res.commands} commands, ` +
      `${res.mismatches.length} mismatches, ${(res.ms / 1000).toFixed(1)} s`);
    process.exitCode = res.mismatches.length > 0 ? 1 : 0;
  } finally {
    await Promise.all([ringkv.stop(), redis.stop()]);
  }
}

if (import.meta.main) await main();
