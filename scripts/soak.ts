/**
 * `make soak`: a bounded soak run (issue 8). For each I/O mode (io-threads 1, and io-threads 3
 * forced) it starts ringkv, runs a mixed workload with connection churn, samples the server's
 * RSS, open descriptors (/proc/<pid>/fd) and a probe client's PING latency over time, and fits
 * a line to each series after warm-up. It fails (exit 1) on a growth trend.
 *
 *   SOAK_SECONDS=600 node scripts/soak.ts      (total for both modes; default 600 = 10 minutes)
 *   SOAK_OUT=file.json                         (also write every sample and the verdicts)
 *   SOAK_MODES=single|threaded                 (one mode only; default both)
 *
 * Workload (bounded dataset, so a healthy server's memory levels off): 16 clients loop over
 * pipelines of 32 commands — SET/GET/INCR on 10,000 keys (some with EX), LPUSH+LTRIM lists,
 * HSET/HGETALL, ZADD/ZRANGE, SADD/SPOP, DEL, EXPIRE, PUBLISH to 4 subscribers, MULTI/EXEC — and churn:
 * every 50 ms a new connection runs a few commands (sometimes SUBSCRIBE, sometimes it leaves
 * without QUIT) and closes.
 *
 * Trend rule: samples from the first 25% of each run (at least its first minute, or half of a
 * run shorter than two minutes) are warm-up and dropped; on the rest an
 * ordinary least-squares slope with a 95% confidence interval (t ≈ 2 for the sample counts
 * here) is computed. A series "grows" when the CI's lower bound is above zero *and* the slope
 * over the measured window adds more than 10% of the series' mean (RSS) or more than 8
 * descriptors (fds). Latency drift (p99 slope) is reported, not judged: on a shared machine it
 * follows the neighbours.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOTAL_S = Number(process.env.SOAK_SECONDS ?? 600);
const SAMPLE_MS = Math.max(1000, Math.min(5000, (TOTAL_S * 1000) / 2 / 60));
const CLIENTS = 16;
const PIPELINE = 32;
const KEYS = 10000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) * 1024;
}

function fds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startRingkv(args: string[]): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'), ['--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 15000;
  while (!/Ready to accept connections/.test(out)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`ringkv did not start:\n${out}`);
    await sleep(20);
  }
  return { port, proc };
}

const rand = (n: number): number => Math.floor(Math.random() * n);

/** One pipeline of the mixed workload. */
function mixed(r: Redis): Promise<unknown> {
  const p = r.pipeline();
  for (let i = 0; i < PIPELINE; i++) {
    const k = `k:${rand(KEYS)}`;
    switch (rand(14)) {
      case 0: p.set(k, 'x'.repeat(16 + rand(512))); break;
      case 1: p.set(k, 'e', 'EX', 1 + rand(5)); break;
      case 2: p.get(k); break;
      case 3: p.incr(`n:${rand(100)}`); break;
      case 4: p.lpush(`l:${rand(100)}`, 'item'); p.ltrim(`l:${rand(100)}`, 0, 99); break;
      case 5: p.hset(`h:${rand(1000)}`, `f${rand(20)}`, 'v'); break;
      case 6: p.hgetall(`h:${rand(1000)}`); break;
      case 7: p.zadd(`z:${rand(100)}`, String(rand(1000)), `m${rand(200)}`); break;
      case 8: p.zrange(`z:${rand(100)}`, '0', '9'); break;
      case 9: p.sadd(`s:${rand(100)}`, `m${rand(50)}`); break;
      case 10: p.spop(`s:${rand(100)}`); break;
      case 11: p.del(k); break;
      case 12: p.publish(`ch:${rand(4)}`, 'hello'); break;
      default: p.expire(k, 1 + rand(10)); break;
    }
  }
  return p.exec();
}

interface Sample {
  t: number;
  rss: number;
  fds: number;
  p50: number;
  p99: number;
  ops: number;
  /** INFO used_memory: V8 heap + external (src/lib/memory.ts), garbage included. */
  used: number;
  keys: number;
}

