/**
 * Keyspace notifications (notify-keyspace-events) against redis-server, byte for byte.
 *
 * Each scenario runs on two fresh connections per server: a subscriber (PSUBSCRIBE
 * '__key*__:*', plus SUBSCRIBE to an end marker) and a command connection that sets the event
 * classes, runs the commands and finally PUBLISHes the end marker. What is compared is every
 * command's reply and every byte the subscriber received before the marker, so the events,
 * their channels, payloads and order must all match. No timing is involved except in the
 * expiry scenarios, which sleep past a TTL.
 *
 * Also: CONFIG SET/GET of notify-keyspace-events (the flag letters, Redis's normalised
 * spelling, the error text for an unknown letter).
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffSuite } from '../helpers/diff.ts';
import { RawClient } from '../helpers/raw.ts';
import { sessionSuite, type Step as Step2 } from '../helpers/session.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

type Cmd = string[];
/**
 * A command, a pause in ms (for TTLs to pass), or a wait (unrecorded, up to `ms`) until the
 * database is empty: active expiry runs on the server's own clock.
 */
type Step = Cmd | { sleep: number } | { untilEmpty: number };
interface Scenario {
  /** notify-keyspace-events for the scenario; KEA by default. */
  flags?: string;
  /** Commands run before subscribing to the events (their events are not recorded). */
  setup?: Cmd[];
  steps: Step[];
  /** Compare the events as a sorted list (active expiry visits keys in hash-table order). */
  unordered?: boolean;
}

const END = 'ringkv-test-end';

/** The replies to `steps` and the subscriber's bytes, as one string per line. */
async function record(port: number, sc: Scenario): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const cmd = await RawClient.connect(port);
  try {
    await cmd.command('FLUSHALL');
    await cmd.command('CONFIG', 'SET', 'notify-keyspace-events', '');
    for (const argv of sc.setup ?? []) await cmd.command(...argv);
    await cmd.command('CONFIG', 'SET', 'notify-keyspace-events', sc.flags ?? 'KEA');
    await sub.command('PSUBSCRIBE', '__key*__:*');
    await sub.command('SUBSCRIBE', END);
    const lines: string[] = [];
    for (const step of sc.steps) {
      if ('untilEmpty' in step) {
        const until = Date.now() + step.untilEmpty;
        while ((await cmd.command('DBSIZE')).toString('latin1') !== ':0\r\n' && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 50));
        }
        lines.push('(until empty)');
        continue;
      }
      if (!Array.isArray(step)) {
        await new Promise((r) => setTimeout(r, step.sleep));
        lines.push(`(sleep ${step.sleep})`);
        continue;
      }
      const reply = (await cmd.command(...step)).toString('latin1');
      // SPOP's members are random: only the reply's size is compared.
      lines.push(`${step.join(' ')} -> ${/^spop$/i.test(step[0]!) ? `${reply.length} bytes` : JSON.stringify(reply)}`);
    }
    await cmd.command('PUBLISH', END, 'x');
    const endMessage = `*3\r\n$7\r\nmessage\r\n$${END.length}\r\n${END}\r\n$1\r\nx\r\n`;
    for (;;) {
      const msg = (await sub.readReply(5000)).toString('latin1');
      if (msg === endMessage) break;
      lines.push(`event ${JSON.stringify(msg.replace(/^\*4\r\n\$8\r\npmessage\r\n\$10\r\n__key\*__:\*\r\n/, ''))}`);
    }
    await cmd.command('CONFIG', 'SET', 'notify-keyspace-events', '');
    return sc.unordered === true ? lines.sort() : lines;
  } finally {
    sub.close();
    cmd.close();
  }
}

function notificationSuite(name: string, scenarios: Record<string, Scenario | Step[]>): void {
  describe.skipIf(!requireRedis())(`notifications: ${name}`, () => {
    let ringkv: TestServer;
    let redis: TestServer;
    beforeAll(async () => {
      [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    });
    afterAll(async () => {
      await Promise.all([ringkv?.stop(), redis?.stop()]);
    });
    for (const [title, s] of Object.entries(scenarios)) {
      const sc = Array.isArray(s) ? { steps: s } : s;
      test(title, async () => {
        const [mine, theirs] = await Promise.all([record(ringkv.port, sc), record(redis.port, sc)]);
        expect(mine).toEqual(theirs);
      });
    }
  });
}

diffSuite('notify-keyspace-events config', {
  'default is empty': [['CONFIG', 'GET', 'notify-keyspace-events']],
  'normalised spellings': [
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Kgn'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Ex'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'g$lshzxetd'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'mEKdtexzhsl$g'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'AAm'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'nd'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ''], ['CONFIG', 'GET', 'notify-keyspace-events'],
  ],
  'invalid letters': [
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'a'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEk'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ' '], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', ''],
  ],
});

