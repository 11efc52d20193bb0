/**
 * The compact blobs Redis nests inside RDB strings: listpack (7.0's small lists, hashes and
 * sorted sets), intset (small integer sets), and, for loading older files only, ziplist and
 * zipmap. Written from the formats' descriptions; every reader bounds-checks and throws a
 * `CorruptError` naming what was wrong, never returns made-up data.
 *
 * Listpack, as built here (all integers little-endian):
 *
 *   | total bytes u32 | count u16 (65535 = unknown) | entry ... | 0xFF |
 *   entry = | encoding + data | backlen (size of encoding + data, 1..5 bytes) |
 *
 *   0xxxxxxx                 7-bit unsigned int       10LLLLLL + data   string < 64 bytes
 *   110xxxxx xxxxxxxx        13-bit signed int        1110LLLL LLLLLLLL string < 4096 bytes
 *   0xF0 + len u32 + data    longer string            0xF1/F2/F3/F4     int16/24/32/64
 *
 * Ziplist (older files): | zlbytes u32 | zltail u32 | count u16 | entries | 0xFF |, each entry
 * | prevlen (1 byte, or 0xFE + u32) | encoding | data |.
 * Intset: | encoding u32 (2, 4 or 8 bytes per value) | count u32 | sorted values |.
 * Zipmap (Redis 2.x hashes): | count u8 | (len key len free value free-bytes)* | 0xFF |.
 *
 * Imports nothing of ours.
 */

import { isInt64Text } from '../../store/set.ts';

export class CorruptError extends Error {}

function fail(what: string): never {
  throw new CorruptError(what);
}

// ---- listpack ------------------------------------------------------------------------------------

/** Bytes the backlen of an entry of `l` bytes takes. */
function backlenSize(l: number): number {
  // Redis's thresholds (lpEncodeBacklen), one below each power of 128 past the first.
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** A growable byte buffer for building blobs. */
class Bytes {
  buf: Buffer;
  len = 0;
  constructor(cap = 64) {
    this.buf = Buffer.allocUnsafe(cap);
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = Buffer.allocUnsafe(cap);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  byte(x: number): void {
    this.ensure(1);
    this.buf[this.len++] = x;
  }
}

/** Appends one entry's encoding + data for `s` and returns its size. */
function lpEncodeEntry(b: Bytes, s: string): number {
  const start = b.len;
  if (s.length <= 20 && isInt64Text(s)) {
    const v = BigInt(s);
    b.ensure(9);
    const buf = b.buf;
    if (v >= 0n && v <= 127n) {
      buf[b.len++] = Number(v);
    } else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? v + 8192n : v);
      buf[b.len++] = 0xc0 | (u >> 8);
      buf[b.len++] = u & 0xff;
    } else if (v >= -32768n && v <= 32767n) {
      buf[b.len++] = 0xf1;
      buf.writeInt16LE(Number(v), b.len);
      b.len += 2;
    } else if (v >= -8388608n && v <= 8388607n) {
      buf[b.len++] = 0xf2;
      buf.writeIntLE(Number(v), b.len, 3);
      b.len += 3;
    } else if (v >= -2147483648n && v <= 2147483647n) {
      buf[b.len++] = 0xf3;
      buf.writeInt32LE(Number(v), b.len);
      b.len += 4;
    } else {
      buf[b.len++] = 0xf4;
      buf.writeBigInt64LE(v, b.len);
      b.len += 8;
    }
    return b.len - start;
  }
  const n = s.length;
  b.ensure(n + 5);
  const buf = b.buf;
  if (n < 64) {
    buf[b.len++] = 0x80 | n;
  } else if (n < 4096) {
    buf[b.len++] = 0xe0 | (n >> 8);
    buf[b.len++] = n & 0xff;
  } else {
    buf[b.len++] = 0xf0;
    buf.writeUInt32LE(n, b.len);
    b.len += 4;
  }
  b.len += buf.write(s, b.len, 'latin1');
  return b.len - start;
}

