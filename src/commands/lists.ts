/**
 * List commands (Redis 7.0's t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX
 * LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP, and the blocking BLPOP BRPOP BLMOVE
 * BRPOPLPUSH BLMPOP.
 *
 * Contract
 * - A list is a ListValue (src/store/list.ts), a ring-buffer deque: pushes and pops at either
 *   end are O(1), and so is access by index anywhere (Redis: O(1) only near the ends).
 * - Replies, error texts and the order in which checks fail are Redis 7.0.15's: e.g. LRANGE
 *   parses its indexes before looking the key up, LINDEX and LSET look the key up first; a
 *   missing key answers LPOP with a null bulk, LPOP with a count with a null array.
 * - A list emptied by a command is deleted at once (Redis never keeps an empty aggregate).
 * - Elements are changed in place, so the key keeps its TTL; the Db.onWrite hook is called for
 *   every change (Redis's signalModifiedKey), and Db.set only for a new key.
 * - Reads that Redis does with lookupKeyRead (LLEN LRANGE LINDEX LPOS) count keyspace hits and
 *   misses; writes do not.
 * - LPUSH, LTRIM and LRANGE are a benchmark's "latest N" workload: no allocation beyond the
 *   reply on those paths.
 * - The blocking variants parse their arguments (the timeout last, except for BLMPOP's, read
 *   after its other arguments, as in Redis), then pop at once if a list has elements, exactly as
 *   their non-blocking forms. Otherwise they park the client through ServerContext.blocking
 *   with the function that serves it later, which is that same non-blocking code; when the
 *   client may not block (inside MULTI/EXEC) they answer as a timeout would: a null array
 *   (BLMOVE and BRPOPLPUSH: a null bulk, like LMOVE).
 */

import { NOTIFY_GENERIC, NOTIFY_LIST } from '../config/keyspace-events.ts';
import type { Db } from '../store/db.ts';
import { ListValue } from '../store/list.ts';
import { timeoutOrReply } from './timeout.ts';
import type { Client, CommandSpec, KeySpec, ServeFn, ServerContext } from './types.ts';
import { eqi, ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, ERR_NO_SUCH_KEY, parseInt64, typedForRead, typedForWrite } from './util.ts';

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_INDEX = 'ERR index out of range';
const ERR_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const ERR_COUNT_NEGATIVE = "ERR COUNT can't be negative";
const ERR_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';

