/**
 * One profiled run of one ringkv target: start the server with Node's CPU profiler on for every
 * thread (`--cpu-prof`, through RINGKV_NODE_FLAGS, which bin/ringkv-server passes to node) and
 * the per-thread sampler on (RINGKV_PROFILE_SAMPLES), drive it with the load generator
 * (runLoad), sample its threads' CPU from /proc all along (src/lab/bench/proc.ts, the harness's
 * own sampler), stop it with SIGTERM (its shutdown path exits cleanly, which is when V8 writes
 * the profiles: one CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile per thread, main = 0),
 * then read everything back for the measured window only.
 *
 * The window: runLoad preloads, warms up, then measures for durationMs. The /proc sampler runs
 * every 100 ms from before the load; the window is [the last sample at or before the start of
 * the measurement, the sample taken right after runLoad returns]. Each sample also records
 * CLOCK_MONOTONIC µs (process.hrtime), the clock of the .cpuprofile ticks, so the profile is cut
 * to exactly the interval /proc measured: the two are independent measurements of one interval.
 * Each sample also reads every thread's run-queue wait (schedstat) and context switches (status):
 * not CPU, but how oversubscribed the machine was, printed beside the check and kept in
 * proc-samples.json.
 */

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLoad, type LoadOptions, type LoadResult } from '../loadgen/index.ts';
import { sampleThreads, threadDelta, type ProcSample } from '../bench/proc.ts';
import { startTarget, type TargetSpec } from '../bench/targets.ts';
import type { ServerThread } from '../results/schema.ts';
import { analyseProfile, readCpuProfile, type ThreadProfile } from './cpuprofile.ts';
import { readSamples, summariseSamples, threadNames, type ThreadSamples } from './samples.ts';

export interface ProfileRunOptions {
  spec: TargetSpec;
  /** Where this target's artefacts go (created). */
  dir: string;
  load: Omit<LoadOptions, 'host' | 'port'>;
  /** --cpu-prof-interval, µs. */
  intervalUs: number;
  /** Per-thread sampler period, ms. */
  sampleMs: number;
  cpus?: string;
}

export interface ProfiledThread {
  /** Kernel name in /proc (main thread: its comm, e.g. node-MainThread). */
  name: string;
  role: 'main' | 'io';
  threadId: number;
  tid: number | null;
  file: string;
  profile: ThreadProfile;
  /** /proc CPU of the same thread over the same interval; null when it was not found. */
  procCpuMs: number | null;
  /** Time the thread waited on a run queue over the interval (schedstat), ms; null when unknown. */
  runDelayMs: number | null;
  samples: ThreadSamples | null;
}

export interface ProfileRunResult {
  spec: TargetSpec;
  pid: number;
  load: LoadResult;
  /** The measured window (µs, CLOCK_MONOTONIC) and its length in ms. */
  fromUs: number;
  toUs: number;
  windowMs: number;
  threads: ProfiledThread[];
  /** Every thread /proc saw in the window (including V8's helper threads, which no profile covers). */
  proc: ServerThread[];
  /** Per tid in `proc`: its run-queue wait over the window (schedstat), ms. */
  runDelayByTid: Map<number, number>;
  rssBytes: number;
  notes: string[];
}

interface Stamped {
  proc: ProcSample;
  us: number;
  /** Per tid: ns waiting on a run queue (field 2 of /proc/<pid>/task/<tid>/schedstat). */
  runDelayNs: Map<number, number>;
  /** Per tid: [voluntary, involuntary] context switches (/proc/<pid>/task/<tid>/status). */
  switches: Map<number, [number, number]>;
}

function contextSwitches(pid: number): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const s = readFileSync(`/proc/${pid}/task/${t}/status`, 'latin1');
        const v = /\nvoluntary_ctxt_switches:\s+(\d+)/.exec(s);
        const n = /\nnonvoluntary_ctxt_switches:\s+(\d+)/.exec(s);
        if (v !== null && n !== null) m.set(Number(t), [Number(v[1]), Number(n[1])]);
      } catch {
        // the thread ended
      }
    }
  } catch {
    // no /proc
  }
  return m;
}

function runDelays(pid: number): Map<number, number> {
  const m = new Map<number, number>();
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        m.set(Number(t), Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'latin1').split(' ')[1]));
      } catch {
        // the thread ended
      }
    }
  } catch {
    // no /proc
  }
  return m;
}

function stamp(pid: number): Stamped {
  const us = Number(process.hrtime.bigint() / 1000n);
  return { proc: sampleThreads(pid), us, runDelayNs: runDelays(pid), switches: contextSwitches(pid) };
}

/**
 * The /proc samples of the window as data (kept beside the profiles so that other weightings of
 * the ticks can be checked against them later): per sample its CLOCK_MONOTONIC µs and, per tid,
 * utime+stime in clock ticks, run-queue wait in ns, and [voluntary, involuntary] context switches.
 */
