/**
 * A small RESP2 client for the harness's own scenarios (readiness checks, FLUSHALL, preload,
 * head-of-line, pub/sub fan-out, the web-sessions app). Not the load generator: that is
 * src/lab/loadgen, built for throughput; this one is built to be obviously correct.
 *
 * - `RespConn.call(...args)` sends one command and resolves with its reply, in order (replies
 *   are FIFO per connection, so pipelining is just calling again before the first resolves).
 *   Error replies resolve as `RespError` values, they do not reject; a closed connection rejects
 *   everything pending.
 * - Subscriber mode: `onMessage(channel, payload)` receives pub/sub "message" pushes; other
 *   replies still resolve pending calls in order.
 * - The reply reader is resumable (it never re-scans what it has parsed), so a 1M-element KEYS
 *   reply arriving in thousands of chunks costs linear time; `discard` counts elements of
 *   arrays without keeping them.
 *
 * Strings are latin1 (one char per byte), as everywhere in ringkv.
 */

import net from 'node:net';

export class RespError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
  toString(): string {
    return this.message;
  }
}

export type Reply = string | number | null | RespError | Reply[];

interface Frame {
  left: number;
  items: Reply[] | null;
  count: number;
}

/** Incremental RESP2 reply reader: push bytes, get whole replies through the callback. */
export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly stack: Frame[] = [];
  private readonly onReply: (r: Reply) => void;
  /** When true, arrays are delivered as their element count (a number) instead of their items. */
  discard = false;

  constructor(onReply: (r: Reply) => void) {
    this.onReply = onReply;
  }

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    const b = this.buf;
    for (;;) {
      const nl = b.indexOf('\r\n', this.pos, 'latin1');
      if (nl < 0) return;
      const type = b[this.pos]!;
      const line = b.latin1Slice(this.pos + 1, nl);
      if (type === 0x24 /* $ */) {
        const len = Number(line);
        if (len < 0) {
          this.pos = nl + 2;
          this.value(null);
          continue;
        }
        if (b.length < nl + 2 + len + 2) return; // the bulk has not all arrived
        const s = this.discard && this.stack.length > 0 ? '' : b.latin1Slice(nl + 2, nl + 2 + len);
        this.pos = nl + 2 + len + 2;
        this.value(s);
        continue;
      }
      this.pos = nl + 2;
      switch (type) {
        case 0x2b /* + */: this.value(line); break;
        case 0x2d /* - */: this.value(new RespError(line)); break;
        case 0x3a /* : */: this.value(Number(line)); break;
        case 0x2a /* * */: {
          const n = Number(line);
          if (n < 0) this.value(null);
          else if (n === 0) this.value(this.discard ? 0 : []);
          else this.stack.push({ left: n, items: this.discard ? null : [], count: n });
          break;
        }
        default: throw new Error(`bad RESP type byte ${type} in reply`);
      }
    }
  }

  private value(v: Reply): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) {
        this.onReply(v);
        return;
      }
      top.items?.push(v);
      if (--top.left > 0) return;
      this.stack.pop();
      v = top.items ?? top.count;
    }
  }
}

export function encodeCommand(args: ReadonlyArray<string | number>): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) {
    const x = String(a);
    s += `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`;
  }
  return Buffer.from(s, 'latin1');
}

export class RespConn {
  readonly socket: net.Socket;
  private readonly reader: ReplyReader;
  private readonly pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private closedError: Error | null = null;
  /** Pub/sub "message" pushes (channel, payload); set before subscribing. */
  onMessage: ((channel: string, payload: string) => void) | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.reader = new ReplyReader((r) => this.deliver(r));
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.reader.push(d));
    const fail = (err: Error): void => {
      this.closedError ??= err;
      for (const p of this.pending.splice(0)) p.reject(this.closedError);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static connect(host: string, port: number, timeoutMs = 5000): Promise<RespConn> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new RespConn(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Arrays arrive as their element count, not their items (for KEYS * on a big key space). */
  set discardArrays(on: boolean) {
    this.reader.discard = on;
  }

  private deliver(r: Reply): void {
    if (this.onMessage !== null && Array.isArray(r) && r[0] === 'message' && r.length === 3) {
      this.onMessage(r[1] as string, r[2] as string);
      return;
    }
    this.pending.shift()?.resolve(r);
  }

  call(...args: Array<string | number>): Promise<Reply> {
    if (this.closedError !== null) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  /** Like call, but an error reply rejects. */
  async ok(...args: Array<string | number>): Promise<Reply> {
    const r = await this.call(...args);
    if (r instanceof RespError) throw new Error(`${args.join(' ').slice(0, 60)}: ${r.message}`);
    return r;
  }

  /** Sends many commands in one write and waits for all their replies; returns the error count. */
  async pipeline(commands: ReadonlyArray<ReadonlyArray<string | number>>): Promise<number> {
    if (commands.length === 0) return 0;
    const all = commands.map(() => new Promise<Reply>((resolve, reject) => this.pending.push({ resolve, reject })));
    this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    let errors = 0;
    for (const r of await Promise.all(all)) if (r instanceof RespError) errors++;
    return errors;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves once a PING answers PONG on host:port, or rejects after `timeoutMs`. */
export async function waitForPong(host: string, port: number, timeoutMs = 15000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`server on ${host}:${port} exited before answering PING`);
    try {
      const c = await RespConn.connect(host, port, 1000);
      try {
        if ((await c.call('PING')) === 'PONG') return;
      } finally {
        c.close();
      }
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no PONG from ${host}:${port} within ${timeoutMs} ms (${String(last)})`);
}
