/**
 * The built-in load generator: `runLoad(opts)` drives a Redis-protocol server with one of the
 * workloads in src/lab/workloads and returns throughput, latency percentiles, an HdrHistogram
 * and the generator's own CPU (the API agreed in the lab's contract; the harness calls it).
 *
 * How a run goes
 * 1. Preload (optional): the workload fills the key space, pipelined (preload.ts).
 * 2. One generator thread per shard; the connections are spread over the threads as evenly as
 *    possible (and the open-loop rate in proportion). Every thread connects, reports ready, and
 *    all start together at one absolute time, so warmup and window line up across threads.
 * 3. Each shard warms up, measures, and returns its counts and encoded histograms; they are
 *    merged here. LoadResult.latencyUs comes from the merged histogram.
 *
 * Why plain worker_threads and not piscina: piscina's worth is a queue of many short tasks over
 * a bounded pool. A shard is one task that lasts the whole run and needs a two-way exchange in
 * the middle (ready → go, so all threads start at the same instant after every connection is
 * up); with piscina that exchange needs a MessagePort passed into each task, and what is left
 * of piscina is spawning N threads, which `new Worker` does in one line.
 *
 * Client-bound: a thread whose busy fraction (event-loop utilisation in closed loop; time in
 * the generator's own work in open loop, see shard.ts) reached 0.9 was the bottleneck, not the
 * server; in open loop also a generator that fell behind its own schedule (p99 dispatch lag over
 * 1 ms). `client.bound` says so and the harness must not report such a run as a server figure.
 *
 * A client of the server over TCP: imports nothing of ringkv's but the workloads.
 */

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as hdr from 'hdr-histogram-js';
import { getWorkload } from '../workloads/index.ts';
import { preloadKeyspace } from './preload.ts';
import type { KeyDist } from './rng.ts';
import { newHistogram, type ShardConfig, type ShardResult } from './shard.ts';
import type { ToMain, ToShard } from './shard-worker.ts';

export interface LoadOptions {
  host: string;
  port: number;
  /** A workload name from src/lab/workloads. */
  workload: string;
  /** Total connections, spread over `threads` generator threads. */
  connections: number;
  /** Generator threads (one shard each). */
  threads: number;
  /** Requests in flight per connection (1 = none). Serial workloads (lock) use 1 regardless. */
  pipeline: number;
  durationMs: number;
  warmupMs: number;
  /** Open loop at this total req/s (coordinated-omission-corrected latencies); absent = closed loop. */
  rate?: number;
  keyspace: number;
  keyDist: KeyDist;
  zipfS?: number;
  valueSize: number;
  /** Fill the key space before measuring (the workload says how). */
  preload?: boolean;
  seed: number;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  /** req/s over the measured window. */
  throughput: number;
  latencyUs: LatencySummary;
  /** HdrHistogram (hdr-histogram-js), base64 compressed, µs. */
  histogram: string;
  /** bound: the generator's threads were ≥ 90% busy (or, in open loop, fell behind schedule). */
  client: { cpuMs: number; threads: number; utilisation: number; bound: boolean };
  /** Per request kind of the workload (e.g. GET, SET; a lock exchange): completed and failed. */
  perCommand?: Record<string, { requests: number; errors: number }>;
  /**
   * Open loop only. `scheduled`: requests whose intended time fell in the window; `timedOut`:
   * those still unanswered at the drain deadline (counted in errors). `lagUs`: how late the
   * generator dispatched requests against their intended time (its own scheduling error).
   * `uncorrectedUs`: latency measured from the actual send, as a closed-loop tool would: the
   * difference from latencyUs is the coordinated omission the correction removes.
   */
  schedule?: {
    rate: number;
    scheduled: number;
    timedOut: number;
    lagUs: { p50: number; p99: number; max: number };
    uncorrectedUs: LatencySummary;
  };
}

/** How long an open-loop run waits after its window for the window's requests. */
const DRAIN_MS = 2000;
/** Busy fraction at which the generator counts as the bottleneck. */
const BOUND_AT = 0.9;
/** Open loop: p99 dispatch lag (µs) beyond which the generator did not keep its schedule. */
const LAG_BOUND_US = 1000;

export function summarize(h: hdr.Histogram): LatencySummary {
  if (h.totalCount === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    mean: Math.round(h.mean * 10) / 10,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  };
}

function check(o: LoadOptions): void {
  const positiveInt = (name: keyof LoadOptions): void => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`runLoad: ${name} must be a positive integer (got ${String(v)})`);
  };
  positiveInt('connections');
  positiveInt('threads');
  positiveInt('pipeline');
  positiveInt('keyspace');
  if (!(o.durationMs > 0) || !(o.warmupMs >= 0)) throw new Error('runLoad: durationMs must be > 0 and warmupMs >= 0');
  if (o.rate !== undefined && !(o.rate > 0)) throw new Error('runLoad: rate must be > 0 when given');
  if (!(o.valueSize >= 0)) throw new Error('runLoad: valueSize must be >= 0');
  if (o.keyDist !== 'uniform' && o.keyDist !== 'zipf' && o.keyDist !== 'sequential') throw new Error(`runLoad: unknown keyDist '${String(o.keyDist)}'`);
  if (o.zipfS !== undefined && !(o.zipfS > 0)) throw new Error('runLoad: zipfS must be > 0');
}

