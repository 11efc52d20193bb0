/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) with
 *   - throughput per workload and target: median bars, the interval as error bars, each
 *     repetition as a dot;
 *   - latency by percentile per workload, log–log (x: 1/(1 − q), so 90, 99, 99.9 … are evenly
 *     spaced), from the merged HdrHistograms of the repetitions;
 *   - latency–throughput curves (p99 against served throughput) with the knee marked;
 *   - where the CPU went per cell: executor/main thread, I/O workers, other server threads, and
 *     the load generator, in cores;
 *   - memory (RSS) per cell, the findings, the environment and the targets;
 *   - the scenarios (scenarios.ts): head-of-line GET latency alone / during KEYS * / during SCAN
 *     on a log scale with the blocker's call time, pub/sub delivery latency and rate, web
 *     sessions' requests/s and latency, each with its findings.
 * Chart elements carry their numbers in data attributes (see svg.ts), and every chart names the
 * results.json fields it draws, so tests can check the page against the file.
 */

import type { Results } from '../results/schema.ts';
import { analyse, pct, type Analysis } from './analysis.ts';
import { cellCurve } from './hdr.ts';
import { envLine } from './markdown.ts';
import { scenariosHtml } from './scenarios.ts';
import { barChart, esc, fmt, lineChart, PALETTE, stackedBarChart, type Series } from './svg.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#1d1d1f;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f5f5f7}
.chart{margin:12px 0}.chart figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#333}svg .axis-label{font-size:12px;fill:#555}
svg .grid{stroke:#e6e6e6}svg .errorbar line{stroke:#222;stroke-width:1.5}svg .dot{fill:#222;opacity:.55}
.findings li{margin:4px 0}.note{color:#666;font-size:12px}.flag{color:#b00}
`;

function colors(a: Analysis): Map<string, string> {
  const m = new Map<string, string>();
  a.results.targets.forEach((t, i) => m.set(t.id, PALETTE[i % PALETTE.length]!));
  return m;
}

/** "90", "99", "99.9" … for the percentile axis: x = 1/(1 − q). */
function percentileX(p: number): number {
  return p >= 100 ? 1e6 : 1 / (1 - p / 100);
}

function percentileLabel(x: number): string {
  if (x <= 1) return '0';
  const p = 100 * (1 - 1 / x);
  return `${Number(p.toPrecision(6))}`;
}

function md(s: string): string {
  return esc(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`(.+?)`/g, '<code>$1</code>');
}

export function renderHtml(a: Analysis): string {
  const r = a.results;
  const col = colors(a);
  const parts: string[] = [];
  parts.push(`<h1>ringkv benchmark — suite <code>${esc(r.suite)}</code></h1>`);
  parts.push(`<p>Run <code>${esc(r.runId)}</code>, ${esc(r.startedAt)} → ${esc(r.finishedAt)}.<br>${esc(envLine(a))}.</p>`);
  for (const n of r.env.notes) parts.push(`<p class="note">${esc(n)}</p>`);

  parts.push('<h2>Findings</h2><ul class="findings">' + a.findings.map((f) => `<li>${md(f)}</li>`).join('') + '</ul>');

  // Throughput.
  parts.push('<h2>Throughput</h2><p class="note">Bars: median over repetitions (<code>cells[].summary.throughput.median</code>); error bars: <code>summary.throughput.ci95</code>; dots: each repetition.</p>');
  parts.push(barChart({
    id: 'throughput',
    title: 'Throughput (requests/s)',
    yLabel: 'requests/s',
    groups: a.workloads.map((w) => ({
      label: w,
      bars: a.cells.filter((c) => c.cell.workload === w).map((c) => ({
        label: c.targetLabel,
        value: c.cell.summary.throughput.median,
        lo: Math.max(0, c.cell.summary.throughput.ci95[0]),
        hi: c.cell.summary.throughput.ci95[1],
        dots: c.throughput,
        color: col.get(c.cell.target)!,
        data: { metric: 'throughput', target: c.cell.target, workload: w, cell: c.key },
      })),
    })),
  }));

  // Latency percentiles.
  parts.push('<h2>Latency by percentile</h2><p class="note">From the repetitions\' merged HdrHistograms (<code>reps[].histogram</code>); log–log. Cells measured with redis-benchmark have no histogram: their line is its summary percentiles (p50, p90, p99, p99.9, max), labelled (summary).</p>');
  for (const w of a.workloads) {
    const series: Series[] = a.cells.filter((c) => c.cell.workload === w).map((c) => {
      const curve = cellCurve(c.cell);
      return {
        label: `${c.targetLabel}${curve.source === 'summary' ? ' (summary)' : ''}`,
        color: col.get(c.cell.target)!,
        points: curve.points.map((p) => ({ x: percentileX(p.percentile), y: Math.max(p.valueUs, 1), data: { percentile: p.percentile, latency: p.valueUs, target: c.cell.target, workload: w, cell: c.key, source: curve.source } })),
      };
    });
    parts.push(lineChart({ id: `latency-${w}`, title: `${w}: latency by percentile (µs)`, x: { label: 'percentile', log: true, tickText: percentileLabel }, y: { label: 'latency µs', log: true }, series }));
  }

  // Curves.
  if (r.curves.length) {
    parts.push('<h2>Latency–throughput</h2><p class="note">Open-loop rate sweep (<code>curves[]</code>): p99 latency against served throughput; the ring marks the knee, the highest offered rate whose p99 stayed under the bound.</p>');
    for (const w of [...new Set(r.curves.map((c) => c.workload))]) {
      const series: Series[] = r.curves.filter((c) => c.workload === w).map((cv) => {
        const lbl = r.targets.find((t) => t.id === cv.target)?.label ?? cv.target;
        const kneePoint = cv.knee ? cv.points.find((p) => p.rate === cv.knee!.rate) : undefined;
        return {
          label: lbl,
          color: col.get(cv.target)!,
          points: cv.points.map((p) => ({ x: p.throughput, y: Math.max(1, p.latencyUs.p99), data: { rate: p.rate, throughput: p.throughput, p99: p.latencyUs.p99, target: cv.target, workload: w } })),
          markers: cv.knee ? [{ x: cv.knee.throughput, y: Math.max(1, kneePoint?.latencyUs.p99 ?? cv.p99BoundUs), label: `knee ${fmt(cv.knee.rate)} req/s`, data: { knee: 'true', rate: cv.knee.rate, throughput: cv.knee.throughput, target: cv.target, workload: w } }] : [],
        };
      });
      parts.push(lineChart({ id: `curve-${w}`, title: `${w}: p99 latency vs throughput`, x: { label: 'served requests/s' }, y: { label: 'p99 µs', log: true }, series }));
    }
  }

  // Scenarios: head-of-line, pub/sub fan-out, web sessions.
  const scen = scenariosHtml(a.scenarios, (t) => col.get(t) ?? PALETTE[PALETTE.length - 1]!, md);
  if (scen) parts.push(scen);

  // CPU.
  parts.push('<h2>Where the CPU went</h2><p class="note">CPU cores used over the measured window (median of repetitions): executor/main thread, I/O workers, other server threads (GC, libuv), and the load generator (<code>reps[].server.threads[]</code>, <code>reps[].client.cpuMs</code>, over <code>durationMs</code>). A single-threaded executor cannot exceed 1.</p>');
  parts.push(stackedBarChart({
    id: 'cpu',
    title: 'CPU cores by thread role',
    yLabel: 'cores',
    stacks: a.cells.map((c) => ({
      label: `${c.cell.workload} · ${c.targetLabel}`,
      data: { target: c.cell.target, workload: c.cell.workload, cell: c.key },
      parts: [
        { label: 'executor / main', value: c.cpu.main, color: '#4269d0' },
        { label: 'I/O workers', value: c.cpu.io, color: '#6cc5b0' },
        { label: 'other server threads', value: c.cpu.other, color: '#9498a0' },
        { label: 'client (load generator)', value: c.cpu.client, color: '#efb118' },
      ],
    })),
  }));

  // Memory.
  parts.push('<h2>Memory</h2>');
  parts.push(barChart({
    id: 'memory',
    title: 'Server RSS at the end of the measured window (MB, median)',
    yLabel: 'MB',
    groups: a.workloads.map((w) => ({
      label: w,
      bars: a.cells.filter((c) => c.cell.workload === w).map((c) => ({
        label: c.targetLabel,
        value: c.rssBytes / 1048576,
        color: col.get(c.cell.target)!,
        data: { metric: 'rss', bytes: c.rssBytes, target: c.cell.target, workload: w, cell: c.key },
      })),
    })),
  }));

  // Table.
  parts.push('<h2>All cells</h2><table><tr><th>workload</th><th>target</th><th>generator</th><th>reps</th><th>req/s median</th><th>CV</th><th>p50 µs</th><th>p99 µs</th><th>executor busy</th><th>ops per CPU-s</th><th>flags</th></tr>');
  for (const c of a.cells) {
    const s = c.cell.summary;
    const flags = [s.unstable ? 'unstable' : '', c.clientBound ? 'client-bound' : '', c.errors ? `${c.errors} errors` : ''].filter(Boolean).join(', ');
    parts.push(`<tr><td>${esc(c.cell.workload)}</td><td>${esc(c.targetLabel)}</td><td>${esc(c.cell.generator)}</td><td>${c.cell.reps.length}</td>` +
      `<td>${fmt(s.throughput.median)}</td><td>${pct(s.throughput.cv)}</td><td>${fmt(s.p50.median)}</td><td>${fmt(s.p99.median)}</td>` +
      `<td>${c.cpu.main ? pct(c.cpu.main) : '–'}</td><td>${fmt(c.opsPerCpuSec)}</td><td class="flag">${esc(flags)}</td></tr>`);
  }
  parts.push('</table>');

  // Environment and targets.
  const e = r.env;
  const envRows: Array<[string, string]> = [
    ['CPU', `${e.cpuModel} × ${e.cores}`], ['kernel', e.kernel], ['Node', e.node],
    ['ringkv commit', `${e.ringkvCommit}${e.ringkvDirty ? ' (dirty)' : ''}`], ['redis-server', e.redisVersion ?? 'not installed'],
    ['host', e.hostname], ['load average at start', e.loadavg.map((x) => x.toFixed(2)).join(' ')], ['CPU pinning', e.pinned ? 'yes' : 'no'],
  ];
  parts.push('<h2>Environment</h2><table id="env">' + envRows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('') + '</table>');
  parts.push('<h3>Targets</h3><table><tr><th>id</th><th>label</th><th>kind</th><th>I/O threads</th><th>args</th><th>available</th></tr>' +
    r.targets.map((t) => `<tr><td>${esc(t.id)}</td><td>${esc(t.label)}</td><td>${t.kind}</td><td>${t.ioThreads}</td><td>${esc(t.args.join(' '))}</td><td>${t.available ? 'yes' : esc(`no: ${t.reason ?? ''}`)}</td></tr>`).join('') + '</table>');

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">` +
    `<title>ringkv benchmark — ${esc(r.suite)} ${esc(r.runId)}</title><style>${CSS}</style></head>\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}

export function htmlReport(r: Results): string {
  return renderHtml(analyse(r));
}
