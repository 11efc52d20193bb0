/**
 * Server and introspection commands against a real redis-server, where the replies carry ids,
 * addresses, clocks or hash orders and so cannot be compared byte for byte: CLIENT LIST/INFO
 * field layout, CLIENT KILL across connections, INFO's sections and field names, command
 * statistics, RESP3 shapes, COMMAND metadata for every command ringkv implements, CONFIG SET
 * taking effect, and the start-up of redis-benchmark and redis-cli.
 */

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, decodeReply as decode, type Reply } from '../helpers/raw.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';

const run = requireRedis();

async function call(c: RawClient, ...argv: string[]): Promise<Reply> {
  return decode(await c.command(...argv));
}

async function text(c: RawClient, ...argv: string[]): Promise<string> {
  const r = await call(c, ...argv);
  if (typeof r !== 'string') throw new Error(`${argv.join(' ')}: expected text, got ${JSON.stringify(r)}`);
  return r;
}

/** "a=1 b=2" → [['a','1'], ['b','2']] */
function fields(line: string): Array<[string, string]> {
  return line.split(' ').map((kv) => {
    const at = kv.indexOf('=');
    return [kv.slice(0, at), kv.slice(at + 1)];
  });
}

/** INFO text → section title → [field, value] pairs in order. */
function infoSections(t: string): Map<string, Array<[string, string]>> {
  const out = new Map<string, Array<[string, string]>>();
  let cur: Array<[string, string]> | null = null;
  for (const l of t.split('\r\n')) {
    if (l.startsWith('# ')) out.set(l.slice(2), (cur = []));
    else if (l !== '') {
      const at = l.indexOf(':');
      cur!.push([l.slice(0, at), l.slice(at + 1)]);
    }
  }
  return out;
}

/** INFO fields ringkv adds (in the Server section) that Redis does not have. */
const EXTRA_FIELDS = new Set(['ringkv_version', 'node_version']);
/** Sections Redis has and ringkv does not: no latency histograms are kept. */
const OMITTED_SECTIONS = new Set(['Latencystats']);
/** Sections only ringkv has, added by an I/O front-end (ServerContext.extraInfo). */
const EXTRA_SECTIONS = new Set(['Threads']);

interface Ran {
  code: number | null;
  out: string;
}

