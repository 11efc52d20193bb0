/**
 * `make bench` until the benchmark lab lands: ringkv (single; io-threads 2 and 3, adaptive and
 * forced) against redis-server with redis-benchmark, interleaved rounds, medians, ratios to
 * redis-server and to ringkv single; then the 1M-keys memory comparison. Prints Markdown with
 * the environment, and writes it to results/bench-<time>.md.
 *
 *   node scripts/bench-vs-redis.ts [--rounds 3] [--quick] [--no-memory]
 *
 * Each round runs every target once, in rotated order, so drift on a shared machine hits all
 * targets alike; the table shows the median of the rounds.
 */

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
const quick = args.includes('--quick');
const memory = !args.includes('--no-memory');

interface Target {
  label: string;
  port: number;
  proc: ChildProcess;
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not start`);
}

async function start(label: string, cmd: string, argv: string[]): Promise<Target> {
  const port = await freePort();
  const proc = spawn(cmd, [...argv, '--port', String(port)], { stdio: 'ignore' });
  await waitReady(port);
  return { label, port, proc };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function benchmark(port: number, pipeline: number): Map<string, number> {
  const n = quick ? 50000 : pipeline > 1 ? 400000 : 100000;
  const out = execFileSync('redis-benchmark', ['-p', String(port), '-t', 'set,get', '-c', '50', '-d', '64', '-n', String(n),
    '-P', String(pipeline), '-q', '--csv'], { encoding: 'utf8' });
  const r = new Map<string, number>();
  for (const line of out.trim().split('\n').slice(1)) {
    const cols = line.split('","').map((c) => c.replace(/"/g, ''));
    r.set(cols[0]!, Number(cols[1]));
  }
  return r;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

/** The pid of the process listening on `port` (bin/ringkv-server execs node, so it is node). */
function listenerPid(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  return Number(/pid=(\d+)/.exec(out)?.[1] ?? 0);
}

function loadKeys(port: number, count: number): void {
  const chunks: Buffer[] = [];
  const value = 'v'.repeat(64);
  for (let i = 0; i < count; i++) {
    const k = `key:${String(i).padStart(7, '0')}`;
    chunks.push(Buffer.from(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$64\r\n${value}\r\n`));
  }
  execFileSync('redis-cli', ['-p', String(port), '--pipe'], { input: Buffer.concat(chunks), stdio: ['pipe', 'ignore', 'inherit'] });
}

function usedMemory(port: number): number {
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'memory'], { encoding: 'utf8' });
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  const ringkv = path.join(ROOT, 'bin/ringkv-server');
  const targets = [
    await start('ringkv io-threads 1', ringkv, []),
    await start('ringkv io-threads 2 (adaptive)', ringkv, ['--io-threads', '2']),
    await start('ringkv io-threads 3 (adaptive)', ringkv, ['--io-threads', '3']),
    await start('ringkv io-threads 2 (forced)', ringkv, ['--io-threads', '2', '--io-threads-force', 'yes']),
    await start('ringkv io-threads 3 (forced)', ringkv, ['--io-threads', '3', '--io-threads-force', 'yes']),
    await start('redis-server', 'redis-server', ['--save', '', '--appendonly', 'no']),
  ];
  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
    console.log(s);
  };
  const nodeVersion = execFileSync(path.join(ROOT, 'node_modules/.bin/node'), ['--version'], { encoding: 'utf8' }).trim();
  say(`# ringkv vs redis-server, redis-benchmark -c 50 -d 64 (${new Date().toISOString()})`);
  say('');
  say(`- machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}`);
  say(`- Node ${nodeVersion} (ringkv), ${redisVersion}`);
  say(`- ${rounds} interleaved rounds, rotated order; median requests/s per cell`);
  say('');
  try {
    for (const pipeline of [1, 16]) {
      const results = new Map<string, Map<string, number[]>>();
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < targets.length; i++) {
          const t = targets[(i + r) % targets.length]!;
          for (const [test, rps] of benchmark(t.port, pipeline)) {
            if (!results.has(test)) results.set(test, new Map());
            const cell = results.get(test)!;
            if (!cell.has(t.label)) cell.set(t.label, []);
            cell.get(t.label)!.push(rps);
          }
        }
      }
      say(`## -P ${pipeline}`);
      say('');
      say('| test | target | median rps | runs | × redis-server | × ringkv io-threads 1 |');
      say('| --- | --- | ---: | --- | ---: | ---: |');
      for (const [test, cell] of results) {
        const ref = median(cell.get('redis-server')!);
        const single = median(cell.get('ringkv io-threads 1')!);
        for (const t of targets) {
          const runs = cell.get(t.label)!;
          const m = median(runs);
          say(`| ${test} | ${t.label} | ${Math.round(m)} | ${runs.map((x) => Math.round(x)).join(' ')} | ${(m / ref).toFixed(2)} | ${(m / single).toFixed(2)} |`);
        }
      }
      say('');
    }
    if (memory) {
      const count = quick ? 100000 : 1000000;
      const single = targets[0]!;
      const redis = targets[targets.length - 1]!;
      for (const t of [single, redis]) spawnSync('redis-cli', ['-p', String(t.port), 'flushall']);
      const pid = listenerPid(single.port);
      await new Promise((r) => setTimeout(r, 500));
      const rss0 = rssKb(pid);
      const used0 = usedMemory(redis.port);
      loadKeys(single.port, count);
      loadKeys(redis.port, count);
      await new Promise((r) => setTimeout(r, 1000));
      const growth = (rssKb(pid) - rss0) * 1024;
      const usedGrowth = usedMemory(redis.port) - used0;
      say(`## Memory: ${count} keys of 64-byte values`);
      say('');
      say('| | growth | bytes per key |');
      say('| --- | ---: | ---: |');
      say(`| ringkv io-threads 1, RSS | ${(growth / 2 ** 20).toFixed(1)} MiB | ${(growth / count).toFixed(0)} |`);
      say(`| redis-server, used_memory | ${(usedGrowth / 2 ** 20).toFixed(1)} MiB | ${(usedGrowth / count).toFixed(0)} |`);
      say(`| ratio | ${(growth / usedGrowth).toFixed(2)}× | |`);
      say('');
    }
  } finally {
    for (const t of targets) t.proc.kill('SIGTERM');
  }
  mkdirSync(path.join(ROOT, 'results'), { recursive: true });
  const file = path.join(ROOT, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

await main();
