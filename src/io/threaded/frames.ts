/**
 * What travels through the rings between an I/O worker and the executor, and how it is laid
 * out. Both sides import this file; it imports only the ring and the parser's name table.
 *
 * Every frame starts with the same 8 bytes:
 *
 *   0       1       4               8
 *   ┌───────┬───────┬───────────────┬──────────────────────────────
 *   │ kind  │ (pad) │ clientId u32  │ body (kind-specific)
 *   └───────┴───────┴───────────────┴──────────────────────────────
 *
 * Request ring (worker → executor), all integers little-endian u32:
 *   BATCH     body = ncmds u32, pad u32, sentAt f64 (ms since the epoch, sub-ms precision:
 *             performance.timeOrigin + performance.now() on the worker, for INFO's queue
 *             time), then per command: argc, then per argument: len, bytes.
 *             Every command parsed from one socket read, so one frame per read per client.
 *   PART      body = a piece of a serialised BATCH body too big for one frame; the pieces go
 *             in order and the final piece is sent as BATCH. The executor joins them.
 *   REJECT    an error the worker found itself (unknown command, arity, protocol error).
 *             body = flags u8 (1: close after it, 2: the worker already wrote it), then
 *             u32 length + bytes of argv[0], of argv[1] (empty when absent), then the error
 *             text. The executor counts it in INFO (rejected_calls, errorstats) — the command
 *             itself never reaches it — and, unless the worker wrote it (nothing of that client
 *             was in flight), appends it to the client's replies so their order is kept.
 *   GONE      no body: the client's socket closed.
 *   LIMIT     no body: the worker closed the client for client-output-buffer-limit (its GONE
 *             follows); the executor logs it as Redis does.
 *
 * Reply ring (executor → worker):
 *   REPLY     body = count u32, then reply bytes. `count` is how many of the client's commands
 *             these bytes answer, REJECTs the worker did not write included (0 for pushes),
 *             which tells the worker when nothing is in flight any more and it may answer
 *             errors itself. A batch's REPLY counts the commands answered in that batch: a
 *             blocking command that parks its client, and what the client sends while parked,
 *             are answered by later REPLY frames (the engine's late deliveries), each with its
 *             own count; a batch that answered nothing sends no REPLY at all.
 *   RPART     body = a piece of a REPLY too big for one frame; the final piece is sent as REPLY.
 *   CLOSE     close the connection once every reply before it is written (QUIT, protocol error).
 *   KILL      close the connection now (CLIENT KILL, idle timeout).
 *   AUTH      body = authRequired u8: the parser's pre-AUTH limits on or off.
 *   CLASS     body = class u8 (0 normal, 1 pubsub): which client-output-buffer-limit class
 *             the worker checks the client's pending output against (src/io/outputlimit.ts).
 */

import { commandName } from '../../protocol/parser.ts';
import type { RingProducer } from './ring.ts';

export const HEADER = 8;

export const Req = { BATCH: 1, PART: 2, REJECT: 3, GONE: 4, LIMIT: 5 } as const;

export const REJECT_CLOSE = 1;
export const REJECT_WRITTEN = 2;
/** The error is about the input, not a command (a protocol error): there is no argv. */
export const REJECT_PROTOCOL = 4;
export const Rep = { REPLY: 1, RPART: 2, CLOSE: 3, KILL: 4, AUTH: 5, CLASS: 6 } as const;

interface Pending {
  kind: number;
  partKind: number;
  clientId: number;
  body: Buffer;
  /** Bytes of `body` already written as PART pieces. */
  sent: number;
}

/**
 * The producer side of a ring plus an overflow queue: the ring-full rule in one place.
 *
 * `send()` writes a frame now if nothing is queued and the ring has room; otherwise the frame
 * joins a FIFO queue (its body copied, since callers reuse their buffers) and `flush()` writes
 * what fits later. A body larger than one frame goes as PART pieces then a final piece of the
 * frame's own kind; pieces of one frame are never interleaved with other frames, so the
 * consumer joins them per client. `queuedBytes` is what the owner's back-pressure rule reads:
 * the worker stops reading its sockets while it is non-zero, the executor stops draining that
 * worker's requests.
 */
export class Outbox {
  readonly ring: RingProducer;
  private readonly queue: Pending[] = [];
  queuedBytes = 0;

  constructor(ring: RingProducer) {
    this.ring = ring;
  }

  get empty(): boolean {
    return this.queue.length === 0;
  }

  /** Sends (or queues) one frame: `prefix` then `body` form the frame's body. */
  send(kind: number, partKind: number, clientId: number, body: Buffer, prefix: Buffer | null = null): void {
    const whole = prefix === null ? body : Buffer.concat([prefix, body]);
    if (this.queue.length === 0 && whole.length <= this.ring.maxFrame - HEADER && this.writeOne(kind, clientId, whole, 0, whole.length)) {
      return;
    }
    const copy = prefix === null ? Buffer.from(body) : whole;
    this.queue.push({ kind, partKind, clientId, body: copy, sent: 0 });
    this.queuedBytes += copy.length;
    this.flush();
  }

