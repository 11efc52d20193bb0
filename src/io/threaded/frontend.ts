/**
 * The threaded front-end (`io-threads N`, N > 1), main-thread side: accepts connections, hands
 * each socket to one of N-1 I/O workers (round-robin by client id, as Redis assigns clients to
 * threads), and runs the executor over what the workers send.
 *
 * Contract
 * - The executor is driven exactly as the single-threaded front-end drives it: execute() per
 *   command of a client's batch, takeReplies() after the batch. It never learns the difference.
 * - Each REPLY frame says how many of the client's commands it answers: a batch's frame counts
 *   those execute() answered in it (not a blocked command, nor those held behind it), a late
 *   delivery the count the engine gives; the worker relies on it (frames.ts, REPLY).
 * - Fairness: each turn takes at most MAX_FRAMES_PER_TURN frames from each worker's request
 *   ring, then yields to the event loop (timers, accepts) if work remains.
 * - Ring full (reply ring): replies wait in that worker's Outbox, in order, and that worker's
 *   requests are not drained until the Outbox is empty again: its clients wait, others don't,
 *   memory stays bounded by what those clients already sent.
 * - No spinning: when every request ring is empty the executor sleeps on its bell (see Bell in
 *   ring.ts); a worker rings it only when it commits to a ring whose SLEEPING flag is up.
 * - A worker that dies: its clients are disconnected (the engine forgets them), a replacement
 *   starts on fresh rings, and the log says what happened. Everyone else keeps being served.
 * - Adaptive (the default; `io-threads-force yes` turns it off): a client is placed when it
 *   connects. While the I/O threads are not engaged, new clients are served on the main thread
 *   as LocalConnections, exactly as in io-threads 1, and the threads stay idle. A policy tick
 *   (POLICY_MS) engages them when the main thread is saturated (event-loop utilisation ≥
 *   ENGAGE_ELU) *and* the machine has an idle core for a worker to run on (≥ ENGAGE_IDLE_CORES,
 *   from os.cpus() times), and disengages them after DISENGAGE_TICKS quiet ticks; engagement
 *   decides where *new* clients go. Without a spare core a worker can only take CPU from the
 *   main thread, which is how Redis 7's io-threads end up at half speed on 2 cores.
 *   Clients do not move once placed: Node 26 transfers only a socket that has never been read
 *   (ERR_WORKER_HANDLE_NOT_TRANSFERABLE), so a served connection cannot change threads.
 */

import type net from 'node:net';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/config.ts';
import type { ClientConnection, ClientState } from '../../engine/client.ts';
import type { Engine, IoCounters } from '../../engine/engine.ts';

import { log } from '../../lib/log.ts';
import type { ParserLimits } from '../../protocol/parser.ts';
import { outputLimitsOf } from '../../config/outputlimits.ts';
import { endpoint, Listeners, socketFd, type Bound } from '../listen.ts';
import { LocalConnection, liveLimits } from '../local.ts';
import { executeBatch } from './batch.ts';
import { decodeReject, HEADER, preciseNow, Joiner, Outbox, REJECT_CLOSE, REJECT_PROTOCOL, REJECT_WRITTEN, Rep, Req } from './frames.ts';
import { W, W_WORDS, type ToWorker, type WorkerInit } from './protocol.ts';
import { Bell, createRing, RingConsumer, RingProducer } from './ring.ts';

/** How often the adaptive policy looks at the load. */
const POLICY_MS = 250;
/** Main-thread event-loop utilisation at which the I/O threads are engaged... */
const ENGAGE_ELU = 0.8;
/** ...provided this many cores' worth of CPU sat idle machine-wide over the same interval. */
const ENGAGE_IDLE_CORES = 0.75;
/** Disengaged after this many consecutive ticks below DISENGAGE_ELU. */
const DISENGAGE_ELU = 0.5;
const DISENGAGE_TICKS = 8;

/** Frames taken from one worker per turn before looking at the others. */
const MAX_FRAMES_PER_TURN = 64;
const REQUEST_RING_BYTES = 1 << 20;
const REPLY_RING_BYTES = 1 << 22;

