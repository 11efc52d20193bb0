/**
 * The lab's repeatability check (issue 5's "must show"): run a suite twice and check that each
 * cell's median throughput moves, from the first run to the second, by less than its reported
 * spread — or that the cell is flagged unstable in either run.
 *
 *   node scripts/bench-repeatability.ts [--suite default|quick|FILE] [ringkv bench options…]
 *   node scripts/bench-repeatability.ts --compare results/<runA> results/<runB>
 *
 * Spread of a cell = max − min of its repetitions' throughput, the wider of the two runs'. A
 * cell passes when |median₂ − median₁| ≤ spread, is "flagged" (accepted) when either run marked
 * it unstable (CV > 10%), and fails otherwise. Cells present in one run only are listed, not
 * judged. Prints a Markdown table and writes it to results/repeatability-<time>.md; exits 1 when
 * any cell fails.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, type Cell, type Results } from '../src/lab/results/schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Verdict {
  cell: string;
  medianA: number;
  medianB: number;
  move: number;
  spread: number;
  verdict: 'ok' | 'flagged' | 'FAIL';
}

const cellId = (c: Cell): string =>
  `${c.target} ${c.generator === 'redis-benchmark' ? 'rb:' : ''}${c.workload} ${Object.entries(c.params).filter(([k]) => ['connections', 'pipeline', 'rate'].includes(k)).map(([k, v]) => `${k[0]}${String(v)}`).join(' ')}`;

export function judge(a: Results, b: Results): { verdicts: Verdict[]; onlyOne: string[] } {
  const byId = new Map(b.cells.map((c) => [cellId(c), c]));
  const seen = new Set<string>();
  const verdicts: Verdict[] = [];
  for (const ca of a.cells) {
    const id = cellId(ca);
    const cb = byId.get(id);
    if (cb === undefined) continue;
    seen.add(id);
    const sa = ca.summary.throughput;
    const sb = cb.summary.throughput;
    const move = Math.abs(sb.median - sa.median);
    const spread = Math.max(sa.max - sa.min, sb.max - sb.min);
    const verdict = move <= spread ? 'ok' : ca.summary.unstable || cb.summary.unstable ? 'flagged' : 'FAIL';
    verdicts.push({ cell: id, medianA: sa.median, medianB: sb.median, move, spread, verdict });
  }
  const onlyOne = [...a.cells, ...b.cells].map(cellId).filter((id) => !seen.has(id));
  return { verdicts, onlyOne: [...new Set(onlyOne)] };
}

function run(args: string[]): string {
  const r = spawnSync(path.join(ROOT, 'bin/ringkv'), ['bench', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ringkv bench ${args.join(' ')} exited ${r.status}`);
  process.stdout.write(r.stdout);
  const m = /results: (.+)\n/.exec(r.stdout);
  if (m === null) throw new Error('ringkv bench did not say where its results are');
  return path.resolve(ROOT, m[1]!.trim());
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let fileA: string;
  let fileB: string;
  const ci = argv.indexOf('--compare');
  const asFile = (p: string): string => (p.endsWith('.json') ? p : path.join(p, 'results.json'));
  if (ci >= 0) {
    fileA = asFile(argv[ci + 1] ?? '');
    fileB = asFile(argv[ci + 2] ?? '');
  } else {
    const args = argv.includes('--suite') ? argv : ['--suite', 'default', ...argv];
    fileA = run(args);
    fileB = run(args);
  }
  const a = readResults(fileA);
  const b = readResults(fileB);
  const { verdicts, onlyOne } = judge(a, b);
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const lines = [
    `# Repeatability: suite ${a.suite}, runs ${a.runId} and ${b.runId}`,
    '',
    `- ${a.env.cores} cores (${a.env.cpuModel}), ${a.env.kernel}, Node ${a.env.node}, ringkv ${a.env.ringkvCommit.slice(0, 10)}${a.env.ringkvDirty ? ' (dirty)' : ''}`,
    `- load average at the start: ${a.env.loadavg.join(' ')} / ${b.env.loadavg.join(' ')}`,
    '- a cell passes when its median throughput moved by no more than its spread (max − min of the repetitions, the wider of the two runs); "flagged" = moved more, but a run marked it unstable (CV > 10%)',
    '',
    '| cell | median 1 | median 2 | move | spread | verdict |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...verdicts.map((v) => `| ${v.cell} | ${fmt(v.medianA)} | ${fmt(v.medianB)} | ${fmt(v.move)} | ${fmt(v.spread)} | ${v.verdict} |`),
    '',
    `${verdicts.filter((v) => v.verdict === 'ok').length} ok, ${verdicts.filter((v) => v.verdict === 'flagged').length} flagged unstable, ${verdicts.filter((v) => v.verdict === 'FAIL').length} failed, of ${verdicts.length} cells`,
    ...(onlyOne.length > 0 ? ['', `in one run only (not judged): ${onlyOne.join('; ')}`] : []),
  ];
  const text = `${lines.join('\n')}\n`;
  process.stdout.write(`\n${text}`);
  mkdirSync(path.join(ROOT, 'results'), { recursive: true });
  const out = path.join(ROOT, 'results', `repeatability-${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.md`);
  writeFileSync(out, text);
  process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);
  return verdicts.some((v) => v.verdict === 'FAIL') ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
