/**
 * OBJECT ENCODING / FREQ / IDLETIME / REFCOUNT / HELP: what Redis 7.0 would say about the
 * value of a key, derived from the value's shape, with no per-key bookkeeping added for it.
 *
 * Contract
 * - A missing key answers a null (RESP2 `$-1`, RESP3 `_`) for every subcommand, and counts as a
 *   keyspace miss (a hit otherwise), as Redis's lookup for OBJECT does. Nothing is touched.
 * - ENCODING names the encoding Redis 7.0.15 uses for a value of that shape:
 *     string  "int" for the canonical text of an int64 (string2l: at most 20 chars, no leading
 *             zeros, no '+'), else "embstr" up to 44 bytes, else "raw";
 *     list    always "quicklist" (7.0 has no listpack-encoded lists; 7.2 does);
 *     set     "intset" or "hashtable", tracked by SetValue itself (src/store/set.ts);
 *     zset    "listpack" or "skiplist", tracked by ZSet.compact (src/store/zset.ts);
 *     hash    "listpack" for at most 512 fields (hash-max-listpack-entries; 128 is the sorted
 *             sets' limit) whose fields and values are at most 64 bytes,
 *             else "hashtable".
 *   Where Redis's answer depends on the value's history rather than its shape, ringkv answers
 *   for the shape: APPEND to an existing string, SETRANGE and SETBIT leave Redis a "raw"
 *   string however short, INCRBYFLOAT an "embstr" even when the result looks like an integer;
 *   a hash that once went past the listpack limits stays "hashtable" in Redis after it
 *   shrinks back. Sets and sorted sets do track their history and answer as Redis does.
 * - REFCOUNT is 2147483647 (Redis's OBJ_SHARED_REFCOUNT) for a string Redis would hold as one
 *   of its shared integers 0..9999 (ringkv has no maxmemory, so sharing is always on in Redis
 *   terms), else 1. Same shape-for-history caveat as ENCODING (a COPY of a shared integer is
 *   its own object in Redis, refcount 1).
 * - IDLETIME answers 0: ringkv keeps no access clock per key (it would cost every key memory,
 *   and LRU eviction, its only user in Redis, does not exist here). Redis would answer the
 *   seconds since the key was last read or written.
 * - FREQ answers Redis's error for a server whose maxmemory-policy is not an LFU one, which is
 *   always ringkv's case (it has no eviction: noeviction).
 */

import type { Value } from '../store/db.ts';
import { isListpackShaped, type HashValue } from '../store/hash.ts';
import type { SetValue } from '../store/set.ts';
import type { ZSet } from '../store/zset.ts';
import { replyHelp } from './server.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { parseInt64 } from './util.ts';

/** Redis's limits for the compact encodings of strings and hashes, at their defaults. */
const EMBSTR_MAX = 44;
/** Redis keeps shared objects for the integers 0..OBJ_SHARED_INTEGERS-1, refcount INT_MAX. */
const OBJ_SHARED_INTEGERS = 10000;
const OBJ_SHARED_REFCOUNT = 2147483647;

const ERR_NO_LFU = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when ' +
  'switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** The value of argv[2], or undefined after answering a null. */
function lookupOrNull(c: Client, argv: string[], s: ServerContext): Value | undefined {
  // Counted as a hit or miss, but a miss is no "keymiss" event (Redis: LOOKUP_NONOTIFY).
  const db = c.db;
  const v = db.get(argv[2]!, s.now);
  if (v === undefined) db.stats.keyspaceMisses++;
  else db.stats.keyspaceHits++;
  if (v === undefined) s.out.nullBulk();
  return v;
}

/** Redis's name for the encoding a string of this text has after SET (tryObjectEncoding). */
function stringEncoding(v: string): string {
  if (parseInt64(v) !== null) return 'int';
  return v.length <= EMBSTR_MAX ? 'embstr' : 'raw';
}

/** The encoding Redis 7.0 would report for `v` (see the file comment). */
export function encodingOf(v: Value): string {
  if (typeof v === 'string') return stringEncoding(v);
  switch (v.type) {
    case 'list': return 'quicklist';
    case 'set': return (v as SetValue).isIntset ? 'intset' : 'hashtable';
    case 'zset': return (v as ZSet).compact ? 'listpack' : 'skiplist';
    case 'hash': return isListpackShaped(v as HashValue) ? 'listpack' : 'hashtable';
    default: return 'unknown';
  }
}

/** OBJECT ENCODING key */
function objectEncodingCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = lookupOrNull(c, argv, s);
  if (v !== undefined) s.out.bulk(encodingOf(v));
}

/** OBJECT REFCOUNT key */
function objectRefcountCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = lookupOrNull(c, argv, s);
  if (v === undefined) return;
  if (typeof v === 'string') {
    const n = parseInt64(v);
    if (typeof n === 'number' && n >= 0 && n < OBJ_SHARED_INTEGERS) return s.out.int(OBJ_SHARED_REFCOUNT);
  }
  s.out.int(1);
}

/** OBJECT IDLETIME key: always 0, no access clock is kept (see the file comment). */
function objectIdletimeCommand(c: Client, argv: string[], s: ServerContext): void {
  if (lookupOrNull(c, argv, s) !== undefined) s.out.int(0);
}

/** OBJECT FREQ key: the key is looked up first (a missing one is a null), then refused. */
function objectFreqCommand(c: Client, argv: string[], s: ServerContext): void {
  if (lookupOrNull(c, argv, s) !== undefined) s.out.error(ERR_NO_LFU);
}

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** OBJECT HELP */
function objectHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'object', HELP);
}

/** Every subcommand taking a key: OBJECT <sub> key, read-only, the key at index 2. */
const KEYED = {
  arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, step: 1, group: 'generic', complexity: 'O(1)',
  tips: ['nondeterministic_output'],
  keySpecs: [{ flags: ['RO'], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } }],
} as const;

export const objectCommands = [
  { name: 'object', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0, group: 'generic', since: '2.2.3',
    summary: 'A container for object introspection commands', complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'encoding', ...KEYED, since: '2.2.3', summary: 'Inspect the internal encoding of a Redis object',
        handler: objectEncodingCommand },
      { name: 'freq', ...KEYED, since: '4.0.0',
        summary: 'Get the logarithmic access frequency counter of a Redis object (ringkv: no LFU policy, always the error)',
        handler: objectFreqCommand },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', since: '6.2.0',
        summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', handler: objectHelpCommand },
      { name: 'idletime', ...KEYED, since: '2.2.3',
        summary: 'Get the time since a Redis object was last accessed (ringkv: always 0, no per-key access clock is kept)',
        handler: objectIdletimeCommand },
      { name: 'refcount', ...KEYED, since: '2.2.3', summary: 'Get the number of references to the value of the key',
        handler: objectRefcountCommand },
    ],
  },
] as const satisfies readonly CommandSpec[];