/** An int64 clamped to ±2^53, which keeps every comparison with a list length intact. */
function clamp(n: number | bigint): number {
  if (typeof n === 'number') return n;
  return n < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/** The list at `key` for a read (counted as a hit or miss): undefined if missing, null after WRONGTYPE. */
function listForRead(s: ServerContext, db: Db, key: string): ListValue | undefined | null {
  return typedForRead(s, db, key, ListValue);
}

/** The list at `key` for a write: undefined if missing, null after WRONGTYPE. */
function listForWrite(s: ServerContext, db: Db, key: string): ListValue | undefined | null {
  return typedForWrite(s, db, key, ListValue);
}

/**
 * After elements were removed from the list at `key`: announces `event` (lpop, lrem…), then
 * deletes the key if the list is now empty ("del"), in Redis's order.
 */
function afterRemove(s: ServerContext, db: Db, key: string, list: ListValue, event: string): void {
  if (list.length === 0) db.delete(key);
  else db.touch(key);
  s.notify(NOTIFY_LIST, event, db, key);
  if (list.length === 0) s.notify(NOTIFY_GENERIC, 'del', db, key);
}

/** LEFT or RIGHT (any case) as true for the head; null after a syntax error. */
function whereOrReply(s: ServerContext, arg: string): boolean | null {
  if (eqi(arg, 'left')) return true;
  if (eqi(arg, 'right')) return false;
  s.out.error(ERR_SYNTAX);
  return null;
}

// ---- pushes ----------------------------------------------------------------------------------

/**
 * The body of LPUSH, RPUSH, LPUSHX and RPUSHX: pushes argv[2..] one by one at the head or the
 * tail (so LPUSH a b c leaves c b a), creating the list unless `xx`. Replies the new length,
 * or 0 when `xx` finds no list.
 */
function pushGeneric(c: Client, argv: string[], s: ServerContext, head: boolean, xx: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  const v = db.get(key, s.now);
  let list: ListValue;
  if (v === undefined) {
    if (xx) {
      s.out.int(0);
      return;
    }
    list = new ListValue(argv.length - 2);
  } else if (v instanceof ListValue) {
    list = v;
    if (argv.length > 3) list.reserve(argv.length - 2);
  } else {
    s.out.error(ERR_WRONGTYPE);
    return;
  }
  if (head) for (let i = 2; i < argv.length; i++) list.pushHead(argv[i]!);
  else for (let i = 2; i < argv.length; i++) list.pushTail(argv[i]!);
  if (v === undefined) db.set(key, list);
  else db.touch(key);
  // The reply, then the event (for a RESP3 client subscribed to its own events: Redis's order).
  s.out.int(list.length);
  s.notify(NOTIFY_LIST, head ? 'lpush' : 'rpush', db, key);
}

/** LPUSH key element [element ...] */
function lpushCommand(c: Client, argv: string[], s: ServerContext): void {
  pushGeneric(c, argv, s, true, false);
}

/** RPUSH key element [element ...] */
function rpushCommand(c: Client, argv: string[], s: ServerContext): void {
  pushGeneric(c, argv, s, false, false);
}

/** LPUSHX key element [element ...] */
function lpushxCommand(c: Client, argv: string[], s: ServerContext): void {
  pushGeneric(c, argv, s, true, true);
}

/** RPUSHX key element [element ...] */
function rpushxCommand(c: Client, argv: string[], s: ServerContext): void {
  pushGeneric(c, argv, s, false, true);
}

// ---- pops ------------------------------------------------------------------------------------

/**
 * Pops up to `count` elements from one end of `list` into the reply as an array, in popping
 * order, then deletes the key if the list is empty.
 */
function popRangeReply(s: ServerContext, db: Db, key: string, list: ListValue, head: boolean, count: number): void {
  const n = Math.min(count, list.length);
  s.out.arrayLen(n);
  for (let i = 0; i < n; i++) s.out.bulk((head ? list.popHead() : list.popTail())!);
  afterRemove(s, db, key, list, head ? 'lpop' : 'rpop');
}

/**
 * The body of LPOP and RPOP (Redis's popGenericCommand). Without a count: one element as a
 * bulk, or a null bulk for a missing key. With one: an array of up to count elements, a null
 * array for a missing key, an empty array for count 0. The count is checked before the key.
 */
function popGeneric(c: Client, argv: string[], s: ServerContext, head: boolean): void {
  if (argv.length > 3) {
    s.out.error(`ERR wrong number of arguments for '${head ? 'lpop' : 'rpop'}' command`);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = parseInt64(argv[2]!);
    if (n === null || n < 0) {
      s.out.error(ERR_POSITIVE);
      return;
    }
    count = clamp(n);
  }
  const db = c.db;
  const key = argv[1]!;
  const list = listForWrite(s, db, key);
  if (list === null) return;
  if (list === undefined) {
    if (count < 0) s.out.nullBulk();
    else s.out.nullArray();
    return;
  }
  if (count < 0) {
    s.out.bulk((head ? list.popHead() : list.popTail())!);
    afterRemove(s, db, key, list, head ? 'lpop' : 'rpop');
  } else if (count === 0) {
    s.out.arrayLen(0);
  } else {
    popRangeReply(s, db, key, list, head, count);
  }
}

/** LPOP key [count] */
function lpopCommand(c: Client, argv: string[], s: ServerContext): void {
  popGeneric(c, argv, s, true);
}

/** RPOP key [count] */
function rpopCommand(c: Client, argv: string[], s: ServerContext): void {
  popGeneric(c, argv, s, false);
}

// ---- reads -----------------------------------------------------------------------------------

/** LLEN key */
function llenCommand(c: Client, argv: string[], s: ServerContext): void {
  const list = listForRead(s, c.db, argv[1]!);
  if (list === null) return;
  s.out.int(list === undefined ? 0 : list.length);
}

/** LRANGE key start stop */
function lrangeCommand(c: Client, argv: string[], s: ServerContext): void {
  const startArg = parseInt64(argv[2]!);
  const endArg = startArg === null ? null : parseInt64(argv[3]!);
  if (startArg === null || endArg === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const list = listForRead(s, c.db, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    s.out.arrayLen(0);
    return;
  }
  const len = list.length;
  let start = clamp(startArg);
  let end = clamp(endArg);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    s.out.arrayLen(0);
    return;
  }
  if (end >= len) end = len - 1;
  const out = s.out;
  out.arrayLen(end - start + 1);
  for (let i = start; i <= end; i++) out.bulk(list.at(i));
}

/** An index argument made absolute (negative counts from the tail); out of range stays out. */
function absoluteIndex(n: number | bigint, len: number): number {
  const i = clamp(n);
  return i < 0 ? i + len : i;
}

/** LINDEX key index: the key is looked up before the index is parsed. */
function lindexCommand(c: Client, argv: string[], s: ServerContext): void {
  const list = listForRead(s, c.db, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    s.out.nullBulk();
    return;
  }
  const n = parseInt64(argv[2]!);
  if (n === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const i = absoluteIndex(n, list.length);
  if (i < 0 || i >= list.length) s.out.nullBulk();
  else s.out.bulk(list.at(i));
}

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
 *
 * Options are parsed before the key is looked up. RANK r skips the first |r|-1 matches,
 * searching from the tail when negative; COUNT n returns up to n matches as an array (0: all);
 * MAXLEN compares at most that many elements. Reported indexes always count from the head.
 * As in Redis 7.0.15, RANK -9223372036854775808 is accepted: it searches from the tail, skips
 * nothing, and (an overflow in Redis's stop test) ignores COUNT's limit.
 */
function lposCommand(c: Client, argv: string[], s: ServerContext): void {
  let rank = 1;
  let minRank = false;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    const more = j + 1 < argv.length;
    if (eqi(opt, 'rank') && more) {
      const r = parseInt64(argv[++j]!);
      if (r === null) {
        s.out.error(ERR_NOT_INT);
        return;
      }
      if (r === 0) {
        s.out.error(ERR_RANK_ZERO);
        return;
      }
      minRank = r === -9223372036854775808n;
      rank = clamp(r);
    } else if (eqi(opt, 'count') && more) {
      const n = parseInt64(argv[++j]!);
      if (n === null || n < 0) {
        s.out.error(ERR_COUNT_NEGATIVE);
        return;
      }
      count = clamp(n);
    } else if (eqi(opt, 'maxlen') && more) {
      const n = parseInt64(argv[++j]!);
      if (n === null || n < 0) {
        s.out.error(ERR_MAXLEN_NEGATIVE);
        return;
      }
      maxlen = clamp(n);
    } else {
      s.out.error(ERR_SYNTAX);
      return;
    }
  }
  const fromTail = rank < 0;
  if (minRank) rank = 1;
  else if (fromTail) rank = -rank;
  const list = listForRead(s, c.db, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    if (count >= 0) s.out.arrayLen(0);
    else s.out.nullBulk();
    return;
  }
  const ele = argv[2]!;
  const len = list.length;
  const scan = maxlen === 0 || maxlen > len ? len : maxlen;
  const found: number[] = [];
  let matches = 0;
  for (let k = 0; k < scan; k++) {
    const i = fromTail ? len - 1 - k : k;
    if (list.at(i) !== ele) continue;
    matches++;
    if (matches < rank) continue;
    found.push(i);
    if (count < 0) break;
    if (count !== 0 && !minRank && matches - rank + 1 >= count) break;
  }
  if (count < 0) {
    if (found.length === 0) s.out.nullBulk();
    else s.out.int(found[0]!);
    return;
  }
  s.out.arrayLen(found.length);
  for (const i of found) s.out.int(i);
}

// ---- in-place writes ---------------------------------------------------------------------------

/** LSET key index element: the key is looked up before the index is parsed. */
function lsetCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const list = listForWrite(s, db, key);
  if (list === null) return;
  if (list === undefined) {
    s.out.error(ERR_NO_SUCH_KEY);
    return;
  }
  const n = parseInt64(argv[2]!);
  if (n === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const i = absoluteIndex(n, list.length);
  if (i < 0 || i >= list.length) {
    s.out.error(ERR_INDEX);
    return;
  }
  list.setAt(i, argv[3]!);
  db.touch(key);
  s.out.ok();
  s.notify(NOTIFY_LIST, 'lset', db, key);
}

/** LINSERT key <BEFORE | AFTER> pivot element: the new length, 0 for no list, -1 for no pivot. */
function linsertCommand(c: Client, argv: string[], s: ServerContext): void {
  let after: boolean;
  if (eqi(argv[2]!, 'after')) after = true;
  else if (eqi(argv[2]!, 'before')) after = false;
  else {
    s.out.error(ERR_SYNTAX);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const list = listForWrite(s, db, key);
  if (list === null) return;
  if (list === undefined) {
    s.out.int(0);
    return;
  }
  const at = list.indexOf(argv[3]!);
  if (at < 0) {
    s.out.int(-1);
    return;
  }
  list.insertAt(after ? at + 1 : at, argv[4]!);
  db.touch(key);
  s.notify(NOTIFY_LIST, 'linsert', db, key);
  s.out.int(list.length);
}

/** LREM key count element */
function lremCommand(c: Client, argv: string[], s: ServerContext): void {
  const n = parseInt64(argv[2]!);
  if (n === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const list = listForWrite(s, db, key);
  if (list === null) return;
  if (list === undefined) {
    s.out.int(0);
    return;
  }
  const removed = list.removeEqual(argv[3]!, clamp(n));
  if (removed !== 0) afterRemove(s, db, key, list, 'lrem');
  s.out.int(removed);
}

/** LTRIM key start stop: keeps [start, stop] (Redis's index rules); an empty range deletes the key. */
function ltrimCommand(c: Client, argv: string[], s: ServerContext): void {
  const startArg = parseInt64(argv[2]!);
  const endArg = startArg === null ? null : parseInt64(argv[3]!);
  if (startArg === null || endArg === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  const db = c.db;
  const key = argv[1]!;
  const list = listForWrite(s, db, key);
  if (list === null) return;
  if (list !== undefined) {
    const len = list.length;
    let start = clamp(startArg);
    let end = clamp(endArg);
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      list.keepRange(0, 0);
    } else {
      if (end >= len) end = len - 1;
      if (start !== 0 || end !== len - 1) list.keepRange(start, end - start + 1);
    }
    afterRemove(s, db, key, list, 'ltrim');
  }
  s.out.ok();
}

// ---- moving between lists ----------------------------------------------------------------------

/**
 * The body of LMOVE and RPOPLPUSH: pops from one end of `src` and pushes onto one end of `dst`
 * (which may be the same list: a rotation). A missing source answers a null bulk without
 * looking at the destination; a destination of another type is WRONGTYPE with nothing moved.
 */
function lmoveGeneric(c: Client, s: ServerContext, src: string, dst: string, fromHead: boolean, toHead: boolean): void {
  const db = c.db;
  const from = listForWrite(s, db, src);
  if (from === null) return;
  if (from === undefined) {
    s.out.nullBulk();
    return;
  }
  const to = listForWrite(s, db, dst);
  if (to === null) return;
  const value = (fromHead ? from.popHead() : from.popTail())!;
  const target = to ?? new ListValue();
  if (toHead) target.pushHead(value);
  else target.pushTail(value);
  if (to === undefined) db.set(dst, target);
  else db.touch(dst);
  // Redis's order: the push event, the reply, then the pop event (and "del").
  s.notify(NOTIFY_LIST, toHead ? 'lpush' : 'rpush', db, dst);
  s.out.bulk(value);
  if (from !== to) afterRemove(s, db, src, from, fromHead ? 'lpop' : 'rpop');
  else s.notify(NOTIFY_LIST, fromHead ? 'lpop' : 'rpop', db, src);
}

/** LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> */
function lmoveCommand(c: Client, argv: string[], s: ServerContext): void {
  const fromHead = whereOrReply(s, argv[3]!);
  if (fromHead === null) return;
  const toHead = whereOrReply(s, argv[4]!);
  if (toHead === null) return;
  lmoveGeneric(c, s, argv[1]!, argv[2]!, fromHead, toHead);
}

/** RPOPLPUSH source destination */
function rpoplpushCommand(c: Client, argv: string[], s: ServerContext): void {
  lmoveGeneric(c, s, argv[1]!, argv[2]!, false, true);
}

/** LMPOP's and BLMPOP's arguments after numkeys: the keys, the end to pop from, the count. */
interface MpopArgs {
  readonly keys: string[];
  readonly head: boolean;
  readonly count: number;
}

/**
 * Parses `numkeys key [key ...] <LEFT | RIGHT> [COUNT count]` starting at argv[at] (Redis's
 * lmpopGenericCommand): numkeys, then the direction, then COUNT (default 1). Null after an error.
 */
function mpopArgsOrReply(s: ServerContext, argv: string[], at: number): MpopArgs | null {
  const nk = parseInt64(argv[at]!);
  if (nk === null || nk < 1) {
    s.out.error(ERR_NUMKEYS);
    return null;
  }
  const whereAt = at + 1 + clamp(nk);
  if (whereAt >= argv.length) {
    s.out.error(ERR_SYNTAX);
    return null;
  }
  const head = whereOrReply(s, argv[whereAt]!);
  if (head === null) return null;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && eqi(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]!);
      if (n === null || n < 1) {
        s.out.error(ERR_COUNT_POSITIVE);
        return null;
      }
      count = clamp(n);
    } else {
      s.out.error(ERR_SYNTAX);
      return null;
    }
  }
  return { keys: argv.slice(at + 1, whereAt), head, count: count === -1 ? 1 : count };
}

/**
 * Pops from the non-empty list at `key` and replies with the key: [key, element] for
 * BLPOP/BRPOP (`count` -1), [key, [elements]] for LMPOP/BLMPOP.
 */
function popWithKeyReply(s: ServerContext, db: Db, key: string, list: ListValue, head: boolean, count: number): void {
  s.out.arrayLen(2);
  s.out.bulk(key);
  // Propagated as the plain pop it was (Redis 7.0: BLPOP → LPOP key, LMPOP → LPOP key n).
  const pop = head ? 'LPOP' : 'RPOP';
  s.propagateAs(count >= 0 ? [pop, key, String(Math.min(count, list.length))] : [pop, key]);
  if (count >= 0) {
    popRangeReply(s, db, key, list, head, count);
    return;
  }
  s.out.bulk((head ? list.popHead() : list.popTail())!);
  afterRemove(s, db, key, list, head ? 'lpop' : 'rpop');
}

/**
 * Pops from the first of `keys` holding a list (Redis's blockingPopGenericCommand and
 * mpopGenericCommand): true when it replied (with the pop, or WRONGTYPE for a key of another
 * type met first), false when every key is missing.
 */
function popFirst(s: ServerContext, db: Db, keys: readonly string[], head: boolean, count: number): boolean {
  for (const key of keys) {
    const list = listForWrite(s, db, key);
    if (list === null) return true;
    if (list === undefined) continue;
    popWithKeyReply(s, db, key, list, head, count);
    return true;
  }
  return false;
}

/** Serves a client blocked by BLPOP, BRPOP or BLMPOP once `key` holds a list (see ServeFn). */
function popServer(head: boolean, count: number): ServeFn {
  return (c, key, s) => popWithKeyReply(s, c.db, key, c.db.get(key, s.now) as ListValue, head, count);
}

/**
 * The body of BLPOP, BRPOP and BLMPOP: pops at once if it can, else blocks on the keys
 * (`deadline` from timeoutOrReply), or answers a null array where it may not block.
 */
function blockingPopGeneric(c: Client, s: ServerContext, keys: string[], head: boolean, count: number, deadline: number): void {
  if (popFirst(s, c.db, keys, head, count)) return;
  if (!s.blocking.block(c, keys, 'list', deadline, popServer(head, count))) s.out.nullArray();
}

/**
 * LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
 *
 * Pops up to count (default 1) elements from the first non-empty list among the keys, and
 * answers [key, [elements]]; a null array when every key is missing. A key of another type
 * met before a list is WRONGTYPE.
 */
function lmpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const a = mpopArgsOrReply(s, argv, 1);
  if (a === null) return;
  if (!popFirst(s, c.db, a.keys, a.head, a.count)) s.out.nullArray();
}

