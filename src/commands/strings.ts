/**
 * String commands (Redis 7.0's t_string.c): GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET
 * MSET MSETNX INCR DECR INCRBY DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SUBSTR SETRANGE.
 *
 * Contract
 * - Values are latin1 byte strings stored directly in the database (see src/store/db.ts), so
 *   every command is binary safe and a value's length is its byte count.
 * - Replies and error texts are Redis 7.0.15's, including the order in which checks fail (SET
 *   validates its expire time before its GET reads the key; GETEX looks the key up first).
 * - Reads that Redis does with lookupKeyRead (GET, MGET, STRLEN, GETRANGE, and the GET half of
 *   GETSET, GETDEL, GETEX and SET … GET) count keyspace hits and misses; writes do not.
 * - Commands that modify a value in place (APPEND, SETRANGE, INCR…, INCRBYFLOAT) keep the key's
 *   TTL; commands that set a value (SET, GETSET, MSET…) drop it unless SET says KEEPTTL.
 * - GET and plain `SET key value` are the benchmark's hot path and take no detour: no option
 *   loop, no allocation beyond the reply.
 */

import { NOTIFY_GENERIC, NOTIFY_STRING } from '../config/keyspace-events.ts';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from './longdouble.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import {
  addInt64, ERR_NOT_FLOAT, ERR_NOT_INT, ERR_OVERFLOW, ERR_SYNTAX, ERR_WRONGTYPE, getStringOrReply, INT64_MAX,
  INT64_MIN, parseInt64,
} from './util.ts';

const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const ERR_OFFSET = 'ERR offset is out of range';
const ERR_DECR_OVERFLOW = 'ERR decrement would overflow';
const ERR_NAN_INF = 'ERR increment would produce NaN or Infinity';
const LD_ZERO = parseLongDouble('0')!;

/**
 * The longest string V8 can hold (2^29 - 24 chars on 64-bit). proto-max-bulk-len defaults to
 * 512 MiB, a little above it; a value that would grow past V8's limit gets the same error Redis
 * gives past proto-max-bulk-len, rather than a crash.
 */
const MAX_JS_STRING = 536870888;

function maxStringLength(s: ServerContext): number {
  return Math.min(s.config.int('proto-max-bulk-len'), MAX_JS_STRING);
}

// ---- GET and SET ------------------------------------------------------------------------------

/** GET key */
function getCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = getStringOrReply(s, c.db, argv[1]!);
  if (v === null) return;
  s.out.bulkOrNull(v);
}

/** SET, GETEX and their options, as bits (Redis's OBJ_SET_NX, OBJ_EX…). */
const NX = 1 << 0;
const XX = 1 << 1;
const GET = 1 << 2;
const KEEPTTL = 1 << 3;
const PERSIST = 1 << 4;
const EX = 1 << 5;
const PX = 1 << 6;
const EXAT = 1 << 7;
const PXAT = 1 << 8;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;
/** EX and PX count from now; EXAT and PXAT are absolute. */
const RELATIVE = EX | PX;
/** Expire arguments in seconds (else milliseconds). */
const SECONDS = EX | EXAT;

/** parseStringOptions packs the expire argument's index above the option bits: bits + index · 2^16. */
const INDEX_UNIT = 1 << 16;

/**
 * Parses SET's options (forGetex false) or GETEX's (true) from argv[start]. Returns the option
 * bits plus INDEX_UNIT times the index of the expire time's argument (0 when none), or -1 for a
 * syntax error.
 *
 * Redis's rules: an option may repeat (the last expire time wins) but may not contradict another
 * (NX with XX; two different expire units; KEEPTTL or PERSIST with an expire), and an expire
 * unit needs a following argument. SET takes NX XX GET KEEPTTL; GETEX takes PERSIST; both take
 * EX PX EXAT PXAT.
 */