/** Slope (per second) with its 95% CI half-width, by ordinary least squares. */
function trend(xs: number[], ys: number[]): { slope: number; ci: number; mean: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (my + slope * (xs[i]! - mx))) ** 2;
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Infinity;
  const t = n > 30 ? 2.0 : n > 10 ? 2.2 : 2.6;
  return { slope, ci: t * se, mean: my };
}

interface ModeResult {
  mode: string;
  samples: Sample[];
  commands: number;
  churned: number;
  verdicts: string[];
  failed: boolean;
}

async function soak(mode: string, args: string[], seconds: number): Promise<ModeResult> {
  const { port, proc } = await startRingkv(args);
  const pid = proc.pid!;
  const until = Date.now() + seconds * 1000;
  let commands = 0;
  let churned = 0;
  let running = true;
  const opts = { port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true };
  const workers = Array.from({ length: CLIENTS }, () => new Redis(opts));
  const subs = Array.from({ length: 4 }, (_, i) => {
    const s = new Redis(opts);
    void s.subscribe(`ch:${i}`);
    s.on('message', () => {});
    return s;
  });
  const loops = workers.map(async (r, i) => {
    while (running) {
      try {
        await mixed(r);
        commands += PIPELINE;
        // Now and then a transaction.
        if (i === 0) {
          await r.multi().incr(`n:${rand(100)}`).get(`k:${rand(KEYS)}`).exec();
          commands += 4;
        }
      } catch {
        await sleep(10);
      }
    }
  });
  const churn = (async () => {
    while (running) {
      const c = new Redis({ ...opts, retryStrategy: () => null });
      c.on('error', () => {});
      try {
        if (Math.random() < 0.2) {
          await c.subscribe(`ch:${rand(4)}`);
        } else {
          await c.set(`churn:${rand(KEYS)}`, 'v', 'EX', 10);
          await c.get(`churn:${rand(KEYS)}`);
        }
        if (Math.random() < 0.5) await c.quit();
        else c.disconnect();
      } catch {
        c.disconnect();
      }
      churned++;
      await sleep(50);
    }
  })();
  // The probe: 40 PINGs per second on its own connection, latency per sample window.
  const probe = new Redis(opts);
  let window: number[] = [];
  const probing = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await probe.ping();
        window.push((performance.now() - t0) * 1000);
      } catch {
        // counted as missing
      }
      await sleep(25);
    }
  })();
  const samples: Sample[] = [];
  const t0 = Date.now();
  let lastCommands = 0;
  while (Date.now() < until) {
    await sleep(SAMPLE_MS);
    const w = window.sort((a, b) => a - b);
    window = [];
    const q = (p: number): number => (w.length === 0 ? NaN : w[Math.min(w.length - 1, Math.floor(p * w.length))]!);
    let used = NaN;
    let keys = NaN;
    try {
      const info = await probe.info('memory', 'keyspace');
      used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
      keys = Number(/db0:keys=(\d+)/.exec(info)?.[1]);
    } catch {
      // a missing sample
    }
    samples.push({ t: (Date.now() - t0) / 1000, rss: rss(pid), fds: fds(pid), p50: q(0.5), p99: q(0.99), ops: (commands - lastCommands) / (SAMPLE_MS / 1000), used, keys });
    lastCommands = commands;
    const s = samples[samples.length - 1]!;
    process.stderr.write(`[${mode}] t=${s.t.toFixed(0)}s rss=${(s.rss / 2 ** 20).toFixed(1)}MB used=${(s.used / 2 ** 20).toFixed(1)}MB keys=${s.keys} fds=${s.fds} p50=${s.p50.toFixed(0)}us p99=${s.p99.toFixed(0)}us ops/s=${s.ops.toFixed(0)}\n`);
  }
  running = false;
  await Promise.all([...loops, churn, probing]);
  for (const r of [...workers, ...subs, probe]) r.disconnect();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));

  // Warm-up: the first quarter, and at least the first minute (the dataset fills meanwhile).
  const warm = Math.max(seconds / 4, Math.min(60, seconds / 2));
  const kept = samples.filter((s) => s.t >= warm);
  const xs = kept.map((s) => s.t);
  const span = xs.length > 1 ? xs[xs.length - 1]! - xs[0]! : 0;
  const verdicts: string[] = [];
  let failed = kept.length < 5;
  if (kept.length < 5) verdicts.push(`too few samples (${kept.length}) to judge a trend`);
  const judge = (name: string, ys: number[], unit: number, unitName: string, limit: (mean: number) => number): void => {
    const tr = trend(xs, ys);
    const grows = tr.slope - tr.ci > 0 && tr.slope * span > limit(tr.mean);
    if (grows) failed = true;
    verdicts.push(`${name}: slope ${((tr.slope * 60) / unit).toFixed(3)} ${unitName}/min ± ${((tr.ci * 60) / unit).toFixed(3)} (95% CI), ` +
      `mean ${(tr.mean / unit).toFixed(1)} ${unitName}, over ${span.toFixed(0)} s ${grows ? '→ GROWTH TREND' : '→ no growth trend'}`);
  };
  if (kept.length >= 5) {
    judge('RSS', kept.map((s) => s.rss), 2 ** 20, 'MB', (mean) => 0.1 * mean);
    judge('fds', kept.map((s) => s.fds), 1, 'fds', () => 8);
    const used = trend(xs, kept.map((s) => s.used));
    verdicts.push(`used_memory (heap + external, garbage included): slope ${((used.slope * 60) / 2 ** 20).toFixed(3)} MB/min ± ${((used.ci * 60) / 2 ** 20).toFixed(3)}, mean ${(used.mean / 2 ** 20).toFixed(1)} MB (reported, not judged)`);
    const lat = trend(xs, kept.map((s) => s.p99));
    verdicts.push(`p99 latency: slope ${(lat.slope * 60).toFixed(1)} µs/min ± ${(lat.ci * 60).toFixed(1)}, mean ${lat.mean.toFixed(0)} µs (reported, not judged)`);
  }
  return { mode, samples, commands, churned, verdicts, failed };
}

