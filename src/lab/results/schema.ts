/**
 * results.json, schema "ringkv-bench/1": the one file a benchmark run writes
 * (results/<run-id>/results.json) and everything downstream reads (`ringkv report`, `ringkv gate`,
 * the repeatability check). This file is the schema's truth: the types, a strict hand-written
 * validator, and the only read/write functions, which validate on both sides.
 *
 * Contract:
 * - `validateResults(x)` throws a `ResultsError` naming the first bad path
 *   (e.g. `cells[2].reps[0].latencyUs.p99: expected a finite number, got "12"`); an unknown
 *   schema id is an error, and so is an unknown key on a fixed-shape object (a typo'd field must
 *   not pass silently). Open maps are `cells[].params` and `scenarios`.
 * - Fields marked "optional" were added after the first commit; readers must tolerate their
 *   absence. Never rename or remove a field under the same schema id: bump the id instead.
 *
 * Imports nothing of ours (the lab is a client; this is a leaf of it).
 */

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SCHEMA_ID = 'ringkv-bench/1';

/** Latency summary in microseconds. */
export interface Latency {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** A cell's summary statistic over its repetitions. cv = stddev / mean (0..); ci95 = mean ± t·s/√n. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  cv: number;
  ci95: [number, number];
}

export type ThreadRole = 'main' | 'io' | 'other';

export interface ServerThread {
  tid: number;
  /** The thread's name in /proc (comm), e.g. "node", "io-thread-1", "io_thd_1". */
  name: string;
  /** main: the executor thread; io: an I/O worker (ringkv io-thread-N, redis io_thd_N); other: GC, libuv pool, bio… */
  role: ThreadRole;
  /** user + system CPU time spent during the measured window. */
  cpuMs: number;
}

export interface Rep {
  rep: number;
  /** Position of this run in the interleaved schedule (0-based, across the whole suite). */
  order: number;
  throughput: number;
  errors: number;
  durationMs: number;
  latencyUs: Latency;
  /** HdrHistogram, base64 compressed, µs; null when the generator gives none (redis-benchmark). */
  histogram: string | null;
  server: {
    threads: ServerThread[];
    cpuMs: number;
    rssBytes: number;
    /** requests / (server cpuMs / 1000); 0 when unknown (external server). */
    opsPerCpuSec: number;
  };
  client: { cpuMs: number; utilisation: number; bound: boolean };
}

export interface Cell {
  target: string;
  workload: string;
  generator: 'builtin' | 'redis-benchmark';
  params: Record<string, number | string | boolean>;
  reps: Rep[];
  summary: { throughput: Stat; p50: Stat; p99: Stat; unstable: boolean };
}

export interface Target {
  id: string;
  label: string;
  kind: 'ringkv' | 'redis' | 'external';
  ioThreads: number;
  args: string[];
  available: boolean;
  /** Why a target is unavailable (e.g. "redis-server not on PATH"). */
  reason?: string;
}

export interface CurvePoint {
  rate: number;
  throughput: number;
  latencyUs: { p50: number; p99: number; p999: number };
  histogram: string;
}

export interface Curve {
  target: string;
  workload: string;
  p99BoundUs: number;
  points: CurvePoint[];
  /** The highest offered rate whose p99 stayed under the bound; null when none did. */
  knee: { rate: number; throughput: number } | null;
}

export interface Env {
  cpuModel: string;
  cores: number;
  kernel: string;
  node: string;
  ringkvCommit: string;
  ringkvDirty: boolean;
  redisVersion: string | null;
  hostname: string;
  loadavg: number[];
  pinned: boolean;
  notes: string[];
}

// ---- scenarios: results.scenarios.<name> = { params, byTarget: { <target id>: result | { error } } } ----
// Written by src/lab/bench/scenarios.ts. The validator checks only that `scenarios` is an object;
// these types are the shapes readers may rely on.

export interface ScenarioRun<R> {
  params: Record<string, unknown>;
  byTarget: Record<string, R | { error: string }>;
}

