/**
 * Set commands (Redis 7.0's t_set.c): SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS
 * SRANDMEMBER SPOP SMOVE SINTER SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE SINTERCARD SSCAN.
 *
 * Contract
 * - Replies and error texts are Redis 7.0.15's, with its argument checks in its order (numbers
 *   are parsed before keys are looked up, and every key's type is checked before any work).
 * - Reply order: an intset-encoded set (all members integers, at most 512) answers in ascending
 *   numeric order exactly as Redis does; a hashtable set answers in insertion order where Redis
 *   uses its hash order (see src/store/set.ts). SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a
 *   count are RESP3 sets; SRANDMEMBER with a count is an array, as in Redis.
 * - An emptied set is deleted with its key. Commands that change a set in place keep the key's
 *   TTL; the *STORE commands replace the destination and drop its TTL (Redis's setKey), or
 *   delete it when the result is empty.
 * - Reads that Redis does with lookupKeyRead count keyspace hits and misses; writes do not.
 * - Also exports the SSCAN/ZSCAN option parser and the count parsers the sorted-set family
 *   shares.
 */

import { NOTIFY_GENERIC, NOTIFY_SET } from '../config/keyspace-events.ts';
import type { Db } from '../store/db.ts';
import { ElementCursors } from '../store/elementscan.ts';
import { globMatch } from '../store/glob.ts';
import { SetValue } from '../store/set.ts';
import { parseCursor } from './keys.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, parseInt64, typedForRead, typedForWrite } from './util.ts';

export const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_LONG_RANGE = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
export const ERR_LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
const ERR_INVALID_CURSOR = 'ERR invalid cursor';

/** SPOP with a count rebuilds the set when fewer than 1/5 of it would remain (Redis's SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

// ---- shared argument parsing ------------------------------------------------------------------

/**
 * An int64 argument as a JS number (exact up to 2^53, the nearest double beyond: counts and
 * offsets that large behave the same either way), or null when not an integer.
 */
export function parseLong(arg: string): number | null {
  const v = parseInt64(arg);
  return v === null ? null : Number(v);
}

/**
 * Redis's getRangeLongFromObjectOrReply(0, LONG_MAX) with a message: a non-negative integer, or
 * null after replying `err` (for a non-integer too, as Redis does when given a message).
 */
export function nonNegativeOrReply(s: ServerContext, arg: string, err = ERR_POSITIVE): number | null {
  const v = parseLong(arg);
  if (v === null || v < 0) {
    s.out.error(err);
    return null;
  }
  return v;
}

/** A count in -LONG_MAX..LONG_MAX (SRANDMEMBER, ZRANDMEMBER), or null after replying. */
export function countInLongRangeOrReply(s: ServerContext, arg: string): number | null {
  const v = parseInt64(arg);
  if (v === null) {
    s.out.error(ERR_NOT_INT);
    return null;
  }
  if (v === -9223372036854775808n) {
    s.out.error(ERR_LONG_RANGE);
    return null;
  }
  return Number(v);
}

export interface ScanOptions {
  count: number;
  /** null: no MATCH, or MATCH "*". */
  pattern: string | null;
}

/**
 * The options of SSCAN/ZSCAN/HSCAN from argv[3] on (Redis's scanGenericCommand): COUNT n
 * (an integer >= 1) and MATCH pattern, repeatable, later ones winning; anything else,
 * TYPE included, is a syntax error. Null after replying.
 */
export function scanOptionsOrReply(s: ServerContext, argv: string[]): ScanOptions | null {
  const opts: ScanOptions = { count: 10, pattern: null };
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (eqi(opt, 'count') && more) {
      const n = parseLong(argv[i + 1]!);
      if (n === null) {
        s.out.error(ERR_NOT_INT);
        return null;
      }
      if (n < 1) {
        s.out.error(ERR_SYNTAX);
        return null;
      }
      opts.count = Math.min(n, Number.MAX_SAFE_INTEGER);
    } else if (eqi(opt, 'match') && more) {
      const p = argv[i + 1]!;
      opts.pattern = p === '*' ? null : p;
    } else {
      s.out.error(ERR_SYNTAX);
      return null;
    }
  }
  return opts;
}