function parseStringOptions(argv: string[], start: number, forGetex: boolean): number {
  let flags = 0;
  let expireAt = 0;
  for (let j = start; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j + 1 < argv.length;
    let unit = 0;
    if (opt === 'nx' && !forGetex && (flags & XX) === 0) {
      flags |= NX;
    } else if (opt === 'xx' && !forGetex && (flags & NX) === 0) {
      flags |= XX;
    } else if (opt === 'get' && !forGetex) {
      flags |= GET;
    } else if (opt === 'keepttl' && !forGetex && (flags & ANY_EXPIRE) === 0) {
      flags |= KEEPTTL;
    } else if (opt === 'persist' && forGetex && (flags & ANY_EXPIRE) === 0) {
      flags |= PERSIST;
    } else if (opt === 'ex') {
      unit = EX;
    } else if (opt === 'px') {
      unit = PX;
    } else if (opt === 'exat') {
      unit = EXAT;
    } else if (opt === 'pxat') {
      unit = PXAT;
    } else {
      return -1;
    }
    if (unit !== 0) {
      if ((flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~unit))) !== 0 || !hasNext) return -1;
      flags |= unit;
      expireAt = ++j;
    }
  }
  return flags + expireAt * INDEX_UNIT;
}

/**
 * Turns an expire argument into an absolute Unix-ms time, or replies and returns null: "not an
 * integer" for a non-int64, "invalid expire time" for a time <= 0, for seconds whose ms overflow
 * int64, or for a relative time that overflows int64 once now is added (Redis's
 * getExpireMillisecondsOrReply). A time beyond 2^53 ms (year 287396) is kept as the nearest
 * double: the key then never expires in practice, as in Redis, but PTTL may differ in its
 * last digits.
 */
function expireTimeOrReply(s: ServerContext, arg: string, flags: number, cmd: string): number | null {
  const v = parseInt64(arg);
  if (v === null) {
    s.out.error(ERR_NOT_INT);
    return null;
  }
  if (v <= 0 || ((flags & SECONDS) !== 0 && v > INT64_MAX / 1000n)) {
    s.out.error(`ERR invalid expire time in '${cmd}' command`);
    return null;
  }
  if (typeof v === 'number') {
    let when = (flags & SECONDS) !== 0 ? v * 1000 : v;
    if ((flags & RELATIVE) !== 0) when += s.now;
    if (Number.isSafeInteger(when)) return when;
  }
  let when = (flags & SECONDS) !== 0 ? BigInt(v) * 1000n : BigInt(v);
  if ((flags & RELATIVE) !== 0) when += BigInt(s.now);
  if (when > INT64_MAX) {
    s.out.error(`ERR invalid expire time in '${cmd}' command`);
    return null;
  }
  return Number(when);
}

/**
 * The body of SET, SETNX, SETEX and PSETEX (Redis's setGenericCommand). `expireArg` is the
 * expire time's text ('' for none); `okReply`/`abortReply` are the replies on success and on an
 * NX/XX refusal (null: +OK and a null bulk). With GET the reply is the old value instead, in
 * both cases, and a non-string old value is WRONGTYPE with nothing written.
 */
function setGeneric(c: Client, s: ServerContext, flags: number, key: string, value: string, expireArg: string,
                    cmd: string, okReply: number | null, abortReply: number | null): void {
  const db = c.db;
  let when = 0;
  if ((flags & ANY_EXPIRE) !== 0) {
    const t = expireTimeOrReply(s, expireArg, flags, cmd);
    if (t === null) return;
    when = t;
  }
  if ((flags & GET) !== 0) {
    const old = getStringOrReply(s, db, key);
    if (old === null) return;
    s.out.bulkOrNull(old);
  }
  if ((flags & (NX | XX)) !== 0) {
    const found = db.get(key, s.now) !== undefined;
    if (((flags & NX) !== 0 && found) || ((flags & XX) !== 0 && !found)) {
      if ((flags & GET) === 0) {
        if (abortReply === null) s.out.nullBulk();
        else s.out.int(abortReply);
      }
      return;
    }
  } else if (db.expires.size !== 0) {
    // Redis's lookupKeyWrite: a key whose TTL has passed is expired (and counted) first, so
    // KEEPTTL never keeps a TTL already past.
    db.expireIfNeeded(key, s.now);
  }
  db.set(key, value, (flags & KEEPTTL) !== 0);
  s.notify(NOTIFY_STRING, 'set', db, key);
  // An EXAT/PXAT already past is stored as is: Redis 7.0 also answers OK and lets lazy or
  // active expiry remove the key (counted in expired_keys).
  if (when !== 0) {
    db.setExpire(key, when);
    s.notify(NOTIFY_GENERIC, 'expire', db, key);
  }
  if ((flags & GET) !== 0) return;
  if (okReply === null) s.out.ok();
  else s.out.int(okReply);
}

/** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
function setCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length === 3) {
    // The hot path. Like Redis's lookupKeyWrite, a key whose TTL has passed is expired (and
    // counted) before being overwritten; with no TTLs in the database this is one size check.
    const db = c.db;
    if (db.expires.size !== 0) db.expireIfNeeded(argv[1]!, s.now);
    db.set(argv[1]!, argv[2]!);
    s.notify(NOTIFY_STRING, 'set', db, argv[1]!);
    s.out.ok();
    return;
  }
  const parsed = parseStringOptions(argv, 3, false);
  if (parsed < 0) {
    s.out.error(ERR_SYNTAX);
    return;
  }
  const expireAt = Math.floor(parsed / INDEX_UNIT);
  setGeneric(c, s, parsed % INDEX_UNIT, argv[1]!, argv[2]!, expireAt === 0 ? '' : argv[expireAt]!, 'set', null, null);
}

/** SETNX key value */
function setnxCommand(c: Client, argv: string[], s: ServerContext): void {
  setGeneric(c, s, NX, argv[1]!, argv[2]!, '', 'setnx', 1, 0);
}

/** SETEX key seconds value */
function setexCommand(c: Client, argv: string[], s: ServerContext): void {
  setGeneric(c, s, EX, argv[1]!, argv[3]!, argv[2]!, 'setex', null, null);
}

/** PSETEX key milliseconds value */
function psetexCommand(c: Client, argv: string[], s: ServerContext): void {
  setGeneric(c, s, PX, argv[1]!, argv[3]!, argv[2]!, 'psetex', null, null);
}

// ---- reads that also write ----------------------------------------------------------------

/** GETSET key value */
function getsetCommand(c: Client, argv: string[], s: ServerContext): void {
  const old = getStringOrReply(s, c.db, argv[1]!);
  if (old === null) return;
  s.out.bulkOrNull(old);
  c.db.set(argv[1]!, argv[2]!);
  s.notify(NOTIFY_STRING, 'set', c.db, argv[1]!);
}

/** GETDEL key */
function getdelCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = getStringOrReply(s, c.db, argv[1]!);
  if (v === null) return;
  s.out.bulkOrNull(v);
  if (v !== undefined) {
    c.db.delete(argv[1]!);
    s.notify(NOTIFY_GENERIC, 'del', c.db, argv[1]!);
  }
}

/** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
function getexCommand(c: Client, argv: string[], s: ServerContext): void {
  const parsed = parseStringOptions(argv, 2, true);
  if (parsed < 0) {
    s.out.error(ERR_SYNTAX);
    return;
  }
  const flags = parsed % INDEX_UNIT;
  const key = argv[1]!;
  const db = c.db;
  // Redis looks the key up before it validates the expire time: a missing key answers nil and
  // a wrong type WRONGTYPE, whatever the time says.
  const v = getStringOrReply(s, db, key);
  if (v === null) return;
  if (v === undefined) {
    s.out.nullBulk();
    return;
  }
  let when = 0;
  if ((flags & ANY_EXPIRE) !== 0) {
    const t = expireTimeOrReply(s, argv[Math.floor(parsed / INDEX_UNIT)]!, flags, 'getex');
    if (t === null) return;
    when = t;
  }
  s.out.bulk(v);
  if ((flags & (EXAT | PXAT)) !== 0 && when <= s.now) {
    db.delete(key); // an absolute time already past deletes the key now (not an "expired" key)
    s.notify(NOTIFY_GENERIC, 'del', db, key);
  } else if (when !== 0) {
    db.setExpire(key, when);
    s.notify(NOTIFY_GENERIC, 'expire', db, key);
  } else if ((flags & PERSIST) !== 0) {
    if (db.persist(key)) s.notify(NOTIFY_GENERIC, 'persist', db, key);
  }
}

// ---- several keys -------------------------------------------------------------------------

/** MGET key [key ...] */
function mgetCommand(c: Client, argv: string[], s: ServerContext): void {
  const out = s.out;
  const db = c.db;
  out.arrayLen(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const v = db.lookupRead(argv[i]!, s.now);
    if (typeof v === 'string') out.bulk(v);
    else out.nullBulk(); // missing, or not a string: MGET never answers WRONGTYPE
  }
}

/** The body of MSET and MSETNX (Redis's msetGenericCommand). */
function msetGeneric(c: Client, argv: string[], s: ServerContext, nx: boolean): void {
  if (argv.length % 2 === 0) {
    s.out.error(`ERR wrong number of arguments for '${nx ? 'msetnx' : 'mset'}' command`);
    return;
  }
  const db = c.db;
  if (nx) {
    for (let i = 1; i < argv.length; i += 2) {
      if (db.get(argv[i]!, s.now) !== undefined) {
        s.out.int(0);
        return;
      }
    }
  }
  for (let i = 1; i < argv.length; i += 2) {
    if (db.expires.size !== 0) db.expireIfNeeded(argv[i]!, s.now);
    db.set(argv[i]!, argv[i + 1]!);
    s.notify(NOTIFY_STRING, 'set', db, argv[i]!);
  }
  if (nx) s.out.int(1);
  else s.out.ok();
}

/** MSET key value [key value ...] */
function msetCommand(c: Client, argv: string[], s: ServerContext): void {
  msetGeneric(c, argv, s, false);
}

/** MSETNX key value [key value ...] */
function msetnxCommand(c: Client, argv: string[], s: ServerContext): void {
  msetGeneric(c, argv, s, true);
}

// ---- counters -----------------------------------------------------------------------------

/**
 * Adds `incr` to the int64 stored at `key` (missing counts as 0), keeping its TTL (Redis's
 * incrDecrCommand). Values beyond ±2^53 are exact: they travel as bigint.
 */
function incrDecr(c: Client, s: ServerContext, key: string, incr: number | bigint): void {
  const db = c.db;
  const v = db.get(key, s.now);
  let old: number | bigint = 0;
  if (v !== undefined) {
    if (typeof v !== 'string') {
      s.out.error(ERR_WRONGTYPE);
      return;
    }
    const n = parseInt64(v);
    if (n === null) {
      s.out.error(ERR_NOT_INT);
      return;
    }
    old = n;
  }
  const r = addInt64(old, incr);
  if (r === null) {
    s.out.error(ERR_OVERFLOW);
    return;
  }
  if (v === undefined) db.set(key, String(r));
  else db.replace(key, String(r));
  s.notify(NOTIFY_STRING, 'incrby', db, key);
  s.out.int(r);
}

/** INCR key */
function incrCommand(c: Client, argv: string[], s: ServerContext): void {
  incrDecr(c, s, argv[1]!, 1);
}

/** DECR key */
function decrCommand(c: Client, argv: string[], s: ServerContext): void {
  incrDecr(c, s, argv[1]!, -1);
}

