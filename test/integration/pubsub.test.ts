/**
 * Pub/sub across connections:
 * - Scenarios run against ringkv and a real redis-server, every byte each connection receives
 *   compared (test/helpers/session.ts): deliveries in RESP2 and RESP3 (each subscriber in its
 *   own dialect), patterns, shard channels, receiver counts, unsubscribing on disconnect,
 *   messages arriving while a RESP3 client queues a transaction.
 * - Where Redis's order is its hash table's (UNSUBSCRIBE of several channels, PUBSUB CHANNELS,
 *   several patterns matching one message), the replies are compared as sets.
 * - CLIENT LIST (flags P, sub=, psub=, ssub=, TYPE pubsub) and INFO's pubsub counts vs Redis.
 * - Fan-out (ringkv alone): 1 publisher, 100 subscribers (half RESP2, half RESP3), 1000
 *   messages; every subscriber receives all of them, in order, in its dialect. Run in both
 *   I/O modes by the vitest projects.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { sessionSuite, transcript, type Step } from '../helpers/session.ts';

const BIG = 'x'.repeat(100_000);
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');

sessionSuite('pub/sub between clients', {
  'a message to one subscriber': { conns: 2, steps: [[0, ['SUBSCRIBE', 'ch']], [1, ['PUBLISH', 'ch', 'hello']], [1, ['PUBLISH', 'other', 'x']]] },
  'payloads: empty, binary, 100 KB': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'ch']], [1, ['PUBLISH', 'ch', '']], [1, ['PUBLISH', 'ch', BINARY]], [1, ['PUBLISH', 'ch', BIG]],
  ] },
  'RESP3 subscriber gets pushes': { conns: 2, steps: [[0, ['HELLO', '3']], [0, ['SUBSCRIBE', 'ch']], [1, ['PUBLISH', 'ch', 'hello']]] },
  'each subscriber in its own dialect': { conns: 3, steps: [
    [0, ['SUBSCRIBE', 'ch']], [1, ['HELLO', '3']], [1, ['SUBSCRIBE', 'ch']], [2, ['PUBLISH', 'ch', 'm']], [1, ['HELLO', '2']],
    [2, ['PUBLISH', 'ch', 'n']],
  ] },
  'two subscribers, in subscription order; then one leaves': { conns: 3, steps: [
    [0, ['SUBSCRIBE', 'ch']], [1, ['SUBSCRIBE', 'ch']], [2, ['PUBLISH', 'ch', 'a']], [0, ['UNSUBSCRIBE', 'ch']], [2, ['PUBLISH', 'ch', 'b']],
  ] },
  'a pattern subscriber': { conns: 2, steps: [
    [0, ['PSUBSCRIBE', 'news.*']], [1, ['PUBLISH', 'news.tech', 'a']], [1, ['PUBLISH', 'sport', 'b']], [1, ['PUBLISH', 'news.', 'c']],
  ] },
  'pattern syntax: ?, [], escapes': { conns: 2, steps: [
    [0, ['PSUBSCRIBE', 'h?llo']], [0, ['PSUBSCRIBE', 'x[ab]y']], [0, ['PSUBSCRIBE', 'lit\\*']],
    [1, ['PUBLISH', 'hello', '1']], [1, ['PUBLISH', 'xby', '2']], [1, ['PUBLISH', 'lit*', '3']], [1, ['PUBLISH', 'litx', '4']],
  ] },
  'channel and pattern: the channel message first, both counted': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'a.b']], [0, ['PSUBSCRIBE', 'a.*']], [1, ['PUBLISH', 'a.b', 'm']], [0, ['PUNSUBSCRIBE']], [1, ['PUBLISH', 'a.b', 'n']],
  ] },
  'a subscriber and a pattern subscriber in RESP3': { conns: 3, steps: [
    [0, ['HELLO', '3']], [0, ['PSUBSCRIBE', '*']], [1, ['SUBSCRIBE', 'c']], [2, ['PUBLISH', 'c', 'm']],
  ] },
  'shard channels are their own namespace': { conns: 2, steps: [
    [0, ['SSUBSCRIBE', 's']], [0, ['PSUBSCRIBE', 's*']], [1, ['SPUBLISH', 's', 'shard']], [1, ['PUBLISH', 's', 'plain']],
    [1, ['PUBSUB', 'SHARDNUMSUB', 's']], [1, ['PUBSUB', 'SHARDCHANNELS']], [1, ['PUBSUB', 'NUMSUB', 's']],
  ] },
  'a subscriber that QUITs is gone': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'ch']], [0, ['QUIT']], { sleep: 100 }, [1, ['PUBLISH', 'ch', 'x']], [1, ['PUBSUB', 'NUMSUB', 'ch']],
  ] },
  'a subscriber that disconnects is gone': { conns: 3, steps: [
    [0, ['SUBSCRIBE', 'ch']], [0, ['PSUBSCRIBE', 'c*']], [1, ['SUBSCRIBE', 'ch']], { close: 0 }, [2, ['PUBLISH', 'ch', 'x']],
    [2, ['PUBSUB', 'NUMPAT']], [2, ['PUBSUB', 'NUMSUB', 'ch']],
  ] },
  'RESET unsubscribes': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'ch']], [0, ['RESET']], [1, ['PUBLISH', 'ch', 'x']], [1, ['PUBSUB', 'NUMSUB', 'ch']],
  ] },
  'introspection from another client': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'a']], [0, ['PSUBSCRIBE', 'p*', 'q*']], [1, ['PUBSUB', 'CHANNELS']], [1, ['PUBSUB', 'CHANNELS', 'a*']],
    [1, ['PUBSUB', 'CHANNELS', 'b*']], [1, ['PUBSUB', 'NUMSUB', 'a', 'b', 'a']], [1, ['PUBSUB', 'NUMPAT']],
  ] },
  'NUMPAT counts distinct patterns': { conns: 2, steps: [
    [0, ['PSUBSCRIBE', 'p*']], [1, ['PSUBSCRIBE', 'p*']], [1, ['PSUBSCRIBE', 'q*']], [0, ['PUBSUB', 'NUMPAT']], [0, ['PUBLISH', 'x', 'y']],
  ] },
  'messages reach a RESP3 client while it queues a transaction': { conns: 2, steps: [
    [0, ['HELLO', '3']], [0, ['SUBSCRIBE', 'ch']], [0, ['MULTI']], [0, ['SET', 'k', 'v']], [1, ['PUBLISH', 'ch', 'during']], [0, ['EXEC']],
  ] },
  'PUBLISH inside a transaction delivers at EXEC': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'ch']], [1, ['MULTI']], [1, ['PUBLISH', 'ch', 'a']], [1, ['PUBLISH', 'ch', 'b']], [1, ['EXEC']],
  ] },
  'PUBLISH does not touch watched keys': { conns: 2, steps: [
    [0, ['WATCH', 'ch']], [1, ['PUBLISH', 'ch', 'x']], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']],
  ] },
  'subscribed-mode refusal does not stop deliveries': { conns: 2, steps: [
    [0, ['SUBSCRIBE', 'ch']], [0, ['GET', 'k']], [1, ['PUBLISH', 'ch', 'x']], [0, ['PING']],
  ] },
});

/**
 * The replies a connection received, each its own string, sorted. A confirmation's count
 * depends on the order the names were dropped in, so counts are sorted apart from the names.
 */