/** BLPOP key [key ...] timeout */
function blpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const deadline = timeoutOrReply(s.out, argv[argv.length - 1]!, s.now);
  if (deadline === null) return;
  blockingPopGeneric(c, s, argv.slice(1, -1), true, -1, deadline);
}

/** BRPOP key [key ...] timeout */
function brpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const deadline = timeoutOrReply(s.out, argv[argv.length - 1]!, s.now);
  if (deadline === null) return;
  blockingPopGeneric(c, s, argv.slice(1, -1), false, -1, deadline);
}

/** BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]: the timeout is read last. */
function blmpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const a = mpopArgsOrReply(s, argv, 2);
  if (a === null) return;
  const deadline = timeoutOrReply(s.out, argv[1]!, s.now);
  if (deadline === null) return;
  blockingPopGeneric(c, s, a.keys, a.head, a.count, deadline);
}

/**
 * The body of BLMOVE and BRPOPLPUSH: LMOVE at once when the source has elements (a destination
 * of another type is then WRONGTYPE), else block on the source alone. Served later by LMOVE's
 * own code, so a destination that meanwhile became another type answers WRONGTYPE and leaves
 * the element in the source, as Redis's serveClientBlockedOnList does.
 */
function blmoveGeneric(c: Client, s: ServerContext, src: string, dst: string, fromHead: boolean, toHead: boolean,
                       deadline: number, moveAs: string[]): void {
  const from = listForWrite(s, c.db, src);
  if (from === null) return;
  if (from !== undefined) {
    s.propagateAs(moveAs);
    lmoveGeneric(c, s, src, dst, fromHead, toHead);
    return;
  }
  // Served later, Redis 7.0 writes the ends in lower case whatever the client sent.
  const served = moveAs[0] === 'RPOPLPUSH' ? moveAs : ['LMOVE', src, dst, fromHead ? 'left' : 'right', toHead ? 'left' : 'right'];
  const serve: ServeFn = (cl, _key, sv) => {
    sv.propagateAs(served);
    lmoveGeneric(cl, sv, src, dst, fromHead, toHead);
  };
  if (!s.blocking.block(c, [src], 'list', deadline, serve)) s.out.nullBulk();
}

/** BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout */
function blmoveCommand(c: Client, argv: string[], s: ServerContext): void {
  const fromHead = whereOrReply(s, argv[3]!);
  if (fromHead === null) return;
  const toHead = whereOrReply(s, argv[4]!);
  if (toHead === null) return;
  const deadline = timeoutOrReply(s.out, argv[5]!, s.now);
  if (deadline === null) return;
  blmoveGeneric(c, s, argv[1]!, argv[2]!, fromHead, toHead, deadline, ['LMOVE', ...argv.slice(1, 5)]);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: Client, argv: string[], s: ServerContext): void {
  const deadline = timeoutOrReply(s.out, argv[3]!, s.now);
  if (deadline === null) return;
  blmoveGeneric(c, s, argv[1]!, argv[2]!, false, true, deadline, ['RPOPLPUSH', argv[1]!, argv[2]!]);
}

// ---- the table ---------------------------------------------------------------------------------

/** A key spec for the one key at argv[index]. */
function keyAt(index: number, flags: KeySpec['flags']): KeySpec {
  return { flags, begin: { index }, find: { lastKey: 0, keyStep: 1, limit: 0 } };
}

const RW_INSERT = [keyAt(1, ['RW', 'insert'])];
const RW_ACCESS_DELETE = [keyAt(1, ['RW', 'access', 'delete'])];
const RO_ACCESS = [keyAt(1, ['RO', 'access'])];
const RW_DELETE = [keyAt(1, ['RW', 'delete'])];
const MOVE_KEYS = [keyAt(1, ['RW', 'access', 'delete']), keyAt(2, ['RW', 'insert'])];
/** BLPOP and BRPOP: every argument but the last (the timeout) is a key. */
const BLOCKING_POP_KEYS = [
  { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: -2, keyStep: 1, limit: 0 } },
] as const satisfies readonly KeySpec[];
const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

