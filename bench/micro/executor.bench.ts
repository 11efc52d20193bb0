/**
 * The executor ceiling: commands/s the main thread can drain from request rings when there is
 * no socket I/O at all — the most the threaded front-end can ever serve, however many I/O
 * workers it has.
 *
 * Why: threaded I/O takes reading, parsing and writing off the executor's thread; what is left
 * on it is this loop. The design is worth it only if this ceiling sits well above what the
 * single-threaded server does end to end (run.ts --e2e prints the ratio; the target is ≥ 3×).
 *
 * What one tinybench iteration times: the request ring (1 MiB, as the front-end's) has been
 * filled, untimed, with BATCH frames of BATCH_SIZE commands each, encoded by frames.ts
 * BatchEncoder and written by an Outbox — the same frames and the same code a worker uses —
 * from CLIENTS clients in turn. The iteration then drains the ring with the main-thread work of
 * src/io/threaded/frontend.ts: per turn, flush the reply Outbox, take at most
 * MAX_FRAMES_PER_TURN frames, and per frame handle() it — joiner.finish, the queue-time
 * bookkeeping, look the client up, then src/io/threaded/batch.ts executeBatch(), the very
 * function the front-end calls (decode, engine.execute per command, the batch's replies copied
 * once into a REPLY frame), then the closeAfterReply and AUTH checks — then release the request
 * ring and commit the reply ring. The turn loop around it is replicated from frontend.ts's
 * turn(); when that changes, change this copy with it.

 * Left out, on purpose: the event loop (the front-end runs one turn per setImmediate and sleeps
 * on its Bell when idle; a saturated executor does neither), and the worker's side of the reply
 * ring, which is consumed after each iteration, untimed ("the other side"). The reply ring
 * (4 MiB, as the front-end's) holds a whole iteration's replies, so it never fills and the
 * Outbox never queues; the benchmark checks both.
 *
 * Workload: redis-benchmark's own commands without -r, so it matches the e2e comparison:
 * GET key:__rand_int__ (a hit on a 64-byte value) and SET key:__rand_int__ <64 bytes>.
 *
 * Run alone: node bench/micro/executor.bench.ts
 */

import { Bench } from 'tinybench';
import { Config } from '../../src/config/config.ts';
import type { ClientConnection, ClientState } from '../../src/engine/client.ts';
import { Engine } from '../../src/engine/engine.ts';
import { executeBatch } from '../../src/io/threaded/batch.ts';
import { BatchEncoder, HEADER, Joiner, Outbox, preciseNow, Rep, Req } from '../../src/io/threaded/frames.ts';
import { Bell, createRing, RingConsumer, RingProducer } from '../../src/io/threaded/ring.ts';
import { fromTask, printTable, type MicroResult } from './common.ts';

/** As in frontend.ts (not exported there). */
const MAX_FRAMES_PER_TURN = 64;
const REQUEST_RING_BYTES = 1 << 20;
const REPLY_RING_BYTES = 1 << 22;
/** Commands per BATCH frame: one socket read of a client pipelining 16 (redis-benchmark -P 16). */
const BATCH_SIZE = 16;
/** Clients the frames come from, in turn (redis-benchmark -c 50). */
const CLIENTS = 50;
const KEY = 'key:__rand_int__';
const VALUE = 'x'.repeat(64);

/** A client whose connection is a ring away: everything arrives as REPLY frames instead. */
class BenchConnection implements ClientConnection {
  client!: ClientState;
  authRequired = false;
  deliver(): void {
    throw new Error('no pushes expected in this benchmark');
  }
  close(): void {}
  queryBufferLength(): number {
    return 0;
  }
  outputBufferLength(): number {
    return 0;
  }
}

