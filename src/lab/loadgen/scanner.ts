/**
 * The load generator's reply scanner: finds where each reply ends in a byte stream and whether
 * it carries an error, without decoding values.
 *
 * Contract
 * - Resumable across any chunking: `scan(chunk)` reports every reply completed in the chunk
 *   through `onReply(error, raw)`, in order, and keeps the state of a reply that continues in
 *   the next chunk.
 * - Nesting costs nothing: one counter of "elements still owed" replaces a stack. A reply starts
 *   owing 1; each element read pays 1 and an aggregate header of n elements adds n (maps and
 *   attributes 2n; an attribute also owes the reply it annotates). The reply ends when the
 *   debt reaches 0. RESP2 and RESP3 types are understood.
 * - `error` is true when the reply is, or contains at any depth, an error (`-` or `!`): an EXEC
 *   whose queued command failed counts.
 * - `raw` is null unless `capture` was true when the reply began: then it is the reply's bytes.
 *   It may be a view of the caller's read buffer, valid only during the callback.
 * - Not a validator: the server is trusted. A malformed stream gives wrong boundaries, not an
 *   exception.
 *
 * Pure: imports nothing of ours.
 */

const CR = 13;
const LF = 10;

export type ReplySink = (error: boolean, raw: Buffer | null) => void;

export class ReplyScanner {
  /** Set by the caller before a reply starts: keep that reply's bytes for onReply. */
  capture = false;
  private readonly onReply: ReplySink;
  /** Elements the current reply still owes; 0 between replies. */
  private owed = 0;
  /** Bulk payload bytes (plus CRLF) still to skip. */
  private skip = 0;
  private error = false;
  private capturing = false;
  /** The start of a header line cut by the chunk's end, copied. */
  private carry: Buffer | null = null;
  /** Captured parts of a reply that spans chunks. */
  private parts: Buffer[] = [];

  constructor(onReply: ReplySink) {
    this.onReply = onReply;
  }

  scan(chunk: Buffer): void {
    let data = chunk;
    if (this.carry !== null) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const end = data.length;
    let p = 0;
    let replyStart = 0;
    while (p < end) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - p);
        this.skip -= n;
        p += n;
        if (this.skip > 0) break;
        if (this.owed === 0) {
          this.finish(data, replyStart, p);
          replyStart = p;
        }
        continue;
      }
      if (this.owed === 0) {
        // A new reply begins.
        this.owed = 1;
        this.error = false;
        this.capturing = this.capture;
        replyStart = p;
      }
      // A header line: find its LF.
      let nl = p + 1;
      while (nl < end && data[nl] !== LF) nl++;
      if (nl >= end) {
        this.carry = Buffer.from(data.subarray(p));
        if (this.capturing && p > replyStart) this.parts.push(Buffer.from(data.subarray(replyStart, p)));
        return;
      }
      const type = data[p]!;
      const lineEnd = data[nl - 1] === CR ? nl - 1 : nl;
      this.owed--;
      switch (type) {
        case 36: /* $ */
        case 61: /* = verbatim */
        case 33: /* ! bulk error */ {
          const len = readInt(data, p + 1, lineEnd);
          if (type === 33) this.error = true;
          if (len >= 0) this.skip = len + 2;
          break;
        }
        case 42: /* * */
        case 126: /* ~ set */
        case 62: /* > push */ {
          const n = readInt(data, p + 1, lineEnd);
          if (n > 0) this.owed += n;
          break;
        }
        case 37: /* % map */ {
          const n = readInt(data, p + 1, lineEnd);
          if (n > 0) this.owed += 2 * n;
          break;
        }
        case 124: /* | attribute: its pairs, then the reply it annotates */ {
          const n = readInt(data, p + 1, lineEnd);
          this.owed += 2 * Math.max(0, n) + 1;
          break;
        }
        case 45: /* - */
          this.error = true;
          break;
        default: // + : _ # , ( — a one-line element
          break;
      }
      p = nl + 1;
      if (this.skip > 0) continue;
      if (this.owed === 0) {
        this.finish(data, replyStart, p);
        replyStart = p;
      }
    }
    if (this.capturing && (this.owed > 0 || this.skip > 0) && p > replyStart) {
      this.parts.push(Buffer.from(data.subarray(replyStart, p)));
    }
  }

  private finish(data: Buffer, from: number, to: number): void {
    let raw: Buffer | null = null;
    if (this.capturing) {
      if (this.parts.length === 0) raw = data.subarray(from, to);
      else {
        this.parts.push(data.subarray(from, to));
        raw = Buffer.concat(this.parts);
        this.parts = [];
      }
      this.capturing = false;
    }
    this.onReply(this.error, raw);
  }
}

/** A decimal integer between from and to (optional '-'); header lines are trusted. */
function readInt(b: Buffer, from: number, to: number): number {
  let neg = false;
  let i = from;
  if (b[i] === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  for (; i < to; i++) v = v * 10 + (b[i]! - 48);
  return neg ? -v : v;
}

/** A captured simple/bulk reply's text, or null for a null reply (`$-1`, `*-1`, `_`). */
export function replyText(raw: Buffer): string | null {
  const t = raw[0];
  if (t === 95 /* _ */) return null;
  const nl = raw.indexOf(LF);
  if (t === 36 /* $ */) {
    const len = readInt(raw, 1, nl - 1);
    return len < 0 ? null : raw.toString('latin1', nl + 1, nl + 1 + len);
  }
  if (t === 42 /* * */ && readInt(raw, 1, nl - 1) < 0) return null;
  return raw.toString('latin1', 1, nl - 1);
}
