/**
 * A raw RESP client for tests: sends exact bytes and returns exact reply bytes, so replies can
 * be compared byte for byte between ringkv and redis-server.
 *
 * `replyLength()` finds where one complete RESP2/RESP3 reply ends in a buffer (or -1), which
 * lets `command()` read exactly one reply per command, including nested arrays, maps,
 * attributes and pushes.
 */

import net from 'node:net';

/** Length in bytes of the first complete reply in `buf` starting at `pos`, or -1 if incomplete. */
export function replyLength(buf: Buffer, pos = 0): number {
  const end = replyEnd(buf, pos);
  return end < 0 ? -1 : end - pos;
}

function lineEnd(buf: Buffer, pos: number): number {
  const cr = buf.indexOf('\r\n', pos);
  return cr < 0 ? -1 : cr;
}

function replyEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const type = String.fromCharCode(buf[pos]!);
  const le = lineEnd(buf, pos);
  if (le < 0) return -1;
  const head = buf.toString('latin1', pos + 1, le);
  const after = le + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return after;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return after;
      return buf.length >= after + n + 2 ? after + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return after;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        p = replyEnd(buf, p);
        if (p < 0) return -1;
      }
      // An attribute is followed by the reply it decorates.
      return type === '|' ? replyEnd(buf, p) : p;
    }
    default:
      throw new Error(`not a RESP reply at ${pos}: ${JSON.stringify(buf.toString('latin1', pos, pos + 40))}`);
  }
}

/** Encodes argv as a RESP multibulk request. */
export function encodeCommand(argv: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private readonly socket: net.Socket;
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = net.connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay(true);
    return new RawClient(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async waitData(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  write(data: Buffer | string): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Reads one complete reply (raw bytes). Throws on timeout or close before it arrives. */
  async readReply(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.buf.length > 0 ? replyLength(this.buf) : -1;
      if (n >= 0) {
        const r = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return Buffer.from(r);
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitData(left))) throw new Error(`no reply in ${timeoutMs} ms; unread: ${JSON.stringify(this.buf.toString('latin1'))}`);
    }
  }

  /** Sends one command and returns its raw reply. */
  async command(...argv: Array<string | Buffer>): Promise<Buffer> {
    this.write(encodeCommand(argv));
    return this.readReply();
  }

  /** Everything received until the server closes the connection (or the timeout). */
  async readUntilClose(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitData(left))) break;
    }
    const r = this.buf;
    this.buf = Buffer.alloc(0);
    return r;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A reply as tests compare it: maps, sets and pushes become flat arrays, nulls null. */
export type Reply = string | number | null | { error: string } | Reply[];

/**
 * Decodes one complete RESP2 or RESP3 reply (and nothing after it: trailing bytes throw).
 * Verbatim strings lose their "txt:" prefix; doubles, booleans and big numbers become strings.
 */
export function decodeReply(buf: Buffer): Reply {
  let pos = 0;
  const line = (): string => {
    const end = buf.indexOf('\r\n', pos);
    const s = buf.toString('latin1', pos, end);
    pos = end + 2;
    return s;
  };
  const one = (): Reply => {
    const type = String.fromCharCode(buf[pos++]!);
    const head = line();
    switch (type) {
      case '+': case ',': case '#': case '(': return head;
      case '-': return { error: head };
      case ':': return Number(head);
      case '_': return null;
      case '$': case '=': {
        const n = Number(head);
        if (n < 0) return null;
        const s = buf.toString('latin1', pos, pos + n);
        pos += n + 2;
        return type === '=' ? s.slice(4) : s;
      }
      case '*': case '~': case '>': case '%': {
        const n = Number(head);
        if (n < 0) return null;
        const items: Reply[] = [];
        for (let i = 0; i < (type === '%' ? 2 * n : n); i++) items.push(one());
        return items;
      }
      default: throw new Error(`unexpected reply type ${type}`);
    }
  };
  const r = one();
  if (pos !== buf.length) throw new Error(`${buf.length - pos} bytes after the reply`);
  return r;
}

/** The elements of a RESP2 array of bulk strings given as a latin1 string, or the reply itself if it is not an array. */
export function bulkElements(reply: string): string[] | string {
  if (reply[0] !== '*') return reply;
  return decodeReply(Buffer.from(reply, 'latin1')) as string[];
}
