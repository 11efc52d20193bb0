/**
 * A/B in one job: two builds of ringkv measured interleaved on the same machine.
 *
 *   prepareTree(ref)   `git worktree add --detach` the ref into a temp dir, and give it
 *                      node_modules: a symlink to this checkout's when package-lock.json is
 *                      byte-identical (seconds instead of a full `npm ci`), else `npm ci`.
 *                      The special ref "." is this checkout as it is (uncommitted changes too).
 *   runAB(...)         starts one server from each tree (its own bin/ringkv-server, fresh temp
 *                      dir, free loopback port, optional extra env such as
 *                      RINGKV_EXECUTOR_DELAY_US for an injected regression), warms both up, then
 *                      runs redis-benchmark against them alternately — A B, B A, A B, … — so
 *                      drift on a shared machine (other jobs, thermal state, a GC-heavy
 *                      neighbour) lands on both sides alike; returns every repetition's numbers, including
 *                      the server's CPU time per request (from /proc), the metric that holds
 *                      up when the machine is shared: a busy neighbour takes CPU away from the
 *                      server (fewer requests/s) but barely changes what each request costs.
 *
 * Why our own driver rather than `ringkv bench` in each worktree: the base ref may predate the
 * lab, and the two harnesses must not differ; here only the server comes from each tree, and
 * the load generator, its settings and the schedule are one and the same for both.
 * redis-benchmark is the generator: it is C (its cost does not drift with our code), installed
 * wherever the differential tests run, and the harness's driver parses it
 * (src/lab/bench/redis-benchmark.ts).
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRedisBenchmark } from '../bench/redis-benchmark.ts';
import { freePort, stopProc } from '../bench/targets.ts';
import { waitForPong } from '../bench/resp.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Tree {
  ref: string;
  commit: string;
  dir: string;
  /** How node_modules was provided: 'symlink', 'npm ci', or 'own' (this checkout). */
  modules: 'symlink' | 'npm ci' | 'own';
  cleanup(): void;
}

