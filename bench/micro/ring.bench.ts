/**
 * Ring vs postMessage: how many small messages per second one producer thread can hand to the
 * main thread.
 *
 * Why: the threaded front-end moves every parsed command from an I/O worker to the executor,
 * and every reply back, through SharedArrayBuffer rings (src/io/threaded/ring.ts) instead of
 * postMessage. That choice is only worth its complexity (shared-memory layout, the bell
 * wake-up protocol, a full ring as a designed outcome) if the ring carries messages much
 * faster than Node's own channel. This file measures the three candidates with the same
 * producer and the same per-message consumer work (read the sequence number, check order):
 *
 *   ring c16       RingProducer.reserve + copy, commit() every 16 frames, the consumer
 *                  draining with RingConsumer.next/release and sleeping on its Bell exactly by
 *                  the protocol the executor uses (value, prepareSleep, wait, awake)
 *   post           one postMessage per message (structured clone of a fresh Uint8Array)
 *   post-batched   256 messages copied into one Uint8Array per postMessage: the strongest
 *                  use of postMessage (batching the way the ring commits in batches)
 *   ring c256      the ring committing every 256 frames: the same batch size as post-batched,
 *                  so the two differ only in transport, not in how often they publish
 *
 * at 32-byte messages (a GET command or a short reply) and 256-byte ones. Both sides copy a
 * message's bytes with TypedArray.prototype.set: Buffer.prototype.copy costs a native call per
 * message, which at 32 bytes made the ring look 2-3× slower than the transport really is.
 *
 * Reading the result: batching 256 messages per post is available to a benchmark, not to the
 * server: a worker's batch is what one socket read held (often one command), and it cannot wait
 * for more without adding latency. post-batched is the ceiling of postMessage, `post` is what it
 * gives at a batch of one; the ring gives its rate at every batch size and allocates nothing.
 *
 * Not a tinybench function: the work spans two threads, so each sample is a plain timed run
 * (main thread: from posting "go" to consuming the last message), after a warm-up run, repeated
 * several times on one long-lived producer thread; the median run is the headline. The ring is
 * 1 MiB, like the front-end's request ring (REQUEST_RING_BYTES in frontend.ts).
 *
 * Run alone: node bench/micro/ring.bench.ts
 */

import { Worker } from 'node:worker_threads';
import { Bell, createRing, RingConsumer } from '../../src/io/threaded/ring.ts';
import { printTable, timedRuns, type MicroResult } from './common.ts';
import type { ProducerInit } from './ring-producer.ts';

/** As frontend.ts's REQUEST_RING_BYTES (not exported there). */
const RING_BYTES = 1 << 20;
/** Messages per postMessage in post-batched, and frames per commit in the ring's c256 run. */
const BATCH = 256;

type Mode = ProducerInit['mode'];

export interface RingBenchOptions {
  repetitions: number;
  /** Messages per run, by mode (post is ~10× slower: fewer messages keep the run short). */
  messages: Record<Mode, number>;
}

export const DEFAULTS: RingBenchOptions = {
  repetitions: 7,
  messages: { ring: 2_000_000, post: 100_000, 'post-batched': 2_000_000 },
};

function seqAt(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function orderError(want: number, got: number): Error {
  return new Error(`message ${want} expected, got ${got}`);
}

/** Consumes n messages from the ring, sleeping on the bell whenever it is empty. */
async function drainRing(consumer: RingConsumer, bell: Bell, n: number): Promise<void> {
  const at = { offset: 0, length: 0 };
  const bytes = consumer.bytes;
  let got = 0;
  while (got < n) {
    while (consumer.next(at)) {
      const s = seqAt(bytes, at.offset);
      if (s !== got) throw orderError(got, s);
      got++;
    }
    consumer.release();
    if (got >= n) break;
    // The executor's sleep protocol (see Bell in ring.ts).
    const v = bell.value();
    if (!consumer.prepareSleep()) continue;
    await bell.wait(v);
    consumer.awake();
  }
}

async function scenario(mode: Mode, size: number, batch: number, opts: RingBenchOptions): Promise<MicroResult> {
  const n = opts.messages[mode];
  const init: ProducerInit = { mode, size, batch };
  let consumer: RingConsumer | null = null;
  const bell = new Bell(Bell.create());
  if (mode === 'ring') {
    init.ring = createRing(RING_BYTES);
    init.bell = bell.word.buffer as SharedArrayBuffer;
    consumer = new RingConsumer(init.ring);
  }
  const worker = new Worker(new URL('./ring-producer.ts', import.meta.url), { workerData: init });
  worker.on('error', (err) => { throw err; });
  // postMessage modes: one listener for the whole scenario; each run installs its `onRun`.
  let onRun: ((m: Uint8Array) => void) | null = null;
  worker.on('message', (m: Uint8Array) => onRun!(m));

  const once = async (): Promise<{ items: number; ms: number }> => {
    const t0 = performance.now();
    if (consumer !== null) {
      const done = drainRing(consumer, bell, n);
      worker.postMessage({ n });
      await done;
    } else {
      let got = 0;
      await new Promise<void>((resolve, reject) => {
        onRun = (m) => {
          for (let at = 0; at < m.length; at += size) {
            const s = seqAt(m, at);
            if (s !== got) reject(orderError(got, s));
            got++;
          }
          if (got === n) resolve();
        };
        worker.postMessage({ n });
      });
    }
    return { items: n, ms: performance.now() - t0 };
  };

  try {
    const statsBefore = consumer?.stats();
    const name = mode === 'ring' ? `ring c${batch} ${size}B` : `${mode} ${size}B`;
    const result = await timedRuns('ring', name, 'messages/s', { warmup: 1, repetitions: opts.repetitions }, once, size,
      { mode, messageBytes: size, messagesPerRun: n, ...(mode === 'ring' ? { commitEvery: batch, ringBytes: RING_BYTES } : {}),
        ...(mode === 'post-batched' ? { messagesPerPost: batch } : {}) });
    if (consumer !== null && statsBefore !== undefined) {
      // How often the wake-up protocol fired, over warm-up and runs together.
      const s = consumer.stats();
      const frames = s.frames - statsBefore.frames;
      result.params!.notifiesPerKFrames = Math.round(((s.notifies - statsBefore.notifies) * 1000 / frames) * 100) / 100;
      result.params!.consumerSleepsPerKFrames = Math.round(((s.waits - statsBefore.waits) * 1000 / frames) * 100) / 100;
      result.params!.ringFullEvents = s.fullEvents - statsBefore.fullEvents;
    }
    return result;
  } finally {
    await worker.terminate();
  }
}

export async function runRingBench(opts: RingBenchOptions = DEFAULTS): Promise<MicroResult[]> {
  const out: MicroResult[] = [];
  for (const size of [32, 256]) {
    out.push(await scenario('ring', size, 16, opts));
    out.push(await scenario('post', size, 1, opts));
    out.push(await scenario('post-batched', size, BATCH, opts));
    out.push(await scenario('ring', size, BATCH, opts));
  }
  return out;
}

if (import.meta.main) printTable(await runRingBench());