interface IoWorker {
  readonly index: number;
  readonly thread: Worker;
  readonly requests: RingConsumer;
  readonly replies: Outbox;
  readonly stats: Float64Array;
  readonly joiner: Joiner;
  readonly clients: Set<ThreadedConnection>;
  /** Replies were written since the last commit. */
  dirty: boolean;
  /** The worker's bytesIn counter as last added to the engine's total_net_input_bytes. */
  bytesInSeen: number;
  /** BATCH frames taken, and the time they waited between the worker's commit and execution. */
  batches: number;
  queuedMs: number;
  queuedMaxMs: number;
  /** A waiter for reply-ring space is running. */
  waitingForSpace: boolean;
  dead: boolean;
}

/** Poll this long before sleeping, when every thread has a core of its own (else 0). */
const SPIN_MS = 0.05;

export function spinMs(threads: number): number {
  return os.availableParallelism() > threads ? SPIN_MS : 0;
}

/** Machine-wide CPU time (ms), all cores: total and idle. */
function cpuTimes(): { total: number; idle: number } {
  let total = 0;
  let idle = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
    idle += t.idle;
  }
  return { total, idle };
}

/** A client as the executor's ClientConnection sees it: frames to its worker. */
class ThreadedConnection implements ClientConnection {
  /** Set right after the engine names the client (the worker is chosen by client id). */
  worker!: IoWorker;
  client!: ClientState;
  /** Whether the worker's parser applies the pre-AUTH limits, as last told (AUTH frames). */
  authRequired = false;
  /** The output-limit class the worker checks, as last told (CLASS frames): subscribed or not. */
  pubsub = false;
  private readonly front: ThreadedFrontEnd;

  constructor(front: ThreadedFrontEnd) {
    this.front = front;
  }

  /** Pushes (answered 0) and late replies, with how many commands they answer (see REPLY). */
  deliver(bytes: Buffer, answered: number, end: boolean): void {
    this.front.reply(this.worker, this.client.id, bytes, answered);
    if (end) this.front.control(this.worker, Rep.CLOSE, this.client.id);
    // Late replies of commands held behind a blocked one: one may have been AUTH or RESET.
    else if (answered > 0) {
      this.front.syncAuth(this);
      this.front.syncClass(this);
    }
  }

  close(): void {
    this.front.control(this.worker, Rep.KILL, this.client.id);
  }

  queryBufferLength(): number {
    return 0; // known to the worker only
  }

  outputBufferLength(): number {
    return 0; // known to the worker only
  }
}

export class ThreadedFrontEnd {
  private readonly engine: Engine;
  private readonly config: Config;
  private readonly listeners: Listeners;
  private readonly workers: IoWorker[] = [];
  private readonly conns = new Map<number, ThreadedConnection>();
  private readonly bell = new Bell(Bell.create());
  private readonly count: number;
  /** New clients go to the I/O threads (always, with io-threads-force). */
  private engaged: boolean;
  /** Clients served on the main thread (placed while the threads were not engaged). */
  private readonly locals = new Set<LocalConnection>();
  private readonly parserLimits: ParserLimits;
  private policyTimer: NodeJS.Timeout | null = null;
  private quietTicks = 0;
  /** How long the executor polls before sleeping; 0 without a core per thread. */
  private readonly spinMs: number;
  private lastElu = performance.eventLoopUtilization();
  private lastCpu = cpuTimes();
  private scheduled = false;
  private inTurn = false;
  private sleeping = false;
  private stopping = false;
  /** Executor time in turns vs wall time, for INFO's busy figure. */
  private busyMs = 0;
  private readonly since = performance.now();
  private turns = 0;