notificationSuite('strings and generic', {
  'SET and friends': [
    ['SET', 'a', '1'], ['SET', 'a', '2', 'EX', '100'], ['SET', 'a', '3', 'KEEPTTL'], ['SET', 'a', '4', 'NX'], ['SET', 'b', '1', 'XX'],
    ['SET', 'b', '1', 'GET'], ['SETNX', 'b', '2'], ['SETNX', 'c', '2'], ['SETEX', 'd', '100', 'v'], ['PSETEX', 'd', '100000', 'w'],
    ['GETSET', 'd', 'x'], ['GETDEL', 'd'], ['GETDEL', 'd'], ['MSET', 'x', '1', 'y', '2', 'x', '3'], ['MSETNX', 'x', '1', 'z', '2'],
    ['MSETNX', 'p', '1', 'q', '2'],
  ],
  'GETEX': [
    ['SET', 'a', '1'], ['GETEX', 'a'], ['GETEX', 'a', 'EX', '100'], ['GETEX', 'a', 'PERSIST'], ['GETEX', 'a', 'PERSIST'],
    ['GETEX', 'a', 'PXAT', '1'], ['GETEX', 'nokey', 'EX', '10'],
  ],
  'counters, APPEND, SETRANGE': [
    ['INCR', 'n'], ['INCRBY', 'n', '5'], ['DECR', 'n'], ['DECRBY', 'n', '2'], ['INCRBYFLOAT', 'f', '1.5'], ['INCRBYFLOAT', 'f', '1'],
    ['APPEND', 's', 'ab'], ['APPEND', 's', 'cd'], ['SETRANGE', 's', '1', 'X'], ['SETRANGE', 'e', '0', ''], ['SETRANGE', 't', '2', 'x'],
    ['SETRANGE', 's', '0', ''], ['INCR', 's'], ['APPEND', 's', ''],
  ],
  'DEL, UNLINK, EXPIRE family, PERSIST': [
    ['SET', 'a', '1'], ['SET', 'b', '1'], ['SET', 'c', '1'], ['DEL', 'a', 'nokey', 'b'], ['UNLINK', 'c', 'c'],
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['PEXPIRE', 'k', '100000'], ['EXPIREAT', 'k', '99999999999'], ['PEXPIREAT', 'k', '99999999999999'],
    ['EXPIRE', 'k', '50', 'GT'], ['EXPIRE', 'k', '5000', 'NX'], ['PERSIST', 'k'], ['PERSIST', 'k'], ['EXPIRE', 'nokey', '10'],
    ['EXPIRE', 'k', '0'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '-1'], ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '1'], ['EXISTS', 'k'],
  ],
  'RENAME, RENAMENX, COPY, MOVE': [
    ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['SET', 'c', '2'], ['RENAME', 'b', 'c'], ['RENAME', 'c', 'c'], ['RENAMENX', 'c', 'd'],
    ['SET', 'e', '1'], ['RENAMENX', 'd', 'e'], ['COPY', 'd', 'f'], ['COPY', 'd', 'f'], ['COPY', 'd', 'f', 'REPLACE'], ['COPY', 'd', 'g', 'DB', '1'],
    ['MOVE', 'f', '2'], ['MOVE', 'e', '3'], ['SET', 'e', 'again'], ['MOVE', 'e', '3'], ['RENAME', 'nokey', 'x'], ['PEXPIRE', 'd', '100000'], ['RENAME', 'd', 'z'],
  ],
  'reads make no events (without m)': [
    ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'b'], ['MGET', 'a', 'b'], ['STRLEN', 'a'], ['EXISTS', 'a', 'b'], ['TYPE', 'a'], ['TTL', 'a'],
    ['TOUCH', 'a', 'b'], ['KEYS', '*'], ['GETRANGE', 'a', '0', '-1'],
  ],
  'key misses (m)': {
    flags: 'KEm',
    steps: [
      ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'b'], ['MGET', 'a', 'b', 'c'], ['STRLEN', 'x'], ['EXISTS', 'a', 'b'], ['TYPE', 'b'], ['TTL', 'b'],
      ['GETRANGE', 'b', '0', '1'], ['LRANGE', 'l', '0', '-1'], ['HGET', 'h', 'f'], ['SMEMBERS', 's'], ['ZSCORE', 'z', 'm'], ['LLEN', 'l'],
      ['HGETALL', 'h'], ['ZRANGE', 'z', '0', '-1'], ['SISMEMBER', 's', 'x'], ['GETDEL', 'b'], ['GETEX', 'b'], ['INCR', 'c'], ['DEL', 'zz'],
      ['TOUCH', 'zz'], ['DUMPX'], ['OBJECT', 'ENCODING', 'b'], ['SUNION', 's', 't'], ['ZUNION', '2', 'a1', 'a2'], ['LINDEX', 'l', '0'],
    ],
  },
  'new keys (n)': {
    flags: 'KEn',
    steps: [
      ['SET', 'a', '1'], ['SET', 'a', '2'], ['INCR', 'b'], ['APPEND', 'c', 'x'], ['LPUSH', 'l', 'x'], ['LPUSH', 'l', 'y'], ['HSET', 'h', 'f', 'v'],
      ['SADD', 's', 'm'], ['ZADD', 'z', '1', 'm'], ['RENAME', 'a', 'r'], ['COPY', 'r', 'r2'], ['MOVE', 'r2', '1'], ['SETRANGE', 'sr', '1', 'x'],
      ['MSET', 'm1', '1', 'm2', '2'], ['SINTERSTORE', 'st', 's'], ['ZUNIONSTORE', 'zs', '1', 'z'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
      ['SMOVE', 's', 's2', 'm'], ['INCRBYFLOAT', 'fl', '1'], ['HINCRBY', 'h2', 'f', '1'], ['GETEX', 'b', 'EX', '100'], ['ZRANGESTORE', 'zr', 'z', '0', '-1'],
    ],
  },
  'A hides n in CONFIG GET, but n is on': {
    flags: 'KEAn',
    steps: [['CONFIG', 'GET', 'notify-keyspace-events'], ['SET', 'a', '1'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['SET', 'b', '1']],
  },
  'classes filter events': {
    flags: 'Kgl',
    steps: [['SET', 'a', '1'], ['LPUSH', 'l', 'x'], ['DEL', 'a'], ['HSET', 'h', 'f', 'v'], ['EXPIRE', 'l', '100'], ['RPOP', 'l']],
  },
  'keyevent only, keyspace only': {
    flags: 'E$',
    steps: [['SET', 'a', '1'], ['DEL', 'a'], ['INCR', 'a']],
  },
  'no K or E: nothing': { flags: 'A', steps: [['SET', 'a', '1'], ['DEL', 'a']] },
  'events in other databases and binary keys': [
    ['SELECT', '5'], ['SET', 'k', 'v'], ['SET', 'a\r\nb\0', 'v'], ['SELECT', '0'], ['SET', '', 'x'], ['DEL', ''],
  ],
  'MULTI/EXEC': [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['LPUSH', 'a', 'x'], ['DEL', 'a'], ['EXEC']],
  'FLUSHDB and FLUSHALL make no events': [['SET', 'a', '1'], ['FLUSHDB'], ['SET', 'a', '1'], ['FLUSHALL']],
});

