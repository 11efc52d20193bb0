/**
 * The plain-text summary `ringkv bench` prints when a run ends: one row per cell, one column per
 * target (median throughput, its CV, `!` when the cell is unstable, `b` when the client was
 * saturated in any repetition), each target's ratio to redis-server io-threads 1 (or, without it,
 * to ringkv io-threads 1), then the scenarios and curves, the targets that did not run and why,
 * and the notes. The full picture is `ringkv report`; this is what fits a terminal.
 */

import type { Cell, Results } from '../results/schema.ts';

const kfmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(0)}k` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const ms = (us: number): string => (us >= 100_000 ? `${(us / 1000).toFixed(0)} ms` : `${(us / 1000).toFixed(2)} ms`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

function cellKey(c: Cell): string {
  const p = c.params;
  const rb = c.generator === 'redis-benchmark' ? 'rb ' : '';
  return `${rb}${c.workload} c${String(p.connections ?? '?')} P${String(p.pipeline ?? 1)}${p.rate !== undefined ? ` @${String(p.rate)}/s` : ''}`;
}

export function formatSummary(r: Results, where?: string): string {
  const out: string[] = [];
  const live = r.targets.filter((t) => t.available && r.cells.some((c) => c.target === t.id));
  out.push(`ringkv bench: suite ${r.suite}, run ${r.runId}`);
  out.push(`${r.env.cores} cores (${r.env.cpuModel}), ${r.env.kernel}, Node ${r.env.node}, redis-server ${r.env.redisVersion ?? 'absent'}, ringkv ${r.env.ringkvCommit.slice(0, 10)}${r.env.ringkvDirty ? ' (dirty)' : ''}, load ${r.env.loadavg.join(' ')}${r.env.pinned ? ', pinned' : ''}`);
  out.push('');
  if (live.length > 0) {
    const ref = live.find((t) => t.id === 'redis-1') ?? live.find((t) => t.id === 'ringkv-1') ?? live[0]!;
    const keys = [...new Set(r.cells.map(cellKey))];
    out.push(`targets: ${live.map((t) => `${t.id} = ${t.label}`).join('; ')}`);
    out.push('');
    const rows: string[][] = [['throughput, median req/s (±CV)', ...live.map((t) => t.id)]];
    const ratios: string[][] = [[`throughput × ${ref.id}`, ...live.map((t) => t.id)]];
    for (const k of keys) {
      const row = [k];
      const ratio = [k];
      const refCell = r.cells.find((c) => cellKey(c) === k && c.target === ref.id);
      for (const t of live) {
        const c = r.cells.find((x) => cellKey(x) === k && x.target === t.id);
        if (c === undefined) {
          row.push('-');
          ratio.push('-');
          continue;
        }
        const s = c.summary.throughput;
        const flags = `${c.summary.unstable ? '!' : ''}${c.reps.some((x) => x.client.bound) ? 'b' : ''}`;
        row.push(`${kfmt(s.median)} ±${(s.cv * 100).toFixed(0)}%${flags === '' ? '' : ` ${flags}`}`);
        ratio.push(refCell === undefined || refCell.summary.throughput.median === 0 ? '-' : `${(s.median / refCell.summary.throughput.median).toFixed(2)}`);
      }
      rows.push(row);
      ratios.push(ratio);
    }
    out.push(...table(rows));
    out.push('  ! unstable (throughput CV > 10%)   b client-bound in some repetition (the generator, not the server, was saturated)');
    out.push('');
    out.push(...table(ratios));
    out.push('');
  } else {
    out.push('no cells ran');
    out.push('');
  }
  const hol = r.scenarios.headOfLine as { byTarget?: Record<string, any> } | undefined;
  if (hol?.byTarget !== undefined) {
    out.push('head-of-line: GET p99 of another client (open loop, 2000/s) alone, beside a KEYS * loop, beside a SCAN loop');
    const rows = [['target', 'keys', 'alone', 'beside KEYS *', 'beside SCAN', 'KEYS call', 'KEYS stalls', 'SCAN stalls']];
    for (const [id, x] of Object.entries(hol.byTarget)) {
      if (x.error !== undefined) rows.push([id, `failed: ${x.error}`, '', '', '', '', '', '']);
      else rows.push([id, kfmt(x.keyCount), ms(x.baseline.getLatencyUs.p99), ms(x.keys.getLatencyUs.p99), ms(x.scan.getLatencyUs.p99), ms(x.keys.blockerMeanMs * 1000), x.keysStalls ? 'yes' : 'no', x.scanStalls ? 'yes' : 'no']);
    }
    out.push(...table(rows), '');
  }
  const ps = r.scenarios.pubsubFanout as { byTarget?: Record<string, any> } | undefined;
  if (ps?.byTarget !== undefined) {
    out.push('pub/sub fan-out: delivery latency');
    const rows = [['target', 'delivered', 'p50', 'p99', 'max']];
    for (const [id, x] of Object.entries(ps.byTarget)) {
      if (x.error !== undefined) rows.push([id, `failed: ${x.error}`, '', '', '']);
      else rows.push([id, `${x.delivered}/${x.expected}`, ms(x.deliveryLatencyUs.p50), ms(x.deliveryLatencyUs.p99), ms(x.deliveryLatencyUs.max)]);
    }
    out.push(...table(rows), '');
  }
  const ws = r.scenarios.webSessions as { byTarget?: Record<string, any> } | undefined;
  if (ws?.byTarget !== undefined) {
    out.push('web sessions: node:http cluster + autocannon (whole milliseconds; 0 = under 1 ms)');
    const rows = [['target', 'req/s', 'p50', 'p99', 'errors']];
    for (const [id, x] of Object.entries(ws.byTarget)) {
      if (x.error !== undefined) rows.push([id, `failed: ${x.error}`, '', '', '']);
      else rows.push([id, kfmt(x.throughput), ms(x.latencyUs.p50), ms(x.latencyUs.p99), String(x.errors + x.non2xx)]);
    }
    out.push(...table(rows), '');
  }
  if (r.curves.length > 0) {
    out.push('latency-throughput curves: knee = highest offered rate with p99 within the bound');
    const rows = [['target', 'workload', 'p99 bound', 'knee rate', 'points']];
    for (const c of r.curves) rows.push([c.target, c.workload, ms(c.p99BoundUs), c.knee === null ? 'none' : `${kfmt(c.knee.rate)}/s`, String(c.points.length)]);
    out.push(...table(rows), '');
  }
  for (const t of r.targets) if (!t.available) out.push(`not run: ${t.label} — ${t.reason ?? 'unavailable'}`);
  for (const n of r.env.notes) out.push(`note: ${n}`);
  if (where !== undefined) out.push('', `results: ${where}`);
  return `${out.join('\n')}\n`;
}