  /**
   * A REPLY frame straight from `src[start, end)` (the executor's reply writer): header, count
   * and bytes copied once into the ring. Falls back to send() (a copy in the queue) when the
   * frame must wait or go in pieces.
   */
  sendReply(kind: number, partKind: number, clientId: number, count: number, src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.queue.length === 0 && HEADER + 4 + n <= this.ring.maxFrame) {
      const at = this.ring.reserve(HEADER + 4 + n);
      if (at >= 0) {
        const bytes = this.ring.bytes;
        bytes[at] = kind;
        bytes.writeUInt32LE(clientId, at + 4);
        bytes.writeUInt32LE(count, at + HEADER);
        src.copy(bytes, at + HEADER + 4, start, end);
        return;
      }
    }
    const body = Buffer.allocUnsafe(4 + n);
    body.writeUInt32LE(count, 0);
    src.copy(body, 4, start, end);
    this.send(kind, partKind, clientId, body);
  }

  /** Writes queued frames while they fit. Returns true when the queue is empty. */
  flush(): boolean {
    const room = this.ring.maxFrame - HEADER;
    while (this.queue.length > 0) {
      const f = this.queue[0]!;
      while (f.body.length - f.sent > room) {
        if (!this.writeOne(f.partKind, f.clientId, f.body, f.sent, f.sent + room)) return false;
        f.sent += room;
        this.queuedBytes -= room;
      }
      if (!this.writeOne(f.kind, f.clientId, f.body, f.sent, f.body.length)) return false;
      this.queuedBytes -= f.body.length - f.sent;
      this.queue.shift();
    }
    return true;
  }

  private writeOne(kind: number, clientId: number, body: Buffer, from: number, to: number): boolean {
    const at = this.ring.reserve(HEADER + (to - from));
    if (at < 0) return false;
    const bytes = this.ring.bytes;
    bytes[at] = kind;
    bytes.writeUInt32LE(clientId, at + 4);
    body.copy(bytes, at + HEADER, from, to);
    return true;
  }

  /** Publishes what was written (see RingProducer.commit). */
  commit(): boolean {
    return this.ring.commit();
  }
}

/** Bytes before the first command in a BATCH body: ncmds, pad, sentAt. */
export const BATCH_HEAD = 16;

/** A wall-clock time with sub-millisecond precision that two threads can compare. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Serialises commands (arrays of latin1 strings) as a BATCH body. */
export class BatchEncoder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private len = BATCH_HEAD;
  private count = 0;

  get commands(): number {
    return this.count;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  add(argv: readonly string[]): void {
    let n = 4;
    for (const a of argv) n += 4 + a.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.len;
    buf.writeUInt32LE(argv.length, p);
    p += 4;
    for (const a of argv) {
      buf.writeUInt32LE(a.length, p);
      p += 4;
      p += buf.latin1Write(a, p, a.length);
    }
    this.len = p;
    this.count++;
  }

  /** The body so far (valid until the next add or reset). */
  body(): Buffer {
    this.buf.writeUInt32LE(this.count, 0);
    this.buf.writeDoubleLE(preciseNow(), 8);
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = BATCH_HEAD;
    this.count = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
  }
}

/** Reads the commands of a BATCH body back as arrays of latin1 strings. */
export function decodeBatch(bytes: Buffer, start: number, end: number, each: (argv: string[]) => boolean): void {
  let n = bytes.readUInt32LE(start);
  let p = start + BATCH_HEAD;
  while (n-- > 0 && p < end) {
    const argc = bytes.readUInt32LE(p);
    p += 4;
    const argv = new Array<string>(argc);
    for (let i = 0; i < argc; i++) {
      const len = bytes.readUInt32LE(p);
      p += 4;
      // Command names come from the interned table, as in the parser (no string made).
      argv[i] = i === 0 && len <= 6 && len > 0 ? commandName(bytes, p, len) : bytes.latin1Slice(p, p + len);
      p += len;
    }
    if (!each(argv)) return;
  }
}

/**
 * Consumer-side reassembly of frames sent in pieces: PART/RPART pieces are held per client
 * until the final piece arrives.
 */
export class Joiner {
  private readonly parts = new Map<number, Buffer[]>();

  /** Holds a copy of a piece (ring bytes are reused once released). */
  piece(clientId: number, bytes: Buffer, start: number, end: number): void {
    let list = this.parts.get(clientId);
    if (list === undefined) this.parts.set(clientId, (list = []));
    list.push(Buffer.from(bytes.subarray(start, end)));
  }

  /**
   * The complete body given its final piece: the ring bytes themselves when there were no
   * earlier pieces (no copy), else the joined pieces. Returns [buffer, start, end].
   */
  finish(clientId: number, bytes: Buffer, start: number, end: number): [Buffer, number, number] {
    const list = this.parts.get(clientId);
    if (list === undefined) return [bytes, start, end];
    this.parts.delete(clientId);
    list.push(bytes.subarray(start, end));
    const whole = Buffer.concat(list);
    return [whole, 0, whole.length];
  }

  drop(clientId: number): void {
    this.parts.delete(clientId);
  }
}

/** The body of a REJECT frame. */
export function encodeReject(flags: number, argv: readonly string[] | null, error: string): Buffer {
  const name = argv?.[0] ?? '';
  const sub = argv?.[1] ?? '';
  const b = Buffer.allocUnsafe(1 + 4 + name.length + 4 + sub.length + error.length);
  let p = 0;
  // A command named "" is a command: only a missing argv marks a protocol error.
  b[p++] = argv === null ? flags | REJECT_PROTOCOL : flags;
  b.writeUInt32LE(name.length, p);
  p += 4;
  p += b.latin1Write(name, p, name.length);
  b.writeUInt32LE(sub.length, p);
  p += 4;
  p += b.latin1Write(sub, p, sub.length);
  b.latin1Write(error, p, error.length);
  return b;
}

export function decodeReject(bytes: Buffer, start: number, end: number): { flags: number; name: string; sub: string; error: string } {
  let p = start;
  const flags = bytes[p++]!;
  const nl = bytes.readUInt32LE(p);
  p += 4;
  const name = bytes.latin1Slice(p, p + nl);
  p += nl;
  const sl = bytes.readUInt32LE(p);
  p += 4;
  const sub = bytes.latin1Slice(p, p + sl);
  p += sl;
  return { flags, name, sub, error: bytes.latin1Slice(p, end) };
}
