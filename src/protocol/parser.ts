/**
 * RESP request parser: bytes in, argument vectors out.
 *
 * Contract
 * - Incremental and binary-safe. `push()` hands it whatever the socket read; `next()` returns the
 *   next complete command as an argv of latin1 strings (one char per byte, so every byte value
 *   survives), `null` when more bytes are needed, or `null` with `error` set when the input is
 *   invalid. After an error the parser is dead: the caller answers `-ERR <error>` and closes that
 *   connection only, exactly as Redis does.
 * - Tells "incomplete" from "invalid" and resumes where it stopped; it never re-scans a command
 *   it has already taken apart.
 * - Linear in the bytes received, however they are split: a read that ends inside a command is
 *   kept in a buffer with spare room that grows by doubling (each byte is copied O(1) times,
 *   amortised), and the search for a line's end resumes where the previous search stopped
 *   (each byte of an unfinished line is scanned once). A read that ends on a command boundary
 *   (the common case) is parsed in place, with no copy. `copiedBytes`/`scannedBytes` count
 *   this work so a test can hold the parser to it. (The bookkeeping sits off the common path:
 *   a line found whole in one search costs one extra field read.)
 * - Limits are checked before memory is spent: a length header larger than the limit is refused
 *   on sight, and a large bulk argument is collected as the chunks that actually arrived, never
 *   pre-allocated from the length a client claimed.
 * - Both request forms Redis accepts: multibulk (`*N\r\n$len\r\n…`) and inline (`SET k v\n`), the
 *   latter split with Redis's quoting rules (see splitInline).
 *
 * Error texts and thresholds are Redis 7.0's (networking.c, processMultibulkBuffer and
 * processInlineBuffer). Like Redis, the parser does not check the two bytes after a length line's
 * '\r' or after a bulk payload: it skips them.
 *
 * Imports nothing of ours: this module is a leaf.
 */

/** Longest inline request, and longest length line, Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX_SIZE = 64 * 1024;
/** Bulk arguments at least this large are collected chunk by chunk (PROTO_MBULK_BIG_ARG). */
export const BIG_ARG = 32 * 1024;
/** Before AUTH succeeds, Redis allows at most this many arguments... */
export const UNAUTH_MAX_MULTIBULK = 10;
/** ...of at most this many bytes each. */
export const UNAUTH_MAX_BULK = 16384;
/** Largest multibulk count Redis 7 accepts (INT_MAX). */
export const MAX_MULTIBULK = 2147483647;

const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
}

/**
 * Parse a decimal integer the way Redis's string2ll does: optional '-', no '+', no leading
 * zeros, no spaces. Returns NaN for anything else (including values beyond 2^53, which every
 * caller refuses anyway).
 */
export function parseLength(buf: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n <= 0 || n > 20) return NaN;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
    if (i === end) return NaN;
  }
  const first = buf[i]!;
  if (first === 48 /* 0 */) return n === 1 ? 0 : NaN;
  if (first < 49 || first > 57) return NaN;
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  if (v > Number.MAX_SAFE_INTEGER) return NaN;
  return neg ? -v : v;
}

/**
 * Where `ch` first occurs at or after `from`, or -1 when it does not, or when a NUL byte comes
 * before it. Redis finds line ends with strchr() on its NUL-terminated query buffer, so a NUL
 * hides the line end: the request stays incomplete until the "too big" limit trips.
 */
function lineEnd(buf: Buffer, from: number, ch: number): number {
  // Length lines are a few bytes long: a plain loop beats the native indexOf call, whose
  // fixed cost (argument checks, typed-array lookups) dominated for "$3\r\n" in a CPU profile.
  const end = buf.length;
  const near = Math.min(end, from + 32);
  let i = from;
  for (; i < near; i++) {
    const b = buf[i];
    if (b === ch) return i;
    if (b === 0) return -1;
  }
  if (i === end) return -1;
  const at = buf.indexOf(ch, i);
  for (; i < at; i++) if (buf[i] === 0) return -1;
  return at;
}