function splitSorted(bytes: string): string[] {
  const replies: string[] = [];
  const counts: string[] = [];
  // Every reply here is an array (*) or a push (>) of bulks and integers, or a simple reply.
  for (const p of bytes.split(/(?=[*>]\d+\r\n\$)/)) {
    if (p === '') continue;
    const m = /^(.*subscribe\r\n.*\r\n)(:\d+\r\n)$/s.exec(p);
    if (m === null) {
      replies.push(p);
    } else {
      replies.push(m[1]!);
      counts.push(m[2]!);
    }
  }
  return [...replies.sort(), ...counts.sort()];
}

describe.skipIf(!requireRedis())('pub/sub in hash order, and introspection, against redis-server', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  /** Runs steps on both servers; each step's output split into replies and sorted. */
  async function sameAsSets(conns: number, steps: Step[]): Promise<string[][]> {
    const [mine, theirs] = await Promise.all([transcript(ringkv.port, conns, steps), transcript(redis.port, conns, steps)]);
    const sets = (t: string[]) => t.map((line) => {
      const at = line.indexOf(' <- ');
      return [line.slice(0, at), ...splitSorted(JSON.parse(line.slice(at + 4)) as string)];
    });
    expect(sets(mine)).toEqual(sets(theirs));
    return sets(mine);
  }

  test('UNSUBSCRIBE of several channels, without arguments', async () => {
    const got = await sameAsSets(1, [[0, ['SUBSCRIBE', 'a', 'b', 'c', 'd']], [0, ['UNSUBSCRIBE']], [0, ['PING']]]);
    expect(got[1]).toHaveLength(1 + 4 + 4); // the step, four confirmations, four counts
  });

  test('SUNSUBSCRIBE of several shard channels, without arguments', async () => {
    await sameAsSets(1, [[0, ['SSUBSCRIBE', 'a', 'b', 'c']], [0, ['SUNSUBSCRIBE']], [0, ['PING']]]);
  });

  test('several patterns matching one message', async () => {
    const got = await sameAsSets(2, [
      [0, ['PSUBSCRIBE', 'a*', '*', '?b', 'a?', 'zz*']], [1, ['PUBLISH', 'ab', 'm']], [1, ['HELLO', '3']], [1, ['PSUBSCRIBE', '*b']],
      [1, ['PUBLISH', 'ab', 'n']],
    ]);
    // Four patterns of client 0 match, then four and one of client 1 (its own, a push).
    expect(got.flat().filter((r) => r.includes('pmessage')).length).toBe(9);
  });

  test('PUBSUB CHANNELS and SHARDCHANNELS with several channels', async () => {
    const steps: Step[] = [
      [0, ['SUBSCRIBE', 'news.a', 'news.b', 'other']], [0, ['SSUBSCRIBE', 's1', 's2']], [1, ['PUBSUB', 'CHANNELS']],
      [1, ['PUBSUB', 'CHANNELS', 'news.*']], [1, ['PUBSUB', 'SHARDCHANNELS']], [1, ['PUBSUB', 'SHARDCHANNELS', '*2']],
    ];
    const run = async (port: number): Promise<string[][]> => {
      const t = await transcript(port, 2, steps);
      return t.filter((l) => l.includes('PUBSUB')).map((l) => {
        const bytes = JSON.parse(l.slice(l.indexOf(' <- ') + 4)) as string;
        return [bytes.slice(0, bytes.indexOf('\r\n')), ...bytes.split('\r\n').filter((x) => x !== '' && !/^[*$]/.test(x)).sort()];
      });
    };
    const [mine, theirs] = await Promise.all([run(ringkv.port), run(redis.port)]);
    expect(mine).toEqual(theirs);
    expect(mine[0]).toEqual(['*3', 'news.a', 'news.b', 'other']);
  });

  test('CLIENT LIST: flags P, sub= psub= ssub=, TYPE pubsub; INFO pubsub counts', async () => {
    const run = async (port: number): Promise<string[]> => {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      const c = await RawClient.connect(port);
      try {
        const out: string[] = [];
        const fields = (s: string) => s.split('\n').filter((l) => l.includes('flags='))
          .map((l) => /flags=\S+ db=\d+ sub=\d+ psub=\d+ ssub=\d+ multi=-?\d+/.exec(l)![0]).sort();
        a.write(encodeCommand(['SUBSCRIBE', 'x', 'y']));
        await a.readReply();
        await a.readReply();
        await a.command('PSUBSCRIBE', 'p*');
        await b.command('HELLO', '3');
        await b.command('SSUBSCRIBE', 's');
        const list = (await c.command('CLIENT', 'LIST')).toString('latin1');
        out.push(...fields(list));
        const typed = (await c.command('CLIENT', 'LIST', 'TYPE', 'pubsub')).toString('latin1');
        out.push(...fields(typed).map((f) => `pubsub: ${f}`));
        const normal = (await c.command('CLIENT', 'LIST', 'TYPE', 'normal')).toString('latin1');
        out.push(...fields(normal).map((f) => `normal: ${f}`));
        const info = (await c.command('INFO', 'stats')).toString('latin1');
        out.push(...info.split('\r\n').filter((l) => l.startsWith('pubsub')));
        return out;
      } finally {
        a.close();
        b.close();
        c.close();
      }
    };
    const [mine, theirs] = await Promise.all([run(ringkv.port), run(redis.port)]);
    expect(mine).toEqual(theirs);
    expect(mine).toContain('pubsub_channels:2');
    expect(mine).toContain('pubsub: flags=P db=0 sub=2 psub=1 ssub=0 multi=-1');
  });
});

