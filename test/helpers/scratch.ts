/**
 * What the persistence and server suites share: scratch directories and servers removed after
 * the file's tests, decoded single and pipelined commands over a RawClient, and INFO fields.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { decodeReply, encodeCommand, RawClient, type Reply } from './raw.ts';
import type { TestServer } from './servers.ts';

/**
 * Scratch space for one test file: `tempDir()` makes a directory and `track(start)` keeps a
 * started server; both are removed/stopped after the file's tests.
 */
export function scratch(prefix: string): { tempDir(): string; track(p: Promise<TestServer>): Promise<TestServer> } {
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    tempDir() {
      const d = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    async track(p) {
      const s = await p;
      servers.push(s);
      return s;
    },
  };
}

/** One command, its reply decoded. */
export async function cmd(c: RawClient, ...argv: string[]): Promise<Reply> {
  return decodeReply(await c.command(...argv));
}

/** Sends many commands in one write and reads all the replies, decoded. */
export async function pipeline(c: RawClient, cmds: string[][]): Promise<Reply[]> {
  c.write(Buffer.concat(cmds.map((a) => encodeCommand(a))));
  const out: Reply[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(decodeReply(await c.readReply(20000)));
  return out;
}

/** A `name:value` field of an INFO reply. */
export function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r$`, 'm').exec(info)?.[1];
}

/**
 * Everything readable about a server's keyspace, by type-specific reads: db/key → [type, value,
 * ttl in minutes] (unordered collections sorted; TTLs bucketed, since two servers' clocks run
 * between the reads). Compares a dataset across servers or restarts.
 */
export async function keyspaceContents(port: number): Promise<Map<string, unknown>> {
  const c = await RawClient.connect(port);
  const out = new Map<string, unknown>();
  try {
    for (let db = 0; db < 16; db++) {
      await cmd(c, 'SELECT', String(db));
      const keys = (await cmd(c, 'KEYS', '*')) as string[];
      for (const key of keys.sort()) {
        const type = (await cmd(c, 'TYPE', key)) as string;
        let value: Reply;
        if (type === 'string') value = await cmd(c, 'GET', key);
        else if (type === 'list') value = await cmd(c, 'LRANGE', key, '0', '-1');
        else if (type === 'hash') {
          const a = (await cmd(c, 'HGETALL', key)) as string[];
          const pairs: string[] = [];
          for (let i = 0; i < a.length; i += 2) pairs.push(`${a[i]}=${a[i + 1]}`);
          value = pairs.sort();
        } else if (type === 'set') value = ((await cmd(c, 'SMEMBERS', key)) as string[]).sort();
        else value = await cmd(c, 'ZRANGE', key, '0', '-1', 'WITHSCORES');
        const pttl = (await cmd(c, 'PTTL', key)) as number;
        out.set(`${db}/${key}`, [type, value, pttl < 0 ? pttl : Math.round(pttl / 60000)]);
      }
    }
  } finally {
    c.close();
  }
  return out;
}