/** One workload: an engine, a worker's pair of rings, and the loop that drains them. */
class ExecutorLoop {
  readonly engine = new Engine(new Config());
  private readonly conns = new Map<number, BenchConnection>();
  private readonly ids: number[] = [];
  /** Worker side: writes requests, reads replies. */
  private readonly requestOut: Outbox;
  private readonly replyIn: RingConsumer;
  /** Main side, as IoWorker in frontend.ts. */
  private readonly requests: RingConsumer;
  private readonly replies: Outbox;
  private readonly joiner = new Joiner();
  private readonly stats = new Float64Array(16);
  private bytesInSeen = 0;
  private dirty = false;
  private batches = 0;
  private queuedMs = 0;
  private queuedMaxMs = 0;
  private readonly body: Buffer;
  /** The first client, for setting up the keyspace. */
  readonly first: ClientState;
  /** Commands in the ring after fill(). */
  commands = 0;
  frames = 0;
  replyBytes = 0;
  /** Times the timed loop had to consume replies itself (0 when the reply ring is big enough). */
  inLoopReplyDrains = 0;

  constructor(argv: readonly string[]) {
    for (let i = 0; i < CLIENTS; i++) {
      const conn = new BenchConnection();
      conn.client = this.engine.connect(conn, `127.0.0.1:${40000 + i}`, '127.0.0.1:6379', -1);
      this.conns.set(conn.client.id, conn);
      this.ids.push(conn.client.id);
    }
    this.first = this.conns.get(this.ids[0]!)!.client;
    const requestRing = createRing(REQUEST_RING_BYTES);
    const replyRing = createRing(REPLY_RING_BYTES);
    this.requestOut = new Outbox(new RingProducer(requestRing, new Bell(Bell.create()).word));
    this.requests = new RingConsumer(requestRing);
    this.replies = new Outbox(new RingProducer(replyRing, new Bell(Bell.create()).word));
    this.replyIn = new RingConsumer(replyRing);
    const enc = new BatchEncoder();
    for (let i = 0; i < BATCH_SIZE; i++) enc.add(argv);
    this.body = Buffer.from(enc.body());
  }

  /** Worker side, untimed: fills the request ring with BATCH frames, round-robin over clients. */
  fill(): void {
    const out = this.requestOut;
    let frames = 0;
    while (out.ring.fits(HEADER + this.body.length)) {
      out.send(Req.BATCH, Req.PART, this.ids[frames % CLIENTS]!, this.body);
      frames++;
    }
    if (!out.empty) throw new Error('request Outbox queued a frame');
    out.commit();
    this.stats[0]! += frames * this.body.length; // the worker's bytesIn, as W.bytesIn
    this.frames = frames;
    this.commands = frames * BATCH_SIZE;
  }

  /** Worker side, untimed: takes every reply frame; returns the reply payload bytes. */
  consumeReplies(): number {
    const at = { offset: 0, length: 0 };
    const bytes = this.replyIn.bytes;
    let n = 0;
    while (this.replyIn.next(at)) {
      if (bytes[at.offset] !== Rep.REPLY) throw new Error(`unexpected reply frame kind ${bytes[at.offset]}`);
      n += at.length - HEADER - 4;
    }
    this.replyIn.release();
    return n;
  }

  /** The timed part: frontend.ts turn() until the request ring is empty. Returns frames handled. */
  drain(): number {
    let total = 0;
    const at = { offset: 0, length: 0 };
    for (;;) {
      // turn(), for the one worker.
      if (!this.replies.flush()) throw new Error('reply ring full');
      const bytesIn = this.stats[0]!;
      this.engine.stats.totalNetInputBytes += bytesIn - this.bytesInSeen;
      this.bytesInSeen = bytesIn;
      let frames = 0;
      while (frames < MAX_FRAMES_PER_TURN && this.replies.empty && this.requests.next(at)) {
        frames++;
        this.handle(at.offset, at.offset + at.length);
      }
      this.requests.release();
      if (this.dirty) {
        this.replies.commit();
        this.dirty = false;
      }
      if (!this.replies.empty) throw new Error('reply Outbox queued a frame');
      // turn() then commits every worker still dirty (a command may have written to another
      // worker's ring); with one worker, that is this one, just committed.
      if (this.dirty) {
        this.replies.commit();
        this.dirty = false;
      }
      total += frames;
      if (frames === 0) return total;
      // Only if the reply ring were too small for one iteration (it is not: see the header).
      if (this.replies.ring.used() > (REPLY_RING_BYTES / 4) * 3) {
        this.inLoopReplyDrains++;
        this.replyBytes += this.consumeReplies();
      }
    }
  }

