/**
 * Sorted-set commands (Redis 7.0's t_zset.c): ZADD ZINCRBY ZREM ZCARD ZCOUNT ZLEXCOUNT ZSCORE
 * ZMSCORE ZRANK ZREVRANK, the ZRANGE family (ZRANGE with BYSCORE BYLEX REV LIMIT, ZRANGESTORE,
 * ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX),
 * ZREMRANGEBYRANK/SCORE/LEX, ZPOPMIN ZPOPMAX ZMPOP and the blocking BZPOPMIN BZPOPMAX BZMPOP,
 * the set algebra (ZUNION ZINTER ZDIFF, their STORE forms, ZINTERCARD), ZRANDMEMBER and ZSCAN.
 *
 * Contract
 * - Replies and error texts are Redis 7.0.15's, with its argument checks in its order: options
 *   and numbers first, then the key. Sorted-set replies are deterministic (score, then member
 *   bytes), so they match Redis byte for byte; only random picks and ZSCAN cursors of large
 *   sets differ.
 * - Scores are doubles, answered as Redis 7.0 does (%.17g; "inf", "-inf"): a bulk string in
 *   RESP2, a double in RESP3. WITHSCORES replies are flat in RESP2 and [member, score] pairs in
 *   RESP3. Score arguments follow Redis's two parsers: string2d for ZADD/ZINCRBY/WEIGHTS (no
 *   spaces, no overflow to inf or underflow to 0) and plain strtod for range bounds (leading
 *   spaces and "" allowed, "(" for exclusive).
 * - Lexicographic ranges ('[' inclusive, '(' exclusive, '-' and '+' the ends) compare bytes.
 *   Like Redis, they assume every member has the same score; otherwise the result is
 *   unspecified (and may differ from Redis's).
 * - An emptied sorted set is deleted with its key. Commands that change a set in place keep
 *   the key's TTL; the store commands replace the destination (dropping its TTL) or delete it
 *   when the result is empty. The set algebra accepts plain sets as inputs (score 1).
 * - The compact flag (src/store/zset.ts) mirrors Redis's listpack encoding where clients can
 *   see it: ZSCAN of a compact set is answered whole with cursor 0, and a compact set stores a
 *   score of -0 as 0.
 * - Leaderboards (ZINCRBY, ZREVRANGE 0 9 WITHSCORES, ZREVRANK) are a benchmark scenario: those
 *   paths do O(log N) work and allocate little beyond the reply.
 * - The blocking pops pop at once when a key has members, else park the client through
 *   ServerContext.blocking with the function that serves it later (the same pop code); where
 *   the client may not block (inside MULTI/EXEC) they answer a null array, as a timeout.
 *   BZMPOP reads its timeout after its other arguments, BZPOPMIN/BZPOPMAX before the keys.
 */

import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../config/keyspace-events.ts';
import { formatDouble, type ReplyWriter } from '../protocol/writer.ts';
import type { Db } from '../store/db.ts';
import { ElementCursors } from '../store/elementscan.ts';
import { globMatch } from '../store/glob.ts';
import { SetValue } from '../store/set.ts';
import { ScoreTree, ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE, ZSet } from '../store/zset.ts';
import { parseCursor } from './keys.ts';
import {
  countInLongRangeOrReply, ERR_LIMIT_NEGATIVE, nonNegativeOrReply, parseLong, replyScan, scanOptionsOrReply,
} from './sets.ts';
import { timeoutOrReply } from './timeout.ts';
import type { Client, CommandSpec, ServeFn, ServerContext } from './types.ts';
import { eqi, ERR_NOT_FLOAT, ERR_NOT_INT, ERR_SYNTAX, ERR_WRONGTYPE, parseFloatArg, parseInt64, typedForRead, typedForWrite } from './util.ts';

const ERR_NAN = 'ERR resulting score is not a number (NaN)';
const ERR_XX_NX = 'ERR XX and NX options at the same time are not compatible';
const ERR_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
const ERR_INCR_PAIR = 'ERR INCR option supports a single increment-element pair';
const ERR_MINMAX_FLOAT = 'ERR min or max is not a float';
const ERR_MINMAX_LEX = 'ERR min or max not valid string range item';
const ERR_LIMIT_RANK = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
const ERR_WITHSCORES_LEX = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
const ERR_WEIGHT = 'ERR weight value is not a float';
const ERR_OUT_OF_RANGE = 'ERR value is out of range';
const ERR_INVALID_CURSOR = 'ERR invalid cursor';

/** ZRANDMEMBER copies the whole set when it wants more than a third of it (ZRANDMEMBER_SUB_STRATEGY_MUL). */
const ZRANDMEMBER_SUB_STRATEGY_MUL = 3;
/** LONG_MAX / 2: the largest ZRANDMEMBER count that may come WITHSCORES. */
const HALF_LONG_MAX = 4611686018427387903n;

// ---- scores --------------------------------------------------------------------------------------

/**
 * A score, increment or weight as Redis's string2d reads it: the whole argument is a decimal,
 * exponent or hex float, or an inf spelling; no leading space, no NaN, and no value that
 * overflows to infinity or underflows to zero. Null when invalid.
 */
function parseScore(arg: string): number | null {
  const v = parseFloatArg(arg);
  if (v === null) return null;
  if (v === Infinity || v === -Infinity) {
    const l = arg.toLowerCase();
    return /^[+-]?inf(inity)?$/.test(l) ? v : null;
  }
  if (v === 0) {
    // strtod reports a non-zero mantissa that rounds to 0 as an underflow (ERANGE).
    const hex = /^[+-]?0x/i.test(arg);
    const mant = arg.replace(hex ? /p.*$/i : /e.*$/i, '').replace(/^[+-]?(0x)?/i, '');
    if ((hex ? /[1-9a-f]/i : /[1-9]/).test(mant)) return null;
  }
  return v;
}

/** C's isspace in the C locale. */
function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * A range bound as zslParseRange reads it: strtod over the C string (up to a NUL byte), which
 * must consume all of it. Leading spaces are skipped; the empty string is 0; NaN is refused.
 */
function parseBound(text: string): number | null {
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  if (text.length === 0) return 0;
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return null;
  return parseFloatArg(i === 0 ? text : text.slice(i));
}

/** A score reply: integers without a detour through %.17g (the common case), else formatDouble. */
function replyScore(out: ReplyWriter, d: number): void {
  if (Number.isSafeInteger(d) && !Object.is(d, -0)) {
    const t = String(d);
    if (out.resp === 3) out.raw(`,${t}\r\n`);
    else out.bulk(t);
  } else {
    out.double(d);
  }
}

// ---- ranges --------------------------------------------------------------------------------------

interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

function parseScoreRange(minArg: string, maxArg: string): ScoreRange | null {
  const minex = minArg.charCodeAt(0) === 40; // '('
  const maxex = maxArg.charCodeAt(0) === 40;
  const min = parseBound(minex ? minArg.slice(1) : minArg);
  const max = parseBound(maxex ? maxArg.slice(1) : maxArg);
  if (min === null || max === null) return null;
  return { min, max, minex, maxex };
}

