/**
 * The load generator's RESP request encoder: commands are written straight into a slab of
 * bytes, and everything a connection produced in one event-loop turn leaves in one write.
 *
 * Contract
 * - Workloads build a command from pre-encoded fixed parts (`head(3, 'SET')` is
 *   `*3\r\n$3\r\nSET\r\n`, encoded once at load time), key slots (`keySlot('key:')`: the prefix
 *   and the `$len` header are pre-encoded; only the 12 digits are written per request) and,
 *   rarely, free strings and integers. Nothing per request allocates except `str()`.
 * - Keys are `<prefix><12-digit zero-padded number>`, as redis-benchmark's
 *   `key:__rand_int__` expands with `-r`: same length, same bytes per request.
 * - `take()` returns the bytes written since the last take (or null) as a view of the slab; the
 *   slab is never written again below that point, so the view stays valid while the socket
 *   holds it (a partial write keeps a reference, it does not copy). A new slab is started when
 *   the current one runs low; old slabs are collected once their writes finish.
 *
 * Pure: imports nothing of ours.
 */

const SLAB = 64 * 1024;
export const KEY_DIGITS = 12;

/** A key (or member) argument: `$<len>\r\n<prefix>` pre-encoded; the digits and CRLF per use. */
export interface KeySlot {
  readonly head: Buffer;
}

/** `$<len>\r\n<prefix>` for keys of `prefix` + 12 digits. */
export function keySlot(prefix: string): KeySlot {
  return { head: Buffer.from(`$${prefix.length + KEY_DIGITS}\r\n${prefix}`, 'latin1') };
}

/** The name `keySlot(prefix)` writes for key number n (for tests and preload checks). */
export function keyName(prefix: string, n: number): string {
  return prefix + String(n).padStart(KEY_DIGITS, '0');
}

/** Bulk strings for each argument, concatenated (no array header). */
export function bulks(...args: string[]): Buffer {
  return Buffer.from(args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join(''), 'latin1');
}

/** `*n\r\n` followed by the leading fixed arguments: the start of an n-argument command. */
export function head(n: number, ...args: string[]): Buffer {
  return Buffer.concat([Buffer.from(`*${n}\r\n`, 'latin1'), bulks(...args)]);
}

/** A whole fixed command, e.g. `command('PING')`. */
export function command(...args: string[]): Buffer {
  return head(args.length, ...args);
}

export class Encoder {
  private buf: Buffer = Buffer.allocUnsafe(SLAB);
  private start = 0;
  private pos = 0;

  /** Bytes written and not yet taken. */
  get pending(): number {
    return this.pos - this.start;
  }

  /** Room for n more bytes, moving the untaken bytes to a new slab when this one is short. */
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const pending = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB, 2 * (pending + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = pending;
  }

  /** Pre-encoded bytes (a `head()`, `bulks()` or `command()` result). */
  raw(b: Buffer): void {
    const n = b.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    if (n <= 32) {
      // Short copies: a loop beats the native call's fixed cost.
      for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    } else {
      b.copy(buf, p);
      p += n;
    }
    this.pos = p;
  }

  /** A key slot's argument for key number k (0 ≤ k < 10^12). */
  key(slot: KeySlot, k: number): void {
    this.raw(slot.head);
    this.ensure(KEY_DIGITS + 2);
    const buf = this.buf;
    const p = this.pos;
    for (let i = KEY_DIGITS - 1; i >= 0; i--) {
      const q = Math.floor(k / 10);
      buf[p + i] = 48 + (k - q * 10);
      k = q;
    }
    buf[p + KEY_DIGITS] = 13;
    buf[p + KEY_DIGITS + 1] = 10;
    this.pos = p + KEY_DIGITS + 2;
  }

  /** A free bulk-string argument (latin1: one byte per char). */
  str(s: string): void {
    const h = `$${s.length}\r\n`;
    this.ensure(h.length + s.length + 2);
    this.pos += this.buf.write(h, this.pos, 'latin1');
    this.pos += this.buf.write(s, this.pos, 'latin1');
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }

  /** An integer argument, as its decimal bulk string. */
  int(n: number): void {
    this.str(String(n));
  }

  /** The bytes written since the last take, or null when there are none. */
  take(): Buffer | null {
    if (this.pos === this.start) return null;
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    if (this.buf.length - this.pos < 4096) {
      this.buf = Buffer.allocUnsafe(SLAB);
      this.start = this.pos = 0;
    }
    return out;
  }
}
