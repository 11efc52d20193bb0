/**
 * `ringkv gate` — the CI performance gate. Three ways to get base and head numbers, one verdict
 * logic (verdict.ts), one set of outputs (output.ts):
 *
 *   ringkv gate --baseline <results.json|run-dir> <current results.json|run-dir>
 *       compare a run with a committed baseline, cell by cell (same target, workload, generator,
 *       params); refuses runs from different hardware (CPU model, cores, Node) unless
 *       --allow-different-hardware. No rerun is possible: a noisy cell stays inconclusive.
 *   ringkv gate --ab <base-ref> [<head-ref>]
 *       A/B in one job (ab.ts): worktrees of both refs (head defaults to "." — this checkout,
 *       uncommitted changes included), one server from each, redis-benchmark interleaved A B,
 *       B A, …; an inconclusive or regressed first round is rerun once and decided on the pooled
 *       repetitions. --head-env K=V / --base-env K=V set server environment (an injected
 *       regression: --head-env RINGKV_EXECUTOR_DELAY_US=20).
 *   ringkv gate --ab <base-ref> [<head-ref>] --icount
 *       instruction counts per iteration of the deterministic micro-workloads under callgrind
 *       (icount.ts): noise-free, so a 1% threshold means something on a shared machine.
 *
 * Thresholds, in percent of worsening: defaults throughput 5, p99 10, cpu (server CPU per
 * request, A/B only) 5, instructions 1; a
 * gate.config.json (--config, default ./gate.config.json when present) and --threshold
 * metric=pct override them; a metric whose threshold is "off" (or absent from a config's
 * "metrics" list) is not checked.
 *
 * Outputs: Markdown on stdout; gate.md, gate.json, gate.junit.xml in --out (default
 * results/gate-<time>/); GitHub Actions annotations on stdout when GITHUB_ACTIONS=true or
 * --annotations; the Markdown appended to $GITHUB_STEP_SUMMARY when set.
 * Exit codes: 0 pass, 1 regression, 2 inconclusive, 3 usage or infrastructure error.
 */

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cellKey } from '../report/analysis.ts';
import { hardwareDifferences } from '../report/compare.ts';
import { resultsPath } from '../report/index.ts';
import { readResults } from '../results/schema.ts';
import { prepareTree, ROOT, runRound, startBoth, type ABOptions, type Sample, type Tree } from './ab.ts';
import { perIteration, valgrindAvailable, WORKLOADS } from './icount.ts';
import { toAnnotations, toJson, toJUnit, toMarkdown, type GateReport } from './output.ts';
import { decide, DEFAULT_RULES, EXIT, overall, type CheckResult, type Rule, type Verdict } from './verdict.ts';

export const USAGE = `usage: ringkv gate --baseline <baseline results.json|run-dir> <current results.json|run-dir> [--allow-different-hardware]
       ringkv gate --ab <base-ref> [<head-ref>] [--reps N] [--requests N] [--tests get,set] [--clients N] [--pipeline N]
                   [--io-threads N] [--head-env K=V]... [--base-env K=V]... [--no-rerun]
       ringkv gate --ab <base-ref> [<head-ref>] --icount [--workloads parser,ring] [--repeats N]
  common: [--config gate.config.json] [--threshold metric=pct|off]... [--out DIR] [--annotations] [--quiet]
  head-ref "." (the default) is this checkout as it is; exit codes: 0 pass, 1 regression, 2 inconclusive, 3 error`;

export class UsageError extends Error {}

export interface GateConfig {
  /** Worsening allowed per metric, percent; null/"off" = not checked. */
  thresholds?: Record<string, number | null | 'off'>;
  ab?: Partial<Pick<ABOptions, 'tests' | 'reps' | 'requests' | 'connections' | 'pipeline' | 'valueSize' | 'keyspace' | 'warmupRequests'>> & { ioThreads?: number };
  icount?: { workloads?: string[]; repeats?: number };
}

export interface GateArgs {
  baseline?: string;
  current?: string;
  ab?: [string, string];
  icount: boolean;
  allowDifferentHardware: boolean;
  rerun: boolean;
  thresholds: Record<string, number | null>;
  ab_: ABOptions;
  workloads: string[];
  repeats: number;
  out: string;
  annotations: boolean;
  quiet: boolean;
}

function parseEnv(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new UsageError(`expected K=V, got "${s}"`);
  return [s.slice(0, i), s.slice(i + 1)];
}

