/**
 * Access and shutdown (issue 8, docs/security.md), against a real redis-server where Redis is
 * the reference, in both I/O modes: requirepass/AUTH (with a username), HELLO AUTH, NOAUTH
 * before authentication with nothing run, the pre-AUTH protocol limits, ACL WHOAMI/USERS/LIST
 * and unknown ACL subcommands, protected mode and the default bind; SHUTDOWN's replies and
 * errors, and SHUTDOWN / SIGTERM exiting with 0 after their log lines.
 */

import { once } from 'node:events';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, waitForOutput, type TestServer } from '../helpers/servers.ts';

const run = requireRedis();

/** Each command's raw reply, on one connection. */
async function replies(port: number, cmds: string[][]): Promise<string[]> {
  const c = await RawClient.connect(port);
  const out: string[] = [];
  for (const cmd of cmds) out.push((await c.command(...cmd)).toString('latin1'));
  c.close();
  return out;
}

/** Replies with the per-connection id (HELLO's `id`) masked. */
function maskIds(rs: string[]): string[] {
  return rs.map((r) => r.replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:N\r\n'));
}

describe.skipIf(!run)('requirepass, AUTH, HELLO AUTH, ACL', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(['--requirepass', 's3cret']), startRedis(['--requirepass', 's3cret'])]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('the same replies as redis-server before and after AUTH, with and without a username', async () => {
    const script = [
      ['PING'], ['SET', 'k', 'v'], ['GET', 'k'], ['ACL', 'WHOAMI'], ['NOSUCH'], ['GET'], ['HELLO', '3'],
      ['AUTH', 'wrong'], ['AUTH', 'default', 'wrong'], ['AUTH', 'nobody', 's3cret'], ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '3', 'AUTH', 'default', 'wrong'], ['HELLO', '3', 'AUTH', 'default'],
      ['AUTH', 'default', 's3cret'], ['ACL', 'WHOAMI'], ['GET', 'k'], ['ACL', 'USERS'], ['ACL', 'LIST'],
      ['ACL', 'foo'], ['ACL'], ['ACL', 'WHOAMI', 'x'],
      ['AUTH', 's3cret'], ['RESET'], ['PING'], ['HELLO', '2', 'AUTH', 'default', 's3cret'], ['PING'],
    ];
    const [mine, theirs] = await Promise.all([replies(ringkv.port, script), replies(redis.port, script)]);
    expect(maskIds(mine)).toEqual(maskIds(theirs));
    expect(mine[1]).toBe('-NOAUTH Authentication required.\r\n');
    expect(mine[8]).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
  });

  test('users cannot be created: ACL SETUSER is an unknown subcommand (a documented difference)', async () => {
    expect(await replies(ringkv.port, [['AUTH', 's3cret'], ['ACL', 'SETUSER', 'bob'], ['AUTH', 'bob', 'x']])).toEqual([
      '+OK\r\n', "-ERR unknown subcommand 'SETUSER'. Try ACL HELP.\r\n", '-WRONGPASS invalid username-password pair or user is disabled.\r\n']);
  });

  test('HELLO 3 AUTH default <pass> authenticates and switches protocol in one step', async () => {
    const script = [['HELLO', '3', 'AUTH', 'default', 's3cret', 'SETNAME', 'me'], ['CLIENT', 'GETNAME'], ['ACL', 'WHOAMI'], ['GET', 'nokey']];
    const [mine, theirs] = await Promise.all([replies(ringkv.port, script), replies(redis.port, script)]);
    expect(maskIds(mine)).toEqual(maskIds(theirs));
    expect(mine[3]).toBe('_\r\n');
  });

  test('nothing runs before AUTH: the refused commands are counted as rejected, the keyspace is unchanged', async () => {
    const c = await RawClient.connect(ringkv.port);
    // Pipelined in one write, so they reach the executor (or an I/O thread's batch) together.
    c.write('*3\r\n$5\r\nSETNX\r\n$6\r\nnoauth\r\n$1\r\nx\r\n*3\r\n$6\r\nINCRBY\r\n$6\r\nnoauth\r\n$1\r\n1\r\n*1\r\n$7\r\nFLUSHDB\r\n');
    for (let i = 0; i < 3; i++) expect((await c.readReply()).toString()).toBe('-NOAUTH Authentication required.\r\n');
    expect((await c.command('AUTH', 's3cret')).toString()).toBe('+OK\r\n');
    expect((await c.command('EXISTS', 'noauth')).toString()).toBe(':0\r\n');
    const stats = (await c.command('INFO', 'commandstats')).toString();
    expect(stats).toMatch(/cmdstat_setnx:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0/);
    expect(stats).toMatch(/cmdstat_incrby:calls=0,.*rejected_calls=1,/);
    expect(stats).toMatch(/cmdstat_flushdb:calls=0,.*rejected_calls=1,/);
    c.close();
  });

  test('before AUTH the protocol limits are 10 arguments and 16 KB bulks, as in Redis', async () => {
    for (const s of [ringkv, redis]) {
      const a = await RawClient.connect(s.port);
      a.write('*11\r\n');
      expect((await a.readUntilClose(3000)).toString()).toBe('-ERR Protocol error: unauthenticated multibulk length\r\n');
      const b = await RawClient.connect(s.port);
      b.write('*2\r\n$4\r\nAUTH\r\n$16385\r\n');
      expect((await b.readUntilClose(3000)).toString()).toBe('-ERR Protocol error: unauthenticated bulk length\r\n');
      // After AUTH they are lifted.
      const c = await RawClient.connect(s.port);
      expect((await c.command('AUTH', 's3cret')).toString()).toBe('+OK\r\n');
      expect((await c.command('ECHO', 'e'.repeat(20000))).length).toBe(20000 + 10);
      expect((await c.command('DEL', ...Array.from({ length: 12 }, (_, i) => `k${i}`))).toString()).toBe(':0\r\n');
      c.close();
    }
  });
});