/** Interned short command names, keyed by their packed bytes; see commandName(). */
const names = new Map<number, string>();
const MAX_NAMES = 4096;

/**
 * argv[0] of 1 to 6 bytes as a string without a native call: the bytes and the length are
 * packed into one number (at most 6·2^48, exact in a double) and looked up among the names
 * seen before. Saves the ~50 ns of creating the string for every GET or SET; the table stops
 * growing at MAX_NAMES so random names cannot make it a leak.
 */
export function commandName(buf: Buffer, pos: number, len: number): string {
  let key = len;
  for (let i = pos; i < pos + len; i++) key = key * 256 + buf[i]!;
  let s = names.get(key);
  if (s === undefined) {
    s = buf.latin1Slice(pos, pos + len);
    if (names.size < MAX_NAMES) names.set(key, s);
  }
  return s;
}

export class RequestParser {
  /** Set once input is invalid; the text Redis puts after "-ERR ". */
  error: string | null = null;
  /** Redis applies tighter limits to clients that still owe an AUTH. */
  authRequired = false;

  /**
   * Work counters, only ever incremented, for tests: bytes copied into the parser's own buffer,
   * and bytes examined by searches for a line end that found none yet (the searches that used
   * to repeat; a search that finds its line end examines each byte of the line once, and is
   * not counted, to keep the common path free of bookkeeping).
   */
  copiedBytes = 0;
  scannedBytes = 0;

  /** The unparsed input is buf[pos..]; buf is either the caller's chunk or a view of `store`. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  /**
   * Our own growable buffer when `buf` is a view of it (buf = store[0, buf.length), the rest
   * is spare room to append into); null while `buf` is a chunk the caller passed in.
   */
  private store: Buffer | null = null;
  /**
   * How far earlier searches for the end of the line starting at `pos` got: buf[pos, pos +
   * scanned) holds no terminator (and no NUL); -1 when a NUL was found, so the line cannot end
   * before the "too big" error. Non-zero only while that line is unfinished: resumeLine()
   * puts it back to 0 when it finds the line end, so moving past a line needs no write.
   */
  private scanned = 0;
  /** Arguments still expected in the current multibulk; 0 = between commands. */
  private pending = 0;
  private argv: string[] = [];
  /** Length of the bulk whose header was read and whose payload is awaited; -1 = none. */
  private bulkLen = -1;
  /** A large bulk being collected: the chunks received so far and their total size. */
  private chunks: Buffer[] | null = null;
  private chunksLen = 0;
  private readonly limits: ParserLimits;

  constructor(limits: ParserLimits) {
    this.limits = limits;
  }

  /** Bytes received and not yet returned as commands (Redis's query buffer length). */
  get buffered(): number {
    return this.chunks !== null ? this.chunksLen : this.buf.length - this.pos;
  }

  push(chunk: Buffer): void {
    if (this.chunks !== null) {
      this.chunks.push(chunk);
      this.chunksLen += chunk.length;
      if (this.chunksLen >= this.bulkLen + 2) {
        this.buf = Buffer.concat(this.chunks, this.chunksLen);
        this.copiedBytes += this.chunksLen;
        this.pos = 0;
        this.chunks = null;
        this.chunksLen = 0;
      }
      return;
    }
    if (this.pos >= this.buf.length) {
      // Everything before was parsed: parse the new chunk in place.
      this.buf = chunk;
      this.pos = 0;
      this.store = null; // `scanned` is 0 here: it is non-zero only while buf[pos..] is non-empty
      return;
    }
    if (chunk.length === 0) return;
    this.append(chunk);
  }

