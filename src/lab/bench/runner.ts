/**
 * The benchmark runner: takes a suite (data, src/lab/suites), starts its targets as fresh
 * processes, runs every cell's repetitions in an interleaved order, then the suite's curves and
 * scenarios, and returns a validated results object ("ringkv-bench/1").
 *
 * Order and fairness:
 * - repetition-major: repetition r of every cell runs before repetition r + 1 of any; inside a
 *   cell the target order rotates by r (A B C, B C A, C A B, …) — `schedule()`. Drift over the
 *   run (other jobs on a shared machine, thermal state) then lands on every target alike.
 * - every run starts from FLUSHALL; all targets are started once, up front, and idle while others
 *   are measured (idle ringkv and redis-server threads sleep).
 * - optional pinning (`taskset`): servers on the first half of the CPUs, clients on the rest
 *   (on 2 cores: server CPU 0, client CPU 1). The built-in generator runs in this process, so the
 *   harness pins itself (all threads) to the client CPUs.
 *
 * Per repetition: throughput, latency percentiles, errors (from the generator); server CPU per
 * thread from /proc/<pid>/task/<tid>/stat sampled every 100 ms, taken over the generator's
 * measured window (the last `durationMs` before it finished, so preload and warm-up are left
 * out); RSS at the end; ops per server CPU-second; the client's CPU and whether it was bound.
 */

import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Cell, Curve, Env, Rep, Results, Target } from '../results/schema.ts';
import { SCHEMA_ID, validateResults } from '../results/schema.ts';
import { isUnstable, statOf } from '../results/stats.ts';
import type { CellSpec, CurveSpec, Suite } from '../suites/suite.ts';
import { builtinGenerator, type LoadOptions, type LoadResult } from './builtin.ts';
import { sampleThreads, threadDelta, type ProcSample } from './proc.ts';
import type { Progress } from './progress.ts';
import { runRedisBenchmark } from './redis-benchmark.ts';
import { RespConn } from './resp.ts';
import { runHeadOfLine, runPubsubFanout, runWebSessions } from './scenarios.ts';
import {
  defaultTargetIds, describeTarget, externalTarget, onPath, parseTargetId, redisServerVersion, ROOT, startTarget,
  type RunningTarget,
} from './targets.ts';

export interface BenchOptions {
  suite: Suite;
  /** Overrides the suite's target ids. */
  targetIds?: string[];
  /** Overrides the suite's repetitions. */
  reps?: number;
  /** An already-running server instead of started targets (pid: sample its /proc when local). */
  external?: { host: string; port: number; pid?: number };
  taskset?: boolean;
  runId?: string;
  progress: Progress;
}