export const listCommands = [
  { name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Prepend one or multiple elements to a list', complexity: PUSH_COMPLEXITY, keySpecs: RW_INSERT,
    handler: lpushCommand },
  { name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Append one or multiple elements to a list', complexity: PUSH_COMPLEXITY, keySpecs: RW_INSERT,
    handler: rpushCommand },
  { name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '2.2.0',
    summary: 'Prepend an element to a list, only if the list exists', complexity: PUSH_COMPLEXITY, keySpecs: RW_INSERT,
    handler: lpushxCommand },
  { name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '2.2.0',
    summary: 'Append an element to a list, only if the list exists', complexity: PUSH_COMPLEXITY, keySpecs: RW_INSERT,
    handler: rpushxCommand },
  { name: 'lpop', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Remove and get the first elements in a list', complexity: 'O(N) where N is the number of elements returned',
    keySpecs: RW_ACCESS_DELETE, handler: lpopCommand },
  { name: 'rpop', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Remove and get the last elements in a list', complexity: 'O(N) where N is the number of elements returned',
    keySpecs: RW_ACCESS_DELETE, handler: rpopCommand },
  { name: 'llen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Get the length of a list', complexity: 'O(1)', keySpecs: [keyAt(1, ['RO'])], handler: llenCommand },
  { name: 'lrange', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Get a range of elements from a list',
    complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    keySpecs: RO_ACCESS, handler: lrangeCommand },
  { name: 'lindex', arity: 3, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Get an element from a list by its index',
    complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    keySpecs: RO_ACCESS, handler: lindexCommand },
  { name: 'lset', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Set the value of an element in a list by its index',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    keySpecs: [keyAt(1, ['RW', 'update'])], handler: lsetCommand },
  { name: 'linsert', arity: 5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '2.2.0',
    summary: 'Insert an element before or after another element in a list',
    complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    keySpecs: RW_INSERT, handler: linsertCommand },
  { name: 'lrem', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Remove elements from a list',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    keySpecs: RW_DELETE, handler: lremCommand },
  { name: 'ltrim', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '1.0.0',
    summary: 'Trim a list to the specified range',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    keySpecs: RW_DELETE, handler: ltrimCommand },
  { name: 'lpos', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'list', since: '6.0.6',
    summary: 'Return the index of matching elements on a list',
    complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    keySpecs: RO_ACCESS, handler: lposCommand },
  { name: 'lmove', arity: 5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, step: 1, group: 'list', since: '6.2.0',
    summary: 'Pop an element from a list, push it to another list and return it', complexity: 'O(1)',
    keySpecs: MOVE_KEYS, handler: lmoveCommand },
  { name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, step: 1, group: 'list', since: '1.2.0',
    summary: 'Remove the last element in a list, prepend it to another list and return it', complexity: 'O(1)',
    keySpecs: MOVE_KEYS, handler: rpoplpushCommand },
  { name: 'lmpop', arity: -4, flags: ['write'], firstKey: 0, lastKey: 0, step: 0, group: 'list', since: '7.0.0',
    summary: 'Pop elements from a list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    handler: lmpopCommand },
  { name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], firstKey: 1, lastKey: -2, step: 1, group: 'list', since: '2.0.0',
    summary: 'Remove and get the first element in a list, or block until one is available',
    complexity: 'O(N) where N is the number of provided keys.', keySpecs: BLOCKING_POP_KEYS, handler: blpopCommand },
  { name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], firstKey: 1, lastKey: -2, step: 1, group: 'list', since: '2.0.0',
    summary: 'Remove and get the last element in a list, or block until one is available',
    complexity: 'O(N) where N is the number of provided keys.', keySpecs: BLOCKING_POP_KEYS, handler: brpopCommand },
  { name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], firstKey: 1, lastKey: 2, step: 1, group: 'list',
    since: '6.2.0', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    complexity: 'O(1)', keySpecs: MOVE_KEYS, handler: blmoveCommand },
  { name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], firstKey: 1, lastKey: 2, step: 1, group: 'list',
    since: '2.2.0', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    complexity: 'O(1)', keySpecs: MOVE_KEYS, handler: brpoplpushCommand },
  { name: 'blmpop', arity: -5, flags: ['write', 'blocking'], firstKey: 0, lastKey: 0, step: 0, group: 'list', since: '7.0.0',
    summary: 'Pop elements from a list, or block until one is available',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 2 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    handler: blmpopCommand },
] as const satisfies readonly CommandSpec[];