describe('fan-out: 1 publisher, 100 subscribers, 1000 messages', () => {
  let ringkv: TestServer;
  beforeAll(async () => {
    ringkv = await startRingkv();
  });
  afterAll(async () => {
    await ringkv?.stop();
  });

  test('every subscriber receives every message, in order, in its own dialect', async () => {
    const SUBSCRIBERS = 100;
    const MESSAGES = 1000;
    const subs: RawClient[] = [];
    try {
      for (let i = 0; i < SUBSCRIBERS; i++) {
        const c = await RawClient.connect(ringkv.port);
        subs.push(c);
        if (i % 2 === 1) await c.command('HELLO', '3');
        await c.command('SUBSCRIBE', 'fan');
      }
      const pub = await RawClient.connect(ringkv.port);
      subs.push(pub);
      const payload = (i: number) => `message-${i}-${'.'.repeat(i % 50)}`;
      // Pipelined in chunks, as a busy publisher would send them.
      for (let i = 0; i < MESSAGES; i += 100) {
        const chunk: Buffer[] = [];
        for (let j = i; j < i + 100; j++) chunk.push(encodeCommand(['PUBLISH', 'fan', payload(j)]));
        pub.write(Buffer.concat(chunk));
      }
      for (let i = 0; i < MESSAGES; i++) {
        expect((await pub.readReply(10000)).toString('latin1')).toBe(`:${SUBSCRIBERS}\r\n`);
      }
      await Promise.all(subs.slice(0, SUBSCRIBERS).map(async (c, n) => {
        const head = n % 2 === 1 ? '>3' : '*3';
        for (let i = 0; i < MESSAGES; i++) {
          const m = payload(i);
          const want = `${head}\r\n$7\r\nmessage\r\n$3\r\nfan\r\n$${m.length}\r\n${m}\r\n`;
          const got = (await c.readReply(10000)).toString('latin1');
          if (got !== want) expect(`subscriber ${n}, message ${i}: ${got}`).toBe(`subscriber ${n}, message ${i}: ${want}`);
        }
      }));
      // Nothing more than the messages arrived.
      const extra = await subs[0]!.readReply(200).then((r) => r.toString('latin1'), () => '');
      expect(extra).toBe('');
    } finally {
      for (const c of subs) c.close();
    }
  });
});
