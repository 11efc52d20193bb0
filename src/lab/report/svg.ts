/**
 * Inline SVG charts for report.html, drawn by hand so the report is one self-contained file
 * (no chart library, no network). Three shapes: grouped bars with error bars (linear or log
 * scale, optionally with a second row of section labels), stacked bars, and line charts on linear
 * or log axes with optional markers.
 *
 * Contract: every drawn data element (bar, error bar, point, marker) carries its number in data
 * attributes — `data-value` always, plus `data-lo`/`data-hi`, `data-x`/`data-y`,
 * `data-series`, `data-group` as relevant — so a test (or a reader with the inspector) can check
 * a chart against results.json without reading pixels. Each also has a <title> tooltip.
 * Output is deterministic: same input, same string.
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Data attributes from a record (keys without the data- prefix). */
function dataAttrs(d: Record<string, string | number | undefined>): string {
  let s = '';
  for (const [k, v] of Object.entries(d)) if (v !== undefined) s += ` data-${k}="${esc(String(v))}"`;
  return s;
}

/** Short human number: 1234567 → 1.23M, 0.00123 → 0.00123. */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toPrecision(digits)}G`;
  if (a >= 1e6) return `${(n / 1e6).toPrecision(digits)}M`;
  if (a >= 1e4) return `${(n / 1e3).toPrecision(digits)}k`;
  if (a >= 100) return n.toFixed(0);
  if (a === 0) return '0';
  return String(Number(n.toPrecision(digits)));
}

export const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

/** "Nice" linear ticks covering [0, max]. */
function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 0.001; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [min, max] (both > 0). */
function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let e = lo; e <= Math.max(hi, lo + 1); e++) ticks.push(10 ** e);
  return ticks;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function frameOf(width: number, height: number, legendRows: number): Frame {
  return { width, height, left: 70, right: 16, top: 14 + legendRows * 16, bottom: 46 };
}

function legend(items: ReadonlyArray<{ label: string; color: string }>, x0: number): string {
  return items.map((it, i) =>
    `<g class="legend" transform="translate(${x0},${8 + i * 16})"><rect width="10" height="10" fill="${it.color}"/>` +
    `<text x="14" y="9">${esc(it.label)}</text></g>`).join('');
}

// ---------------------------------------------------------------- grouped bars with error bars

export interface Bar {
  label: string;
  value: number;
  /** Error bar bounds (drawn when both are given). */
  lo?: number;
  hi?: number;
  /** Individual observations drawn as dots over the bar (e.g. the repetitions). */
  dots?: number[];
  color: string;
  data?: Record<string, string | number | undefined>;
}

export interface BarGroup {
  label: string;
  /** An outer label shared by consecutive groups (e.g. the target over its p50/p99/max groups), drawn on a second row. */
  section?: string;
  bars: Bar[];
}

export function barChart(opts: { id: string; title: string; yLabel: string; groups: BarGroup[]; width?: number; height?: number; log?: boolean }): string {
  const series = [...new Map(opts.groups.flatMap((g) => g.bars).map((b) => [b.label, b.color])).entries()];
  const f = frameOf(opts.width ?? 760, opts.height ?? 300, 0);
  const sections = opts.groups.some((g) => g.section !== undefined);
  if (sections) f.bottom += 16;
  const values = opts.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.hi ?? 0, ...(b.dots ?? [])]));
  const plotW = f.width - f.left - f.right - 210;
  const plotH = f.height - f.top - f.bottom;
  let ticks: number[];
  let y: (v: number) => number;
  if (opts.log) {
    // Log scale: bars grow from the lowest power of ten below the smallest value.
    const pos = values.filter((v) => v > 0);
    ticks = logTicks(Math.min(...pos, 1e9), Math.max(...pos, 1e-9));
    const lo = Math.log10(ticks[0]!);
    const hi = Math.log10(ticks[ticks.length - 1]!);
    y = (v) => f.top + plotH - ((Math.log10(Math.max(v, ticks[0]!)) - lo) / (hi - lo)) * plotH;
  } else {
    ticks = linearTicks(Math.max(1e-9, ...values));
    const top = ticks[ticks.length - 1]!;
    y = (v) => f.top + plotH - (v / top) * plotH;
  }
  const base = y(ticks[0]!);
  let s = axisY(ticks.map((t) => [y(t), fmt(t)]), f, plotW, opts.yLabel);
  const groupW = plotW / Math.max(1, opts.groups.length);
  opts.groups.forEach((g, gi) => {
    const n = Math.max(1, g.bars.length);
    const barW = Math.min(48, (groupW * 0.8) / n);
    const x0 = f.left + gi * groupW + (groupW - barW * n) / 2;
    s += `<text class="tick" x="${f.left + gi * groupW + groupW / 2}" y="${f.top + plotH + 16}" text-anchor="middle">${esc(g.label)}</text>`;
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * barW;
      const h = Math.max(0, base - y(b.value));
      const common = { group: g.label, section: g.section, series: b.label, ...b.data };
      s += `<rect class="bar" x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${h.toFixed(1)}" fill="${b.color}"` +
        `${dataAttrs({ ...common, value: b.value, lo: b.lo, hi: b.hi })}><title>${esc(`${g.section !== undefined ? `${g.section} · ` : ''}${g.label} · ${b.label}: ${fmt(b.value)}` +
          (b.lo !== undefined && b.hi !== undefined ? ` (${fmt(b.lo)}–${fmt(b.hi)})` : ''))}</title></rect>`;
      const cx = x + (barW - 3) / 2;
      if (b.lo !== undefined && b.hi !== undefined) {
        s += `<g class="errorbar"${dataAttrs({ ...common, lo: b.lo, hi: b.hi, value: b.value })}>` +
          `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(b.lo).toFixed(1)}" y2="${y(b.hi).toFixed(1)}"/>` +
          `<line x1="${(cx - 5).toFixed(1)}" x2="${(cx + 5).toFixed(1)}" y1="${y(b.lo).toFixed(1)}" y2="${y(b.lo).toFixed(1)}"/>` +
          `<line x1="${(cx - 5).toFixed(1)}" x2="${(cx + 5).toFixed(1)}" y1="${y(b.hi).toFixed(1)}" y2="${y(b.hi).toFixed(1)}"/></g>`;
      }
      for (const [di, d] of (b.dots ?? []).entries()) {
        s += `<circle class="dot" cx="${(cx + ((di % 3) - 1) * 4).toFixed(1)}" cy="${y(d).toFixed(1)}" r="2.2"${dataAttrs({ ...common, value: d })}><title>${esc(fmt(d))}</title></circle>`;
      }
    });
  });
  if (sections) {
    // Second label row: one label per run of consecutive groups with the same section, and a separator between runs.
    let start = 0;
    for (let gi = 1; gi <= opts.groups.length; gi++) {
      if (gi < opts.groups.length && opts.groups[gi]!.section === opts.groups[start]!.section) continue;
      const x1 = f.left + start * groupW;
      const x2 = f.left + gi * groupW;
      s += `<text class="section" x="${((x1 + x2) / 2).toFixed(1)}" y="${f.top + plotH + 34}" text-anchor="middle" font-weight="600">${esc(opts.groups[start]!.section ?? '')}</text>`;
      if (gi < opts.groups.length) s += `<line class="section-rule" x1="${x2.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${f.top}" y2="${f.top + plotH + 38}" stroke="#bbb"/>`;
      start = gi;
    }
  }
  s += legend(series.map(([label, color]) => ({ label, color })), f.left + plotW + 16);
  return wrap(opts.id, opts.title, f, s);
}

