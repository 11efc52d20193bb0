/**
 * A point-in-time RDB image of a live keyspace, without fork().
 *
 * Redis forks and lets the kernel's copy-on-write keep the child's view frozen. One Node
 * process cannot, so the snapshot freezes the view itself, at key granularity:
 *
 *   epoch      `new Snapshot()` is the point in time. From then on every key is in exactly one
 *              of three states per database: not yet serialised, serialised, or born after
 *              the epoch (never to be serialised).
 *   slices     `run()` walks each database's Map in time slices of `sliceMs`, yielding to
 *              the event loop between slices (setImmediate, or a timer of `gapMs` when the
 *              server asks for a gap), so command batches run in between (the server picks
 *              the budget and the gap per slice: see persistence.ts).
 *   COW rule   before a write command touches a key (the executor's beforeWrite hook, with
 *              the command's key positions), `beforeWrite()` serialises that key's current
 *              value first if it has not been serialised yet, or marks an absent key as born
 *              after the epoch. The write then goes ahead; the image keeps the old value.
 *
 * Why this gives exactly the keyspace as it was at the epoch:
 * - A key present at the epoch is serialised once, either by the walk or by the hook before
 *   its first write, always with the value (and TTL) it had at the epoch: nothing changed it
 *   before the hook ran. `handled` (per database) remembers which keys are done, so the walk
 *   skips keys the hook took and the hook skips keys the walk took.
 * - A key created after the epoch was created by a write command, whose hook saw it absent and
 *   put it in `handled`; the walk (a Map iterator, which yields keys inserted later too) skips
 *   it. A key deleted after the epoch was serialised by the hook before the delete.
 * - The file groups keys by database. A key of a database the walk has not reached yet is
 *   serialised into that database's own side encoder and spliced in when the walk gets there;
 *   a key of the database being walked goes straight into the main stream; a database already
 *   walked (or empty at the epoch) needs nothing.
 *
 * What the hook cannot see, and what is done about it (the caller's duty):
 * - Writes not made through a command's declared keys: FLUSHALL/FLUSHDB (and SWAPDB) replace
 *   whole databases, so the caller finishes the snapshot synchronously first (`finishNow()`);
 *   MOVE and COPY … DB write a key of another database, which `beforeCommand()` knows about.
 * - Expiry deletions: a key expired after the epoch may be missing from the image. Its expiry
 *   time had passed, so a loader would drop it anyway.
 *
 * Output leaves through `sink` in order, in pieces of ~1 MB; `run()` resolves once the last
 * piece (EOF and checksum) has been written. Back-pressure: a slice waits while more than
 * 16 MB are queued in the sink.
 *
 * Imports only the store and this folder.
 */

import type { Db } from '../../store/db.ts';
import type { Keyspace } from '../../store/keyspace.ts';
import { RdbEncoder, type RdbWriteOptions } from './writer.ts';

/** Writes one piece of the file; pieces arrive in order; a piece's memory is reused once its promise settles. */
export type SnapshotSink = (chunk: Buffer) => Promise<void>;

/** Keys serialised between two reads of the clock. */
const CLOCK_EVERY = 8;
/**
 * A piece is handed to the sink once this many bytes are encoded: small enough that folding it
 * into the CRC (~2.5 ns a byte) stays well inside a slice.
 */
const PIECE_BYTES = 64 << 10;
/** A slice waits for the sink while more than this many bytes are queued in it. */
const MAX_QUEUED = 16 << 20;

/**
 * A set of keys split over many small Sets by a hash of the key. One JS Set of a million keys
 * rehashes all at once each time it doubles, a pause of tens of milliseconds in the middle of
 * a slice; shards of a few thousand keys each rehash in microseconds.
 */
class KeySet {
  /** Created on first use, so a snapshot of many small databases starts cheaply. */
  private readonly shards: Array<Set<string> | undefined> = new Array(KEYSET_SHARDS);

  private static slot(key: string): number {
    // FNV-1a over the key's bytes (latin1: one char per byte).
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return (h >>> 0) & (KEYSET_SHARDS - 1);
  }