function exec(cmd: string, args: string[], timeoutMs = 60000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!run)('server and introspection commands', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  const open: RawClient[] = [];

  async function connect(server: TestServer): Promise<RawClient> {
    const c = await RawClient.connect(server.port);
    open.push(c);
    return c;
  }

  /** Runs the same commands on both servers, on fresh connections. */
  async function both<T>(f: (c: RawClient, server: TestServer) => Promise<T>): Promise<[T, T]> {
    const [a, b] = await Promise.all([connect(ringkv), connect(redis)]);
    return Promise.all([f(a, ringkv), f(b, redis)]);
  }

  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });

  test('CLIENT LIST and CLIENT INFO have Redis 7.0 fields in Redis order', async () => {
    const [mine, theirs] = await both(async (c) => {
      await call(c, 'CLIENT', 'SETNAME', 'probe');
      await call(c, 'SELECT', '2');
      const id = await call(c, 'CLIENT', 'ID');
      const list = await text(c, 'CLIENT', 'LIST', 'ID', String(id));
      const info = await text(c, 'CLIENT', 'INFO');
      return { id, list, info };
    });
    for (const r of [mine, theirs]) {
      expect(r.list.endsWith('\n')).toBe(true);
      expect(r.list.split('\n')).toHaveLength(2);
    }
    const names = (s: string) => fields(s.trimEnd()).map(([k]) => k);
    expect(names(mine.list)).toEqual(names(theirs.list));
    expect(names(mine.info)).toEqual(names(theirs.info));
    const f = new Map(fields(mine.info.trimEnd()));
    expect(f.get('id')).toBe(String(mine.id));
    expect(f.get('name')).toBe('probe');
    expect(f.get('db')).toBe('2');
    expect(f.get('cmd')).toBe('client|info');
    expect(f.get('laddr')).toBe(`127.0.0.1:${ringkv.port}`);
    expect(f.get('resp')).toBe('2');
    expect(new Map(fields(mine.list.trimEnd())).get('cmd')).toBe('client|list');
    // Fields whose values do not depend on the connection agree with Redis.
    const g = new Map(fields(theirs.info.trimEnd()));
    for (const k of ['flags', 'sub', 'psub', 'ssub', 'multi', 'multi-mem', 'obl', 'oll', 'events', 'user', 'redir', 'resp']) {
      expect([k, f.get(k)]).toEqual([k, g.get(k)]);
    }
  });

  test('CLIENT LIST shows every connection, and ID / TYPE filter it', async () => {
    const a = await connect(ringkv);
    const b = await connect(ringkv);
    await call(b, 'CLIENT', 'SETNAME', 'bee');
    await call(b, 'GET', 'x');
    const idA = (await call(a, 'CLIENT', 'ID')) as number;
    const idB = (await call(b, 'CLIENT', 'ID')) as number;
    const lines = (await text(a, 'CLIENT', 'LIST')).trimEnd().split('\n').map((l) => new Map(fields(l)));
    const ids = lines.map((l) => Number(l.get('id')));
    expect(ids).toEqual(expect.arrayContaining([idA, idB]));
    const lineB = lines.find((l) => Number(l.get('id')) === idB)!;
    expect(lineB.get('name')).toBe('bee');
    expect(lineB.get('cmd')).toBe('client|id');
    const picked = (await text(a, 'CLIENT', 'LIST', 'ID', String(idB), '999999', String(idA))).trimEnd().split('\n');
    expect(picked.map((l) => Number(new Map(fields(l)).get('id')))).toEqual([idB, idA]);
    const normal = (await text(a, 'CLIENT', 'LIST', 'TYPE', 'normal')).trimEnd().split('\n');
    expect(normal.length).toBe(lines.length);
  });

  test('CLIENT KILL by address, id, local address, user and SKIPME', async () => {
    const killer = await connect(ringkv);
    const addrOf = async (c: RawClient) => new Map(fields((await text(c, 'CLIENT', 'INFO')).trimEnd())).get('addr')!;

    // Old form: OK, then the victim's connection is closed.
    const v1 = await connect(ringkv);
    const addr1 = await addrOf(v1);
    expect(await call(killer, 'CLIENT', 'KILL', addr1)).toBe('OK');
    expect((await v1.readUntilClose(3000)).length).toBe(0);
    expect(v1.closed).toBe(true);
    expect(await call(killer, 'CLIENT', 'KILL', addr1)).toEqual({ error: 'ERR No such client' });

    // New form: a count.
    const v2 = await connect(ringkv);
    expect(await call(killer, 'CLIENT', 'KILL', 'ADDR', await addrOf(v2))).toBe(1);
    await v2.readUntilClose(3000);
    expect(v2.closed).toBe(true);

    const v3 = await connect(ringkv);
    const id3 = (await call(v3, 'CLIENT', 'ID')) as number;
    expect(await call(killer, 'CLIENT', 'KILL', 'ID', String(id3), 'SKIPME', 'yes')).toBe(1);
    await v3.readUntilClose(3000);
    expect(v3.closed).toBe(true);

    // A filter that matches the killer is skipped unless SKIPME no.
    const idK = (await call(killer, 'CLIENT', 'ID')) as number;
    expect(await call(killer, 'CLIENT', 'KILL', 'ID', String(idK))).toBe(0);
    expect(await call(killer, 'PING')).toBe('PONG');

    // Every other client of the default user, on this server's port.
    const v4 = await connect(ringkv);
    const v5 = await connect(ringkv);
    await call(v4, 'PING');
    await call(v5, 'PING');
    const killed = (await call(killer, 'CLIENT', 'KILL', 'USER', 'default', 'LADDR', `127.0.0.1:${ringkv.port}`)) as number;
    expect(killed).toBeGreaterThanOrEqual(2);
    await Promise.all([v4.readUntilClose(3000), v5.readUntilClose(3000)]);
    expect(v4.closed && v5.closed).toBe(true);
    expect(await call(killer, 'PING')).toBe('PONG');
  });

  test('CLIENT KILL of oneself replies first, then closes', async () => {
    for (const form of ['new', 'old'] as const) {
      const [mine, theirs] = await both(async (c) => {
        const id = await call(c, 'CLIENT', 'ID');
        const addr = new Map(fields((await text(c, 'CLIENT', 'INFO')).trimEnd())).get('addr')!;
        const argv = form === 'new' ? ['CLIENT', 'KILL', 'ID', String(id), 'SKIPME', 'no'] : ['CLIENT', 'KILL', addr];
        const reply = (await c.command(...argv)).toString('latin1');
        const rest = (await c.readUntilClose(3000)).toString('latin1');
        return { reply, rest, closed: c.closed };
      });
      expect(mine).toEqual(theirs);
      expect(mine.closed).toBe(true);
    }
  });

  test('INFO has the sections Redis has, with its field names in its order', async () => {
    const [mine, theirs] = await both(async (c) => {
      await call(c, 'SET', 'k', 'v');
      await call(c, 'GET', 'k');
      await call(c, 'NOSUCH');
      return {
        dflt: await text(c, 'INFO'),
        dfltWord: await text(c, 'INFO', 'default'),
        all: await text(c, 'INFO', 'all'),
        everything: await text(c, 'INFO', 'everything'),
      };
    });
    for (const key of ['dflt', 'dfltWord', 'all', 'everything'] as const) {
      const m = infoSections(mine[key]);
      const t = infoSections(theirs[key]);
      const theirTitles = [...t.keys()].filter((s) => !OMITTED_SECTIONS.has(s));
      expect([key, [...m.keys()].filter((s) => !EXTRA_SECTIONS.has(s))]).toEqual([key, theirTitles]);
      for (const title of theirTitles) {
        if (title === 'Commandstats') continue; // compared below, per command
        const mineNames = m.get(title)!.map(([k]) => k).filter((k) => !EXTRA_FIELDS.has(k));
        const theirNames = t.get(title)!.map(([k]) => k);
        expect([title, mineNames]).toEqual([title, theirNames]);
      }
    }
    expect(mine.dflt.endsWith('\r\n')).toBe(true);
    expect(mine.dflt).not.toContain('\n\n');
    const server = new Map(infoSections(mine.dflt).get('Server'));
    expect(server.get('redis_version')).toBe('7.0.15');
    expect(server.get('tcp_port')).toBe(String(ringkv.port));
    expect(server.get('ringkv_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(server.get('node_version')).toMatch(/^v\d+\.\d+\.\d+/);
    expect(new Map(infoSections(mine.dflt).get('Keyspace')).get('db0')).toBe('keys=1,expires=0,avg_ttl=0');
  });

  test('INFO counters move: clients, commands, hits and misses, errors, ops/sec', async () => {
    const c = await connect(ringkv);
    const stats = async () => new Map([...infoSections(await text(c, 'INFO', 'stats', 'clients')).values()].flat());
    const before = await stats();
    const extra = await connect(ringkv);
    await call(extra, 'PING');
    await call(c, 'SET', 'hit', '1');
    await call(c, 'GET', 'hit');
    await call(c, 'GET', 'miss');
    await call(c, 'GET');
    const after = await stats();
    const delta = (k: string) => [k, Number(after.get(k)) - Number(before.get(k))];
    expect(delta('connected_clients')).toEqual(['connected_clients', 1]);
    expect(delta('total_connections_received')).toEqual(['total_connections_received', 1]);
    expect(delta('keyspace_hits')).toEqual(['keyspace_hits', 1]);
    expect(delta('keyspace_misses')).toEqual(['keyspace_misses', 1]);
    // GET with no key is refused before it runs (by an I/O thread's preflight when threaded).
    expect(delta('total_error_replies')).toEqual(['total_error_replies', 1]);
    expect(delta('total_commands_processed')[1]).toBeGreaterThanOrEqual(5);
    expect(delta('total_net_input_bytes')[1]).toBeGreaterThan(0);
    // A burst of pipelined commands shows up in the sampled rate within a couple of samples.
    const burst = Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(5000));
    c.write(burst);
    for (let i = 0; i < 5000; i++) await c.readReply();
    await sleep(400);
    expect(Number((await stats()).get('instantaneous_ops_per_sec'))).toBeGreaterThan(0);
  });

  test('INFO commandstats and errorstats count like Redis after CONFIG RESETSTAT', async () => {
    const [mine, theirs] = await both(async (c) => {
      await call(c, 'CONFIG', 'RESETSTAT');
      await call(c, 'SET', 'a', '1');
      await call(c, 'GET', 'a');
      await call(c, 'GET', 'a');
      await call(c, 'GET');
      await call(c, 'CONFIG', 'SET', 'nosuch', 'x');
      await call(c, 'CLIENT', 'NOSUCH');
      await call(c, 'NOSUCH');
      const t = infoSections(await text(c, 'INFO', 'commandstats', 'errorstats'));
      // usec is a timing: keep calls, rejected_calls and failed_calls.
      const cmds = new Map(t.get('Commandstats')!.map(([k, v]) => [k, v.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')]));
      return { cmds, errors: t.get('Errorstats') };
    });
    expect(Object.fromEntries(mine.cmds)).toEqual(Object.fromEntries(theirs.cmds));
    expect(mine.errors).toEqual(theirs.errors);
    expect(mine.cmds.get('cmdstat_get')).toBe('calls=2,rejected_calls=1,failed_calls=0');
  });

  test('RESP3 shapes: verbatim INFO and CLIENT INFO, CONFIG GET map, COMMAND INFO sets', async () => {
    const scripts = [
      ['INFO', 'foo'], ['INFO', 'cluster'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'nosuch'],
      ['CLIENT', 'LIST', 'ID', '999999'], ['COMMAND', 'INFO', 'get', 'client|id', 'nosuch'],
      ['COMMAND', 'DOCS', 'dbsize'], ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'a'],
    ];
    const [mine, theirs] = await both(async (c) => {
      await c.command('HELLO', '3');
      const out: string[] = [];
      for (const argv of scripts) out.push(`${argv.join(' ')} -> ${JSON.stringify((await c.command(...argv)).toString('latin1'))}`);
      const info = (await c.command('CLIENT', 'INFO')).toString('latin1');
      out.push(info.replace(/^=(\d+)\r\ntxt:.*$/s, 'verbatim'));
      return out;
    });
    expect(mine).toEqual(theirs);
  });

  test('TIME is now, in seconds and microseconds', async () => {
    const c = await connect(ringkv);
    const [sec, usec] = (await call(c, 'TIME')) as string[];
    expect(Math.abs(Number(sec) - Date.now() / 1000)).toBeLessThan(5);
    expect(Number(usec)).toBeGreaterThanOrEqual(0);
    expect(Number(usec)).toBeLessThan(1e6);
    expect(usec).toMatch(/^(0|[1-9]\d*)$/);
  });

  test('COMMAND INFO elements 1-7 (name … ACL categories) equal Redis for every command ringkv has', async () => {
    const c = await connect(ringkv);
    const r = await connect(redis);
    const entries = (await call(c, 'COMMAND')) as Reply[][];
    expect(entries.length).toBe(await call(c, 'COMMAND', 'COUNT'));
    const names = entries.map((e) => e[0] as string);
    const real = (await call(r, 'COMMAND', 'INFO', ...names)) as Array<Reply[] | null>;
    const head = (e: Reply[]) => e.slice(0, 7);
    const rows: unknown[] = [];
    const want: unknown[] = [];
    entries.forEach((e, i) => {
      expect(e).toHaveLength(10);
      const t = real[i];
      expect([names[i], t === null ? 'not in Redis' : 'ok']).toEqual([names[i], 'ok']);
      rows.push(head(e));
      want.push(head(t!));
      // Subcommands, matched by name (Redis lists them in hash order).
      const subs = e[9] as Reply[][];
      const theirSubs = new Map((t![9] as Reply[][]).map((s) => [s[0] as string, s]));
      for (const s of subs) {
        rows.push(head(s));
        want.push(head(theirSubs.get(s[0] as string) ?? ['missing in Redis', s[0]!]));
      }
    });
    expect(rows).toEqual(want);
  });

  test('COMMAND COUNT, LIST and DOCS agree with the table', async () => {
    const c = await connect(ringkv);
    const count = (await call(c, 'COMMAND', 'COUNT')) as number;
    const list = (await call(c, 'COMMAND', 'LIST')) as string[];
    expect(list.filter((n) => !n.includes('|'))).toHaveLength(count);
    expect(list).toEqual(expect.arrayContaining(['get', 'client|kill', 'config|set', 'command|docs']));
    const docs = (await call(c, 'COMMAND', 'DOCS')) as Reply[];
    expect(docs.length).toBe(2 * count);
    const clientDocs = new Map(((await call(c, 'COMMAND', 'DOCS', 'client')) as Reply[])
      .flatMap((x, i, a) => (i % 2 === 0 ? [[x as string, a[i + 1]]] : [])) as Array<[string, Reply]>);
    const client = clientDocs.get('client') as Reply[];
    expect(client.slice(0, 8)).toEqual(['summary', 'A container for client connection commands', 'since', '2.4.0',
      'group', 'connection', 'complexity', 'Depends on subcommand.']);
    expect(client[8]).toBe('subcommands');
    // LIST FILTERBY gives the same names as Redis, ignoring order (Redis's is a hash order).
    const [mine, theirs] = await both(async (x) => [
      ((await call(x, 'COMMAND', 'LIST', 'FILTERBY', 'pattern', 'client|[is]*')) as string[]).sort(),
      ((await call(x, 'COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'keyspace')) as string[]),
    ]);
    expect(mine[0]).toEqual(theirs[0]);
    // Every command ringkv puts in @keyspace, Redis does too.
    expect(mine[1]!.length).toBeGreaterThan(0);
    expect(theirs[1]).toEqual(expect.arrayContaining(mine[1]!));
  });

  test('CONFIG SET takes effect: maxclients refuses, timeout closes idle clients', async () => {
    const c = await connect(ringkv);
    const connected = Number(new Map(infoSections(await text(c, 'INFO', 'clients')).get('Clients')).get('connected_clients'));
    expect(await call(c, 'CONFIG', 'SET', 'maxclients', String(connected))).toBe('OK');
    try {
      const refused = await RawClient.connect(ringkv.port);
      open.push(refused);
      expect((await refused.readUntilClose(3000)).toString('latin1')).toBe('-ERR max number of clients reached\r\n');
    } finally {
      expect(await call(c, 'CONFIG', 'SET', 'maxclients', '10000')).toBe('OK');
    }
    const idle = await connect(ringkv);
    await call(idle, 'PING');
    expect(await call(c, 'CONFIG', 'SET', 'timeout', '1')).toBe('OK');
    try {
      // The controlling connection stays busy so that only `idle` times out.
      const deadline = Date.now() + 4000;
      while (!idle.closed && Date.now() < deadline) {
        expect(await call(c, 'PING')).toBe('PONG');
        await sleep(200);
      }
      expect(idle.closed).toBe(true);
    } finally {
      expect(await call(c, 'CONFIG', 'SET', 'timeout', '0')).toBe('OK');
    }
  });

  test('redis-benchmark starts without warnings (CONFIG GET save / appendonly)', async () => {
    const r = await exec('redis-benchmark', ['-p', String(ringkv.port), '-t', 'set,get', '-n', '1000', '-q']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/WARN|ERR/i);
    expect(r.out).toMatch(/SET: [\d.]+ requests per second/);
    expect(r.out).toMatch(/GET: [\d.]+ requests per second/);
  });

  test('redis-cli reads COMMAND DOCS and INFO', async () => {
    const docs = await exec('redis-cli', ['-p', String(ringkv.port), '--no-raw', 'COMMAND', 'DOCS', 'get']);
    expect(docs.code).toBe(0);
    expect(docs.out).toMatch(/^1\) "get"\n2\) 1\) "summary"\n/);
    const info = await exec('redis-cli', ['-p', String(ringkv.port), 'INFO', 'server']);
    expect(info.out).toContain('redis_version:7.0.15');
  });
});
