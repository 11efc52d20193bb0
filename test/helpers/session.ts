/**
 * Multi-connection transcripts: a scenario of steps on several connections (client 0 WATCHes,
 * client 1 writes, client 0 EXECs; or subscribers and a publisher), run against one server,
 * recording the exact bytes every connection receives after each step. Running the same
 * scenario against ringkv and a real redis-server and comparing the transcripts checks
 * cross-client behaviour byte for byte: pub/sub deliveries, WATCH broken by another client.
 *
 * After each step the issuing connection's first reply is awaited, then every connection is
 * read until it has been quiet for `quietMs` (40 by default), so replies that come in several
 * parts (SUBSCRIBE a b) and messages pushed to other connections are all recorded with the step
 * that caused them. With `quietMs` 0 each step reads exactly one reply, on its own connection:
 * much faster, for scenarios where every command has one reply and nothing is pushed.
 *
 * Usage:
 *   const steps: Step[] = [[0, ['SUBSCRIBE', 'ch']], [1, ['PUBLISH', 'ch', 'hi']], { sleep: 50 }];
 *   expect(await transcript(ringkv.port, 2, steps)).toEqual(await transcript(redis.port, 2, steps));
 * or, starting the servers too: sessionSuite('pubsub', { 'title': { conns: 2, steps } }).
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand } from './raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from './servers.ts';

/**
 * [connection index, command]; a pause (ms), for expiry scenarios; the client closing a
 * connection abruptly (`close`: its index), followed by a short pause for the server to notice;
 * or bytes written on connection `send` without awaiting a reply (a blocking command, a
 * pipeline, raw bytes): `commands` pipelined in one write, or `raw`, then every connection is
 * drained as after any step.
 */
export type Step =
  | [number, Array<string | Buffer>]
  | { sleep: number }
  | { close: number }
  | { send: number; commands?: Array<Array<string | Buffer>>; raw?: Buffer };

/** Every complete reply `c` receives until it has been quiet for `quietMs`; '<closed>' at EOF. */
async function drain(c: RawClient, quietMs: number): Promise<string> {
  let got = '';
  for (;;) {
    try {
      got += (await c.readReply(quietMs)).toString('latin1');
    } catch {
      return c.closed ? `${got}<closed>` : got;
    }
  }
}

/** HELLO's reply carries the connection's id, which differs between servers: masked. */
export function maskIds(s: string): string {
  return s.replace(/(\$2\r\nid\r\n):\d+/g, '$1:?');
}

/**
 * Runs `steps` on `conns` fresh connections to `port` (after FLUSHALL) and returns one line
 * per step and connection that received something: "step#i c<n> <- <bytes as JSON>".
 */
export async function transcript(port: number, conns: number, steps: Step[], quietMs = 40): Promise<string[]> {
  const clients: RawClient[] = [];
  for (let i = 0; i < conns; i++) clients.push(await RawClient.connect(port));
  try {
    await clients[0]!.command('FLUSHALL');
    const lines: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if ('sleep' in step) {
        await new Promise((r) => setTimeout(r, step.sleep));
        continue;
      }
      if ('close' in step) {
        clients[step.close]!.close();
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if ('send' in step) {
        const n = step.send;
        clients[n]!.write(step.raw ?? Buffer.concat((step.commands ?? []).map((argv) => encodeCommand(argv))));
        const got = await Promise.all(clients.map((c) => (c.closed ? Promise.resolve('') : drain(c, Math.max(quietMs, 40)))));
        const what = `${n}: send ${step.raw !== undefined ? JSON.stringify(step.raw.toString('latin1'))
          : (step.commands ?? []).map((argv) => argv.map(String).join(' ')).join('; ')}`;
        got.forEach((bytes, k) => {
          if (bytes !== '') lines.push(`step ${i} (${what}) c${k} <- ${JSON.stringify(maskIds(bytes))}`);
        });
        continue;
      }
      const [n, argv] = step;
      const issuer = clients[n]!;
      issuer.write(encodeCommand(argv));
      let first = '';
      try {
        first = (await issuer.readReply(5000)).toString('latin1');
      } catch {
        first = issuer.closed ? '<closed>' : '<no reply>';
      }
      const rest = quietMs === 0 ? clients.map(() => '')
        : await Promise.all(clients.map((c) => (c.closed ? Promise.resolve('') : drain(c, quietMs))));
      rest[n] = first === '<closed>' ? first : first + rest[n]!;
      const what = `${n}: ${argv.map(String).join(' ')}`;
      rest.forEach((got, k) => {
        if (got !== '') lines.push(`step ${i} (${what}) c${k} <- ${JSON.stringify(maskIds(got))}`);
      });
    }
    return lines;
  } finally {
    for (const c of clients) c.close();
  }
}

export interface Scenario {
  /** Connections (default 1). */
  conns?: number;
  steps: Step[];
  /** See transcript(); default 40. */
  quietMs?: number;
}

/**
 * A suite of scenarios, each run against ringkv and a real redis-server (started by the suite)
 * and compared transcript for transcript.
 */
export function sessionSuite(name: string, scenarios: Record<string, Scenario | Step[]>): void {
  describe.skipIf(!requireRedis())(`transcripts: ${name}`, () => {
    let ringkv: TestServer;
    let redis: TestServer;
    beforeAll(async () => {
      [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    });
    afterAll(async () => {
      await Promise.all([ringkv?.stop(), redis?.stop()]);
    });
    for (const [title, sc] of Object.entries(scenarios)) {
      const { conns = 1, steps, quietMs = 40 } = Array.isArray(sc) ? { steps: sc } : sc;
      test(title, async () => {
        const run = (quiet: number): Promise<[string[], string[]]> => Promise.all([
          transcript(ringkv.port, conns, steps, quiet), transcript(redis.port, conns, steps, quiet),
        ]);
        let [mine, theirs] = await run(quietMs);
        // On a loaded machine a delivery can pause for longer than quietMs and land in the next
        // step's lines. Read once more, slowly: a timing artefact goes away, a real difference
        // stays and fails.
        if (quietMs > 0 && JSON.stringify(mine) !== JSON.stringify(theirs)) [mine, theirs] = await run(Math.max(300, quietMs * 5));
        expect(mine).toEqual(theirs);
      });
    }
  });
}
