/**
 * The profile run's summary (profile/profile.json) and its Markdown (profile/profile.md): per
 * target and thread the CPU by category, the top functions, the sampler's figures, and the two
 * checks the issue asks for:
 *
 *   coverage   each profiled thread has ≥ 90% of its CPU in named categories (not "other")
 *   /proc      each thread's profiled CPU (cpuprofile.ts's weights; the 2-interval cap and the wall time
 *              are printed beside it) is within 10% of the CPU the kernel booked to that
 *              thread over the same interval (/proc/<pid>/task/<tid>/stat, sampled by the
 *              harness's own code); a threaded target's split of CPU across its threads agrees
 *              with /proc's split (each share within 10% of /proc's); and the threaded/single
 *              ratio of CPU per request agrees with the same ratio from /proc within 10%
 */

import { CATEGORIES, UNNAMED, type Category } from './categories.ts';
import type { FunctionTime } from './cpuprofile.ts';
import type { ProfileRunResult } from './run.ts';
import type { ThreadSamples } from './samples.ts';

export const COVERAGE_MIN = 0.9;
export const PROC_TOLERANCE = 0.1;
const TOP = 25;

export interface ThreadSummary {
  name: string;
  role: 'main' | 'io';
  threadId: number;
  tid: number | null;
  file: string;
  /** The profile's CPU estimate (cpuprofile.ts: late ticks at a native leaf count one typical tick, others ≤ 2 intervals). */
  busyMs: number;
  /** The same with every tick capped at 2 intervals (the estimate before the native-leaf rule), and uncapped (wall time not idle). */
  cap2Ms: number;
  wallBusyMs: number;
  idleMs: number;
  droppedMs: number;
  procCpuMs: number | null;
  /** ms the thread waited on a run queue in the window (schedstat): large = an oversubscribed machine. */
  runDelayMs: number | null;
  byCategory: Partial<Record<Category, number>>;
  namedShare: number;
  top: FunctionTime[];
  samples: Omit<ThreadSamples, 'series'> | null;
}

export interface TargetSummary {
  id: string;
  label: string;
  args: string[];
  pid: number;
  throughput: number;
  latencyUs: { p50: number; p99: number };
  windowMs: number;
  /** The measured window, µs CLOCK_MONOTONIC (the clock of the .cpuprofile ticks). */
  fromUs: number;
  toUs: number;
  /** Every thread of the server in /proc over the window: CPU and run-queue wait (schedstat), ms. */
  procThreads: { tid: number; name: string; cpuMs: number; runDelayMs: number | null }[];
  /** All of the server's threads in /proc over the window, and those no profile covers. */
  procTotalMs: number;
  procUnprofiledMs: number;
  threads: ThreadSummary[];
}

export interface ClinicOutcome {
  tool: string;
  ok: boolean;
  /** Relative to the profile directory. */
  html?: string;
  message: string;
}

export interface Check {
  what: string;
  value: number;
  limit: number;
  pass: boolean;
}

export interface ProfileSummary {
  schema: 'ringkv-profile/1';
  runId: string;
  workload: string;
  params: Record<string, number | string | boolean>;
  envLine: string;
  notes: string[];
  targets: TargetSummary[];
  checks: Check[];
  checkText: string;
  clinic: ClinicOutcome[];
}

export function summariseTarget(r: ProfileRunResult): TargetSummary {
  const threads: ThreadSummary[] = r.threads.map((t) => {
    const named = Object.entries(t.profile.byCategory).filter(([c]) => !UNNAMED.has(c as Category)).reduce((a, [, v]) => a + v, 0);
    const byCategory: Partial<Record<Category, number>> = {};
    for (const c of CATEGORIES) if (t.profile.byCategory[c] !== undefined) byCategory[c] = t.profile.byCategory[c];
    let samples: ThreadSummary['samples'] = null;
    if (t.samples !== null) {
      const { series: _series, ...rest } = t.samples;
      samples = rest;
    }
    return {
      name: t.name, role: t.role, threadId: t.threadId, tid: t.tid, file: t.file,
      busyMs: t.profile.busyMs, cap2Ms: t.profile.cap2Ms, wallBusyMs: t.profile.wallBusyMs, idleMs: t.profile.idleMs, droppedMs: t.profile.droppedMs, procCpuMs: t.procCpuMs, runDelayMs: t.runDelayMs,
      byCategory, namedShare: t.profile.busyMs > 0 ? named / t.profile.busyMs : 0,
      top: t.profile.functions.slice(0, TOP), samples,
    };
  });
  const profiledTids = new Set(threads.map((t) => t.tid));
  const procTotalMs = r.proc.reduce((a, p) => a + p.cpuMs, 0);
  return {
    id: r.spec.id, label: r.spec.label, args: r.spec.args, pid: r.pid,
    throughput: r.load.throughput, latencyUs: { p50: r.load.latencyUs.p50, p99: r.load.latencyUs.p99 },
    windowMs: r.windowMs, fromUs: r.fromUs, toUs: r.toUs, procTotalMs,
    procThreads: r.proc.map((p) => ({ tid: p.tid, name: p.name, cpuMs: p.cpuMs, runDelayMs: r.runDelayByTid.get(p.tid) ?? null })),
    procUnprofiledMs: r.proc.filter((p) => !profiledTids.has(p.tid)).reduce((a, p) => a + p.cpuMs, 0),
    threads,
  };
}

