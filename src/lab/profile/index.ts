/**
 * `ringkv profile` (also `ringkv bench --profile`, `make profile`): where each I/O mode spends
 * its time. Runs one scenario (default: the cache workload through the load generator) against
 * each chosen ringkv target in turn — by default io-threads 1 and io-threads 3 forced (every
 * client on an I/O thread) — with Node's CPU profiler on every thread and the server's per-thread
 * sampler on (run.ts), then writes into results/<run-id>/:
 *
 *   results.json            the run as the bench harness writes it (one cell per target), so
 *                           `ringkv report` works on it; the report links the profile
 *   report.md, report.html  that report
 *   profile/index.html      flame graph per thread, category shares side by side, top functions,
 *                           event-loop and GC figures, the /proc check (html.ts)
 *   profile/profile.md      the same tables in Markdown; profile/profile.json the summary
 *   profile/<target>/       the raw .cpuprofile per thread (open in Chrome DevTools or
 *                           speedscope) and samples.jsonl (the sampler's lines)
 *   profile/clinic/         clinic's HTML, with --clinic (optional; clinic.ts)
 *
 * Exit codes: 0 written (the checks' verdicts are printed and in profile.json; --strict makes a
 * failed check exit 1); 2 usage error; 1 the run failed.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureEnv, runIdNow } from '../bench/runner.ts';
import { parseTargetId, ROOT, type TargetSpec } from '../bench/targets.ts';
import type { LoadOptions } from '../loadgen/index.ts';
import { SCHEMA_ID, writeResults, type Cell, type Results } from '../results/schema.ts';
import { statOf } from '../results/stats.ts';
import { writeReport } from '../report/index.ts';
import { getWorkload } from '../workloads/index.ts';
import { CLINIC_TOOLS, findClinic, installClinic, runClinic } from './clinic.ts';
import type { TreeNode } from './cpuprofile.ts';
import { renderProfileHtml } from './html.ts';
import { profileTarget, type ProfileRunResult } from './run.ts';
import { renderProfileMarkdown, runChecks, summariseTarget, type ClinicOutcome, type ProfileSummary } from './summary.ts';

export const USAGE = `usage: ringkv profile [options]        (also: ringkv bench --profile [options])
  --workload NAME     the scenario's workload (default cache: GET/SET 80/20, zipf keys)
  --targets A,B       ringkv target ids (default ringkv-1,ringkv-3-forced): ringkv-1 (single),
                      ringkv-N-forced (io-threads N, every client on an I/O thread), ringkv-N (adaptive)
  --io-threads N      shorthand: --targets ringkv-1,ringkv-N-forced
  --duration S        measured seconds per target (default 10); --warmup S (default 1)
  --connections N     (default 50)  --threads N generator threads (default 1)  --pipeline N (default 1)
  --keyspace N        (default: the workload's)  --value-size N  --seed N
  --interval US       CPU profiler sampling interval, µs (default 1000)
  --sample-ms MS      event-loop/GC sampler period (default 250)
  --clinic T,…        also run clinic tools (${CLINIC_TOOLS.join(', ')}; optional, see docs/profiling.md)
  --clinic-install    install clinic on demand (into node_modules/.cache) when it is missing
  --out DIR           run directory (default results/<run-id>)
  --strict            exit 1 when a check fails
  --quiet             no progress lines`;

interface Options {
  workload: string;
  targets: string[];
  durationMs: number;
  warmupMs: number;
  connections: number;
  threads: number;
  pipeline: number;
  keyspace?: number;
  valueSize?: number;
  seed: number;
  intervalUs: number;
  sampleMs: number;
  clinic: string[];
  clinicInstall: boolean;
  out?: string;
  strict: boolean;
  quiet: boolean;
}

function parse(argv: string[]): Options {
  const o: Options = {
    workload: 'cache', targets: ['ringkv-1', 'ringkv-3-forced'], durationMs: 10_000, warmupMs: 1000, connections: 50, threads: 1,
    pipeline: 1, seed: 1, intervalUs: 1000, sampleMs: 250, clinic: [], clinicInstall: false, strict: false, quiet: false,
  };
  const want = (i: number): string => {
    const v = argv[i];
    if (v === undefined) throw new Error(`${argv[i - 1]} wants a value`);
    return v;
  };
  const num = (s: string, what: string, min = 1): number => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < min) throw new Error(`${what} wants a number >= ${min}, got "${s}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--workload': o.workload = want(++i); break;
      case '--targets': o.targets = want(++i).split(',').map((x) => x.trim()).filter((x) => x !== ''); break;
      case '--io-threads': o.targets = ['ringkv-1', `ringkv-${num(want(++i), a, 2)}-forced`]; break;
      case '--duration': o.durationMs = num(want(++i), a, 0.5) * 1000; break;
      case '--warmup': o.warmupMs = num(want(++i), a, 0) * 1000; break;
      case '--connections': o.connections = num(want(++i), a); break;
      case '--threads': o.threads = num(want(++i), a); break;
      case '--pipeline': o.pipeline = num(want(++i), a); break;
      case '--keyspace': o.keyspace = num(want(++i), a); break;
      case '--value-size': o.valueSize = num(want(++i), a, 0); break;
      case '--seed': o.seed = num(want(++i), a, 0); break;
      case '--interval': o.intervalUs = num(want(++i), a, 50); break;
      case '--sample-ms': o.sampleMs = num(want(++i), a, 10); break;
      case '--clinic': o.clinic = want(++i).split(',').map((x) => x.trim()).filter((x) => x !== ''); break;
      case '--clinic-install': o.clinicInstall = true; break;
      case '--out': o.out = want(++i); break;
      case '--strict': o.strict = true; break;
      case '--quiet': o.quiet = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  getWorkload(o.workload);
  for (const t of o.targets) {
    if (parseTargetId(t).kind !== 'ringkv') throw new Error(`target ${t}: profiling is for ringkv targets (Node's profilers)`);
  }
  for (const t of o.clinic) if (!(CLINIC_TOOLS as readonly string[]).includes(t)) throw new Error(`--clinic: unknown tool "${t}" (${CLINIC_TOOLS.join(', ')})`);
  return o;
}

function loadOf(o: Options): Omit<LoadOptions, 'host' | 'port'> {
  const w = getWorkload(o.workload);
  return {
    workload: o.workload, connections: o.connections, threads: o.threads, pipeline: o.pipeline, durationMs: o.durationMs, warmupMs: o.warmupMs,
    keyspace: o.keyspace ?? w.defaults.keyspace ?? 100_000, keyDist: w.defaults.keyDist ?? 'uniform', valueSize: o.valueSize ?? w.defaults.valueSize ?? 64,
    preload: true, seed: o.seed,
  };
}

function cellOf(r: ProfileRunResult, params: Cell['params'], order: number): Cell {
  const l = r.load;
  const cpuMs = r.proc.reduce((a, p) => a + p.cpuMs, 0);
  const scale = r.windowMs > 0 ? l.durationMs / r.windowMs : 1;
  const threads = r.proc.map((p) => ({ ...p, cpuMs: p.cpuMs * scale }));
  return {
    target: r.spec.id, workload: String(params.workload), generator: 'builtin', params,
    reps: [{
      rep: 0, order, throughput: l.throughput, errors: l.errors, durationMs: l.durationMs, latencyUs: l.latencyUs, histogram: l.histogram,
      server: { threads, cpuMs: cpuMs * scale, rssBytes: r.rssBytes, opsPerCpuSec: cpuMs > 0 ? l.throughput / (cpuMs * scale / l.durationMs) : 0 },
      client: { cpuMs: l.client.cpuMs, utilisation: l.client.utilisation, bound: l.client.bound },
    }],
    summary: { throughput: statOf([l.throughput]), p50: statOf([l.latencyUs.p50]), p99: statOf([l.latencyUs.p99]), unstable: false },
  };
}

export async function profileMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  let o: Options;
  try {
    o = parse(argv);
  } catch (err) {
    console.error(`ringkv profile: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const say = (s: string): void => {
    if (!o.quiet) process.stderr.write(`${s}\n`);
  };
  const runId = o.out === undefined ? runIdNow('profile') : path.basename(path.resolve(o.out));
  const dir = o.out === undefined ? path.join(ROOT, 'results', runId) : path.resolve(o.out);
  const profDir = path.join(dir, 'profile');
  mkdirSync(profDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const notes = ['profiled run: the CPU profiler and the sampler cost some throughput; compare modes within this run, not with bench runs'];
  const env = captureEnv(false, notes, os.availableParallelism());
  const load = loadOf(o);
  const params: Cell['params'] = {
    workload: o.workload, connections: load.connections, threads: load.threads, pipeline: load.pipeline, durationMs: load.durationMs,
    warmupMs: load.warmupMs, keyspace: load.keyspace, keyDist: load.keyDist, valueSize: load.valueSize, cpuProfIntervalUs: o.intervalUs,
  };
  const runs: ProfileRunResult[] = [];
  const specs: TargetSpec[] = o.targets.map(parseTargetId);
  try {
    for (const spec of specs) {
      say(`profiling ${spec.label}: ${o.workload}, ${o.connections} connections, ${o.durationMs / 1000} s…`);
      const r = await profileTarget({ spec, dir: path.join(profDir, spec.id), load, intervalUs: o.intervalUs, sampleMs: o.sampleMs });
      say(`  ${r.load.throughput.toFixed(0)} req/s, ${r.threads.length} thread profile(s)`);
      notes.push(...r.notes);
      runs.push(r);
    }
  } catch (err) {
    console.error(`ringkv profile: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
  const clinic: ClinicOutcome[] = [];
  if (o.clinic.length > 0) {
    let bin: string | { error: string } | null = findClinic();
    if (bin === null && o.clinicInstall) bin = installClinic(say);
    if (bin === null || typeof bin !== 'string') {
      const why = bin === null ? 'clinic is not installed (optional: add --clinic-install, or set RINGKV_CLINIC to its bin.js; see docs/profiling.md)' : bin.error;
      for (const t of o.clinic) clinic.push({ tool: t, ok: false, message: why });
      say(`clinic: ${why}`);
    } else {
      const loadArgs = ['--workload', o.workload, '--connections', String(o.connections), '--threads', String(o.threads), '--pipeline', String(o.pipeline),
        '--duration', String(o.durationMs / 1000), '--warmup', String(o.warmupMs / 1000), '--keyspace', String(load.keyspace), '--seed', String(o.seed)];
      for (const tool of o.clinic) {
        for (const spec of specs) {
          say(`clinic ${tool} on ${spec.label}…`);
          const c = await runClinic({ bin, tool, spec, dir: profDir, loadArgs, durationMs: o.durationMs + o.warmupMs });
          say(`  ${c.ok ? c.html : c.message}`);
          clinic.push(c);
        }
      }
    }
  }
  // The files.
  const targets = runs.map(summariseTarget);
  const { checks, text } = runChecks(targets);
  const trees = new Map<string, TreeNode>();
  for (const r of runs) for (const t of r.threads) trees.set(`${r.spec.id}/${t.name}`, t.profile.tree);
  const envLine = `${env.cpuModel} × ${env.cores} cores, Node ${env.node}, ringkv ${env.ringkvCommit.slice(0, 12)}${env.ringkvDirty ? ' (dirty)' : ''}, load average ${env.loadavg.join(' ')} at the start`;
  const summary: ProfileSummary = { schema: 'ringkv-profile/1', runId, workload: o.workload, params, envLine, notes, targets, checks, checkText: text, clinic };
  writeFileSync(path.join(profDir, 'profile.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(profDir, 'profile.md'), renderProfileMarkdown(summary));
  writeFileSync(path.join(profDir, 'index.html'), renderProfileHtml(summary, trees));
  const results: Results = {
    schema: SCHEMA_ID, runId, startedAt, finishedAt: new Date().toISOString(), suite: 'profile', env,
    targets: specs.map((s) => ({ id: s.id, label: s.label, kind: s.kind, ioThreads: s.ioThreads, args: s.args, available: true })),
    cells: runs.map((r, i) => cellOf(r, params, i)), curves: [],
    scenarios: { profile: { index: 'profile/index.html', markdown: 'profile/profile.md', summary: 'profile/profile.json' } },
  };
  writeResults(path.join(dir, 'results.json'), results);
  let report = '';
  try {
    const f = writeReport(dir);
    report = `\n${path.relative(process.cwd(), f.html) || f.html}`;
  } catch (err) {
    say(`report: ${(err as Error).message}`);
  }
  const rel = (p: string): string => path.relative(process.cwd(), p) || p;
  process.stdout.write(`\n${text}\n\nwrote ${rel(path.join(profDir, 'index.html'))}\n${rel(path.join(profDir, 'profile.md'))}${report}\n`);
  return o.strict && checks.some((c) => !c.pass) ? 1 : 0;
}