/** A non-loopback IPv4 address of this machine, or null. */
function externalAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

async function refusedOrText(host: string, port: number): Promise<string> {
  const sock = net.connect({ host, port });
  sock.on('error', () => {});
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => parts.push(d));
  try {
    await once(sock, 'close');
  } catch (err) {
    return `error: ${(err as NodeJS.ErrnoException).code}`;
  }
  await new Promise((r) => setTimeout(r, 50));
  return Buffer.concat(parts).toString('latin1');
}

describe.skipIf(!run || externalAddress() === null)('protected mode and bind', () => {
  test('default bind is 127.0.0.1: the machine\'s other address is refused', async () => {
    const s = await startRingkv();
    try {
      expect(await refusedOrText(externalAddress()!, s.port)).toBe('error: ECONNREFUSED');
      expect((await replies(s.port, [['CONFIG', 'GET', 'bind'], ['CONFIG', 'GET', 'protected-mode']]))).toEqual([
        '*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n', '*2\r\n$14\r\nprotected-mode\r\n$3\r\nyes\r\n']);
    } finally {
      await s.stop();
    }
  });

  test('bound to every address with no password, a non-loopback client gets the DENIED error, as from redis-server', async () => {
    const [s, r] = await Promise.all([startRingkv(['--bind', '0.0.0.0']), startRedis(['--bind', '0.0.0.0', '--protected-mode', 'yes'])]);
    try {
      const mine = await refusedOrText(externalAddress()!, s.port);
      expect(mine).toMatch(/^-DENIED Redis is running in protected mode/);
      expect(mine).toBe(await refusedOrText(externalAddress()!, r.port));
      // Loopback is served.
      expect(await replies(s.port, [['PING']])).toEqual(['+PONG\r\n']);
    } finally {
      await Promise.all([s.stop(), r.stop()]);
    }
  });
});

describe.skipIf(!run)('a failed background save refuses writes (stop-writes-on-bgsave-error)', () => {
  test('MISCONF for writes and PING, reads served, lifted by CONFIG SET; the same replies as redis-server', async () => {
    // /proc/self is a directory nobody can create files in: every save fails.
    const [s, r] = await Promise.all([startRingkv(['--dir', '/proc/self', '--save', '3600 1']), startRedis(['--dir', '/proc/self', '--save', '3600 1'])]);
    try {
      const outcome: string[][] = [];
      for (const srv of [s, r]) {
        const c = await RawClient.connect(srv.port);
        const out: string[] = [];
        out.push((await c.command('SET', 'a', '1')).toString('latin1'));
        out.push((await c.command('BGSAVE')).toString('latin1'));
        const deadline = Date.now() + 10000;
        while (!(await c.command('INFO', 'persistence')).toString().includes('rdb_last_bgsave_status:err') && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 50));
        }
        for (const cmd of [['SET', 'b', '1'], ['PING'], ['GET', 'a'], ['DEL', 'a'], ['MULTI'], ['SET', 'b', '1'], ['EXEC'],
          ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'], ['SET', 'b', '2'], ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'],
          ['INCR', 'n'], ['CONFIG', 'SET', 'save', ''], ['INCR', 'n']]) {
          out.push((await c.command(...cmd)).toString('latin1'));
        }
        outcome.push(out);
        c.close();
      }
      expect(outcome[0]).toEqual(outcome[1]);
      expect(outcome[0]![2]).toMatch(/^-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk\./);
    } finally {
      await Promise.all([s.stop(), r.stop()]);
    }
  });
});