/** Runs one load against host:port and returns its merged result. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  check(opts);
  const workload = getWorkload(opts.workload);
  const zipfS = opts.zipfS ?? 0.99;
  if (opts.preload === true) {
    await preloadKeyspace(workload, { host: opts.host, port: opts.port, keyspace: opts.keyspace, keyDist: opts.keyDist, zipfS, valueSize: opts.valueSize, seed: opts.seed });
  }
  const threads = Math.min(opts.threads, opts.connections);
  const rate = opts.rate ?? 0;
  const configs: ShardConfig[] = [];
  let first = 0;
  for (let s = 0; s < threads; s++) {
    const n = Math.floor(opts.connections / threads) + (s < opts.connections % threads ? 1 : 0);
    configs.push({
      host: opts.host, port: opts.port, workload: workload.name, shard: s, connections: n, firstConn: first,
      totalConnections: opts.connections, pipeline: opts.pipeline, rate: (rate * n) / opts.connections,
      warmupMs: opts.warmupMs, durationMs: opts.durationMs, drainMs: DRAIN_MS, keyspace: opts.keyspace,
      keyDist: opts.keyDist, zipfS, valueSize: opts.valueSize, seed: opts.seed,
    });
    first += n;
  }

  const workers = configs.map((cfg) => new Worker(new URL('./shard-worker.ts', import.meta.url), { workerData: cfg }));
  try {
    const results = await runShards(workers);
    return merge(results, opts, threads, workload.kinds);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Waits for every shard to be ready, starts them together, collects their results. */
function runShards(workers: Worker[]): Promise<ShardResult[]> {
  return new Promise((resolve, reject) => {
    let ready = 0;
    let done = 0;
    const results: ShardResult[] = new Array(workers.length);
    workers.forEach((w, i) => {
      w.on('error', reject);
      w.on('exit', (code) => {
        if (results[i] === undefined) reject(new Error(`generator thread ${i} exited (${code}) before its result`));
      });
      w.on('message', (m: ToMain) => {
        if (m.type === 'error') reject(new Error(`generator thread ${i}: ${m.message}`));
        else if (m.type === 'ready') {
          if (++ready === workers.length) {
            // Start a little ahead so every thread gets the message before the instant.
            const go: ToShard = { type: 'go', at: performance.timeOrigin + performance.now() + 20 };
            for (const x of workers) x.postMessage(go);
          }
        } else {
          results[i] = m.result;
          if (++done === workers.length) resolve(results);
        }
      });
    });
  });
}

function merge(results: ShardResult[], opts: LoadOptions, threads: number, kinds: readonly string[]): LoadResult {
  const hist = newHistogram();
  const uncorrected = newHistogram();
  const lag = newHistogram();
  const addTo = (h: hdr.Histogram, b64: string | null): void => {
    if (b64 === null) return;
    const x = hdr.decodeFromCompressedBase64(b64);
    h.add(x);
    x.destroy();
  };
  let requests = 0;
  let errors = 0;
  let cpuMs = 0;
  let busy = 0;
  let scheduled = 0;
  let timedOut = 0;
  const perCommand: Record<string, { requests: number; errors: number }> = {};
  kinds.forEach((k) => { perCommand[k] = { requests: 0, errors: 0 }; });
  for (const r of results) {
    addTo(hist, r.histogram);
    addTo(uncorrected, r.uncorrected);
    addTo(lag, r.scheduleLag);
    requests += r.requests;
    errors += r.errors;
    cpuMs += r.cpuMs;
    busy += r.utilisation;
    scheduled += r.scheduled;
    timedOut += r.timedOut;
    r.kindRequests.forEach((n, i) => { perCommand[kinds[i]!]!.requests += n; });
    r.kindErrors.forEach((n, i) => { perCommand[kinds[i]!]!.errors += n; });
  }
  const utilisation = Math.round((busy / results.length) * 1000) / 1000;
  const open = opts.rate !== undefined;
  const lagP99 = lag.totalCount > 0 ? lag.getValueAtPercentile(99) : 0;
  const out: LoadResult = {
    requests,
    errors,
    durationMs: opts.durationMs,
    throughput: Math.round((requests / opts.durationMs) * 1000 * 10) / 10,
    latencyUs: summarize(hist),
    histogram: hdr.encodeIntoCompressedBase64(hist),
    client: { cpuMs: Math.round(cpuMs), threads, utilisation, bound: utilisation >= BOUND_AT || (open && lagP99 > LAG_BOUND_US) },
    perCommand,
  };
  if (open) {
    out.schedule = {
      rate: opts.rate!,
      scheduled,
      timedOut,
      lagUs: { p50: lag.totalCount > 0 ? lag.getValueAtPercentile(50) : 0, p99: lagP99, max: lag.maxValue },
      uncorrectedUs: summarize(uncorrected),
    };
  }
  hist.destroy();
  uncorrected.destroy();
  lag.destroy();
  return out;
}
