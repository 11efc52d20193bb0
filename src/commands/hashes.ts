/**
 * Hash commands (Redis 7.0's t_hash.c): HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN HEXISTS
 * HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
 *
 * Contract
 * - A hash is a HashValue (src/store/hash.ts): a Map of field → value in insertion order, which
 *   is Redis's reply order for small (listpack) hashes, so HGETALL, HKEYS and HVALS of those
 *   are byte for byte Redis's.
 * - Replies, error texts and the order in which checks fail are Redis 7.0.15's (HINCRBY parses
 *   its increment before looking the key up; HRANDFIELD parses its count first; HSCAN checks
 *   its cursor, then the key, then its options).
 * - A hash emptied by HDEL is deleted at once. Fields change in place, so the key keeps its
 *   TTL; Db.onWrite is called for every change, Db.set only for a new key.
 * - Reads that Redis does with lookupKeyRead count keyspace hits and misses; writes do not.
 * - HSET and HGET are a benchmark's session workload: one Map operation each, no allocation
 *   beyond the reply.
 * - Randomness (HRANDFIELD) is uniform but costs O(size of the hash): a Map has no random
 *   access. HSCAN cursors are ids of live Map iterators, not Redis's bucket cursors.
 */

import { NOTIFY_GENERIC, NOTIFY_HASH } from '../config/keyspace-events.ts';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from './longdouble.ts';
import { parseCursor } from './keys.ts';
import type { Db } from '../store/db.ts';
import { ElementCursors } from '../store/elementscan.ts';
import { globMatch } from '../store/glob.ts';
import { HashValue, isListpackShaped } from '../store/hash.ts';
import type { Client, CommandSpec, KeySpec, ServerContext } from './types.ts';
import { addInt64, eqi, ERR_NOT_FLOAT, ERR_NOT_INT, ERR_OVERFLOW, ERR_SYNTAX, parseInt64, typedForRead, typedForWrite } from './util.ts';
import { replyScan, scanOptionsOrReply } from './sets.ts';

const ERR_HASH_NOT_INT = 'ERR hash value is not an integer';
const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
const ERR_NAN_INF_ARG = 'ERR value is NaN or Infinity';
const ERR_NAN_INF = 'ERR increment would produce NaN or Infinity';
const ERR_RANGE = 'ERR value is out of range';
const ERR_RANDFIELD_RANGE = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';
const ERR_INVALID_CURSOR = 'ERR invalid cursor';
const LD_ZERO = parseLongDouble('0')!;

/** The hash at `key` for a read (counted as a hit or miss): undefined if missing, null after WRONGTYPE. */
function hashForRead(s: ServerContext, db: Db, key: string): HashValue | undefined | null {
  return typedForRead(s, db, key, HashValue);
}

/** The hash at `key` for a write: undefined if missing, null after WRONGTYPE. */
function hashForWrite(s: ServerContext, db: Db, key: string): HashValue | undefined | null {
  return typedForWrite(s, db, key, HashValue);
}

/** After `hash` (new when `created`) changed under `key`: stores it, or tells the hook. */
function afterWrite(db: Db, key: string, hash: HashValue, created: boolean): void {
  if (created) db.set(key, hash);
  else db.touch(key);
}

// ---- setting fields ------------------------------------------------------------------------------

/** The body of HSET (replies the number of new fields) and HMSET (replies OK). */
function hsetGeneric(c: Client, argv: string[], s: ServerContext, hmset: boolean): void {
  if (argv.length % 2 === 1) {
    s.out.error(`ERR wrong number of arguments for '${hmset ? 'hmset' : 'hset'}' command`);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const found = hashForWrite(s, db, key);
  if (found === null) return;
  const hash = found ?? new HashValue();
  const before = hash.size;
  for (let i = 2; i < argv.length; i += 2) hash.set(argv[i]!, argv[i + 1]!);
  afterWrite(db, key, hash, found === undefined);
  if (hmset) s.out.ok();
  else s.out.int(hash.size - before);
  // The reply, then the event (Redis's order, seen by a RESP3 client subscribed to its own events).
  s.notify(NOTIFY_HASH, 'hset', db, key);
}

/** HSET key field value [field value ...] */
function hsetCommand(c: Client, argv: string[], s: ServerContext): void {
  hsetGeneric(c, argv, s, false);
}

/** HMSET key field value [field value ...] */
function hmsetCommand(c: Client, argv: string[], s: ServerContext): void {
  hsetGeneric(c, argv, s, true);
}

/** HSETNX key field value */
function hsetnxCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const found = hashForWrite(s, db, key);
  if (found === null) return;
  if (found !== undefined && found.has(argv[2]!)) {
    s.out.int(0);
    return;
  }
  const hash = found ?? new HashValue();
  hash.set(argv[2]!, argv[3]!);
  afterWrite(db, key, hash, found === undefined);
  s.out.int(1);
  s.notify(NOTIFY_HASH, 'hset', db, key);
}

