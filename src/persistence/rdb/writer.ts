/**
 * The RDB encoder: turns keys and values into Redis 7.0's RDB bytes (version 10), in pieces.
 *
 * Contract
 * - `RdbEncoder` appends to its own growing buffer; `take()` hands out what is there so far
 *   and folds it into the running CRC-64, so a big file is written in pieces without being
 *   held whole. `finish()` appends EOF and the checksum (0 when checksums are off, as Redis's
 *   rdbchecksum no) and returns the last piece.
 * - Encodings chosen as Redis 7.0 chooses them for the same contents, so redis-check-rdb and
 *   redis-server accept the file and OBJECT ENCODING after a load agrees:
 *     string   integer-looking text of at most 11 bytes that fits 32 bits: int8/16/32;
 *              else LZF when rdbcompression is on, the text is over 20 bytes and LZF saves
 *              at least 4 bytes (as rdbSaveLzfStringObject); else raw.
 *     list     QUICKLIST_2 of packed (listpack) nodes of at most ~8 KB (list-max-listpack-size -2).
 *     hash     HASH_LISTPACK when it is listpack-shaped (store/hash.ts), else HASH.
 *     set      SET_INTSET while the set is an intset, else SET (7.0 has no set listpack).
 *     zset     ZSET_LISTPACK while compact (store/zset.ts), else ZSET_2 with binary doubles,
 *              written highest score first as Redis does.
 *   Every blob (listpack, intset) is stored as an RDB string, so it is compressed likewise.
 * - A body-only encoder (`new RdbEncoder(opts, false)`) writes just key entries: the
 *   background save keeps one per database for copy-on-write captures and splices them in
 *   with `append()`.
 *
 * Imports only the store's value classes and this folder.
 */

import { formatG17 } from '../../protocol/writer.ts';
import type { Value } from '../../store/db.ts';
import { HashValue, isListpackShaped } from '../../store/hash.ts';
import { ListValue } from '../../store/list.ts';
import { SetValue } from '../../store/set.ts';
import { ZSet } from '../../store/zset.ts';
import { crc64 } from './crc64.ts';
import { intsetEncode, listpackEncode, listpackEntrySize } from './encodings.ts';
import { ENC_INT16, ENC_INT32, ENC_INT8, ENC_LZF, LEN_32BIT, LEN_64BIT, OP, QUICKLIST_NODE_PACKED, RDB_VERSION, REDIS_VER, TYPE } from './format.ts';
import { LZF_SLACK, lzfCompressInto } from './lzf.ts';

export interface RdbWriteOptions {
  /** rdbcompression: LZF for strings over 20 bytes. */
  readonly compression: boolean;
  /** rdbchecksum: a CRC-64 at the end (else 8 zero bytes). */
  readonly checksum: boolean;
  /** The aof-base aux field: 1 when this is an AOF base file (RDB preamble). */
  readonly aofBase?: boolean;
  /** ctime aux field, Unix ms (default: now). */
  readonly now?: number;
}

/** Quicklist node size limit (list-max-listpack-size -2: 8 KB). */
const QUICKLIST_NODE_BYTES = 8192;

/** Scratch space for strings being compressed, and for their compressed form (reused: no garbage per string). */
let scratch = Buffer.allocUnsafe(1 << 16);
let lzfOut = Buffer.allocUnsafe((1 << 16) + LZF_SLACK);

/** The text Redis's d2string stores for a score in a listpack. */
function scoreText(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0';
  if (Number.isInteger(x) && x > -4503599627370495 && x < 4503599627370496) return String(x);
  return formatG17(x);
}

/** The int value of `s` if Redis would store it int-encoded (<= 11 bytes, canonical, 32-bit), else null. */
function int32Of(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 11) return null;
  const c0 = s.charCodeAt(0);
  if (c0 !== 45 && (c0 < 48 || c0 > 57)) return null;
  const v = Number(s);
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) return null;
  return String(v) === s ? v : null; // canonical: no leading zeros, no "+", no "-0"
}