/** The forward ranks [lo, hi) of the members whose scores are in `r`. */
function scoreRanks(z: ZSet, r: ScoreRange): [number, number] {
  const { min, max } = r;
  const lo = z.tree.countWhere(r.minex ? (s) => s <= min : (s) => s < min);
  const hi = z.tree.countWhere(r.maxex ? (s) => s < max : (s) => s <= max);
  return [lo, Math.max(lo, hi)];
}

/** A lex bound: '-' (below everything), '+' (above everything), or a string, inclusive or not. */
interface LexBound {
  readonly end: -1 | 0 | 1;
  readonly value: string;
  readonly ex: boolean;
}

const LEX_MIN: LexBound = { end: -1, value: '', ex: true };
const LEX_MAX: LexBound = { end: 1, value: '', ex: true };

/** Redis's zslParseLexRangeItem ('+' and '-' alone, as C strings; '[' or '(' and bytes). */
function parseLexBound(arg: string): LexBound | null {
  const c0 = arg.charCodeAt(0);
  if (c0 === 43 || c0 === 45) { // '+' '-'
    if (arg.length > 1 && arg.charCodeAt(1) !== 0) return null;
    return c0 === 43 ? LEX_MAX : LEX_MIN;
  }
  if (c0 === 40) return { end: 0, value: arg.slice(1), ex: true }; // '('
  if (c0 === 91) return { end: 0, value: arg.slice(1), ex: false }; // '['
  return null;
}

/** Redis's sdscmplex: '-' is below and '+' above every string, and each equals itself. */
function compareLex(a: LexBound, b: LexBound): number {
  if (a.end !== 0 || b.end !== 0) {
    if (a.end === b.end) return 0;
    return a.end < 0 || b.end > 0 ? -1 : 1;
  }
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

const NOTHING: [number, number] = [0, -1];

/**
 * The forward ranks [from, to] (from > to: none) that a lex range selects, after skipping
 * `offset` members and taking at most `limit` (negative: all) from the start of the walk,
 * which is the low end, or the high end when `reverse`.
 *
 * When every member has the same score, this is simply the members between the bounds. With
 * mixed scores Redis's answer is unspecified but deterministic for a listpack-encoded (compact)
 * set, whose walk is followed here step by step: find the first member >= min from the head
 * (the last <= max from the tail when reversed), give up unless it is also within the other
 * bound, skip `offset` members unchecked, then take members while they stay within the far
 * bound. Larger sets are answered by rank arithmetic, which equals Redis's skip-list walk when
 * scores are equal (and is as unspecified as it when they are not).
 */
function lexRange(z: ZSet, min: LexBound, max: LexBound, reverse: boolean, offset: number, limit: number): [number, number] {
  const cmp = compareLex(min, max);
  if (offset < 0 || limit === 0 || cmp > 0 || (cmp === 0 && (min.ex || max.ex))) return NOTHING;
  const { value: lo, ex: loEx, end: loEnd } = min;
  const { value: hi, ex: hiEx, end: hiEnd } = max;
  const gteMin = (m: string) => (loEnd !== 0 ? loEnd < 0 : loEx ? m > lo : m >= lo);
  const lteMax = (m: string) => (hiEnd !== 0 ? hiEnd > 0 : hiEx ? m < hi : m <= hi);
  const size = z.size;
  const tree = z.tree;
  // zslIsInLexRange: a range that misses the set's two ends selects nothing.
  if (!gteMin(tree.memberAt(size - 1)) || !lteMax(tree.memberAt(0))) return NOTHING;
  const take = (n: number) => limit < 0 || n < limit;
  if (!z.compact) {
    const first = tree.countWhere(loEnd !== 0 ? () => loEnd > 0 : loEx ? (_s, m) => m <= lo : (_s, m) => m < lo);
    const after = tree.countWhere(hiEnd !== 0 ? () => hiEnd > 0 : hiEx ? (_s, m) => m < hi : (_s, m) => m <= hi);
    const avail = after - first - offset;
    if (avail <= 0) return NOTHING;
    const n = limit < 0 ? avail : Math.min(limit, avail);
    const from = reverse ? after - offset - n : first + offset;
    return [from, from + n - 1];
  }
  const [ms] = tree.toArrays();
  if (!reverse) {
    let i = 0;
    while (i < size && !gteMin(ms[i]!)) i++;
    if (i === size || !lteMax(ms[i]!)) return NOTHING;
    const from = i + offset;
    let to = from - 1;
    for (let n = 0; to + 1 < size && take(n) && lteMax(ms[to + 1]!); n++) to++;
    return [from, to];
  }
  let j = size - 1;
  while (j >= 0 && !lteMax(ms[j]!)) j--;
  if (j < 0 || !gteMin(ms[j]!)) return NOTHING;
  const to = j - offset;
  let from = to + 1;
  for (let n = 0; from - 1 >= 0 && take(n) && gteMin(ms[from - 1]!); n++) from--;
  return [from, to];
}

// ---- lookups -----------------------------------------------------------------------------------

/** A sorted set for a read (counted as hit or miss): undefined if missing, null after WRONGTYPE. */
function zsetForRead(s: ServerContext, db: Db, key: string): ZSet | undefined | null {
  return typedForRead(s, db, key, ZSet);
}

/** A sorted set for a write (no hit/miss accounting): undefined if missing, null after WRONGTYPE. */
function zsetForWrite(s: ServerContext, db: Db, key: string): ZSet | undefined | null {
  return typedForWrite(s, db, key, ZSet);
}

/**
 * After removing members: deletes the key of an emptied set, else signals the change; when
 * something was removed, announces `event` (zrem…; null: announced already, as pops do), then
 * "del" for an emptied set.
 */
function afterRemove(s: ServerContext, db: Db, key: string, z: ZSet, removed: number, event: string | null): void {
  if (z.size === 0) db.delete(key);
  else if (removed > 0) db.replace(key, z);
  if (removed > 0 && event !== null) s.notify(NOTIFY_ZSET, event, db, key);
  if (z.size === 0) s.notify(NOTIFY_GENERIC, 'del', db, key);
}

/** An empty store result: the destination is deleted, if it was there ("del"; as Redis, even if its TTL had passed). */
function deleteStored(s: ServerContext, db: Db, dst: string): void {
  if (db.delete(dst)) s.notify(NOTIFY_GENERIC, 'del', db, dst);
}

/**
 * The end of every store command: a non-empty result replaces the destination (dropping its
 * TTL, Redis's setKey) and its size is the reply; an empty one deletes the destination, reply 0.
 */
function storeResult(db: Db, s: ServerContext, dst: string, members: string[], scores: number[], event: string): void {
  if (members.length > 0) {
    if (db.expires.size !== 0) db.expireIfNeeded(dst, s.now);
    db.set(dst, ZSet.fromSorted(members, scores));
    s.out.int(members.length);
    s.notify(NOTIFY_ZSET, event, db, dst);
  } else {
    s.out.int(0);
    deleteStored(s, db, dst);
  }
}

/**
 * ZRANGESTORE's end: stores ranks from..to of `z` (none when from > to) as Redis builds its
 * result, adding the members one by one in reply order (from the high end when `reverse`) to a
 * set that starts compact unless told otherwise (a rank range of more than 128 members starts
 * as a skip list). So a -0 score loses its sign exactly when it was added while the result was
 * still compact, even if the result stops being compact later on.
 */
function storeRange(db: Db, s: ServerContext, dst: string, z: ZSet, from: number, to: number, reverse: boolean,
                    startCompact: boolean): void {
  const members: string[] = [];
  const scores: number[] = [];
  if (from <= to) {
    z.tree.visit(from, to, false, (m, sc) => {
      members.push(m);
      scores.push(sc);
    });
  }
  const n = members.length;
  let compact = startCompact;
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    if (compact && (k >= ZSET_MAX_LISTPACK_ENTRIES || members[i]!.length > ZSET_MAX_LISTPACK_VALUE)) compact = false;
    if (compact && scores[i] === 0) scores[i] = 0; // -0 → 0
  }
  if (n > 0) {
    if (db.expires.size !== 0) db.expireIfNeeded(dst, s.now);
    const dict = new Map<string, number>();
    for (let i = 0; i < n; i++) dict.set(members[i]!, scores[i]!);
    db.set(dst, new ZSet(compact, dict, ScoreTree.fromSorted(members, scores)));
    s.out.int(n);
    s.notify(NOTIFY_ZSET, 'zrangestore', db, dst);
  } else {
    s.out.int(0);
    deleteStored(s, db, dst);
  }
}

