/**
 * What a run's results say, computed once for both report.md and report.html: per cell the
 * medians and where the CPU went (executor/main thread, I/O workers, other server threads, the
 * load generator), per workload each target's throughput relative to a reference target with a
 * bootstrap confidence interval, the harness-driven scenarios (scenarios.ts), and the
 * plain-language findings.
 *
 * Busy shares are CPU time over the measured window (cpuMs / durationMs): 1.0 = one core fully
 * used. The executor (main thread) is "the limit" at ≥ 90% busy — it is single-threaded, so it
 * cannot go faster; below that its ceiling is throughput / busy share (a linear extrapolation:
 * what the executor would serve if everything else were free), reported as a multiple of the
 * measured throughput.
 */

import type { Cell, Results, Target } from '../results/schema.ts';
import { analyseScenarios, type ScenarioAnalysis } from './scenarios.ts';
import { bootstrapRatio, median, type RatioCI } from './stats.ts';

/** At or above this busy share a single-threaded component is called the limit. */
export const SATURATED = 0.9;

export interface CpuShare {
  /** CPU cores used on average over the measured window. */
  main: number;
  io: number;
  other: number;
  client: number;
}

export interface CellView {
  cell: Cell;
  key: string;
  target: Target | undefined;
  targetLabel: string;
  throughput: number[];
  p50: number[];
  p99: number[];
  cpu: CpuShare;
  rssBytes: number;
  opsPerCpuSec: number;
  clientBound: boolean;
  errors: number;
  /** Executor ceiling as a multiple of the measured throughput (1 / main busy); null when unknown. */
  ceiling: number | null;
}

export interface Comparison {
  workload: string;
  /** The reference target (denominator). */
  base: CellView;
  other: CellView;
  throughput: RatioCI;
  p99: RatioCI;
}

export interface Analysis {
  results: Results;
  cells: CellView[];
  workloads: string[];
  referenceTarget: string | null;
  comparisons: Comparison[];
  /** The harness-driven scenarios (head-of-line, pub/sub fan-out, web sessions); their findings are also in `findings`. */
  scenarios: ScenarioAnalysis;
  findings: string[];
}

/** Label of a cell inside its workload: the target, plus any params that distinguish cells. */
export function cellKey(c: Cell): string {
  const params = Object.entries(c.params).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
  return `${c.target}|${c.workload}|${c.generator}|${params}`;
}

function share(cpuMs: number[], durationMs: number[]): number {
  return median(cpuMs.map((c, i) => (durationMs[i]! > 0 ? c / durationMs[i]! : 0)));
}

