/**
 * The ticker thread (see ticker.ts): sleeps until the generator's target time, rings the bell,
 * and waits for the next target. Reads GEN, STOP and TARGET;
 * writes BELL only.
 */

import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { BELL, GEN, SPIN_MS, STOP, TARGET } from './ticker.ts';

const i32 = new Int32Array(workerData as SharedArrayBuffer);
const f64 = new Float64Array(workerData as SharedArrayBuffer);
const now = (): number => performance.timeOrigin + performance.now();

while (Atomics.load(i32, STOP) === 0) {
  const gen = Atomics.load(i32, GEN);
  const target = f64[TARGET]!;
  if (!(target > 0)) {
    Atomics.wait(i32, GEN, gen, 1000);
    continue;
  }
  const wait = target - now();
  if (wait > SPIN_MS) {
    // Sleep; a new target (GEN changes) wakes us early.
    Atomics.wait(i32, GEN, gen, wait - SPIN_MS);
    continue;
  }
  while (now() < target && Atomics.load(i32, GEN) === gen) { /* the last few µs */ }
  if (Atomics.load(i32, GEN) !== gen) continue;
  Atomics.add(i32, BELL, 1);
  Atomics.notify(i32, BELL);
  // Until the generator sets its next target.
  Atomics.wait(i32, GEN, gen, 1000);
}
