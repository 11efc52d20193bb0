/**
 * End-to-end single-threaded throughput: the number the executor ceiling is compared with.
 *
 * Why: the threaded design pays off only while the executor has headroom: if draining rings
 * (executor.bench.ts, no sockets) is not well above what the single-threaded server does with
 * its sockets, moving socket work to other threads cannot raise throughput much. The target is
 * ceiling ≥ 3× this figure; run.ts --e2e prints the ratio.
 *
 * What it runs: ringkv through bin/ringkv-server (the server's own Node flags), single-threaded
 * (io-threads 1, the default), on a free loopback port, and then
 *   redis-benchmark -p PORT -t get,set -c 50 -n 200000 -d 64 -P 16 -q --csv
 * once to warm the server up, then `repetitions` times; rps per test as reported by
 * redis-benchmark, median over the repetitions. The load generator shares the machine's cores
 * with the server, so this is a lower bound on what the server alone could do.
 *
 * Run alone: node bench/micro/e2e.ts
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, summarize, type MicroResult } from './common.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARGS = ['-t', 'get,set', '-c', '50', '-n', '200000', '-d', '64', '-P', '16', '-q', '--csv'];

export interface E2eOptions {
  repetitions: number;
}

export const DEFAULTS: E2eOptions = { repetitions: 3 };

async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startServer(port: number): Promise<ChildProcess> {
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'), ['--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 15000;
  while (!out.includes('Ready to accept connections')) {
    if (proc.exitCode !== null) throw new Error(`ringkv-server exited (${proc.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`ringkv-server did not start in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** One redis-benchmark run: rps by test name ("SET", "GET"). */
async function benchmarkOnce(port: number): Promise<Map<string, number>> {
  const proc = spawn('redis-benchmark', ['-p', String(port), ...ARGS], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`redis-benchmark exited ${code}:\n${out}`);
  const rps = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /^"([A-Z]+)","([\d.]+)"/.exec(line.trim());
    if (m !== null) rps.set(m[1]!, Number(m[2]));
  }
  if (!rps.has('GET') || !rps.has('SET')) throw new Error(`unexpected redis-benchmark output:\n${out}`);
  return rps;
}

export const redisBenchmarkAvailable = (): boolean => spawnSync('redis-benchmark', ['--version']).status === 0;

export async function runE2e(opts: E2eOptions = DEFAULTS): Promise<MicroResult[]> {
  const port = await freePort();
  const server = await startServer(port);
  try {
    await benchmarkOnce(port); // warm-up: JIT, and the key exists for GET
    const runs: Array<Map<string, number>> = [];
    for (let i = 0; i < opts.repetitions; i++) runs.push(await benchmarkOnce(port));
    return (['GET', 'SET'] as const).map((test) => ({
      suite: 'e2e',
      name: `${test} single-threaded`,
      unit: 'requests/s',
      method: 'redis-benchmark' as const,
      ...summarize(runs.map((r) => r.get(test)!)),
      itemsPerSample: 200000,
      params: { command: `redis-benchmark ${ARGS.join(' ')}`, ioThreads: 1 },
    }));
  } finally {
    await stopServer(server);
  }
}

if (import.meta.main) printTable(await runE2e());