  /** frontend.ts handle(), the BATCH case (the only kind a worker sends for this traffic). */
  private handle(start: number, end: number): void {
    const bytes = this.requests.bytes;
    const kind = bytes[start]!;
    const id = bytes.readUInt32LE(start + 4);
    const conn = this.conns.get(id);
    if (kind !== Req.BATCH) throw new Error(`unexpected request frame kind ${kind}`);
    const [b, s, e] = this.joiner.finish(id, bytes, start + HEADER, end);
    const queued = preciseNow() - b.readDoubleLE(s + 8);
    this.batches++;
    this.queuedMs += queued;
    if (queued > this.queuedMaxMs) this.queuedMaxMs = queued;
    if (conn === undefined) return;
    const c = conn.client;
    const engine = this.engine;
    // The very function frontend.ts runs for a BATCH (src/io/threaded/batch.ts).
    if (executeBatch(engine, c, this.replies, b, s, e)) this.dirty = true;
    if (c.closeAfterReply) this.control(Rep.CLOSE, id);
    // syncAuth(): the state the worker was last told, kept on the connection.
    const required = engine.authRequired(c);
    if (required !== conn.authRequired) {
      conn.authRequired = required;
      this.control(Rep.AUTH, id, Buffer.from([required ? 1 : 0]));
    }
  }

  /** frontend.ts control(); its markDirty() schedules nothing inside a turn. */
  private control(kind: number, clientId: number, body: Buffer = Buffer.alloc(0)): void {
    this.replies.send(kind, Rep.RPART, clientId, body);
    this.dirty = true;
  }
}

export interface ExecutorBenchOptions {
  /** tinybench time per task, ms (timed work only; the untimed fill adds to the wall time). */
  time: number;
}

export const DEFAULTS: ExecutorBenchOptions = { time: 2000 };

/** One workload; `expected` is the reply every command must get. */
function workload(name: string, argv: string[], expected: string, setup: string[][]): { name: string; loop: ExecutorLoop; check: () => void } {
  const loop = new ExecutorLoop(argv);
  for (const cmd of setup) loop.engine.execute(loop.first, cmd);
  loop.engine.takeReplies();
  const check = (): void => {
    // One untimed round: every command answered, with the reply the workload expects.
    loop.replyBytes = 0;
    loop.fill();
    const frames = loop.drain();
    const bytes = loop.replyBytes + loop.consumeReplies();
    if (frames !== loop.frames || bytes !== loop.commands * expected.length) {
      throw new Error(`${name}: ${frames}/${loop.frames} frames, ${bytes} reply bytes for ${loop.commands} × ${JSON.stringify(expected)}`);
    }
  };
  return { name, loop, check };
}

export async function runExecutorBench(opts: ExecutorBenchOptions = DEFAULTS): Promise<MicroResult[]> {
  const workloads = [
    workload('GET', ['GET', KEY], `$64\r\n${VALUE}\r\n`, [['SET', KEY, VALUE]]),
    workload('SET 64B', ['SET', KEY, VALUE], '+OK\r\n', []),
  ];
  const bench = new Bench({ name: 'executor', time: opts.time, warmupTime: 300, iterations: 10 });
  for (const w of workloads) {
    w.check();
    bench.add(w.name, () => {
      w.loop.drain();
    }, {
      beforeEach: () => w.loop.fill(),
      afterEach: () => {
        w.loop.replyBytes += w.loop.consumeReplies();
      },
    });
  }
  await bench.run();
  return bench.tasks.map((t) => {
    const w = workloads.find((x) => x.name === t.name)!;
    return fromTask('executor', t, 'commands/s', w.loop.commands, undefined, {
      framesPerIteration: w.loop.frames, commandsPerFrame: BATCH_SIZE, clients: CLIENTS, maxFramesPerTurn: MAX_FRAMES_PER_TURN,
      inLoopReplyDrains: w.loop.inLoopReplyDrains,
    });
  });
}

if (import.meta.main) printTable(await runExecutorBench());