/** The order of targets for repetition `rep`: the list rotated left by rep (A B C, B C A, …). */
export function rotation<T>(items: readonly T[], rep: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const k = ((rep % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

export interface Step {
  cell: number;
  target: string;
  rep: number;
}

/** The interleaved schedule: repetition-major, each cell's targets rotated by the repetition. */
export function schedule(cellTargets: ReadonlyArray<readonly string[]>, reps: number): Step[] {
  const steps: Step[] = [];
  for (let rep = 0; rep < reps; rep++) {
    cellTargets.forEach((targets, cell) => {
      for (const target of rotation(targets, rep)) steps.push({ cell, target, rep });
    });
  }
  return steps;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The environment; `cores` is the machine's (taken before any pinning narrows this process's view). */
export function captureEnv(pinned: boolean, notes: string[], cores = os.availableParallelism()): Env {
  const loadavg = os.loadavg().map((x) => Math.round(x * 100) / 100);
  if (loadavg[0]! > cores * 0.5) notes.push(`the machine was busy when the run started (load average ${loadavg.join(' ')} on ${cores} cores): treat the figures as noisy`);
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    ringkvCommit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    ringkvDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    redisVersion: redisServerVersion(),
    hostname: os.hostname(),
    loadavg,
    pinned,
    notes,
  };
}

/** Samples a process's threads every `everyMs` until stopped; keeps the samples. */
class Sampler {
  readonly samples: ProcSample[] = [];
  private readonly timer: NodeJS.Timeout | null;
  private readonly pid: number;

  constructor(pid: number, everyMs = 100) {
    this.pid = pid;
    if (pid === 0) {
      this.timer = null;
      return;
    }
    this.samples.push(sampleThreads(pid));
    this.timer = setInterval(() => this.samples.push(sampleThreads(pid)), everyMs);
  }

  /** Stops; returns the first sample at or before `from` (performance.now()) and a final one. */
  stop(from: number): [ProcSample, ProcSample] | null {
    if (this.timer === null) return null;
    clearInterval(this.timer);
    const last = sampleThreads(this.pid);
    let first = this.samples[0]!;
    for (const s of this.samples) if (s.at <= from) first = s;
    return [first, last];
  }
}

function serverFigures(t: RunningTarget, window: [ProcSample, ProcSample] | null, durationMs: number, throughput: number): Rep['server'] {
  if (window === null) return { threads: [], cpuMs: 0, rssBytes: 0, opsPerCpuSec: 0 };
  const threads = threadDelta(window[0], window[1], t.spec.kind, t.pid, durationMs);
  const cpuMs = threads.reduce((a, x) => a + x.cpuMs, 0);
  return { threads, cpuMs, rssBytes: window[1].rssBytes, opsPerCpuSec: cpuMs > 0 ? throughput / (cpuMs / durationMs) : 0 };
}

async function flushAll(t: RunningTarget): Promise<void> {
  const c = await RespConn.connect(t.host, t.port);
  try {
    await c.ok('FLUSHALL');
  } finally {
    c.close();
  }
}

function loadOptions(t: RunningTarget, spec: CellSpec | CurveSpec, seed: number, rate?: number): LoadOptions {
  const p = spec.params;
  const o: LoadOptions = {
    host: t.host,
    port: t.port,
    workload: spec.workload,
    connections: p.connections,
    threads: p.threads ?? 1,
    pipeline: p.pipeline,
    durationMs: p.durationMs ?? 1000,
    warmupMs: p.warmupMs ?? 200,
    keyspace: p.keyspace,
    keyDist: p.keyDist ?? 'uniform',
    valueSize: p.valueSize,
    preload: p.preload ?? true,
    seed,
  };
  if (p.zipfS !== undefined) o.zipfS = p.zipfS;
  const r = rate ?? p.rate;
  if (r !== undefined) o.rate = r;
  return o;
}

/** One repetition of a cell against a target. */
async function runRep(t: RunningTarget, spec: CellSpec, rep: number, order: number, clientCpus: string | undefined): Promise<Rep> {
  await flushAll(t);
  const sampler = new Sampler(t.pid);
  if (spec.generator === 'redis-benchmark') {
    let r;
    try {
      r = await runRedisBenchmark({
        host: t.host, port: t.port, test: spec.workload, connections: spec.params.connections, pipeline: spec.params.pipeline,
        valueSize: spec.params.valueSize, requests: spec.params.requests ?? 100_000, keyspace: spec.params.keyspace,
        ...(clientCpus === undefined ? {} : { cpus: clientCpus }),
        ...(spec.params.maxMs === undefined ? {} : { maxMs: spec.params.maxMs }),
      });
    } catch (err) {
      sampler.stop(0);
      throw err;
    }
    // The whole process is the window: the sample taken before spawn to the one after exit.
    const window = sampler.stop(r.startedAt);
    const wall = window === null ? r.durationMs : window[1].at - window[0].at;
    return {
      rep, order, throughput: r.throughput, errors: r.errors, durationMs: r.durationMs, latencyUs: r.latencyUs, histogram: null,
      server: serverFigures(t, window, wall, r.throughput),
      client: { cpuMs: r.client.cpuMs, utilisation: r.client.utilisation, bound: r.client.bound },
    };
  }
  const { runLoad, reason } = await builtinGenerator();
  if (runLoad === null) {
    sampler.stop(0);
    throw new Error(reason);
  }
  let r: LoadResult;
  try {
    r = await runLoad(loadOptions(t, spec, 1000 + rep));
  } catch (err) {
    sampler.stop(0);
    throw err;
  }
  const window = sampler.stop(performance.now() - r.durationMs);
  return {
    rep, order, throughput: r.throughput, errors: r.errors, durationMs: r.durationMs, latencyUs: r.latencyUs, histogram: r.histogram,
    server: serverFigures(t, window, r.durationMs, r.throughput),
    client: { cpuMs: r.client.cpuMs, utilisation: r.client.utilisation, bound: r.client.bound },
  };
}

const kfmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));

