/**
 * report.md: the run in Markdown small enough for a GitHub Actions step summary or a pull-request
 * comment (GitHub-flavoured tables, no images): the environment in one line, one table
 * per workload (target × median throughput with its interval, ratio to the reference with a
 * bootstrap CI, p50/p99, where the CPU went), the findings, the scenarios' tables (head-of-line,
 * pub/sub fan-out, web sessions; their findings are among the findings), and the curves' knees.
 */

import { analyse, pct, type Analysis } from './analysis.ts';
import { scenariosMarkdown } from './scenarios.ts';
import { fmt } from './svg.ts';

function mdEsc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function envLine(a: Analysis): string {
  const e = a.results.env;
  return `${e.cpuModel} × ${e.cores} cores, kernel ${e.kernel}, Node ${e.node}, ringkv ${e.ringkvCommit.slice(0, 12)}${e.ringkvDirty ? ' (dirty)' : ''}` +
    `${e.redisVersion ? `, redis-server ${e.redisVersion}` : ''}, load ${e.loadavg.map((x) => x.toFixed(2)).join(' ')}${e.pinned ? ', pinned' : ''}`;
}

export function renderMarkdown(a: Analysis): string {
  const r = a.results;
  const out: string[] = [];
  out.push(`## ringkv benchmark — suite \`${r.suite}\`, run \`${r.runId}\``, '');
  out.push(`${envLine(a)}. ${r.startedAt} → ${r.finishedAt}.`);
  for (const n of r.env.notes) out.push(`> ${n}`);
  out.push('');
  const refLabel = r.targets.find((t) => t.id === a.referenceTarget)?.label;
  for (const w of a.workloads) {
    out.push(`### ${w}`, '');
    out.push(`| target | req/s (median) | 95% CI | reps | vs ${mdEsc(refLabel ?? 'reference')} | p50 µs | p99 µs | executor busy | I/O cores | client cores | RSS MB | flags |`);
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const c of a.cells.filter((x) => x.cell.workload === w)) {
      const s = c.cell.summary;
      const cmp = a.comparisons.find((x) => x.other === c);
      const vs = c.cell.target === a.referenceTarget ? '1 (ref)' : cmp ? `${cmp.throughput.ratio.toFixed(2)}× (${cmp.throughput.lo.toFixed(2)}–${cmp.throughput.hi.toFixed(2)})` : '–';
      const flags = [s.unstable ? `unstable (CV ${pct(s.throughput.cv)})` : '', c.clientBound ? 'client-bound' : '', c.errors ? `${c.errors} errors` : '', c.cell.generator === 'redis-benchmark' ? 'redis-benchmark' : '']
        .filter(Boolean).join(', ');
      out.push(`| ${mdEsc(c.targetLabel)} | ${fmt(s.throughput.median)} | ${fmt(Math.max(0, s.throughput.ci95[0]))}–${fmt(s.throughput.ci95[1])} | ${c.cell.reps.length} | ${vs} | ` +
        `${fmt(s.p50.median)} | ${fmt(s.p99.median)} | ${c.cpu.main ? pct(c.cpu.main) : '–'} | ${c.cpu.io.toFixed(2)} | ${c.cpu.client.toFixed(2)} | ${(c.rssBytes / 1048576).toFixed(1)} | ${flags} |`);
    }
    out.push('');
  }
  if (a.findings.length) {
    out.push('### Findings', '');
    for (const f of a.findings) out.push(`- ${f}`);
    out.push('');
  }
  out.push(...scenariosMarkdown(a.scenarios));
  if (r.curves.length) {
    out.push('### Latency–throughput curves', '', '| workload | target | p99 bound µs | knee (offered req/s) | served req/s | points |', '|---|---|---:|---:|---:|---:|');
    for (const cv of r.curves) {
      const lbl = r.targets.find((t) => t.id === cv.target)?.label ?? cv.target;
      out.push(`| ${mdEsc(cv.workload)} | ${mdEsc(lbl)} | ${cv.p99BoundUs} | ${cv.knee ? fmt(cv.knee.rate) : 'none'} | ${cv.knee ? fmt(cv.knee.throughput) : '–'} | ${cv.points.length} |`);
    }
    out.push('');
  }
  out.push('<sub>Medians over interleaved repetitions; "95% CI" is the harness\'s interval of the mean; ratios are median/median with a 95% bootstrap interval. ' +
    'Busy and cores are CPU time over the measured window. See docs/reading-reports.md.</sub>', '');
  return out.join('\n');
}

export function markdownReport(r: Parameters<typeof analyse>[0]): string {
  return renderMarkdown(analyse(r));
}