  /**
   * Adds `chunk` after the unparsed rest buf[pos..]. Appends into the store's spare room when
   * there is some. Otherwise moves the rest to the front of the store when that frees enough
   * room (the bytes parsed since the last move pay for it), or else copies it into a new store
   * of at least twice the size: so each byte is copied a bounded number of times, amortised.
   * `scanned` is relative to `pos`, so it survives the move.
   */
  private append(chunk: Buffer): void {
    const rest = this.buf.length - this.pos;
    const need = rest + chunk.length;
    let store = this.store;
    if (store !== null && this.buf.length + chunk.length <= store.length) {
      store.set(chunk, this.buf.length);
      this.buf = store.subarray(0, this.buf.length + chunk.length);
      this.copiedBytes += chunk.length;
      return;
    }
    if (store !== null && need <= store.length >>> 1) {
      store.copyWithin(0, this.pos, this.buf.length);
    } else {
      // The first time (buf is the caller's chunk) exactly the size needed, as a join would:
      // a command split across two large reads is the common way to get here, and the next
      // read usually completes it. From then on, doubling.
      const size = store === null ? need : Math.max(need, store.length * 2);
      const grown = Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, this.pos);
      store = this.store = grown;
    }
    store.set(chunk, rest);
    this.copiedBytes += need;
    this.buf = store.subarray(0, need);
    this.pos = 0;
  }

  /**
   * Where the line starting at `pos` ends (the index of `ch`), or -1 when it has not arrived:
   * the search resumes where earlier ones for this line stopped. Callers search themselves
   * when `scanned` is 0 (the common case) and call this otherwise.
   */
  private resumeLine(ch: number): number {
    if (this.scanned < 0) return -1;
    const from = this.pos + this.scanned;
    if (from >= this.buf.length) return -1;
    const at = lineEnd(this.buf, from, ch);
    if (at >= 0) this.scanned = 0; // found: the caller takes the line or records where it ends
    return at;
  }

  /** After a search found no line end: records how far it got, so the next one resumes there. */
  private lineMissing(): void {
    if (this.scanned < 0) return;
    const buf = this.buf;
    const from = this.pos + this.scanned;
    // Not found, or a NUL came first (see lineEnd): a NUL hides every later terminator, so
    // once one is in the line there is no point looking again.
    this.scannedBytes += 2 * (buf.length - from);
    this.scanned = buf.indexOf(0, from) >= 0 ? -1 : buf.length - this.pos;
  }

  /** The next complete command, or null (incomplete, or `error` set). */
  next(): string[] | null {
    if (this.error !== null || this.chunks !== null) return null;
    for (;;) {
      if (this.pos >= this.buf.length) return null;
      if (this.pending === 0) {
        if (this.buf[this.pos] !== 42 /* * */) {
          const argv = this.inline();
          if (argv === null) return null;
          if (argv.length === 0) continue; // an empty line is no command
          return argv;
        }
        const n = this.multibulkHeader();
        if (n === null) return null;
        if (n <= 0) continue; // "*0" and "*-1" are ignored, as in Redis
        this.pending = n;
        this.argv = [];
      }
      if (!this.bulks()) return null;
      const argv = this.argv;
      this.argv = [];
      return argv;
    }
  }

  private fail(text: string): null {
    this.error = text;
    this.buf = EMPTY;
    this.pos = 0;
    this.store = null;
    this.chunks = null;
    return null;
  }

  /** Parses "*N\r\n". Returns N, or null when incomplete/invalid. */
  private multibulkHeader(): number | null {
    const buf = this.buf;
    const cr = this.scanned === 0 ? lineEnd(buf, this.pos, CR) : this.resumeLine(CR);
    if (cr < 0) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) return this.fail('Protocol error: too big mbulk count string');
      this.lineMissing();
      return null;
    }
    if (cr + 1 >= buf.length) {
      this.scanned = cr - this.pos; // the '\n' has not arrived yet: look no further than cr next time
      return null;
    }
    const n = parseLength(buf, this.pos + 1, cr);
    if (Number.isNaN(n) || n > MAX_MULTIBULK) return this.fail('Protocol error: invalid multibulk length');
    if (n > UNAUTH_MAX_MULTIBULK && this.authRequired) return this.fail('Protocol error: unauthenticated multibulk length');
    this.pos = cr + 2;
    return n;
  }

  /** Reads bulk arguments until the multibulk is complete (true) or input runs out (false). */
  private bulks(): boolean {
    const argv = this.argv;
    while (this.pending > 0) {
      const buf = this.buf;
      let pos = this.pos;
      if (this.bulkLen < 0) {
        if (pos >= buf.length) return false;
        const cr = this.scanned === 0 ? lineEnd(buf, pos, CR) : this.resumeLine(CR);
        if (cr < 0) {
          if (buf.length - pos > INLINE_MAX_SIZE) {
            this.fail('Protocol error: too big bulk count string');
          } else {
            this.lineMissing();
          }
          return false;
        }
        if (cr + 1 >= buf.length) {
          this.scanned = cr - pos;
          return false;
        }
        if (buf[pos] !== 36 /* $ */) {
          this.fail(`Protocol error: expected '$', got '${String.fromCharCode(buf[pos]!)}'`);
          return false;
        }
        const len = parseLength(buf, pos + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > this.limits.maxBulkLen) {
          this.fail('Protocol error: invalid bulk length');
          return false;
        }
        if (len > UNAUTH_MAX_BULK && this.authRequired) {
          this.fail('Protocol error: unauthenticated bulk length');
          return false;
        }
        pos = this.pos = cr + 2;
        this.bulkLen = len;
      }
      const len = this.bulkLen;
      if (buf.length - pos < len + 2) {
        if (len >= BIG_ARG) {
          // Collect the payload as it arrives; joined once when complete (see push()).
          this.chunks = [buf.subarray(pos)];
          this.chunksLen = buf.length - pos;
          this.buf = EMPTY;
          this.pos = 0;
          this.store = null; // the first chunk is a view of it: never write into it again
        }
        return false;
      }
      argv.push(argv.length === 0 && len <= 6 && len > 0 ? commandName(buf, pos, len) : buf.latin1Slice(pos, pos + len));
      this.pos = pos + len + 2;
      this.bulkLen = -1;
      this.pending--;
    }
    return true;
  }

  /** Parses one inline command line; [] for an empty line, null when incomplete/invalid. */
  private inline(): string[] | null {
    const buf = this.buf;
    const lf = this.scanned === 0 ? lineEnd(buf, this.pos, LF) : this.resumeLine(LF);
    if (lf < 0) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) return this.fail('Protocol error: too big inline request');
      this.lineMissing();
      return null;
    }
    let end = lf;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.latin1Slice(this.pos, end);
    this.pos = lf + 1;
    const argv = splitInline(line);
    if (argv === null) return this.fail('Protocol error: unbalanced quotes in request');
    return argv;
  }
}

