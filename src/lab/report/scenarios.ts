/**
 * The harness-driven scenarios in the report (results.scenarios, written by
 * src/lab/bench/scenarios.ts, described in docs/bench.md): head-of-line blocking (GET latency
 * alone, while another client loops `KEYS *`, while it loops SCAN), pub/sub fan-out (delivery
 * latency to many subscribers) and web sessions (autocannon against node:http apps sharing
 * sessions in the target). One run per target each, so no intervals.
 *
 * Contract:
 * - `analyseScenarios(r)` reads `scenarios.<name> = { params, byTarget: { <id>: result | { error } } }`
 *   defensively (the schema validator checks only that `scenarios` is an object): a result of
 *   the wrong shape becomes an error row, never a crash. Rows follow the order of `targets`.
 * - Head-of-line verdicts are recomputed from the latencies with the harness's rule (that
 *   phase's GET p99 above both 3× the baseline's p99 and 20 ms); the finding says per target
 *   whether KEYS * stalled the other client and whether SCAN did not, and flags **not shown**
 *   when the data do not show what the seeds say (KEYS stalls, SCAN does not).
 * - Markdown tables and HTML sections (inline SVG via svg.ts; every bar carries its number in
 *   data-* attributes: `data-value` as drawn, `data-us` the raw µs from results.json).
 */

import type { HeadOfLineResult, HolPhase, PubsubFanoutResult, Results, WebSessionsResult } from '../results/schema.ts';
import { barChart, esc, fmt, type BarGroup } from './svg.ts';

/** The harness's stall rule (src/lab/bench/scenarios.ts): p99 above STALL_FACTOR × baseline p99 and above STALL_MIN_US. */
export const STALL_FACTOR = 3;
export const STALL_MIN_US = 20_000;

export function stalled(phase: HolPhase, baseline: HolPhase): boolean {
  return phase.getLatencyUs.p99 > Math.max(STALL_FACTOR * baseline.getLatencyUs.p99, STALL_MIN_US);
}

export interface ScenarioRow<R> {
  target: string;
  label: string;
  result: R | null;
  error: string | null;
}

export interface HolRow extends ScenarioRow<HeadOfLineResult> {
  /** Recomputed from the latencies (null for an error row). */
  keysStalls: boolean | null;
  scanStalls: boolean | null;
}

export interface ScenarioSection<Row> {
  params: Record<string, unknown>;
  rows: Row[];
  findings: string[];
}

export interface ScenarioAnalysis {
  headOfLine: ScenarioSection<HolRow> | null;
  pubsubFanout: ScenarioSection<ScenarioRow<PubsubFanoutResult>> | null;
  webSessions: ScenarioSection<ScenarioRow<WebSessionsResult>> | null;
  /** All the scenario findings, in section order. */
  findings: string[];
}

// ---- defensive reading ----

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nums(o: unknown, keys: string[]): boolean {
  return isObj(o) && keys.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]));
}

const PCTS = ['p50', 'p90', 'p99', 'p999', 'max'];

function isPhase(p: unknown): p is HolPhase {
  return isObj(p) && nums(p.getLatencyUs, PCTS) && nums(p, ['getRequests', 'getErrors', 'blockerCalls', 'blockerMeanMs']);
}

function isHol(x: unknown): x is HeadOfLineResult {
  return isObj(x) && nums(x, ['keyCount', 'getRate']) && isPhase(x.baseline) && isPhase(x.keys) && isPhase(x.scan);
}

function isPubsub(x: unknown): x is PubsubFanoutResult {
  return isObj(x) && nums(x, ['subscribers', 'rate', 'published', 'expected', 'delivered']) && nums(x.deliveryLatencyUs, PCTS) && isObj(x.client);
}

function isWeb(x: unknown): x is WebSessionsResult {
  return isObj(x) && nums(x, ['apps', 'connections', 'requests', 'throughput', 'errors', 'non2xx']) && nums(x.latencyUs, ['mean', 'p50', 'p90', 'p99', 'max']) && isObj(x.client);
}

function rowsOf<R>(r: Results, run: unknown, ok: (x: unknown) => x is R): { params: Record<string, unknown>; rows: Array<ScenarioRow<R>> } | null {
  if (!isObj(run) || !isObj(run.byTarget)) return null;
  const by = run.byTarget;
  const ids = [...r.targets.map((t) => t.id).filter((id) => id in by), ...Object.keys(by).filter((id) => !r.targets.some((t) => t.id === id))];
  const rows = ids.map((id): ScenarioRow<R> => {
    const x = by[id];
    const label = r.targets.find((t) => t.id === id)?.label ?? id;
    if (isObj(x) && typeof x.error === 'string') return { target: id, label, result: null, error: x.error };
    if (ok(x)) return { target: id, label, result: x, error: null };
    return { target: id, label, result: null, error: 'result of an unexpected shape' };
  });
  return { params: isObj(run.params) ? run.params : {}, rows };
}

