/**
 * Bad input against real servers: every hostile or malformed request is sent to ringkv and to a
 * real redis-server, and what comes back (reply bytes until the server closes, and whether it
 * closes) must be identical. After each one both servers must still be alive and a bystander
 * connection, open the whole time, must still answer PING.
 *
 * Also here: a client claiming a 4 GB bulk, a client streaming a 100 MB bulk, and a client that
 * overruns `client-query-buffer-limit` (closed silently, without the server's memory following
 * the client's claim).
 */

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { seeded as prng } from '../helpers/random.ts';

const MB = 1024 * 1024;
const run = requireRedis();

interface Seen {
  reply: string;
  closed: boolean;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `input` on a fresh connection; returns everything read until close (or `waitMs`). */
async function probe(port: number, input: Buffer | Buffer[], waitMs: number): Promise<Seen> {
  const c = await RawClient.connect(port);
  try {
    const chunks = Array.isArray(input) ? input : [input];
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await sleep(5);
      c.write(chunk);
    }
    const reply = await c.readUntilClose(waitMs);
    return { reply: reply.toString('latin1'), closed: c.closed };
  } finally {
    c.close();
  }
}

/** Runs a script of commands on a fresh connection; each reply as a latin1 string. */
async function script(port: number, cmds: Array<Array<string | Buffer>>): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    const out: string[] = [];
    for (const argv of cmds) out.push((await c.command(...argv)).toString('latin1'));
    return out;
  } finally {
    c.close();
  }
}

/** Resident set size of a process in bytes, from /proc. */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Writes to a raw socket respecting back-pressure; resolves false once the peer is gone. */
function writeAll(sock: net.Socket, data: Buffer): Promise<boolean> {
  if (sock.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    sock.once('close', onClose);
    const ok = sock.write(data, (err) => {
      if (err) resolve(false);
    });
    const done = () => {
      sock.off('close', onClose);
      resolve(!sock.destroyed);
    };
    if (ok) done();
    else sock.once('drain', done);
  });
}

async function rawSocket(port: number): Promise<{ sock: net.Socket; received: () => Buffer; closed: Promise<void> }> {
  const sock = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  sock.on('error', () => {});
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => parts.push(d));
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  return { sock, received: () => Buffer.concat(parts), closed };
}