function isSpace(c: number): boolean {
  // isspace() in the C locale: space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits an inline line into arguments with Redis's rules (sdssplitargs): blanks separate
 * arguments; "double quotes" take the escapes \n \r \t \b \a \\ \" and \xHH; 'single quotes'
 * take only \'; a closing quote must be followed by a blank or the end of the line. Returns
 * null for unbalanced quotes.
 */
export function splitInline(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inDouble = false;
    let inSingle = false;
    let cur = '';
    let done = false;
    while (!done) {
      const c = i < n ? line.charCodeAt(i) : -1;
      if (inDouble) {
        if (c === -1) return null;
        if (c === 92 /* \ */ && line.charCodeAt(i + 1) === 120 /* x */ &&
            hexValue(line.charCodeAt(i + 2)) >= 0 && hexValue(line.charCodeAt(i + 3)) >= 0) {
          cur += String.fromCharCode(hexValue(line.charCodeAt(i + 2)) * 16 + hexValue(line.charCodeAt(i + 3)));
          i += 3;
        } else if (c === 92 && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === 34 /* " */) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (inSingle) {
        if (c === -1) return null;
        if (c === 92 && line.charCodeAt(i + 1) === 39 /* ' */) {
          i++;
          cur += "'";
        } else if (c === 39) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (c === -1 || c === 32 || c === 9 || c === 10 || c === 13) {
        // Only these end a bare word; \v and \f do not, though they are skipped between words.
        done = true;
      } else if (c === 34) {
        inDouble = true;
      } else if (c === 39) {
        inSingle = true;
      } else {
        cur += line[i];
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}