notificationSuite('expiry', {
  'lazy expiry on access': {
    flags: 'KEA',
    setup: [['CONFIG', 'SET', 'hz', '1']],
    steps: [['SET', 'a', '1', 'PX', '30'], { sleep: 80 }, ['GET', 'a'], ['SET', 'b', '1', 'PX', '30'], { sleep: 80 }, ['EXISTS', 'b'],
      ['SET', 'c', 'v', 'PXAT', '1'], ['GET', 'c'], ['CONFIG', 'SET', 'hz', '10']],
  },
  'active expiry': {
    flags: 'KEx',
    unordered: true,
    steps: [['SET', 'a', '1', 'PX', '20'], ['LPUSH', 'l', 'x'], ['PEXPIRE', 'l', '20'], { untilEmpty: 5000 }, ['DBSIZE']],
  },
  'lazy expiry with key miss': {
    flags: 'KEA',
    setup: [['CONFIG', 'SET', 'hz', '1']],
    steps: [['SET', 'a', '1', 'PX', '30'], { sleep: 80 }, ['CONFIG', 'SET', 'notify-keyspace-events', 'KExm'], ['GET', 'a'], ['CONFIG', 'SET', 'hz', '10']],
  },
});

notificationSuite('lists', {
  'pushes and pops': [
    ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'l', 'd'], ['RPUSHX', 'l', 'e'], ['LPUSHX', 'no', 'x'], ['RPUSHX', 'no', 'x'],
    ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', '2'], ['RPOP', 'l', '5'], ['LPOP', 'l'], ['RPOP', 'nokey', '2'], ['RPUSH', 'l', 'x'], ['LPOP', 'l', '0'],
  ],
  'LSET LINSERT LREM LTRIM': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'b'], ['LSET', 'l', '0', 'z'], ['LINSERT', 'l', 'BEFORE', 'b', 'y'], ['LINSERT', 'l', 'AFTER', 'none', 'y'],
    ['LREM', 'l', '0', 'b'], ['LREM', 'l', '0', 'nope'], ['LTRIM', 'l', '0', '1'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '5', '10'],
    ['RPUSH', 'm', 'x'], ['LREM', 'm', '1', 'x'], ['LTRIM', 'nokey', '0', '1'],
  ],
  'LMOVE, RPOPLPUSH, LMPOP': [
    ['RPUSH', 'a', '1', '2', '3'], ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'a', 'b'], ['LMOVE', 'a', 'a', 'LEFT', 'RIGHT'],
    ['LMOVE', 'a', 'b', 'RIGHT', 'LEFT'], ['LMOVE', 'b', 'b', 'LEFT', 'LEFT'], ['LMPOP', '2', 'x', 'b', 'LEFT', 'COUNT', '2'],
    ['LMPOP', '1', 'b', 'RIGHT', 'COUNT', '9'], ['RPOPLPUSH', 'none', 'b'],
  ],
  'blocking pops that do not block': [
    ['RPUSH', 'a', '1', '2'], ['BLPOP', 'a', '0'], ['BRPOP', 'a', '0'], ['RPUSH', 'a', '1'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'b', 'c', '0'], ['BLMPOP', '0', '1', 'c', 'LEFT'], ['RPUSH', 'z', '1'], ['BLPOP', 'nokey', '0.01'],
  ],
});