function positiveInt(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} wants a positive integer`);
  return n;
}

export function parseGateArgs(argv: string[], cwd = process.cwd()): GateArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const valued = new Set(['--baseline', '--ab', '--reps', '--requests', '--tests', '--clients', '--pipeline', '--io-threads', '--head-env', '--base-env',
    '--config', '--threshold', '--out', '--workloads', '--repeats', '--value-size', '--keyspace']);
  const bare = new Set(['--icount', '--allow-different-hardware', '--no-rerun', '--annotations', '--quiet']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (valued.has(a)) {
      if (i + 1 >= argv.length) throw new UsageError(`${a} wants a value`);
      flags.set(a, [...(flags.get(a) ?? []), argv[++i]!]);
    } else if (bare.has(a)) flags.set(a, ['']);
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  const one = (k: string): string | undefined => flags.get(k)?.at(-1);
  const configPath = one('--config') ?? (existsSync(path.join(cwd, 'gate.config.json')) ? path.join(cwd, 'gate.config.json') : undefined);
  let config: GateConfig = {};
  if (configPath !== undefined) {
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8')) as GateConfig;
    } catch (err) {
      throw new UsageError(`cannot read ${configPath}: ${(err as Error).message}`);
    }
  }
  // p99 is off by default: between identical builds on 2 cores its 95% interval over 5 reps
  // spans ±20–80%, so at +10% it made 4 of 10 A/A comparisons inconclusive while throughput and
  // CPU per request made 1 (docs/gate-validation.md). Turn it on (--threshold p99=N) on a
  // dedicated runner with more reps.
  const thresholds: Record<string, number | null> = { throughput: 5, p99: null, p50: null, cpu: 5, instructions: 1 };
  const setThreshold = (metric: string, v: number | string | null): void => {
    if (!(metric in DEFAULT_RULES)) throw new UsageError(`unknown metric "${metric}" (${Object.keys(DEFAULT_RULES).join(', ')})`);
    if (v === null || v === 'off') thresholds[metric] = null;
    else {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`threshold for ${metric} wants a percentage >= 0 or "off"`);
      thresholds[metric] = n;
    }
  };
  for (const [m, v] of Object.entries(config.thresholds ?? {})) setThreshold(m, v);
  for (const t of flags.get('--threshold') ?? []) {
    const [m, v] = parseEnv(t);
    setThreshold(m, v);
  }
  const cab = config.ab ?? {};
  const abOpts: ABOptions = {
    tests: (one('--tests') ?? cab.tests?.join(',') ?? 'get,set').split(',').filter(Boolean),
    reps: one('--reps') ? positiveInt('--reps', one('--reps')) : cab.reps ?? 5,
    requests: one('--requests') ? positiveInt('--requests', one('--requests')) : cab.requests ?? 100_000,
    connections: one('--clients') ? positiveInt('--clients', one('--clients')) : cab.connections ?? 50,
    pipeline: one('--pipeline') ? positiveInt('--pipeline', one('--pipeline')) : cab.pipeline ?? 1,
    valueSize: one('--value-size') ? positiveInt('--value-size', one('--value-size')) : cab.valueSize ?? 64,
    keyspace: one('--keyspace') ? positiveInt('--keyspace', one('--keyspace')) : cab.keyspace ?? 100_000,
    serverArgs: [],
    baseEnv: Object.fromEntries((flags.get('--base-env') ?? []).map(parseEnv)),
    headEnv: Object.fromEntries((flags.get('--head-env') ?? []).map(parseEnv)),
    warmupRequests: cab.warmupRequests ?? 20_000,
  };
  const ioThreads = one('--io-threads') ? positiveInt('--io-threads', one('--io-threads')) : cab.ioThreads ?? 1;
  if (ioThreads > 1) abOpts.serverArgs.push('--io-threads', String(ioThreads));
  const workloads = (one('--workloads') ?? config.icount?.workloads?.join(',') ?? 'parser,ring').split(',').filter(Boolean);
  for (const w of workloads) if (!(WORKLOADS as readonly string[]).includes(w)) throw new UsageError(`unknown workload "${w}" (${WORKLOADS.join(', ')})`);

  const args: GateArgs = {
    icount: flags.has('--icount'),
    allowDifferentHardware: flags.has('--allow-different-hardware'),
    rerun: !flags.has('--no-rerun'),
    thresholds,
    ab_: abOpts,
    workloads,
    repeats: one('--repeats') ? positiveInt('--repeats', one('--repeats')) : config.icount?.repeats ?? 1,
    out: one('--out') ?? path.join(ROOT, 'results', `gate-${new Date().toISOString().replace(/[:.]/g, '-')}`),
    annotations: flags.has('--annotations') || process.env.GITHUB_ACTIONS === 'true',
    quiet: flags.has('--quiet'),
  };
  if (flags.has('--baseline') && flags.has('--ab')) throw new UsageError('--baseline and --ab are exclusive');
  if (flags.has('--baseline')) {
    if (positional.length !== 1) throw new UsageError('--baseline wants the current run as one more argument');
    args.baseline = one('--baseline');
    args.current = positional[0];
  } else if (flags.has('--ab')) {
    if (positional.length > 1) throw new UsageError('--ab takes a base ref and at most one head ref');
    args.ab = [one('--ab')!, positional[0] ?? '.'];
  } else throw new UsageError('say --baseline or --ab');
  if (args.icount && !args.ab) throw new UsageError('--icount goes with --ab <base-ref> [<head-ref>]');
  return args;
}

/** The rules in force: defaults with the configured thresholds; metrics switched off are absent. */
export function rulesOf(thresholds: Record<string, number | null>): Rule[] {
  return Object.entries(thresholds).filter(([, t]) => t !== null).map(([m, t]) => ({ ...DEFAULT_RULES[m]!, threshold: t! / 100 }));
}

function envNow(): GateReport['env'] {
  return { cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism(), node: process.version, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
}

const METRIC_OF_SAMPLE: Record<string, (s: Sample) => number> = { throughput: (s) => s.throughput, p50: (s) => s.p50Us, p99: (s) => s.p99Us, cpu: (s) => s.cpuUsPerOp };

/** Checks of one A/B sample set: per test × metric (instructions excluded). */
export function abChecks(samples: readonly Sample[], tests: readonly string[], rules: readonly Rule[]): CheckResult[] {
  const checks: CheckResult[] = [];
  let seed = 1;
  for (const test of tests) {
    for (const rule of rules) {
      const pick = METRIC_OF_SAMPLE[rule.metric];
      if (pick === undefined) continue;
      // Ordered by repetition, so base[i] and head[i] are the pair measured back to back.
      const of = (side: 'base' | 'head'): number[] => samples.filter((s) => s.test === test && s.side === side).sort((x, y) => x.rep - y.rep).map(pick);
      checks.push(decide(`${test.toUpperCase()} ${rule.metric}`, rule, of('base'), of('head'), seed++, true));
    }
  }
  return checks;
}

export interface RunHooks {
  log?: (s: string) => void;
}

/** A/B: worktrees, servers, interleaved rounds, at most one rerun. */
export async function runAbGate(a: GateArgs, hooks: RunHooks = {}): Promise<GateReport> {
  const log = hooks.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const rules = rulesOf(a.thresholds);
  const notes: string[] = [];
  const env = envNow();
  if (env.loadavg[0]! > env.cores * 0.5) notes.push(`The machine was busy at the start (load ${env.loadavg.join(' ')} on ${env.cores} cores); interleaving keeps the comparison fair, but intervals are wider.`);
  const trees: Tree[] = [];
  try {
    const base = prepareTree(a.ab![0], log);
    trees.push(base);
    const head = prepareTree(a.ab![1], log);
    trees.push(head);
    const o = a.ab_;
    if (Object.keys(o.headEnv).length) notes.push(`Head server environment: ${Object.entries(o.headEnv).map(([k, v]) => `${k}=${v}`).join(' ')}.`);
    if (Object.keys(o.baseEnv).length) notes.push(`Base server environment: ${Object.entries(o.baseEnv).map(([k, v]) => `${k}=${v}`).join(' ')}.`);
    const settings = { tests: o.tests.join(','), reps: o.reps, requests: o.requests, clients: o.connections, pipeline: o.pipeline, valueSize: o.valueSize, keyspace: o.keyspace, serverArgs: o.serverArgs.join(' ') };
    const report = (checks: CheckResult[], attempts: number, firstVerdict?: Verdict): GateReport => ({
      tool: 'ringkv-gate/1', mode: a.icount ? 'icount' : 'ab', verdict: overall(checks),
      base: { ref: a.ab![0], commit: base.commit }, head: { ref: a.ab![1] === '.' ? 'working tree' : a.ab![1], commit: head.commit },
      attempts, ...(firstVerdict ? { firstVerdict } : {}), checks, settings: a.icount ? { workloads: a.workloads.join(','), repeats: a.repeats } : settings,
      env, notes, startedAt, finishedAt: new Date().toISOString(),
    });

    if (a.icount) {
      if (!valgrindAvailable()) throw new Error('--icount needs valgrind (Debian: apt-get install valgrind)');
      const rule = rules.find((r) => r.metric === 'instructions') ?? { ...DEFAULT_RULES.instructions! };
      const counts = await perIteration(a.workloads, [base.dir, head.dir], a.repeats, Math.max(1, Math.min(2, os.availableParallelism())));
      const checks = a.workloads.map((w) => {
        const of = (dir: string): number[] => counts.find((c) => c.workload === w && c.root === dir)!.values;
        return decide(`${w} instructions/iteration`, rule, of(base.dir), of(head.dir));
      });
      for (const w of a.workloads) {
        for (const [side, dir] of [['base', base.dir], ['head', head.dir]] as const) {
          const v = counts.find((c) => c.workload === w && c.root === dir)!.values;
          if (v.length > 1) notes.push(`${w} ${side}: ${v.length} repeats spread ${((Math.max(...v) - Math.min(...v)) / Math.min(...v) * 100).toFixed(3)}%.`);
        }
      }
      return report(checks, 1);
    }

    const running = await startBoth(base, head, o);
    try {
      log(`servers: base :${running.base.port}, head :${running.head.port}; ${o.reps} interleaved reps × ${o.tests.join(',')} × ${o.requests} requests`);
      const samples = await runRound(running, o, 0, true, log);
      const first = abChecks(samples, o.tests, rules);
      const v1 = overall(first);
      if (v1 === 'pass' || !a.rerun) return report(first, 1);
      log(`first round ${v1}: rerunning once to confirm`);
      samples.push(...(await runRound(running, o, o.reps, false, log)));
      return report(abChecks(samples, o.tests, rules), 2, v1);
    } finally {
      await running.stop();
    }
  } finally {
    for (const t of trees.reverse()) t.cleanup();
  }
}

/** Baseline: a run against a committed results.json. */
export function runBaselineGate(a: GateArgs): GateReport {
  const startedAt = new Date().toISOString();
  const base = readResults(resultsPath(a.baseline!));
  const cur = readResults(resultsPath(a.current!));
  const diff = hardwareDifferences(base, cur);
  const notes: string[] = [];
  if (diff.length) {
    if (!a.allowDifferentHardware) throw new Error(`refusing to compare runs from different hardware (${diff.join('; ')}); pass --allow-different-hardware to compare anyway`);
    notes.push(`Different hardware, compared on request: ${diff.join('; ')}.`);
  }
  const rules = rulesOf(a.thresholds).filter((r) => r.metric !== 'instructions' && r.metric !== 'cpu');
  const pick: Record<string, (r: (typeof cur.cells)[number]['reps'][number]) => number> = {
    throughput: (r) => r.throughput, p50: (r) => r.latencyUs.p50, p99: (r) => r.latencyUs.p99,
  };
  const byKey = new Map(base.cells.map((c) => [cellKey(c), c]));
  const checks: CheckResult[] = [];
  let seed = 1;
  for (const c of cur.cells) {
    const b = byKey.get(cellKey(c));
    if (!b) {
      notes.push(`No baseline for ${c.workload} / ${c.target}: not checked.`);
      continue;
    }
    for (const rule of rules) {
      const f = pick[rule.metric];
      if (f) checks.push(decide(`${c.workload} / ${c.target} ${rule.metric}`, rule, b.reps.map(f), c.reps.map(f), seed++));
    }
  }
  if (checks.length === 0) throw new Error('no cell of the current run has a baseline cell (same target, workload, generator, params)');
  return {
    tool: 'ringkv-gate/1', mode: 'baseline', verdict: overall(checks),
    base: { ref: a.baseline!, commit: base.env.ringkvCommit }, head: { ref: a.current!, commit: cur.env.ringkvCommit },
    attempts: 1, checks, settings: {}, env: { cpuModel: cur.env.cpuModel, cores: cur.env.cores, node: cur.env.node, loadavg: cur.env.loadavg },
    notes, startedAt, finishedAt: new Date().toISOString(),
  };
}

/** Writes gate.md / gate.json / gate.junit.xml into `dir`; returns their paths. */
export function writeOutputs(r: GateReport, dir: string): { markdown: string; json: string; junit: string } {
  mkdirSync(dir, { recursive: true });
  const files = { markdown: path.join(dir, 'gate.md'), json: path.join(dir, 'gate.json'), junit: path.join(dir, 'gate.junit.xml') };
  writeFileSync(files.markdown, toMarkdown(r));
  writeFileSync(files.json, toJson(r));
  writeFileSync(files.junit, toJUnit(r));
  return files;
}

export async function gateMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return EXIT.pass;
  }
  let a: GateArgs;
  try {
    a = parseGateArgs(argv);
  } catch (err) {
    console.error(`ringkv gate: ${(err as Error).message}\n${USAGE}`);
    return EXIT.error;
  }
  const log = a.quiet ? () => {} : (s: string) => console.error(`gate: ${s}`);
  let report: GateReport;
  try {
    report = a.ab ? await runAbGate(a, { log }) : runBaselineGate(a);
  } catch (err) {
    console.error(`ringkv gate: ${(err as Error).message}`);
    if (a.annotations) console.log(`::error title=ringkv gate::${(err as Error).message.replace(/%/g, '%25').replace(/\r?\n/g, '%0A')}`);
    return EXIT.error;
  }
  const md = toMarkdown(report);
  const files = writeOutputs(report, a.out);
  console.log(md);
  if (a.annotations) for (const l of toAnnotations(report)) console.log(l);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${md}\n`);
  console.error(`gate: ${report.verdict}; wrote ${files.markdown}, ${files.json}, ${files.junit}`);
  return EXIT[report.verdict];
}