/** The scan reply: the cursor as a bulk string, then the elements. */
export function replyScan(s: ServerContext, cursor: number, items: readonly string[]): void {
  s.out.arrayLen(2);
  s.out.bulk(String(cursor));
  s.out.arrayLen(items.length);
  for (let i = 0; i < items.length; i++) s.out.bulk(items[i]!);
}

// ---- lookups -----------------------------------------------------------------------------------

/** A set for a read (counted as hit or miss): undefined if missing, null after WRONGTYPE. */
function setForRead(s: ServerContext, db: Db, key: string): SetValue | undefined | null {
  return typedForRead(s, db, key, SetValue);
}

/** A set for a write (no hit/miss accounting): undefined if missing, null after WRONGTYPE. */
function setForWrite(s: ServerContext, db: Db, key: string): SetValue | undefined | null {
  return typedForWrite(s, db, key, SetValue);
}

/**
 * After removing members: deletes the key of an emptied set, else signals the change; announces
 * `event` (srem, spop), then "del" for an emptied set, in Redis's order.
 */
function afterRemove(s: ServerContext, db: Db, key: string, set: SetValue, event: string): void {
  if (set.size === 0) db.delete(key);
  else db.replace(key, set);
  s.notify(NOTIFY_SET, event, db, key);
  if (set.size === 0) s.notify(NOTIFY_GENERIC, 'del', db, key);
}

/** Writes `set`'s members as a RESP3 set (an array in RESP2). */
function replySet(s: ServerContext, set: SetValue): void {
  s.out.setLen(set.size);
  for (const m of set.members()) s.out.bulk(m);
}

/**
 * The end of every *STORE command: stores a non-empty result in place of the destination
 * (dropping its TTL) and replies its size, or deletes the destination and replies 0.
 */
function storeResult(db: Db, s: ServerContext, dst: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    if (db.expires.size !== 0) db.expireIfNeeded(dst, s.now);
    db.set(dst, result);
    s.out.int(result.size);
    s.notify(NOTIFY_SET, event, db, dst);
  } else {
    s.out.int(0);
    deleteStored(s, db, dst);
  }
}

/** An empty *STORE result: the destination is deleted, if it was there ("del"; as Redis, even if its TTL had passed). */
function deleteStored(s: ServerContext, db: Db, dst: string): void {
  if (db.delete(dst)) s.notify(NOTIFY_GENERIC, 'del', db, dst);
}

// ---- single-set commands ---------------------------------------------------------------------

/** SADD key member [member ...] */
function saddCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  let set = setForWrite(s, db, key);
  if (set === null) return;
  const existed = set !== undefined;
  if (set === undefined) {
    set = SetValue.forMember(argv[2]!);
    db.set(key, set);
  }
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!)) added++;
  if (existed && added > 0) db.replace(key, set);
  if (added > 0) s.notify(NOTIFY_SET, 'sadd', db, key);
  s.out.int(added);
}

/** SREM key member [member ...] */
function sremCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const set = setForWrite(s, db, key);
  if (set === null) return;
  if (set === undefined) return s.out.int(0);
  let removed = 0;
  for (let i = 2; i < argv.length && set.size > 0; i++) if (set.remove(argv[i]!)) removed++;
  if (removed > 0) afterRemove(s, db, key, set, 'srem');
  s.out.int(removed);
}

/** SISMEMBER key member */
function sismemberCommand(c: Client, argv: string[], s: ServerContext): void {
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  s.out.int(set !== undefined && set.has(argv[2]!) ? 1 : 0);
}