/** µs → "62.9" (ms, short). */
export function ms(us: number): string {
  return fmt(us / 1000);
}

function paramText(p: Record<string, unknown>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

// ---- findings ----

function holFindings(rows: HolRow[]): string[] {
  const out: string[] = [];
  const ok = rows.filter((x) => x.result !== null);
  const shown = ok.filter((x) => x.keysStalls === true && x.scanStalls === false);
  if (ok.length > 0) {
    const missing = ok.filter((x) => !shown.includes(x)).map((x) => x.label);
    out.push(missing.length === 0
      ? `**head-of-line**: on ${ok.length === 1 ? ok[0]!.label : `every target (${ok.length})`}, \`KEYS *\` stalled other clients and SCAN did not, as the seeds say.`
      : `**head-of-line**: **not shown** on ${missing.join(', ')}: the seeds say \`KEYS *\` stalls other clients and SCAN does not${shown.length ? `; shown on ${shown.map((x) => x.label).join(', ')}` : ''}.`);
  }
  for (const row of rows) {
    if (row.result === null) {
      out.push(`**head-of-line** on ${row.label}: the scenario failed: ${row.error}.`);
      continue;
    }
    const h = row.result;
    const b = h.baseline.getLatencyUs;
    const k = h.keys.getLatencyUs;
    const s = h.scan.getLatencyUs;
    const call = h.keys.blockerCalls > 0 ? `; a \`KEYS *\` call over ${fmt(h.keyCount)} keys took ${ms(h.keys.blockerMeanMs * 1000)} ms on average (${h.keys.blockerCalls} call${h.keys.blockerCalls === 1 ? '' : 's'})` : '; no `KEYS *` call completed during the phase';
    const keysPart = row.keysStalls
      ? `\`KEYS *\` stalled other clients: GET p99 rose from ${ms(b.p99)} to ${ms(k.p99)} ms (${(k.p99 / Math.max(1, b.p99)).toFixed(1)}×, max ${ms(k.max)} ms)${call}`
      : `\`KEYS *\` did **not** stall other clients in this run — **not shown**: GET p99 ${ms(k.p99)} ms against ${ms(b.p99)} ms alone (a stall is above ${STALL_FACTOR}× and above ${ms(STALL_MIN_US)} ms)${call}`;
    const scanPart = row.scanStalls
      ? `SCAN stalled them too — **not as the seeds say**: GET p99 ${ms(s.p99)} ms during SCAN`
      : `SCAN did not (p99 ${ms(s.p99)} ms)`;
    const errs = h.baseline.getErrors + h.keys.getErrors + h.scan.getErrors;
    const recorded = (h.keysStalls !== row.keysStalls || h.scanStalls !== row.scanStalls) ? ` (the harness recorded keysStalls=${String(h.keysStalls)}, scanStalls=${String(h.scanStalls)})` : '';
    out.push(`**head-of-line** on ${row.label}: ${keysPart}; ${scanPart}${errs ? `; ${errs} GET errors` : ''}${recorded}.`);
  }
  return out;
}

function deliveriesPerSec(x: PubsubFanoutResult, params: Record<string, unknown>): number | null {
  const d = params.durationMs;
  return typeof d === 'number' && d > 0 ? x.delivered / (d / 1000) : null;
}

function pubsubFindings(rows: Array<ScenarioRow<PubsubFanoutResult>>, params: Record<string, unknown>): string[] {
  const out: string[] = [];
  const ok = rows.filter((x): x is ScenarioRow<PubsubFanoutResult> & { result: PubsubFanoutResult } => x.result !== null);
  if (ok.length > 0) {
    const first = ok[0]!.result;
    const byP99 = [...ok].sort((a, b) => a.result.deliveryLatencyUs.p99 - b.result.deliveryLatencyUs.p99);
    const best = byP99[0]!;
    const worst = byP99[byP99.length - 1]!;
    const head = `**pub/sub fan-out** (${first.subscribers} subscribers, ${first.rate} messages/s, one run per target): `;
    const lat = ok.length === 1
      ? `delivery latency p50 ${ms(best.result.deliveryLatencyUs.p50)} ms, p99 ${ms(best.result.deliveryLatencyUs.p99)} ms on ${best.label}`
      : `the lowest delivery p99 was ${best.label}'s, ${ms(best.result.deliveryLatencyUs.p99)} ms (p50 ${ms(best.result.deliveryLatencyUs.p50)} ms); the highest ${worst.label}'s, ${ms(worst.result.deliveryLatencyUs.p99)} ms (${(worst.result.deliveryLatencyUs.p99 / Math.max(1, best.result.deliveryLatencyUs.p99)).toFixed(1)}×, p50 ${ms(worst.result.deliveryLatencyUs.p50)} ms)`;
    const lost = ok.filter((x) => x.result.delivered < x.result.expected);
    const loss = lost.length === 0
      ? `every expected delivery arrived${ok.length > 1 ? ' on every target' : ''}`
      : lost.map((x) => `**${x.label} lost ${fmt(x.result.expected - x.result.delivered)} of ${fmt(x.result.expected)} deliveries** (${((1 - x.result.delivered / x.result.expected) * 100).toFixed(1)}%)`).join('; ');
    const rates = ok.map((x) => deliveriesPerSec(x.result, params)).filter((x): x is number => x !== null);
    const rate = rates.length ? ` (${fmt(Math.min(...rates))}${rates.length > 1 && Math.max(...rates) !== Math.min(...rates) ? `–${fmt(Math.max(...rates))}` : ''} deliveries/s)` : '';
    out.push(`${head}${lat}; ${loss}${rate}.`);
  }
  for (const x of ok.filter((y) => y.result.client.bound)) {
    out.push(`**pub/sub fan-out** on ${x.label}: the subscribers' process was saturated (client-bound, ${Math.round(x.result.client.utilisation * 100)}% busy), so the delivery latencies measure the client as much as the server.`);
  }
  for (const x of rows.filter((y) => y.result === null)) out.push(`**pub/sub fan-out** on ${x.label}: the scenario failed: ${x.error}.`);
  return out;
}

function webFindings(rows: Array<ScenarioRow<WebSessionsResult>>): string[] {
  const out: string[] = [];
  const ok = rows.filter((x): x is ScenarioRow<WebSessionsResult> & { result: WebSessionsResult } => x.result !== null);
  if (ok.length > 0) {
    const sorted = [...ok].sort((a, b) => b.result.throughput - a.result.throughput);
    const top = sorted[0]!;
    const first = top.result;
    const rest = sorted.slice(1).map((x) => `${x.label} ${fmt(x.result.throughput)} (${(x.result.throughput / top.result.throughput).toFixed(2)}×, p99 ${ms(x.result.latencyUs.p99)} ms)`);
    const bad = ok.filter((x) => x.result.errors > 0 || x.result.non2xx > 0);
    out.push(`**web sessions** (${first.apps} app processes, ${first.connections} connections, one run per target): ` +
      `${ok.length > 1 ? 'the most requests/s on ' : ''}${top.label}, ${fmt(top.result.throughput)} req/s (p99 ${ms(top.result.latencyUs.p99)} ms)` +
      `${rest.length ? `; ${rest.join(', ')}` : ''}; ` +
      (bad.length === 0 ? 'no errors or non-2xx answers.' : `${bad.map((x) => `**${x.label}: ${x.result.errors} errors, ${x.result.non2xx} non-2xx answers**`).join('; ')}.`));
  }
  for (const x of ok.filter((y) => y.result.client.bound)) {
    out.push(`**web sessions** on ${x.label}: autocannon was saturated (client-bound): the throughput is a floor on what the apps and server can do.`);
  }
  for (const x of rows.filter((y) => y.result === null)) out.push(`**web sessions** on ${x.label}: the scenario failed: ${x.error}.`);
  return out;
}

export function analyseScenarios(r: Results): ScenarioAnalysis {
  const sc = isObj(r.scenarios) ? r.scenarios : {};
  const hol = rowsOf(r, sc.headOfLine, isHol);
  const holRows: HolRow[] = (hol?.rows ?? []).map((x) => ({
    ...x,
    keysStalls: x.result ? stalled(x.result.keys, x.result.baseline) : null,
    scanStalls: x.result ? stalled(x.result.scan, x.result.baseline) : null,
  }));
  const ps = rowsOf(r, sc.pubsubFanout, isPubsub);
  const web = rowsOf(r, sc.webSessions, isWeb);
  const headOfLine = hol && holRows.length ? { params: hol.params, rows: holRows, findings: holFindings(holRows) } : null;
  const pubsubFanout = ps && ps.rows.length ? { ...ps, findings: pubsubFindings(ps.rows, ps.params) } : null;
  const webSessions = web && web.rows.length ? { ...web, findings: webFindings(web.rows) } : null;
  return {
    headOfLine,
    pubsubFanout,
    webSessions,
    findings: [...(headOfLine?.findings ?? []), ...(pubsubFanout?.findings ?? []), ...(webSessions?.findings ?? [])],
  };
}

// ---- Markdown ----

function mdEsc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function scenariosMarkdown(s: ScenarioAnalysis): string[] {
  const out: string[] = [];
  if (s.headOfLine) {
    out.push('### Head-of-line blocking: GET latency while another client runs `KEYS *` or SCAN', '', `<sub>${mdEsc(paramText(s.headOfLine.params))}; open-loop GETs, latency from the scheduled send time.</sub>`, '');
    out.push('| target | phase | GET p50 ms | p99 ms | max ms | GETs | other client | its calls | ms per call | verdict |', '|---|---|---:|---:|---:|---:|---|---:|---:|---|');
    for (const row of s.headOfLine.rows) {
      if (!row.result) {
        out.push(`| ${mdEsc(row.label)} | failed: ${mdEsc(row.error ?? '')} | | | | | | | | |`);
        continue;
      }
      const h = row.result;
      const phases: Array<[string, HolPhase, string]> = [
        ['alone', h.baseline, ''],
        ['during KEYS *', h.keys, row.keysStalls ? '**stalled**' : 'no stall (**not shown**)'],
        ['during SCAN', h.scan, row.scanStalls ? '**stalled** (not as expected)' : 'no stall'],
      ];
      for (const [name, p, verdict] of phases) {
        out.push(`| ${mdEsc(row.label)} | ${name} | ${ms(p.getLatencyUs.p50)} | ${ms(p.getLatencyUs.p99)} | ${ms(p.getLatencyUs.max)} | ${p.getRequests}${p.getErrors ? ` (${p.getErrors} errors)` : ''} | ` +
          `${p.blocker === null ? '–' : `\`${mdEsc(p.blocker)}\``} | ${p.blocker === null ? '–' : p.blockerCalls} | ${p.blocker === null ? '–' : fmt(p.blockerMeanMs)} | ${verdict} |`);
      }
    }
    out.push('');
  }
  if (s.pubsubFanout) {
    out.push('### Pub/sub fan-out: delivery latency', '', `<sub>${mdEsc(paramText(s.pubsubFanout.params))}</sub>`, '');
    out.push('| target | published | delivered / expected | deliveries/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | client |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of s.pubsubFanout.rows) {
      if (!row.result) {
        out.push(`| ${mdEsc(row.label)} | failed: ${mdEsc(row.error ?? '')} | | | | | | | | |`);
        continue;
      }
      const x = row.result;
      const l = x.deliveryLatencyUs;
      const dps = deliveriesPerSec(x, s.pubsubFanout.params);
      out.push(`| ${mdEsc(row.label)} | ${x.published} | ${x.delivered} / ${x.expected}${x.delivered < x.expected ? ' (**lost**)' : ''} | ${dps === null ? '–' : fmt(dps)} | ` +
        `${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${Math.round(x.client.utilisation * 100)}%${x.client.bound ? ' client-bound' : ''} |`);
    }
    out.push('');
  }
  if (s.webSessions) {
    out.push('### Web sessions: node:http apps sharing sessions, driven by autocannon', '', `<sub>${mdEsc(paramText(s.webSessions.params))}; autocannon reports whole milliseconds.</sub>`, '');
    out.push('| target | req/s | requests | mean ms | p50 ms | p90 ms | p99 ms | max ms | errors | non-2xx | client |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of s.webSessions.rows) {
      if (!row.result) {
        out.push(`| ${mdEsc(row.label)} | failed: ${mdEsc(row.error ?? '')} | | | | | | | | | |`);
        continue;
      }
      const x = row.result;
      const l = x.latencyUs;
      out.push(`| ${mdEsc(row.label)} | ${fmt(x.throughput)} | ${x.requests} | ${ms(l.mean)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} | ${x.errors} | ${x.non2xx} | ` +
        `${Math.round(x.client.utilisation * 100)}%${x.client.bound ? ' client-bound' : ''} |`);
    }
    out.push('');
  }
  return out;
}

// ---- HTML ----

const PHASE_COLORS = { baseline: '#3ca951', keys: '#ff725c', scan: '#4269d0' } as const;

function findingList(id: string, findings: string[], md: (s: string) => string): string {
  return `<ul class="findings" id="${id}">${findings.map((f) => `<li${/not shown|not as the seeds say|failed|lost|saturated|\d+ errors/.test(f) ? ' class="flag"' : ''}>${md(f)}</li>`).join('')}</ul>`;
}

export function scenariosHtml(s: ScenarioAnalysis, color: (target: string) => string, md: (s: string) => string): string {
  if (!s.headOfLine && !s.pubsubFanout && !s.webSessions) return '';
  const parts: string[] = ['<h2>Scenarios</h2><p class="note">Driven by the harness (<code>scenarios.*</code> in results.json, docs/bench.md), one run per target: no intervals. Latency bars are on a log scale.</p>'];
  const failed = (rows: Array<ScenarioRow<unknown>>): string => rows.filter((x) => x.result === null)
    .map((x) => `<p class="flag" data-target="${esc(x.target)}">${esc(x.label)}: failed: ${esc(x.error ?? '')}</p>`).join('');

  if (s.headOfLine) {
    const h = s.headOfLine;
    const ok = h.rows.filter((x): x is HolRow & { result: HeadOfLineResult } => x.result !== null);
    parts.push('<h3>Head-of-line blocking: <code>KEYS *</code> vs SCAN</h3>');
    parts.push(`<p class="note">A client sends GETs open loop (<code>getRate</code>/s, latency from each request's scheduled send time) alone (<code>baseline</code>), while another client loops <code>KEYS *</code> (<code>keys</code>), and while it loops full SCAN iterations (<code>scan</code>): <code>scenarios.headOfLine.byTarget.*.{baseline,keys,scan}.getLatencyUs</code>. ${esc(paramText(h.params))}. Stalled = that phase's GET p99 above ${STALL_FACTOR}× the baseline's and above ${ms(STALL_MIN_US)} ms.</p>`);
    parts.push(findingList('hol-findings', h.findings, md));
    const groups: BarGroup[] = ok.flatMap((row) => (['p50', 'p99', 'max'] as const).map((q) => ({
      label: q,
      section: row.label,
      bars: (['baseline', 'keys', 'scan'] as const).map((ph) => {
        const us = row.result[ph].getLatencyUs[q];
        return {
          label: ph === 'baseline' ? 'GET alone' : ph === 'keys' ? 'GET during KEYS *' : 'GET during SCAN',
          value: us / 1000,
          color: PHASE_COLORS[ph],
          data: { scenario: 'headOfLine', target: row.target, phase: ph, percentile: q, us },
        };
      }),
    })));
    if (groups.length) {
      parts.push(barChart({ id: 'hol', title: 'Head-of-line: GET latency (ms, log scale) alone, during KEYS *, during SCAN', yLabel: 'GET latency ms', groups, log: true, width: Math.max(760, 320 + groups.length * 70), height: 340 }));
      parts.push(barChart({
        id: 'hol-calls',
        title: 'The other client\'s call time (ms per call, log scale): one KEYS * call vs one SCAN call',
        yLabel: 'ms per call',
        log: true,
        groups: ok.map((row) => ({
          label: row.label,
          bars: (['keys', 'scan'] as const).map((ph) => ({
            label: ph === 'keys' ? 'KEYS * call' : 'SCAN call',
            value: row.result[ph].blockerMeanMs,
            color: PHASE_COLORS[ph],
            data: { scenario: 'headOfLine', target: row.target, phase: ph, calls: row.result[ph].blockerCalls, keyCount: row.result.keyCount },
          })),
        })),
      }));
    }
    parts.push('<table id="hol-table"><tr><th>target</th><th>phase</th><th>GET p50 ms</th><th>p99 ms</th><th>max ms</th><th>GETs</th><th>errors</th><th>other client</th><th>its calls</th><th>ms per call</th><th>verdict</th></tr>' +
      ok.flatMap((row) => (['baseline', 'keys', 'scan'] as const).map((ph) => {
        const p = row.result[ph];
        const st = ph === 'keys' ? row.keysStalls : ph === 'scan' ? row.scanStalls : null;
        const verdict = st === null ? '' : st ? (ph === 'keys' ? 'stalled' : 'stalled (not as expected)') : (ph === 'keys' ? 'no stall (not shown)' : 'no stall');
        const flag = (ph === 'keys' && st === false) || (ph === 'scan' && st === true);
        return `<tr data-target="${esc(row.target)}" data-phase="${ph}"><td>${esc(row.label)}</td><td>${ph === 'baseline' ? 'alone' : ph === 'keys' ? 'during KEYS *' : 'during SCAN'}</td>` +
          `<td>${ms(p.getLatencyUs.p50)}</td><td>${ms(p.getLatencyUs.p99)}</td><td>${ms(p.getLatencyUs.max)}</td><td>${p.getRequests}</td><td>${p.getErrors}</td>` +
          `<td>${p.blocker === null ? '–' : `<code>${esc(p.blocker)}</code>`}</td><td>${p.blocker === null ? '–' : p.blockerCalls}</td><td>${p.blocker === null ? '–' : fmt(p.blockerMeanMs)}</td>` +
          `<td${flag ? ' class="flag"' : ''}>${verdict}</td></tr>`;
      })).join('') + '</table>');
    parts.push(failed(h.rows));
  }

  if (s.pubsubFanout) {
    const p = s.pubsubFanout;
    const ok = p.rows.filter((x): x is ScenarioRow<PubsubFanoutResult> & { result: PubsubFanoutResult } => x.result !== null);
    parts.push('<h3>Pub/sub fan-out</h3>');
    parts.push(`<p class="note">One publisher, every subscriber on one channel; each delivery's delay from its publish time (<code>scenarios.pubsubFanout.byTarget.*.deliveryLatencyUs</code>); deliveries/s = <code>delivered</code> ÷ <code>params.durationMs</code>. ${esc(paramText(p.params))}.</p>`);
    parts.push(findingList('pubsub-findings', p.findings, md));
    if (ok.length) {
      const qs = [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max']] as const;
      parts.push(barChart({
        id: 'pubsub',
        title: 'Pub/sub delivery latency by percentile (ms, log scale)',
        yLabel: 'delivery latency ms',
        log: true,
        groups: qs.map(([k, lbl]) => ({
          label: lbl,
          bars: ok.map((row) => ({ label: row.label, value: row.result.deliveryLatencyUs[k] / 1000, color: color(row.target), data: { scenario: 'pubsubFanout', target: row.target, percentile: k, us: row.result.deliveryLatencyUs[k] } })),
        })),
      }));
      parts.push(barChart({
        id: 'pubsub-rate',
        title: 'Pub/sub messages delivered per second (all subscribers)',
        yLabel: 'deliveries/s',
        groups: [{
          label: 'delivered',
          bars: ok.map((row) => ({ label: row.label, value: deliveriesPerSec(row.result, p.params) ?? 0, color: color(row.target), data: { scenario: 'pubsubFanout', target: row.target, delivered: row.result.delivered, expected: row.result.expected, published: row.result.published } })),
        }],
      }));
    }
    parts.push(failed(p.rows));
  }

  if (s.webSessions) {
    const w = s.webSessions;
    const ok = w.rows.filter((x): x is ScenarioRow<WebSessionsResult> & { result: WebSessionsResult } => x.result !== null);
    parts.push('<h3>Web sessions</h3>');
    parts.push(`<p class="note">node:http app processes keep sessions in the target; autocannon drives them (<code>scenarios.webSessions.byTarget.*.{throughput,latencyUs}</code>; autocannon reports whole milliseconds). ${esc(paramText(w.params))}.</p>`);
    parts.push(findingList('web-findings', w.findings, md));
    if (ok.length) {
      parts.push(barChart({
        id: 'web',
        title: 'Web sessions: requests/s through the apps',
        yLabel: 'requests/s',
        groups: [{ label: 'req/s', bars: ok.map((row) => ({ label: row.label, value: row.result.throughput, color: color(row.target), data: { scenario: 'webSessions', target: row.target, requests: row.result.requests, errors: row.result.errors, non2xx: row.result.non2xx } })) }],
      }));
      const qs = [['mean', 'mean'], ['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['max', 'max']] as const;
      parts.push(barChart({
        id: 'web-latency',
        title: 'Web sessions: request latency (ms, log scale)',
        yLabel: 'latency ms',
        log: true,
        groups: qs.map(([k, lbl]) => ({
          label: lbl,
          bars: ok.map((row) => ({ label: row.label, value: row.result.latencyUs[k] / 1000, color: color(row.target), data: { scenario: 'webSessions', target: row.target, percentile: k, us: row.result.latencyUs[k] } })),
        })),
      }));
    }
    parts.push(failed(w.rows));
  }
  return parts.join('\n');
}