export function viewCell(r: Results, cell: Cell, label: (c: Cell) => string): CellView {
  const target = r.targets.find((t) => t.id === cell.target);
  const dur = cell.reps.map((x) => x.durationMs);
  const sumRole = (role: 'main' | 'io' | 'other'): number[] =>
    cell.reps.map((x) => x.server.threads.filter((t) => t.role === role).reduce((a, t) => a + t.cpuMs, 0));
  const cpu: CpuShare = {
    main: share(sumRole('main'), dur),
    io: share(sumRole('io'), dur),
    other: share(sumRole('other'), dur),
    client: share(cell.reps.map((x) => x.client.cpuMs), dur),
  };
  return {
    cell,
    key: cellKey(cell),
    target,
    targetLabel: label(cell),
    throughput: cell.reps.map((x) => x.throughput),
    p50: cell.reps.map((x) => x.latencyUs.p50),
    p99: cell.reps.map((x) => x.latencyUs.p99),
    cpu,
    rssBytes: median(cell.reps.map((x) => x.server.rssBytes)),
    opsPerCpuSec: median(cell.reps.map((x) => x.server.opsPerCpuSec)),
    clientBound: cell.reps.filter((x) => x.client.bound).length * 2 > cell.reps.length,
    errors: cell.reps.reduce((a, x) => a + x.errors, 0),
    ceiling: cpu.main > 0 ? 1 / cpu.main : null,
  };
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function ratioText(c: RatioCI): string {
  return `${c.ratio.toFixed(2)}× (95% CI ${c.lo.toFixed(2)}–${c.hi.toFixed(2)})`;
}

/** The reference target for ratios: ringkv with one I/O thread when present, else the first available target. */
function pickReference(r: Results): string | null {
  const ok = r.targets.filter((t) => t.available && r.cells.some((c) => c.target === t.id));
  return (ok.find((t) => t.kind === 'ringkv' && t.ioThreads <= 1) ?? ok[0])?.id ?? null;
}

export function analyse(r: Results): Analysis {
  // Labels: the target's label, with params appended when one target has several cells in a workload.
  const counts = new Map<string, number>();
  for (const c of r.cells) counts.set(`${c.target}|${c.workload}`, (counts.get(`${c.target}|${c.workload}`) ?? 0) + 1);
  const label = (c: Cell): string => {
    const t = r.targets.find((x) => x.id === c.target)?.label ?? c.target;
    if ((counts.get(`${c.target}|${c.workload}`) ?? 0) < 2) return t;
    return `${t} (${Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
  };
  const cells = r.cells.filter((c) => c.reps.length > 0).map((c) => viewCell(r, c, label));
  const workloads = [...new Set(cells.map((c) => c.cell.workload))];
  const referenceTarget = pickReference(r);
  const comparisons: Comparison[] = [];
  const findings: string[] = [];
  const ref = r.targets.find((t) => t.id === referenceTarget);

  for (const w of workloads) {
    const inW = cells.filter((c) => c.cell.workload === w);
    for (const base of inW.filter((c) => c.cell.target === referenceTarget)) {
      const sameParams = (c: CellView): boolean => cellKey({ ...c.cell, target: '' }) === cellKey({ ...base.cell, target: '' });
      for (const other of inW.filter((c) => c.cell.target !== referenceTarget && sameParams(c))) {
        const cmp = {
          workload: w,
          base,
          other,
          throughput: bootstrapRatio(base.throughput, other.throughput, { seed: 1 }),
          p99: bootstrapRatio(base.p99, other.p99, { seed: 2 }),
        };
        comparisons.push(cmp);
        const t = cmp.throughput;
        const few = Math.min(base.throughput.length, other.throughput.length) < 3;
        const verdict = t.lo > 1 ? 'faster' : t.hi < 1 ? 'slower' : 'no clear difference';
        let line = `**${w}**: ${other.targetLabel} is ${ratioText(t)} ${base.targetLabel} in throughput (${few ? `looks ${verdict === 'no clear difference' ? 'the same' : verdict}; only ${Math.min(base.throughput.length, other.throughput.length)} reps, so the interval is only indicative` : verdict}); p99 ${ratioText(cmp.p99)}`;
        line += `; ${limitText(other)}.`;
        findings.push(line);
      }
    }
    for (const c of inW.filter((x) => x.cell.target === referenceTarget)) findings.push(`**${w}**: ${c.targetLabel}: ${limitText(c)}.`);
  }

  for (const c of cells) {
    if (c.cell.summary.unstable) findings.push(`${c.cell.workload} / ${c.targetLabel} is **unstable**: throughput varied ${pct(c.cell.summary.throughput.cv)} (coefficient of variation) across repetitions; treat its ratios with care.`);
    if (c.errors > 0) findings.push(`${c.cell.workload} / ${c.targetLabel} had **${c.errors} error replies**.`);
  }
  for (const t of r.targets.filter((x) => !x.available)) findings.push(`Target ${t.label} was not run: ${t.reason ?? 'unavailable'}.`);
  for (const cv of r.curves) {
    const lbl = r.targets.find((t) => t.id === cv.target)?.label ?? cv.target;
    findings.push(cv.knee
      ? `**${cv.workload}**: ${lbl} keeps p99 under ${cv.p99BoundUs} µs up to ${Math.round(cv.knee.rate)} req/s offered (${Math.round(cv.knee.throughput)} served) — the knee.`
      : `**${cv.workload}**: ${lbl} never kept p99 under ${cv.p99BoundUs} µs in the sweep (no knee).`);
  }
  const scenarios = analyseScenarios(r);
  findings.push(...scenarios.findings);
  const load = r.env.loadavg[0] ?? 0;
  if (r.env.cores > 0 && load > r.env.cores * 0.5 && !r.env.notes.some((n) => /busy/.test(n))) {
    findings.push(`The machine was busy when the run started (load average ${load.toFixed(2)} on ${r.env.cores} cores): absolute numbers are noisy; ratios from interleaved repetitions are the robust part.`);
  }
  if (ref === undefined && cells.length > 0) findings.push('No reference target: ratios are not computed.');
  return { results: r, cells, workloads, referenceTarget, comparisons, scenarios, findings };
}

/** Where the limit is, in words. */
export function limitText(c: CellView): string {
  if (c.clientBound) return `the load generator was saturated (client-bound, ${c.cpu.client.toFixed(2)} cores), so this measures the client more than the server`;
  if (c.cpu.main === 0) return 'no server CPU data (external server?)';
  const main = `the executor (main thread) was ${pct(c.cpu.main)} busy`;
  if (c.cpu.main >= SATURATED) return `${main}, so it is the limit`;
  const io = c.cpu.io > 0 ? `; the I/O workers used ${c.cpu.io.toFixed(2)} cores` : '';
  return `${main}${io}; the executor ceiling allows ${c.ceiling!.toFixed(1)}× this throughput, so the limit is elsewhere (client ${c.cpu.client.toFixed(2)} cores, or I/O)`;
}