/** HDEL key field [field ...] */
function hdelCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const hash = hashForWrite(s, db, key);
  if (hash === null) return;
  let deleted = 0;
  if (hash !== undefined) {
    for (let i = 2; i < argv.length; i++) if (hash.delete(argv[i]!)) deleted++;
    if (hash.size === 0) db.delete(key);
    else if (deleted !== 0) db.touch(key);
    if (deleted !== 0) s.notify(NOTIFY_HASH, 'hdel', db, key);
    if (hash.size === 0) s.notify(NOTIFY_GENERIC, 'del', db, key);
  }
  s.out.int(deleted);
}

// ---- reading fields ------------------------------------------------------------------------------

/** HGET key field */
function hgetCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  s.out.bulkOrNull(hash?.get(argv[2]!));
}

/** HMGET key field [field ...]: unlike MGET, a key of another type is WRONGTYPE. */
function hmgetCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  s.out.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) s.out.bulkOrNull(hash?.get(argv[i]!));
}

/** HLEN key */
function hlenCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  s.out.int(hash === undefined ? 0 : hash.size);
}

/** HSTRLEN key field: 0 for a missing key or field. */
function hstrlenCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  s.out.int(hash?.get(argv[2]!)?.length ?? 0);
}

/** HEXISTS key field */
function hexistsCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  s.out.int(hash !== undefined && hash.has(argv[2]!) ? 1 : 0);
}

/** HKEYS key */
function hkeysCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined) return s.out.arrayLen(0);
  s.out.arrayLen(hash.size);
  for (const f of hash.keys()) s.out.bulk(f);
}

/** HVALS key */
function hvalsCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined) return s.out.arrayLen(0);
  s.out.arrayLen(hash.size);
  for (const v of hash.values()) s.out.bulk(v);
}

/** HGETALL key: a map in RESP3, a flat field/value array in RESP2. */
function hgetallCommand(c: Client, argv: string[], s: ServerContext): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined) return s.out.mapLen(0);
  s.out.mapLen(hash.size);
  for (const [f, v] of hash) {
    s.out.bulk(f);
    s.out.bulk(v);
  }
}

// ---- counters ------------------------------------------------------------------------------------