function lpEncodeBacklen(b: Bytes, l: number): void {
  b.ensure(5);
  const size = backlenSize(l);
  // Most significant 7-bit group first; every byte after the first has the high bit set, so a
  // reader walking backwards from the next entry knows where the backlen starts.
  for (let k = size - 1; k >= 0; k--) {
    const group = Math.floor(l / 2 ** (7 * k)) & 127;
    b.buf[b.len++] = k === size - 1 ? group : group | 128;
  }
}

/** A listpack holding `items` in order. */
export function listpackEncode(items: readonly string[]): Buffer {
  const b = new Bytes(16 + items.length * 8);
  b.len = 6;
  for (const s of items) lpEncodeBacklen(b, lpEncodeEntry(b, s));
  b.byte(0xff);
  b.buf.writeUInt32LE(b.len, 0);
  b.buf.writeUInt16LE(items.length < 65535 ? items.length : 65535, 4);
  return b.buf.subarray(0, b.len);
}

/** Bytes `s` adds to a listpack (entry + backlen), for sizing quicklist nodes. */
export function listpackEntrySize(s: string): number {
  let l: number;
  if (s.length <= 20 && isInt64Text(s)) l = 9; // an upper bound is enough for node sizing
  else l = s.length + (s.length < 64 ? 1 : s.length < 4096 ? 2 : 5);
  return l + backlenSize(l);
}

/** The entries of a listpack, as latin1 strings (integers in decimal). */
export function listpackDecode(buf: Buffer): string[] {
  if (buf.length < 7) fail('listpack shorter than its header');
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) fail(`listpack size ${total} in its header, ${buf.length} bytes stored`);
  const count = buf.readUInt16LE(4);
  const out: string[] = [];
  let p = 6;
  for (;;) {
    if (p >= total) fail('listpack without its end byte');
    const c = buf[p]!;
    if (c === 0xff) break;
    const start = p;
    let s: string;
    if (c < 0x80) {
      s = String(c);
      p += 1;
    } else if (c < 0xc0) {
      const n = c & 0x3f;
      if (p + 1 + n > total) fail('listpack string past its end');
      s = buf.latin1Slice(p + 1, p + 1 + n);
      p += 1 + n;
    } else if (c < 0xe0) {
      if (p + 2 > total) fail('listpack int past its end');
      let v = ((c & 0x1f) << 8) | buf[p + 1]!;
      if (v >= 4096) v -= 8192;
      s = String(v);
      p += 2;
    } else if (c < 0xf0) {
      if (p + 2 > total) fail('listpack string past its end');
      const n = ((c & 0x0f) << 8) | buf[p + 1]!;
      if (p + 2 + n > total) fail('listpack string past its end');
      s = buf.latin1Slice(p + 2, p + 2 + n);
      p += 2 + n;
    } else if (c === 0xf0) {
      if (p + 5 > total) fail('listpack string past its end');
      const n = buf.readUInt32LE(p + 1);
      if (p + 5 + n > total) fail('listpack string past its end');
      s = buf.latin1Slice(p + 5, p + 5 + n);
      p += 5 + n;
    } else if (c >= 0xf1 && c <= 0xf4) {
      const w = c === 0xf1 ? 2 : c === 0xf2 ? 3 : c === 0xf3 ? 4 : 8;
      if (p + 1 + w > total) fail('listpack int past its end');
      s = w === 8 ? String(buf.readBigInt64LE(p + 1)) : String(buf.readIntLE(p + 1, w));
      p += 1 + w;
    } else {
      fail(`listpack entry with unknown encoding 0x${c.toString(16)}`);
    }
    const l = p - start;
    p += backlenSize(l);
    out.push(s);
  }
  if (p !== total - 1) fail('listpack end byte before its end');
  if (count !== 65535 && count !== out.length) fail(`listpack count ${count} in its header, ${out.length} entries`);
  return out;
}

// ---- ziplist (loading only) ----------------------------------------------------------------------

