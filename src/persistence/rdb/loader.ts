/**
 * The RDB loader: reads a whole RDB file (versions 1..10, everything redis-server 7.0 writes
 * and the older encodings it still loads) into a keyspace.
 *
 * Contract
 * - Input is the file's bytes (start-up reads it whole; an AOF's RDB preamble is a prefix of
 *   its base file, so `loadRdb` reports where the RDB ended).
 * - Any malformation is a thrown `CorruptError` saying what was wrong and at which byte offset;
 *   nothing is half-believed. The caller decides what to do with a half-filled keyspace (start-up
 *   exits). A checksum mismatch is an error; a stored checksum of 0 means "not computed" (a file
 *   written with rdbchecksum no), as in Redis.
 * - Keys whose expiry time has already passed are skipped (as a master does) unless
 *   `keepExpired`; empty collections are skipped, as Redis 7.0 does. A duplicated key is an error.
 * - Values are built with the store's classes, in the encodings Redis would give them after a
 *   load (a small set of integers is an intset, a small sorted set compact).
 * - Keys are put straight into the databases' maps: loading is not a change (dirty stays as it is).
 * - Supported: strings, lists, sets, sorted sets, hashes. Streams, modules and function
 *   libraries are refused with a clear error: ringkv has no such values.
 *
 * Imports only the store's value classes and this folder.
 */

import type { Keyspace } from '../../store/keyspace.ts';
import type { Value } from '../../store/db.ts';
import { HashValue } from '../../store/hash.ts';
import { ListValue } from '../../store/list.ts';
import { SetValue, SET_MAX_INTSET_ENTRIES } from '../../store/set.ts';
import { ZSet, ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE } from '../../store/zset.ts';
import { crc64 } from './crc64.ts';
import { CorruptError, intsetDecode, listpackDecode, ziplistDecode, zipmapDecode } from './encodings.ts';
import { ENC_INT16, ENC_INT32, ENC_INT8, ENC_LZF, LEN_32BIT, LEN_64BIT, OP, QUICKLIST_NODE_PACKED, QUICKLIST_NODE_PLAIN, RDB_MIN_VERSION, RDB_VERSION, TYPE } from './format.ts';
import { lzfDecompress } from './lzf.ts';

export { CorruptError };

export interface RdbLoadOptions {
  /** Unix ms compared with expiry times (default: now). */
  readonly now?: number;
  /** Keep keys already expired (an AOF preamble keeps them, as Redis does). */
  readonly keepExpired?: boolean;
  /** Verify the CRC-64 (rdbchecksum; default yes). */
  readonly checksum?: boolean;
}

export interface RdbLoadResult {
  readonly keysLoaded: number;
  readonly keysExpired: number;
  /** The aux fields found (redis-ver, ctime, aof-base…). */
  readonly aux: ReadonlyMap<string, string>;
  /** Bytes consumed, checksum included: where the RDB ends inside `buf`. */
  readonly end: number;
  readonly version: number;
}

const TYPE_NAMES: Record<number, string> = {
  [TYPE.STREAM_LISTPACKS]: 'stream', [TYPE.STREAM_LISTPACKS_2]: 'stream', 20: 'set listpack (Redis 7.2+)',
  21: 'stream (Redis 7.2+)', [TYPE.MODULE_PRE_GA]: 'module', [TYPE.MODULE_2]: 'module',
};

/** Where compressed strings are decompressed before becoming JS strings. */
let scratch = Buffer.allocUnsafe(1 << 16);