/** HINCRBY key field increment: the increment is parsed before the key is looked up. */
function hincrbyCommand(c: Client, argv: string[], s: ServerContext): void {
  const incr = parseInt64(argv[3]!);
  if (incr === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const found = hashForWrite(s, db, key);
  if (found === null) return;
  const field = argv[2]!;
  const old = found?.get(field);
  let value: number | bigint = 0;
  if (old !== undefined) {
    const n = parseInt64(old);
    if (n === null) {
      s.out.error(ERR_HASH_NOT_INT);
      return;
    }
    value = n;
  }
  const r = addInt64(value, incr);
  if (r === null) {
    s.out.error(ERR_OVERFLOW);
    return;
  }
  const hash = found ?? new HashValue();
  hash.set(field, String(r));
  afterWrite(db, key, hash, found === undefined);
  s.out.int(r);
  s.notify(NOTIFY_HASH, 'hincrby', db, key);
}

/**
 * HINCRBYFLOAT key field increment
 *
 * The same x87 long double arithmetic and formatting as INCRBYFLOAT (longdouble.ts). Checks in
 * Redis's order: the increment ("not a valid float", then "NaN or Infinity"), the key, the
 * stored value ("hash value is not a float"), then the sum.
 */
function hincrbyfloatCommand(c: Client, argv: string[], s: ServerContext): void {
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) {
    s.out.error(ERR_NOT_FLOAT);
    return;
  }
  if (incr.kind !== 'finite') {
    s.out.error(ERR_NAN_INF_ARG);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const found = hashForWrite(s, db, key);
  if (found === null) return;
  const field = argv[2]!;
  const oldText = found?.get(field);
  const old = oldText === undefined ? LD_ZERO : parseLongDouble(oldText);
  if (old === null) {
    s.out.error(ERR_HASH_NOT_FLOAT);
    return;
  }
  const sum = addLongDouble(old, incr);
  if (sum.kind !== 'finite') {
    s.out.error(ERR_NAN_INF);
    return;
  }
  const text = formatLongDoubleHuman(sum);
  const hash = found ?? new HashValue();
  hash.set(field, text);
  afterWrite(db, key, hash, found === undefined);
  s.out.bulk(text);
  s.notify(NOTIFY_HASH, 'hincrbyfloat', db, key);
}

// ---- random fields -------------------------------------------------------------------------------

/** A uniformly random integer in [0, n). */
function randomBelow(n: number): number {
  return Math.floor(Math.random() * n);
}

/** `k` distinct random integers in [0, n), ascending (Floyd's sampling, O(k log k)). */
function distinctIndexes(k: number, n: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = randomBelow(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Array.from(chosen).sort((a, b) => a - b);
}

/**
 * The entries at `sorted` positions of the hash's order (ascending, repeats allowed), as
 * parallel arrays, in one walk of the hash.
 */
function entriesAt(hash: HashValue, sorted: number[]): [string[], string[]] {
  const fields: string[] = [];
  const values: string[] = [];
  let pos = 0;
  let k = 0;
  for (const [f, v] of hash) {
    while (k < sorted.length && sorted[k] === pos) {
      fields.push(f);
      values.push(v);
      k++;
    }
    if (k === sorted.length) break;
    pos++;
  }
  return [fields, values];
}

/** One field (and value) in a reply to HRANDFIELD with a count. */
function randfieldEntry(s: ServerContext, f: string, v: string, withValues: boolean): void {
  if (!withValues) return s.out.bulk(f);
  if (s.out.resp === 3) s.out.arrayLen(2);
  s.out.bulk(f);
  s.out.bulk(v);
}

/**
 * HRANDFIELD with a count (Redis's hrandfieldWithCountCommand): count >= 0 gives that many
 * distinct fields (the whole hash, in order, when it has no more); count < 0 gives |count|
 * fields drawn independently, in random order. WITHVALUES pairs each field with its value:
 * flat in RESP2, as 2-element arrays in RESP3.
 */
function hrandfieldWithCount(c: Client, argv: string[], s: ServerContext, count: number, withValues: boolean): void {
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined || count === 0) return s.out.arrayLen(0);
  const size = hash.size;
  const out = s.out;
  const unique = count > 0;
  const n = unique ? Math.min(count, size) : -count;
  out.arrayLen(withValues && out.resp === 2 ? n * 2 : n);
  if (unique && count >= size) {
    for (const [f, v] of hash) randfieldEntry(s, f, v, withValues);
    return;
  }
  if (unique) {
    const [fields, values] = entriesAt(hash, distinctIndexes(n, size));
    for (let i = 0; i < n; i++) randfieldEntry(s, fields[i]!, values[i]!, withValues);
    return;
  }
  // Draws with repetition. Few draws from a big hash: sort them, walk the hash once, then
  // shuffle, since these replies are in random order. Otherwise: list the hash once and draw.
  if (n * 8 < size) {
    const draws: number[] = [];
    for (let i = 0; i < n; i++) draws.push(randomBelow(size));
    draws.sort((a, b) => a - b);
    const [fields, values] = entriesAt(hash, draws);
    for (let i = n - 1; i > 0; i--) {
      const j = randomBelow(i + 1);
      const f = fields[i]!;
      fields[i] = fields[j]!;
      fields[j] = f;
      const v = values[i]!;
      values[i] = values[j]!;
      values[j] = v;
    }
    for (let i = 0; i < n; i++) randfieldEntry(s, fields[i]!, values[i]!, withValues);
    return;
  }
  const fields = Array.from(hash.keys());
  const values = Array.from(hash.values());
  for (let i = 0; i < n; i++) {
    const j = randomBelow(size);
    randfieldEntry(s, fields[j]!, values[j]!, withValues);
  }
}

/**
 * HRANDFIELD key [count [WITHVALUES]]
 *
 * The count is parsed (and WITHVALUES checked) before the key is looked up. Without a count:
 * one random field, or a null for a missing key.
 */
function hrandfieldCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]!);
    if (l === null) {
      s.out.error(ERR_NOT_INT);
      return;
    }
    if (l === -9223372036854775808n) {
      s.out.error(ERR_RANDFIELD_RANGE);
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3]!, 'withvalues'))) {
      s.out.error(ERR_SYNTAX);
      return;
    }
    const withValues = argv.length === 4;
    // Redis refuses a count whose doubled reply length would overflow a long.
    if (withValues && (l < -4611686018427387903n || l > 4611686018427387903n)) {
      s.out.error(ERR_RANGE);
      return;
    }
    const count = typeof l === 'bigint' ? (l < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : l;
    hrandfieldWithCount(c, argv, s, count, withValues);
    return;
  }
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined) return s.out.nullBulk();
  let skip = randomBelow(hash.size);
  for (const f of hash.keys()) {
    if (skip-- === 0) return s.out.bulk(f);
  }
}