  /** Adds `key`; false if it was there already. */
  add(key: string): boolean {
    const set = (this.shards[KeySet.slot(key)] ??= new Set());
    if (set.has(key)) return false;
    set.add(key);
    return true;
  }
}

/** Shards of a KeySet (a power of two). */
const KEYSET_SHARDS = 4096;

/** This thread's CPU time in µs (process.threadCpuUsage, Node 23.9+), or 0 where missing. */
function threadCpuMicros(): number {
  const u = process.threadCpuUsage?.();
  return u === undefined ? 0 : u.user + u.system;
}

interface DbPlan {
  readonly db: Db;
  readonly keys: number;
  readonly expires: number;
}

export class Snapshot {
  private readonly keyspace: Keyspace;
  private readonly enc: RdbEncoder;
  private readonly opts: RdbWriteOptions;
  private readonly sink: SnapshotSink;
  private readonly sliceMs: number | (() => number);
  private readonly gapMs: (() => number) | undefined;
  /** Databases non-empty at the epoch, in order. */
  private readonly plan: DbPlan[] = [];
  /** Index in `plan` of the database being walked (plan.length: all walked). */
  private cur = -1;
  private it: Iterator<string> | null = null;
  /** Per database not yet finished: keys serialised, or born after the epoch. */
  private readonly handled = new Map<Db, KeySet>();
  /** Copy-on-write captures for databases the walk has not reached. */
  private readonly side = new Map<Db, RdbEncoder>();
  /** Databases needing nothing more from the hook (walked, or empty at the epoch). */
  private readonly finished = new Set<Db>();
  private done = false;
  private queued = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** Piece buffers whose write is done, for reuse (see RdbEncoder.take), and all of them by memory. */
  private readonly pool: Buffer[] = [];
  private readonly pooled = new Map<ArrayBufferLike, Buffer>();

  /** The epoch, Unix ms. */
  readonly startedAt = Date.now();
  /** Keys present at the epoch, and serialised so far (INFO current_save_keys_*). */
  readonly keysTotal: number;
  keysDone = 0;
  /** Keys serialised early by the copy-on-write hook, and the bytes they took. */
  cowKeys = 0;
  cowBytes = 0;
  /** Slices run, and the longest (ms). */
  slices = 0;
  longestSliceMs = 0;
  /**
   * The longest slice in this thread's CPU time: what the save itself cost, without the time
   * the OS gave the core to other processes (on a shared machine the wall-clock figure is
   * mostly that).
   */
  longestSliceCpuMs = 0;

  /**
   * `sliceMs`: each slice's budget, fixed, or asked before every slice (the server's persistence
   * gives short slices while clients are active and long ones while it is idle). `gapMs`, asked
   * after every slice: how long to leave the executor to clients before the next slice (a
   * timer); 0 or absent: the next turn of the event loop (setImmediate).
   */
  constructor(keyspace: Keyspace, opts: RdbWriteOptions, sink: SnapshotSink, sliceMs: number | (() => number) = 2, gapMs?: () => number) {
    this.keyspace = keyspace;
    this.opts = opts;
    this.sink = sink;
    this.sliceMs = sliceMs;
    this.gapMs = gapMs;
    this.enc = new RdbEncoder(opts);
    let total = 0;
    for (const db of keyspace.dbs) {
      if (db.size === 0) {
        this.finished.add(db);
        continue;
      }
      this.plan.push({ db, keys: db.size, expires: db.expires.size });
      this.handled.set(db, new KeySet());
      total += db.size;
    }
    this.keysTotal = total;
  }

  /** Whether every key has been serialised (the file may still be being written). */
  get serialised(): boolean {
    return this.done;
  }