/** SMISMEMBER key member [member ...]: a missing key is an empty set. */
function smismemberCommand(c: Client, argv: string[], s: ServerContext): void {
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  s.out.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) s.out.int(set !== undefined && set.has(argv[i]!) ? 1 : 0);
}

/** SCARD key */
function scardCommand(c: Client, argv: string[], s: ServerContext): void {
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  s.out.int(set === undefined ? 0 : set.size);
}

/** SMEMBERS key */
function smembersCommand(c: Client, argv: string[], s: ServerContext): void {
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  if (set === undefined) s.out.setLen(0);
  else replySet(s, set);
}

/** SMOVE source destination member */
function smoveCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const member = argv[3]!;
  const src = db.get(srcKey, s.now);
  const dst = db.get(dstKey, s.now);
  // A missing source answers 0 before any type is checked.
  if (src === undefined) return s.out.int(0);
  if (!(src instanceof SetValue) || (dst !== undefined && !(dst instanceof SetValue))) {
    return s.out.error(ERR_WRONGTYPE);
  }
  if (src === dst) return s.out.int(src.has(member) ? 1 : 0);
  if (!src.remove(member)) return s.out.int(0);
  afterRemove(s, db, srcKey, src, 'srem');
  let target = dst;
  if (target === undefined) {
    target = SetValue.forMember(member);
    db.set(dstKey, target);
  }
  if (target.add(member)) {
    if (dst !== undefined) db.replace(dstKey, target);
    s.notify(NOTIFY_SET, 'sadd', db, dstKey);
  }
  s.out.int(1);
}

// ---- random members ----------------------------------------------------------------------------

/**
 * `count` distinct random members of a set larger than `count`, in no particular order:
 * a partial shuffle of all members when count is close to the size (Redis's CASE 3), else
 * random picks until enough distinct ones are found (CASE 4).
 */
function distinctRandom(set: SetValue, count: number, subStrategyMul: number): string[] {
  if (count * subStrategyMul > set.size) {
    const all = [...set.members()];
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (all.length - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    all.length = count;
    return all;
  }
  const picked = new Set<string>();
  while (picked.size < count) picked.add(set.random());
  return [...picked];
}

/** SPOP key [count] */
function spopCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length > 3) return s.out.error(ERR_SYNTAX);
  if (argv.length === 3) return spopWithCount(c, argv, s);
  const db = c.db;
  const key = argv[1]!;
  const set = setForWrite(s, db, key);
  if (set === null) return;
  if (set === undefined) return s.out.nullBulk();
  const m = set.random();
  set.remove(m);
  // Redis's order: the event, the reply, then "del" for an emptied set.
  s.notify(NOTIFY_SET, 'spop', db, key);
  s.out.bulk(m);
  // Propagated as what it removed (Redis 7.0: SREM key member).
  s.propagateAs(['SREM', key, m]);
  if (set.size === 0) {
    db.delete(key);
    s.notify(NOTIFY_GENERIC, 'del', db, key);
  } else {
    db.replace(key, set);
  }
}