// ---- HSCAN ---------------------------------------------------------------------------------------

/** Live HSCAN iterations: cursor id → Map iterator of the hash it walks. */
const hashCursors = new ElementCursors<[string, string]>();

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * The cursor is checked first (invalid cursor), then the key: a missing key answers the empty
 * scan reply without looking at the options. Options as SCAN's, without TYPE. A hash Redis would
 * hold as a listpack (isListpackShaped) comes back whole with cursor 0, as from Redis. A bigger one is
 * walked `count` fields per call by a live Map iterator; a cursor this table did not issue for
 * this very hash (another key, or an earlier value of this key) restarts the walk, so fields
 * may repeat but none is missed.
 */
function hscanCommand(c: Client, argv: string[], s: ServerContext): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return s.out.error(ERR_INVALID_CURSOR);
  const hash = hashForRead(s, c.db, argv[1]!);
  if (hash === null) return;
  if (hash === undefined) return replyScan(s, 0, []);
  const opts = scanOptionsOrReply(s, argv);
  if (opts === null) return;
  const { count, pattern } = opts;
  const items: string[] = [];
  const visit = (e: [string, string]): void => {
    if (pattern === null || globMatch(pattern, e[0])) items.push(e[0], e[1]);
  };
  let next = 0;
  if (isListpackShaped(hash)) {
    for (const e of hash) visit(e);
  } else {
    next = hashCursors.step(cursor, hash, hash.size, () => hash.entries(), count, visit);
  }
  replyScan(s, next, items);
}

// ---- the table -----------------------------------------------------------------------------------

/** A key spec for the key at argv[1]. */
function key1(flags: KeySpec['flags']): KeySpec[] {
  return [{ flags, begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }];
}

const RO = key1(['RO']);
const RO_ACCESS = key1(['RO', 'access']);
const RW_UPDATE = key1(['RW', 'update']);
const RW_ACCESS_UPDATE = key1(['RW', 'access', 'update']);

export const hashCommands = [
  { name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Set the string value of a hash field',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    keySpecs: RW_UPDATE, handler: hsetCommand },
  { name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Set the value of a hash field, only if the field does not exist', complexity: 'O(1)',
    keySpecs: key1(['RW', 'insert']), handler: hsetnxCommand },
  { name: 'hget', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get the value of a hash field', complexity: 'O(1)', keySpecs: RO_ACCESS, handler: hgetCommand },
  { name: 'hmget', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get the values of all the given hash fields', complexity: 'O(N) where N is the number of fields being requested.',
    keySpecs: RO_ACCESS, handler: hmgetCommand },
  { name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Set multiple hash fields to multiple values', complexity: 'O(N) where N is the number of fields being set.',
    keySpecs: RW_UPDATE, handler: hmsetCommand },
  { name: 'hdel', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Delete one or more hash fields', complexity: 'O(N) where N is the number of fields to be removed.',
    keySpecs: key1(['RW', 'delete']), handler: hdelCommand },
  { name: 'hlen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get the number of fields in a hash', complexity: 'O(1)', keySpecs: RO, handler: hlenCommand },
  { name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '3.2.0',
    summary: 'Get the length of the value of a hash field', complexity: 'O(1)', keySpecs: RO, handler: hstrlenCommand },
  { name: 'hexists', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Determine if a hash field exists', complexity: 'O(1)', keySpecs: RO, handler: hexistsCommand },
  { name: 'hkeys', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get all the fields in a hash', complexity: 'O(N) where N is the size of the hash.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ACCESS, handler: hkeysCommand },
  { name: 'hvals', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get all the values in a hash', complexity: 'O(N) where N is the size of the hash.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ACCESS, handler: hvalsCommand },
  { name: 'hgetall', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Get all the fields and values in a hash', complexity: 'O(N) where N is the size of the hash.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ACCESS, handler: hgetallCommand },
  { name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.0.0',
    summary: 'Increment the integer value of a hash field by the given number', complexity: 'O(1)',
    keySpecs: RW_ACCESS_UPDATE, handler: hincrbyCommand },
  { name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.6.0',
    summary: 'Increment the float value of a hash field by the given amount', complexity: 'O(1)',
    keySpecs: RW_ACCESS_UPDATE, handler: hincrbyfloatCommand },
  { name: 'hrandfield', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '6.2.0',
    summary: 'Get one or multiple random fields from a hash', complexity: 'O(N) where N is the number of fields returned',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: hrandfieldCommand },
  { name: 'hscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'hash', since: '2.8.0',
    summary: 'Incrementally iterate hash fields and associated values',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: hscanCommand },
] as const satisfies readonly CommandSpec[];
