/**
 * Reading V8 .cpuprofile files (what `node --cpu-prof` writes, one per thread) into what the
 * profile report needs: per-category time, self time per function, and a merged call tree for
 * the flame graph, all restricted to a time window (the load generator's measured window).
 *
 * The .cpuprofile format: `nodes` (id, callFrame {functionName, url, lineNumber, columnNumber},
 * children ids), `samples` (a node id per tick, the leaf of the stack at that tick),
 * `timeDeltas` (µs since the previous tick), `startTime`/`endTime` (µs, CLOCK_MONOTONIC on
 * Linux: the clock of process.hrtime, so the lab's own timestamps line up with the ticks).
 *
 * Weights. A tick's time is its timeDelta, capped at CAP_INTERVALS sampling intervals: V8's
 * sampler interrupts the thread with a signal, and while the thread is preempted (a busy shared
 * machine) the signals coalesce, so one long delta would book a stretch the thread spent off the
 * CPU to whatever it ran next. The cap keeps such gaps out; what the cap drops is reported
 * (`droppedMs`) so the check against /proc can see it.
 */

import { readFileSync } from 'node:fs';
import { categorise, type Category, type Frame } from './categories.ts';

/** A tick longer than this many intervals counts as this many. */
export const CAP_INTERVALS = 2;

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A merged call-tree node: children by "function url:line"; `self` and `total` in µs. */
export interface TreeNode {
  name: string;
  url: string;
  line: number;
  cat: Category;
  self: number;
  total: number;
  children: Map<string, TreeNode>;
}

export interface FunctionTime {
  name: string;
  url: string;
  line: number;
  cat: Category;
  selfUs: number;
}

export interface ThreadProfile {
  /** The window actually covered (µs, CLOCK_MONOTONIC). */
  fromUs: number;
  toUs: number;
  intervalUs: number;
  ticks: number;
  /** Everything but idle, in ms. */
  busyMs: number;
  idleMs: number;
  /** Time the cap on long ticks left out, ms. */
  droppedMs: number;
  /** Everything but idle with no cap: the wall time the thread was not idle in the event loop, ms. */
  wallBusyMs: number;
  byCategory: Record<string, number>;
  functions: FunctionTime[];
  tree: TreeNode;
}

export function readCpuProfile(file: string): CpuProfile {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error(`${file}: not a .cpuprofile`);
  return p;
}

/** The sampling interval of a profile: the median tick (robust to the coalesced ones). */
export function medianInterval(p: CpuProfile): number {
  const d = p.timeDeltas.filter((x) => x > 0).sort((a, b) => a - b);
  return d.length === 0 ? 1000 : d[Math.floor(d.length / 2)]!;
}

/** A URL as shown: file:///…/src/x.ts → src/x.ts. */
export function shortUrl(url: string): string {
  const i = url.indexOf('/src/');
  if (url.startsWith('file://') && i >= 0) return url.slice(i + 1);
  return url.replace(/^file:\/\//, '');
}

/**
 * Aggregates the ticks of `p` whose time falls in [fromUs, toUs] (all of them when omitted).
 * `intervalUs`: the configured --cpu-prof-interval (default: the profile's median tick).
 */
export function analyseProfile(p: CpuProfile, fromUs = -Infinity, toUs = Infinity, intervalUs = medianInterval(p)): ThreadProfile {
  const byId = new Map<number, CpuNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Per node id: its stack (leaf first) and category, computed once.
  const stackOf = new Map<number, number[]>();
  const catOf = new Map<number, Category>();
  const stack = (id: number): number[] => {
    let s = stackOf.get(id);
    if (s === undefined) {
      s = [];
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        const n = byId.get(x)!;
        if (n.callFrame.functionName !== '(root)' || x === id) s.push(x);
      }
      stackOf.set(id, s);
      const frames: Frame[] = s.map((x) => byId.get(x)!.callFrame);
      catOf.set(id, categorise(frames));
    }
    return s;
  };
  const root: TreeNode = { name: 'all', url: '', line: 0, cat: 'other', self: 0, total: 0, children: new Map() };
  const byCategory: Record<string, number> = {};
  const fnSelf = new Map<string, FunctionTime>();
  const cap = intervalUs * CAP_INTERVALS;
  let t = p.startTime;
  let ticks = 0;
  let busy = 0;
  let idle = 0;
  let dropped = 0;
  let wallBusy = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < p.samples.length; i++) {
    const raw = p.timeDeltas[i] ?? 0;
    t += raw;
    // A tick's delta is the time since the previous tick: it belongs to the interval ending at t.
    if (t < fromUs || t > toUs) continue;
    const id = p.samples[i]!;
    const s = stack(id);
    const cat = catOf.get(id)!;
    const w = Math.min(Math.max(raw, 0), cap);
    if (cat !== 'idle') {
      dropped += Math.max(0, raw - cap);
      wallBusy += Math.max(raw, 0);
    }
    ticks++;
    first = Math.min(first, t - raw);
    last = Math.max(last, t);
    byCategory[cat] = (byCategory[cat] ?? 0) + w;
    if (cat === 'idle') {
      idle += w;
      continue;
    }
    busy += w;
    // The tree: root → … → leaf.
    let node = root;
    root.total += w;
    for (let k = s.length - 1; k >= 0; k--) {
      const cf = byId.get(s[k]!)!.callFrame;
      const key = `${cf.functionName}\u0000${cf.url}\u0000${cf.lineNumber}`;
      let child = node.children.get(key);
      if (child === undefined) {
        child = { name: cf.functionName || '(anonymous)', url: shortUrl(cf.url), line: cf.lineNumber + 1, cat: catOf.get(s[k]!) ?? stackCat(s.slice(k), byId), self: 0, total: 0, children: new Map() };
        node.children.set(key, child);
      }
      child.total += w;
      node = child;
    }
    node.self += w;
    node.cat = cat;
    const leaf = byId.get(id)!.callFrame;
    const fk = `${leaf.functionName}\u0000${leaf.url}\u0000${leaf.lineNumber}`;
    const f = fnSelf.get(fk) ?? { name: leaf.functionName || '(anonymous)', url: shortUrl(leaf.url), line: leaf.lineNumber + 1, cat, selfUs: 0 };
    f.selfUs += w;
    fnSelf.set(fk, f);
  }
  for (const k of Object.keys(byCategory)) byCategory[k] = byCategory[k]! / 1000;
  return {
    fromUs: first === Infinity ? p.startTime : first,
    toUs: last === -Infinity ? p.endTime : last,
    intervalUs,
    ticks,
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    droppedMs: dropped / 1000,
    wallBusyMs: wallBusy / 1000,
    byCategory,
    functions: [...fnSelf.values()].sort((a, b) => b.selfUs - a.selfUs),
    tree: root,
  };
}

/** The category of an inner node's stack (its own frame and its callers), for colouring. */
function stackCat(ids: number[], byId: Map<number, CpuNode>): Category {
  return categorise(ids.map((x) => byId.get(x)!.callFrame));
}