/** SPOP key count */
function spopWithCount(c: Client, argv: string[], s: ServerContext): void {
  const count = nonNegativeOrReply(s, argv[2]!);
  if (count === null) return;
  const db = c.db;
  const key = argv[1]!;
  const set = setForWrite(s, db, key);
  if (set === null) return;
  if (set === undefined || count === 0) return s.out.setLen(0);
  const size = set.size;
  // Announced before the reply, as Redis does (seen by a RESP3 client subscribed to its own events).
  s.notify(NOTIFY_SET, 'spop', db, key);
  if (count >= size) {
    // Redis answers through SUNION of the one set: a new set, so a hashtable set left with
    // only integers answers in numeric order.
    const all = new SetValue();
    for (const m of set.members()) all.add(m);
    replySet(s, all);
    db.delete(key);
    s.notify(NOTIFY_GENERIC, 'del', db, key);
    s.propagateAs(['DEL', key]);
    return;
  }
  const remaining = size - count;
  s.out.setLen(count);
  // Propagated as one SREM per member removed, which the executor wraps in MULTI/EXEC (as Redis 7.0).
  const srems: string[][] = [];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const m = set.random();
      set.remove(m);
      s.out.bulk(m);
      srems.push(['SREM', key, m]);
    }
    s.propagateAs(...srems);
    db.replace(key, set);
    return;
  }
  // Most of the set goes: pick the few that stay into a new set (which, like Redis's, starts
  // as an intset when its first member is an integer), and reply with the rest.
  const kept = distinctRandom(set, remaining, 1);
  const next = SetValue.forMember(kept[0]!);
  for (const m of kept) {
    next.add(m);
    set.remove(m);
  }
  for (const m of set.members()) {
    s.out.bulk(m);
    srems.push(['SREM', key, m]);
  }
  s.propagateAs(...srems);
  db.replace(key, next);
}

/** SRANDMEMBER key [count] */
function srandmemberCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length > 3) return s.out.error(ERR_SYNTAX);
  if (argv.length === 3) return srandmemberWithCount(c, argv, s);
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  if (set === undefined) return s.out.nullBulk();
  s.out.bulk(set.random());
}

/**
 * SRANDMEMBER key count: a negative count allows repeats (and may exceed the size); a
 * positive one returns distinct members, the whole set (in its order) when it is not larger.
 */
function srandmemberWithCount(c: Client, argv: string[], s: ServerContext): void {
  const l = countInLongRangeOrReply(s, argv[2]!);
  if (l === null) return;
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  const count = Math.abs(l);
  if (set === undefined || count === 0) return s.out.arrayLen(0);
  if (l < 0 || count === 1) {
    s.out.arrayLen(count);
    for (let i = 0; i < count; i++) s.out.bulk(set.random());
    return;
  }
  if (count >= set.size) {
    s.out.arrayLen(set.size);
    for (const m of set.members()) s.out.bulk(m);
    return;
  }
  const picked = distinctRandom(set, count, 3);
  s.out.arrayLen(count);
  for (const m of picked) s.out.bulk(m);
}

// ---- set algebra -------------------------------------------------------------------------------

/**
 * The sets named by argv[from..to), looked up for reading: a missing key is null (an empty
 * set); undefined after a WRONGTYPE reply (every key is checked before any work).
 */
function setsForRead(s: ServerContext, db: Db, argv: string[], from: number, to: number): Array<SetValue | null> | undefined {
  const sets: Array<SetValue | null> = [];
  for (let i = from; i < to; i++) {
    const set = setForRead(s, db, argv[i]!);
    if (set === null) return undefined;
    sets.push(set ?? null);
  }
  return sets;
}

/**
 * SINTER, SINTERSTORE and SINTERCARD (Redis's sinterGenericCommand): walks the smallest set
 * and keeps the members every other set has. `dst` names the destination (SINTERSTORE);
 * `cardOnly` answers the count, stopping at `limit` when it is not 0.
 */
function sinterGeneric(c: Client, argv: string[], s: ServerContext, from: number, to: number, dst: string | null,
                       cardOnly: boolean, limit: number): void {
  const db = c.db;
  const found = setsForRead(s, db, argv, from, to);
  if (found === undefined) return;
  if (found.includes(null)) {
    if (dst !== null) {
      s.out.int(0);
      deleteStored(s, db, dst);
    } else if (cardOnly) {
      s.out.int(0);
    } else {
      s.out.setLen(0);
    }
    return;
  }
  const sets = (found as SetValue[]).sort((a, b) => a.size - b.size); // stable, like glibc's qsort here
  const first = sets[0]!;
  const out: string[] = [];
  let card = 0;
  outer: for (const m of first.members()) {
    for (let j = 1; j < sets.length; j++) {
      const other = sets[j]!;
      if (other !== first && !other.has(m)) continue outer;
    }
    card++;
    if (cardOnly) {
      if (limit !== 0 && card >= limit) break;
    } else {
      out.push(m);
    }
  }
  if (cardOnly) return s.out.int(card);
  if (dst !== null) {
    const result = new SetValue();
    for (const m of out) result.add(m);
    return storeResult(db, s, dst, result, 'sinterstore');
  }
  s.out.setLen(out.length);
  for (const m of out) s.out.bulk(m);
}