/** INCRBY key increment */
function incrbyCommand(c: Client, argv: string[], s: ServerContext): void {
  const incr = parseInt64(argv[2]!);
  if (incr === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  incrDecr(c, s, argv[1]!, incr);
}

/** DECRBY key decrement */
function decrbyCommand(c: Client, argv: string[], s: ServerContext): void {
  const decr = parseInt64(argv[2]!);
  if (decr === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  // -INT64_MIN does not exist: Redis refuses it before looking at the key.
  if (decr === INT64_MIN) {
    s.out.error(ERR_DECR_OVERFLOW);
    return;
  }
  incrDecr(c, s, argv[1]!, typeof decr === 'number' ? 0 - decr : -decr);
}

/**
 * INCRBYFLOAT key increment
 *
 * Computed as Redis does, in x87 long double, by the exact model in longdouble.ts: the stored
 * value is checked first, then the increment (both "not a valid float"), and an infinite or NaN
 * result is refused. The reply and the stored value are the sum printed with %.17Lf, trailing
 * zeros trimmed. The TTL is kept.
 */
function incrbyfloatCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const v = db.get(key, s.now);
  if (v !== undefined && typeof v !== 'string') {
    s.out.error(ERR_WRONGTYPE);
    return;
  }
  const old = v === undefined ? LD_ZERO : parseLongDouble(v);
  const incr = old === null ? null : parseLongDouble(argv[2]!);
  if (old === null || incr === null) {
    s.out.error(ERR_NOT_FLOAT);
    return;
  }
  const sum = addLongDouble(old, incr);
  if (sum.kind !== 'finite') {
    s.out.error(ERR_NAN_INF);
    return;
  }
  const text = formatLongDoubleHuman(sum);
  if (v === undefined) db.set(key, text);
  else db.replace(key, text);
  s.notify(NOTIFY_STRING, 'incrbyfloat', db, key);
  s.out.bulk(text);
}

// ---- byte-level access --------------------------------------------------------------------

/** APPEND key value */
function appendCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const add = argv[2]!;
  const v = db.get(key, s.now);
  if (v === undefined) {
    db.set(key, add);
    s.notify(NOTIFY_STRING, 'append', db, key);
    s.out.int(add.length);
    return;
  }
  if (typeof v !== 'string') {
    s.out.error(ERR_WRONGTYPE);
    return;
  }
  if (v.length + add.length > maxStringLength(s)) {
    s.out.error(ERR_STRING_TOO_LONG);
    return;
  }
  const next = v + add;
  db.replace(key, next);
  s.notify(NOTIFY_STRING, 'append', db, key);
  s.out.int(next.length);
}

/** STRLEN key */
function strlenCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = getStringOrReply(s, c.db, argv[1]!);
  if (v === null) return;
  s.out.int(v === undefined ? 0 : v.length);
}