/** A cursor over the file's bytes. Every read checks the bounds. */
class Reader {
  readonly buf: Buffer;
  pos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new CorruptError(`unexpected end of file reading ${what}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  /** An RDB length; with `special`, an 11xxxxxx string encoding is returned as -1 - xxxxxx. */
  length(what: string, special = false): number {
    const c = this.u8(what);
    const top = c >> 6;
    if (top === 0) return c & 0x3f;
    if (top === 1) return ((c & 0x3f) << 8) | this.u8(what);
    if (c === LEN_32BIT) {
      this.need(4, what);
      const n = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return n;
    }
    if (c === LEN_64BIT) {
      this.need(8, what);
      const n = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new CorruptError(`length ${n} too large in ${what}`);
      return Number(n);
    }
    if (top === 3 && special) return -1 - (c & 0x3f);
    throw new CorruptError(`bad length encoding 0x${c.toString(16)} in ${what}`);
  }

  /** An RDB string as raw bytes (decompressed; integers as their decimal text). */
  bytes(what: string): Buffer {
    const n = this.length(what, true);
    if (n >= 0) {
      this.need(n, what);
      const out = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    const enc = -1 - n;
    if (enc === ENC_INT8 || enc === ENC_INT16 || enc === ENC_INT32) {
      const w = enc === ENC_INT8 ? 1 : enc === ENC_INT16 ? 2 : 4;
      this.need(w, what);
      const v = this.buf.readIntLE(this.pos, w);
      this.pos += w;
      return Buffer.from(String(v), 'latin1');
    }
    if (enc === ENC_LZF) {
      const clen = this.length(what);
      const len = this.length(what);
      this.need(clen, what);
      const src = this.buf.subarray(this.pos, this.pos + clen);
      this.pos += clen;
      try {
        return lzfDecompress(src, len);
      } catch (err) {
        throw new CorruptError(`${(err as Error).message} in ${what}`);
      }
    }
    throw new CorruptError(`unknown string encoding ${enc} in ${what}`);
  }

  /**
   * An RDB string as a latin1 string. The common cases skip the Buffer `bytes()` makes: a raw
   * string is sliced straight from the file, an integer printed, LZF decompressed into scratch.
   */
  string(what: string): string {
    const n = this.length(what, true);
    if (n >= 0) {
      this.need(n, what);
      const s = this.buf.latin1Slice(this.pos, this.pos + n);
      this.pos += n;
      return s;
    }
    const enc = -1 - n;
    if (enc === ENC_INT8 || enc === ENC_INT16 || enc === ENC_INT32) {
      const w = enc === ENC_INT8 ? 1 : enc === ENC_INT16 ? 2 : 4;
      this.need(w, what);
      const v = this.buf.readIntLE(this.pos, w);
      this.pos += w;
      return String(v);
    }
    if (enc === ENC_LZF) {
      const clen = this.length(what);
      const len = this.length(what);
      this.need(clen, what);
      const src = this.buf.subarray(this.pos, this.pos + clen);
      this.pos += clen;
      if (scratch.length < len) scratch = Buffer.allocUnsafe(Math.max(len, scratch.length * 2));
      try {
        return lzfDecompress(src, len, scratch).latin1Slice(0, len);
      } catch (err) {
        throw new CorruptError(`${(err as Error).message} in ${what}`);
      }
    }
    throw new CorruptError(`unknown string encoding ${enc} in ${what}`);
  }

  /** A score of the old ZSET type: a length byte then text; 253 nan, 254 +inf, 255 -inf. */
  textDouble(what: string): number {
    const n = this.u8(what);
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    this.need(n, what);
    const s = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    const v = Number(s);
    if (Number.isNaN(v)) throw new CorruptError(`bad score '${s}' in ${what}`);
    return v;
  }

  binaryDouble(what: string): number {
    this.need(8, what);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
}

/** Parses a score stored as text in a ziplist/listpack. */
function scoreOf(s: string, what: string): number {
  const v = s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
  if (Number.isNaN(v) || s.trim() !== s || s === '') throw new CorruptError(`bad score '${s}' in ${what}`);
  return v;
}

function setOf(members: Iterable<string>, count: number): SetValue {
  const set = new SetValue(count <= SET_MAX_INTSET_ENTRIES);
  for (const m of members) set.add(m);
  return set;
}

/** A sorted set from (member, score) pairs, in the encoding Redis gives it after a load. */
function zsetOf(pairs: Array<[string, number]>, what: string): ZSet {
  let compact = pairs.length <= ZSET_MAX_LISTPACK_ENTRIES;
  for (let i = 0; compact && i < pairs.length; i++) if (pairs[i]![0].length > ZSET_MAX_LISTPACK_VALUE) compact = false;
  const z = new ZSet(compact);
  for (const [m, s] of pairs) {
    if (Number.isNaN(s)) throw new CorruptError(`NaN score in ${what}`);
    if (z.score(m) !== undefined) throw new CorruptError(`duplicate member in ${what}`);
    z.add(m, s);
  }
  z.compact = compact;
  return z;
}

function hashOf(items: readonly string[], what: string): HashValue {
  if (items.length % 2 !== 0) throw new CorruptError(`odd number of entries in ${what}`);
  const h = new HashValue();
  for (let i = 0; i < items.length; i += 2) {
    if (h.has(items[i]!)) throw new CorruptError(`duplicate field in ${what}`);
    h.set(items[i]!, items[i + 1]!);
  }
  return h;
}

function pairsOf(items: readonly string[], what: string): Array<[string, number]> {
  if (items.length % 2 !== 0) throw new CorruptError(`odd number of entries in ${what}`);
  const out: Array<[string, number]> = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, scoreOf(items[i + 1]!, what)]);
  return out;
}

/** Reads one value of type `t`; null for an empty collection (skipped, as Redis does). */
function readValue(r: Reader, t: number, what: string): Value | null {
  switch (t) {
    case TYPE.STRING:
      return r.string(what);
    case TYPE.LIST: {
      const n = r.length(what);
      const l = new ListValue(n);
      for (let i = 0; i < n; i++) l.pushTail(r.string(what));
      return n === 0 ? null : l;
    }
    case TYPE.SET: {
      const n = r.length(what);
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string(what));
      const set = setOf(members, n);
      if (set.size !== n) throw new CorruptError(`duplicate member in ${what}`);
      return n === 0 ? null : set;
    }
    case TYPE.ZSET:
    case TYPE.ZSET_2: {
      const n = r.length(what);
      const pairs: Array<[string, number]> = [];
      for (let i = 0; i < n; i++) {
        const m = r.string(what);
        pairs.push([m, t === TYPE.ZSET ? r.textDouble(what) : r.binaryDouble(what)]);
      }
      return n === 0 ? null : zsetOf(pairs, what);
    }
    case TYPE.HASH: {
      const n = r.length(what);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(r.string(what), r.string(what));
      return n === 0 ? null : hashOf(items, what);
    }
    case TYPE.HASH_ZIPMAP:
    case TYPE.HASH_ZIPLIST:
    case TYPE.HASH_LISTPACK: {
      const blob = r.bytes(what);
      const items = t === TYPE.HASH_ZIPMAP ? zipmapDecode(blob) : t === TYPE.HASH_ZIPLIST ? ziplistDecode(blob) : listpackDecode(blob);
      return items.length === 0 ? null : hashOf(items, what);
    }
    case TYPE.LIST_ZIPLIST: {
      const items = ziplistDecode(r.bytes(what));
      const l = new ListValue(items.length);
      for (const s of items) l.pushTail(s);
      return items.length === 0 ? null : l;
    }
    case TYPE.SET_INTSET: {
      const items = intsetDecode(r.bytes(what));
      for (let i = 1; i < items.length; i++) {
        if (BigInt(items[i - 1]!) >= BigInt(items[i]!)) throw new CorruptError(`intset not in ascending order in ${what}`);
      }
      return items.length === 0 ? null : setOf(items, items.length);
    }
    case TYPE.ZSET_ZIPLIST:
    case TYPE.ZSET_LISTPACK: {
      const blob = r.bytes(what);
      const pairs = pairsOf(t === TYPE.ZSET_ZIPLIST ? ziplistDecode(blob) : listpackDecode(blob), what);
      return pairs.length === 0 ? null : zsetOf(pairs, what);
    }
    case TYPE.LIST_QUICKLIST:
    case TYPE.LIST_QUICKLIST_2: {
      const nodes = r.length(what);
      const l = new ListValue();
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_PACKED;
        if (t === TYPE.LIST_QUICKLIST_2) {
          container = r.length(what);
          if (container !== QUICKLIST_NODE_PACKED && container !== QUICKLIST_NODE_PLAIN) {
            throw new CorruptError(`quicklist node container ${container} in ${what}`);
          }
        }
        const blob = r.bytes(what);
        if (blob.length === 0) throw new CorruptError(`empty quicklist node in ${what}`);
        if (container === QUICKLIST_NODE_PLAIN) {
          l.pushTail(blob.toString('latin1'));
          continue;
        }
        // A node holding no entries is skipped, as Redis 7.0 skips it (a list left empty is an
        // empty key, skipped below).
        for (const s of t === TYPE.LIST_QUICKLIST ? ziplistDecode(blob) : listpackDecode(blob)) l.pushTail(s);
      }
      return l.length === 0 ? null : l;
    }
    default:
      throw new CorruptError(`unsupported value type ${t}${TYPE_NAMES[t] !== undefined ? ` (${TYPE_NAMES[t]})` : ''} in ${what}`);
  }
}

/**
 * Loads an RDB image into `keyspace` (whose databases should be empty). Throws CorruptError
 * with the byte offset on any malformation.
 */
export function loadRdb(buf: Buffer, keyspace: Keyspace, opts: RdbLoadOptions = {}): RdbLoadResult {
  const r = new Reader(buf);
  const now = opts.now ?? Date.now();
  try {
    r.need(9, 'the header');
    const magic = buf.latin1Slice(0, 5);
    const verText = buf.latin1Slice(5, 9);
    if (magic !== 'REDIS' || !/^\d{4}$/.test(verText)) throw new CorruptError('wrong signature (not an RDB file)');
    const version = Number(verText);
    if (version < RDB_MIN_VERSION || version > RDB_VERSION) throw new CorruptError(`can't handle RDB format version ${version}`);
    r.pos = 9;
    const aux = new Map<string, string>();
    let db = keyspace.dbs[0]!;
    let loaded = 0;
    let expired = 0;
    let expireAt = -1;
    for (;;) {
      const at = r.pos;
      const t = r.u8('an opcode');
      switch (t) {
        case OP.EXPIRETIME: {
          r.need(4, 'an expire time');
          expireAt = buf.readInt32LE(r.pos) * 1000;
          r.pos += 4;
          continue;
        }
        case OP.EXPIRETIME_MS: {
          r.need(8, 'an expire time');
          expireAt = Number(buf.readBigInt64LE(r.pos));
          r.pos += 8;
          continue;
        }
        case OP.FREQ:
          r.u8('an LFU frequency');
          continue;
        case OP.IDLE:
          r.length('an LRU idle time');
          continue;
        case OP.SELECTDB: {
          const i = r.length('a database number');
          if (i >= keyspace.dbs.length) {
            throw new CorruptError(`database ${i} in the file, but the server has only ${keyspace.dbs.length} (see 'databases')`);
          }
          db = keyspace.dbs[i]!;
          continue;
        }
        case OP.RESIZEDB:
          r.length('a RESIZEDB size');
          r.length('a RESIZEDB size');
          continue;
        case OP.AUX: {
          const k = r.string('an aux field');
          aux.set(k, r.string(`aux field '${k}'`));
          continue;
        }
        case OP.MODULE_AUX:
          throw new CorruptError(`module data at offset ${at}: ringkv has no modules`);
        case OP.FUNCTION2:
        case OP.FUNCTION_PRE_GA:
          throw new CorruptError(`a function library at offset ${at}: ringkv has no functions`);
        case OP.EOF: {
          if (version >= 5) {
            r.need(8, 'the checksum');
            const stored = buf.readBigUInt64LE(r.pos);
            if (stored !== 0n && opts.checksum !== false) {
              const computed = crc64(0n, buf.subarray(0, r.pos));
              if (computed !== stored) {
                throw new CorruptError(`wrong RDB checksum: expected 0x${stored.toString(16)}, got 0x${computed.toString(16)}`);
              }
            }
            r.pos += 8;
          }
          return { keysLoaded: loaded, keysExpired: expired, aux, end: r.pos, version };
        }
        default: {
          const key = r.string('a key');
          const what = `key '${key}' (offset ${at})`;
          const value = readValue(r, t, what);
          const when = expireAt;
          expireAt = -1;
          if (value === null) continue;
          if (when !== -1 && when < now && opts.keepExpired !== true) {
            expired++;
            continue;
          }
          if (db.dict.has(key)) throw new CorruptError(`duplicated key '${key}' in database ${db.index} at offset ${at}`);
          db.dict.set(key, value);
          if (when !== -1) db.expires.set(key, when);
          loaded++;
        }
      }
    }
  } catch (err) {
    if (err instanceof CorruptError && !/offset \d+/.test(err.message)) {
      throw new CorruptError(`${err.message} (at byte offset ${r.pos})`);
    }
    throw err;
  }
}
