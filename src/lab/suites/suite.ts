/**
 * What a suite is: data, not code. A suite names its targets, its repetitions, its cells
 * (workload × generator × parameters, run against every target), and optionally the scenarios
 * the harness drives itself (latency–throughput curves, head-of-line blocking, pub/sub fan-out,
 * web sessions). One file per suite in this folder, each `export default { … } satisfies Suite`;
 * `ringkv bench --suite <file>` also takes a suite from a .ts or .json file of this shape.
 *
 * Run order (src/lab/bench/runner.ts): repetition-major — every cell's repetition r runs before
 * any cell's repetition r + 1, and within a cell the targets rotate (A B C, B C A, …) — so drift
 * over the run (other jobs, thermal state) lands on every target alike.
 */

export interface CellParams {
  /** Client connections (redis-benchmark -c; the built-in generator spreads them over `threads`). */
  connections: number;
  /** Requests in flight per connection (1 = no pipelining). */
  pipeline: number;
  valueSize: number;
  /** Distinct keys (redis-benchmark -r; the built-in generator's key space). */
  keyspace: number;
  /** Built-in generator: measured window and warm-up before it. */
  durationMs?: number;
  warmupMs?: number;
  /** Built-in generator: worker threads (default 1). */
  threads?: number;
  keyDist?: 'uniform' | 'zipf' | 'sequential';
  zipfS?: number;
  /** Built-in generator: open loop at this total rate (req/s); absent = closed loop. */
  rate?: number;
  /** Built-in generator: fill the key space first (default true). */
  preload?: boolean;
  /** redis-benchmark: requests per run (-n). */
  requests?: number;
  /** redis-benchmark: a run still going after this long is killed and counted as failed (default 20 s). */
  maxMs?: number;
}

export interface CellSpec {
  /** A built-in workload name (src/lab/workloads), or a redis-benchmark test name (set, get, incr, lpush…). */
  workload: string;
  generator: 'builtin' | 'redis-benchmark';
  params: CellParams;
  /** Run against these target ids only (default: all the suite's targets). */
  targets?: string[];
}

export interface CurveSpec {
  workload: string;
  targets?: string[];
  /** Offered rates as fractions of the target's closed-loop throughput, measured first (a probe run). */
  fractions: number[];
  /** The knee: the highest rate whose p99 stays at or under this bound. */
  p99BoundUs: number;
  params: CellParams;
}

export interface HeadOfLineSpec {
  /** Keys loaded before the measurement (the issue asks 1M). */
  keys: number;
  valueSize: number;
  /** How long the GET client measures under each blocker (KEYS *, SCAN loop) and with none. */
  durationMs: number;
  /** SCAN COUNT. */
  scanCount: number;
  targets?: string[];
}

export interface PubsubFanoutSpec {
  subscribers: number;
  /** Messages per second from the one publisher. */
  rate: number;
  durationMs: number;
  payloadSize: number;
  targets?: string[];
}

export interface WebSessionsSpec {
  /** node:http app processes (a cluster sharing one port), each with its own connection to the server. */
  apps: number;
  /** autocannon connections. */
  connections: number;
  durationMs: number;
  /** Distinct session ids the requests pick from. */
  sessions: number;
  targets?: string[];
}

export interface Suite {
  name: string;
  description: string;
  /** Repetitions per cell (ringkv bench --reps overrides). */
  reps: number;
  /** Target ids (see src/lab/bench/targets.ts); absent = the default set for this machine. */
  targets?: string[];
  cells: CellSpec[];
  curves?: CurveSpec[];
  headOfLine?: HeadOfLineSpec;
  pubsubFanout?: PubsubFanoutSpec;
  webSessions?: WebSessionsSpec;
}