/** The array header of `n` members, with their scores or not, in the client's dialect. */
function replyPairsLen(out: ReplyWriter, n: number, withscores: boolean): void {
  out.arrayLen(withscores && out.resp === 2 ? n * 2 : n);
}

/** One member of a WITHSCORES-able reply: a [member, score] pair in RESP3, flat in RESP2. */
function replyPair(out: ReplyWriter, member: string, score: number, withscores: boolean): void {
  if (!withscores) return out.bulk(member);
  if (out.resp === 3) out.arrayLen(2);
  out.bulk(member);
  replyScore(out, score);
}

// ---- ZADD and ZINCRBY ----------------------------------------------------------------------------

const ZADD_NX = 1;
const ZADD_XX = 2;
const ZADD_GT = 4;
const ZADD_LT = 8;
const ZADD_INCR = 16;
const ZADD_CH = 32;

/** The ZADD option a word names (case-insensitive), or 0. */
function zaddOption(arg: string): number {
  if (arg.length !== 2 && arg.length !== 4) return 0;
  switch (arg.toLowerCase()) {
    case 'nx': return ZADD_NX;
    case 'xx': return ZADD_XX;
    case 'gt': return ZADD_GT;
    case 'lt': return ZADD_LT;
    case 'ch': return ZADD_CH;
    case 'incr': return ZADD_INCR;
    default: return 0;
  }
}

/**
 * The body of ZADD and ZINCRBY (Redis's zaddGenericCommand). Options are read from argv[2] up
 * to the first word that is not one (so `ZINCRBY key nx m` is a syntax error, as in Redis);
 * then come score/member pairs, all scores validated before the key is touched.
 *
 * Per member: NX skips existing members, XX skips new ones, GT/LT skip updates that do not
 * raise/lower the score (checked after INCR adds the increment), and an unchanged score is no
 * update. The reply counts added members (plus updated ones with CH), or with INCR is the new
 * score, null when the member was skipped.
 */
