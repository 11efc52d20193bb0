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
 * Weights. V8's sampler thread wakes every interval and signals the profiled thread, whose signal
 * handler records the stack and the time (the tick's timestamp: when the handler ran). A tick's
 * delta therefore covers whatever happened since the previous tick, including time the thread
 * spent waiting on a run queue (a busy shared machine) and time the sampler itself was late. A
 * tick's weight is its timeDelta, except:
 *
 *   - a tick whose leaf is a native function (a syscall wrapper such as `writeBuffer`, `writev`,
 *     `Atomics.notify`) counts at most one typical tick (`baseUs`, the profile's median delta):
 *     preemption happens at the exit of exactly such calls (a `write()` that wakes the reader,
 *     a futex wake), so a late tick there is mostly the thread waiting to run again;
 *   - any other tick counts at most CAP_INTERVALS sampling intervals.
 *
 * The uncapped sum (`wallBusyMs`) and the plain two-interval cap (`cap2Ms`, the estimate before
 * the syscall rule) are kept beside it for the check against /proc. Nothing here uses /proc:
 * the estimate is the profile's own, so comparing it with /proc is a real check. */

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
  /** Everything but idle, in ms (the weights above). */
  busyMs: number;
  /** Everything but idle with every tick capped at CAP_INTERVALS intervals (no syscall rule), ms. */
  cap2Ms: number;
  /** The typical tick (median delta), µs: the weight limit of a late tick at a native leaf. */
  baseUs: number;
  idleMs: number;
  /** Non-idle time the weights left out (wallBusyMs − busyMs), ms. */
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
  const baseUs = Math.min(medianInterval(p), cap);
  // Per node id: is its leaf a native function (not a pseudo-frame like (program) or (idle))?
  const nativeLeaf = (id: number): boolean => {
    const cf = byId.get(id)!.callFrame;
    return cf.url === '' && cf.functionName !== '' && !cf.functionName.startsWith('(');
  };
  let t = p.startTime;
  let ticks = 0;
  let busy = 0;
  let idle = 0;
  let dropped = 0;
  let wallBusy = 0;
  let cap2 = 0;
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
    const w = Math.min(Math.max(raw, 0), cat !== 'idle' && nativeLeaf(id) ? baseUs : cap);
    if (cat !== 'idle') {
      dropped += Math.max(0, raw - w);
      wallBusy += Math.max(raw, 0);
      cap2 += Math.min(Math.max(raw, 0), cap);
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
    cap2Ms: cap2 / 1000,
    baseUs,
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