/** Clamps an int64 to ±2^53, which keeps every comparison with a string length intact. */
function clampIndex(n: number | bigint): number {
  if (typeof n === 'number') return n;
  return n < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/** GETRANGE key start end (SUBSTR is the same command under its pre-2.0 name) */
function getrangeCommand(c: Client, argv: string[], s: ServerContext): void {
  const startArg = parseInt64(argv[2]!);
  const endArg = startArg === null ? null : parseInt64(argv[3]!);
  if (startArg === null || endArg === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const v = getStringOrReply(s, c.db, argv[1]!);
  if (v === null) return;
  if (v === undefined) {
    s.out.bulk('');
    return;
  }
  // Two negative indexes in the wrong order are empty before any clamping (so compare the
  // int64s themselves, which may be bigints).
  if (startArg < 0 && endArg < 0 && startArg > endArg) {
    s.out.bulk('');
    return;
  }
  const len = v.length;
  let start = clampIndex(startArg);
  let end = clampIndex(endArg);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) s.out.bulk('');
  else s.out.bulk(v.slice(start, end + 1));
}

/** SETRANGE key offset value */
function setrangeCommand(c: Client, argv: string[], s: ServerContext): void {
  const off = parseInt64(argv[2]!);
  if (off === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  if (off < 0) {
    s.out.error(ERR_OFFSET);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const patch = argv[3]!;
  const v = db.get(key, s.now);
  if (v !== undefined && typeof v !== 'string') {
    s.out.error(ERR_WRONGTYPE);
    return;
  }
  // Writing nothing changes nothing, and is not checked against the size limit: a missing key
  // stays missing (reply 0), an existing one answers its length.
  if (patch.length === 0) {
    s.out.int(v === undefined ? 0 : v.length);
    return;
  }
  if (typeof off === 'bigint' || off + patch.length > maxStringLength(s)) {
    s.out.error(ERR_STRING_TOO_LONG);
    return;
  }
  const old = v ?? '';
  let next: string;
  if (off >= old.length) {
    next = off > old.length ? old + '\0'.repeat(off - old.length) + patch : old + patch;
  } else {
    next = old.slice(0, off) + patch + old.slice(off + patch.length);
  }
  if (v === undefined) db.set(key, next);
  else db.replace(key, next);
  s.notify(NOTIFY_STRING, 'setrange', db, key);
  s.out.int(next.length);
}

// ---- the table ----------------------------------------------------------------------------

const GETRANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const stringCommands = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Get the value of a key', complexity: 'O(1)', handler: getCommand },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Set the string value of a key', complexity: 'O(1)', handler: setCommand },
  { name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Set the value of a key, only if the key does not exist', complexity: 'O(1)', handler: setnxCommand },
  { name: 'setex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.0.0',
    summary: 'Set the value and expiration of a key', complexity: 'O(1)', handler: setexCommand },
  { name: 'psetex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.6.0',
    summary: 'Set the value and expiration in milliseconds of a key', complexity: 'O(1)', handler: psetexCommand },
  { name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Set the string value of a key and return its old value', complexity: 'O(1)', handler: getsetCommand },
  { name: 'getdel', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '6.2.0',
    summary: 'Get the value of a key and delete the key', complexity: 'O(1)', handler: getdelCommand },
  { name: 'getex', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '6.2.0',
    summary: 'Get the value of a key and optionally set its expiration', complexity: 'O(1)', handler: getexCommand },
  { name: 'mget', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Get the values of all the given keys', complexity: 'O(N) where N is the number of keys to retrieve.', handler: mgetCommand },
  { name: 'mset', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 2, group: 'string', since: '1.0.1',
    summary: 'Set multiple keys to multiple values', complexity: 'O(N) where N is the number of keys to set.', handler: msetCommand },
  { name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 2, group: 'string', since: '1.0.1',
    summary: 'Set multiple keys to multiple values, only if none of the keys exist', complexity: 'O(N) where N is the number of keys to set.', handler: msetnxCommand },
  { name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Increment the integer value of a key by one', complexity: 'O(1)', handler: incrCommand },
  { name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Decrement the integer value of a key by one', complexity: 'O(1)', handler: decrCommand },
  { name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Increment the integer value of a key by the given amount', complexity: 'O(1)', handler: incrbyCommand },
  { name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Decrement the integer value of a key by the given number', complexity: 'O(1)', handler: decrbyCommand },
  { name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.6.0',
    summary: 'Increment the float value of a key by the given amount', complexity: 'O(1)', handler: incrbyfloatCommand },
  { name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.0.0',
    summary: 'Append a value to a key',
    complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    handler: appendCommand },
  { name: 'strlen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.2.0',
    summary: 'Get the length of the value stored in a key', complexity: 'O(1)', handler: strlenCommand },
  { name: 'getrange', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.4.0',
    summary: 'Get a substring of the string stored at a key', complexity: GETRANGE_COMPLEXITY, handler: getrangeCommand },
  { name: 'substr', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Get a substring of the string stored at a key', complexity: GETRANGE_COMPLEXITY, handler: getrangeCommand },
  { name: 'setrange', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '2.2.0',
    summary: 'Overwrite part of a string at key starting at the specified offset',
    complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    handler: setrangeCommand },
] as const satisfies readonly CommandSpec[];
