/**
 * One load shard: a set of connections driven by one thread, closed or open loop. Runs inside
 * a generator thread (shard-worker.ts); index.ts starts one per thread and merges the results.
 *
 * Contract
 * - `connect()` opens every connection (TCP_NODELAY) and resolves when all are up; `run(t0)`
 *   starts the load at t0 (this thread's performance.now() clock), warms up for warmupMs,
 *   measures for durationMs, and resolves with the shard's counts and encoded histograms.
 * - Per connection the in-flight requests sit in a FIFO ring (typed arrays, no allocation per
 *   request): the request step, its start time, the replies it still waits for, an error flag.
 *   Replies come back in order on a connection, so the ring's head always owns the next reply.
 * - Every reply of a read is handled, then the connection refills and writes once: one
 *   `socket.write` per read callback (and per pump tick in open loop), never one per command.
 *
 * Closed loop: each connection keeps `pipeline` requests in flight (a sliding window, not
 * redis-benchmark's send-16-wait-for-16), issuing a new one as each completes. Latency = reply
 * time − send time, for replies that arrive inside the measured window.
 *
 * Open loop (rate > 0): the shard's requests are one evenly spaced schedule, intended time
 * t0 + k/rate, dealt round-robin to its connections (so each connection runs at rate/C with
 * its own phase). A request whose intended time has come is sent at once if its connection has
 * fewer than `pipeline` in flight, else it waits in that connection's backlog. Latency is taken
 * from the *intended* time, not the send: a stalled server makes every request scheduled during
 * the stall late, as users would see it, and the generator's own queueing cannot hide that
 * (coordinated omission, after Gil Tene's wrk2). The uncorrected figure (from the actual send)
 * is kept too, to show the difference. Requests intended inside the window are waited for
 * after it ends, up to drainMs; any still unanswered then count as errors and enter the
 * histogram at their lower bound (deadline − intended).
 *
 * Open-loop timing: Node timers have 1 ms granularity, far coarser than a loopback round trip
 * (~50 µs). The pump sleeps with setTimeout until ~2 ms before the next intended time, then
 * with the ticker (ticker.ts: a helper thread that sleeps in a futex and rings a bell the pump
 * awaits with Atomics.waitAsync), so the generator thread sleeps in epoll like any I/O-bound
 * program and still sends within tens of µs of schedule. (Spinning through the event loop
 * keeps time too, but a thread that never sleeps is preempted for whole time slices on a busy
 * machine, and takes a core from the server on a small one.) The scheduling lag (how late the
 * pump dispatched each request) is recorded to show whether the generator kept its schedule,
 * and the busy fraction is the time spent in the generator's own work (reads and sends).
 *
 * CPU: process.threadCpuUsage() (this thread only) over the window; busy fraction in closed loop
 * = the event loop's utilisation (performance.eventLoopUtilization), which, unlike CPU time,
 * also reads 1 when the thread is runnable but starved of a core: either way it is the
 * bottleneck.
 */

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import type { Req, Workload, WorkloadContext } from '../workloads/types.ts';
import { Encoder } from './encoder.ts';
import { Rng, deriveSeed, keyChooser, type KeyDist } from './rng.ts';
import { ReplyScanner } from './scanner.ts';
import { MAX_LEAD_MS, Ticker } from './ticker.ts';

export interface ShardConfig {
  host: string;
  port: number;
  workload: string;
  shard: number;
  /** Connections of this shard, and the global index of its first one. */
  connections: number;
  firstConn: number;
  totalConnections: number;
  pipeline: number;
  /** This shard's share of the open-loop rate (req/s); 0 = closed loop. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  drainMs: number;
  keyspace: number;
  keyDist: KeyDist;
  zipfS: number;
  valueSize: number;
  seed: number;
}

export interface ShardResult {
  requests: number;
  errors: number;
  /** Open loop: requests scheduled inside the window, and those unanswered at the drain deadline. */
  scheduled: number;
  timedOut: number;
  /** Base64 compressed HdrHistograms, µs. */
  histogram: string;
  uncorrected: string | null;
  scheduleLag: string | null;
  kindRequests: number[];
  kindErrors: number[];
  cpuMs: number;
  /** Busy fraction of the thread over the window (see the file comment). */
  utilisation: number;
  windowMs: number;
}

export function newHistogram(): hdr.Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000 });
}

/** The printable value bytes every connection uses (the same for a given seed and size). */
export function valueFor(seed: number, size: number): string {
  const key = `${seed}/${size}`;
  let v = values.get(key);
  if (v === undefined) {
    v = makeValue(seed, size);
    values.set(key, v);
  }
  return v;
}

