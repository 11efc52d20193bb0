/**
 * Generic key commands (Redis's db.c and expire.c): DEL UNLINK EXISTS TYPE TOUCH, the expire
 * family (EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST), RENAME
 * RENAMENX COPY MOVE, and the keyspace walkers KEYS SCAN RANDOMKEY.
 *
 * Contract
 * - Replies and error texts are Redis 7.0's, argument checks in Redis's order.
 * - Every key access goes through Db.get (write-side lookups, no statistics) or Db.lookupRead
 *   (read-side, counted in keyspace_hits/misses), which expire a key whose time has passed:
 *   Redis's lookupKeyWrite and lookupKeyRead. KEYS does not expire what it skips (as Redis);
 *   SCAN does.
 * - Expiry times are absolute Unix ms in JS numbers. Arguments are checked for int64 overflow
 *   exactly (with bigint arithmetic), but a time beyond 2^53 ms (year 287396) is stored as the
 *   nearest double, so PEXPIRETIME/PTTL of such a key may differ from Redis in the last digits.
 * - SCAN cursors are not Redis's reverse-binary bucket indexes but ids of live Map iterators
 *   (Db.scan): same guarantees, different numbers.
 */

import type { Db } from '../store/db.ts';
import { NOTIFY_GENERIC, NOTIFY_NEW } from '../config/keyspace-events.ts';
import { dupValue, typeName } from '../store/db.ts';
import { cstr } from '../protocol/preflight.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { ERR_NO_SUCH_KEY, ERR_NOT_INT, ERR_SYNTAX, INT64_MAX, INT64_MIN, eqi, int32OrReply, parseInt64 } from './util.ts';

const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
const ERR_DB_RANGE = 'ERR DB index is out of range';
const ERR_INVALID_CURSOR = 'ERR invalid cursor';

// ---- existence and type ----------------------------------------------------------------------

/** DEL key [key ...] and UNLINK key [key ...]: the same here (no lazy-free thread). */
function delGeneric(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    // Redis expires the key first (counted in expired_keys), then deletes what is left.
    if (db.get(key, s.now) !== undefined && db.delete(key)) {
      s.notify(NOTIFY_GENERIC, 'del', db, key);
      n++;
    }
  }
  s.out.int(n);
}

/** DEL key [key ...] */
function delCommand(c: Client, argv: string[], s: ServerContext): void {
  delGeneric(c, argv, s);
}

/** UNLINK key [key ...] */
function unlinkCommand(c: Client, argv: string[], s: ServerContext): void {
  delGeneric(c, argv, s);
}

/** EXISTS key [key ...]: a key named twice counts twice. */
function existsCommand(c: Client, argv: string[], s: ServerContext): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.lookupRead(argv[i]!, s.now) !== undefined) n++;
  s.out.int(n);
}

/** TOUCH key [key ...]: counts existing keys (there is no LRU clock to update). */
function touchCommand(c: Client, argv: string[], s: ServerContext): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.lookupRead(argv[i]!, s.now) !== undefined) n++;
  s.out.int(n);
}

/** TYPE key: a status reply, "none" for a missing key. */
function typeCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = c.db.lookupRead(argv[1]!, s.now);
  s.out.simple(v === undefined ? 'none' : typeName(v));
}