describe.skipIf(!run)('SHUTDOWN and signals', () => {
  test('argument errors, ABORT and MULTI answer as redis-server does, and the server stays up', async () => {
    const [s, r] = await Promise.all([startRingkv(), startRedis()]);
    try {
      const script = [['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'NOSAVE', 'SAVE'], ['SHUTDOWN', 'foo'], ['SHUTDOWN', 'ABORT', 'NOW'],
        ['SHUTDOWN', 'NOW', 'FORCE', 'ABORT'], ['MULTI'], ['SHUTDOWN'], ['EXEC'], ['PING']];
      const [mine, theirs] = await Promise.all([replies(s.port, script), replies(r.port, script)]);
      expect(mine).toEqual(theirs);
      expect(mine[0]).toBe('-ERR No shutdown in progress.\r\n');
    } finally {
      await Promise.all([s.stop(), r.stop()]);
    }
  });

  test('SHUTDOWN: no reply, the connection closes, exit code 0, Redis\'s log lines', async () => {
    const s = await startRingkv();
    const c = await RawClient.connect(s.port);
    expect((await c.command('SET', 'k', 'v')).toString()).toBe('+OK\r\n');
    const exited = once(s.proc, 'exit');
    c.write('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect((await c.readUntilClose(5000)).length).toBe(0);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(s.output()).toMatch(/# User requested shutdown\.\.\.\n[\s\S]*# ringkv is now ready to exit, bye bye\.\.\.\n/);
  });

  test('SIGTERM: the log says so, connections close, exit code 0', async () => {
    const s = await startRingkv();
    const c = await RawClient.connect(s.port);
    expect((await c.command('PING')).toString()).toBe('+PONG\r\n');
    const exited = once(s.proc, 'exit');
    s.proc.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(s.output()).toMatch(/# Received SIGTERM scheduling shutdown\.\.\.\n[\s\S]*# User requested shutdown\.\.\.\n[\s\S]*# ringkv is now ready to exit, bye bye\.\.\.\n/);
    expect(await c.readUntilClose(3000)).toBeDefined();
    expect(c.closed).toBe(true);
  });

  test('SHUTDOWN SAVE writes the dump first; a save that fails keeps the server up unless NOSAVE or FORCE', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-shutdown-'));
    try {
      const s = await startRingkv(['--dir', dir]);
      const c = await RawClient.connect(s.port);
      expect((await c.command('SET', 'k', 'v')).toString()).toBe('+OK\r\n');
      const exited = once(s.proc, 'exit');
      c.write('*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
      await c.readUntilClose(5000);
      expect((await exited)[0]).toBe(0);
      expect(existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // /proc/self is a directory nobody can create files in: every save fails.
    const [s, r] = await Promise.all([startRingkv(['--dir', '/proc/self', '--save', '3600 1']), startRedis(['--dir', '/proc/self', '--save', '3600 1'])]);
    try {
      const script = [['SET', 'k', 'v'], ['SHUTDOWN'], ['SHUTDOWN', 'SAVE'], ['PING']];
      const [mine, theirs] = await Promise.all([replies(s.port, script), replies(r.port, script)]);
      expect(mine).toEqual(theirs);
      expect(mine[1]).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      expect(await waitForOutput(s, /Errors trying to shut down the server/)).toMatch(/# Errors trying to shut down the server\. Check the logs for more information\./);
      const c = await RawClient.connect(s.port);
      const exited = once(s.proc, 'exit');
      c.write('*3\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n$5\r\nFORCE\r\n');
      await c.readUntilClose(5000);
      expect((await exited)[0]).toBe(0);
    } finally {
      await Promise.all([s.stop(), r.stop()]);
    }
  });
});
