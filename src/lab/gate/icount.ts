/**
 * The noise-free mode: instructions executed per iteration of a deterministic micro-workload
 * (bench/micro/icount.ts: parser, ring, executor), counted by `valgrind --tool=callgrind`.
 *
 * Why valgrind and not `perf stat -e instructions`: containers and CI runners commonly hide the
 * hardware counters (here `perf stat` reports "<not supported>"); callgrind simulates the CPU, so
 * it counts the same on any x86-64 machine under any load. It is slow (~50× plus Node start-up
 * under it, about 10 s a run for the parser workload), so the workloads are small.
 *
 * Determinism, measured on Node 26: with the flags in NODE_FLAGS — no optimising or baseline JIT
 * tiers (tier-up depends on timing), wasm Liftoff only (Node's TypeScript stripping runs in wasm,
 * so --jitless is not an option), --single-threaded (no GC helper threads), --predictable and
 * fixed hash/random seeds — repeated counts agree to about 0.002%. Start-up (loading and
 * stripping the sources) is most of a run and depends on the tree; it cancels by differencing
 * two iteration counts: per iteration = (Ir(hi) − Ir(lo)) / (hi − lo).
 */

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { ROOT } from './ab.ts';

export const NODE_FLAGS = ['--single-threaded', '--predictable', '--hash-seed=1', '--random-seed=1', '--no-opt', '--no-sparkplug', '--no-maglev', '--liftoff', '--no-wasm-tier-up'];
export const WORKLOADS = ['parser', 'ring', 'executor'] as const;

/** Iteration pairs differenced per workload (the executor's iteration is ~15× the parser's). */
export const ITERATIONS: Record<string, [number, number]> = { parser: [0, 10], ring: [0, 10], executor: [0, 4] };

export function valgrindAvailable(): boolean {
  const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Instructions (callgrind "Collected") of one run of the workload against the sources in `root`. */
export async function countOnce(workload: string, iterations: number, root: string): Promise<number> {
  const node = path.join(ROOT, 'node_modules/.bin/node');
  const script = path.join(ROOT, 'bench/micro/icount.ts');
  const proc = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', node, ...NODE_FLAGS, script,
    '--workload', workload, '--iterations', String(iterations), '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const [code] = (await once(proc, 'exit')) as [number | null];
  const m = /Collected : (\d+)/.exec(err);
  if (code !== 0 || m === null) throw new Error(`callgrind run of ${workload} (${iterations} iterations, ${root}) failed (exit ${code}): ${(err + out).slice(-600)}`);
  return Number(m[1]);
}

/** Runs tasks with at most `limit` at once (valgrind runs are single-threaded; use the cores). */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export interface PerIteration {
  workload: string;
  root: string;
  /** Instructions per iteration, one value per repeat. */
  values: number[];
}

/**
 * Instructions per iteration of each workload for each root, `repeats` times (repeats > 1 shows
 * the repeatability). Runs up to `parallel` valgrinds at once.
 */
export async function perIteration(workloads: readonly string[], roots: readonly string[], repeats: number, parallel: number): Promise<PerIteration[]> {
  const jobs: Array<{ w: string; root: string; rep: number; lo: number; hi: number }> = [];
  for (let rep = 0; rep < repeats; rep++) for (const w of workloads) for (const root of roots) {
    const [lo, hi] = ITERATIONS[w] ?? [0, 10];
    jobs.push({ w, root, rep, lo, hi });
  }
  const counts = await pool(jobs.flatMap((j) => [() => countOnce(j.w, j.lo, j.root), () => countOnce(j.w, j.hi, j.root)]), parallel);
  const out: PerIteration[] = [];
  jobs.forEach((j, i) => {
    let entry = out.find((e) => e.workload === j.w && e.root === j.root);
    if (!entry) out.push(entry = { workload: j.w, root: j.root, values: [] });
    entry.values.push((counts[2 * i + 1]! - counts[2 * i]!) / (j.hi - j.lo));
  });
  return out;
}
