/**
 * Idle connections (issue 8's must-show): opens N idle connections (10,000 by default) to a
 * server and measures what they cost: RSS per connection, and the PING latency another client
 * sees (p50/p99) before and with them. Runs ringkv in both I/O modes and redis-server for
 * reference; fails (exit 1) if ringkv's p99 with the idle connections is over 2x its baseline.
 *
 *   node scripts/idle-connections.ts [N]        (make idle-connections; N via IDLE_CONNECTIONS)
 *
 * Needs N + a few hundred file descriptors on both sides: `ulimit -n` must be above N + 200
 * (the make target raises it). Latency is measured in interleaved rounds (baseline, idle,
 * baseline, idle…) so a busy machine affects both alike; the figures say when it was shared.
 * The CI test (test/integration/idle.test.ts) does the same with 2,000 connections and no
 * timed assertion.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? process.env.IDLE_CONNECTIONS ?? 10000);
const PINGS_PER_ROUND = 2000;
const ROUNDS = 3;

interface Server {
  name: string;
  port: number;
  proc: ChildProcess;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) * 1024;
}

function fds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function start(name: string, cmd: string, args: string[]): Promise<Server> {
  const port = await freePort();
  const proc = spawn(cmd, [...args, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 15000;
  while (!/Ready to accept connections/.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`${name} did not start:\n${out}`);
    await sleep(20);
  }
  return { name, port, proc };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** One client's PING round trips (µs), sequential. */
async function pingLatencies(port: number, n: number): Promise<number[]> {
  const s = await connect(port);
  s.setNoDelay(true);
  const out: number[] = [];
  let pending: (() => void) | null = null;
  let buf = '';
  s.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    if (buf.endsWith('\r\n') && pending !== null) {
      buf = '';
      const p = pending;
      pending = null;
      p();
    }
  });
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      pending = r;
      s.write('*1\r\n$4\r\nPING\r\n');
    });
    out.push((performance.now() - t0) * 1000);
  }
  s.destroy();
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function command(port: number, cmd: string): Promise<string> {
  const s = await connect(port);
  const text = await new Promise<string>((resolve) => {
    let b = '';
    s.on('data', (d: Buffer) => {
      b += d.toString('latin1');
      const m = /^\$(\d+)\r\n/.exec(b);
      if (m !== null && b.length >= m[0].length + Number(m[1]) + 2) resolve(b);
    });
    s.write(`${cmd}\r\n`);
  });
  s.destroy();
  return text;
}

interface Result {
  name: string;
  baseP50: number;
  baseP99: number;
  idleP50: number;
  idleP99: number;
  perConnBytes: number;
  fdsDelta: number;
  connected: number;
}

async function measure(srv: Server): Promise<Result> {
  // Warm up: code paths, the first allocations.
  await pingLatencies(srv.port, 2000);
  await sleep(500);
  const pid = srv.proc.pid!;
  const rss0 = rss(pid);
  const fds0 = fds(pid);
  const idle: net.Socket[] = [];
  const base: number[] = [];
  const withIdle: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of idle) s.destroy();
    idle.length = 0;
    await sleep(300);
    base.push(...(await pingLatencies(srv.port, PINGS_PER_ROUND)));
    for (let i = 0; i < N; i++) {
      const s = await connect(srv.port);
      s.on('error', () => {});
      idle.push(s);
    }
    await sleep(1000);
    withIdle.push(...(await pingLatencies(srv.port, PINGS_PER_ROUND)));
  }
  const rss1 = rss(pid);
  const fds1 = fds(pid);
  const info = await command(srv.port, 'INFO clients');
  const connected = Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? NaN);
  for (const s of idle) s.destroy();
  base.sort((a, b) => a - b);
  withIdle.sort((a, b) => a - b);
  return {
    name: srv.name,
    baseP50: pct(base, 50), baseP99: pct(base, 99), idleP50: pct(withIdle, 50), idleP99: pct(withIdle, 99),
    perConnBytes: (rss1 - rss0) / N, fdsDelta: fds1 - fds0, connected,
  };
}

async function main(): Promise<void> {
  const bin = path.join(ROOT, 'bin/ringkv-server');
  const limit = ['--maxclients', String(N + 1000)];
  const configs: Array<[string, string, string[]]> = [
    ['ringkv io-threads 1', bin, ['--io-threads', '1', ...limit]],
    ['ringkv io-threads 3 (forced)', bin, ['--io-threads', '3', '--io-threads-force', 'yes', ...limit]],
    ['redis-server 7.0', 'redis-server', ['--save', '', '--appendonly', 'no', ...limit]],
  ];
  const results: Result[] = [];
  for (const [name, cmd, args] of configs) {
    let srv: Server;
    try {
      srv = await start(name, cmd, args);
    } catch (err) {
      console.error(`skipping ${name}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    try {
      results.push(await measure(srv));
    } finally {
      srv.proc.kill('SIGKILL');
      await sleep(300);
    }
  }
  console.log(`\n${N} idle connections, ${ROUNDS} interleaved rounds of ${PINGS_PER_ROUND} PINGs; ${os.availableParallelism()} cores, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('| server | PING p50 / p99 without (µs) | with idle (µs) | p99 ratio | RSS per idle connection | fds added | connected_clients |');
  console.log('|---|---|---|---|---|---|---|');
  let fail = false;
  for (const r of results) {
    const ratio = r.idleP99 / r.baseP99;
    console.log(`| ${r.name} | ${r.baseP50.toFixed(0)} / ${r.baseP99.toFixed(0)} | ${r.idleP50.toFixed(0)} / ${r.idleP99.toFixed(0)} | ${ratio.toFixed(2)} | ${(r.perConnBytes / 1024).toFixed(1)} KB | ${r.fdsDelta} | ${r.connected} |`);
    if (r.name.startsWith('ringkv') && (ratio > 2 || r.connected < N)) fail = true;
  }
  if (fail) {
    console.error('FAIL: a ringkv p99 with idle connections is over 2x its baseline, or not every connection was accepted');
    process.exit(1);
  }
}

await main();