// ---- expiry ------------------------------------------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/**
 * The NX/XX/GT/LT options after the time (Redis's parseExtendedExpireArgumentsOrReply): a bit
 * set, or -1 after replying an error. An unknown word is reported before incompatible ones.
 */
function expireFlagsOrReply(argv: string[], s: ServerContext): number {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!;
    if (eqi(opt, 'nx')) flags |= EXPIRE_NX;
    else if (eqi(opt, 'xx')) flags |= EXPIRE_XX;
    else if (eqi(opt, 'gt')) flags |= EXPIRE_GT;
    else if (eqi(opt, 'lt')) flags |= EXPIRE_LT;
    else {
      // Redis formats the option with %s: it ends at a NUL byte.
      s.out.error(`ERR Unsupported option ${cstr(opt)}`);
      return -1;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    s.out.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return -1;
  }
  if ((flags & (EXPIRE_GT | EXPIRE_LT)) === (EXPIRE_GT | EXPIRE_LT)) {
    s.out.error('ERR GT and LT options at the same time are not compatible');
    return -1;
  }
  return flags;
}

/**
 * `t` (seconds or ms) plus `basetime` (ms) as an absolute ms time, or null when the unit
 * conversion or the addition overflows int64, Redis's two "invalid expire time" checks. Only
 * positive overflow of the addition is checked, as in Redis: a very negative time is simply
 * in the past.
 */
function absoluteMs(t: number | bigint, basetime: number, seconds: boolean): number | bigint | null {
  if (typeof t === 'number') {
    const ms = seconds ? t * 1000 : t;
    const when = ms + basetime;
    if (Number.isSafeInteger(when)) return when;
  }
  let when = BigInt(t);
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return null;
    when *= 1000n;
  }
  const base = BigInt(basetime);
  if (when > INT64_MAX - base) return null;
  when += base;
  return when >= BigInt(Number.MIN_SAFE_INTEGER) && when <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(when) : when;
}

/** a < b, for int64 values held as numbers or (beyond 2^53) bigints. */
function lessThan(a: number | bigint, b: number | bigint): boolean {
  return typeof a === 'number' && typeof b === 'number' ? a < b : BigInt(a) < BigInt(b);
}

/**
 * The body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (Redis's expireGenericCommand).
 * `basetime` is now for the relative forms and 0 for the absolute ones. Options are parsed
 * before the time, the time is checked before the key is looked up, and a time not in the
 * future deletes the key at once (replying 1), as a Redis 7.0 master does.
 */
