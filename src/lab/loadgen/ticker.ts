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
 * shortly before the target, spins the last SPIN_MS, then rings a bell word that the generator
 * thread awaits with Atomics.waitAsync. The generator thread therefore sleeps in epoll like any
 * I/O-bound program: woken at once by replies, and by the bell (a uv_async wake-up) when the
 * next send is due.
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
/** The ticker wakes this long (ms) before the target and spins the rest. */
export const SPIN_MS = 0.1;

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

  /** Resolves at (or just after) `at`, on this thread's performance.now() clock. */
  wake(at: number): Promise<unknown> {
    const bell = Atomics.load(this.i32, BELL);
    this.f64[TARGET] = performance.timeOrigin + at;
    Atomics.add(this.i32, GEN, 1);
    Atomics.notify(this.i32, GEN);
    const r = Atomics.waitAsync(this.i32, BELL, bell);
    return r.async ? r.value : Promise.resolve();
  }

  async stop(): Promise<void> {
    Atomics.store(this.i32, STOP, 1);
    Atomics.add(this.i32, GEN, 1);
    Atomics.notify(this.i32, GEN);
    await this.worker.terminate();
  }
}
