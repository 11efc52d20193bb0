/**
 * A sub-millisecond alarm clock for the open loop, without spinning the generator thread.
 *
 * Why: Node's timers have 1 ms granularity, and a round trip on loopback is ~30–100 µs, so a
 * request sent by setTimeout is late by up to a millisecond, which the intended-time latency
 * then (rightly) includes. Spinning the generator thread through the event loop instead keeps
 * time, but a thread that never sleeps loses the scheduler's favour on a busy machine (it is
 * preempted for whole time slices, and sends go out milliseconds late) and steals a core from
 * the server under test on a small one.
 *
 * How: a tiny helper thread sleeps in Atomics.wait (a futex with a fractional-ms timeout) until
 * the target, then rings a bell word that the generator thread awaits with Atomics.waitAsync.
 * The generator thread therefore sleeps in epoll like any I/O-bound program: woken at once by
 * replies, and by the bell (a uv_async wake-up) when the next send is due. Neither thread spins:
 * the futex's timer slack (~50 µs) and the wake-up path (~10–20 µs) are learnt as `lead` and the
 * bell is rung that much early; the generator waits out the few µs left, if any.
 *
 *   shared words (Int32Array over a SharedArrayBuffer; each word 64 bytes from the next)
 *   ┌──────────┬──────────┬──────────┬────────────────────┐
 *   │ GEN  [0] │ BELL[16] │ STOP[32] │ TARGET (f64 at 384) │
 *   └──────────┴──────────┴──────────┴────────────────────┘
 *   GEN, STOP, TARGET: written by the generator thread only (TARGET before GEN++).
 *   BELL: written by the ticker thread only (+1 per ring, then notify).
 *
 * A ring for a target the generator has since replaced is harmless: the generator's pump runs,
 * finds nothing due, and arms again.
 */

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export const GEN = 0;
export const BELL = 16;
export const STOP = 32;
/** Index of TARGET in a Float64Array over the same buffer (byte 384). */
export const TARGET = 48;
export const BYTES = 392;
/** Below this (ms) the ticker spins rather than sleeps: a futex wait that short is all overhead. */
export const SPIN_MS = 0.005;
/** The most the bell is rung ahead of the target (ms), whatever the observed wake-up delay. */
export const MAX_LEAD_MS = 0.2;

export class Ticker {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly worker: Worker;

  constructor() {
    const sab = new SharedArrayBuffer(BYTES);
    this.i32 = new Int32Array(sab);
    this.f64 = new Float64Array(sab);
    this.worker = new Worker(new URL('./ticker-worker.ts', import.meta.url), { workerData: sab });
    this.worker.unref();
  }

  /**
   * Resolves close to `at` (this thread's performance.now() clock): the bell is rung `lead` ms
   * early, where `lead` tracks (moving average) how late resolutions came against the rung
   * target (futex timer slack, the uv_async wake-up, the promise job), so this thread wakes on
   * time rather than that much late; the caller waits out the few µs left (see shard.ts's pump).
   */
  wake(at: number): Promise<void> {
    const target = at - this.lead;
    const bell = Atomics.load(this.i32, BELL);
    this.f64[TARGET] = performance.timeOrigin + target;
    Atomics.add(this.i32, GEN, 1);
    Atomics.notify(this.i32, GEN);
    const r = Atomics.waitAsync(this.i32, BELL, bell);
    if (!r.async) return Promise.resolve();
    return r.value.then(() => {
      const late = performance.now() - target;
      if (late >= 0) this.lead = Math.min(MAX_LEAD_MS, 0.9 * this.lead + 0.1 * late);
    });
  }

  /** How early the bell is rung (ms). */
  private lead = 0;

  async stop(): Promise<void> {
    Atomics.store(this.i32, STOP, 1);
    Atomics.add(this.i32, GEN, 1);
    Atomics.notify(this.i32, GEN);
    await this.worker.terminate();
  }
}