/**
 * SUNION, SDIFF and their STORE forms (Redis's sunionDiffGenericCommand): the result is built
 * as a new set that starts as an intset, so an all-integer result answers in numeric order.
 * For SDIFF, naming the first set again anywhere empties the result.
 */
function sunionDiffGeneric(c: Client, argv: string[], s: ServerContext, from: number, dst: string | null,
                           diff: boolean): void {
  const db = c.db;
  const sets = setsForRead(s, db, argv, from, argv.length);
  if (sets === undefined) return;
  const result = new SetValue();
  const head = sets[0]!;
  if (!diff) {
    for (const set of sets) if (set !== null) for (const m of set.members()) result.add(m);
  } else if (head !== null && !sets.some((x, j) => j > 0 && x === head)) {
    outer: for (const m of head.members()) {
      for (let j = 1; j < sets.length; j++) if (sets[j]?.has(m)) continue outer;
      result.add(m);
    }
  }
  if (dst !== null) return storeResult(db, s, dst, result, diff ? 'sdiffstore' : 'sunionstore');
  replySet(s, result);
}

/** SINTER key [key ...] */
function sinterCommand(c: Client, argv: string[], s: ServerContext): void {
  sinterGeneric(c, argv, s, 1, argv.length, null, false, 0);
}

/** SINTERSTORE destination key [key ...] */
function sinterstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  sinterGeneric(c, argv, s, 2, argv.length, argv[1]!, false, 0);
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercardCommand(c: Client, argv: string[], s: ServerContext): void {
  const numkeys = parseLong(argv[1]!);
  if (numkeys === null || numkeys < 1) return s.out.error(ERR_NUMKEYS);
  if (numkeys > argv.length - 2) return s.out.error(ERR_NUMKEYS_ARGS);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (eqi(argv[j]!, 'limit') && j + 1 < argv.length) {
      const n = nonNegativeOrReply(s, argv[++j]!, ERR_LIMIT_NEGATIVE);
      if (n === null) return;
      limit = n;
    } else {
      return s.out.error(ERR_SYNTAX);
    }
  }
  sinterGeneric(c, argv, s, 2, 2 + numkeys, null, true, limit);
}

/** SUNION key [key ...] */
function sunionCommand(c: Client, argv: string[], s: ServerContext): void {
  sunionDiffGeneric(c, argv, s, 1, null, false);
}

/** SUNIONSTORE destination key [key ...] */
function sunionstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  sunionDiffGeneric(c, argv, s, 2, argv[1]!, false);
}

/** SDIFF key [key ...] */
function sdiffCommand(c: Client, argv: string[], s: ServerContext): void {
  sunionDiffGeneric(c, argv, s, 1, null, true);
}

/** SDIFFSTORE destination key [key ...] */
function sdiffstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  sunionDiffGeneric(c, argv, s, 2, argv[1]!, true);
}

// ---- SSCAN -------------------------------------------------------------------------------------

const setCursors = new ElementCursors<string>();

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key (a
 * missing key is an empty scan, whatever the options), then the options. An intset comes
 * whole with cursor 0; a hashtable set is walked COUNT members per call.
 */
