/**
 * Validates `ringkv gate --ab` the way issue 6 asks, and writes a Markdown record:
 *
 *   (ii)  an injected regression fails it: base and head are both worktrees of HEAD, and the
 *         head's server runs with RINGKV_EXECUTOR_DELAY_US=20 (src/engine/engine.ts adds a
 *         20 µs busy delay to every command) → the verdict must be "regression";
 *   (iii) ten A/A comparisons of identical builds (two worktrees of HEAD) → at most one
 *         inconclusive and no regression.
 *
 *   node scripts/gate-validation.ts [--ref HEAD] [--runs 10] [--reps 5] [--requests 50000] [--thresholds throughput=off,p99=off]
 *                                   [--out results/gate-validation-<time>.md]
 *
 * --ref is resolved to a commit once at the start, so commits landing during the run do not
 * change what is measured; base and head are both worktrees of it.
 *
 * Every comparison uses the gate's defaults otherwise (thresholds from gate.config.json or
 * throughput −5% / CPU per request +5%, p99 reported but not checked, redis-benchmark GET and SET, 50 clients, one confirming rerun).
 * The record states the machine's load at the start and end of each comparison: on a shared
 * machine the A/A part measures the neighbours as much as the gate; rerun it on a quiet one.
 * Exit status: 0 when both criteria hold, 1 otherwise.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseGateArgs, runAbGate, writeOutputs } from '../src/lab/gate/index.ts';
import type { GateReport } from '../src/lab/gate/output.ts';
import { changeText, overall } from '../src/lab/gate/verdict.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const ref = execFileSync('git', ['rev-parse', '--verify', `${option('--ref', 'HEAD')}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
const thresholdArgs = option('--thresholds', '').split(',').filter(Boolean).flatMap((t) => ['--threshold', t]);
const runs = Number(option('--runs', '10'));
const reps = option('--reps', '5');
const requests = option('--requests', '50000');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = option('--out', path.join(ROOT, 'results', `gate-validation-${stamp}.md`));
const gateOut = path.join(ROOT, 'results', `gate-validation-${stamp}`);

function load(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

interface Row {
  name: string;
  report: GateReport | null;
  /** An infrastructure error instead of a verdict. */
  error?: string;
  loadBefore: string;
  loadAfter: string;
  seconds: number;
}

function verdictOf(r: Row): string {
  return r.report?.verdict ?? 'error';
}

async function compare(name: string, extra: string[]): Promise<Row> {
  const loadBefore = load();
  const t0 = performance.now();
  const args = parseGateArgs(['--ab', ref, ref, '--reps', reps, '--requests', requests, '--out', path.join(gateOut, name), '--quiet', ...thresholdArgs, ...extra], ROOT);
  let report: GateReport | null = null;
  let error: string | undefined;
  try {
    report = await runAbGate(args);
    writeOutputs(report, args.out);
  } catch (err) {
    error = (err as Error).message.split('\n')[0];
  }
  const row: Row = { name, report, ...(error ? { error } : {}), loadBefore, loadAfter: load(), seconds: (performance.now() - t0) / 1000 };
  const checks = report ? report.checks.map((c) => `${c.name} ${changeText(c)} ${c.verdict}`).join('; ') : error;
  console.log(`${name}: ${verdictOf(row)}${report && report.attempts > 1 ? ` (first round ${report.firstVerdict}, rerun)` : ''} in ${row.seconds.toFixed(0)} s — ${checks}`);
  return row;
}

const started = new Date().toISOString();
const loadStart = load();
console.log(`gate validation: ${runs} A/A + 1 injected regression, ${reps} reps × ${requests} requests; load ${loadStart}`);
const injected = await compare('injected-regression', ['--head-env', 'RINGKV_EXECUTOR_DELAY_US=20']);
const aa: Row[] = [];
for (let i = 1; i <= runs; i++) aa.push(await compare(`aa-${i}`, []));

const count = (v: string): number => aa.filter((r) => verdictOf(r) === v).length;
const okInjected = verdictOf(injected) === 'regression';
const okAA = count('regression') === 0 && count('inconclusive') <= 1 && count('error') === 0;

