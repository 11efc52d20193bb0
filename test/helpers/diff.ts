/**
 * The differential harness: the same command scripts against ringkv and a real redis-server,
 * each started on a free loopback port by the suite, replies compared byte for byte.
 *
 * Usage:
 *   diffSuite('strings', {
 *     'SET options': [['SET', 'k', 'v', 'NX'], ['GET', 'k']],
 *   });
 *
 * Each script starts from FLUSHALL on a fresh connection, in RESP2 unless it says HELLO 3.
 * `ringkvArgs` lets a suite run against another I/O mode (e.g. ['--io-threads', '2']).
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from './raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from './servers.ts';

export type Script = Array<Array<string | Buffer>>;

export interface DiffOptions {
  ringkvArgs?: string[];
  redisArgs?: string[];
}

/** Runs `script` on one server, returning each reply as a latin1 string. */
export async function runScript(port: number, script: Script): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.command('FLUSHALL');
    const replies: string[] = [];
    for (const argv of script) replies.push((await c.command(...argv)).toString('latin1'));
    return replies;
  } finally {
    c.close();
  }
}

export function diffSuite(name: string, scripts: Record<string, Script>, opts: DiffOptions = {}): void {
  const run = requireRedis();
  describe.skipIf(!run)(`differential: ${name}`, () => {
    let ringkv: TestServer;
    let redis: TestServer;
    beforeAll(async () => {
      [ringkv, redis] = await Promise.all([startRingkv(opts.ringkvArgs), startRedis(opts.redisArgs)]);
    });
    afterAll(async () => {
      await Promise.all([ringkv?.stop(), redis?.stop()]);
    });
    for (const [title, script] of Object.entries(scripts)) {
      test(title, async () => {
        const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
        // Pair each command with its replies so a mismatch shows where it happened.
        const show = (replies: string[]) => script.map((argv, i) => `${argv.map(String).join(' ')} -> ${JSON.stringify(replies[i])}`);
        expect(show(mine)).toEqual(show(theirs));
      });
    }
  });
}