function zaddGeneric(c: Client, argv: string[], s: ServerContext, flags: number): void {
  let at = 2;
  for (; at < argv.length; at++) {
    const f = zaddOption(argv[at]!);
    if (f === 0) break;
    flags |= f;
  }
  const pairs = argv.length - at;
  if (pairs === 0 || pairs % 2 !== 0) return s.out.error(ERR_SYNTAX);
  const n = pairs / 2;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const incr = (flags & ZADD_INCR) !== 0;
  if (nx && xx) return s.out.error(ERR_XX_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return s.out.error(ERR_GT_LT_NX);
  if (incr && n > 1) return s.out.error(ERR_INCR_PAIR);
  let single = 0;
  let scores: number[] | null = null;
  if (n === 1) {
    const v = parseScore(argv[at]!);
    if (v === null) return s.out.error(ERR_NOT_FLOAT);
    single = v;
  } else {
    scores = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      const v = parseScore(argv[at + j * 2]!);
      if (v === null) return s.out.error(ERR_NOT_FLOAT);
      scores[j] = v;
    }
  }

  const db = c.db;
  const key = argv[1]!;
  let z = zsetForWrite(s, db, key);
  if (z === null) return;
  const existed = z !== undefined;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  if (z === undefined) {
    if (xx) return incr ? s.out.nullBulk() : s.out.int(0);
    z = new ZSet();
    db.set(key, z);
  }
  for (let j = 0; j < n; j++) {
    const score = scores === null ? single : scores[j]!;
    const member = argv[at + j * 2 + 1]!;
    const cur = z.score(member);
    if (cur === undefined) {
      if (xx) continue;
      z.add(member, score);
      added++;
      processed++;
      last = score;
      continue;
    }
    if (nx) continue;
    let next = score;
    if (incr) {
      next = cur + score;
      if (Number.isNaN(next)) {
        if (existed && added + updated > 0) db.replace(key, z);
        if (added + updated > 0) s.notify(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', db, key);
        return s.out.error(ERR_NAN);
      }
    }
    if ((lt && next >= cur) || (gt && next <= cur)) continue;
    processed++;
    last = next;
    if (next !== cur) {
      z.update(member, cur, next);
      updated++;
    }
  }
  if (existed && added + updated > 0) db.replace(key, z);
  if (incr) {
    if (processed > 0) replyScore(s.out, last);
    else s.out.nullBulk();
  } else {
    s.out.int((flags & ZADD_CH) !== 0 ? added + updated : added);
  }
  // The reply, then the event (Redis's order, seen by a RESP3 client subscribed to its own events).
  if (added + updated > 0) s.notify(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', db, key);
}

/** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
function zaddCommand(c: Client, argv: string[], s: ServerContext): void {
  zaddGeneric(c, argv, s, 0);
}

/** ZINCRBY key increment member */
function zincrbyCommand(c: Client, argv: string[], s: ServerContext): void {
  zaddGeneric(c, argv, s, ZADD_INCR);
}

// ---- single-member reads and ZREM --------------------------------------------------------------

/** ZREM key member [member ...] */
function zremCommand(c: Client, argv: string[], s: ServerContext): void {
  const db = c.db;
  const key = argv[1]!;
  const z = zsetForWrite(s, db, key);
  if (z === null) return;
  if (z === undefined) return s.out.int(0);
  let removed = 0;
  for (let i = 2; i < argv.length && z.size > 0; i++) if (z.remove(argv[i]!)) removed++;
  afterRemove(s, db, key, z, removed, 'zrem');
  s.out.int(removed);
}

/** ZCARD key */
function zcardCommand(c: Client, argv: string[], s: ServerContext): void {
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  s.out.int(z === undefined ? 0 : z.size);
}

/** ZSCORE key member */
function zscoreCommand(c: Client, argv: string[], s: ServerContext): void {
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  const score = z?.score(argv[2]!);
  if (score === undefined) s.out.nullBulk();
  else replyScore(s.out, score);
}

/** ZMSCORE key member [member ...]: a missing key is an empty set. */
function zmscoreCommand(c: Client, argv: string[], s: ServerContext): void {
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  s.out.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = z?.score(argv[i]!);
    if (score === undefined) s.out.nullBulk();
    else replyScore(s.out, score);
  }
}

/** ZRANK and ZREVRANK: the rank in ascending or descending order, or null. */
function zrankGeneric(c: Client, argv: string[], s: ServerContext, reverse: boolean): void {
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  if (z === undefined) return s.out.nullBulk();
  const rank = z.rank(argv[2]!);
  if (rank < 0) s.out.nullBulk();
  else s.out.int(reverse ? z.size - 1 - rank : rank);
}

/** ZRANK key member */
function zrankCommand(c: Client, argv: string[], s: ServerContext): void {
  zrankGeneric(c, argv, s, false);
}

/** ZREVRANK key member */
function zrevrankCommand(c: Client, argv: string[], s: ServerContext): void {
  zrankGeneric(c, argv, s, true);
}

/** ZCOUNT key min max */
function zcountCommand(c: Client, argv: string[], s: ServerContext): void {
  const range = parseScoreRange(argv[2]!, argv[3]!);
  if (range === null) return s.out.error(ERR_MINMAX_FLOAT);
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  if (z === undefined) return s.out.int(0);
  const [lo, hi] = scoreRanks(z, range);
  s.out.int(hi - lo);
}

/** ZLEXCOUNT key min max */
function zlexcountCommand(c: Client, argv: string[], s: ServerContext): void {
  const min = parseLexBound(argv[2]!);
  const max = parseLexBound(argv[3]!);
  if (min === null || max === null) return s.out.error(ERR_MINMAX_LEX);
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  if (z === undefined) return s.out.int(0);
  const [from, to] = lexRange(z, min, max, false, 0, -1);
  s.out.int(Math.max(0, to - from + 1));
}

// ---- the ZRANGE family ---------------------------------------------------------------------------

const BY_AUTO = 0;
const BY_RANK = 1;
const BY_SCORE = 2;
const BY_LEX = 3;
const DIR_AUTO = 0;
const DIR_FORWARD = 1;
const DIR_REVERSE = 2;

/**
 * The body of every ZRANGE-like command (Redis's zrangeGenericCommand). The key is argv[keyAt],
 * followed by min and max; options come after. `by` and `dir` are fixed by the legacy commands
 * (ZRANGEBYSCORE, ZREVRANGE…) and AUTO for ZRANGE/ZRANGESTORE, which take BYSCORE, BYLEX and
 * REV as options. `dst` is ZRANGESTORE's destination (no WITHSCORES then).
 *
 * Order of checks, as Redis: options, then their conflicts (LIMIT needs BYSCORE/BYLEX,
 * WITHSCORES excludes BYLEX), then the range (with REV, BYSCORE and BYLEX take max before
 * min), then the key.
 */
function zrangeGeneric(c: Client, argv: string[], s: ServerContext, keyAt: number, dst: string | null, by: number,
                       dir: number): void {
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyAt + 3; j < argv.length; j++) {
    const a = argv[j]!;
    if (dst === null && eqi(a, 'withscores')) {
      withscores = true;
    } else if (eqi(a, 'limit') && argv.length - j - 1 >= 2) {
      const o = parseLong(argv[j + 1]!);
      if (o === null) return s.out.error(ERR_NOT_INT);
      const l = parseLong(argv[j + 2]!);
      if (l === null) return s.out.error(ERR_NOT_INT);
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === DIR_AUTO && eqi(a, 'rev')) {
      dir = DIR_REVERSE;
    } else if (by === BY_AUTO && eqi(a, 'bylex')) {
      by = BY_LEX;
    } else if (by === BY_AUTO && eqi(a, 'byscore')) {
      by = BY_SCORE;
    } else {
      return s.out.error(ERR_SYNTAX);
    }
  }
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (by === BY_AUTO) by = BY_RANK;
  if (limit !== -1 && by === BY_RANK) return s.out.error(ERR_LIMIT_RANK);
  if (withscores && by === BY_LEX) return s.out.error(ERR_WITHSCORES_LEX);
  const reverse = dir === DIR_REVERSE;
  let minArg = argv[keyAt + 1]!;
  let maxArg = argv[keyAt + 2]!;
  if (reverse && by !== BY_RANK) [minArg, maxArg] = [maxArg, minArg];

  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexMin: LexBound | null = null;
  let lexMax: LexBound | null = null;
  if (by === BY_RANK) {
    const a = parseLong(minArg);
    if (a === null) return s.out.error(ERR_NOT_INT);
    const b = parseLong(maxArg);
    if (b === null) return s.out.error(ERR_NOT_INT);
    start = a;
    end = b;
  } else if (by === BY_SCORE) {
    scoreRange = parseScoreRange(minArg, maxArg);
    if (scoreRange === null) return s.out.error(ERR_MINMAX_FLOAT);
  } else {
    lexMin = parseLexBound(minArg);
    lexMax = parseLexBound(maxArg);
    if (lexMin === null || lexMax === null) return s.out.error(ERR_MINMAX_LEX);
  }

  const db = c.db;
  const z = zsetForRead(s, db, argv[keyAt]!);
  if (z === null) return;
  if (z === undefined) {
    if (dst !== null) return storeResult(db, s, dst, [], [], 'zrangestore');
    return s.out.arrayLen(0);
  }

  // The forward ranks from..to (inclusive) to answer; from > to for nothing.
  const size = z.size;
  let from = 0;
  let to = -1;
  if (by === BY_RANK) {
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    if (start <= end && start < size) {
      if (end >= size) end = size - 1;
      from = reverse ? size - 1 - end : start;
      to = reverse ? size - 1 - start : end;
    }
  } else if (scoreRange === null) {
    [from, to] = lexRange(z, lexMin!, lexMax!, reverse, offset, limit);
  } else {
    const [lo, hi] = scoreRanks(z, scoreRange);
    // A negative offset skips everything (Redis walks `offset--` until it reaches 0).
    const avail = hi - lo - offset;
    if (offset >= 0 && avail > 0) {
      const n = limit < 0 ? avail : Math.min(limit, avail);
      if (n > 0) {
        from = reverse ? hi - offset - n : lo + offset;
        to = from + n - 1;
      }
    }
  }

  const n = to - from + 1;
  if (dst !== null) return storeRange(db, s, dst, z, from, to, reverse, !(by === BY_RANK && n > ZSET_MAX_LISTPACK_ENTRIES));

  const out = s.out;
  replyPairsLen(out, Math.max(n, 0), withscores);
  if (n > 0) z.tree.visit(from, to, reverse, (m, sc) => replyPair(out, m, sc, withscores));
}

/** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrangeCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_AUTO, DIR_AUTO);
}

/** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
function zrangestoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 2, argv[1]!, BY_AUTO, DIR_AUTO);
}

/** ZREVRANGE key start stop [WITHSCORES] */
function zrevrangeCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_RANK, DIR_REVERSE);
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_SCORE, DIR_FORWARD);
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_SCORE, DIR_REVERSE);
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylexCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_LEX, DIR_FORWARD);
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylexCommand(c: Client, argv: string[], s: ServerContext): void {
  zrangeGeneric(c, argv, s, 1, null, BY_LEX, DIR_REVERSE);
}

// ---- range removal -------------------------------------------------------------------------------

/** The body of ZREMRANGEBYRANK/SCORE/LEX: the range is parsed before the key is looked up. */
function zremrangeGeneric(c: Client, argv: string[], s: ServerContext, by: number): void {
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexMin: LexBound | null = null;
  let lexMax: LexBound | null = null;
  if (by === BY_RANK) {
    const a = parseLong(argv[2]!);
    if (a === null) return s.out.error(ERR_NOT_INT);
    const b = parseLong(argv[3]!);
    if (b === null) return s.out.error(ERR_NOT_INT);
    start = a;
    end = b;
  } else if (by === BY_SCORE) {
    scoreRange = parseScoreRange(argv[2]!, argv[3]!);
    if (scoreRange === null) return s.out.error(ERR_MINMAX_FLOAT);
  } else {
    lexMin = parseLexBound(argv[2]!);
    lexMax = parseLexBound(argv[3]!);
    if (lexMin === null || lexMax === null) return s.out.error(ERR_MINMAX_LEX);
  }
  const db = c.db;
  const key = argv[1]!;
  const z = zsetForWrite(s, db, key);
  if (z === null) return;
  if (z === undefined) return s.out.int(0);
  let from: number;
  let count: number;
  if (by === BY_RANK) {
    const size = z.size;
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    if (start > end || start >= size) return s.out.int(0);
    if (end >= size) end = size - 1;
    from = start;
    count = end - start + 1;
  } else if (scoreRange !== null) {
    const [lo, hi] = scoreRanks(z, scoreRange);
    from = lo;
    count = hi - lo;
  } else {
    const [a, b] = lexRange(z, lexMin!, lexMax!, false, 0, -1);
    from = a;
    count = Math.max(0, b - a + 1);
  }
  z.removeRange(from, count);
  afterRemove(s, db, key, z, count, by === BY_RANK ? 'zremrangebyrank' : by === BY_SCORE ? 'zremrangebyscore' : 'zremrangebylex');
  s.out.int(count);
}

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrankCommand(c: Client, argv: string[], s: ServerContext): void {
  zremrangeGeneric(c, argv, s, BY_RANK);
}

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zremrangeGeneric(c, argv, s, BY_SCORE);
}

/** ZREMRANGEBYLEX key min max */
function zremrangebylexCommand(c: Client, argv: string[], s: ServerContext): void {
  zremrangeGeneric(c, argv, s, BY_LEX);
}

// ---- pops ----------------------------------------------------------------------------------------

/**
 * ZPOPMIN and ZPOPMAX (Redis's genericZpopCommand for one key). Without a count the reply is
 * a flat [member, score]; with one it is a flat list in RESP2 and pairs in RESP3. A count of
 * 0 answers an empty array, but only after the key's type is checked.
 */
function zpopGeneric(c: Client, argv: string[], s: ServerContext, max: boolean): void {
  if (argv.length > 3) return s.out.error(ERR_SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = nonNegativeOrReply(s, argv[2]!);
    if (n === null) return;
    count = n;
  }
  const nested = s.out.resp === 3 && count !== -1;
  const db = c.db;
  const key = argv[1]!;
  const z = zsetForWrite(s, db, key);
  if (z === null) return;
  if (z === undefined || count === 0) return s.out.arrayLen(0);
  const size = z.size;
  const n = Math.min(count === -1 ? 1 : count, size);
  const out = s.out;
  out.arrayLen(nested ? n : n * 2);
  // Redis 7.0 announces a pop between the reply's header and its elements (where a RESP3
  // client subscribed to its own events sees the push), and "del" after.
  s.notify(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', db, key);
  const from = max ? size - n : 0;
  z.tree.visit(from, from + n - 1, max, (m, sc) => {
    if (nested) out.arrayLen(2);
    out.bulk(m);
    replyScore(out, sc);
  });
  z.removeRange(from, n);
  afterRemove(s, db, key, z, n, null);
}

/** ZPOPMIN key [count] */
function zpopminCommand(c: Client, argv: string[], s: ServerContext): void {
  zpopGeneric(c, argv, s, false);
}

/** ZPOPMAX key [count] */
function zpopmaxCommand(c: Client, argv: string[], s: ServerContext): void {
  zpopGeneric(c, argv, s, true);
}

/**
 * Pops from the non-empty set at `key` and replies with the key (Redis's genericZpopCommand
 * with emitkey): BZPOPMIN/BZPOPMAX (`count` -1) a flat [key, member, score]; ZMPOP/BZMPOP
 * [key, [[member, score], ...]], pairs nested in RESP2 too.
 */
function zpopWithKeyReply(s: ServerContext, db: Db, key: string, z: ZSet, max: boolean, count: number): void {
  const out = s.out;
  const size = z.size;
  const n = Math.min(count === -1 ? 1 : count, size);
  // Propagated as the plain pop it was (Redis 7.0: BZPOPMIN → ZPOPMIN key, ZMPOP → ZPOPMIN key n).
  const pop = max ? 'ZPOPMAX' : 'ZPOPMIN';
  s.propagateAs(count === -1 ? [pop, key] : [pop, key, String(n)]);
  out.arrayLen(count === -1 ? 3 : 2);
  out.bulk(key);
  if (count !== -1) out.arrayLen(n);
  s.notify(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', db, key); // see zpopGeneric
  const from = max ? size - n : 0;
  z.tree.visit(from, from + n - 1, max, (m, sc) => {
    if (count !== -1) out.arrayLen(2);
    out.bulk(m);
    replyScore(out, sc);
  });
  z.removeRange(from, n);
  afterRemove(s, db, key, z, n, null);
}

/**
 * Pops from the first of `keys` holding a sorted set: true when it replied (with the pop, or
 * WRONGTYPE for a key of another type met first), false when every key is missing.
 */
function zpopFirst(s: ServerContext, db: Db, keys: readonly string[], max: boolean, count: number): boolean {
  for (const key of keys) {
    const z = zsetForWrite(s, db, key);
    if (z === null) return true;
    if (z === undefined) continue;
    zpopWithKeyReply(s, db, key, z, max, count);
    return true;
  }
  return false;
}

/** BZPOPMIN, BZPOPMAX and BZMPOP: pop at once if they can, else block (see the contract). */
function blockingZpopGeneric(c: Client, s: ServerContext, keys: string[], max: boolean, count: number, deadline: number): void {
  if (zpopFirst(s, c.db, keys, max, count)) return;
  const serve: ServeFn = (cl, key, sv) => zpopWithKeyReply(sv, cl.db, key, cl.db.get(key, sv.now) as ZSet, max, count);
  if (!s.blocking.block(c, keys, 'zset', deadline, serve)) s.out.nullArray();
}

/** BZPOPMIN key [key ...] timeout */
function bzpopminCommand(c: Client, argv: string[], s: ServerContext): void {
  const deadline = timeoutOrReply(s.out, argv[argv.length - 1]!, s.now);
  if (deadline === null) return;
  blockingZpopGeneric(c, s, argv.slice(1, -1), false, -1, deadline);
}

/** BZPOPMAX key [key ...] timeout */
function bzpopmaxCommand(c: Client, argv: string[], s: ServerContext): void {
  const deadline = timeoutOrReply(s.out, argv[argv.length - 1]!, s.now);
  if (deadline === null) return;
  blockingZpopGeneric(c, s, argv.slice(1, -1), true, -1, deadline);
}

const ERR_NUMKEYS = 'ERR numkeys should be greater than 0';
const ERR_COUNT_POSITIVE = 'ERR count should be greater than 0';

/**
 * ZMPOP's and BZMPOP's `numkeys key [key ...] <MIN | MAX> [COUNT count]` from argv[at] (Redis's
 * zmpopGenericCommand): numkeys, then MIN or MAX, then COUNT (default 1). Null after an error.
 */
function zmpopArgsOrReply(s: ServerContext, argv: string[], at: number): { keys: string[]; max: boolean; count: number } | null {
  const nk = parseInt64(argv[at]!);
  if (nk === null || nk < 1) {
    s.out.error(ERR_NUMKEYS);
    return null;
  }
  const whereAt = at + 1 + (typeof nk === 'bigint' ? Number.MAX_SAFE_INTEGER : nk);
  if (whereAt >= argv.length) {
    s.out.error(ERR_SYNTAX);
    return null;
  }
  const where = argv[whereAt]!;
  if (!eqi(where, 'min') && !eqi(where, 'max')) {
    s.out.error(ERR_SYNTAX);
    return null;
  }
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && eqi(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]!);
      if (n === null || n < 1) {
        s.out.error(ERR_COUNT_POSITIVE);
        return null;
      }
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else {
      s.out.error(ERR_SYNTAX);
      return null;
    }
  }
  return { keys: argv.slice(at + 1, whereAt), max: eqi(where, 'max'), count: count === -1 ? 1 : count };
}

/** ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]: a null array when every key is missing. */
function zmpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const a = zmpopArgsOrReply(s, argv, 1);
  if (a === null) return;
  if (!zpopFirst(s, c.db, a.keys, a.max, a.count)) s.out.nullArray();
}

/** BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]: the timeout is read last. */
function bzmpopCommand(c: Client, argv: string[], s: ServerContext): void {
  const a = zmpopArgsOrReply(s, argv, 2);
  if (a === null) return;
  const deadline = timeoutOrReply(s.out, argv[1]!, s.now);
  if (deadline === null) return;
  blockingZpopGeneric(c, s, a.keys, a.max, a.count, deadline);
}

// ---- ZRANDMEMBER ---------------------------------------------------------------------------------

function randomRank(z: ZSet): number {
  return Math.floor(Math.random() * z.size);
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmemberCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length >= 3) {
    const l = countInLongRangeOrReply(s, argv[2]!);
    if (l === null) return;
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3]!, 'withscores'))) return s.out.error(ERR_SYNTAX);
    const withscores = argv.length === 4;
    if (withscores) {
      const exact = BigInt(parseInt64(argv[2]!)!);
      if (exact < -HALF_LONG_MAX || exact > HALF_LONG_MAX) return s.out.error(ERR_OUT_OF_RANGE);
    }
    return zrandmemberWithCount(c, argv, s, l, withscores);
  }
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  if (z === undefined) return s.out.nullBulk();
  s.out.bulk(z.tree.memberAt(randomRank(z)));
}

/**
 * ZRANDMEMBER key count [WITHSCORES]: a negative count allows repeats; a positive one returns
 * distinct members, and the whole set when it is not larger, from the highest score down (the
 * order Redis's set-operation iterator walks a sorted set in).
 */
function zrandmemberWithCount(c: Client, argv: string[], s: ServerContext, l: number, withscores: boolean): void {
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  const out = s.out;
  const count = Math.abs(l);
  if (z === undefined || count === 0) return out.arrayLen(0);
  const size = z.size;
  const tree = z.tree;
  if (l < 0 || count === 1) {
    replyPairsLen(out, count, withscores);
    for (let i = 0; i < count; i++) {
      const r = randomRank(z);
      replyPair(out, tree.memberAt(r), tree.scoreAt(r), withscores);
    }
    return;
  }
  if (count >= size) {
    replyPairsLen(out, size, withscores);
    tree.visit(0, size - 1, true, (m, sc) => replyPair(out, m, sc, withscores));
    return;
  }
  let ranks: number[];
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
    ranks = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = ranks[i]!;
      ranks[i] = ranks[j]!;
      ranks[j] = t;
    }
    ranks.length = count;
  } else {
    const picked = new Set<number>();
    while (picked.size < count) picked.add(randomRank(z));
    ranks = [...picked];
  }
  replyPairsLen(out, count, withscores);
  for (const r of ranks) replyPair(out, tree.memberAt(r), tree.scoreAt(r), withscores);
}

// ---- set algebra ---------------------------------------------------------------------------------

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

/** One input of the set algebra: a sorted set, a plain set (every score 1), or nothing (missing key). */
interface Source {
  readonly value: ZSet | SetValue | null;
  weight: number;
}

function sourceSize(src: Source): number {
  return src.value === null ? 0 : src.value.size;
}

/** The score of `member` in a source, or undefined. */
function sourceScore(src: Source, member: string): number | undefined {
  const v = src.value;
  if (v === null) return undefined;
  if (v instanceof ZSet) return v.score(member);
  return v.has(member) ? 1 : undefined;
}

/** Every (member, score) of a source: a sorted set from its highest score down, as Redis walks it. */
function forEachOf(src: Source, fn: (member: string, score: number) => void): void {
  const v = src.value;
  if (v === null || v.size === 0) return;
  if (v instanceof ZSet) v.tree.visit(0, v.size - 1, true, fn);
  else for (const m of v.members()) fn(m, 1);
}

/** Redis's zunionInterAggregate: a NaN sum (inf + -inf) becomes 0. */
function aggregate(acc: number, value: number, how: number): number {
  if (how === AGG_SUM) {
    const r = acc + value;
    return Number.isNaN(r) ? 0 : r;
  }
  if (how === AGG_MIN) return value < acc ? value : acc;
  return value > acc ? value : acc;
}

