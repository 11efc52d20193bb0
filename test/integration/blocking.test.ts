/**
 * Blocking commands across clients, against a real redis-server: the exact bytes every
 * connection receives, step by step (test/helpers/session.ts). Runs in both I/O modes (the
 * vitest projects "single" and "threaded").
 *
 * What is checked: clients blocked on a key are served first come, first served, after the
 * command that made the key ready (after EXEC for a transaction, and not at all if the
 * transaction popped it again); BLMOVE and BRPOPLPUSH chains; several keys; list and sorted-set
 * waiters on one key; commands pipelined behind a blocked command run after it is served, in
 * order, and after the pushing client's own pipeline; errors found before the executor (unknown
 * command, protocol error) wait their turn too; disconnects while blocked; timeouts (0.1 s);
 * keys made ready by RENAME, COPY and MOVE; CLIENT UNBLOCK; INFO clients and CLIENT LIST; and a
 * long pipeline of blocking pops fed one element at a time.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, encodeCommand } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { sessionSuite, type Step } from '../helpers/session.ts';

/** Commands written on connection `n` in one write, without awaiting their replies. */
function send(n: number, ...commands: string[][]): Step {
  return { send: n, commands };
}

const BLPOP_K = ['BLPOP', 'k', '0'];

sessionSuite('blocking commands', {
  'three clients blocked on one key are served in the order they blocked': {
    conns: 4,
    steps: [send(0, BLPOP_K), send(1, BLPOP_K), send(2, BLPOP_K), [3, ['LPUSH', 'k', 'a', 'b', 'c']], [3, ['EXISTS', 'k']]],
  },
  'a push of fewer elements than waiters serves the first ones; the others keep waiting': {
    conns: 4,
    steps: [
      send(0, ['BRPOP', 'k', '0']), send(1, ['BRPOP', 'k', '0']), send(2, ['BRPOP', 'k', '0']),
      [3, ['RPUSH', 'k', 'a', 'b']], [3, ['RPUSH', 'k', 'c', 'd']], [3, ['LRANGE', 'k', '0', '-1']],
    ],
  },
  'a client blocked on several keys is served from the first that gets data': {
    conns: 3,
    steps: [
      send(0, ['BLPOP', 'k1', 'k2', 'k3', '0']), send(1, ['BRPOP', 'k3', 'k1', '0']),
      [2, ['RPUSH', 'k3', 'x', 'y']], [2, ['RPUSH', 'k1', 'z']], [2, ['KEYS', '*']],
    ],
  },
  'BLMOVE chain: each push serves the next client in the chain': {
    conns: 4,
    steps: [
      send(0, ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0']), send(1, ['BLMOVE', 'b', 'c', 'RIGHT', 'LEFT', '0']),
      send(2, ['BLPOP', 'c', '0']), [3, ['LPUSH', 'a', 'x']], [3, ['KEYS', '*']],
    ],
  },
  'BRPOPLPUSH between two lists, both ways': {
    conns: 3,
    steps: [
      send(0, ['BRPOPLPUSH', 'a', 'b', '0']), send(1, ['BRPOPLPUSH', 'b', 'a', '0']),
      [2, ['RPUSH', 'a', 'x', 'y']], [2, ['LRANGE', 'a', '0', '-1']], [2, ['LRANGE', 'b', '0', '-1']],
    ],
  },
  'BLMOVE rotating a list onto itself, and BLMPOP with COUNT': {
    conns: 3,
    steps: [
      send(0, ['BLMOVE', 'r', 'r', 'LEFT', 'RIGHT', '0']), [2, ['RPUSH', 'r', 'a']], [2, ['LRANGE', 'r', '0', '-1']],
      send(0, ['BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '3']), send(1, ['BLMPOP', '0', '1', 'y', 'LEFT']),
      [2, ['RPUSH', 'y', '1', '2', '3', '4', '5']], [2, ['LRANGE', 'y', '0', '-1']],
    ],
  },
  'a push inside MULTI serves after EXEC; one popped again in the transaction serves no one': {
    conns: 2,
    steps: [
      send(0, BLPOP_K), [1, ['MULTI']], [1, ['LPUSH', 'k', 'a']], [1, ['LPOP', 'k']], [1, ['EXEC']],
      [1, ['MULTI']], [1, ['LPUSH', 'k', 'b']], [1, ['LPUSH', 'k', 'c']], [1, ['EXEC']], [1, ['LRANGE', 'k', '0', '-1']],
    ],
  },
  'a transaction that pushes to two waited keys serves from the first one pushed': {
    conns: 3,
    steps: [
      send(0, ['BLPOP', 'k1', 'k2', '0']), send(1, ['BLPOP', 'k2', '0']),
      send(2, ['MULTI'], ['RPUSH', 'k2', 'x'], ['RPUSH', 'k1', 'y'], ['DEL', 'k1'], ['RPUSH', 'k1', 'z'], ['EXEC']),
      [2, ['KEYS', '*']],
    ],
  },
  'commands pipelined behind a blocked command run after it is served, in order': {
    conns: 2,
    steps: [
      send(0, BLPOP_K, ['GET', 'x'], ['PING'], ['LLEN', 'k']), [1, ['SET', 'x', '1']], [1, ['LPUSH', 'k', 'v', 'w']],
      [0, ['PING', 'after']],
    ],
  },
  'the pushing client finishes its own pipeline before the served client runs its held commands': {
    conns: 2,
    steps: [
      send(0, BLPOP_K, ['GET', 'x'], ['LPOP', 'k']),
      send(1, ['LPUSH', 'k', 'v'], ['SET', 'x', '2'], ['LPOP', 'k'], ['RPUSH', 'k', 'w']),
    ],
  },
  'a blocking command held behind another one blocks in its turn': {
    conns: 2,
    steps: [
      send(0, BLPOP_K, BLPOP_K, ['LLEN', 'k']), [1, ['LPUSH', 'k', 'a']], [1, ['LPUSH', 'k', 'b']],
      send(0, BLPOP_K, BLPOP_K, ['LLEN', 'k']), [1, ['LPUSH', 'k', 'c', 'd', 'e']],
    ],
  },
  'an unknown command and an arity error behind a blocked command are answered in their turn': {
    conns: 2,
    steps: [
      send(0, BLPOP_K, ['NOSUCH', 'x'], ['GET'], ['PING']), [1, ['LPUSH', 'k', 'v']], [0, ['PING', 'after']],
    ],
  },
  'a protocol error behind a blocked command is answered after it, then the connection closes': {
    conns: 2,
    steps: [
      { send: 0, raw: Buffer.concat([encodeCommand(BLPOP_K), encodeCommand(['PING']), Buffer.from('*abc\r\n')]) },
      [1, ['LPUSH', 'k', 'v']], [1, ['LLEN', 'k']],
    ],
  },
  'QUIT behind a blocked command: the reply, +OK, then the connection closes': {
    conns: 2,
    steps: [send(0, BLPOP_K, ['QUIT'], ['PING']), [1, ['LPUSH', 'k', 'v', 'w']], [1, ['LLEN', 'k']]],
  },
  'a blocked client that disconnects leaves the queue: the next one is served': {
    conns: 3,
    steps: [send(0, BLPOP_K), send(1, BLPOP_K), { close: 0 }, [2, ['LPUSH', 'k', 'v']], [2, ['LLEN', 'k']]],
  },
  'timeouts: a null array after 0.1 s, then the commands held behind it': {
    conns: 2,
    steps: [
      send(0, ['BLPOP', 'k', '0.1'], ['PING']), { sleep: 400 }, [1, ['LPUSH', 'k', 'v']], [1, ['LLEN', 'k']],
      send(0, ['BZPOPMIN', 'z', '0.1'], ['BLMOVE', 'k2', 'd', 'LEFT', 'LEFT', '0.1'], ['ECHO', 'x']), { sleep: 600 }, [1, ['PING']],
    ],
  },
  'a client that timed out is no longer served': {
    conns: 2,
    steps: [send(0, ['BLPOP', 'k', '0.1']), { sleep: 400 }, [1, ['RPUSH', 'k', 'a']], [1, ['LRANGE', 'k', '0', '-1']]],
  },
  'RESP3 timeouts answer _': {
    conns: 2,
    steps: [[0, ['HELLO', '3']], send(0, ['BLMPOP', '0.1', '1', 'k', 'LEFT'], ['PING']), { sleep: 400 }, [1, ['PING']]],
  },
  'BZPOPMIN, BZPOPMAX and BZMPOP served in order by one ZADD': {
    conns: 4,
    steps: [
      send(0, ['BZPOPMIN', 'z', '0']), send(1, ['BZPOPMAX', 'z', '0']), send(2, ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '2']),
      [3, ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']], [3, ['ZRANGE', 'z', '0', '-1', 'WITHSCORES']],
    ],
  },
  'served in RESP3: doubles and nested pairs': {
    conns: 2,
    steps: [
      [0, ['HELLO', '3']], send(0, ['BZPOPMIN', 'z', '0']), [1, ['ZADD', 'z', '1.5', 'a']],
      send(0, ['BZMPOP', '0', '1', 'z', 'MAX']), [1, ['ZADD', 'z', '2', 'b']], send(0, BLPOP_K), [1, ['RPUSH', 'k', 'v']],
    ],
  },
  'BLMOVE served while its destination holds another type: WRONGTYPE, the element stays': {
    conns: 3,
    steps: [
      send(0, ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'], ['PING']), send(1, ['BLMOVE', 'src', 'ok', 'LEFT', 'RIGHT', '0']),
      [2, ['SET', 'dst', 'str']], [2, ['LPUSH', 'src', 'a']], [2, ['LRANGE', 'src', '0', '-1']], [2, ['LRANGE', 'ok', '0', '-1']],
    ],
  },
  'list and sorted-set waiters on one key: only the type the key gets is served': {
    conns: 3,
    steps: [
      send(0, BLPOP_K), send(1, ['BZPOPMIN', 'k', '0']), [2, ['ZADD', 'k', '1', 'm', '2', 'n']], [2, ['TYPE', 'k']],
      [2, ['DEL', 'k']], [2, ['RPUSH', 'k', 'x', 'y']], [2, ['LRANGE', 'k', '0', '-1']],
    ],
  },
  'a key set to a string serves no one; deleted and pushed, it does': {
    conns: 2,
    steps: [send(0, BLPOP_K), [1, ['SET', 'k', 'v']], [1, ['APPEND', 'k', 'w']], [1, ['DEL', 'k']], [1, ['RPUSH', 'k', 'x']]],
  },
  'keys made ready by RENAME, COPY and MOVE': {
    conns: 2,
    steps: [
      send(0, ['BLPOP', 'dst', '0']), [1, ['RPUSH', 'src', 'x']], [1, ['RENAME', 'src', 'dst']], [1, ['EXISTS', 'dst']],
      send(0, ['BZPOPMIN', 'zdst', '0']), [1, ['ZADD', 'zsrc', '1', 'm']], [1, ['COPY', 'zsrc', 'zdst']], [1, ['EXISTS', 'zdst']],
      send(0, ['SELECT', '1'], ['BLPOP', 'mk', '0']), [1, ['RPUSH', 'mk', 'y']], [1, ['MOVE', 'mk', '1']], [1, ['EXISTS', 'mk']],
    ],
  },
  'a RESP3 subscriber that blocks still receives its messages': {
    conns: 2,
    steps: [
      [0, ['HELLO', '3']], [0, ['SUBSCRIBE', 'ch']], send(0, BLPOP_K, ['PING']), [1, ['PUBLISH', 'ch', 'm1']],
      [1, ['LPUSH', 'k', 'v']], [1, ['PUBLISH', 'ch', 'm2']],
    ],
  },
  'a blocked client that WATCHed keys: its held EXEC sees the changes made meanwhile': {
    conns: 2,
    steps: [
      [0, ['WATCH', 'w']], send(0, BLPOP_K, ['MULTI'], ['GET', 'w'], ['EXEC']), [1, ['SET', 'w', '1']], [1, ['RPUSH', 'k', 'v']],
    ],
  },
});

/** Starts both servers once for the tests below that need the connections' ids. */
describe.skipIf(!requireRedis())('blocking commands: ids, INFO and long pipelines', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  /** Everything `c` receives until it is quiet for `ms`. */
  async function quiet(c: RawClient, ms = 60): Promise<string> {
    let got = '';
    for (;;) {
      try {
        got += (await c.readReply(ms)).toString('latin1');
      } catch {
        return got;
      }
    }
  }

  /** The value of `field` in an INFO or CLIENT LIST text. */
  function field(text: string, name: string): string {
    const m = new RegExp(`(?:^|[\\s\\n])${name}[:=]([^\\s\\r]*)`).exec(text);
    return m === null ? '<none>' : m[1]!;
  }

  /**
   * CLIENT UNBLOCK TIMEOUT and ERROR, the replies and commands held behind, and what
   * INFO clients, CLIENT LIST, commandstats and errorstats say meanwhile.
   */
  async function unblockSession(port: number): Promise<string[]> {
    const [a, b] = [await RawClient.connect(port), await RawClient.connect(port)];
    try {
      await b.command('FLUSHALL');
      await b.command('CONFIG', 'RESETSTAT');
      const id = (await a.command('CLIENT', 'ID')).toString('latin1').slice(1, -2);
      const out: string[] = [];
      a.write(Buffer.concat([encodeCommand(['BLPOP', 'k', '0']), encodeCommand(['PING'])]));
      await new Promise((r) => setTimeout(r, 50));
      const info = (await b.command('INFO', 'clients')).toString('latin1');
      out.push(`blocked_clients=${field(info, 'blocked_clients')} in_timeout_table=${field(info, 'clients_in_timeout_table')}`);
      const list = (await b.command('CLIENT', 'LIST', 'ID', id)).toString('latin1');
      out.push(`flags=${field(list, 'flags')} cmd=${field(list, 'cmd')}`);
      out.push(`unblock: ${(await b.command('CLIENT', 'UNBLOCK', id)).toString('latin1')}`, `a <- ${await quiet(a)}`);
      a.write(encodeCommand(['BZPOPMIN', 'z', '100']));
      await new Promise((r) => setTimeout(r, 50));
      const info2 = (await b.command('INFO', 'clients')).toString('latin1');
      out.push(`blocked_clients=${field(info2, 'blocked_clients')} in_timeout_table=${field(info2, 'clients_in_timeout_table')}`);
      out.push(`unblock error: ${(await b.command('CLIENT', 'UNBLOCK', id, 'ERROR')).toString('latin1')}`, `a <- ${await quiet(a)}`);
      out.push(`again: ${(await b.command('CLIENT', 'UNBLOCK', id, 'TIMEOUT')).toString('latin1')}`);
      const info3 = (await b.command('INFO', 'clients')).toString('latin1');
      out.push(`blocked_clients=${field(info3, 'blocked_clients')} in_timeout_table=${field(info3, 'clients_in_timeout_table')}`);
      const list2 = (await b.command('CLIENT', 'LIST', 'ID', id)).toString('latin1');
      out.push(`flags=${field(list2, 'flags')} cmd=${field(list2, 'cmd')}`);
      const stats = (await b.command('INFO', 'commandstats')).toString('latin1');
      for (const cmd of ['blpop', 'bzpopmin', 'client\\|unblock']) {
        const m = new RegExp(`cmdstat_${cmd}:calls=(\\d+),usec=[\\d.]+,usec_per_call=[\\d.]+,rejected_calls=(\\d+),failed_calls=(\\d+)`).exec(stats);
        out.push(`${cmd}: ${m === null ? 'none' : m.slice(1).join('/')}`);
      }
      const errors = (await b.command('INFO', 'errorstats')).toString('latin1');
      out.push(`errorstats: ${errors.split('\r\n').filter((l) => l.startsWith('errorstat_')).join(' ')}`);
      return out;
    } finally {
      a.close();
      b.close();
    }
  }

  test('CLIENT UNBLOCK TIMEOUT and ERROR; INFO clients, CLIENT LIST flags and statistics', async () => {
    expect(await unblockSession(ringkv.port)).toEqual(await unblockSession(redis.port));
  });

  /**
   * A consumer pipelines, in one write, ROUNDS × (BLPOP q 0, INCR n), with an unknown command
   * every tenth round (refused by the I/O worker before the executor, in threaded mode); a
   * producer pushes one element per round and waits for its reply. Every element must reach
   * the consumer, in order, each followed by its INCR, the errors in their places.
   */
  async function feedSession(port: number): Promise<string> {
    const ROUNDS = 120;
    const [consumer, producer] = [await RawClient.connect(port), await RawClient.connect(port)];
    try {
      await producer.command('FLUSHALL');
      const pipeline: Buffer[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        pipeline.push(encodeCommand(['BLPOP', 'q', '0']), encodeCommand(['INCR', 'n']));
        if (i % 10 === 9) pipeline.push(encodeCommand(['NOSUCH', String(i)]));
      }
      consumer.write(Buffer.concat(pipeline));
      const expected: string[] = [];
      const received: string[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        await producer.command('RPUSH', 'q', `e${i}`);
        expected.push(`*2\r\n$1\r\nq\r\n$${`e${i}`.length}\r\ne${i}\r\n`, `:${i + 1}\r\n`);
        if (i % 10 === 9) expected.push(`-ERR unknown command 'NOSUCH', with args beginning with: '${i}' \r\n`);
      }
      for (let i = 0; i < expected.length; i++) received.push((await consumer.readReply(5000)).toString('latin1'));
      expect(received).toEqual(expected);
      // Nothing more, and the consumer is free again.
      return `${await quiet(consumer)}|${(await consumer.command('LLEN', 'q')).toString('latin1')}`;
    } finally {
      consumer.close();
      producer.close();
    }
  }

  test('a long pipeline of blocking pops fed one element at a time', async () => {
    const [mine, theirs] = await Promise.all([feedSession(ringkv.port), feedSession(redis.port)]);
    expect(mine).toEqual(theirs);
  });

  /**
   * A blocked client that keeps sending: what it sends waits unparsed in Redis's query buffer,
   * held by ringkv's executor; past client-query-buffer-limit both close it without a reply.
   */
  async function floodSession(port: number): Promise<string> {
    const [a, b] = [await RawClient.connect(port), await RawClient.connect(port)];
    try {
      await b.command('CONFIG', 'SET', 'client-query-buffer-limit', '1mb');
      a.write(encodeCommand(['BLPOP', 'k', '0']));
      const one = encodeCommand(['SET', 'x', 'v'.repeat(1000)]);
      for (let i = 0; i < 1200; i++) a.write(one);
      const got = (await a.readUntilClose(5000)).toString('latin1');
      const info = (await b.command('INFO', 'clients')).toString('latin1');
      return `${got}|closed=${a.closed}|connected=${field(info, 'connected_clients')}|blocked=${field(info, 'blocked_clients')}`;
    } finally {
      await b.command('CONFIG', 'SET', 'client-query-buffer-limit', '1gb');
      a.close();
      b.close();
    }
  }

  test('a blocked client that sends past client-query-buffer-limit is closed', async () => {
    const mine = await floodSession(ringkv.port);
    expect(mine).toEqual(await floodSession(redis.port));
    expect(mine).toBe('|closed=true|connected=1|blocked=0');
  });

  /** Fifty clients block, one pusher serves them one element at a time: each gets its own. */
  async function fanSession(port: number): Promise<string[]> {
    const N = 50;
    const clients: RawClient[] = [];
    for (let i = 0; i < N; i++) clients.push(await RawClient.connect(port));
    const pusher = await RawClient.connect(port);
    try {
      await pusher.command('FLUSHALL');
      for (const c of clients) {
        c.write(encodeCommand(['BRPOP', 'fan', '0']));
        // Blocked in this order: wait until the server has parked it.
        for (;;) {
          const info = (await pusher.command('INFO', 'clients')).toString('latin1');
          if (Number(field(info, 'blocked_clients')) === clients.indexOf(c) + 1) break;
        }
      }
      const got: string[] = [];
      for (let i = 0; i < N; i++) {
        await pusher.command('LPUSH', 'fan', `v${i}`);
        got.push((await clients[i]!.readReply(5000)).toString('latin1'));
      }
      const info = (await pusher.command('INFO', 'clients')).toString('latin1');
      got.push(`blocked_clients=${field(info, 'blocked_clients')}`);
      return got;
    } finally {
      for (const c of clients) c.close();
      pusher.close();
    }
  }

  test('fifty blocked clients are served one push each, in the order they blocked', async () => {
    const mine = await fanSession(ringkv.port);
    expect(mine).toEqual(await fanSession(redis.port));
    expect(mine[49]).toBe('*2\r\n$3\r\nfan\r\n$3\r\nv49\r\n');
  });
});