function sscanCommand(c: Client, argv: string[], s: ServerContext): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return s.out.error(ERR_INVALID_CURSOR);
  const set = setForRead(s, c.db, argv[1]!);
  if (set === null) return;
  if (set === undefined) return replyScan(s, 0, []);
  const opts = scanOptionsOrReply(s, argv);
  if (opts === null) return;
  const out: string[] = [];
  const keep = (m: string) => {
    if (opts.pattern === null || globMatch(opts.pattern, m)) out.push(m);
  };
  const map = set.scanMap();
  let next = 0;
  if (map === null) for (const m of set.members()) keep(m);
  else next = setCursors.step(cursor, map, map.size, () => map.keys(), opts.count, keep);
  replyScan(s, next, out);
}

// ---- the table ---------------------------------------------------------------------------------

const RO_ACCESS = [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }] as const;
const RO_ONLY = [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }] as const;
const RO_ALL = [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { lastKey: -1, keyStep: 1, limit: 0 } }] as const;

/** Key specs of the *STORE commands: the destination (with `dstFlags`), then every source. */
function storeSpecs(dstFlags: readonly ['RW' | 'OW', 'update']) {
  return [
    { flags: dstFlags, begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    { flags: ['RO', 'access'], begin: { index: 2 }, find: { lastKey: -1, keyStep: 1, limit: 0 } },
  ] as const;
}

export const setCommands = [
  { name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Add one or more members to a set',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    keySpecs: [{ flags: ['RW', 'insert'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: saddCommand },
  { name: 'srem', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Remove one or more members from a set', complexity: 'O(N) where N is the number of members to be removed.',
    keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: sremCommand },
  { name: 'sismember', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Determine if a given value is a member of a set', complexity: 'O(1)', keySpecs: RO_ONLY,
    handler: sismemberCommand },
  { name: 'smismember', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '6.2.0',
    summary: 'Returns the membership associated with the given elements for a set',
    complexity: 'O(N) where N is the number of elements being checked for membership', keySpecs: RO_ACCESS,
    handler: smismemberCommand },
  { name: 'scard', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Get the number of members in a set', complexity: 'O(1)', keySpecs: RO_ONLY, handler: scardCommand },
  { name: 'smembers', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Get all the members in a set', complexity: 'O(N) where N is the set cardinality.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ACCESS, handler: smembersCommand },
  { name: 'srandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Get one or multiple random members from a set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: srandmemberCommand },
  { name: 'spop', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Remove and return one or multiple random members from a set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    tips: ['nondeterministic_output'],
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: spopCommand },
  { name: 'smove', arity: 4, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, step: 1, group: 'set', since: '1.0.0',
    summary: 'Move a member from one set to another', complexity: 'O(1)',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    handler: smoveCommand },
  { name: 'sinter', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Intersect multiple sets',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ALL, handler: sinterCommand },
  { name: 'sunion', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Add multiple sets', complexity: 'O(N) where N is the total number of elements in all given sets.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ALL, handler: sunionCommand },
  { name: 'sdiff', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Subtract multiple sets', complexity: 'O(N) where N is the total number of elements in all given sets.',
    tips: ['nondeterministic_output_order'], keySpecs: RO_ALL, handler: sdiffCommand },
  { name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Intersect multiple sets and store the resulting set in a key',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    keySpecs: storeSpecs(['RW', 'update']), handler: sinterstoreCommand },
  { name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Add multiple sets and store the resulting set in a key',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    keySpecs: storeSpecs(['OW', 'update']), handler: sunionstoreCommand },
  { name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 1, group: 'set', since: '1.0.0',
    summary: 'Subtract multiple sets and store the resulting set in a key',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    keySpecs: storeSpecs(['OW', 'update']), handler: sdiffstoreCommand },
  { name: 'sintercard', arity: -3, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'set', since: '7.0.0',
    summary: 'Intersect multiple sets and return the cardinality of the result',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    handler: sintercardCommand },
  { name: 'sscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'set', since: '2.8.0',
    summary: 'Incrementally iterate Set elements',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: sscanCommand },
] as const satisfies readonly CommandSpec[];