notificationSuite('hashes and sets', {
  'hashes': [
    ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', '1'], ['HMSET', 'h', 'c', '3'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'd', 'x'],
    ['HINCRBY', 'h', 'n', '2'], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HDEL', 'h', 'a', 'zz'], ['HDEL', 'h', 'zz'], ['HDEL', 'h', 'b', 'c', 'd', 'n', 'f'],
    ['HGET', 'h', 'a'], ['HINCRBY', 'h', 'n', 'x'],
  ],
  'sets': [
    ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SREM', 's', 'a', 'zz'], ['SREM', 's', 'zz'], ['SMOVE', 's', 't', 'b'], ['SMOVE', 's', 't', 'zz'],
    ['SMOVE', 's', 't', 'c'], ['SMOVE', 't', 't', 'b'], ['SADD', 'p', '1', '2', '3'], ['SPOP', 'p'], ['SPOP', 'p', '0'], ['SPOP', 'p', '1'],
    ['SPOP', 'p', '5'], ['SPOP', 'nokey'], ['SADD', 'q', '1', '2', '3', '4'], ['SPOP', 'q', '3'], ['SREM', 'q', '1', '2', '3', '4'],
  ],
  'set stores': [
    ['SADD', 'a', '1', '2'], ['SADD', 'b', '2', '3'], ['SINTERSTORE', 'i', 'a', 'b'], ['SUNIONSTORE', 'u', 'a', 'b'], ['SDIFFSTORE', 'd', 'a', 'b'],
    ['SINTERSTORE', 'i', 'a', 'nokey'], ['SINTERSTORE', 'i', 'a', 'nokey'], ['SDIFFSTORE', 'd', 'a', 'a'], ['SUNIONSTORE', 'u', 'x', 'y'],
    ['SET', 'str', 'v'], ['SUNIONSTORE', 'str', 'a'], ['SUNIONSTORE', 'a', 'a', 'b'],
  ],
});

