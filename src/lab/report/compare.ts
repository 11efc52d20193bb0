/**
 * `ringkv report --compare <runA> <runB>`: per cell (same target, workload, generator and
 * params in both runs) how B differs from A — throughput and p99 as ratios B/A with 95%
 * bootstrap intervals of the ratio of medians, and the Mann–Whitney p-value of the throughput
 * repetitions. Cells present in only one run are listed, not dropped. A hardware difference
 * (CPU model, cores, Node) is stated at the top: the ratios then mix code and machine.
 * Scenario metrics (head-of-line GET p99 per phase and KEYS call time, pub/sub delivery
 * latency, web-session req/s and p99) present in both runs are listed as plain ratios (each
 * scenario runs once per target), with any head-of-line verdict that changed.
 */

import type { Results } from '../results/schema.ts';
import { cellKey } from './analysis.ts';
import { analyseScenarios, type ScenarioAnalysis } from './scenarios.ts';
import { bootstrapRatio, mannWhitney, type MannWhitney, type RatioCI } from './stats.ts';
import { fmt } from './svg.ts';

export interface CellDiff {
  key: string;
  target: string;
  workload: string;
  throughputA: number;
  throughputB: number;
  throughput: RatioCI;
  p99: RatioCI;
  mannWhitney: MannWhitney;
  /** 'better' / 'worse' when the throughput interval excludes 1, else 'same'. */
  direction: 'better' | 'worse' | 'same';
}

/** One scenario metric of one target in both runs (scenarios run once per target: a ratio, no interval). */
export interface ScenarioDiff {
  scenario: 'headOfLine' | 'pubsubFanout' | 'webSessions';
  target: string;
  metric: string;
  a: number;
  b: number;
  /** b / a (NaN when a is 0). */
  ratio: number;
}

export interface RunComparison {
  a: { runId: string; commit: string };
  b: { runId: string; commit: string };
  hardwareDiffers: string[];
  cells: CellDiff[];
  onlyA: string[];
  onlyB: string[];
  /** Scenario metrics present in both runs (optional for readers of older compare.json). */
  scenarios?: ScenarioDiff[];
  /** Head-of-line verdicts that differ between the runs, in words. */
  scenarioVerdicts?: string[];
}

/** The scenario metrics compared between runs, per target. */
function scenarioMetrics(s: ScenarioAnalysis): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of s.headOfLine?.rows ?? []) {
    if (!x.result) continue;
    m.set(`headOfLine|${x.target}|GET p99 alone µs`, x.result.baseline.getLatencyUs.p99);
    m.set(`headOfLine|${x.target}|GET p99 during KEYS * µs`, x.result.keys.getLatencyUs.p99);
    m.set(`headOfLine|${x.target}|GET p99 during SCAN µs`, x.result.scan.getLatencyUs.p99);
    m.set(`headOfLine|${x.target}|KEYS * call ms`, x.result.keys.blockerMeanMs);
  }
  for (const x of s.pubsubFanout?.rows ?? []) {
    if (!x.result) continue;
    m.set(`pubsubFanout|${x.target}|delivery p50 µs`, x.result.deliveryLatencyUs.p50);
    m.set(`pubsubFanout|${x.target}|delivery p99 µs`, x.result.deliveryLatencyUs.p99);
    m.set(`pubsubFanout|${x.target}|delivered`, x.result.delivered);
  }
  for (const x of s.webSessions?.rows ?? []) {
    if (!x.result) continue;
    m.set(`webSessions|${x.target}|req/s`, x.result.throughput);
    m.set(`webSessions|${x.target}|p99 µs`, x.result.latencyUs.p99);
  }
  return m;
}

export function compareScenarios(a: Results, b: Results): { diffs: ScenarioDiff[]; verdicts: string[] } {
  const sa = analyseScenarios(a);
  const sb = analyseScenarios(b);
  const mb = scenarioMetrics(sb);
  const diffs: ScenarioDiff[] = [];
  for (const [k, va] of scenarioMetrics(sa)) {
    const vb = mb.get(k);
    if (vb === undefined) continue;
    const [scenario, target, metric] = k.split('|') as [ScenarioDiff['scenario'], string, string];
    diffs.push({ scenario, target, metric, a: va, b: vb, ratio: va === 0 ? NaN : vb / va });
  }
  const verdicts: string[] = [];
  for (const ra of sa.headOfLine?.rows ?? []) {
    const rb = sb.headOfLine?.rows.find((x) => x.target === ra.target);
    if (!rb || !ra.result || !rb.result) continue;
    const say = (keys: boolean | null, scan: boolean | null): string => `KEYS * ${keys ? 'stalled' : 'did not stall'}, SCAN ${scan ? 'stalled' : 'did not'}`;
    if (ra.keysStalls !== rb.keysStalls || ra.scanStalls !== rb.scanStalls) {
      verdicts.push(`head-of-line on ${ra.label}: A: ${say(ra.keysStalls, ra.scanStalls)}; B: ${say(rb.keysStalls, rb.scanStalls)}.`);
    }
  }
  return { diffs, verdicts };
}

