/**
 * The scenarios the harness drives itself (the built-in generator's workloads are request
 * mixes; these need several kinds of client at once):
 *
 * - headOfLine: an open-loop GET client (a fixed request rate on one connection, latency taken
 *   from each request's *scheduled* send time, so a stalled server shows in the percentiles
 *   instead of hiding behind a waiting client) runs three phases over a key space of `keys` keys:
 *   no other client (baseline), another client looping `KEYS *`, another looping
 *   `SCAN cursor COUNT n` over the whole key space. The blocker is a separate process
 *   (src/lab/bench/blocker.ts), so parsing a KEYS reply of a million keys does not stall the
 *   measuring client's own event loop.
 * - pubsubFanout: one publisher at a fixed rate, N subscribers on one channel; each payload
 *   carries the publish time, each delivery records now − then (µs, HdrHistogram).
 * - webSessions: `apps` node:http processes (a cluster on one port, src/lab/bench/websessions-app.ts)
 *   keep sessions in the target (HGETALL, HSET on first visit, HINCRBY, EXPIRE), driven by
 *   autocannon.
 *
 * Each returns a plain JSON object stored in results.json under scenarios.<name>.byTarget[<id>].
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as hdr from 'hdr-histogram-js';
import type { HeadOfLineSpec, PubsubFanoutSpec, WebSessionsSpec } from '../suites/suite.ts';
import type { HeadOfLineResult, HolPhase, PubsubFanoutResult, WebSessionsResult } from '../results/schema.ts';
import { RespConn, RespError } from './resp.ts';
import { selfCpuMs } from './proc.ts';
import { ROOT, type RunningTarget } from './targets.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');

const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

function summarise(h: hdr.Histogram): { count: number; p50: number; p90: number; p99: number; p999: number; max: number } {
  return {
    count: h.totalCount,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Fills db 0 with `count` keys `key:<n>` of `valueSize` bytes (MSET batches, pipelined). */
export async function preloadKeys(host: string, port: number, count: number, valueSize: number): Promise<void> {
  const c = await RespConn.connect(host, port);
  try {
    const value = 'x'.repeat(valueSize);
    const batch = 1000;
    let inflight: Array<Promise<number>> = [];
    for (let i = 0; i < count; i += batch) {
      const cmd: string[] = ['MSET'];
      for (let k = i; k < Math.min(count, i + batch); k++) cmd.push(`key:${k}`, value);
      inflight.push(c.pipeline([cmd]));
      if (inflight.length >= 16) {
        await inflight[0];
        inflight = inflight.slice(1);
      }
    }
    const errors = (await Promise.all(inflight)).reduce((a, b) => a + b, 0);
    if (errors > 0) throw new Error(`preload: ${errors} MSET errors`);
    const n = await c.ok('DBSIZE');
    if (n !== count) throw new Error(`preload: DBSIZE ${String(n)}, wanted ${count}`);
  } finally {
    c.close();
  }
}


/**
 * Waits (up to `maxMs`) until the server answers three PINGs in a row within 5 ms each: a
 * phase must not inherit the previous one's backlog (a KEYS * call still finishing, its reply
 * still being freed).
 */
export async function settle(t: RunningTarget, maxMs = 5000): Promise<void> {
  const c = await RespConn.connect(t.host, t.port);
  try {
    const deadline = performance.now() + maxMs;
    let quick = 0;
    while (quick < 3 && performance.now() < deadline) {
      const t0 = performance.now();
      await c.call('PING');
      quick = performance.now() - t0 < 5 ? quick + 1 : 0;
      await sleep(20);
    }
  } finally {
    c.close();
  }
}

/** Open-loop GETs at `rate`/s for `durationMs` while `blocker` (null, 'keys' or 'scan') loops in another process. */
async function holPhase(t: RunningTarget, spec: HeadOfLineSpec, blocker: 'keys' | 'scan' | null, rate: number): Promise<HolPhase> {
  let child: ReturnType<typeof spawn> | null = null;
  let childOut = '';
  if (blocker !== null) {
    child = spawn(NODE, [path.join(ROOT, 'src/lab/bench/blocker.ts'), t.host, String(t.port), blocker, String(spec.scanCount)],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => { childOut += d.toString(); });
    // The blocker says "started" once connected and its first call is on the wire.
    for (let i = 0; i < 200 && !childOut.includes('started'); i++) await sleep(25);
  }
  const c = await RespConn.connect(t.host, t.port);
  const h = newHistogram();
  let errors = 0;
  let sent = 0;
  const t0 = performance.now();
  const end = t0 + spec.durationMs;
  const replies: Array<Promise<void>> = [];
  try {
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - t0) * rate) / 1000);
      while (sent < due) {
        const scheduled = t0 + (sent * 1000) / rate;
        const key = `key:${Math.floor(Math.random() * spec.keys)}`;
        sent++;
        replies.push(c.call('GET', key).then((r) => {
          if (r instanceof RespError || r === null) errors++;
          h.recordValue(Math.max(1, Math.round((performance.now() - scheduled) * 1000)));
        }));
      }
      await sleep(1);
    }
    await Promise.all(replies);
  } finally {
    c.close();
  }
  let blockerCalls = 0;
  let blockerMeanMs = 0;
  if (child !== null) {
    child.stdin!.end('stop\n');
    await once(child, 'exit');
    const m = /calls=(\d+) meanMs=([\d.]+)/.exec(childOut);
    blockerCalls = Number(m?.[1] ?? 0);
    blockerMeanMs = Number(m?.[2] ?? 0);
  }
  const s = summarise(h);
  h.destroy();
  return {
    blocker: blocker === null ? null : blocker === 'keys' ? 'KEYS *' : `SCAN cursor COUNT ${spec.scanCount}`,
    getRequests: sent,
    getErrors: errors,
    getLatencyUs: { p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max },
    blockerCalls,
    blockerMeanMs,
  };
}