// ---------------------------------------------------------------- stacked bars

export interface Stack {
  label: string;
  parts: Array<{ label: string; value: number; color: string }>;
  data?: Record<string, string | number | undefined>;
}

export function stackedBarChart(opts: { id: string; title: string; yLabel: string; stacks: Stack[]; width?: number; height?: number }): string {
  const f = frameOf(opts.width ?? 760, opts.height ?? 300, 0);
  f.bottom = 90;
  const max = Math.max(1e-9, ...opts.stacks.map((st) => st.parts.reduce((a, p) => a + p.value, 0)));
  const ticks = linearTicks(max);
  const top = ticks[ticks.length - 1]!;
  const plotW = f.width - f.left - f.right - 210;
  const plotH = f.height - f.top - f.bottom;
  const y = (v: number): number => f.top + plotH - (v / top) * plotH;
  let s = axisY(ticks.map((t) => [y(t), fmt(t)]), f, plotW, opts.yLabel);
  const slot = plotW / Math.max(1, opts.stacks.length);
  const barW = Math.min(40, slot * 0.7);
  const partColors = new Map<string, string>();
  opts.stacks.forEach((st, i) => {
    const x = f.left + i * slot + (slot - barW) / 2;
    let acc = 0;
    for (const p of st.parts) {
      partColors.set(p.label, p.color);
      const y1 = y(acc + p.value);
      const h = y(acc) - y1;
      s += `<rect class="segment" x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${p.color}"` +
        `${dataAttrs({ stack: st.label, part: p.label, value: p.value, ...st.data })}><title>${esc(`${st.label} · ${p.label}: ${fmt(p.value)}`)}</title></rect>`;
      acc += p.value;
    }
    const lx = x + barW / 2;
    const ly = f.top + plotH + 10;
    s += `<text class="tick" transform="translate(${lx.toFixed(1)},${ly}) rotate(30)">${esc(st.label)}</text>`;
  });
  s += legend([...partColors].map(([label, color]) => ({ label, color })), f.left + plotW + 16);
  return wrap(opts.id, opts.title, f, s);
}

// ---------------------------------------------------------------- line charts