function expireGeneric(c: Client, argv: string[], s: ServerContext, basetime: number, seconds: boolean,
                       name: string): void {
  const flags = expireFlagsOrReply(argv, s);
  if (flags < 0) return;
  const t = parseInt64(argv[2]!);
  if (t === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const when = absoluteMs(t, basetime, seconds);
  if (when === null) {
    s.out.error(`ERR invalid expire time in '${name}' command`);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  if (db.get(key, s.now) === undefined) {
    s.out.int(0);
    return;
  }
  if (flags !== 0) {
    // A key without a TTL counts as an infinite TTL: GT never passes, LT always does.
    const current = db.getExpire(key);
    if ((flags & EXPIRE_NX) !== 0 && current !== undefined) return s.out.int(0);
    if ((flags & EXPIRE_XX) !== 0 && current === undefined) return s.out.int(0);
    if ((flags & EXPIRE_GT) !== 0 && (current === undefined || !lessThan(current, when))) return s.out.int(0);
    if ((flags & EXPIRE_LT) !== 0 && current !== undefined && !lessThan(when, current)) return s.out.int(0);
  }
  if (!lessThan(s.now, when)) {
    db.delete(key);
    s.notify(NOTIFY_GENERIC, 'del', db, key);
  } else {
    db.setExpire(key, Number(when));
    // Redis's order: "del" before the reply, "expire" after it.
    s.out.int(1);
    s.notify(NOTIFY_GENERIC, 'expire', db, key);
    return;
  }
  s.out.int(1);
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expireCommand(c: Client, argv: string[], s: ServerContext): void {
  expireGeneric(c, argv, s, s.now, true, 'expire');
}

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpireCommand(c: Client, argv: string[], s: ServerContext): void {
  expireGeneric(c, argv, s, s.now, false, 'pexpire');
}

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireatCommand(c: Client, argv: string[], s: ServerContext): void {
  expireGeneric(c, argv, s, 0, true, 'expireat');
}

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireatCommand(c: Client, argv: string[], s: ServerContext): void {
  expireGeneric(c, argv, s, 0, false, 'pexpireat');
}

/** A stored expiry as an exact integer reply, even beyond 2^53 where `${n}` would print 1e+21. */
function intOfMs(n: number): number | bigint {
  return Number.isSafeInteger(n) ? n : BigInt(n);
}

/**
 * The body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key, -1 for one
 * without a TTL, else the time left (`abs` false) or the expiry time, in seconds rounded to
 * the nearest (`ms` false) or in ms, never below 0.
 */
function ttlGeneric(c: Client, argv: string[], s: ServerContext, ms: boolean, abs: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupRead(key, s.now) === undefined) return s.out.int(-2);
  const when = db.getExpire(key);
  if (when === undefined) return s.out.int(-1);
  let t = abs ? when : when - s.now;
  if (t < 0) t = 0;
  s.out.int(intOfMs(ms ? t : Math.floor((t + 500) / 1000)));
}

/** TTL key */
function ttlCommand(c: Client, argv: string[], s: ServerContext): void {
  ttlGeneric(c, argv, s, false, false);
}

/** PTTL key */
function pttlCommand(c: Client, argv: string[], s: ServerContext): void {
  ttlGeneric(c, argv, s, true, false);
}

/** EXPIRETIME key */
function expiretimeCommand(c: Client, argv: string[], s: ServerContext): void {
  ttlGeneric(c, argv, s, false, true);
}

/** PEXPIRETIME key */
function pexpiretimeCommand(c: Client, argv: string[], s: ServerContext): void {
  ttlGeneric(c, argv, s, true, true);
}

/** PERSIST key */
function persistCommand(c: Client, argv: string[], s: ServerContext): void {
  const key = argv[1]!;
  const done = c.db.get(key, s.now) !== undefined && c.db.persist(key);
  if (done) s.notify(NOTIFY_GENERIC, 'persist', c.db, key);
  s.out.int(done ? 1 : 0);
}

// ---- moving keys -----------------------------------------------------------------------------

/**
 * The body of RENAME and RENAMENX. The source must exist even when it is also the
 * destination (then nothing changes); the value moves with its TTL, and an existing
 * destination is replaced (RENAME) or left alone with reply 0 (RENAMENX).
 */
function renameGeneric(c: Client, argv: string[], s: ServerContext, nx: boolean): void {
  const db = c.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  const v = db.get(src, s.now);
  if (v === undefined) return s.out.error(ERR_NO_SUCH_KEY);
  if (src === dst) return nx ? s.out.int(0) : s.out.ok();
  const when = db.getExpire(src);
  const existed = db.get(dst, s.now) !== undefined;
  if (existed && nx) return s.out.int(0);
  // Redis deletes an existing destination and adds the key anew: a "new" event either way.
  if (existed) s.notify(NOTIFY_NEW, 'new', db, dst);
  db.set(dst, v);
  if (when !== undefined) db.setExpire(dst, when);
  db.delete(src);
  s.notify(NOTIFY_GENERIC, 'rename_from', db, src);
  s.notify(NOTIFY_GENERIC, 'rename_to', db, dst);
  if (nx) s.out.int(1);
  else s.out.ok();
}

/** RENAME key newkey */
function renameCommand(c: Client, argv: string[], s: ServerContext): void {
  renameGeneric(c, argv, s, false);
}

/** RENAMENX key newkey */
function renamenxCommand(c: Client, argv: string[], s: ServerContext): void {
  renameGeneric(c, argv, s, true);
}

/** A database by SELECT-style index, or null after replying an error. */
function dbOrReply(s: ServerContext, arg: string): Db | null {
  const id = int32OrReply(s.out, arg);
  if (id === null) return null;
  const db = id >= 0 ? s.keyspace.dbs[id] : undefined;
  if (db === undefined) {
    s.out.error(ERR_DB_RANGE);
    return null;
  }
  return db;
}

/** COPY source destination [DB destination-db] [REPLACE] */
function copyCommand(c: Client, argv: string[], s: ServerContext): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    if (eqi(argv[i]!, 'replace')) {
      replace = true;
    } else if (eqi(argv[i]!, 'db') && i + 1 < argv.length) {
      const db = dbOrReply(s, argv[++i]!);
      if (db === null) return;
      dst = db;
    } else {
      return s.out.error(ERR_SYNTAX);
    }
  }
  const key = argv[1]!;
  const newkey = argv[2]!;
  if (src === dst && key === newkey) return s.out.error(ERR_SAME_OBJECT);
  const v = src.lookupRead(key, s.now);
  if (v === undefined) return s.out.int(0);
  const when = src.getExpire(key);
  const existed = dst.get(newkey, s.now) !== undefined;
  if (existed && !replace) return s.out.int(0);
  if (existed) s.notify(NOTIFY_NEW, 'new', dst, newkey); // replaced: deleted and added anew
  dst.set(newkey, dupValue(v));
  if (when !== undefined) dst.setExpire(newkey, when);
  s.notify(NOTIFY_GENERIC, 'copy_to', dst, newkey);
  s.out.int(1);
}

