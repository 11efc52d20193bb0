/**
 * The redis-benchmark driver: one `redis-benchmark -t <test>` run against a target, parsed into
 * the lab's measurements. redis-benchmark is the industry baseline and the lab's first
 * generator; it is count-based (-n requests), single-threaded, closed-loop.
 *
 * Latencies come from its "Latency by percentile distribution" block (HdrHistogram iteration
 * points, ms): p50/p99/mean/max are its own summary figures; p90 and p99.9 are interpolated
 * linearly between the nearest two points of the block. No histogram is kept (null in results).
 * Its CPU is read from this process's waited-for children time (it is the only child that
 * exits during the run), and it is client-bound when it was ≥ 90% busy.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Latency } from '../results/schema.ts';
import { childrenCpuMs } from './proc.ts';

export interface RedisBenchmarkRun {
  host: string;
  port: number;
  test: string;
  connections: number;
  pipeline: number;
  valueSize: number;
  requests: number;
  keyspace: number;
  /** taskset CPU list for the client. */
  cpus?: string;
  /** Kill the run after this long (default 20 s): redis-benchmark is count-based, and a target that collapses must not stall the suite. */
  maxMs?: number;
}

export interface RedisBenchmarkResult {
  throughput: number;
  requests: number;
  errors: number;
  durationMs: number;
  latencyUs: Latency;
  client: { cpuMs: number; utilisation: number; bound: boolean };
  /** performance.now() at spawn and at exit (to line up server CPU samples). */
  startedAt: number;
  endedAt: number;
}

/** Parses redis-benchmark's (non-CSV, non-quiet) output for one test. Exported for tests. */
export function parseRedisBenchmark(out: string): { throughput: number; requests: number; seconds: number; latencyUs: Latency } {
  const text = out.replace(/\r/g, '\n');
  const tput = /throughput summary: ([\d.]+) requests per second/.exec(text);
  const done = /(\d+) requests completed in ([\d.]+) seconds/.exec(text);
  const summary = /avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(text);
  if (tput === null || summary === null || done === null) throw new Error(`unexpected redis-benchmark output:\n${out.slice(-800)}`);
  const points: Array<[number, number]> = [];
  const block = /Latency by percentile distribution:\n([\s\S]*?)\n\s*\n/.exec(text);
  for (const m of (block?.[1] ?? '').matchAll(/([\d.]+)% <= ([\d.]+) milliseconds/g)) points.push([Number(m[1]), Number(m[2]) * 1000]);
  const at = (pct: number, fallback: number): number => {
    for (let i = 1; i < points.length; i++) {
      const [p1, v1] = points[i]!;
      if (p1 >= pct) {
        const [p0, v0] = points[i - 1]!;
        return p1 === p0 ? v1 : v0 + (v1 - v0) * (pct - p0) / (p1 - p0);
      }
    }
    return fallback;
  };
  const us = (i: number): number => Number(summary[i]) * 1000;
  const max = us(6);
  return {
    throughput: Number(tput[1]),
    requests: Number(done[1]),
    seconds: Number(done[2]),
    latencyUs: { mean: us(1), p50: us(3), p90: Math.min(at(90, us(4)), max), p99: us(5), p999: Math.min(at(99.9, max), max), max },
  };
}

export async function runRedisBenchmark(o: RedisBenchmarkRun): Promise<RedisBenchmarkResult> {
  const args = ['-h', o.host, '-p', String(o.port), '-t', o.test, '-c', String(o.connections), '-n', String(o.requests),
    '-d', String(o.valueSize), '-P', String(o.pipeline), '-r', String(o.keyspace)];
  const [cmd, argv] = o.cpus === undefined ? ['redis-benchmark', args] : ['taskset', ['-c', o.cpus, 'redis-benchmark', ...args]];
  const cpu0 = childrenCpuMs();
  const startedAt = performance.now();
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const maxMs = o.maxMs ?? 20_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, maxMs);
  const [code] = (await once(proc, 'exit')) as [number | null];
  clearTimeout(timer);
  const endedAt = performance.now();
  const cpuMs = Math.max(0, childrenCpuMs() - cpu0);
  if (timedOut) {
    // Its live progress line still tells roughly how fast it was going.
    const live = [...out.matchAll(/overall: ([\d.]+)\)/g)].pop()?.[1];
    throw new Error(`redis-benchmark did not finish ${o.requests} requests within ${maxMs / 1000} s` +
      `${live === undefined ? '' : ` (about ${Math.round(Number(live))} req/s by its progress line)`}`);
  }
  if (code !== 0) throw new Error(`redis-benchmark exited ${code}: ${(err || out).slice(-400)}`);
  const p = parseRedisBenchmark(out);
  const durationMs = p.seconds > 0 ? p.seconds * 1000 : endedAt - startedAt;
  const utilisation = cpuMs / Math.max(1, endedAt - startedAt);
  // redis-benchmark stops at an error reply and prints it; count that run's failure as an error.
  const errors = /Error from server|ERR /.test(err + out) ? 1 : 0;
  return {
    throughput: p.throughput,
    requests: p.requests,
    errors,
    durationMs,
    latencyUs: p.latencyUs,
    client: { cpuMs, utilisation, bound: utilisation >= 0.9 },
    startedAt,
    endedAt,
  };
}
