/**
 * The gate's outputs, all from one GateReport: Markdown (a step summary / PR comment), JUnit XML
 * (one test case per check: a regression is a <failure>, an inconclusive check is <skipped>),
 * GitHub Actions workflow commands (`::error::` per regression, `::warning::` per inconclusive
 * or wide check, `::notice::` for the verdict), and JSON (the report itself).
 */

import { changeText, thresholdText, type CheckResult, type Verdict } from './verdict.ts';

export interface Side {
  /** What the user named: a git ref, "working tree", or a results.json path. */
  ref: string;
  commit: string;
}

export interface GateReport {
  tool: 'ringkv-gate/1';
  mode: 'baseline' | 'ab' | 'icount';
  verdict: Verdict;
  base: Side;
  head: Side;
  /** Measurement rounds: 2 when an inconclusive or regressed first round was rerun and pooled. */
  attempts: number;
  /** The first round's verdict when it was rerun. */
  firstVerdict?: Verdict;
  checks: CheckResult[];
  settings: Record<string, string | number | boolean>;
  env: { cpuModel: string; cores: number; node: string; loadavg: number[] };
  notes: string[];
  startedAt: string;
  finishedAt: string;
}

const ICON: Record<Verdict, string> = { pass: '✅ pass', regression: '❌ regression', inconclusive: '⚠️ inconclusive' };

function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number(n.toPrecision(4)).toString();
}

export function toMarkdown(r: GateReport): string {
  const out = [`## ringkv performance gate: ${ICON[r.verdict]}`, ''];
  out.push(`${r.mode === 'baseline' ? 'Baseline' : r.mode === 'icount' ? 'Instruction counts' : 'A/B, interleaved in one job'}: ` +
    `base \`${r.base.ref}\` (${r.base.commit.slice(0, 12)}) → head \`${r.head.ref}\` (${r.head.commit.slice(0, 12)}). ` +
    `${r.env.cpuModel} × ${r.env.cores}, Node ${r.env.node}, load ${r.env.loadavg.map((x) => x.toFixed(2)).join(' ')}.`);
  if (r.attempts > 1) out.push('', `The first round was ${r.firstVerdict}; it was rerun once and the verdict is on both rounds' repetitions pooled.`);
  out.push('', '| check | base | head | change (95% CI) | threshold | Mann–Whitney p | verdict |', '|---|---:|---:|---:|---:|---:|---|');
  for (const c of r.checks) {
    out.push(`| ${c.name} | ${fmtNum(c.baseMedian)} | ${fmtNum(c.headMedian)} | ${changeText(c)} | ${thresholdText(c.rule)} | ` +
      `${c.rule.exact ? '–' : c.mannWhitney.p.toFixed(3)} | ${ICON[c.verdict]}${c.wide ? ' (wide)' : ''} |`);
  }
  out.push('');
  for (const n of r.notes) out.push(`> ${n}`);
  if (r.notes.length) out.push('');
  out.push(`<sub>Medians of ${r.checks[0]?.base.length ?? 0} base / ${r.checks[0]?.head.length ?? 0} head repetitions; ` +
    'change = head vs base, 95% bootstrap interval of the ratio of medians. Regression: the whole interval beyond the threshold; ' +
    'inconclusive: the estimate beyond it, the interval not. Exit codes: 0 pass, 1 regression, 2 inconclusive, 3 error (docs/ci.md).</sub>', '');
  return out.join('\n');
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toJUnit(r: GateReport): string {
  const failures = r.checks.filter((c) => c.verdict === 'regression').length;
  const skipped = r.checks.filter((c) => c.verdict === 'inconclusive').length;
  const cases = r.checks.map((c) => {
    const msg = `${changeText(c)}; threshold ${thresholdText(c.rule)}: ${c.reason}`;
    const body = c.verdict === 'regression' ? `<failure message="${xml(msg)}" type="regression">${xml(`base ${c.base.map(fmtNum).join(', ')}\nhead ${c.head.map(fmtNum).join(', ')}`)}</failure>`
      : c.verdict === 'inconclusive' ? `<skipped message="${xml(`inconclusive: ${msg}`)}"/>`
      : `<system-out>${xml(msg)}</system-out>`;
    return `    <testcase classname="ringkv.gate.${r.mode}" name="${xml(c.name)}" time="0">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ringkv-gate" tests="${r.checks.length}" failures="${failures}" skipped="${skipped}">\n` +
    `  <testsuite name="ringkv performance gate (${xml(r.base.ref)} → ${xml(r.head.ref)})" tests="${r.checks.length}" failures="${failures}" skipped="${skipped}" timestamp="${r.startedAt}">\n` +
    `${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

/** GitHub's workflow-command escaping for the message part. */
function ghEscape(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghProp(s: string): string {
  return ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toAnnotations(r: GateReport): string[] {
  const lines: string[] = [];
  for (const c of r.checks) {
    const msg = `${c.name}: ${changeText(c)} vs threshold ${thresholdText(c.rule)} — ${c.reason}`;
    if (c.verdict === 'regression') lines.push(`::error title=${ghProp(`Performance regression: ${c.name}`)}::${ghEscape(msg)}`);
    else if (c.verdict === 'inconclusive') lines.push(`::warning title=${ghProp(`Performance inconclusive: ${c.name}`)}::${ghEscape(msg)}`);
    else if (c.wide) lines.push(`::warning title=${ghProp(`Performance noisy: ${c.name}`)}::${ghEscape(msg)}`);
  }
  lines.push(`::notice title=ringkv gate::${ghEscape(`${r.verdict} (${r.checks.length} checks, ${r.attempts} round${r.attempts > 1 ? 's' : ''})`)}`);
  return lines;
}

export function toJson(r: GateReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