/** MOVE key db */
function moveCommand(c: Client, argv: string[], s: ServerContext): void {
  const src = c.db;
  const dst = dbOrReply(s, argv[2]!);
  if (dst === null) return;
  if (src === dst) return s.out.error(ERR_SAME_OBJECT);
  const key = argv[1]!;
  const v = src.get(key, s.now);
  if (v === undefined) return s.out.int(0);
  const when = src.getExpire(key);
  if (dst.get(key, s.now) !== undefined) return s.out.int(0);
  dst.set(key, v);
  if (when !== undefined) dst.setExpire(key, when);
  src.delete(key);
  s.notify(NOTIFY_GENERIC, 'move_from', src, key);
  s.notify(NOTIFY_GENERIC, 'move_to', dst, key);
  s.out.int(1);
}

// ---- walking the keyspace --------------------------------------------------------------------

/** KEYS pattern: every live key matching, in the dictionary's order. */
function keysCommand(c: Client, argv: string[], s: ServerContext): void {
  const keys = c.db.keys(argv[1]!, s.now);
  s.out.arrayLen(keys.length);
  for (const k of keys) s.out.bulk(k);
}

/** C's isspace in the C locale. */
function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * A SCAN cursor read as Redis reads it (strtoul, base 10, of a C string): no leading space,
 * an optional sign, digits and nothing after; the empty string is 0; more than 2^64-1 is
 * invalid; "-n" wraps to 2^64-n; the text ends at a NUL byte. Returns 0 for a new iteration,
 * the cursor id when it can be one of ours (a safe integer), -1 for any other valid cursor
 * (which restarts the iteration), or null when invalid.
 */
export function parseCursor(arg: string): number | null {
  const nul = arg.indexOf('\0');
  const t = nul >= 0 ? arg.slice(0, nul) : arg;
  if (t.length === 0) return 0;
  if (isSpace(t.charCodeAt(0))) return null;
  const m = /^([+-]?)(\d+)$/.exec(t);
  if (m === null) return null;
  let v = BigInt(m[2]!);
  if (v > 0xffffffffffffffffn) return null;
  if (m[1] === '-') v = (-v) & 0xffffffffffffffffn;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : -1;
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
function scanCommand(c: Client, argv: string[], s: ServerContext): void {
  const cursor = parseCursor(argv[1]!);
  if (cursor === null) return s.out.error(ERR_INVALID_CURSOR);
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (eqi(opt, 'count') && more) {
      const n = parseInt64(argv[i + 1]!);
      if (n === null) return s.out.error(ERR_NOT_INT);
      if (n < 1) return s.out.error(ERR_SYNTAX);
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else if (eqi(opt, 'match') && more) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? null : p; // "*" matches everything, the empty key included
    } else if (eqi(opt, 'type') && more) {
      type = asciiLower(argv[i + 1]!);
    } else {
      return s.out.error(ERR_SYNTAX);
    }
  }
  const [next, keys] = c.db.scan(cursor, count, s.keyspace.scanCursors, s.now, pattern, type);
  s.out.arrayLen(2);
  s.out.bulk(String(next));
  s.out.arrayLen(keys.length);
  for (const k of keys) s.out.bulk(k);
}