export interface HolPhase {
  blocker: string | null;
  getRequests: number;
  getErrors: number;
  getLatencyUs: { p50: number; p90: number; p99: number; p999: number; max: number };
  blockerCalls: number;
  blockerMeanMs: number;
}

export interface HeadOfLineResult {
  keyCount: number;
  getRate: number;
  baseline: HolPhase;
  keys: HolPhase;
  scan: HolPhase;
  /** keys p99 > 3× baseline p99 and > 20 ms: KEYS * stalled the other client. */
  keysStalls: boolean;
  /** The same test for SCAN (the seeds say: false). */
  scanStalls: boolean;
}

export interface PubsubFanoutResult {
  subscribers: number;
  rate: number;
  published: number;
  expected: number;
  delivered: number;
  deliveryLatencyUs: { p50: number; p90: number; p99: number; p999: number; max: number };
  histogram: string;
  client: { cpuMs: number; utilisation: number; bound: boolean };
}

export interface WebSessionsResult {
  apps: number;
  connections: number;
  sessions: number;
  requests: number;
  throughput: number;
  latencyUs: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  client: { cpuMs: number; utilisation: number; bound: boolean };
}

export interface Results {
  schema: typeof SCHEMA_ID;
  runId: string;
  startedAt: string;
  finishedAt: string;
  suite: string;
  env: Env;
  targets: Target[];
  cells: Cell[];
  curves: Curve[];
  /** headOfLine?: ScenarioRun<HeadOfLineResult>; pubsubFanout?: ScenarioRun<PubsubFanoutResult>; webSessions?: ScenarioRun<WebSessionsResult>. */
  scenarios: Record<string, unknown>;
}

export class ResultsError extends Error {
  override name = 'ResultsError';
}

// ---- the validator: one small checker per shape, each given the path it is checking ----

type Check = (v: unknown, at: string) => void;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function fail(at: string, want: string, v: unknown): never {
  throw new ResultsError(`${at || 'results'}: expected ${want}, got ${show(v)}`);
}