const values = new Map<string, string>();

function makeValue(seed: number, size: number): string {
  const rng = new Rng(deriveSeed(seed, 0xffff, 0xffff));
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < size; i++) s += chars[rng.int(chars.length)];
  return s;
}

export function contextFor(cfg: Pick<ShardConfig, 'keyspace' | 'keyDist' | 'zipfS' | 'valueSize' | 'seed'>,
  shard: number, conn: number, index: number, of: number): WorkloadContext {
  const rng = new Rng(deriveSeed(cfg.seed, shard, conn));
  const value = valueFor(cfg.seed, cfg.valueSize);
  return {
    keyspace: cfg.keyspace,
    valueSize: cfg.valueSize,
    value,
    valueBulk: Buffer.from(`$${value.length}\r\n${value}\r\n`, 'latin1'),
    rng,
    nextKey: keyChooser(cfg.keyDist, cfg.keyspace, rng, { zipfS: cfg.zipfS, index, of }),
    connId: `${cfg.seed.toString(36)}.${shard}.${conn}`,
  };
}

/** The measurement window and its recorders, shared by a shard's connections. */
interface Meter {
  open: boolean;
  mStart: number;
  mEnd: number;
  running: boolean;
  hist: hdr.Histogram;
  uncorrected: hdr.Histogram;
  requests: number;
  errors: number;
  kindRequests: number[];
  kindErrors: number[];
}

class Conn {
  readonly sock: net.Socket;
  readonly enc = new Encoder();
  private readonly scanner: ReplyScanner;
  private readonly gen: (enc: Encoder) => Req;
  private readonly meter: Meter;
  /** Requests allowed in flight. */
  private readonly cap: number;
  // The in-flight ring (capacity a power of two ≥ cap).
  private readonly reqs: Array<Req | null>;
  private readonly start: Float64Array;
  private readonly sent: Float64Array;
  private readonly left: Int32Array;
  private readonly err: Uint8Array;
  private readonly mask: number;
  private head = 0;
  count = 0;
  // Open loop: intended times waiting for a free slot (a growable FIFO).
  private backlog = new Float64Array(64);
  private bHead = 0;
  backlogLen = 0;
  dead = false;
  /** Time of the current read callback (one clock read per read, shared by its replies). */
  private now = 0;
  /** Open loop: ms spent in this connection's read callbacks inside the window. */
  workMs = 0;

