/**
 * redis-benchmark's default suite (every data type's commands, as `redis-benchmark` runs them
 * with no -t) against ringkv io-threads 1, ringkv io-threads 2 with every client on the I/O
 * thread (--io-threads-force yes), and a real redis-server, each on a free loopback port.
 * Prints a Markdown report: the environment, then per test the median requests/s of each
 * target and its ratio to redis-server; writes it to results/default-suite-<time>.md.
 *
 *   node scripts/bench-default-suite.ts [--rounds 3] [--requests 100000] [--clients 50] [--quick]
 *
 * Method: `rounds` rounds; each round runs the whole suite once per target, in an order rotated
 * from round to round, so drift on a shared machine (other jobs, thermal state) hits every
 * target alike. Each run starts from FLUSHALL. Rates are redis-benchmark's own (`--csv`); the
 * table shows the median of the rounds and the runs' spread ((max - min) / median). The load
 * generator shares the machine's cores with the server: on a 2-core machine they compete,
 * which is part of what is being measured (as with any single-machine redis-benchmark run).
 * A run that exits non-zero (redis-benchmark stops at the first error reply) aborts the script.
 *
 * test/integration/redis-benchmark.test.ts checks the same suite for errors in both I/O modes;
 * this script is the measurement. docs/datatypes-performance.md holds a run's table.
 */

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} wants a positive integer`);
  return v;
}

const quick = process.argv.includes('--quick');
const rounds = option('--rounds', quick ? 1 : 3);
const requests = option('--requests', quick ? 10_000 : 100_000);
const clients = option('--clients', 50);
const BENCH_ARGS = ['-q', '-n', String(requests), '-c', String(clients), '--csv'];

interface Target {
  label: string;
  port: number;
  proc: ChildProcess;
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function cli(port: number, ...argv: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'utf8' }).trim();
}

async function start(label: string, cmd: string, argv: string[]): Promise<Target> {
  const port = await freePort();
  const proc = spawn(cmd, [...argv, '--port', String(port)], { stdio: 'ignore', cwd: ROOT });
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`${label} exited with ${proc.exitCode}`);
    if (spawnSync('redis-cli', ['-p', String(port), 'PING']).stdout?.toString().includes('PONG')) return { label, port, proc };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${label} did not start on port ${port}`);
}

async function stop(t: Target): Promise<void> {
  if (t.proc.exitCode !== null || t.proc.signalCode !== null) return;
  const exited = once(t.proc, 'exit');
  t.proc.kill('SIGTERM');
  const timer = setTimeout(() => t.proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** One run of the default suite: requests/s by test name, in the suite's order. */
async function suite(t: Target): Promise<Map<string, number>> {
  cli(t.port, 'FLUSHALL');
  const proc = spawn('redis-benchmark', ['-p', String(t.port), ...BENCH_ARGS], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0 || err !== '') throw new Error(`redis-benchmark against ${t.label} exited ${code}:\n${err}`);
  const rps = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /^"([^"]*)","([^"]*)"/.exec(line.trim());
    if (m !== null && m[1] !== 'test') rps.set(m[1]!, Number(m[2]));
  }
  return rps;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const ringkv = path.join(ROOT, 'bin/ringkv-server');
  const startedAt = new Date();
  const loadAtStart = load();
  const targets: Target[] = [];
  try {
    targets.push(await start('ringkv io-threads 1', ringkv, []));
    targets.push(await start('ringkv io-threads 2 (forced)', ringkv, ['--io-threads', '2', '--io-threads-force', 'yes']));
    targets.push(await start('redis-server', 'redis-server', ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1']));
    const redis = targets[2]!;
    // test → target label → requests/s per round
    const results = new Map<string, Map<string, number[]>>();
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + r) % targets.length]!;
        process.stderr.write(`round ${r + 1}/${rounds}: ${t.label}… `);
        const t0 = performance.now();
        for (const [test, rps] of await suite(t)) {
          let cell = results.get(test);
          if (cell === undefined) results.set(test, (cell = new Map()));
          let runs = cell.get(t.label);
          if (runs === undefined) cell.set(t.label, (runs = []));
          runs.push(rps);
        }
        process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    }

    const lines: string[] = [];
    const nodeVersion = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
    const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
    lines.push(`## redis-benchmark default suite, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    lines.push('');
    lines.push(`- machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}; load average ${loadAtStart} at start, ${load()} at end`);
    lines.push(`- ringkv on Node ${nodeVersion} (bin/ringkv-server); ${redisVersion}`);
    lines.push(`- \`redis-benchmark -p PORT ${BENCH_ARGS.join(' ')}\`, ${rounds} interleaved round${rounds > 1 ? 's' : ''} ` +
      '(order rotated each round, FLUSHALL before each run); median requests/s; × = ratio to redis-server; ' +
      'spread = (max − min) / median over the rounds');
    lines.push('');
    const others = targets.filter((t) => t !== redis);
    lines.push(`| test | ${redis.label} | ${others.map((t) => `${t.label} | ×`).join(' | ')} | spread (max) |`);
    lines.push(`| --- | ---: | ${others.map(() => '---: | ---:').join(' | ')} | ---: |`);
    for (const [test, cell] of results) {
      const ref = median(cell.get(redis.label)!);
      let spread = 0;
      for (const runs of cell.values()) spread = Math.max(spread, (Math.max(...runs) - Math.min(...runs)) / median(runs));
      const cols = others.map((t) => {
        const m = median(cell.get(t.label)!);
        return `${fmt(m)} | ${(m / ref).toFixed(2)}`;
      });
      lines.push(`| ${test} | ${fmt(ref)} | ${cols.join(' | ')} | ${(100 * spread).toFixed(0)}% |`);
    }
    const report = `${lines.join('\n')}\n`;
    console.log(report);
    const dir = path.join(ROOT, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `default-suite-${startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.md`);
    writeFileSync(file, report);
    process.stderr.write(`wrote ${path.relative(ROOT, file)}\n`);
  } finally {
    await Promise.all(targets.map(stop));
  }
}

await main();