  constructor(engine: Engine, config: Config, ioThreads: number) {
    this.engine = engine;
    this.config = config;
    this.count = ioThreads - 1;
    this.engaged = config.bool('io-threads-force');
    this.spinMs = spinMs(ioThreads);
    this.parserLimits = liveLimits(config);
    this.listeners = new Listeners(engine, config, (socket) => this.accept(socket), { pauseOnConnect: true });
    if (!this.engaged) {
      this.policyTimer = setInterval(() => this.policy(), POLICY_MS);
      this.policyTimer.unref();
    }
    engine.addDebugAction('io-threads-engage', () => {
      if (this.policyTimer === null) return 'ERR the I/O threads are forced on (io-threads-force yes)';
      this.engage('DEBUG IO-THREADS-ENGAGE');
      return null;
    });
    for (let i = 0; i < this.count; i++) this.workers.push(this.spawn(i));
    config.onChange((name) => {
      if (name !== 'proto-max-bulk-len' && name !== 'client-query-buffer-limit' && name !== 'client-output-buffer-limit') return;
      for (const w of this.workers) w.thread.postMessage(this.limits());
    });
    engine.addInfoSection('threads', () => this.infoLines());
    engine.ioSource = () => this.ioCounters();
    engine.addDebugAction('io-thread-crash', (args) => {
      const n = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(n) || n < 1 || n > this.count) return `ERR I/O thread must be 1..${this.count}`;
      this.crashWorker(n - 1);
      return null;
    });
  }

  listen(): Promise<Bound[]> {
    return this.listeners.listen().then((b) => {
      this.schedule();
      return b;
    });
  }

  private limits(): ToWorker {
    return { type: 'limits', maxBulkLen: this.config.int('proto-max-bulk-len'), queryBufferLimit: this.config.int('client-query-buffer-limit'),
      outputLimits: outputLimitsOf(this.config.get('client-output-buffer-limit')) };
  }

  private spawn(index: number): IoWorker {
    const requestRing = createRing(REQUEST_RING_BYTES);
    const replyRing = createRing(REPLY_RING_BYTES);
    const workerBell = Bell.create();
    const stats = new SharedArrayBuffer(W_WORDS * 8);
    const limits = this.limits() as Extract<ToWorker, { type: 'limits' }>;
    const init: WorkerInit = {
      index,
      requestRing,
      replyRing,
      mainBell: this.bell.word.buffer as SharedArrayBuffer,
      workerBell,
      stats,
      shapes: this.engine.commandShapes(),
      maxBulkLen: limits.maxBulkLen,
      queryBufferLimit: limits.queryBufferLimit,
      outputLimits: limits.outputLimits,
      spinMs: this.spinMs,
    };
    const thread = new Worker(new URL('./worker.ts', import.meta.url), { workerData: init, name: `io-thread-${index + 1}` });
    const w: IoWorker = {
      index,
      thread,
      requests: new RingConsumer(requestRing),
      replies: new Outbox(new RingProducer(replyRing, new Bell(workerBell).word)),
      stats: new Float64Array(stats),
      joiner: new Joiner(),
      clients: new Set(),
      dirty: false,
      bytesInSeen: 0,
      batches: 0,
      queuedMs: 0,
      queuedMaxMs: 0,
      waitingForSpace: false,
      dead: false,
    };
    thread.on('error', (err: Error) => log.warning(`I/O thread ${index + 1} failed: ${err.stack ?? err.message}`));
    thread.on('exit', (code) => this.onExit(w, code));
    return w;
  }

  /** A worker died: drop its clients, start a replacement on fresh rings. */
  private onExit(w: IoWorker, code: number): void {
    w.dead = true;
    if (this.stopping) return;
    log.warning(`I/O thread ${w.index + 1} exited with code ${code}: disconnecting its ${w.clients.size} clients and starting a replacement`);
    for (const conn of w.clients) {
      this.conns.delete(conn.client.id);
      this.engine.disconnect(conn.client);
    }
    w.clients.clear();
    this.workers[w.index] = this.spawn(w.index);
    // If the executor sleeps, it sleeps on the old rings' flags: wake it so its next sleep
    // covers the new worker's ring.
    this.schedule();
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const addr = endpoint(socket.remoteAddress, socket.remotePort);
    const laddr = endpoint(socket.localAddress, socket.localPort);
    const fd = socketFd(socket);
    if (this.engaged) {
      const conn = new ThreadedConnection(this);
      conn.client = engine.connect(conn, addr, laddr, fd);
      this.toWorker(conn, socket);
      return;
    }
    const local = new LocalConnection(socket, engine, this.config, this.parserLimits, (c) => {
      this.locals.delete(c);
      engine.disconnect(c.client);
    });
    local.client = engine.connect(local, addr, laddr, fd);
    this.locals.add(local);
    socket.resume(); // accepted paused (pauseOnConnect)
  }

  /** Hands a client's socket to its worker: round-robin by client id, as Redis assigns them. */
  private toWorker(conn: ThreadedConnection, socket: net.Socket): void {
    const w = this.workers[conn.client.id % this.count]!;
    conn.worker = w;
    this.conns.set(conn.client.id, conn);
    w.clients.add(conn);
    conn.authRequired = this.engine.authRequired(conn.client);
    const msg: ToWorker = { type: 'socket', socket, clientId: conn.client.id, authRequired: conn.authRequired };
    w.thread.postMessage(msg, [socket]);
  }

  // ---- the adaptive policy ------------------------------------------------------------------

  /** Decides where new clients go: to the I/O threads when they can help, else main thread. */
  private policy(): void {
    const elu = performance.eventLoopUtilization(this.lastElu).utilization;
    this.lastElu = performance.eventLoopUtilization();
    const cpu = cpuTimes();
    const total = cpu.total - this.lastCpu.total;
    const idleCores = total > 0 ? ((cpu.idle - this.lastCpu.idle) / total) * os.availableParallelism() : 0;
    this.lastCpu = cpu;
    if (!this.engaged) {
      if (elu >= ENGAGE_ELU && idleCores >= ENGAGE_IDLE_CORES) {
        this.engage(`main thread ${(elu * 100).toFixed(0)}% busy, ${idleCores.toFixed(2)} cores idle`);
      }
    } else if (elu < DISENGAGE_ELU) {
      if (++this.quietTicks >= DISENGAGE_TICKS) {
        this.engaged = false;
        this.quietTicks = 0;
        log.notice(`I/O threads disengaged: new clients are served on the main thread (main thread ${(elu * 100).toFixed(0)}% busy)`);
      }
    } else {
      this.quietTicks = 0;
    }
  }

  /** New clients go to the I/O threads from now on. */
  private engage(why: string): void {
    if (!this.engaged) log.notice(`I/O threads engaged for new clients (${why})`);
    this.engaged = true;
    this.quietTicks = 0;
  }

  // ---- replies to workers -------------------------------------------------------------------

  /** Queues reply bytes answering `count` commands of a client (0 for pushes). */
  reply(w: IoWorker, clientId: number, bytes: Buffer | null, count: number): void {
    if (w.dead) return;
    const b = bytes ?? Buffer.alloc(0);
    w.replies.sendReply(Rep.REPLY, Rep.RPART, clientId, count, b, 0, b.length);
    this.markDirty(w);
  }

  /** Tells the worker when the client's parser must start or stop applying the pre-AUTH limits. */
  syncAuth(conn: ThreadedConnection): void {
    const required = this.engine.authRequired(conn.client);
    if (required === conn.authRequired) return;
    conn.authRequired = required;
    this.control(conn.worker, Rep.AUTH, conn.client.id, Buffer.from([required ? 1 : 0]));
  }

  /** Tells the worker which output-limit class the client is in now (subscribed or not). */
  syncClass(conn: ThreadedConnection): void {
    const pubsub = conn.client.subs !== null;
    if (pubsub === conn.pubsub) return;
    conn.pubsub = pubsub;
    this.control(conn.worker, Rep.CLASS, conn.client.id, Buffer.from([pubsub ? 1 : 0]));
  }

  control(w: IoWorker, kind: number, clientId: number, body: Buffer = Buffer.alloc(0)): void {
    if (w.dead) return;
    w.replies.send(kind, Rep.RPART, clientId, body);
    this.markDirty(w);
  }

  private markDirty(w: IoWorker): void {
    w.dirty = true;
    // Outside a drain turn (a push from a timer, CLIENT KILL from cron): publish soon. Inside
    // one, the turn commits every dirty worker before it ends.
    if (!this.inTurn) this.schedule();
  }

  // ---- the executor loop --------------------------------------------------------------------

  private schedule(): void {
    if (this.scheduled || this.stopping) return;
    this.scheduled = true;
    if (this.sleeping) this.wakeSelf();
    else setImmediate(this.turn);
  }

  /** Rings our own bell, so a sleeping turn loop wakes up (for work from timers). */
  private wakeSelf(): void {
    Atomics.add(this.bell.word, 0, 1);
    Atomics.notify(this.bell.word, 0);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    this.inTurn = true;
    const t0 = performance.now();
    let more = false;
    for (const w of this.workers) {
      if (w.dead) continue;
      if (!w.replies.flush()) {
        this.awaitReplySpace(w);
        continue;
      }
      const bytesIn = w.stats[W.bytesIn]!;
      this.engine.stats.totalNetInputBytes += bytesIn - w.bytesInSeen;
      w.bytesInSeen = bytesIn;
      let frames = 0;
      const at = { offset: 0, length: 0 };
      while (frames < MAX_FRAMES_PER_TURN && w.replies.empty && w.requests.next(at)) {
        frames++;
        this.handle(w, at.offset, at.offset + at.length);
      }
      w.requests.release();
      if (w.dirty) {
        // appendfsync always: the changes behind these replies are made durable first.
        this.engine.beforeRepliesLeave();
        w.replies.commit();
        w.dirty = false;
      }
      if (!w.replies.empty) this.awaitReplySpace(w);
      else if (w.requests.hasData()) more = true;
    }
    // A command may have written to another worker's ring (CLIENT KILL, a push) after that
    // worker's commit above.
    for (const w of this.workers) {
      if (w.dirty && !w.dead) {
        this.engine.beforeRepliesLeave();
        w.replies.commit();
        w.dirty = false;
      }
    }
    this.inTurn = false;
    this.turns++;
    this.busyMs += performance.now() - t0;
    if (more) {
      this.scheduled = true;
      setImmediate(this.turn);
    } else {
      void this.sleep();
    }
  };

  /** Sleeps on the bell until a worker commits requests (see the protocol on Bell). */
  private async sleep(): Promise<void> {
    if (this.sleeping || this.stopping) return;
    if (this.spinMs > 0 && this.spinForRequests()) {
      this.schedule();
      return;
    }
    const v = this.bell.value();
    const live = this.workers.filter((w) => !w.dead && w.replies.empty);
    for (let i = 0; i < live.length; i++) {
      if (!live[i]!.requests.prepareSleep()) {
        for (let j = 0; j < i; j++) live[j]!.requests.awake();
        this.schedule();
        return;
      }
    }
    this.sleeping = true;
    await this.bell.wait(v);
    this.sleeping = false;
    for (const w of live) w.requests.awake();
    if (!this.stopping) {
      this.scheduled = false;
      this.turn();
    }
  }

  /**
   * Polls the request rings for up to spinMs before sleeping: a wake-up costs ~20 µs of two
   * threads' time, a short spin costs only a core that would otherwise idle. Only done when
   * every thread has a core of its own (spinMs is 0 otherwise): on a machine without spare
   * cores spinning steals CPU from the very threads doing the work.
   */
  private spinForRequests(): boolean {
    const until = performance.now() + this.spinMs;
    do {
      for (const w of this.workers) if (!w.dead && w.requests.hasData()) return true;
    } while (performance.now() < until);
    return false;
  }

  /** The reply ring of `w` is full: resume its traffic once the worker frees space. */
  private awaitReplySpace(w: IoWorker): void {
    if (w.waitingForSpace) return;
    w.waitingForSpace = true;
    void (async () => {
      while (!w.dead && !w.replies.flush()) {
        this.engine.beforeRepliesLeave();
        w.replies.commit();
        await w.replies.ring.waitForSpace(100);
      }
      this.engine.beforeRepliesLeave();
      w.replies.commit();
      w.waitingForSpace = false;
      this.schedule();
    })();
  }

  /** One request frame. */
  private handle(w: IoWorker, start: number, end: number): void {
    const bytes = w.requests.bytes;
    const kind = bytes[start]!;
    const id = bytes.readUInt32LE(start + 4);
    const conn = this.conns.get(id);
    switch (kind) {
      case Req.PART:
        w.joiner.piece(id, bytes, start + HEADER, end);
        return;
      case Req.BATCH: {
        const [b, s, e] = w.joiner.finish(id, bytes, start + HEADER, end);
        const queued = preciseNow() - b.readDoubleLE(s + 8);
        w.batches++;
        w.queuedMs += queued;
        if (queued > w.queuedMaxMs) w.queuedMaxMs = queued;
        if (conn === undefined) return;
        const c = conn.client;
        if (executeBatch(this.engine, c, w.dead ? null : w.replies, b, s, e)) w.dirty = true;
        if (c.closeAfterReply) this.control(w, Rep.CLOSE, id);
        this.syncAuth(conn);
        this.syncClass(conn);
        return;
      }
      case Req.REJECT: {
        const r = decodeReject(bytes, start + HEADER, end);
        const argv = (r.flags & REJECT_PROTOCOL) !== 0 ? null : r.sub === '' ? [r.name] : [r.name, r.sub];
        // Behind a blocked command the engine answers (and counts) it in its turn.
        if (conn !== undefined && (r.flags & REJECT_WRITTEN) === 0 &&
            this.engine.holdError(conn.client, r.error, (r.flags & REJECT_CLOSE) !== 0, argv)) return;
        if (argv === null) this.engine.countErrorReply(r.error);
        // With the client: a command refused inside MULTI aborts the transaction (EXECABORT).
        else this.engine.countRejection(argv, r.error, conn?.client);
        if (conn === undefined) return;
        // An error the worker did not write counts as in flight there (see REPLY in frames.ts).
        if ((r.flags & REJECT_WRITTEN) === 0) this.reply(w, id, Buffer.from(`-${r.error}\r\n`, 'latin1'), 1);
        if ((r.flags & REJECT_CLOSE) !== 0) {
          conn.client.closeAfterReply = true;
          if ((r.flags & REJECT_WRITTEN) === 0) this.control(w, Rep.CLOSE, id);
        }
        return;
      }
      case Req.LIMIT:
        if (conn !== undefined) this.engine.outputLimitReached(conn.client);
        return;
      case Req.GONE:
        w.joiner.drop(id);
        if (conn === undefined) return;
        this.conns.delete(id);
        w.clients.delete(conn);
        this.engine.disconnect(conn.client);
        return;
    }
  }

  // ---- observability ------------------------------------------------------------------------

  private ioCounters(): IoCounters {
    let reads = 0;
    let writes = 0;
    for (const w of this.workers) {
      reads += w.stats[W.reads]!;
      writes += w.stats[W.writes]!;
    }
    const local = this.engine.io;
    return { reads: reads + local.reads, writes: writes + local.writes, threadedReads: reads, threadedWrites: writes, threadsActive: this.threadsActive() };
  }

  /** io_threads_active: the threads take new clients, or still serve some. */
  private threadsActive(): boolean {
    return this.engaged || this.conns.size > 0;
  }

  /** INFO "threads": per worker and for the executor. */
  private infoLines(): string[] {
    const lines: string[] = [`io_threads:${this.count + 1}`, `io_threads_active:${this.threadsActive() ? 1 : 0}`,
      `io_threads_mode:${this.config.bool('io-threads-force') ? 'forced' : 'adaptive'}`, `main_thread_clients:${this.locals.size}`];
    let reads = 0;
    let writes = 0;
    for (const w of this.workers) {
      const s = w.stats;
      reads += s[W.reads]!;
      writes += s[W.writes]!;
      const req = w.requests.stats();
      const rep = w.replies.ring.stats();
      lines.push(`io_thread_${w.index + 1}:clients=${s[W.clients]},commands=${s[W.commands]},bytes_in=${s[W.bytesIn]},bytes_out=${s[W.bytesOut]},` +
        `reads=${s[W.reads]},writes=${s[W.writes]},wakeups=${s[W.wakeups]},local_errors=${s[W.localErrors]},` +
        `request_ring_high_water=${req.highWater},request_ring_full=${req.fullEvents},request_ring_notifies=${req.notifies},` +
        `reply_ring_high_water=${rep.highWater},reply_ring_full=${rep.fullEvents},reply_ring_notifies=${rep.notifies},` +
        `reply_overflow_bytes=${w.replies.queuedBytes},batches=${w.batches},` +
        `queued_usec_avg=${w.batches > 0 ? Math.round((w.queuedMs / w.batches) * 1000) : 0},queued_usec_max=${Math.round(w.queuedMaxMs * 1000)}`);
    }
    const wall = performance.now() - this.since;
    lines.push(`io_threaded_reads_processed:${reads}`, `io_threaded_writes_processed:${writes}`);
    lines.push(`executor_turns:${this.turns}`, `executor_busy_percent:${wall > 0 ? ((this.busyMs / wall) * 100).toFixed(2) : '0.00'}`);
    return lines;
  }

  /** A test hook: makes worker `index` crash (CLIENT/DEBUG-free; reached through the server). */
  crashWorker(index: number): void {
    this.workers[index]?.thread.postMessage({ type: 'crash' } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.policyTimer !== null) clearInterval(this.policyTimer);
    for (const l of this.locals) l.close();
    this.wakeSelf();
    await this.listeners.close();
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}