export class RdbEncoder {
  private buf: Buffer;
  private len = 0;
  private crc = 0n;
  private readonly opts: RdbWriteOptions;

  /** With `header`, starts with the magic, the version and the aux fields. */
  constructor(opts: RdbWriteOptions, header = true) {
    this.opts = opts;
    this.buf = Buffer.allocUnsafe(header ? 1 << 16 : 1024);
    if (header) this.header();
  }

  /** Bytes waiting to be taken. */
  get pending(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = Buffer.allocUnsafe(cap);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  private byte(x: number): void {
    this.ensure(1);
    this.buf[this.len++] = x;
  }

  /** An RDB length: 6, 14, 32 or 64 bits. */
  private length(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (n < 64) {
      b[this.len++] = n;
    } else if (n < 16384) {
      b[this.len++] = 0x40 | (n >> 8);
      b[this.len++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.len++] = LEN_32BIT;
      b.writeUInt32BE(n, this.len);
      this.len += 4;
    } else {
      b[this.len++] = LEN_64BIT;
      b.writeBigUInt64BE(BigInt(n), this.len);
      this.len += 8;
    }
  }

  /** A string value or key, with Redis's integer encoding and LZF compression. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11) {
      const v = int32Of(s);
      if (v !== null) {
        this.ensure(5);
        const b = this.buf;
        if (v >= -128 && v <= 127) {
          b[this.len++] = 0xc0 | ENC_INT8;
          b.writeInt8(v, this.len);
          this.len += 1;
        } else if (v >= -32768 && v <= 32767) {
          b[this.len++] = 0xc0 | ENC_INT16;
          b.writeInt16LE(v, this.len);
          this.len += 2;
        } else {
          b[this.len++] = 0xc0 | ENC_INT32;
          b.writeInt32LE(v, this.len);
          this.len += 4;
        }
        return;
      }
    }
    if (this.opts.compression && n > 20) {
      if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
      scratch.latin1Write(s, 0, n);
      if (this.compressed(scratch, n)) return;
    }
    this.length(n);
    this.ensure(n);
    this.len += this.buf.latin1Write(s, this.len, n);
  }

  /** A binary blob (listpack, intset) as an RDB string, compressed when worth it. */
  blob(data: Buffer): void {
    if (this.opts.compression && data.length > 20 && this.compressed(data, data.length)) return;
    this.length(data.length);
    this.ensure(data.length);
    data.copy(this.buf, this.len);
    this.len += data.length;
  }

  /** Writes the first `n` bytes of `data` LZF-compressed if that saves at least 4 bytes; false if not written. */
  private compressed(data: Uint8Array, n: number): boolean {
    if (lzfOut.length < n + LZF_SLACK) lzfOut = Buffer.allocUnsafe(Math.max(n + LZF_SLACK, lzfOut.length * 2));
    const c = lzfCompressInto(data, n, n - 4, lzfOut);
    if (c < 0) return false;
    this.byte(0xc0 | ENC_LZF);
    this.length(c);
    this.length(n);
    this.ensure(c);
    lzfOut.copy(this.buf, this.len, 0, c);
    this.len += c;
    return true;
  }

  private aux(key: string, value: string): void {
    this.byte(OP.AUX);
    this.string(key);
    this.string(value);
  }

  private header(): void {
    this.ensure(9);
    this.len += this.buf.latin1Write(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 0, 9);
    this.aux('redis-ver', REDIS_VER);
    this.aux('redis-bits', '64');
    this.aux('ctime', String(Math.floor((this.opts.now ?? Date.now()) / 1000)));
    this.aux('used-mem', String(process.memoryUsage.rss()));
    this.aux('aof-base', this.opts.aofBase === true ? '1' : '0');
  }

  /** SELECTDB and the RESIZEDB size hints of a database section. */
  selectDb(index: number, keys: number, expires: number): void {
    this.byte(OP.SELECTDB);
    this.length(index);
    this.byte(OP.RESIZEDB);
    this.length(keys);
    this.length(expires);
  }

  /** One key: its expiry (absolute Unix ms) if any, its type, the key and the value. */
  entry(key: string, value: Value, expireAt: number | undefined): void {
    if (expireAt !== undefined) {
      this.byte(OP.EXPIRETIME_MS);
      this.ensure(8);
      this.buf.writeBigInt64LE(BigInt(expireAt), this.len);
      this.len += 8;
    }
    if (typeof value === 'string') {
      this.byte(TYPE.STRING);
      this.string(key);
      this.string(value);
    } else if (value instanceof ListValue) {
      this.byte(TYPE.LIST_QUICKLIST_2);
      this.string(key);
      this.list(value);
    } else if (value instanceof HashValue) {
      if (isListpackShaped(value)) {
        this.byte(TYPE.HASH_LISTPACK);
        this.string(key);
        const items: string[] = [];
        for (const [f, v] of value) items.push(f, v);
        this.blob(listpackEncode(items));
      } else {
        this.byte(TYPE.HASH);
        this.string(key);
        this.length(value.size);
        for (const [f, v] of value) {
          this.string(f);
          this.string(v);
        }
      }
    } else if (value instanceof SetValue) {
      if (value.isIntset) {
        this.byte(TYPE.SET_INTSET);
        this.string(key);
        this.blob(intsetEncode([...value.members()]));
      } else {
        this.byte(TYPE.SET);
        this.string(key);
        this.length(value.size);
        for (const m of value.members()) this.string(m);
      }
    } else if (value instanceof ZSet) {
      this.zset(key, value);
    } else {
      throw new Error(`RDB: cannot save a value of type '${value.type}' (key '${key}')`);
    }
  }

  private list(l: ListValue): void {
    const n = l.length;
    // Nodes first, so the node count can precede them.
    const nodes: Buffer[] = [];
    let items: string[] = [];
    let bytes = 7;
    for (let i = 0; i < n; i++) {
      const s = l.at(i);
      const sz = listpackEntrySize(s);
      if (items.length > 0 && bytes + sz > QUICKLIST_NODE_BYTES) {
        nodes.push(listpackEncode(items));
        items = [];
        bytes = 7;
      }
      items.push(s);
      bytes += sz;
    }
    if (items.length > 0) nodes.push(listpackEncode(items));
    this.length(nodes.length);
    for (const node of nodes) {
      this.length(QUICKLIST_NODE_PACKED);
      this.blob(node);
    }
  }

  private zset(key: string, z: ZSet): void {
    if (z.compact) {
      this.byte(TYPE.ZSET_LISTPACK);
      this.string(key);
      const items: string[] = [];
      z.tree.visit(0, z.size - 1, false, (m, s) => items.push(m, scoreText(s)));
      this.blob(listpackEncode(items));
      return;
    }
    this.byte(TYPE.ZSET_2);
    this.string(key);
    this.length(z.size);
    z.tree.visit(0, z.size - 1, true, (m, s) => {
      this.string(m);
      this.ensure(8);
      this.buf.writeDoubleLE(s, this.len);
      this.len += 8;
    });
  }

  /** Splices in bytes written by a body-only encoder (see the file comment). */
  append(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  /**
   * The bytes written since the last take, folded into the checksum: copied into `into` when
   * it is big enough (a pooled buffer: the background save reuses them rather than churn
   * external memory, which makes V8 run full collections), else into a new Buffer.
   */
  take(into?: Buffer): Buffer {
    const out = into !== undefined && into.length >= this.len ? into.subarray(0, this.len) : Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    if (this.opts.checksum) this.crc = crc64(this.crc, out);
    this.len = 0;
    return out;
  }

  /** Appends EOF and the checksum; returns the last piece. */
  finish(): Buffer {
    this.byte(OP.EOF);
    const body = this.take();
    const tail = Buffer.alloc(8);
    if (this.opts.checksum) tail.writeBigUInt64LE(this.crc, 0);
    return Buffer.concat([body, tail]);
  }
}
