/**
 * BGSAVE pause measurement: with N keys loaded, one client runs GETs back to back (one in
 * flight) while phases alternate: no save running / a BGSAVE running. Reports GET latency
 * (p50, p99, max) per phase kind, the longest executor slice the server logged for each save
 * ("longest X ms"), and the save's duration. Phases are interleaved (base, save, base, save…)
 * so a noisy machine affects both kinds alike.
 *
 *   node scripts/bgsave-pause.ts [--keys 1000000] [--rounds 3] [--io-threads 1] [--json out.json]
 *
 * The bar: longest executor pause under 10 ms, GET p99 within 2x of no-save.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
}
const KEYS = Number(arg('keys', '1000000'));
const ROUNDS = Number(arg('rounds', '3'));
const IO_THREADS = arg('io-threads', '1');
const BASE_MS = Number(arg('base-ms', '3000'));
const JSON_OUT = arg('json', '');
const CONFIGS = arg('configs', '');
const LOGS = arg('logs', '');

function encode(argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

/** A minimal client: counts complete top-level replies (simple/bulk/int/error lines; no arrays needed here). */
class Conn {
  private sock: net.Socket;
  private buf = '';
  private waiting: Array<(line: string) => void> = [];
  constructor(sock: net.Socket) {
    this.sock = sock;
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.drain();
    });
  }
  static connect(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Conn(s)));
      s.on('error', reject);
    });
  }
  /** Replies are parsed as: +/-/: lines, or $n bulk (payload returned). */
  private drain(): void {
    for (;;) {
      if (this.waiting.length === 0 || this.buf.length === 0) return;
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) return;
      const head = this.buf.slice(0, nl);
      let reply: string;
      let used: number;
      if (head[0] === '$') {
        const n = Number(head.slice(1));
        if (n < 0) {
          reply = '';
          used = nl + 2;
        } else {
          if (this.buf.length < nl + 2 + n + 2) return;
          reply = this.buf.slice(nl + 2, nl + 2 + n);
          used = nl + 2 + n + 2;
        }
      } else {
        reply = head;
        used = nl + 2;
      }
      this.buf = this.buf.slice(used);
      this.waiting.shift()!(reply);
    }
  }
  send(argv: string[]): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.sock.write(encode(argv));
    });
  }
  async pipeline(cmds: string[][]): Promise<void> {
    const ps = cmds.map((c) => new Promise<string>((resolve) => this.waiting.push(resolve)));
    this.sock.write(cmds.map(encode).join(''));
    await Promise.all(ps);
  }
  close(): void {
    this.sock.destroy();
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One server under test: a name, extra environment (e.g. RINGKV_BGSAVE_* knobs), its own dir. */
interface Server {
  name: string;
  env: Record<string, string>;
  proc: ReturnType<typeof spawn>;
  dir: string;
  log: string;
  port: number;
  ctl?: Conn;
  client?: Conn;
  base: number[];
  save: number[];
  saves: Array<{ ms: number; slices: number; longestSliceMs: number; longestSliceCpuMs: number; maxGetMs: number }>;
}

/** `--configs "a:K=V,K=V;b:K=V"` → named environments; default: one server as configured. */
function parseConfigs(spec: string): Array<{ name: string; env: Record<string, string> }> {
  if (spec === '') return [{ name: 'default', env: {} }];
  return spec.split(';').filter((x) => x !== '').map((part) => {
    const [name, rest = ''] = part.split(':');
    const env: Record<string, string> = {};
    for (const kv of rest.split(',')) {
      if (kv === '') continue;
      const i = kv.indexOf('=');
      env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return { name: name!, env };
  });
}

async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-bgsave-'));
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'), ['--port', '0', '--dir', dir, '--save', '', '--io-threads', IO_THREADS],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const s: Server = { name, env, proc, dir, log: '', port: 0, base: [], save: [], saves: [] };
  proc.stdout!.on('data', (d: Buffer) => { s.log += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { s.log += d.toString(); });
  for (let i = 0; i < 300 && s.port === 0; i++) {
    const m = /Listening on [^\s]+:(\d+)/.exec(s.log);
    if (m !== null && /Ready to accept/.test(s.log)) s.port = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 50));
  }
  if (s.port === 0) throw new Error(`server ${name} did not start:\n${s.log}`);
  return s;
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  try {
    for (const c of parseConfigs(CONFIGS)) servers.push(await startServer(c.name, c.env));
    for (const s of servers) {
      const load = await Conn.connect(s.port);
      const t0 = performance.now();
      for (let i = 0; i < KEYS; i += 10000) {
        const batch: string[][] = [];
        for (let j = i; j < Math.min(KEYS, i + 10000); j++) batch.push(['SET', `key:${j}`, `value:${j}:${'x'.repeat(16)}`]);
        await load.pipeline(batch);
      }
      load.close();
      process.stdout.write(`${s.name}: loaded ${KEYS} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      s.ctl = await Conn.connect(s.port);
      s.client = await Conn.connect(s.port);
    }

    /** GETs back to back on `s` until `until()` says stop; returns latencies (ms). */
    const run = async (s: Server, until: () => boolean): Promise<number[]> => {
      const lat: number[] = [];
      while (!until()) {
        const k = `key:${Math.floor(Math.random() * KEYS)}`;
        const a = performance.now();
        await s.client!.send(['GET', k]);
        lat.push(performance.now() - a);
      }
      return lat;
    };
    for (let r = 0; r < ROUNDS; r++) {
      // Each round visits every server; the order rotates so no configuration always goes first.
      for (let j = 0; j < servers.length; j++) {
        const s = servers[(r + j) % servers.length]!;
        const end = performance.now() + BASE_MS;
        for (const x of await run(s, () => performance.now() >= end)) s.base.push(x);
        const logBefore = s.log.length;
        const s0 = performance.now();
        const reply = await s.ctl!.send(['BGSAVE']);
        if (reply !== '+Background saving started') throw new Error(`BGSAVE: ${reply}`);
        let done = false;
        const poll = (async (): Promise<void> => {
          while (!done) {
            await new Promise((res) => setTimeout(res, 20));
            const info = await s.ctl!.send(['INFO', 'persistence']);
            if (/rdb_bgsave_in_progress:0/.test(info)) done = true;
          }
        })();
        const lat = await run(s, () => done);
        await poll;
        const ms = performance.now() - s0;
        for (const x of lat) s.save.push(x);
        // Wait for the log line (written just before INFO turns to 0, but the pipe may lag).
        let m: RegExpExecArray | null = null;
        for (let i = 0; i < 50 && m === null; i++) {
          m = /(\d+) slices, longest ([\d.]+) ms, ([\d.]+) ms CPU/.exec(s.log.slice(logBefore));
          if (m === null) await new Promise((res) => setTimeout(res, 10));
        }
        s.saves.push({ ms, slices: m === null ? NaN : Number(m[1]), longestSliceMs: m === null ? NaN : Number(m[2]), longestSliceCpuMs: m === null ? NaN : Number(m[3]), maxGetMs: lat.reduce((a, b) => Math.max(a, b), 0) });
      }
    }
    const f = (x: number): string => x.toFixed(3);
    const summaries = servers.map((s) => {
      s.base.sort((a, b) => a - b);
      s.save.sort((a, b) => a - b);
      const sum = {
        name: s.name, env: s.env,
        base: { n: s.base.length, p50: pct(s.base, 50), p90: pct(s.base, 90), p99: pct(s.base, 99), p999: pct(s.base, 99.9), max: s.base[s.base.length - 1]! },
        save: { n: s.save.length, p50: pct(s.save, 50), p90: pct(s.save, 90), p99: pct(s.save, 99), p999: pct(s.save, 99.9), max: s.save[s.save.length - 1]! },
        p99Ratio: pct(s.save, 99) / pct(s.base, 99),
        saves: s.saves,
      };
      process.stdout.write(`== ${s.name} ${JSON.stringify(s.env)}\n`);
      process.stdout.write(`GET latency ms, no save:  n=${sum.base.n} p50=${f(sum.base.p50)} p90=${f(sum.base.p90)} p99=${f(sum.base.p99)} p99.9=${f(sum.base.p999)} max=${f(sum.base.max)}\n`);
      process.stdout.write(`GET latency ms, BGSAVE:   n=${sum.save.n} p50=${f(sum.save.p50)} p90=${f(sum.save.p90)} p99=${f(sum.save.p99)} p99.9=${f(sum.save.p999)} max=${f(sum.save.max)}\n`);
      process.stdout.write(`p99 ratio (save / no save): ${sum.p99Ratio.toFixed(2)}\n`);
      for (const x of s.saves) process.stdout.write(`BGSAVE: ${f(x.ms)} ms, ${x.slices} slices, longest executor slice ${x.longestSliceMs} ms (${x.longestSliceCpuMs} ms CPU), slowest GET ${f(x.maxGetMs)} ms\n`);
      return sum;
    });
    process.stdout.write(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores\n`);
    const out = {
      keys: KEYS, rounds: ROUNDS, ioThreads: IO_THREADS, cores: os.availableParallelism(), node: process.version, loadavg: os.loadavg(),
      note: 'machine shared with other jobs while measured: treat absolute numbers as noisy',
      configs: summaries,
    };
    if (JSON_OUT !== '') writeFileSync(JSON_OUT, `${JSON.stringify(out, null, 2)}\n`);
  } finally {
    for (const s of servers) {
      if (LOGS !== '') writeFileSync(path.join(LOGS, `${s.name}.log`), s.log);
      s.client?.close();
      s.ctl?.close();
      s.proc.kill('SIGKILL');
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

await main();
