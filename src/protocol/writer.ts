/**
 * RESP reply encoder: RESP2 and RESP3 into one growable byte buffer.
 *
 * Contract
 * - Strings are latin1 "byte strings" (one char per byte, as the parser produces them), so a
 *   bulk reply's length is simply `s.length` and every byte value round-trips.
 * - `resp` selects the dialect for the few reply types that differ (null, map, set, double,
 *   boolean, push, verbatim). The caller sets it per client before encoding that client's replies.
 * - `take()` hands out the bytes written so far as an independent Buffer and resets the writer,
 *   so one writer can serve every client of a thread in turn: encode a batch, take, send.
 * - `mark()`/`truncate()` let a caller drop what it wrote since a point (EXEC's queued replies,
 *   or an encoder that has to back out).
 *
 * Imports nothing of ours.
 */

const INITIAL = 16 * 1024;
/** A writer that grew for one huge reply shrinks back to this size after `take()`. */
const KEEP = 1024 * 1024;

const CRLF = '\r\n';
const SMALL = 1024;
const intLines: string[] = [];
const bulkHeads: string[] = [];
const arrayHeads: string[] = [];
for (let i = 0; i < SMALL; i++) {
  intLines.push(`:${i}\r\n`);
  bulkHeads.push(`$${i}\r\n`);
  arrayHeads.push(`*${i}\r\n`);
}

/** Formats a double the way Redis's RESP3 double and %.17g-based replies do. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return formatG17(d);
}

/**
 * C's printf("%.17g", d): 17 significant digits, trailing zeros removed, exponent form when
 * the exponent is < -4 or >= 17, with a sign and at least two exponent digits.
 */
export function formatG17(d: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const exp = d.toExponential(16); // correctly rounded to 17 significant digits
  const at = exp.indexOf('e');
  const e = Number(exp.slice(at + 1));
  if (e < -4 || e >= 17) {
    const mant = exp.slice(0, at).replace(/\.?0+$/, '');
    const ae = Math.abs(e);
    return `${mant}e${e < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  const fixed = d.toFixed(16 - e);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export class ReplyWriter {
  buf: Buffer = Buffer.allocUnsafe(INITIAL);
  len = 0;
  /** 2 or 3: the dialect of the client whose replies are being encoded. */
  resp: 2 | 3 = 2;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Writes an ASCII/latin1 string as is. */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n);
    this.put(s, n);
  }

  /**
   * Copies a latin1 string in, room already ensured. Short strings (reply headers, "+OK") are
   * copied by a loop: the native latin1Write's fixed cost is larger than the copy itself.
   */
  private put(s: string, n: number): void {
    if (n <= 16) {
      const buf = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
      this.len = at;
    } else {
      this.len += this.buf.latin1Write(s, this.len, n);
    }
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  simple(s: string): void {
    this.raw(`+${s}\r\n`);
  }

  ok(): void {
    this.raw('+OK\r\n');
  }

  /** An error reply; `s` includes its code, e.g. "ERR syntax error". Newlines become spaces. */
  error(s: string): void {
    if (s.includes('\r') || s.includes('\n')) s = s.replace(/[\r\n]/g, ' ');
    this.raw(`-${s}\r\n`);
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n < SMALL && Number.isInteger(n)) this.raw(intLines[n]!);
    else this.raw(`:${n}\r\n`);
  }

  bulk(s: string): void {
    const n = s.length;
    this.ensure(n + 16);
    const head = n < SMALL ? bulkHeads[n]! : `$${n}\r\n`;
    this.put(head, head.length);
    this.put(s, n);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  bulkOrNull(s: string | null | undefined): void {
    if (s == null) this.nullBulk();
    else this.bulk(s);
  }

  nullBulk(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  nullArray(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '*-1\r\n');
  }

  arrayLen(n: number): void {
    this.raw(n < SMALL ? arrayHeads[n]! : `*${n}\r\n`);
  }

  /** A map of n pairs: '%' in RESP3, a flat array of 2n in RESP2. */
  mapLen(n: number): void {
    if (this.resp === 3) this.raw(`%${n}${CRLF}`);
    else this.arrayLen(n * 2);
  }

  setLen(n: number): void {
    if (this.resp === 3) this.raw(`~${n}${CRLF}`);
    else this.arrayLen(n);
  }

  pushLen(n: number): void {
    if (this.resp === 3) this.raw(`>${n}${CRLF}`);
    else this.arrayLen(n);
  }

  /** A double: ',' in RESP3, a bulk string in RESP2 (Redis's addReplyDouble). */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.resp === 3) this.raw(`,${s}\r\n`);
    else this.bulk(s);
  }

  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ':1\r\n' : ':0\r\n');
  }

  /** Verbatim text (INFO, CLIENT INFO): '=' with a "txt:" prefix in RESP3, bulk in RESP2. */
  verbatim(s: string): void {
    if (this.resp === 3) {
      this.raw(`=${s.length + 4}\r\ntxt:`);
      this.raw(s);
      this.raw(CRLF);
    } else {
      this.bulk(s);
    }
  }

  mark(): number {
    return this.len;
  }

  truncate(mark: number): void {
    this.len = mark;
  }

  /** Forgets what was written (after the caller copied `buf[0, len)` itself). */
  reset(): void {
    this.len = 0;
    if (this.buf.length > KEEP) this.buf = Buffer.allocUnsafe(INITIAL);
  }

  /** The bytes written so far as a Buffer of their own; the writer starts empty again. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > KEEP) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
  }

  /** The bytes written since `from`, copied, leaving the writer as it was before `from`. */
  takeFrom(from: number): Buffer {
    const out = Buffer.allocUnsafe(this.len - from);
    this.buf.copy(out, 0, from, this.len);
    this.len = from;
    return out;
  }
}