/** weight · score, with NaN (0 · inf) as 0. */
function weighted(weight: number, score: number): number {
  const r = weight * score;
  return Number.isNaN(r) ? 0 : r;
}

/**
 * The body of ZUNION ZINTER ZDIFF, their STORE forms and ZINTERCARD (Redis's
 * zunionInterDiffGenericCommand). argv[numkeysAt] is the key count; the keys follow, then the
 * options: WEIGHTS and AGGREGATE (not for ZDIFF or ZINTERCARD), WITHSCORES (only when
 * replying the members), LIMIT (ZINTERCARD). Every key's type is checked before the options.
 *
 * Scores are combined in Redis's order so that floating-point sums round the same way: the
 * inputs sorted by size (stably), each walked from its highest score down. The result is then
 * sorted by (score, member), O(M log M).
 */
function zsetOpGeneric(c: Client, argv: string[], s: ServerContext, dst: string | null, numkeysAt: number, op: number,
                       cardOnly: boolean, name: string): void {
  const numkeys = parseLong(argv[numkeysAt]!);
  if (numkeys === null) return s.out.error(ERR_NOT_INT);
  if (numkeys < 1) return s.out.error(`ERR at least 1 input key is needed for '${name}' command`);
  if (numkeys > argv.length - (numkeysAt + 1)) return s.out.error(ERR_SYNTAX);
  const db = c.db;
  const srcs: Source[] = [];
  for (let i = 0; i < numkeys; i++) {
    const v = db.lookupRead(argv[numkeysAt + 1 + i]!, s.now);
    if (v !== undefined && !(v instanceof ZSet) && !(v instanceof SetValue)) return s.out.error(ERR_WRONGTYPE);
    srcs.push({ value: v ?? null, weight: 1 });
  }
  let how = AGG_SUM;
  let withscores = false;
  let limit = 0;
  for (let j = numkeysAt + 1 + numkeys; j < argv.length;) {
    const remaining = argv.length - j;
    const a = argv[j]!;
    if (op !== OP_DIFF && !cardOnly && remaining >= numkeys + 1 && eqi(a, 'weights')) {
      j++;
      for (let i = 0; i < numkeys; i++, j++) {
        const w = parseScore(argv[j]!);
        if (w === null) return s.out.error(ERR_WEIGHT);
        srcs[i]!.weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && eqi(a, 'aggregate')) {
      const f = argv[j + 1]!;
      if (eqi(f, 'sum')) how = AGG_SUM;
      else if (eqi(f, 'min')) how = AGG_MIN;
      else if (eqi(f, 'max')) how = AGG_MAX;
      else return s.out.error(ERR_SYNTAX);
      j += 2;
    } else if (dst === null && !cardOnly && eqi(a, 'withscores')) {
      withscores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && eqi(a, 'limit')) {
      const n = nonNegativeOrReply(s, argv[j + 1]!, ERR_LIMIT_NEGATIVE);
      if (n === null) return;
      limit = n;
      j += 2;
    } else {
      return s.out.error(ERR_SYNTAX);
    }
  }
  if (op !== OP_DIFF) srcs.sort((a, b) => sourceSize(a) - sourceSize(b)); // stable, like glibc's qsort here

  const result = new Map<string, number>();
  let card = 0;
  const first = srcs[0]!;
  if (op === OP_INTER) {
    if (sourceSize(first) > 0) {
      // forEachOf cannot stop early; `done` ends ZINTERCARD's work at its LIMIT.
      let done = false;
      forEachOf(first, (m, sc) => {
        if (done) return;
        let score = weighted(first.weight, sc);
        for (let j = 1; j < srcs.length; j++) {
          const other = srcs[j]!;
          const v = other.value === first.value ? sc : sourceScore(other, m);
          if (v === undefined) return;
          score = aggregate(score, v * other.weight, how);
        }
        if (cardOnly) {
          card++;
          if (limit !== 0 && card >= limit) done = true;
        } else {
          result.set(m, score);
        }
      });
    }
  } else if (op === OP_UNION) {
    for (const src of srcs) {
      forEachOf(src, (m, sc) => {
        const score = weighted(src.weight, sc);
        const acc = result.get(m);
        result.set(m, acc === undefined ? score : aggregate(acc, score, how));
      });
    }
  } else if (first.value !== null && !srcs.some((x, j) => j > 0 && x.value === first.value)) {
    forEachOf(first, (m, sc) => {
      for (let j = 1; j < srcs.length; j++) if (sourceScore(srcs[j]!, m) !== undefined) return;
      result.set(m, sc);
    });
  }
  if (cardOnly) return s.out.int(card);

  const members = [...result.keys()];
  members.sort((a, b) => {
    const sa = result.get(a)!;
    const sb = result.get(b)!;
    return sa < sb ? -1 : sa > sb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const scores = members.map((m) => result.get(m)!);
  if (dst !== null) return storeResult(db, s, dst, members, scores, name);
  const out = s.out;
  replyPairsLen(out, members.length, withscores);
  for (let i = 0; i < members.length; i++) replyPair(out, members[i]!, scores[i]!, withscores);
}

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
function zunionstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, argv[1]!, 2, OP_UNION, false, 'zunionstore');
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
function zinterstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, argv[1]!, 2, OP_INTER, false, 'zinterstore');
}

/** ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstoreCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, argv[1]!, 2, OP_DIFF, false, 'zdiffstore');
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
function zunionCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, null, 1, OP_UNION, false, 'zunion');
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
function zinterCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, null, 1, OP_INTER, false, 'zinter');
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiffCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, null, 1, OP_DIFF, false, 'zdiff');
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
function zintercardCommand(c: Client, argv: string[], s: ServerContext): void {
  zsetOpGeneric(c, argv, s, null, 1, OP_INTER, true, 'zintercard');
}

// ---- ZSCAN ---------------------------------------------------------------------------------------

const zsetCursors = new ElementCursors<[string, number]>();

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]: as SSCAN. A compact set comes whole, in
 * order, with cursor 0; a larger one is walked COUNT members per call. Scores are %.17g text.
 */
function zscanCommand(c: Client, argv: string[], s: ServerContext): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return s.out.error(ERR_INVALID_CURSOR);
  const z = zsetForRead(s, c.db, argv[1]!);
  if (z === null) return;
  if (z === undefined) return replyScan(s, 0, []);
  const opts = scanOptionsOrReply(s, argv);
  if (opts === null) return;
  const out: string[] = [];
  const keep = (m: string, sc: number) => {
    if (opts.pattern === null || globMatch(opts.pattern, m)) out.push(m, formatDouble(sc));
  };
  let next = 0;
  if (z.compact) {
    if (z.size > 0) z.tree.visit(0, z.size - 1, false, keep);
  } else {
    const dict = z.dict;
    next = zsetCursors.step(cursor, dict, dict.size, () => dict.entries(), opts.count, (e) => keep(e[0], e[1]));
  }
  replyScan(s, next, out);
}

// ---- the table ---------------------------------------------------------------------------------

