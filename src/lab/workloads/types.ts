/**
 * What a workload is, for the load generator (src/lab/loadgen) and the harness's suites.
 *
 * A workload is data (name, description, request kinds, preload, advice on defaults) plus one
 * small function, `connection(ctx)`, that returns the request generator of one connection. The
 * generator writes the first step of a new request into the connection's encoder and returns
 * a `Req` saying how many replies that step expects. Most requests are one command (or a few
 * independent commands sent together, such as INCR + EXPIRE NX); a request that needs a reply
 * before it can go on (a lock's release: WATCH + GET, then MULTI/DEL/EXEC only if the value is
 * ours) carries a `Script` whose `next` receives the step's captured reply and writes the next
 * step, or ends the request. Latency is measured over the whole request.
 *
 * Workloads import only the loadgen's pure helpers (encoder, rng); they run inside generator
 * threads.
 */

import type { Encoder } from '../loadgen/encoder.ts';
import type { KeyDist, Rng } from '../loadgen/rng.ts';

/** One step of a request: the replies it waits for, and what follows. */
export interface Req {
  /** Index into the workload's `kinds`: the request is counted under the kind of its last step. */
  readonly kind: number;
  /** Replies this step's commands produce. */
  readonly replies: number;
  /** Hand this step's last reply (raw bytes) to `script.next`. */
  readonly capture: boolean;
  /** A multi-step request's continuation; null for a one-step request. */
  readonly script: Script | null;
}

export interface Script {
  /**
   * Called when the step's replies are in. `reply` is the last reply's raw bytes (when
   * `capture` was set; valid only during the call), `error` whether any reply of the step was
   * an error. Writes the next step into `enc` and returns it, or returns null: request done.
   */
  next(reply: Buffer | null, error: boolean, enc: Encoder): Req | null;
}

/** A one-step request of one reply: allocate once, return for every request of that kind. */
export function single(kind: number, replies = 1): Req {
  return { kind, replies, capture: false, script: null };
}

/** Everything a connection's generator may use. */
export interface WorkloadContext {
  keyspace: number;
  valueSize: number;
  /** The value argument, pre-encoded: `$<valueSize>\r\n<bytes>\r\n`. */
  valueBulk: Buffer;
  /** The value bytes themselves (seeded printable characters). */
  value: string;
  rng: Rng;
  /** The next key number from the run's key distribution. */
  nextKey(): number;
  /** Unique per connection within a run (lock tokens). */
  connId: string;
}

/** How to fill the key space before measuring. */
export interface Preload {
  /** For people: what the preload leaves behind. */
  describe: string;
  /** Keys covered per `write` call. */
  keysPerWrite: number;
  /** Writes commands covering keys [lo, hi) into enc; returns how many replies they produce. */
  write(enc: Encoder, lo: number, hi: number, ctx: WorkloadContext): number;
}

export interface Workload {
  name: string;
  description: string;
  /** Request kinds, for per-kind counts (LoadResult.perCommand). */
  kinds: readonly string[];
  /**
   * Requests hold connection state between steps (WATCH): the generator keeps at most one
   * request in flight per connection, whatever the pipeline setting.
   */
  serial?: boolean;
  /** Null: the workload starts from an empty key space (keys appear as requests create them). */
  preload: Preload | null;
  /** Advice for callers that leave these open (the CLI, suites). */
  defaults: { keyDist: KeyDist; keyspace: number; valueSize: number };
  connection(ctx: WorkloadContext): (enc: Encoder) => Req;
}