const rel = (a: number, b: number): number => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / b);

/** The checks, and a plain-text table of them (printed by `ringkv profile` and kept in the files). */
export function runChecks(targets: readonly TargetSummary[]): { checks: Check[]; text: string } {
  const checks: Check[] = [];
  const lines: string[] = [];
  const diff = (est: number, proc: number | null): number => (proc === null ? NaN : (est - proc) / Math.max(proc, 1e-9));
  const dtext = (d: number): string => (Number.isNaN(d) ? '–' : `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)}%`);
  lines.push(`${'target'.padEnd(18)} ${'thread'.padEnd(12)} ${'named'.padStart(7)} ${'/proc ms'.padStart(9)} ${'profile ms'.padStart(10)} ${'diff'.padStart(7)} ${'2-cap ms'.padStart(9)} ${'diff'.padStart(7)} ${'wall ms'.padStart(8)} ${'diff'.padStart(7)} ${'run-queue ms'.padStart(12)}`);
  for (const t of targets) {
    for (const th of t.threads) {
      checks.push({ what: `${t.id} ${th.name}: share of CPU in named categories`, value: th.namedShare, limit: COVERAGE_MIN, pass: th.namedShare >= COVERAGE_MIN });
      const d = diff(th.busyMs, th.procCpuMs);
      if (th.procCpuMs !== null) {
        checks.push({ what: `${t.id} ${th.name}: profiled CPU vs /proc`, value: Math.abs(d), limit: PROC_TOLERANCE, pass: Math.abs(d) <= PROC_TOLERANCE });
      }
      const ms = (x: number | null, w: number): string => (x === null ? '–' : x.toFixed(0)).padStart(w);
      lines.push(`${t.id.padEnd(18)} ${th.name.padEnd(12)} ${(th.namedShare * 100).toFixed(1).padStart(6)}% ${ms(th.procCpuMs, 9)} ${ms(th.busyMs, 10)} ${dtext(d).padStart(7)} ${ms(th.cap2Ms, 9)} ${dtext(diff(th.cap2Ms, th.procCpuMs)).padStart(7)} ${ms(th.wallBusyMs, 8)} ${dtext(diff(th.wallBusyMs, th.procCpuMs)).padStart(7)} ${ms(th.runDelayMs, 12)}`);
    }
  }
  // The split of each multi-threaded target's CPU across its threads: a global bias (a loaded
  // machine inflating or deflating every thread alike) cancels here.
  for (const t of targets) {
    if (t.threads.length < 2 || t.threads.some((x) => x.procCpuMs === null)) continue;
    const profTotal = t.threads.reduce((a, th) => a + th.busyMs, 0);
    const procTotal = t.threads.reduce((a, th) => a + th.procCpuMs!, 0);
    if (profTotal <= 0 || procTotal <= 0) continue;
    const parts = t.threads.map((th) => ({ name: th.name, prof: th.busyMs / profTotal, proc: th.procCpuMs! / procTotal }));
    const worst = Math.max(...parts.map((x) => rel(x.prof, x.proc)));
    checks.push({ what: `${t.id}: each thread's share of the profiled threads' CPU, profiled vs /proc`, value: worst, limit: PROC_TOLERANCE, pass: worst <= PROC_TOLERANCE });
    lines.push('', `${t.id} split of CPU across threads: ${parts.map((x) => `${x.name} ${(x.prof * 100).toFixed(1)}% (/proc ${(x.proc * 100).toFixed(1)}%)`).join(', ')}`);
  }
  const single = targets.find((t) => t.threads.length === 1);
  for (const t of targets) {
    if (single === undefined || t === single || t.threads.some((x) => x.procCpuMs === null) || single.threads[0]!.procCpuMs === null) continue;
    // CPU per request, so the two runs' different throughputs do not enter the ratio.
    const per = (x: TargetSummary, f: (th: ThreadSummary) => number): number => x.threads.reduce((a, th) => a + f(th), 0) / Math.max(1, x.throughput * x.windowMs / 1000);
    const prof = per(t, (th) => th.busyMs) / per(single, (th) => th.busyMs);
    const proc = per(t, (th) => th.procCpuMs!) / per(single, (th) => th.procCpuMs!);
    const d = rel(prof, proc);
    checks.push({ what: `${t.id} / ${single.id}: CPU per request, profiled vs /proc ratio`, value: d, limit: PROC_TOLERANCE, pass: d <= PROC_TOLERANCE });
    lines.push('', `${t.id} / ${single.id} CPU per request (profiled threads): profile ${prof.toFixed(3)}×, /proc ${proc.toFixed(3)}×  (differ by ${(d * 100).toFixed(1)}%)`);
  }
  lines.push('', 'profile ms: the profile\'s CPU estimate, the thread\'s non-idle ticks, a late tick counting at most one typical tick',
    'when its leaf is a native call (where preemption happens: writeBuffer, Atomics.notify …) and 2 intervals otherwise;',
    '2-cap ms: every tick capped at 2 intervals; wall ms: uncapped (wall time not idle). /proc ms: utime+stime of that',
    'thread over the same interval, measured independently (the profile is never scaled by it). Run-queue wait',
    '(schedstat) large next to /proc CPU means an oversubscribed machine, where a wall-clock sampler reads busy threads',
    'high; native work right after epoll is booked idle and reads low (threaded threads). On a shared machine expect',
    '±10–25% per thread per run; the split across threads is the robust check (docs/profiling.md).');
  const failed = checks.filter((c) => !c.pass);
  lines.push('', failed.length === 0
    ? `all ${checks.length} checks pass (named ≥ ${COVERAGE_MIN * 100}%, profile within ${PROC_TOLERANCE * 100}% of /proc)`
    : `${failed.length} of ${checks.length} checks fail: ${failed.map((c) => c.what).join('; ')}`);
  return { checks, text: lines.join('\n') };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The category shares per thread, every target side by side (Markdown rows; also used by the report). */
export function categoryTable(s: Pick<ProfileSummary, 'targets'>): string[] {
  const out: string[] = [];
  const cols = s.targets.flatMap((t) => t.threads.map((th) => ({ t, th })));
  out.push(`| category | ${cols.map(({ t, th }) => `${t.id} ${th.name}`).join(' | ')} |`);
  out.push(`|---|${cols.map(() => '---:').join('|')}|`);
  for (const c of CATEGORIES) {
    if (c === 'idle') continue;
    if (cols.every(({ th }) => (th.byCategory[c] ?? 0) === 0)) continue;
    out.push(`| ${c} | ${cols.map(({ th }) => (th.busyMs > 0 ? pct((th.byCategory[c] ?? 0) / th.busyMs) : '–')).join(' | ')} |`);
  }
  out.push(`| **profiled CPU, ms** | ${cols.map(({ th }) => th.busyMs.toFixed(0)).join(' | ')} |`);
  out.push(`| **/proc CPU, ms** | ${cols.map(({ th }) => (th.procCpuMs === null ? '–' : th.procCpuMs.toFixed(0))).join(' | ')} |`);
  return out;
}

export function renderProfileMarkdown(s: ProfileSummary): string {
  const out: string[] = [];
  out.push(`## ringkv profile — \`${s.workload}\`, run \`${s.runId}\``, '');
  out.push(`${s.envLine}.`, '');
  for (const n of s.notes) out.push(`> ${n}`);
  if (s.notes.length > 0) out.push('');
  out.push(`Load: ${Object.entries(s.params).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
  out.push('### Share of each thread’s CPU by category', '');
  const cols = s.targets.flatMap((t) => t.threads.map((th) => ({ t, th })));
  out.push(...categoryTable(s));
  out.push(`| event-loop utilisation | ${cols.map(({ th }) => (th.samples === null ? '–' : pct(th.samples.elu))).join(' | ')} |`);
  out.push(`| loop delay p99, ms | ${cols.map(({ th }) => (th.samples === null ? '–' : th.samples.delayP99Ms.toFixed(2))).join(' | ')} |`);
  out.push(`| GC pauses: n / ms | ${cols.map(({ th }) => (th.samples === null ? '–' : `${th.samples.gcCount} / ${th.samples.gcMs.toFixed(0)}`)).join(' | ')} |`, '');
  out.push('| target | req/s | p50 µs | p99 µs | server CPU ms (/proc, all threads) | not profiled ms |', '|---|---:|---:|---:|---:|---:|');
  for (const t of s.targets) out.push(`| ${t.label} | ${t.throughput.toFixed(0)} | ${t.latencyUs.p50.toFixed(0)} | ${t.latencyUs.p99.toFixed(0)} | ${t.procTotalMs.toFixed(0)} | ${t.procUnprofiledMs.toFixed(0)} |`);
  out.push('', '### Check against /proc', '', '```', s.checkText, '```', '');
  for (const t of s.targets) {
    for (const th of t.threads) {
      out.push(`### Top functions by self time — ${t.id} ${th.name}`, '', '| self ms | share | category | function | where |', '|---:|---:|---|---|---|');
      for (const f of th.top.slice(0, 10)) out.push(`| ${(f.selfUs / 1000).toFixed(1)} | ${pct(f.selfUs / 1000 / (th.busyMs || 1))} | ${f.cat} | \`${f.name.replace(/\|/g, '\\|')}\` | ${f.url === '' ? '(native)' : `${f.url}:${f.line}`} |`);
      out.push('');
    }
  }
  if (s.clinic.length > 0) {
    out.push('### clinic', '');
    for (const c of s.clinic) out.push(`- ${c.tool}: ${c.ok ? `[${c.html}](${c.html})` : c.message}`);
    out.push('');
  }
  out.push('Flame graphs per thread: [index.html](index.html).', '');
  return out.join('\n');
}
