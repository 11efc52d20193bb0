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

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-bgsave-'));
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'), ['--port', '0', '--dir', dir, '--save', '', '--io-threads', IO_THREADS],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d: Buffer) => { log += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { log += d.toString(); });
  let port = 0;
  for (let i = 0; i < 300 && port === 0; i++) {
    const m = /Listening on [^\s]+:(\d+)/.exec(log);
    if (m !== null && /Ready to accept/.test(log)) port = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 50));
  }
  if (port === 0) throw new Error(`server did not start:\n${log}`);
  try {
    const load = await Conn.connect(port);
    const t0 = performance.now();
    for (let i = 0; i < KEYS; i += 10000) {
      const batch: string[][] = [];
      for (let j = i; j < Math.min(KEYS, i + 10000); j++) batch.push(['SET', `key:${j}`, `value:${j}:${'x'.repeat(16)}`]);
      await load.pipeline(batch);
    }
    process.stdout.write(`loaded ${KEYS} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const ctl = await Conn.connect(port);
    const client = await Conn.connect(port);

    /** GETs back to back until `until()` says stop; returns latencies (ms). */
    const run = async (until: () => boolean): Promise<number[]> => {
      const lat: number[] = [];
      while (!until()) {
        const k = `key:${Math.floor(Math.random() * KEYS)}`;
        const a = performance.now();
        await client.send(['GET', k]);
        lat.push(performance.now() - a);
      }
      return lat;
    };
    const base: number[] = [];
    const save: number[] = [];
    const saves: Array<{ ms: number; longestSliceMs: number; longestSliceCpuMs: number; maxGetMs: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const end = performance.now() + BASE_MS;
      base.push(...(await run(() => performance.now() >= end)));
      const logBefore = log.length;
      const s0 = performance.now();
      const reply = await ctl.send(['BGSAVE']);
      if (reply !== '+Background saving started') throw new Error(`BGSAVE: ${reply}`);
      let done = false;
      const poll = (async (): Promise<void> => {
        while (!done) {
          await new Promise((res) => setTimeout(res, 20));
          const info = await ctl.send(['INFO', 'persistence']);
          if (/rdb_bgsave_in_progress:0/.test(info)) done = true;
        }
      })();
      const lat = await run(() => done);
      await poll;
      const ms = performance.now() - s0;
      save.push(...lat);
      const m = /longest ([\d.]+) ms, ([\d.]+) ms CPU/.exec(log.slice(logBefore));
      saves.push({ ms, longestSliceMs: m === null ? NaN : Number(m[1]), longestSliceCpuMs: m === null ? NaN : Number(m[2]), maxGetMs: Math.max(...lat) });
    }
    base.sort((a, b) => a - b);
    save.sort((a, b) => a - b);
    const summary = {
      keys: KEYS, rounds: ROUNDS, ioThreads: IO_THREADS, cores: os.availableParallelism(), node: process.version, loadavg: os.loadavg(),
      note: 'machine shared with other jobs while measured: treat absolute numbers as noisy',
      base: { n: base.length, p50: pct(base, 50), p99: pct(base, 99), max: base[base.length - 1] },
      save: { n: save.length, p50: pct(save, 50), p99: pct(save, 99), max: save[save.length - 1] },
      p99Ratio: pct(save, 99) / pct(base, 99),
      saves,
    };
    const f = (x: number): string => x.toFixed(3);
    process.stdout.write(`GET latency ms, no save:  n=${summary.base.n} p50=${f(summary.base.p50)} p99=${f(summary.base.p99)} max=${f(summary.base.max!)}\n`);
    process.stdout.write(`GET latency ms, BGSAVE:   n=${summary.save.n} p50=${f(summary.save.p50)} p99=${f(summary.save.p99)} max=${f(summary.save.max!)}\n`);
    process.stdout.write(`p99 ratio (save / no save): ${summary.p99Ratio.toFixed(2)}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores\n`);
    for (const s of saves) process.stdout.write(`BGSAVE: ${f(s.ms)} ms, longest executor slice ${s.longestSliceMs} ms (${s.longestSliceCpuMs} ms CPU), slowest GET ${f(s.maxGetMs)} ms\n`);
    if (JSON_OUT !== '') writeFileSync(JSON_OUT, `${JSON.stringify(summary, null, 2)}\n`);
    client.close();
    ctl.close();
    load.close();
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