/** Folds ASCII capitals only, as strcasecmp does in the C locale. */
function asciiLower(x: string): string {
  return x.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** RANDOMKEY: some live key, or a null reply when the database is empty. */
function randomkeyCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.out.bulkOrNull(c.db.randomKey(s.now));
}

// ---- the table ---------------------------------------------------------------------------------

export const keyCommands = [
  { name: 'del', arity: -2, flags: ['write'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Delete a key',
    complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    keySpecs: [{ flags: ['RM', 'delete'], begin: { index: 1 }, find: { lastKey: -1, keyStep: 1, limit: 0 } }],
    handler: delCommand },
  { name: 'unlink', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', since: '4.0.0',
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    keySpecs: [{ flags: ['RM', 'delete'], begin: { index: 1 }, find: { lastKey: -1, keyStep: 1, limit: 0 } }],
    handler: unlinkCommand },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Determine if a key exists', complexity: 'O(N) where N is the number of keys to check.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: -1, keyStep: 1, limit: 0 } }],
    handler: existsCommand },
  { name: 'type', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Determine the type stored at key', complexity: 'O(1)',
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: typeCommand },
  { name: 'touch', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', since: '3.2.1',
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: -1, keyStep: 1, limit: 0 } }],
    handler: touchCommand },
  { name: 'expire', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Set a key\'s time to live in seconds', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: expireCommand },
  { name: 'pexpire', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '2.6.0',
    summary: 'Set a key\'s time to live in milliseconds', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: pexpireCommand },
  { name: 'expireat', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '1.2.0',
    summary: 'Set the expiration for a key as a UNIX timestamp', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: expireatCommand },
  { name: 'pexpireat', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '2.6.0',
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: pexpireatCommand },
  { name: 'ttl', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Get the time to live for a key in seconds', complexity: 'O(1)',
    tips: ['nondeterministic_output'], handler: ttlCommand },
  { name: 'pttl', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '2.6.0',
    summary: 'Get the time to live for a key in milliseconds', complexity: 'O(1)',
    tips: ['nondeterministic_output'], handler: pttlCommand },
  { name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key', complexity: 'O(1)', handler: expiretimeCommand },
  { name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key in milliseconds', complexity: 'O(1)', handler: pexpiretimeCommand },
  { name: 'persist', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '2.2.0',
    summary: 'Remove the expiration from a key', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: persistCommand },
  { name: 'rename', arity: 3, flags: ['write'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Rename a key', complexity: 'O(1)',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    handler: renameCommand },
  { name: 'renamenx', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Rename a key, only if the new key does not exist', complexity: 'O(1)',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'insert'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    handler: renamenxCommand },
  { name: 'copy', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', since: '6.2.0',
    summary: 'Copy a key', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    keySpecs: [
      { flags: ['RO', 'access'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['OW', 'update'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    handler: copyCommand },
  { name: 'move', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Move a key to another database', complexity: 'O(1)',
    keySpecs: [{ flags: ['RW', 'access', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: moveCommand },
  { name: 'keys', arity: 2, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', since: '1.0.0',
    summary: 'Find all keys matching the given pattern',
    complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    acl: ['keyspace', 'dangerous'], tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    handler: keysCommand },
  { name: 'scan', arity: -2, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', since: '2.8.0',
    summary: 'Incrementally iterate the keys space',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    tips: ['nondeterministic_output', 'request_policy:special'], handler: scanCommand },
  { name: 'randomkey', arity: 1, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', since: '1.0.0',
    summary: 'Return a random key from the keyspace', complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'nondeterministic_output'], handler: randomkeyCommand },
] as const satisfies readonly CommandSpec[];