async function main(): Promise<void> {
  const all: Array<[string, string[]]> = [
    ['io-threads 1', ['--io-threads', '1']],
    ['io-threads 3 (forced)', ['--io-threads', '3', '--io-threads-force', 'yes']],
  ];
  // SOAK_MODES=single or threaded runs one mode only (for investigating one).
  const only = process.env.SOAK_MODES;
  const modes = only === 'single' ? all.slice(0, 1) : only === 'threaded' ? all.slice(1) : all;
  const each = TOTAL_S / modes.length;
  const results: ModeResult[] = [];
  for (const [mode, args] of modes) results.push(await soak(mode, args, each));
  console.log(`\nringkv soak: ${TOTAL_S} s total (${each.toFixed(0)} s per mode), sample every ${(SAMPLE_MS / 1000).toFixed(1)} s; ` +
    `${os.availableParallelism()} cores, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const r of results) {
    const first = r.samples[0];
    const last = r.samples[r.samples.length - 1];
    console.log(`\n## ${r.mode}: ${r.commands} commands, ${r.churned} churned connections`);
    if (first !== undefined && last !== undefined) {
      console.log(`RSS ${(first.rss / 2 ** 20).toFixed(1)} → ${(last.rss / 2 ** 20).toFixed(1)} MB, fds ${first.fds} → ${last.fds}, ` +
        `p99 ${first.p99.toFixed(0)} → ${last.p99.toFixed(0)} µs`);
    }
    for (const v of r.verdicts) console.log(`- ${v}`);
  }
  if (process.env.SOAK_OUT) writeFileSync(process.env.SOAK_OUT, JSON.stringify({ totalSeconds: TOTAL_S, sampleMs: SAMPLE_MS, results }, null, 1));
  if (results.some((r) => r.failed)) {
    console.error('\nFAIL: a growth trend (or too few samples)');
    process.exit(1);
  }
}

await main();