export function ziplistDecode(buf: Buffer): string[] {
  if (buf.length < 11) fail('ziplist shorter than its header');
  const total = buf.readUInt32LE(0);
  if (total !== buf.length) fail(`ziplist size ${total} in its header, ${buf.length} bytes stored`);
  const count = buf.readUInt16LE(8);
  const out: string[] = [];
  let p = 10;
  for (;;) {
    if (p >= total) fail('ziplist without its end byte');
    if (buf[p] === 0xff) break;
    p += buf[p] === 0xfe ? 5 : 1; // prevlen
    if (p >= total) fail('ziplist entry past its end');
    const c = buf[p]!;
    const top = c >> 6;
    let s: string;
    if (top !== 3) {
      let n: number;
      if (top === 0) {
        n = c & 0x3f;
        p += 1;
      } else if (top === 1) {
        if (p + 2 > total) fail('ziplist entry past its end');
        n = ((c & 0x3f) << 8) | buf[p + 1]!;
        p += 2;
      } else {
        if (p + 5 > total) fail('ziplist entry past its end');
        n = buf.readUInt32BE(p + 1);
        p += 5;
      }
      if (p + n > total) fail('ziplist string past its end');
      s = buf.latin1Slice(p, p + n);
      p += n;
    } else {
      p += 1;
      let w: number;
      if (c === 0xc0) w = 2;
      else if (c === 0xd0) w = 4;
      else if (c === 0xe0) w = 8;
      else if (c === 0xf0) w = 3;
      else if (c === 0xfe) w = 1;
      else if (c >= 0xf1 && c <= 0xfd) w = 0;
      else fail(`ziplist entry with unknown encoding 0x${c.toString(16)}`);
      if (p + w > total) fail('ziplist int past its end');
      s = w === 0 ? String((c & 0x0f) - 1) : w === 8 ? String(buf.readBigInt64LE(p)) : String(buf.readIntLE(p, w));
      p += w;
    }
    out.push(s);
  }
  if (p !== total - 1) fail('ziplist end byte before its end');
  if (count !== 65535 && count !== out.length) fail(`ziplist count ${count} in its header, ${out.length} entries`);
  return out;
}

// ---- intset --------------------------------------------------------------------------------------

/** An intset of canonical int64 texts (sorted numerically by the caller). */
export function intsetEncode(sorted: readonly string[]): Buffer {
  const vals = sorted.map((s) => BigInt(s));
  let width = 2;
  for (const v of vals) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const buf = Buffer.allocUnsafe(8 + vals.length * width);
  buf.writeUInt32LE(width, 0);
  buf.writeUInt32LE(vals.length, 4);
  let p = 8;
  for (const v of vals) {
    if (width === 2) buf.writeInt16LE(Number(v), p);
    else if (width === 4) buf.writeInt32LE(Number(v), p);
    else buf.writeBigInt64LE(v, p);
    p += width;
  }
  return buf;
}

export function intsetDecode(buf: Buffer): string[] {
  if (buf.length < 8) fail('intset shorter than its header');
  const width = buf.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) fail(`intset with element width ${width}`);
  const n = buf.readUInt32LE(4);
  if (8 + n * width !== buf.length) fail(`intset of ${n} elements in ${buf.length} bytes`);
  const out: string[] = [];
  for (let i = 0, p = 8; i < n; i++, p += width) {
    out.push(width === 8 ? String(buf.readBigInt64LE(p)) : String(buf.readIntLE(p, width)));
  }
  return out;
}

// ---- zipmap (loading only) -----------------------------------------------------------------------

/** The field, value, field, value… of a zipmap. */
export function zipmapDecode(buf: Buffer): string[] {
  const out: string[] = [];
  let p = 1;
  const len = (): number => {
    if (p >= buf.length) fail('zipmap entry past its end');
    const c = buf[p]!;
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c === 254) {
      if (p + 5 > buf.length) fail('zipmap entry past its end');
      const n = buf.readUInt32LE(p + 1);
      p += 5;
      return n;
    }
    fail('zipmap length byte 255 inside an entry');
  };
  for (;;) {
    if (p >= buf.length) fail('zipmap without its end byte');
    if (buf[p] === 0xff) break;
    const kl = len();
    if (p + kl > buf.length) fail('zipmap key past its end');
    out.push(buf.latin1Slice(p, p + kl));
    p += kl;
    const vl = len();
    if (p >= buf.length) fail('zipmap value past its end');
    const free = buf[p++]!;
    if (p + vl + free > buf.length) fail('zipmap value past its end');
    out.push(buf.latin1Slice(p, p + vl));
    p += vl + free;
  }
  return out;
}