  /**
   * The copy-on-write hook for a write command about to run in `db` on `keys`. `argv` lets it
   * see the keys a command writes in another database (MOVE key db, COPY src dst DB n).
   */
  beforeCommand(db: Db, argv: readonly string[], keys: Iterable<string>): void {
    if (this.done) return;
    const name = argv[0]!.toLowerCase();
    if (name === 'flushall' || name === 'flushdb' || name === 'swapdb') {
      // Whole databases change at once: finish the image now, synchronously (see above).
      this.finishNow();
      return;
    }
    for (const k of keys) this.beforeWrite(db, k);
    if (name === 'move' && argv.length === 3) {
      const other = this.dbByText(argv[2]!);
      if (other !== null) this.beforeWrite(other, argv[1]!);
    } else if (name === 'copy') {
      for (let i = 3; i + 1 < argv.length; i++) {
        if (argv[i]!.toLowerCase() === 'db') {
          const other = this.dbByText(argv[i + 1]!);
          if (other !== null) this.beforeWrite(other, argv[2]!);
        }
      }
    }
  }

  private dbByText(s: string): Db | null {
    if (!/^(0|[1-9]\d{0,9})$/.test(s)) return null;
    return this.keyspace.dbs[Number(s)] ?? null;
  }

  /** Serialises `key` of `db` now if the image still needs its current value. */
  beforeWrite(db: Db, key: string): void {
    if (this.done || this.finished.has(db)) return;
    if (!this.handled.get(db)!.add(key)) return;
    const value = db.dict.get(key);
    if (value === undefined) return; // born after the epoch (or gone by expiry)
    const walking = this.plan[this.cur]?.db === db;
    let enc = walking ? this.enc : this.side.get(db);
    if (enc === undefined) {
      enc = new RdbEncoder(this.opts, false);
      this.side.set(db, enc);
    }
    const before = enc.pending;
    enc.entry(key, value, db.expires.get(key));
    this.cowKeys++;
    this.cowBytes += enc.pending - before;
    this.keysDone++;
  }

  /**
   * Serialises for up to `budgetMs` (Infinity: to the end). Returns true once everything is
   * serialised and the final piece is queued.
   */
  step(budgetMs: number): boolean {
    if (this.done) return true;
    const t0 = performance.now();
    const cpu0 = threadCpuMicros();
    const deadline = t0 + budgetMs;
    let n = 0;
    for (;;) {
      if (this.it === null) {
        if (this.cur >= 0) {
          const db = this.plan[this.cur]!.db;
          this.finished.add(db);
          this.handled.delete(db);
        }
        this.cur++;
        if (this.cur >= this.plan.length) {
          this.done = true;
          this.push(this.enc.finish());
          break;
        }
        const p = this.plan[this.cur]!;
        this.enc.selectDb(p.db.index, p.keys, p.expires);
        const side = this.side.get(p.db);
        if (side !== undefined) {
          this.enc.append(side.take());
          this.side.delete(p.db);
        }
        this.it = p.db.dict.keys();
      }
      const db = this.plan[this.cur]!.db;
      const handled = this.handled.get(db)!;
      const r = this.it.next();
      if (r.done) {
        this.it = null;
        continue;
      }
      const key = r.value;
      if (!handled.add(key)) continue;
      this.enc.entry(key, db.dict.get(key)!, db.expires.get(key));
      this.keysDone++;
      if (this.enc.pending >= PIECE_BYTES) this.push(this.enc.take(this.pieceBuffer()));
      if (++n % CLOCK_EVERY === 0 && performance.now() >= deadline) break;
    }
    if (!this.done && this.enc.pending >= PIECE_BYTES) this.push(this.enc.take(this.pieceBuffer()));
    const ms = performance.now() - t0;
    const cpuMs = (threadCpuMicros() - cpu0) / 1000;
    this.slices++;
    if (ms > this.longestSliceMs) this.longestSliceMs = ms;
    if (cpuMs > this.longestSliceCpuMs) this.longestSliceCpuMs = cpuMs;
    return this.done;
  }