notificationSuite('sorted sets', {
  'ZADD and ZINCRBY': [
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', '5', 'a'], ['ZADD', 'z', 'NX', '9', 'a'], ['ZADD', 'z', 'XX', '9', 'c'],
    ['ZADD', 'z', 'CH', '3', 'b'], ['ZADD', 'z', 'INCR', '1', 'a'], ['ZADD', 'z', 'NX', 'INCR', '1', 'a'], ['ZINCRBY', 'z', '2', 'q'],
    ['ZADD', 'y', 'XX', '1', 'a'], ['ZADD', 'z', 'GT', '0', 'a'],
  ],
  'removals': [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZREM', 'z', 'a', 'zz'], ['ZREM', 'z', 'zz'],
    ['ZREMRANGEBYSCORE', 'z', '2', '2'], ['ZREMRANGEBYSCORE', 'z', '10', '20'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZREMRANGEBYRANK', 'z', '5', '9'],
    ['ZREMRANGEBYLEX', 'z', '[d', '[d'], ['ZREMRANGEBYLEX', 'z', '[x', '[y'], ['ZADD', 'y', '1', 'a'], ['ZREM', 'y', 'a'],
    ['ZADD', 'w', '1', 'a', '2', 'b'], ['ZREMRANGEBYSCORE', 'w', '-inf', '+inf'],
  ],
  'pops': [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z'], ['ZPOPMIN', 'z', '0'], ['ZPOPMAX', 'z', '5'],
    ['ZPOPMIN', 'nokey'], ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZMPOP', '2', 'x', 'z', 'MIN'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '3'],
    ['ZADD', 'z', '1', 'a'], ['BZPOPMIN', 'z', '0'], ['ZADD', 'z', '1', 'a', '2', 'b'], ['BZPOPMAX', 'z', '0'], ['BZMPOP', '0', '1', 'z', 'MIN'],
  ],
  'stores': [
    ['ZADD', 'a', '1', 'x', '2', 'y'], ['ZADD', 'b', '3', 'y'], ['ZUNIONSTORE', 'u', '2', 'a', 'b'], ['ZINTERSTORE', 'i', '2', 'a', 'b'],
    ['ZDIFFSTORE', 'd', '2', 'a', 'b'], ['ZINTERSTORE', 'i', '2', 'a', 'nokey'], ['ZINTERSTORE', 'i', '2', 'a', 'nokey'],
    ['ZRANGESTORE', 'r', 'a', '0', '-1'], ['ZRANGESTORE', 'r', 'a', '5', '9'], ['ZRANGESTORE', 'r', 'a', '5', '9'], ['ZDIFFSTORE', 'd', '1', 'a'],
    ['ZUNIONSTORE', 'a', '2', 'a', 'b'],
  ],
});

/** Blocked clients served by another client's push: a third connection blocks. */
describe.skipIf(!requireRedis())('notifications: blocked clients served', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  async function served(port: number, block: Cmd, feed: Cmd[]): Promise<string[]> {
    const sub = await RawClient.connect(port);
    const cmd = await RawClient.connect(port);
    const waiter = await RawClient.connect(port);
    try {
      await cmd.command('FLUSHALL');
      await cmd.command('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      await sub.command('PSUBSCRIBE', '__key*__:*');
      await sub.command('SUBSCRIBE', END);
      const { encodeCommand } = await import('../helpers/raw.ts');
      waiter.write(encodeCommand(block));
      // Wait until the server has parked it (CLIENT LIST shows a blocked client).
      for (let i = 0; i < 200; i++) {
        const info = (await cmd.command('INFO', 'clients')).toString('latin1');
        if (/blocked_clients:1/.test(info)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const lines: string[] = [];
      for (const argv of feed) lines.push(`${argv.join(' ')} -> ${JSON.stringify((await cmd.command(...argv)).toString('latin1'))}`);
      lines.push(`waiter <- ${JSON.stringify((await waiter.readReply(5000)).toString('latin1'))}`);
      await cmd.command('PUBLISH', END, 'x');
      for (;;) {
        const msg = (await sub.readReply(5000)).toString('latin1');
        if (msg.includes(END)) break;
        lines.push(`event ${JSON.stringify(msg)}`);
      }
      await cmd.command('CONFIG', 'SET', 'notify-keyspace-events', '');
      return lines;
    } finally {
      sub.close();
      cmd.close();
      waiter.close();
    }
  }

  const cases: Record<string, [Cmd, Cmd[]]> = {
    'BLPOP served by RPUSH': [['BLPOP', 'l', '0'], [['RPUSH', 'l', 'a', 'b']]],
    'BLPOP served, list emptied': [['BLPOP', 'l', '0'], [['RPUSH', 'l', 'a']]],
    'BRPOP served by LPUSH in MULTI': [['BRPOP', 'l', '0'], [['MULTI'], ['LPUSH', 'l', 'a'], ['LPUSH', 'l', 'b'], ['EXEC']]],
    'BLMOVE served': [['BLMOVE', 'l', 'd', 'RIGHT', 'LEFT', '0'], [['RPUSH', 'l', 'a']]],
    'BLMPOP served': [['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '5'], [['RPUSH', 'l', 'a', 'b']]],
    'BZPOPMIN served': [['BZPOPMIN', 'z', '0'], [['ZADD', 'z', '1', 'a']]],
    'BZMPOP served': [['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2'], [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']]],
  };
  for (const [title, [block, feed]] of Object.entries(cases)) {
    test(title, async () => {
      const [mine, theirs] = await Promise.all([served(ringkv.port, block, feed), served(redis.port, block, feed)]);
      expect(mine).toEqual(theirs);
    });
  }
});

/**
 * RESP3: a client subscribed to its own events gets each push in its own reply stream, so where
 * the push lands relative to the command's reply (before or after it) is compared too.
 */
const selfSteps = (cmds: Cmd[]): Step2[] => [
  [0, ['HELLO', '3']], [0, ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']], [0, ['PSUBSCRIBE', '__keyevent*__:*']],
  ...cmds.map((argv): Step2 => [0, argv]),
  [0, ['CONFIG', 'SET', 'notify-keyspace-events', '']],
];
sessionSuite('notifications to oneself (RESP3)', {
  'strings and generic': selfSteps([
    ['SET', 'a', '1'], ['SET', 'a', '2', 'GET'], ['SET', 'b', '1', 'EX', '100'], ['GETSET', 'a', '3'], ['GETDEL', 'a'], ['SETNX', 'a', '1'],
    ['MSET', 'x', '1', 'y', '2'], ['INCR', 'n'], ['INCRBYFLOAT', 'n', '1.5'], ['APPEND', 'a', 'x'], ['SETRANGE', 'a', '0', 'y'],
    ['GETEX', 'a', 'EX', '10'], ['GETEX', 'a', 'PERSIST'], ['EXPIRE', 'a', '10'], ['PERSIST', 'a'], ['RENAME', 'a', 'c'], ['COPY', 'c', 'd'],
    ['MOVE', 'd', '1'], ['DEL', 'c', 'x', 'y'], ['EXPIRE', 'b', '0'],
  ]),
  'lists and hashes': selfSteps([
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l'], ['RPOP', 'l', '1'], ['LSET', 'l', '0', 'z'], ['LINSERT', 'l', 'BEFORE', 'z', 'y'],
    ['LREM', 'l', '1', 'y'], ['LTRIM', 'l', '0', '0'], ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'], ['LMPOP', '1', 'm', 'LEFT'], ['RPUSH', 'l', 'x'],
    ['BLPOP', 'l', '0'], ['HSET', 'h', 'f', '1'], ['HINCRBY', 'h', 'f', '2'], ['HINCRBYFLOAT', 'h', 'f', '0.5'], ['HSETNX', 'h', 'g', '1'],
    ['HDEL', 'h', 'f', 'g'],
  ]),
  'sets and sorted sets': selfSteps([
    ['SADD', 's', 'a', 'b'], ['SREM', 's', 'a'], ['SMOVE', 's', 't', 'b'], ['SADD', 'u', '1'], ['SPOP', 'u'], ['SADD', 'u', '1', '2'],
    ['SPOP', 'u', '2'], ['SADD', 'a', '1'], ['SUNIONSTORE', 'v', 'a', 't'], ['SINTERSTORE', 'v', 'a', 't'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZINCRBY', 'z', '1', 'a'], ['ZREM', 'z', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'],
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZUNIONSTORE', 'w', '1', 'z'], ['ZRANGESTORE', 'r', 'z', '0', '-1'],
    ['ZMPOP', '1', 'z', 'MIN'], ['BZPOPMIN', 'w', '0'],
  ]),
});