function writeProcSamples(file: string, stamps: readonly Stamped[]): void {
  const rows = stamps.map((s) => ({
    us: s.us,
    ticks: Object.fromEntries([...s.proc.threads].map(([tid, t]) => [tid, t.ticks])),
    runDelayNs: Object.fromEntries(s.runDelayNs),
    switches: Object.fromEntries(s.switches),
  }));
  writeFileSync(file, `${JSON.stringify(rows)}\n`);
}

/** Runs the target under the profilers and returns what they saw over the measured window. */
export async function profileTarget(o: ProfileRunOptions): Promise<ProfileRunResult> {
  mkdirSync(o.dir, { recursive: true });
  const samplesFile = path.join(o.dir, 'samples.jsonl');
  const flags = `${process.env.RINGKV_NODE_FLAGS ?? ''} --cpu-prof --cpu-prof-dir=${o.dir} --cpu-prof-interval=${o.intervalUs}`.trim();
  const env = { ...process.env, RINGKV_NODE_FLAGS: flags, RINGKV_PROFILE_SAMPLES: samplesFile, RINGKV_PROFILE_SAMPLE_MS: String(o.sampleMs) };
  const target = await startTarget(o.spec, { env, ...(o.cpus === undefined ? {} : { cpus: o.cpus }) });
  const notes: string[] = [];
  const stamps: Stamped[] = [];
  let load: LoadResult;
  let window: [Stamped, Stamped];
  try {
    stamps.push(stamp(target.pid));
    const timer = setInterval(() => stamps.push(stamp(target.pid)), 100);
    try {
      load = await runLoad({ ...o.load, host: target.host, port: target.port });
    } finally {
      clearInterval(timer);
    }
    const last = stamp(target.pid);
    const from = Number(process.hrtime.bigint() / 1000n) - load.durationMs * 1000;
    let first = stamps[0]!;
    for (const s of stamps) if (s.us <= from) first = s;
    window = [first, last];
  } finally {
    // SIGTERM → the server's shutdown path → process.exit(0): V8 writes every thread's profile.
    await target.stop();
  }
  const [a, b] = window;
  const proc = threadDelta(a.proc, b.proc, 'ringkv', target.pid);
  const lines = readSamples(samplesFile);
  const names = threadNames(lines);
  const samples = summariseSamples(lines, a.us, b.us);
  const threads: ProfiledThread[] = [];
  for (const f of readdirSync(o.dir).filter((x) => x.endsWith('.cpuprofile')).sort()) {
    const m = /\.(\d+)\.(\d+)\.(\d+)\.cpuprofile$/.exec(f);
    if (m === null || Number(m[1]) !== target.pid) continue;
    const threadId = Number(m[2]);
    const profile = analyseProfile(readCpuProfile(path.join(o.dir, f)), a.us, b.us, o.intervalUs);
    const role = threadId === 0 ? 'main' : 'io';
    const sampled = names.get(threadId);
    const p = role === 'main'
      ? proc.find((t) => t.tid === target.pid)
      : proc.find((t) => t.name === sampled);
    if (p === undefined) notes.push(`${o.spec.id}: no /proc thread for profile ${f} (thread ${sampled ?? threadId})`);
    threads.push({
      name: role === 'main' ? 'main' : (sampled ?? `thread-${threadId}`),
      role,
      threadId,
      tid: p?.tid ?? null,
      file: f,
      profile,
      procCpuMs: p?.cpuMs ?? null,
      runDelayMs: p === undefined || !b.runDelayNs.has(p.tid) ? null : (b.runDelayNs.get(p.tid)! - (a.runDelayNs.get(p.tid) ?? 0)) / 1e6,
      samples: samples.find((s) => s.threadId === threadId) ?? null,
    });
  }
  const runDelayByTid = new Map<number, number>();
  for (const t of proc) if (b.runDelayNs.has(t.tid)) runDelayByTid.set(t.tid, (b.runDelayNs.get(t.tid)! - (a.runDelayNs.get(t.tid) ?? 0)) / 1e6);
  writeProcSamples(path.join(o.dir, 'proc-samples.json'), [...stamps.filter((s) => s.us >= a.us && s.us < b.us), b]);
  if (threads.length === 0) notes.push(`${o.spec.id}: the server wrote no .cpuprofile (did it exit cleanly?)`);
  threads.sort((x, y) => x.threadId - y.threadId);
  return {
    spec: o.spec, pid: target.pid, load: load!, fromUs: a.us, toUs: b.us, windowMs: (b.us - a.us) / 1000,
    threads, proc, runDelayByTid, rssBytes: b.proc.rssBytes, notes,
  };
}