const num: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, 'a finite number', v);
};
const nonNeg: Check = (v, at) => {
  num(v, at);
  if ((v as number) < 0) fail(at, 'a number >= 0', v);
};
const int: Check = (v, at) => {
  if (!Number.isInteger(v) || (v as number) < 0) fail(at, 'an integer >= 0', v);
};
const str: Check = (v, at) => {
  if (typeof v !== 'string') fail(at, 'a string', v);
};
const bool: Check = (v, at) => {
  if (typeof v !== 'boolean') fail(at, 'a boolean', v);
};
const nullable = (c: Check): Check => (v, at) => {
  if (v !== null) c(v, at);
};
const oneOf = (...values: string[]): Check => (v, at) => {
  if (typeof v !== 'string' || !values.includes(v)) fail(at, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
};
const array = (c: Check): Check => (v, at) => {
  if (!Array.isArray(v)) fail(at, 'an array', v);
  (v as unknown[]).forEach((x, i) => c(x, `${at}[${i}]`));
};
const isoDate: Check = (v, at) => {
  str(v, at);
  if (Number.isNaN(Date.parse(v as string))) fail(at, 'an ISO date', v);
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A fixed-shape object: every required key present and valid, optional ones valid when present, nothing else. */
function object(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v, at) => {
    if (!isPlainObject(v)) fail(at, 'an object', v);
    const o = v as Record<string, unknown>;
    for (const [k, c] of Object.entries(required)) {
      if (!(k in o)) throw new ResultsError(`${at ? `${at}.` : ''}${k}: missing`);
      c(o[k], at ? `${at}.${k}` : k);
    }
    for (const [k, c] of Object.entries(optional)) if (k in o && o[k] !== undefined) c(o[k], at ? `${at}.${k}` : k);
    for (const k of Object.keys(o)) {
      if (!(k in required) && !(k in optional)) throw new ResultsError(`${at ? `${at}.` : ''}${k}: unknown field`);
    }
  };
}

const latency = object({ mean: nonNeg, p50: nonNeg, p90: nonNeg, p99: nonNeg, p999: nonNeg, max: nonNeg });

const stat: Check = (v, at) => {
  object({ median: num, min: num, max: num, cv: nonNeg, ci95: array(num) })(v, at);
  const s = v as Stat;
  if (s.ci95.length !== 2) fail(`${at}.ci95`, 'a pair [lo, hi]', s.ci95);
  if (s.min > s.median || s.median > s.max) fail(at, 'min <= median <= max', { min: s.min, median: s.median, max: s.max });
};

const thread = object({ tid: int, name: str, role: oneOf('main', 'io', 'other'), cpuMs: nonNeg });

const rep = object({
  rep: int,
  order: int,
  throughput: nonNeg,
  errors: int,
  durationMs: nonNeg,
  latencyUs: latency,
  histogram: nullable(str),
  server: object({ threads: array(thread), cpuMs: nonNeg, rssBytes: int, opsPerCpuSec: nonNeg }),
  client: object({ cpuMs: nonNeg, utilisation: nonNeg, bound: bool }),
});

const params: Check = (v, at) => {
  if (!isPlainObject(v)) fail(at, 'an object', v);
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'string' || typeof x === 'boolean') continue;
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${at}.${k}`, 'a number, string or boolean', x);
  }
};

const cell = object({
  target: str,
  workload: str,
  generator: oneOf('builtin', 'redis-benchmark'),
  params,
  reps: array(rep),
  summary: object({ throughput: stat, p50: stat, p99: stat, unstable: bool }),
});

const target = object(
  { id: str, label: str, kind: oneOf('ringkv', 'redis', 'external'), ioThreads: int, args: array(str), available: bool },
  { reason: str },
);

const curve = object({
  target: str,
  workload: str,
  p99BoundUs: nonNeg,
  points: array(object({
    rate: nonNeg,
    throughput: nonNeg,
    latencyUs: object({ p50: nonNeg, p99: nonNeg, p999: nonNeg }),
    histogram: str,
  })),
  knee: nullable(object({ rate: nonNeg, throughput: nonNeg })),
});

const env = object({
  cpuModel: str,
  cores: int,
  kernel: str,
  node: str,
  ringkvCommit: str,
  ringkvDirty: bool,
  redisVersion: nullable(str),
  hostname: str,
  loadavg: array(num),
  pinned: bool,
  notes: array(str),
});

const results = object({
  schema: (v, at) => {
    if (v !== SCHEMA_ID) throw new ResultsError(`${at}: unknown schema id ${show(v)} (this ringkv reads "${SCHEMA_ID}")`);
  },
  runId: str,
  startedAt: isoDate,
  finishedAt: isoDate,
  suite: str,
  env,
  targets: array(target),
  cells: array(cell),
  curves: array(curve),
  scenarios: (v, at) => {
    if (!isPlainObject(v)) fail(at, 'an object', v);
  },
});

/** Throws a ResultsError naming the first path that does not fit "ringkv-bench/1". */
export function validateResults(x: unknown): asserts x is Results {
  if (!isPlainObject(x)) fail('', 'an object', x);
  results(x, '');
  // Cross-references: every cell and curve names a declared target.
  const r = x as unknown as Results;
  const ids = new Set(r.targets.map((t) => t.id));
  if (ids.size !== r.targets.length) throw new ResultsError('targets: duplicate target id');
  r.cells.forEach((c, i) => {
    if (!ids.has(c.target)) throw new ResultsError(`cells[${i}].target: ${show(c.target)} is not a declared target id`);
  });
  r.curves.forEach((c, i) => {
    if (!ids.has(c.target)) throw new ResultsError(`curves[${i}].target: ${show(c.target)} is not a declared target id`);
  });
}

/** Reads and validates a results.json; the error names the file and the bad path. */
export function readResults(file: string): Results {
  let x: unknown;
  try {
    x = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ResultsError(`${file}: ${(err as Error).message}`);
  }
  try {
    validateResults(x);
  } catch (err) {
    throw new ResultsError(`${file}: ${(err as Error).message}`);
  }
  return x;
}

/** Validates, then writes atomically (temp file + rename), creating the directory. */
export function writeResults(file: string, r: Results): void {
  validateResults(r);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(r, null, 2)}\n`);
  renameSync(tmp, file);
}
