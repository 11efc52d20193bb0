/**
 * `host:` and `POST` as command names (an HTTP request sent to the server, maybe a
 * cross-protocol attack), against ringkv and a real redis-server: each input goes to both on a
 * fresh connection, and the bytes received until the server closes (or a timeout), and whether
 * it closed, must be identical. Redis 7.0 closes such a connection with no reply at all (not
 * even for the commands before it in the same read, which still run) and logs "Possible
 * SECURITY ATTACK detected" (at most once a minute). Both servers must log that line once.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, waitForOutput, type TestServer } from '../helpers/servers.ts';

const run = requireRedis();

interface Seen {
  reply: string;
  closed: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends each piece (5 ms apart, or after the reply `waitFirst` when set) and reads until close. */
async function probe(port: number, pieces: string[], waitFirst: boolean, waitMs: number): Promise<Seen> {
  const c = await RawClient.connect(port);
  try {
    let reply = '';
    for (const [i, piece] of pieces.entries()) {
      if (i > 0) {
        if (waitFirst) reply += (await c.readReply()).toString('latin1');
        else await sleep(5);
      }
      c.write(Buffer.from(piece, 'latin1'));
    }
    reply += (await c.readUntilClose(waitMs)).toString('latin1');
    return { reply, closed: c.closed };
  } finally {
    c.close();
  }
}

describe.skipIf(!run)('host: and POST close the connection silently, as in Redis', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  let bystanders: RawClient[] = [];

  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    bystanders = [await RawClient.connect(ringkv.port), await RawClient.connect(redis.port)];
  });
  afterAll(async () => {
    for (const c of bystanders) c.close();
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  async function compare(pieces: string[], waitFirst = false, waitMs = 800): Promise<Seen> {
    const [mine, theirs] = await Promise.all([probe(ringkv.port, pieces, waitFirst, waitMs), probe(redis.port, pieces, waitFirst, waitMs)]);
    expect(mine).toEqual(theirs);
    return mine;
  }

  // [title, input, expected reply, expected closed]
  const cases: Array<[string, string, string, boolean]> = [
    ['an HTTP POST request', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n', '', true],
    ['an HTTP GET request: GET answers, then Host: closes', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', '', true],
    ['lower-case post as a multibulk command', '*1\r\n$4\r\npost\r\n', '', true],
    ['host: with arguments', 'host: example.com\r\n', '', true],
    ['HOST: in capitals', 'HOST:\r\n', '', true],
    ['Host without the colon is just unknown', 'Host x\r\n', "-ERR unknown command 'Host', with args beginning with: 'x' \r\n", false],
    ['POST as an argument is not a command name', '*2\r\n$4\r\nECHO\r\n$4\r\nPOST\r\n', '$4\r\nPOST\r\n', false],
    ['the replies of commands before it in the same read are dropped too', 'PING\r\nECHO a\r\nPOST\r\nPING\r\n', '', true],
    ['inside MULTI it is not queued', 'MULTI\r\nPOST x\r\n', '', true],
  ];
  for (const [title, input, reply, closed] of cases) {
    test(title, async () => {
      expect(await compare([input])).toEqual({ reply, closed });
    });
  }

  test('replies already sent stay sent; POST in a later read closes', async () => {
    expect(await compare(['PING\r\n', 'POST /\r\n'], true)).toEqual({ reply: '+PONG\r\n', closed: true });
  });

  test('commands before it in the same read still run', async () => {
    expect(await compare(['SET sec-before 1\r\nINCR sec-before\r\nPOST\r\nINCR sec-before\r\n'])).toEqual({ reply: '', closed: true });
    for (const c of bystanders) expect((await c.command('GET', 'sec-before')).toString('latin1')).toBe('$1\r\n2\r\n');
  });

  test('both servers log the attack, once a minute at most, and keep serving', async () => {
    const line = /# Possible SECURITY ATTACK detected\. It looks like somebody is sending POST or Host: commands to Redis\. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance\. Connection aborted\./g;
    for (const s of [ringkv, redis]) {
      const out = await waitForOutput(s, line);
      expect(out.match(line)?.length, s === ringkv ? 'ringkv' : 'redis').toBe(1);
    }
    for (const c of bystanders) expect((await c.command('PING')).toString('latin1')).toBe('+PONG\r\n');
  });
});