  /** A free piece buffer: a written one, or a new one (at most MAX_QUEUED / PIECE_BYTES exist). */
  private pieceBuffer(): Buffer | undefined {
    const b = this.pool.pop();
    if (b !== undefined || this.pooled.size >= MAX_QUEUED / PIECE_BYTES) return b;
    const fresh = Buffer.allocUnsafeSlow(PIECE_BYTES * 2);
    this.pooled.set(fresh.buffer, fresh);
    return fresh;
  }

  private push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.queued += chunk.length;
    this.writing = this.writing.then(async () => {
      if (this.failure !== null) return;
      try {
        await this.sink(chunk);
      } catch (err) {
        this.failure = err as Error;
      }
      this.queued -= chunk.length;
      // Written: its memory goes back to the pool (pieces are views of pooled buffers).
      const whole = this.pooled.get(chunk.buffer);
      if (whole !== undefined) this.pool.push(whole);
    });
  }

  /**
   * Gives up (SHUTDOWN saving synchronously, or a failure elsewhere): nothing more is
   * serialised, and run() rejects with `why`.
   */
  abort(why: Error): void {
    if (this.failure === null) this.failure = why;
    this.done = true;
  }

  /** Serialises everything left now, synchronously (before FLUSHALL/FLUSHDB). */
  finishNow(): void {
    this.step(Infinity);
  }

  /** Runs the slices to the end and waits for the sink; rejects if the sink failed. */
  async run(): Promise<void> {
    const budget = this.sliceMs;
    while (!this.step(typeof budget === 'number' ? budget : budget())) {
      const gap = this.gapMs?.() ?? 0;
      if (gap > 0) await new Promise<void>((resolve) => setTimeout(resolve, gap));
      else await new Promise<void>((resolve) => setImmediate(resolve));
      // Back-pressure: let the disk catch up rather than queue the whole file in memory.
      while (this.queued > MAX_QUEUED && this.failure === null) await this.writing;
      if (this.failure !== null) break;
    }
    await this.writing;
    if (this.failure !== null) throw this.failure;
  }
}

/**
 * The background save's duty cycle (ms). While clients are active (a command ran in the last
 * 100 ms) the save runs a 4 ms slice, then leaves the executor to clients for 16 ms (a timer,
 * so the process sleeps when they are quiet): 20% of the executor's time, so a save takes at
 * most ~5x its own CPU time while clients are busy, and a client running commands back to back
 * meets a slice on about one command in a few hundred rather than on nearly every one (which
 * is what back-to-back 0.05 ms slices did: see docs/persistence.md, "Measured pause"). While
 * the server is idle, 2 ms slices run back to back (setImmediate), so the save does not drag
 * on. RINGKV_BGSAVE_SLICE_MS / RINGKV_BGSAVE_BUSY_GAP_MS / RINGKV_BGSAVE_IDLE_SLICE_MS override
 * them for experiments (SLICE_MS=0.05 with BUSY_GAP_MS=0 is the earlier policy).
 */
const BUSY_SLICE_MS = Number(process.env.RINGKV_BGSAVE_SLICE_MS ?? 4);
const BUSY_GAP_MS = Number(process.env.RINGKV_BGSAVE_BUSY_GAP_MS ?? 16);
const IDLE_SLICE_MS = Number(process.env.RINGKV_BGSAVE_IDLE_SLICE_MS ?? 2);

/**
 * The duty cycle above as a Snapshot's `sliceMs` and `gapMs`: busy means a command ran in the
 * last 100 ms (`commands()` is any counter that moves when clients are active; one idle turn
 * between two requests is not idleness). BGSAVE and the AOF rewrite's preamble both use it.
 */
export function dutyCycle(commands: () => number): { budget: () => number; gap: () => number } {
  let seen = -1;
  let activeAt = 0;
  const busy = (): boolean => {
    const n = commands();
    const now = performance.now();
    if (n !== seen) {
      seen = n;
      activeAt = now;
    }
    return now - activeAt < 100;
  };
  return {
    budget: () => (busy() ? BUSY_SLICE_MS : IDLE_SLICE_MS),
    gap: () => (busy() ? BUSY_GAP_MS : 0),
  };
}