const RO_ACCESS = [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }] as const;
const RW_DELETE = [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }] as const;
const RW_POP = [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }] as const;
/** Commands whose keys follow a count argument: `numkeys key [key ...]` from argv[1]. */
const NUMKEYS_RO = [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }] as const;
/** The store forms: a destination, then `numkeys key [key ...]` from argv[2]. */
const NUMKEYS_STORE = [
  { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
  { flags: ['RO', 'access'], begin: { index: 2 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } },
] as const;

const RANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMRANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';
const POP_COMPLEXITY = 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';
const MPOP_COMPLEXITY = 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';
/** BZPOPMIN and BZPOPMAX: every argument but the last (the timeout) is a key. */
const BLOCKING_POP_KEYS = [
  { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastKey: -2, keyStep: 1, limit: 0 } },
] as const;
const UNION_COMPLEXITY = 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const INTER_COMPLEXITY = 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY = 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

export const zsetCommands = [
  { name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: zaddCommand },
  { name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Increment the score of a member in a sorted set',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    keySpecs: [{ flags: ['RW', 'access', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: zincrbyCommand },
  { name: 'zrem', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Remove one or more members from a sorted set',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    keySpecs: RW_DELETE, handler: zremCommand },
  { name: 'zcard', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Get the number of members in a sorted set', complexity: 'O(1)',
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
    handler: zcardCommand },
  { name: 'zcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Count the members in a sorted set with scores within the given values',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', keySpecs: RO_ACCESS, handler: zcountCommand },
  { name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.8.9',
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', keySpecs: RO_ACCESS, handler: zlexcountCommand },
  { name: 'zscore', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Get the score associated with the given member in a sorted set', complexity: 'O(1)', keySpecs: RO_ACCESS,
    handler: zscoreCommand },
  { name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '6.2.0',
    summary: 'Get the score associated with the given members in a sorted set',
    complexity: 'O(N) where N is the number of members being requested.', keySpecs: RO_ACCESS, handler: zmscoreCommand },
  { name: 'zrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set', complexity: 'O(log(N))', keySpecs: RO_ACCESS,
    handler: zrankCommand },
  { name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
    complexity: 'O(log(N))', keySpecs: RO_ACCESS, handler: zrevrankCommand },
  { name: 'zrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Return a range of members in a sorted set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    keySpecs: RO_ACCESS, handler: zrangeCommand },
  { name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, step: 1, group: 'sorted-set', since: '6.2.0',
    summary: 'Store a range of members from sorted set into another key',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    handler: zrangestoreCommand },
  { name: 'zrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.0.5',
    summary: 'Return a range of members in a sorted set, by score', complexity: RANGE_COMPLEXITY, keySpecs: RO_ACCESS,
    handler: zrangebyscoreCommand },
  { name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.2.0',
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    complexity: RANGE_COMPLEXITY, keySpecs: RO_ACCESS, handler: zrevrangebyscoreCommand },
  { name: 'zrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.8.9',
    summary: 'Return a range of members in a sorted set, by lexicographical range', complexity: RANGE_COMPLEXITY,
    keySpecs: RO_ACCESS, handler: zrangebylexCommand },
  { name: 'zrevrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.8.9',
    summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    complexity: RANGE_COMPLEXITY, keySpecs: RO_ACCESS, handler: zrevrangebylexCommand },
  { name: 'zrevrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    keySpecs: RO_ACCESS, handler: zrevrangeCommand },
  { name: 'zremrangebyrank', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Remove all members in a sorted set within the given indexes', complexity: REMRANGE_COMPLEXITY,
    keySpecs: RW_DELETE, handler: zremrangebyrankCommand },
  { name: 'zremrangebyscore', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '1.2.0',
    summary: 'Remove all members in a sorted set within the given scores', complexity: REMRANGE_COMPLEXITY,
    keySpecs: RW_DELETE, handler: zremrangebyscoreCommand },
  { name: 'zremrangebylex', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.8.9',
    summary: 'Remove all members in a sorted set between the given lexicographical range', complexity: REMRANGE_COMPLEXITY,
    keySpecs: RW_DELETE, handler: zremrangebylexCommand },
  { name: 'zpopmin', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '5.0.0',
    summary: 'Remove and return members with the lowest scores in a sorted set', complexity: POP_COMPLEXITY,
    keySpecs: RW_POP, handler: zpopminCommand },
  { name: 'zpopmax', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '5.0.0',
    summary: 'Remove and return members with the highest scores in a sorted set', complexity: POP_COMPLEXITY,
    keySpecs: RW_POP, handler: zpopmaxCommand },
  { name: 'zmpop', arity: -4, flags: ['write'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set', complexity: MPOP_COMPLEXITY,
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    handler: zmpopCommand },
  { name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, step: 1, group: 'sorted-set',
    since: '5.0.0', summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', keySpecs: BLOCKING_POP_KEYS,
    handler: bzpopminCommand },
  { name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, step: 1, group: 'sorted-set',
    since: '5.0.0', summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', keySpecs: BLOCKING_POP_KEYS,
    handler: bzpopmaxCommand },
  { name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '7.0.0',
    summary: 'Remove and return members with scores in a sorted set or block until one is available', complexity: MPOP_COMPLEXITY,
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 2 }, find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    handler: bzmpopCommand },
  { name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    keySpecs: NUMKEYS_STORE, handler: zunionstoreCommand },
  { name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.0.0',
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
    complexity: INTER_COMPLEXITY, keySpecs: NUMKEYS_STORE, handler: zinterstoreCommand },
  { name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '6.2.0',
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
    complexity: DIFF_COMPLEXITY, keySpecs: NUMKEYS_STORE, handler: zdiffstoreCommand },
  { name: 'zunion', arity: -3, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '6.2.0',
    summary: 'Add multiple sorted sets', complexity: UNION_COMPLEXITY, keySpecs: NUMKEYS_RO, handler: zunionCommand },
  { name: 'zinter', arity: -3, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '6.2.0',
    summary: 'Intersect multiple sorted sets', complexity: INTER_COMPLEXITY, keySpecs: NUMKEYS_RO, handler: zinterCommand },
  { name: 'zdiff', arity: -3, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '6.2.0',
    summary: 'Subtract multiple sorted sets', complexity: DIFF_COMPLEXITY, keySpecs: NUMKEYS_RO, handler: zdiffCommand },
  { name: 'zintercard', arity: -3, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'sorted-set', since: '7.0.0',
    summary: 'Intersect multiple sorted sets and return the cardinality of the result',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    keySpecs: NUMKEYS_RO, handler: zintercardCommand },
  { name: 'zrandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '6.2.0',
    summary: 'Get one or multiple random elements from a sorted set', complexity: 'O(N) where N is the number of elements returned',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: zrandmemberCommand },
  { name: 'zscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1, group: 'sorted-set', since: '2.8.0',
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: ['nondeterministic_output'], keySpecs: RO_ACCESS, handler: zscanCommand },
] as const satisfies readonly CommandSpec[];
