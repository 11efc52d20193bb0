/**
 * Must-show checks of issue 5 for the built-in load generator, against redis-benchmark, on a
 * redis-server this script starts on a free port:
 *
 *   (a) throughput: at the same settings (SET and GET, -c 50, -P 1 and -P 16, 64-byte values,
 *       -r 100000 keys, the same number of client threads) the built-in generator reaches
 *       ≥ 0.9× redis-benchmark's throughput. Each cell runs both generators `--reps` times,
 *       interleaved (rb, builtin, then builtin, rb, ...), and compares medians.
 *   (b) latency: redis-benchmark has no open loop, so: run redis-benchmark closed loop with a
 *       few connections (-c 1 by default), where nothing queues, and note its throughput T and
 *       p50; run the built-in generator *open loop at rate T* (10 connections, pipeline 1, so
 *       each connection is idle most of the time and nothing queues either), and compare its
 *       coordinated-omission-corrected p50 with redis-benchmark's. Same throughput, no queueing
 *       on either side: both p50s are the round trip, and must agree within 20%.
 *
 *   node scripts/loadgen-vs-redis-benchmark.ts [--reps 3] [--secs 2] [--threads 1] [--rb-c 1]
 *        [--only a|b] [--out results/loadgen-check-<time>]
 *
 * Writes <out>.json and <out>.md and prints the Markdown. Defaults take about 1.5 minutes.
 * Numbers from a shared machine are noisy: the output records the load average before and
 * after, and the verdicts are only meaningful from a quiet machine.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from '../src/lab/loadgen/index.ts';
import { preloadKeyspace } from '../src/lab/loadgen/preload.ts';
import { getWorkload } from '../src/lab/workloads/index.ts';

const { values: v } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    secs: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    'rb-c': { type: 'string', default: '1' },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const REPS = Number(v.reps);
const SECS = Number(v.secs);
const THREADS = Number(v.threads);
const RB_C = Number(v['rb-c']);
const KEYSPACE = 100_000;
const VALUE = 64;
const CONNECTIONS = 50;
const OPEN_CONNECTIONS = 10;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r0 = (x: number): number => Math.round(x);
const r2 = (x: number): number => Math.round(x * 100) / 100;

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 10_000;
  while (!out.includes('Ready to accept connections')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

interface RbResult { rps: number; p50Us: number; avgUs: number }

/** One redis-benchmark run (CSV): requests per second and p50. */
function redisBenchmark(port: number, test: string, c: number, p: number, n: number): RbResult {
  const args = ['-p', String(port), '-t', test, '-c', String(c), '-P', String(p), '-d', String(VALUE), '-r', String(KEYSPACE), '-n', String(n), '--csv'];
  if (THREADS > 1) args.push('--threads', String(THREADS));
  const r = spawnSync('redis-benchmark', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-benchmark ${args.join(' ')} failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}"`));
  if (line === undefined) throw new Error(`no CSV row in redis-benchmark output:\n${r.stdout}`);
  const cols = line.split(',').map((x) => Number(x.replace(/"/g, '')));
  return { rps: cols[1]!, avgUs: cols[2]! * 1000, p50Us: cols[4]! * 1000 };
}

function builtin(port: number, workload: string, connections: number, pipeline: number, rate?: number): Promise<LoadResult> {
  return runLoad({
    host: '127.0.0.1', port, workload, connections, threads: THREADS, pipeline, durationMs: SECS * 1000, warmupMs: 500,
    ...(rate === undefined ? {} : { rate }), keyspace: KEYSPACE, keyDist: 'uniform', valueSize: VALUE, preload: false, seed: 1,
  });
}

interface Cell {
  test: string; pipeline: number;
  rb: number[]; builtin: number[]; clientUtil: number[]; bound: boolean[];
  rbMedian: number; builtinMedian: number; ratio: number; pass: boolean;
}

interface LatencyCheck {
  rbConnections: number; openConnections: number;
  reps: Array<{ rbRps: number; rbP50Us: number; rate: number; builtinThroughput: number; builtinP50Us: number; uncorrectedP50Us: number; lagP50Us: number; bound: boolean; halfRateP50Us: number }>;
  rbP50Median: number; builtinP50Median: number; halfRateP50Median: number; relDiff: number; pass: boolean;
}

async function main(): Promise<void> {
  const load0 = os.loadavg();
  const startedAt = new Date().toISOString();
  const port = await freePort();
  const redis = await startRedis(port);
  const redisVersion = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  const cells: Cell[] = [];
  let latency: LatencyCheck | null = null;
  try {
    // Every key redis-benchmark's key:__rand_int__ (-r 100000) can name, and ours: the same names.
    await preloadKeyspace(getWorkload('get'), { host: '127.0.0.1', port, keyspace: KEYSPACE, keyDist: 'uniform', zipfS: 0.99, valueSize: VALUE, seed: 1 });

    if (v.only !== 'b') {
      for (const test of ['set', 'get']) {
        for (const pipeline of [1, 16]) {
          // Size redis-benchmark's -n for about SECS seconds from a short calibration run.
          const cal = redisBenchmark(port, test, CONNECTIONS, pipeline, pipeline === 1 ? 20_000 : 200_000);
          const n = Math.max(10_000, Math.round(cal.rps * SECS));
          const cell: Cell = { test, pipeline, rb: [], builtin: [], clientUtil: [], bound: [], rbMedian: 0, builtinMedian: 0, ratio: 0, pass: false };
          for (let rep = 0; rep < REPS; rep++) {
            const order = rep % 2 === 0 ? ['rb', 'builtin'] : ['builtin', 'rb'];
            for (const who of order) {
              if (who === 'rb') cell.rb.push(r0(redisBenchmark(port, test, CONNECTIONS, pipeline, n).rps));
              else {
                const r = await builtin(port, test, CONNECTIONS, pipeline);
                if (r.errors > 0) throw new Error(`builtin ${test} -P ${pipeline}: ${r.errors} errors`);
                cell.builtin.push(r0(r.throughput));
                cell.clientUtil.push(r.client.utilisation);
                cell.bound.push(r.client.bound);
              }
            }
            process.stderr.write(`(a) ${test} -P ${pipeline} rep ${rep + 1}/${REPS}: rb ${cell.rb.at(-1)} builtin ${cell.builtin.at(-1)}\n`);
          }
          cell.rbMedian = median(cell.rb);
          cell.builtinMedian = median(cell.builtin);
          cell.ratio = r2(cell.builtinMedian / cell.rbMedian);
          cell.pass = cell.ratio >= 0.9;
          cells.push(cell);
        }
      }
    }

    if (v.only !== 'a') {
      const lc: LatencyCheck = { rbConnections: RB_C, openConnections: OPEN_CONNECTIONS, reps: [], rbP50Median: 0, builtinP50Median: 0, halfRateP50Median: 0, relDiff: 0, pass: false };
      const cal = redisBenchmark(port, 'get', RB_C, 1, 10_000);
      const n = Math.max(5_000, Math.round(cal.rps * SECS));
      for (let rep = 0; rep < REPS; rep++) {
        // redis-benchmark first: its throughput sets the rate of the open-loop run that follows.
        const rb = redisBenchmark(port, 'get', RB_C, 1, n);
        const rate = Math.round(rb.rps);
        const r = await builtin(port, 'get', OPEN_CONNECTIONS, 1, rate);
        // The same at half the rate: with nothing queueing, p50 should hardly move.
        const half = await builtin(port, 'get', OPEN_CONNECTIONS, 1, Math.round(rate / 2));
        lc.reps.push({
          halfRateP50Us: half.latencyUs.p50,
          rbRps: rate, rbP50Us: r0(rb.p50Us), rate, builtinThroughput: r0(r.throughput), builtinP50Us: r.latencyUs.p50,
          uncorrectedP50Us: r.schedule!.uncorrectedUs.p50, lagP50Us: r.schedule!.lagUs.p50, bound: r.client.bound,
        });
        process.stderr.write(`(b) rep ${rep + 1}/${REPS}: rb -c ${RB_C} ${rate} req/s p50 ${r0(rb.p50Us)} µs; builtin open loop p50 ${r.latencyUs.p50} µs\n`);
      }
      lc.rbP50Median = median(lc.reps.map((x) => x.rbP50Us));
      lc.builtinP50Median = median(lc.reps.map((x) => x.builtinP50Us));
      lc.halfRateP50Median = median(lc.reps.map((x) => x.halfRateP50Us));
      lc.relDiff = r2(Math.abs(lc.builtinP50Median - lc.rbP50Median) / lc.rbP50Median);
      lc.pass = lc.relDiff <= 0.2;
      latency = lc;
    }
  } finally {
    redis.kill('SIGTERM');
  }

  const env = {
    startedAt, finishedAt: new Date().toISOString(), cpuModel: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    kernel: os.release(), node: process.version, redisVersion, loadavgBefore: load0.map(r2), loadavgAfter: os.loadavg().map(r2),
    settings: { reps: REPS, secs: SECS, threads: THREADS, connections: CONNECTIONS, valueSize: VALUE, keyspace: KEYSPACE, rbConnectionsForLatency: RB_C },
  };
  const result = { env, throughput: cells, latency };
  const out = v.out ?? path.join('results', `loadgen-check-${startedAt.replace(/[:.]/g, '-')}`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = markdown(result);
  writeFileSync(`${out}.md`, md);
  process.stdout.write(md);
  process.stderr.write(`\nwritten: ${out}.json, ${out}.md\n`);
}

function markdown(r: { env: Record<string, unknown> & { loadavgBefore: number[]; loadavgAfter: number[]; cores: number; cpuModel: string; node: string; redisVersion: string }; throughput: Cell[]; latency: LatencyCheck | null }): string {
  const e = r.env;
  const lines: string[] = [];
  lines.push('# Built-in load generator vs redis-benchmark', '');
  lines.push(`${e.cpuModel}, ${e.cores} cores, Node ${e.node}, redis-server ${e.redisVersion}; load average ${e.loadavgBefore.join(' / ')} before, ${e.loadavgAfter.join(' / ')} after. ` +
    `${REPS} interleaved repetitions of ${SECS} s per generator and cell; ${THREADS} client thread(s) on both sides.`, '');
  if (e.loadavgBefore[0]! > e.cores || e.loadavgAfter[0]! > e.cores) {
    lines.push(`**Caveat: the machine was shared (load average above its ${e.cores} cores).** Both generators and the server competed with other work; the ratios come from interleaved runs, but only a rerun on a quiet machine settles the verdicts.`, '');
  }
  if (r.throughput.length > 0) {
    lines.push('## (a) Throughput at the same settings (req/s, median)', '');
    lines.push(`redis-server with every key present; -c ${CONNECTIONS}, ${VALUE}-byte values, -r ${KEYSPACE}. redis-benchmark -P 16 sends 16 and waits for all 16; the built-in generator keeps 16 in flight per connection (a sliding window).`, '');
    lines.push('| test | pipeline | redis-benchmark | built-in | ratio | built-in busy | runs (rb / built-in) | ≥ 0.9× |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of r.throughput) {
      lines.push(`| ${c.test.toUpperCase()} | ${c.pipeline} | ${r0(c.rbMedian)} | ${r0(c.builtinMedian)} | ${c.ratio} | ${median(c.clientUtil).toFixed(2)}${c.bound.some((b) => b) ? ' (bound)' : ''} | ${c.rb.join(', ')} / ${c.builtin.join(', ')} | ${c.pass ? 'yes' : '**no**'} |`);
    }
    lines.push('');
  }
  if (r.latency !== null) {
    const l = r.latency;
    lines.push('## (b) Open-loop p50 vs redis-benchmark p50 at the same throughput', '');
    lines.push(`Method: redis-benchmark has no open loop. It runs GET closed loop with -c ${l.rbConnections} (-P 1): with ${l.rbConnections} request(s) outstanding nothing queues, so its p50 is the round trip, at its throughput T. ` +
      `The built-in generator then runs GET open loop at rate T over ${l.openConnections} connections (pipeline 1): each connection sends every ${l.openConnections}/T s, far longer than a round trip, so nothing queues there either, and its p50 (from each request's intended send time, coordinated-omission corrected) is again the round trip at the same server load. Agreement within 20% passes.`, '');
    lines.push('| rep | T (rb req/s) | rb p50 µs | built-in throughput | built-in p50 µs (intended) | p50 from actual send | dispatch lag p50 µs | built-in p50 at T/2 |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    l.reps.forEach((x, i) => lines.push(`| ${i + 1} | ${x.rbRps} | ${x.rbP50Us} | ${x.builtinThroughput} | ${x.builtinP50Us}${x.bound ? ' (bound)' : ''} | ${x.uncorrectedP50Us} | ${x.lagP50Us} | ${x.halfRateP50Us} |`));
    lines.push('', `Medians: redis-benchmark p50 ${l.rbP50Median} µs, built-in p50 ${l.builtinP50Median} µs (at T/2: ${l.halfRateP50Median} µs): difference ${(l.relDiff * 100).toFixed(0)}% → ${l.pass ? 'within 20%' : '**not within 20%**'}.`, '');
    lines.push('"(bound)": the generator fell behind its schedule (p99 dispatch lag over 1 ms) or was ≥ 90% busy; such a run measures the client, not the server.', '');
    lines.push('redis-benchmark reports latency in ms with 3 decimals (1 µs resolution); the built-in generator from an HdrHistogram with 3 significant digits.', '');
  }
  return `${lines.join('\n')}\n`;
}

await main();
