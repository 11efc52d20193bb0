/**
 * What the persistence and server suites share: scratch directories and servers removed after
 * the file's tests, decoded single and pipelined commands over a RawClient, and INFO fields.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { decodeReply, encodeCommand, type RawClient, type Reply } from './raw.ts';
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