function cellName(spec: CellSpec): string {
  const p = spec.params;
  return `${spec.workload}${spec.generator === 'redis-benchmark' ? ' (redis-benchmark)' : ''} c${p.connections} P${p.pipeline}${p.rate !== undefined ? ` @${p.rate}/s` : ''}`;
}

/** taskset CPU lists: servers on the first half of the CPUs, clients on the rest; null below 2 CPUs. */
export function cpuSplit(cores: number): { server: string; client: string } | null {
  if (cores < 2) return null;
  const half = Math.max(1, Math.floor(cores / 2));
  const range = (a: number, b: number): string => (a === b ? String(a) : `${a}-${b}`);
  return { server: range(0, half - 1), client: range(half, cores - 1) };
}

async function curveFor(t: RunningTarget, spec: CurveSpec, progress: Progress, notes: string[]): Promise<Curve | null> {
  const { runLoad, reason } = await builtinGenerator();
  if (runLoad === null) {
    notes.push(`curve ${spec.workload} on ${t.spec.id} skipped: ${reason}`);
    return null;
  }
  progress.start(`curve ${spec.workload} × ${t.spec.id}: closed-loop probe`);
  await flushAll(t);
  const probe = await runLoad(loadOptions(t, { ...spec, params: { ...spec.params, rate: undefined } } as CurveSpec, 7));
  progress.finish(`${kfmt(probe.throughput)} req/s`);
  const points: Curve['points'] = [];
  for (const f of spec.fractions) {
    const rate = Math.max(1, Math.round(probe.throughput * f));
    progress.start(`curve ${spec.workload} × ${t.spec.id}: ${kfmt(rate)}/s (${Math.round(f * 100)}%)`);
    await flushAll(t);
    const r = await runLoad(loadOptions(t, spec, 8, rate));
    points.push({ rate, throughput: r.throughput, latencyUs: { p50: r.latencyUs.p50, p99: r.latencyUs.p99, p999: r.latencyUs.p999 }, histogram: r.histogram });
    progress.finish(`${kfmt(r.throughput)} req/s, p99 ${(r.latencyUs.p99 / 1000).toFixed(2)} ms`);
  }
  return { target: t.spec.id, workload: spec.workload, p99BoundUs: spec.p99BoundUs, points, knee: kneeOf(points, spec.p99BoundUs) };
}

/** The knee: the highest offered rate whose p99 is within the bound (null when none is). */
export function kneeOf(points: Curve['points'], boundUs: number): Curve['knee'] {
  let best: Curve['knee'] = null;
  for (const p of points) if (p.latencyUs.p99 <= boundUs && (best === null || p.rate > best.rate)) best = { rate: p.rate, throughput: p.throughput };
  return best;
}

export function runIdNow(suite: string): string {
  return `${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${suite.replace(/[^\w.-]/g, '_')}`;
}