function git(args: string[], cwd = ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function resolveCommit(ref: string): string {
  if (ref === '.') {
    const head = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return dirty ? `${head}+dirty` : head;
  }
  return git(['rev-parse', '--verify', `${ref}^{commit}`]);
}

/** A worktree of `ref` with node_modules, or this checkout for ".". */
export function prepareTree(ref: string, log: (s: string) => void = () => {}): Tree {
  if (ref === '.') return { ref: 'working tree', commit: resolveCommit('.'), dir: ROOT, modules: 'own', cleanup: () => {} };
  const commit = resolveCommit(ref);
  const parent = mkdtempSync(path.join(os.tmpdir(), 'ringkv-gate-'));
  const dir = path.join(parent, 'tree');
  git(['worktree', 'add', '--detach', '--force', dir, commit]);
  const cleanup = (): void => {
    try {
      git(['worktree', 'remove', '--force', dir]);
    } catch {
      // already gone; prune below
    }
    rmSync(parent, { recursive: true, force: true });
    try {
      git(['worktree', 'prune']);
    } catch {
      // nothing to prune
    }
  };
  try {
    const lockHere = path.join(ROOT, 'package-lock.json');
    const lockThere = path.join(dir, 'package-lock.json');
    const same = existsSync(lockHere) && existsSync(lockThere) && readFileSync(lockHere).equals(readFileSync(lockThere)) && existsSync(path.join(ROOT, 'node_modules'));
    let modules: Tree['modules'];
    if (same) {
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      modules = 'symlink';
    } else {
      log(`${ref}: package-lock.json differs from this checkout's; npm ci in its worktree`);
      const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npm ci in the worktree of ${ref} failed: ${(r.stderr || r.stdout).slice(-600)}`);
      modules = 'npm ci';
    }
    log(`${ref} → ${commit.slice(0, 12)} in ${dir} (node_modules: ${modules})`);
    return { ref, commit, dir, modules, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

export interface Server {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `<tree>/bin/ringkv-server` on a free port in a fresh temp dir. Persistence is switched
 * off with `--save '' --appendonly no` when the build knows those options; a build that refuses
 * them (one from before persistence) is started with the port alone.
 */
export async function startServer(tree: Tree, args: string[], env: Record<string, string>): Promise<Server> {
  const attempts = [['--save', '', '--appendonly', 'no'], []];
  let last = '';
  for (const extra of attempts) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-gate-srv-'));
    const port = await freePort();
    const proc = spawn(path.join(tree.dir, 'bin/ringkv-server'), ['--port', String(port), '--bind', '127.0.0.1', ...extra, ...args],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
    proc.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
    try {
      await waitForPong('127.0.0.1', port, 20000, () => proc.exitCode === null && proc.signalCode === null);
      return { port, pid: proc.pid!, stop: async () => { await stopProc(proc); rmSync(dir, { recursive: true, force: true }); } };
    } catch (err) {
      await stopProc(proc);
      rmSync(dir, { recursive: true, force: true });
      last = `${(err as Error).message}\n${out}`;
    }
  }
  throw new Error(`ringkv-server from ${tree.ref} did not start: ${last}`);
}

export interface ABOptions {
  /** redis-benchmark tests, e.g. ["get", "set"]. */
  tests: string[];
  reps: number;
  requests: number;
  connections: number;
  pipeline: number;
  valueSize: number;
  keyspace: number;
  /** Server arguments for both sides (e.g. --io-threads 2). */
  serverArgs: string[];
  baseEnv: Record<string, string>;
  headEnv: Record<string, string>;
  /** Requests per test in the untimed warm-up run on each side (JIT, allocations). */
  warmupRequests: number;
}

export interface Sample {
  side: 'base' | 'head';
  rep: number;
  order: number;
  test: string;
  throughput: number;
  p50Us: number;
  p99Us: number;
  /** Server CPU time per request, µs (all threads): robust to a busy machine, where throughput is not. */
  cpuUsPerOp: number;
  errors: number;
}

export interface Running {
  base: Server;
  head: Server;
  stop(): Promise<void>;
}

export async function startBoth(base: Tree, head: Tree, o: ABOptions): Promise<Running> {
  const b = await startServer(base, o.serverArgs, o.baseEnv);
  let h: Server;
  try {
    h = await startServer(head, o.serverArgs, o.headEnv);
  } catch (err) {
    await b.stop();
    throw err;
  }
  return { base: b, head: h, stop: async () => { await Promise.all([b.stop(), h.stop()]); } };
}

/**
 * CPU time (ns) the server's threads have run: the sum of /proc/<pid>/task/<tid>/schedstat's
 * first field (nanosecond on-CPU time), or utime + stime from /proc/<pid>/stat (10 ms ticks)
 * where schedstat is missing.
 */
export function serverCpuNs(pid: number): number {
  let total = 0;
  let ok = false;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'latin1').split(' ')[0]);
        ok = true;
      } catch {
        // the thread ended, or no schedstat
      }
    }
  } catch {
    return 0;
  }
  if (ok) return total;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 1e7;
  } catch {
    return 0;
  }
}

async function benchOnce(server: Server, test: string, requests: number, o: ABOptions): Promise<{ throughput: number; p50Us: number; p99Us: number; cpuUsPerOp: number; errors: number }> {
  const cpu0 = serverCpuNs(server.pid);
  const r = await runRedisBenchmark({ host: '127.0.0.1', port: server.port, test, connections: o.connections, pipeline: o.pipeline, valueSize: o.valueSize, requests, keyspace: o.keyspace });
  const cpuUsPerOp = (serverCpuNs(server.pid) - cpu0) / 1000 / Math.max(1, r.requests);
  return { throughput: r.throughput, p50Us: r.latencyUs.p50, p99Us: r.latencyUs.p99, cpuUsPerOp, errors: r.errors };
}

/**
 * One round of interleaved repetitions against running servers. Repetition i runs every test on
 * base then head when i is even, head then base when odd (ABBA…: a linear drift cancels out).
 */
export async function runRound(s: Running, o: ABOptions, firstRep: number, warm: boolean, progress: (s: string) => void = () => {}): Promise<Sample[]> {
  if (warm) {
    for (const test of o.tests) {
      await benchOnce(s.base, test, o.warmupRequests, o);
      await benchOnce(s.head, test, o.warmupRequests, o);
    }
  }
  const samples: Sample[] = [];
  let order = firstRep * 2;
  for (let rep = firstRep; rep < firstRep + o.reps; rep++) {
    const sides: Array<'base' | 'head'> = rep % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    for (const side of sides) {
      const server = side === 'base' ? s.base : s.head;
      for (const test of o.tests) {
        const r = await benchOnce(server, test, o.requests, o);
        samples.push({ side, rep, order, test, ...r });
      }
      order++;
    }
    progress(`rep ${rep + 1 - firstRep}/${o.reps}`);
  }
  return samples;
}
