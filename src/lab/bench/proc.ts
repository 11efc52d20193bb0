/**
 * CPU and memory of processes from /proc (Linux): per-thread CPU of a server from
 * /proc/<pid>/task/<tid>/stat, RSS from /proc/<pid>/status, and the harness's own children's CPU
 * (redis-benchmark's, once it has been waited for) from /proc/self/stat.
 *
 * A measurement is two samples and their difference: `sampleThreads` before and after the
 * window, `threadDelta` in between. Thread names are the kernel's `comm` (15 bytes at most):
 *
 *   ringkv (Node)     node-MainThread (tid = pid: the executor), io-thread-N (our I/O workers,
 *                     named by src/io/threaded/frontend.ts), node-V8Worker (GC/compiler helpers),
 *                     libuv-worker, DelayedTaskSche, SignalInspector … → other
 *   redis-server      redis-server (tid = pid), io_thd_N (its I/O threads), bio_*, jemalloc_bg_thd → other
 *
 * Off Linux (no /proc) every function returns empty samples rather than failing: the run still
 * has throughput and latency, and the results say the CPU columns are empty.
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ServerThread, ThreadRole } from '../results/schema.ts';

let clkTck = 0;
/** Kernel clock ticks per second (USER_HZ), the unit of /proc CPU times. */
export function clockTicks(): number {
  if (clkTck === 0) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** Fields of a /proc stat line after the `(comm)`; index 0 is the state (field 3 of proc(5)). */
function statFields(text: string): { comm: string; f: string[] } {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  return { comm: text.slice(open + 1, close), f: text.slice(close + 2).split(' ') };
}

export interface ThreadTicks {
  name: string;
  ticks: number;
}

export interface ProcSample {
  /** performance.now() when taken. */
  at: number;
  threads: Map<number, ThreadTicks>;
  rssBytes: number;
}

/** One sample of every thread of `pid` (utime + stime in ticks) and the process's RSS. */
export function sampleThreads(pid: number): ProcSample {
  const threads = new Map<number, ThreadTicks>();
  let rssBytes = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const { comm, f } = statFields(readFileSync(`/proc/${pid}/task/${t}/stat`, 'latin1'));
        threads.set(Number(t), { name: comm, ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        // the thread ended between readdir and read
      }
    }
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    rssBytes = m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    // no /proc, or the process is gone
  }
  return { at: performance.now(), threads, rssBytes };
}

/** The role of a thread of a server of `kind`, from its tid and name (see the table above). */
export function threadRole(kind: 'ringkv' | 'redis' | 'external', pid: number, tid: number, name: string): ThreadRole {
  if (tid === pid) return 'main';
  if (kind === 'ringkv' && /^io-thread-\d+$/.test(name)) return 'io';
  if (kind === 'redis' && /^io_thd_\d+$/.test(name)) return 'io';
  return 'other';
}

/**
 * Per-thread CPU between two samples, scaled to `windowMs` (the measured window may be a little
 * shorter than the sampling interval: CPU is taken as a rate over the interval times the window).
 * Threads that appeared after `a` count from zero; threads that ended are lost (their CPU
 * with them), which for servers under test does not happen.
 */
export function threadDelta(a: ProcSample, b: ProcSample, kind: 'ringkv' | 'redis' | 'external', pid: number, windowMs?: number): ServerThread[] {
  const interval = b.at - a.at;
  const scale = windowMs === undefined || interval <= 0 ? 1 : windowMs / interval;
  const msPerTick = 1000 / clockTicks();
  const out: ServerThread[] = [];
  for (const [tid, t] of b.threads) {
    const before = a.threads.get(tid)?.ticks ?? 0;
    out.push({ tid, name: t.name, role: threadRole(kind, pid, tid, t.name), cpuMs: Math.max(0, (t.ticks - before) * msPerTick * scale) });
  }
  return out.sort((x, y) => x.tid - y.tid);
}

/** CPU (ms) of this process's children that have been waited for (cutime + cstime). */
export function childrenCpuMs(): number {
  try {
    const { f } = statFields(readFileSync('/proc/self/stat', 'latin1'));
    return (Number(f[13]) + Number(f[14])) * 1000 / clockTicks();
  } catch {
    return 0;
  }
}

/** CPU (ms) of this process, all threads (user + system). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