describe.skipIf(!run)('bad input: ringkv answers like redis-server and survives', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  const bystanders = new Map<TestServer, RawClient>();

  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    for (const s of [ringkv, redis]) bystanders.set(s, await RawClient.connect(s.port));
  });
  afterAll(async () => {
    for (const c of bystanders.values()) c.close();
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  /** Both servers are alive, and the bystander connection of each still works. */
  async function bothAlive(): Promise<void> {
    for (const s of [ringkv, redis]) {
      expect(s.proc.exitCode, `${s === ringkv ? 'ringkv' : 'redis'} exited`).toBeNull();
      expect((await bystanders.get(s)!.command('PING')).toString('latin1')).toBe('+PONG\r\n');
    }
  }

  async function compare(input: Buffer | Buffer[], waitMs = 800): Promise<Seen> {
    const [mine, theirs] = await Promise.all([probe(ringkv.port, input, waitMs), probe(redis.port, input, waitMs)]);
    expect(mine).toEqual(theirs);
    return mine;
  }

  // [title, input, expected reply, expected closed]
  const cases: Array<[string, string | Buffer | Buffer[], string, boolean]> = [
    ['negative bulk length', '*1\r\n$-5\r\n', '-ERR Protocol error: invalid bulk length\r\n', true],
    ['bulk length -1 in a request', '*2\r\n$3\r\nGET\r\n$-1\r\n', '-ERR Protocol error: invalid bulk length\r\n', true],
    ['multibulk length 99999999999', '*99999999999\r\n', '-ERR Protocol error: invalid multibulk length\r\n', true],
    ['multibulk length 2147483648', '*2147483648\r\n', '-ERR Protocol error: invalid multibulk length\r\n', true],
    ['bulk length 4294967296 (4 GB)', '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4294967296\r\n', '-ERR Protocol error: invalid bulk length\r\n', true],
    ['bulk length just above proto-max-bulk-len', `*1\r\n$${512 * MB + 1}\r\n`, '-ERR Protocol error: invalid bulk length\r\n', true],
    ['bulk length 20 nines', `*1\r\n$${'9'.repeat(20)}\r\n`, '-ERR Protocol error: invalid bulk length\r\n', true],
    ['non-numeric multibulk length', '*abc\r\n', '-ERR Protocol error: invalid multibulk length\r\n', true],
    ['"+1" as multibulk length', '*+1\r\n$4\r\nPING\r\n', '-ERR Protocol error: invalid multibulk length\r\n', true],
    ['expected $, got x', '*1\r\nx\r\n', "-ERR Protocol error: expected '$', got 'x'\r\n", true],
    ['expected $, got CR (sanitized to a space)', '*1\r\n\r\r\n', "-ERR Protocol error: expected '$', got ' '\r\n", true],
    ['expected $, got LF (sanitized to a space)', '*1\r\n\n\r\n', "-ERR Protocol error: expected '$', got ' '\r\n", true],
    ['unbalanced quotes', 'SET "k v\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n', true],
    ['closing quote not followed by a space', 'ECHO "a"b\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n', true],
    ['too big mbulk count string', `*${'1'.repeat(70000)}`, '-ERR Protocol error: too big mbulk count string\r\n', true],
    ['too big bulk count string', `*1\r\n$${'1'.repeat(70000)}`, '-ERR Protocol error: too big bulk count string\r\n', true],
    ['replies before a protocol error are sent first', 'PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n',
      '+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n', true],
    ['error after some arguments of a multibulk', '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$x\r\n', '-ERR Protocol error: invalid bulk length\r\n', true],
    ['*-5 and *0 are ignored', '*-5\r\n*0\r\n*1\r\n$4\r\nPING\r\n', '+PONG\r\n', false],
    ['a $ line at top level is an inline command', '$-5\r\n', "-ERR unknown command '$-5', with args beginning with: \r\n", false],
    ['inline command with high bytes', '\xff\xfe x\r\n', "-ERR unknown command '\xff\xfe', with args beginning with: 'x' \r\n", false],
    ['empty lines are ignored', '\r\n\n \r\nPING\r\n', '+PONG\r\n', false],
    ['a NUL before the line end: no reply, connection kept', 'ECHO a\0b\r\nPING\r\n', '', false],
    ['a NUL in a length line: no reply, connection kept', '*1\r\n$4\0\r\nPING\r\n', '', false],
    ['\\v inside an inline word does not split it', 'ECHO a\x0bb\r\n', '$3\r\na\x0bb\r\n', false],
    ['truncated multibulk', '*3\r\n$3\r\nSET\r\n$1\r\nk', '', false],
    ['truncated bulk payload', '*2\r\n$4\r\nECHO\r\n$10\r\nabc', '', false],
    ['truncated inline', 'PIN', '', false],
    ['a bulk at the limit waits for its payload', `*1\r\n$${512 * MB}\r\nabc`, '', false],
    ['too big inline request in chunks', Array.from({ length: 5 }, () => b('a'.repeat(20000))),
      '-ERR Protocol error: too big inline request\r\n', true],
  ];
  for (const [title, input, reply, closed] of cases) {
    test(title, async () => {
      const buf = typeof input === 'string' ? b(input) : input;
      const mine = await compare(buf);
      expect(mine).toEqual({ reply, closed });
      await bothAlive();
    });
  }

  test('a 1 MB inline line is a too big inline request', async () => {
    const mine = await compare(b(`SET k ${'v'.repeat(MB)}\r\n`), 3000);
    expect(mine).toEqual({ reply: '-ERR Protocol error: too big inline request\r\n', closed: true });
    await bothAlive();
  });

  test('a truncated frame completed later runs normally', async () => {
    for (const s of [ringkv, redis]) {
      const c = await RawClient.connect(s.port);
      c.write('*3\r\n$3\r\nSET\r\n$9\r\ntruncated\r\n$5\r\nhel');
      await sleep(100);
      await bothAlive();
      c.write('lo\r\n*2\r\n$3\r\nGET\r\n$9\r\ntrunc');
      expect((await c.readReply()).toString()).toBe('+OK\r\n');
      c.write('ated\r\n');
      expect((await c.readReply()).toString()).toBe('$5\r\nhello\r\n');
      c.close();
    }
  });

  test('commands after a protocol error are not executed', async () => {
    const input = b('SET after-error 1\r\n*x\r\nSET after-error 2\r\n');
    await compare(input);
    for (const s of [ringkv, redis]) {
      expect((await bystanders.get(s)!.command('GET', 'after-error')).toString()).toBe('$1\r\n1\r\n');
    }
  });

  test('random bytes', async () => {
    const rnd = prng(7);
    const alphabet = b('*$\r\n0123456789-"\'\\x ab\0\x0b');
    const inputs: Buffer[] = [];
    for (let i = 0; i < 240; i++) {
      const n = 1 + Math.floor(rnd() * 80);
      const buf = Buffer.alloc(n);
      const uniform = i % 2 === 0;
      for (let j = 0; j < n; j++) buf[j] = uniform ? Math.floor(rnd() * 256) : alphabet[Math.floor(rnd() * alphabet.length)]!;
      // Start some with a plausible header, to reach the deeper states of the parser.
      inputs.push(i % 3 === 0 ? Buffer.concat([b(`*${1 + Math.floor(rnd() * 3)}\r\n`), buf]) : buf);
    }
    const mismatches: string[] = [];
    const batch = 60;
    for (let i = 0; i < inputs.length; i += batch) {
      await Promise.all(inputs.slice(i, i + batch).map(async (input) => {
        const [mine, theirs] = await Promise.all([probe(ringkv.port, input, 800), probe(redis.port, input, 800)]);
        if (mine.reply !== theirs.reply || mine.closed !== theirs.closed) {
          mismatches.push(`${JSON.stringify(input.toString('latin1'))}\n  ringkv: ${JSON.stringify(mine)}\n  redis:  ${JSON.stringify(theirs)}`);
        }
      }));
    }
    expect(mismatches).toEqual([]);
    await bothAlive();
  });

  test('binary keys and values with all 256 byte values round-trip', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const rev = Buffer.from(all).reverse();
    const cmds: Array<Array<string | Buffer>> = [
      ['SET', all, rev], ['GET', all], ['SET', rev, all], ['GET', rev], ['GET', Buffer.concat([all, all])],
    ];
    for (let i = 0; i < 256; i++) {
      const k = Buffer.from([i]);
      cmds.push(['SET', Buffer.concat([b('one-byte:'), k]), Buffer.concat([k, k, b('\r\n'), k])]);
    }
    for (let i = 0; i < 256; i++) cmds.push(['GET', Buffer.concat([b('one-byte:'), Buffer.from([i])])]);
    cmds.push(['DEL', all, rev, Buffer.concat([all, all])], ['GET', all]);
    const [mine, theirs] = await Promise.all([script(ringkv.port, cmds), script(redis.port, cmds)]);
    expect(mine).toEqual(theirs);
    expect(mine[1]).toBe(`$256\r\n${rev.toString('latin1')}\r\n`);
    expect(mine[3]).toBe(`$256\r\n${all.toString('latin1')}\r\n`);
    expect(mine[256 + 5 + 0xff]).toBe('$5\r\n\xff\xff\r\n\xff\r\n');
    await bothAlive();
  });

  test('binary values through inline \\xHH escapes', async () => {
    const hex = Array.from({ length: 256 }, (_, i) => `\\x${i.toString(16).padStart(2, '0')}`).join('');
    const input = b(`SET inline-bin "${hex}"\r\nGET inline-bin\r\n`);
    const mine = await compare(input);
    expect(mine.reply).toBe(`+OK\r\n$256\r\n${Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1')}\r\n`);
  });

  const jsNames = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'prototype', '__defineGetter__',
    'isPrototypeOf', 'then', 'length', 'size'];

  test('JavaScript property names as keys and values', async () => {
    const cmds: Array<Array<string | Buffer>> = [];
    for (const k of jsNames) cmds.push(['GET', k], ['DEL', k]);
    for (const k of jsNames) cmds.push(['SET', k, k], ['GET', k]);
    for (const k of jsNames) cmds.push(['DEL', k], ['GET', k]);
    cmds.push(['MSET', '__proto__', '1', 'constructor', '2', 'toString', '3'], ['MGET', '__proto__', 'constructor', 'toString', 'valueOf'],
      ['INCR', '__proto__'], ['APPEND', 'constructor', 'x'], ['STRLEN', 'constructor'], ['GETDEL', 'toString'],
      ['CONFIG', 'GET', '__proto__'], ['CONFIG', 'GET', 'constructor'], ['CONFIG', 'SET', '__proto__', 'x'],
      ['DEL', '__proto__', 'constructor', 'toString']);
    const [mine, theirs] = await Promise.all([script(ringkv.port, cmds), script(redis.port, cmds)]);
    expect(mine).toEqual(theirs);
    expect(mine[0]).toBe('$-1\r\n');
    await bothAlive();
  });

  test('JavaScript property names as command names', async () => {
    const cmds: Array<Array<string | Buffer>> = [];
    for (const k of jsNames) cmds.push([k], [k, 'x'], [k.toUpperCase()]);
    const [mine, theirs] = await Promise.all([script(ringkv.port, cmds), script(redis.port, cmds)]);
    expect(mine).toEqual(theirs);
    expect(mine[0]).toBe("-ERR unknown command '__proto__', with args beginning with: \r\n");
    await bothAlive();
  });

  test('JavaScript property names with commands still being implemented (EXISTS, TYPE, TTL, CONFIG GET)', async () => {
    const cmds: Array<Array<string | Buffer>> = [];
    for (const k of jsNames) cmds.push(['EXISTS', k], ['TYPE', k], ['TTL', k], ['CONFIG', 'GET', k]);
    cmds.push(['SET', '__proto__', 'x'], ['EXISTS', '__proto__'], ['TYPE', '__proto__'], ['DEL', '__proto__']);
    const [mine, theirs] = await Promise.all([script(ringkv.port, cmds), script(redis.port, cmds)]);
    expect(mine).toEqual(theirs);
    await bothAlive();
  });

  test('a 100 MB bulk streamed in chunks is stored and read back', async () => {
    const size = 100 * MB;
    const chunk = Buffer.alloc(MB);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 13) & 0xff;
    const bystander = await RawClient.connect(ringkv.port);
    const { sock, received, closed } = await rawSocket(ringkv.port);
    expect(await writeAll(sock, b(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${size}\r\n`))).toBe(true);
    for (let sent = 0; sent < size; sent += chunk.length) {
      expect(await writeAll(sock, chunk)).toBe(true);
      if (sent === 50 * MB) expect((await bystander.command('PING')).toString()).toBe('+PONG\r\n');
    }
    expect(await writeAll(sock, b('\r\n*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'))).toBe(true);
    const head = `+OK\r\n$${size}\r\n`;
    const deadline = Date.now() + 30000;
    while (received().length < head.length + size + 2 && Date.now() < deadline && !sock.destroyed) await sleep(20);
    const got = received();
    expect(got.subarray(0, head.length).toString('latin1')).toBe(head);
    expect(got.length).toBe(head.length + size + 2);
    for (let off = head.length; off < head.length + size; off += MB) {
      if (!got.subarray(off, off + MB).equals(chunk)) throw new Error(`payload differs in the MB at ${off - head.length}`);
    }
    expect(got.subarray(head.length + size).toString('latin1')).toBe('\r\n');
    sock.destroy();
    await closed;
    expect((await bystander.command('DEL', 'big')).toString()).toBe(':1\r\n');
    bystander.close();
  }, 60000);

  test('NUL bytes in a command name are cut like Redis\'s %s does in the unknown-command error', async () => {
    const cmds: Array<Array<string | Buffer>> = [['PI\0NG'], ['\0abc', 'x\0y', 'z'], ['x', '\0'], ['CLIENT', 'a\0b'], ['config', '\0']];
    const [mine, theirs] = await Promise.all([script(ringkv.port, cmds), script(redis.port, cmds)]);
    expect(mine).toEqual(theirs);
  });
});

describe.skipIf(!run)('large and endless bulks', () => {
  let ringkv: TestServer;
  let redis: TestServer;

  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([
      startRingkv(['--client-query-buffer-limit', '1mb']),
      startRedis(['--client-query-buffer-limit', '1mb']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('a client claiming a 4 GB bulk gets the error, then is closed', async () => {
    for (const s of [ringkv, redis]) {
      const { sock, received, closed } = await rawSocket(s.port);
      sock.write('*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$4294967296\r\n');
      sock.write(Buffer.alloc(64 * 1024, 0x61));
      await closed;
      expect(received().toString('latin1')).toBe('-ERR Protocol error: invalid bulk length\r\n');
      expect(s.proc.exitCode).toBeNull();
    }
  });

  test('a never-ending argument past client-query-buffer-limit is closed silently, RSS bounded', async () => {
    const limit = MB;
    for (const s of [ringkv, redis]) {
      const bystander = await RawClient.connect(s.port);
      // Warm the paths this test uses, so lazy start-up allocations do not count as growth.
      expect((await bystander.command('SET', 'qbuf:warm', 'w'.repeat(200_000))).toString()).toBe('+OK\r\n');
      expect((await bystander.command('DEL', 'qbuf:warm')).toString()).toBe(':1\r\n');
      const base = rss(s.proc.pid!);
      let peak = base;
      const { sock, received, closed } = await rawSocket(s.port);
      // An endless inline line with no newline past 64 KB errs first, so use a multibulk
      // argument that claims 500 MB and keep sending.
      let open = await writeAll(sock, b('*2\r\n$4\r\nECHO\r\n$500000000\r\n'));
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      while (open && sent < 64 * MB) {
        open = await writeAll(sock, chunk);
        sent += chunk.length;
        peak = Math.max(peak, rss(s.proc.pid!));
      }
      await Promise.race([closed, sleep(5000)]);
      peak = Math.max(peak, rss(s.proc.pid!));
      const name = s === ringkv ? 'ringkv' : 'redis';
      expect(sock.destroyed || sock.readableEnded, `${name} kept the connection`).toBe(true);
      expect(received().length, `${name} replied`).toBe(0);
      expect(sent, `${name} closed before the limit`).toBeGreaterThan(limit);
      expect(sent, `${name} read far past the limit`).toBeLessThan(32 * MB);
      expect(peak - base, `${name} RSS grew by ${((peak - base) / MB).toFixed(1)} MB`).toBeLessThan(2 * limit + 2 * MB);
      expect((await bystander.command('PING')).toString()).toBe('+PONG\r\n');
      bystander.close();
    }
  });
});