/** What differs between two runs' machines (empty: comparable). */
export function hardwareDifferences(a: Results, b: Results): string[] {
  const out: string[] = [];
  if (a.env.cpuModel !== b.env.cpuModel) out.push(`CPU model: ${a.env.cpuModel} vs ${b.env.cpuModel}`);
  if (a.env.cores !== b.env.cores) out.push(`cores: ${a.env.cores} vs ${b.env.cores}`);
  if (a.env.node !== b.env.node) out.push(`Node: ${a.env.node} vs ${b.env.node}`);
  return out;
}

export function compareRuns(a: Results, b: Results): RunComparison {
  const byKey = new Map(b.cells.map((c) => [cellKey(c), c]));
  const keysA = new Set(a.cells.map(cellKey));
  const cells: CellDiff[] = [];
  for (const ca of a.cells) {
    const cb = byKey.get(cellKey(ca));
    if (!cb || ca.reps.length === 0 || cb.reps.length === 0) continue;
    const ta = ca.reps.map((r) => r.throughput);
    const tb = cb.reps.map((r) => r.throughput);
    const throughput = bootstrapRatio(ta, tb, { seed: 11 });
    cells.push({
      key: cellKey(ca),
      target: ca.target,
      workload: ca.workload,
      throughputA: ca.summary.throughput.median,
      throughputB: cb.summary.throughput.median,
      throughput,
      p99: bootstrapRatio(ca.reps.map((r) => r.latencyUs.p99), cb.reps.map((r) => r.latencyUs.p99), { seed: 12 }),
      mannWhitney: mannWhitney(ta, tb),
      direction: throughput.lo > 1 ? 'better' : throughput.hi < 1 ? 'worse' : 'same',
    });
  }
  const sc = compareScenarios(a, b);
  return {
    a: { runId: a.runId, commit: a.env.ringkvCommit },
    b: { runId: b.runId, commit: b.env.ringkvCommit },
    hardwareDiffers: hardwareDifferences(a, b),
    cells,
    onlyA: a.cells.map(cellKey).filter((k) => !byKey.has(k)),
    onlyB: b.cells.map(cellKey).filter((k) => !keysA.has(k)),
    scenarios: sc.diffs,
    scenarioVerdicts: sc.verdicts,
  };
}

function signed(r: number): string {
  const d = (r - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}

export function compareMarkdown(c: RunComparison): string {
  const out = [`## ringkv benchmark comparison: \`${c.a.runId}\` (A, ${c.a.commit.slice(0, 12)}) → \`${c.b.runId}\` (B, ${c.b.commit.slice(0, 12)})`, ''];
  if (c.hardwareDiffers.length) out.push(`> **Different hardware**: ${c.hardwareDiffers.join('; ')}. Differences mix code and machine.`, '');
  out.push('| workload | target | A req/s | B req/s | throughput B/A (95% CI) | p99 B/A (95% CI) | Mann–Whitney p | |', '|---|---|---:|---:|---:|---:|---:|---|');
  for (const d of c.cells) {
    out.push(`| ${d.workload} | ${d.target} | ${fmt(d.throughputA)} | ${fmt(d.throughputB)} | ${signed(d.throughput.ratio)} (${signed(d.throughput.lo)} … ${signed(d.throughput.hi)}) | ` +
      `${signed(d.p99.ratio)} (${signed(d.p99.lo)} … ${signed(d.p99.hi)}) | ${d.mannWhitney.p.toFixed(3)} | ${d.direction === 'same' ? 'no clear difference' : d.direction} |`);
  }
  out.push('');
  if (c.onlyA.length) out.push(`Only in A: ${c.onlyA.map((k) => `\`${k}\``).join(', ')}`, '');
  if (c.onlyB.length) out.push(`Only in B: ${c.onlyB.map((k) => `\`${k}\``).join(', ')}`, '');
  if (c.scenarios?.length) {
    out.push('### Scenarios (one run per target in each run: ratios without intervals)', '');
    for (const v of c.scenarioVerdicts ?? []) out.push(`> **Verdict changed**: ${v}`, '');
    out.push('| scenario | target | metric | A | B | B/A |', '|---|---|---|---:|---:|---:|');
    for (const d of c.scenarios) out.push(`| ${d.scenario} | ${d.target} | ${d.metric} | ${fmt(d.a)} | ${fmt(d.b)} | ${Number.isFinite(d.ratio) ? `${d.ratio.toFixed(2)}×` : '–'} |`);
    out.push('');
  }
  out.push('<sub>Ratios of medians over repetitions with 95% bootstrap intervals; "better/worse" when the throughput interval excludes no change. Runs made at different times on a shared machine differ by drift as well as by code: for a decision use `ringkv gate --ab`, which interleaves both builds in one job.</sub>', '');
  return out.join('\n');
}