  constructor(host: string, port: number, gen: (enc: Encoder) => Req, meter: Meter, cap: number) {
    this.gen = gen;
    this.meter = meter;
    this.cap = cap;
    let size = 1;
    while (size < cap) size <<= 1;
    this.mask = size - 1;
    this.reqs = new Array<Req | null>(size).fill(null);
    this.start = new Float64Array(size);
    this.sent = new Float64Array(size);
    this.left = new Int32Array(size);
    this.err = new Uint8Array(size);
    this.scanner = new ReplyScanner((error, raw) => this.onReply(error, raw));
    this.sock = net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: Buffer.allocUnsafe(64 * 1024),
        callback: (n: number, buf: Uint8Array): boolean => {
          this.onRead(buf as Buffer, n);
          return true;
        },
      },
    });
  }

  private onRead(buf: Buffer, n: number): void {
    const now = performance.now();
    this.now = now;
    this.scanner.scan(buf.subarray(0, n));
    const m = this.meter;
    if (m.open) {
      while (this.count < this.cap && this.backlogLen > 0) this.issue(this.shiftBacklog(), now);
    } else if (m.running) {
      this.fill(now);
    }
    this.flush();
    if (m.open && now >= m.mStart && now < m.mEnd) this.workMs += performance.now() - now;
  }

  private onReply(error: boolean, raw: Buffer | null): void {
    const i = this.head;
    if (this.count === 0) return; // a reply nobody waits for (after a reset): ignore
    if (error) this.err[i] = 1;
    if (--this.left[i]! > 0) {
      this.armCapture();
      return;
    }
    const req = this.reqs[i]!;
    if (req.script !== null) {
      const next = req.script.next(raw, this.err[i] === 1, this.enc);
      if (next !== null) {
        // Serial workloads only (one request in flight), so the head is the whole ring.
        this.reqs[i] = next;
        this.left[i] = next.replies;
        this.armCapture();
        return;
      }
    }
    this.complete(i, req.kind);
    this.reqs[i] = null;
    this.head = (i + 1) & this.mask;
    this.count--;
    this.armCapture();
  }

  private complete(i: number, kind: number): void {
    const m = this.meter;
    const now = this.now;
    const t = this.start[i]!;
    if (m.open ? t < m.mStart || t >= m.mEnd : now < m.mStart || now >= m.mEnd) return;
    m.hist.recordValue(Math.round((now - t) * 1000));
    if (m.open) m.uncorrected.recordValue(Math.round((now - this.sent[i]!) * 1000));
    m.requests++;
    m.kindRequests[kind]!++;
    if (this.err[i] === 1) {
      m.errors++;
      m.kindErrors[kind]!++;
    }
  }

  /** The scanner keeps the next reply's bytes when the head step wants its last reply. */
  private armCapture(): void {
    this.scanner.capture = this.count > 0 && this.left[this.head] === 1 && this.reqs[this.head]!.capture;
  }

  /** Start a request now whose latency counts from t (its intended time in open loop). */
  issue(t: number, now: number): void {
    const req = this.gen(this.enc);
    const i = (this.head + this.count) & this.mask;
    this.reqs[i] = req;
    this.start[i] = t;
    this.sent[i] = now;
    this.left[i] = req.replies;
    this.err[i] = 0;
    this.count++;
    if (this.count === 1) this.armCapture();
  }

  /** Closed loop: top the window up. */
  fill(now: number): void {
    while (this.count < this.cap) this.issue(now, now);
  }

  /** Open loop: a request's intended time has come. */
  dispatch(t: number, now: number): void {
    if (this.dead) {
      const m = this.meter;
      if (t >= m.mStart && t < m.mEnd) {
        m.requests++;
        m.errors++;
      }
      return;
    }
    if (this.count < this.cap && this.backlogLen === 0) this.issue(t, now);
    else this.pushBacklog(t);
  }

  private pushBacklog(t: number): void {
    if (this.backlogLen === this.backlog.length) {
      const next = new Float64Array(this.backlog.length * 2);
      for (let j = 0; j < this.backlogLen; j++) next[j] = this.backlog[(this.bHead + j) % this.backlog.length]!;
      this.backlog = next;
      this.bHead = 0;
    }
    this.backlog[(this.bHead + this.backlogLen) % this.backlog.length] = t;
    this.backlogLen++;
  }

  private shiftBacklog(): number {
    const t = this.backlog[this.bHead]!;
    this.bHead = (this.bHead + 1) % this.backlog.length;
    this.backlogLen--;
    return t;
  }

  flush(): void {
    const b = this.enc.take();
    if (b !== null && !this.dead) this.sock.write(b);
  }

  /** Intended times of every request not yet answered (in flight, then backlog). */
  unanswered(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.count; j++) out.push(this.start[(this.head + j) & this.mask]!);
    for (let j = 0; j < this.backlogLen; j++) out.push(this.backlog[(this.bHead + j) % this.backlog.length]!);
    return out;
  }

  /** The connection failed: what it had in flight inside the window counts as errors. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    const m = this.meter;
    for (const t of this.unanswered()) {
      if (m.open ? t >= m.mStart && t < m.mEnd : m.running) {
        m.requests++;
        m.errors++;
      }
    }
    this.count = 0;
    this.backlogLen = 0;
  }
}

export class Shard {
  private readonly cfg: ShardConfig;
  private readonly workload: Workload;
  private readonly conns: Conn[] = [];
  private readonly meter: Meter;

  constructor(cfg: ShardConfig, workload: Workload) {
    this.cfg = cfg;
    this.workload = workload;
    this.meter = {
      open: cfg.rate > 0,
      mStart: Infinity,
      mEnd: Infinity,
      running: false,
      hist: newHistogram(),
      uncorrected: newHistogram(),
      requests: 0,
      errors: 0,
      kindRequests: workload.kinds.map(() => 0),
      kindErrors: workload.kinds.map(() => 0),
    };
  }

  async connect(): Promise<void> {
    const { cfg, workload } = this;
    const cap = workload.serial === true ? 1 : Math.max(1, cfg.pipeline);
    const ready: Array<Promise<void>> = [];
    for (let c = 0; c < cfg.connections; c++) {
      const g = cfg.firstConn + c;
      const ctx = contextFor(cfg, cfg.shard, c, g, cfg.totalConnections);
      const conn = new Conn(cfg.host, cfg.port, workload.connection(ctx), this.meter, cap);
      this.conns.push(conn);
      ready.push(new Promise<void>((resolve, reject) => {
        conn.sock.once('connect', () => resolve());
        conn.sock.once('error', reject);
      }));
      conn.sock.on('error', () => conn.kill());
      conn.sock.on('close', () => conn.kill());
    }
    await Promise.all(ready);
  }

  /** Runs the load from t0 (this thread's performance.now() clock) to the end of the window. */
  async run(t0: number): Promise<ShardResult> {
    const { cfg, meter: m, conns } = this;
    m.mStart = t0 + cfg.warmupMs;
    m.mEnd = m.mStart + cfg.durationMs;
    await sleepUntil(t0);
    let cpu0 = process.threadCpuUsage();
    let elu0 = performance.eventLoopUtilization();
    const atWindowStart = sleepUntil(m.mStart).then(() => {
      cpu0 = process.threadCpuUsage();
      elu0 = performance.eventLoopUtilization();
    });
    let cpu = { user: 0, system: 0 };
    let elu = elu0;
    const atWindowEnd = sleepUntil(m.mEnd).then(() => {
      cpu = process.threadCpuUsage(cpu0);
      elu = performance.eventLoopUtilization(elu0);
    });
    const lag = newHistogram();
    let pumpWork = 0;
    let scheduled = 0;
    let timedOut = 0;
    let ticker: Ticker | null = null;

    if (!m.open) {
      m.running = true;
      const now = performance.now();
      for (const c of conns) {
        c.fill(now);
        c.flush();
      }
      await atWindowStart;
      await atWindowEnd;
      m.running = false;
    } else {
      const interval = 1000 / cfg.rate;
      let k = 0;
      let next = t0;
      const dirty = new Set<Conn>();
      ticker = new Ticker();
      await new Promise<void>((done) => {
        const pump = (): void => {
          let now = performance.now();
          // Woken a little early (the ticker rings ahead by its learnt wake-up delay): wait it out.
          if (next > now && next - now <= MAX_LEAD_MS) while ((now = performance.now()) < next) { /* ≤ 200 µs, typically a few */ }
          let n = 0;
          while (next <= now && next < m.mEnd) {
            const c = conns[k % conns.length]!;
            if (next >= m.mStart) {
              lag.recordValue(Math.round((now - next) * 1000));
              scheduled++;
            }
            c.dispatch(next, now);
            dirty.add(c);
            k++;
            n++;
            next = t0 + k * interval;
          }
          if (n > 0) {
            for (const c of dirty) c.flush();
            dirty.clear();
            if (now >= m.mStart && now < m.mEnd) pumpWork += performance.now() - now;
          }
          if (next >= m.mEnd) {
            done();
            return;
          }
          const wait = next - performance.now();
          if (wait > 3) setTimeout(pump, wait - 2); // coarse sleep; the ticker does the last 2 ms
          else if (wait < 0.02) setImmediate(pump); // due now: only let I/O in first
          else ticker!.wake(next).then(pump, pump);
        };
        pump();
      });
      await atWindowStart;
      await atWindowEnd;
      // Drain: wait for the window's requests, up to drainMs.
      const deadline = m.mEnd + cfg.drainMs;
      while (performance.now() < deadline && conns.some((c) => !c.dead && c.count + c.backlogLen > 0)) {
        await new Promise((r) => setTimeout(r, 2));
      }
      const end = performance.now();
      for (const c of conns) {
        for (const t of c.unanswered()) {
          if (t >= m.mStart && t < m.mEnd) {
            timedOut++;
            m.errors++;
            m.hist.recordValue(Math.round((end - t) * 1000));
          }
        }
      }
    }
    for (const c of conns) {
      c.dead = true;
      c.sock.destroy();
    }
    await ticker?.stop();
    const windowMs = cfg.durationMs;
    const work = pumpWork + conns.reduce((a, c) => a + c.workMs, 0);
    return {
      requests: m.requests,
      errors: m.errors,
      scheduled,
      timedOut,
      histogram: hdr.encodeIntoCompressedBase64(m.hist),
      uncorrected: m.open ? hdr.encodeIntoCompressedBase64(m.uncorrected) : null,
      scheduleLag: m.open ? hdr.encodeIntoCompressedBase64(lag) : null,
      kindRequests: m.kindRequests,
      kindErrors: m.kindErrors,
      cpuMs: (cpu.user + cpu.system) / 1000,
      utilisation: m.open ? Math.min(1, work / windowMs) : elu.utilization,
      windowMs,
    };
  }
}

function sleepUntil(t: number): Promise<void> {
  const wait = t - performance.now();
  return wait <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, wait));
}