export interface Series {
  label: string;
  color: string;
  points: Array<{ x: number; y: number; data?: Record<string, string | number | undefined> }>;
  /** Points highlighted with a ring and a label (e.g. the knee). */
  markers?: Array<{ x: number; y: number; label: string; data?: Record<string, string | number | undefined> }>;
}

export interface Axis {
  label: string;
  log?: boolean;
  /** Tick labels for a log axis (value → text); default fmt. */
  tickText?: (v: number) => string;
}

export function lineChart(opts: { id: string; title: string; x: Axis; y: Axis; series: Series[]; width?: number; height?: number }): string {
  const f = frameOf(opts.width ?? 760, opts.height ?? 320, 0);
  const plotW = f.width - f.left - f.right - 210;
  const plotH = f.height - f.top - f.bottom;
  const xs = opts.series.flatMap((s) => s.points.map((p) => p.x)).filter((v) => !opts.x.log || v > 0);
  const ys = opts.series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => !opts.y.log || v > 0);
  const scale = (vals: number[], axis: Axis, len: number, flip: boolean): { at: (v: number) => number; ticks: number[] } => {
    if (axis.log) {
      const ticks = logTicks(Math.min(...vals, 1e9), Math.max(...vals, 1e-9));
      const lo = Math.log10(ticks[0]!);
      const hi = Math.log10(ticks[ticks.length - 1]!);
      return { ticks, at: (v) => { const t = (Math.log10(Math.max(v, ticks[0]!)) - lo) / (hi - lo); return flip ? len - t * len : t * len; } };
    }
    const ticks = linearTicks(Math.max(...vals, 1e-9));
    const top = ticks[ticks.length - 1]!;
    return { ticks, at: (v) => (flip ? len - (v / top) * len : (v / top) * len) };
  };
  const sx = scale(xs.length ? xs : [1], opts.x, plotW, false);
  const sy = scale(ys.length ? ys : [1], opts.y, plotH, true);
  const X = (v: number): number => f.left + sx.at(v);
  const Y = (v: number): number => f.top + sy.at(v);
  const ytext = opts.y.tickText ?? fmt;
  const xtext = opts.x.tickText ?? fmt;
  let s = axisY(sy.ticks.map((t) => [Y(t), ytext(t)]), f, plotW, opts.y.label);
  for (const t of sx.ticks) {
    s += `<line class="grid" x1="${X(t).toFixed(1)}" x2="${X(t).toFixed(1)}" y1="${f.top}" y2="${f.top + plotH}"/>` +
      `<text class="tick" x="${X(t).toFixed(1)}" y="${f.top + plotH + 16}" text-anchor="middle">${esc(xtext(t))}</text>`;
  }
  s += `<text class="axis-label" x="${f.left + plotW / 2}" y="${f.height - 8}" text-anchor="middle">${esc(opts.x.label)}</text>`;
  for (const se of opts.series) {
    const pts = se.points.filter((p) => (!opts.x.log || p.x > 0) && (!opts.y.log || p.y > 0));
    if (pts.length > 1) {
      s += `<polyline class="line" fill="none" stroke="${se.color}" stroke-width="2" points="${pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`;
    }
    for (const p of pts) {
      s += `<circle class="point" cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${se.color}"` +
        `${dataAttrs({ series: se.label, x: p.x, y: p.y, value: p.y, ...p.data })}><title>${esc(`${se.label}: ${xtext(p.x)} → ${ytext(p.y)}`)}</title></circle>`;
    }
    for (const m of se.markers ?? []) {
      s += `<g class="marker"${dataAttrs({ series: se.label, x: m.x, y: m.y, value: m.x, ...m.data })}>` +
        `<circle cx="${X(m.x).toFixed(1)}" cy="${Y(m.y).toFixed(1)}" r="8" fill="none" stroke="${se.color}" stroke-width="2.5"/>` +
        `<text x="${(X(m.x) + 10).toFixed(1)}" y="${(Y(m.y) - 10).toFixed(1)}" fill="${se.color}">${esc(m.label)}</text><title>${esc(m.label)}</title></g>`;
    }
  }
  s += legend(opts.series.map((se) => ({ label: se.label, color: se.color })), f.left + plotW + 16);
  return wrap(opts.id, opts.title, f, s);
}

function axisY(ticks: Array<[number, string]>, f: Frame, plotW: number, label: string): string {
  let s = '';
  for (const [y, text] of ticks) {
    s += `<line class="grid" x1="${f.left}" x2="${f.left + plotW}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>` +
      `<text class="tick" x="${f.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${esc(text)}</text>`;
  }
  const plotH = f.height - f.top - f.bottom;
  s += `<text class="axis-label" transform="translate(14,${f.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(label)}</text>`;
  return s;
}

function wrap(id: string, title: string, f: Frame, body: string): string {
  return `<figure class="chart" id="${esc(id)}"><figcaption>${esc(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}