export async function runBench(o: BenchOptions): Promise<Results> {
  const { suite, progress } = o;
  const startedAt = new Date().toISOString();
  const notes: string[] = [];
  const reps = o.reps ?? suite.reps;
  const cores = os.availableParallelism();
  const pinning = o.taskset === true ? cpuSplit(cores) : null;
  if (o.taskset === true) {
    if (pinning === null) notes.push('--taskset ignored: fewer than 2 CPUs');
    else if (!onPath('taskset')) throw new Error('--taskset: taskset is not on PATH (util-linux)');
    else {
      execFileSync('taskset', ['-a', '-p', '-c', pinning.client, String(process.pid)], { stdio: 'ignore' });
      notes.push(`pinned: servers on CPU ${pinning.server}, clients (redis-benchmark, the built-in generator, this harness) on CPU ${pinning.client}`);
    }
  }
  const env = captureEnv(pinning !== null && o.taskset === true, notes, cores);

  // Targets: declared (available or not), then started.
  const running = new Map<string, RunningTarget>();
  const declared: Target[] = [];
  if (o.external !== undefined) {
    const ext = externalTarget(o.external.host, o.external.port, o.external.pid ?? 0);
    declared.push({ id: 'external', label: ext.spec.label, kind: 'external', ioThreads: 0, args: [`${o.external.host}:${o.external.port}`], available: true });
    running.set('external', ext);
  } else {
    for (const id of o.targetIds ?? suite.targets ?? defaultTargetIds(cores)) {
      const spec = parseTargetId(id);
      const t = describeTarget(spec);
      declared.push(t);
      if (!t.available) progress.note(`target ${spec.label}: not run — ${t.reason}`);
    }
  }
  const results: Results = {
    schema: SCHEMA_ID, runId: o.runId ?? runIdNow(suite.name), startedAt, finishedAt: startedAt, suite: suite.name,
    env, targets: declared, cells: [], curves: [], scenarios: {},
  };
  const live = (ids?: string[]): string[] => {
    const avail = declared.filter((t) => t.available).map((t) => t.id);
    if (o.external !== undefined) return avail;
    return ids === undefined ? avail : ids.filter((id) => avail.includes(id));
  };

  try {
    for (const t of declared) {
      if (!t.available || running.has(t.id)) continue;
      progress.note(`starting ${t.label}`);
      try {
        running.set(t.id, await startTarget(parseTargetId(t.id), pinning === null ? {} : { cpus: pinning.server }));
      } catch (err) {
        t.available = false;
        t.reason = `failed to start: ${(err as Error).message.split('\n')[0]}`;
        progress.note(`target ${t.label}: ${t.reason}`);
      }
    }

    // Warm-up, unmeasured: a fresh ringkv runs its first requests in V8's interpreter, so the
    // first cell of the schedule measured a cold server (the repeatability check caught it:
    // ringkv-1's first cell moved 12% between two runs, every later cell within its spread).
    // ~50k SETs and GETs per target brings its hot paths to optimised code first.
    if (onPath('redis-benchmark')) {
      for (const id of live()) {
        const t = running.get(id);
        if (t === undefined) continue;
        progress.note(`warming up ${id}`);
        await runRedisBenchmark({ host: t.host, port: t.port, test: 'set,get', connections: 50, pipeline: 1, valueSize: 64,
          requests: 50_000, keyspace: 10_000, maxMs: 5000 }).catch(() => {});
      }
    }

    // Steps: cells × reps, interleaved; then curves and scenarios (counted for the progress line).
    const cellTargets = suite.cells.map((c) => live(c.targets));
    const steps = schedule(cellTargets, reps);
    const curveSteps = (suite.curves ?? []).reduce((a, c) => a + live(c.targets).length * (1 + c.fractions.length), 0);
    const scen = (s: { targets?: string[] } | undefined): number => (s === undefined ? 0 : live(s.targets).length);
    progress.setTotal(steps.length + curveSteps + scen(suite.headOfLine) + scen(suite.pubsubFanout) + scen(suite.webSessions));

    const cellReps: Rep[][] = suite.cells.map(() => []);
    const cellRepsByTarget = suite.cells.map(() => new Map<string, Rep[]>());
    const failed = new Set<string>();
    let order = 0;
    for (const step of steps) {
      const spec = suite.cells[step.cell]!;
      const t = running.get(step.target)!;
      const what = `${cellName(spec)} × ${t.spec.id} rep ${step.rep + 1}/${reps}`;
      const key = `${step.cell}/${step.target}`;
      if (spec.generator === 'redis-benchmark' && !onPath('redis-benchmark')) {
        progress.start(what);
        progress.finish('skipped (redis-benchmark not on PATH)');
        if (!failed.has('redis-benchmark')) notes.push('redis-benchmark cells skipped: redis-benchmark not found on PATH');
        failed.add('redis-benchmark');
        continue;
      }
      if (spec.generator === 'builtin' && (await builtinGenerator()).runLoad === null) {
        progress.start(what);
        progress.finish('skipped (built-in generator unavailable)');
        if (!failed.has(`builtin`)) notes.push(`built-in generator cells skipped: ${(await builtinGenerator()).reason}`);
        failed.add('builtin');
        continue;
      }
      progress.start(what);
      try {
        const rep = await runRep(t, spec, step.rep, order++, pinning?.client);
        const list = cellRepsByTarget[step.cell]!.get(step.target) ?? [];
        list.push(rep);
        cellRepsByTarget[step.cell]!.set(step.target, list);
        cellReps[step.cell]!.push(rep);
        progress.finish(`${kfmt(rep.throughput)} req/s, p99 ${(rep.latencyUs.p99 / 1000).toFixed(2)} ms${rep.client.bound ? ' (client-bound)' : ''}${rep.errors > 0 ? `, ${rep.errors} errors` : ''}`);
      } catch (err) {
        const msg = (err as Error).message.split('\n')[0]!;
        progress.finish(`failed: ${msg}`);
        if (!failed.has(key)) notes.push(`${what} failed: ${msg}`);
        failed.add(key);
      }
    }
    suite.cells.forEach((spec, i) => {
      for (const target of cellTargets[i]!) {
        const repsOf = cellRepsByTarget[i]!.get(target) ?? [];
        if (repsOf.length === 0) continue;
        const throughput = statOf(repsOf.map((r) => r.throughput));
        const params: Cell['params'] = {};
        for (const [k, v] of Object.entries(spec.params)) if (v !== undefined) params[k] = v;
        results.cells.push({
          target, workload: spec.workload, generator: spec.generator, params, reps: repsOf,
          summary: {
            throughput,
            p50: statOf(repsOf.map((r) => r.latencyUs.p50)),
            p99: statOf(repsOf.map((r) => r.latencyUs.p99)),
            unstable: isUnstable(throughput),
          },
        });
      }
    });

    for (const spec of suite.curves ?? []) {
      for (const id of live(spec.targets)) {
        try {
          const c = await curveFor(running.get(id)!, spec, progress, notes);
          if (c !== null) results.curves.push(c);
        } catch (err) {
          progress.finish(`failed: ${(err as Error).message}`);
          notes.push(`curve ${spec.workload} on ${id} failed: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }

    const scenario = async <S extends { targets?: string[] }>(name: string, spec: S | undefined, run: (t: RunningTarget, s: S) => Promise<unknown>,
      line: (r: any) => string): Promise<void> => {
      if (spec === undefined) return;
      const byTarget: Record<string, unknown> = {};
      for (const id of live(spec.targets)) {
        progress.start(`${name} × ${id}`);
        try {
          const r = await run(running.get(id)!, spec);
          byTarget[id] = r;
          progress.finish(line(r));
        } catch (err) {
          const msg = (err as Error).message.split('\n')[0]!;
          byTarget[id] = { error: msg };
          progress.finish(`failed: ${msg}`);
          notes.push(`${name} on ${id} failed: ${msg}`);
        }
      }
      const { targets: _t, ...params } = spec;
      results.scenarios[name] = { params, byTarget };
    };
    const ms = (us: number): string => `${(us / 1000).toFixed(2)} ms`;
    await scenario('headOfLine', suite.headOfLine, runHeadOfLine,
      (r) => `GET p99 ${ms(r.baseline.getLatencyUs.p99)} alone, ${ms(r.keys.getLatencyUs.p99)} beside KEYS *, ${ms(r.scan.getLatencyUs.p99)} beside SCAN`);
    await scenario('pubsubFanout', suite.pubsubFanout, runPubsubFanout,
      (r) => `${r.delivered}/${r.expected} delivered, p50 ${ms(r.deliveryLatencyUs.p50)}, p99 ${ms(r.deliveryLatencyUs.p99)}`);
    await scenario('webSessions', suite.webSessions, runWebSessions,
      (r) => `${kfmt(r.throughput)} req/s, p99 ${ms(r.latencyUs.p99)}, ${r.errors + r.non2xx} errors`);
  } finally {
    progress.clear();
    await Promise.all([...running.values()].map((t) => t.stop()));
  }
  const endLoad = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  notes.push(`load average at the end: ${endLoad}`);
  results.finishedAt = new Date().toISOString();
  validateResults(results);
  return results;
}