export async function runHeadOfLine(t: RunningTarget, spec: HeadOfLineSpec): Promise<HeadOfLineResult> {
  const rate = 2000;
  const c = await RespConn.connect(t.host, t.port);
  await c.ok('FLUSHALL');
  c.close();
  await preloadKeys(t.host, t.port, spec.keys, spec.valueSize);
  // Let the preload's aftermath (ringkv: a major GC of the grown heap) pass before measuring:
  // a pause, then an unmeasured round of the GET client.
  await sleep(1000);
  await holPhase(t, { ...spec, durationMs: Math.min(500, spec.durationMs) }, null, rate);
  await settle(t);
  const baseline = await holPhase(t, spec, null, rate);
  await settle(t);
  const keys = await holPhase(t, spec, 'keys', rate);
  await settle(t);
  const scan = await holPhase(t, spec, 'scan', rate);
  const c2 = await RespConn.connect(t.host, t.port);
  await c2.ok('FLUSHALL');
  c2.close();
  const stalls = (p: HolPhase): boolean => p.getLatencyUs.p99 > Math.max(3 * baseline.getLatencyUs.p99, 20_000);
  return {
    keyCount: spec.keys,
    getRate: rate,
    baseline,
    keys,
    scan,
    keysStalls: stalls(keys),
    scanStalls: stalls(scan),
  };
}


export async function runPubsubFanout(t: RunningTarget, spec: PubsubFanoutSpec): Promise<PubsubFanoutResult> {
  const channel = 'bench:fanout';
  const subs: RespConn[] = [];
  const h = newHistogram();
  let delivered = 0;
  let published = 0;
  const pub = await RespConn.connect(t.host, t.port);
  try {
    for (let i = 0; i < spec.subscribers; i++) {
      const s = await RespConn.connect(t.host, t.port);
      s.onMessage = (_ch, payload) => {
        const sentAt = Number(payload.slice(0, payload.indexOf(':')));
        delivered++;
        h.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
      };
      subs.push(s);
      await s.call('SUBSCRIBE', channel);
    }
    const n = await pub.ok('PUBLISH', channel, 'warmup');
    if (n !== spec.subscribers) throw new Error(`PUBLISH reached ${String(n)} subscribers, wanted ${spec.subscribers}`);
    await sleep(100);
    delivered = 0;
    h.reset();
    const cpu0 = selfCpuMs();
    const t0 = performance.now();
    const end = t0 + spec.durationMs;
    const pad = 'p'.repeat(Math.max(0, spec.payloadSize - 20));
    const acks: Array<Promise<unknown>> = [];
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - t0) * spec.rate) / 1000);
      while (published < due) {
        published++;
        acks.push(pub.call('PUBLISH', channel, `${performance.now().toFixed(3)}:${pad}`));
      }
      await sleep(1);
    }
    await Promise.all(acks);
    // Let the last deliveries arrive (bounded).
    for (let i = 0; i < 100 && delivered < published * spec.subscribers; i++) await sleep(20);
    const wall = performance.now() - t0;
    const cpuMs = selfCpuMs() - cpu0;
    const s = summarise(h);
    const histogram = hdr.encodeIntoCompressedBase64(h);
    return {
      subscribers: spec.subscribers,
      rate: spec.rate,
      published,
      expected: published * spec.subscribers,
      delivered,
      deliveryLatencyUs: { p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max },
      histogram,
      client: { cpuMs, utilisation: cpuMs / wall, bound: cpuMs / wall >= 0.9 },
    };
  } finally {
    h.destroy();
    pub.close();
    for (const s of subs) s.close();
  }
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;


export async function runWebSessions(t: RunningTarget, spec: WebSessionsSpec): Promise<WebSessionsResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const app = spawn(NODE, [path.join(ROOT, 'src/lab/bench/websessions-app.ts'), t.host, String(t.port), String(spec.apps)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  app.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  try {
    let port = 0;
    for (let i = 0; i < 600 && port === 0; i++) {
      if (app.exitCode !== null) throw new Error(`web-sessions app exited ${app.exitCode}: ${out}`);
      port = Number(/listening (\d+)/.exec(out)?.[1] ?? 0);
      if (port === 0) await sleep(25);
    }
    if (port === 0) throw new Error('web-sessions app did not start');
    const sessions = spec.sessions;
    const cpu0 = selfCpuMs();
    const t0 = performance.now();
    const r = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: spec.connections,
      duration: spec.durationMs / 1000,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/s/${Math.floor(Math.random() * sessions)}` }) }],
    });
    const wall = performance.now() - t0;
    const cpuMs = selfCpuMs() - cpu0;
    return {
      apps: spec.apps,
      connections: spec.connections,
      sessions,
      requests: r.requests.total,
      throughput: r.requests.total / (wall / 1000),
      latencyUs: { mean: r.latency.average * 1000, p50: r.latency.p50 * 1000, p90: r.latency.p90 * 1000, p99: r.latency.p99 * 1000, max: r.latency.max * 1000 },
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      client: { cpuMs, utilisation: cpuMs / wall, bound: cpuMs / wall >= 0.9 },
    };
  } finally {
    app.kill('SIGTERM');
    if (app.exitCode === null) await once(app, 'exit');
    const c = await RespConn.connect(t.host, t.port);
    await c.call('FLUSHALL');
    c.close();
  }
}
