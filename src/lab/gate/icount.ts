/**
 * The noise-free mode: instructions executed per iteration of a deterministic micro-workload
 * (bench/micro/icount.ts: parser, ring, executor), counted by `valgrind --tool=callgrind`.
 *
 * Why valgrind and not `perf stat -e instructions`: containers and CI runners commonly hide the
 * hardware counters (here `perf stat` reports "<not supported>"); callgrind simulates the CPU, so
 * it counts the same on any x86-64 machine under any load. It is slow (~50×), so the workloads
 * are small and start-up is kept out of it:
 *
 * - Type stripping is done beforehand, outside valgrind: stripTree() copies the workload script
 *   and the part of each tree it imports (following relative imports from the workload's entry
 *   modules) into a temp dir as plain .js, via node:module stripTypeScriptTypes. Besides saving
 *   most of a run (Node's stripper is WebAssembly), this is what allows --jitless: V8 without a
 *   JIT cannot run WebAssembly.
 * - NODE_FLAGS: --jitless (no tier-up, which depends on timing), --single-threaded (no GC helper
 *   threads), --predictable and fixed hash/random seeds. Repeated counts agree to well under
 *   0.01% on Node 26 (test/lab/gate-smoke.test.ts checks < 1%).
 * - Start-up that remains (Node itself, module loading; it depends on the tree) cancels by
 *   differencing two iteration counts: per iteration = (Ir(hi) − Ir(lo)) / (hi − lo).
 */

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './ab.ts';

export const NODE_FLAGS = ['--jitless', '--single-threaded', '--predictable', '--hash-seed=1', '--random-seed=1'];
export const WORKLOADS = ['parser', 'ring', 'executor'] as const;

/** Iteration pairs differenced per workload (an executor iteration costs several parser ones). */
export const ITERATIONS: Record<string, [number, number]> = { parser: [1, 4], ring: [1, 4], executor: [1, 3] };

/** The modules each workload imports from a tree (bench/micro/icount.ts). */
const ENTRIES: Record<string, string[]> = {
  parser: ['src/protocol/parser.ts'],
  ring: ['src/io/threaded/ring.ts'],
  executor: ['src/config/config.ts', 'src/engine/engine.ts'],
};

const RELATIVE_IMPORT = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g;

/**
 * Copies `entries` of `root` and everything they import relatively into `out` as type-stripped
 * .js (specifiers rewritten .ts → .js), with a package.json making them ES modules.
 */
export function stripTree(root: string, entries: readonly string[], out: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  const todo = [...entries];
  const seen = new Set<string>();
  while (todo.length) {
    const rel = path.normalize(todo.pop()!);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const src = readFileSync(path.join(root, rel), 'utf8');
    const js = stripTypeScriptTypes(src, { mode: 'strip' });
    for (const m of js.matchAll(RELATIVE_IMPORT)) todo.push(path.join(path.dirname(rel), `${m[3]}.ts`));
    const dest = path.join(out, rel.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(dest, js.replace(RELATIVE_IMPORT, (_, pre: string, q: string, spec: string) => `${pre}${q}${spec}.js${q}`));
  }
}

export function valgrindAvailable(): boolean {
  const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Instructions (callgrind "Collected") of one run of the stripped workload `script` against the stripped tree `root`. */
export async function countOnce(script: string, workload: string, iterations: number, root: string): Promise<number> {
  const node = path.join(ROOT, 'node_modules/.bin/node');
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
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ringkv-icount-'));
  try {
    // The workload script (from this checkout) and each distinct tree, stripped once.
    const script = path.join(tmp, 'entry', 'bench/micro/icount.js');
    stripTree(ROOT, ['bench/micro/icount.ts'], path.join(tmp, 'entry'));
    const stripped = new Map<string, string>();
    for (const root of roots) {
      if (stripped.has(root)) continue;
      const dir = path.join(tmp, `tree-${stripped.size}`);
      stripTree(root, workloads.flatMap((w) => ENTRIES[w] ?? []), dir);
      stripped.set(root, dir);
    }
    if (!existsSync(script)) throw new Error('stripping bench/micro/icount.ts failed');
    const jobs: Array<{ w: string; root: string; rep: number; lo: number; hi: number }> = [];
    for (let rep = 0; rep < repeats; rep++) for (const w of workloads) for (const root of roots) {
      const [lo, hi] = ITERATIONS[w] ?? [1, 4];
      jobs.push({ w, root, rep, lo, hi });
    }
    const counts = await pool(jobs.flatMap((j) => [
      () => countOnce(script, j.w, j.lo, stripped.get(j.root)!),
      () => countOnce(script, j.w, j.hi, stripped.get(j.root)!),
    ]), parallel);
    const out: PerIteration[] = [];
    jobs.forEach((j, i) => {
      let entry = out.find((e) => e.workload === j.w && e.root === j.root);
      if (!entry) out.push(entry = { workload: j.w, root: j.root, values: [] });
      entry.values.push((counts[2 * i + 1]! - counts[2 * i]!) / (j.hi - j.lo));
    });
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