const md: string[] = [];
md.push('# Gate validation record', '');
md.push(`Run ${started} → ${new Date().toISOString()} on ${os.cpus()[0]?.model.trim()} × ${os.availableParallelism()}, Node ${process.version}, ringkv ${ref.slice(0, 12)} (base and head: worktrees of it).`);
md.push(`Load average at the start: ${loadStart} (${os.availableParallelism()} cores). Settings: \`ringkv gate --ab ${ref.slice(0, 12)} ${ref.slice(0, 12)} --reps ${reps} --requests ${requests}${thresholdArgs.length ? ` ${thresholdArgs.join(' ')}` : ''}\`, otherwise the defaults (gate.config.json).`, '');
if (Number(loadStart.split(' ')[0]) > os.availableParallelism() * 0.5) {
  md.push('> **The machine was shared during this run** (load above half the cores): other jobs were running. The A/A figures include their noise; rerun on a quiet machine for the record that counts.', '');
}
md.push(`## (ii) Injected regression: head with RINGKV_EXECUTOR_DELAY_US=20 — ${okInjected ? '✅ caught' : '❌ NOT caught'}`, '');
md.push('| check | base | head | change (95% CI) | verdict |', '|---|---:|---:|---:|---|');
for (const c of injected.report?.checks ?? []) md.push(`| ${c.name} | ${c.baseMedian.toFixed(0)} | ${c.headMedian.toFixed(0)} | ${changeText(c)} | ${c.verdict} |`);
const iv = verdictOf(injected);
md.push('', `Verdict **${iv}** (exit code ${iv === 'regression' ? 1 : iv === 'inconclusive' ? 2 : iv === 'pass' ? 0 : 3})${injected.error ? `: ${injected.error}` : ''}, ${injected.report?.attempts ?? 0} round(s), ${injected.seconds.toFixed(0)} s.`, '');
md.push(`## (iii) ${runs} A/A comparisons — ${okAA ? '✅' : '❌'} ${count('pass')} pass, ${count('inconclusive')} inconclusive, ${count('regression')} regression${count('error') ? `, ${count('error')} errors` : ''} (criterion: ≤ 1 inconclusive, 0 regression)`, '');
md.push('| # | verdict | rounds | checks (head vs base, 95% CI) | load before → after | s |', '|---|---|---:|---|---|---:|');
for (const r of aa) {
  const checks = r.report ? r.report.checks.map((c) => `${c.name} ${changeText(c)}${c.verdict !== 'pass' ? ` **${c.verdict}**` : ''}`).join('<br>') : r.error ?? '';
  md.push(`| ${r.name} | ${verdictOf(r)} | ${r.report?.attempts ?? 0} | ${checks} | ${r.loadBefore} → ${r.loadAfter} | ${r.seconds.toFixed(0)} |`);
}
// Per metric: the verdict each comparison would have had gating on that metric alone (on the
// repetitions actually run: a rerun triggered by another metric is pooled in).
const metrics = [...new Set(aa.flatMap((r) => r.report?.checks.map((c) => c.rule.metric) ?? []))];
md.push('', '### By metric (the verdict gating on that metric alone)', '', '| metric | pass | inconclusive | regression | injected regression caught |', '|---|---:|---:|---:|---|');
for (const m of metrics) {
  const per = aa.map((r) => overall(r.report?.checks.filter((c) => c.rule.metric === m) ?? []));
  const inj = overall(injected.report?.checks.filter((c) => c.rule.metric === m) ?? []);
  md.push(`| ${m} | ${per.filter((v) => v === 'pass').length} | ${per.filter((v) => v === 'inconclusive').length} | ${per.filter((v) => v === 'regression').length} | ${inj === 'regression' ? 'yes' : `no (${inj})`} |`);
}
md.push('', `Per-comparison outputs (gate.md, gate.json, gate.junit.xml): \`${path.relative(ROOT, gateOut)}/\`.`, '');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, md.join('\n'));
console.log(`\n${md.join('\n')}\nwrote ${out}`);
process.exit(okInjected && okAA ? 0 : 1);
