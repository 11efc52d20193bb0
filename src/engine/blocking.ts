/**
 * Blocked clients (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP): who waits on
 * which key, which keys became ready, the order in which waiters are served, and deadlines.
 * Redis 7.0's blocked.c and timeout.c, restated.
 *
 * Contract
 * - A blocking command that finds nothing to pop calls `block()` (ServerContext.blocking) and
 *   writes no reply. The client is parked on its keys (duplicates once) in its database, after
 *   every client already waiting on each key, with an optional deadline. The executor holds its
 *   later commands until the wait ends (engine.ts, `held`). Inside MULTI/EXEC nothing blocks.
 * - A wait ends in exactly one of three ways, each answered by the executor (`BlockingHost.end`):
 *   served from a ready key, its deadline passed, or CLIENT UNBLOCK. A disconnected client's
 *   wait is just dropped (`remove`).
 * - Ready keys. A key is *signalled* when it is written while someone waits on it and it exists
 *   afterwards. Redis signals on key creation (dbAdd); a waited key can only be served once it
 *   exists, and serving re-checks the type, so signalling every write of an existing waited key
 *   serves exactly when Redis does, give or take writes that overwrite an existing key with a
 *   list or sorted set (SORT STORE, Z*STORE), which Redis 7.0 does not signal. Writes are seen
 *   through Db.onWrite (WriteHooks, shared with WATCH), installed only on databases with
 *   waiters: a database nobody waits on pays nothing. Each key is queued once until served.
 * - Serving (`serveReady`, called by the executor after each command, so after EXEC for a
 *   transaction, as Redis's handleClientsBlockedOnKeys): ready keys in signal order; per key,
 *   its waiters in the order they blocked, each served while the key holds a value of the type
 *   it waits for (another type is skipped; a deleted key ends that key's turn). Serving can make
 *   other keys ready (BLMOVE pushes to its destination): those are served in the same call.
 * - Deadlines: one unref'd timer per client that has one, firing once the clock has passed the
 *   deadline (Redis's `timeout < now`), so a timeout lands within a millisecond or two of it
 *   rather than at the next cron tick. A deadline past the int64 range never fires, as in Redis
 *   (its wrapped value sorts last), but counts in clients_in_timeout_table.
 *
 * Imports only types of ours.
 */

import type { Command } from '../commands/table.ts';
import type { Blocking, BlockType, Client, ServeFn } from '../commands/types.ts';
import type { Db } from '../store/db.ts';
import type { WriteHooks } from './hooks.ts';
import type { TxClient } from './multi.ts';

/** What this module keeps on a client (the engine's ClientState has it). */
export interface BlockedClient extends TxClient {
  /** The wait in progress, null when not blocked. */
  block: Waiter | null;
}

/** How a wait ends: served from a key, deadline passed, or CLIENT UNBLOCK with TIMEOUT or ERROR. */
export type WaitEnd = { readonly key: string } | 'timeout' | 'unblock' | 'unblock-error';

/** What the executor does for this module: answer a wait that ends (see engine.ts). */
export interface BlockingHost {
  /** The client was just parked: its later commands must wait. */
  parked(c: BlockedClient): void;
  /** A key was signalled: serveReady() is due after the running command. */
  readied(): void;
  /** Answers `w` (its reply written as `how` says) and forgets it (calling `remove`). */
  end(w: Waiter, how: WaitEnd): void;
}

/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 0x7fffffff;

/** One blocked client's wait. */
export class Waiter {
  readonly client: BlockedClient;
  readonly db: Db;
  /** The keys, each once, in the order given. */
  readonly keys: readonly string[];
  readonly type: BlockType;
  /** Unix ms; 0 forever; Infinity: past int64, forever but counted as having a deadline. */
  readonly deadline: number;
  readonly serve: ServeFn;
  /** The blocking command, for its statistics when the wait ends (set by the executor). */
  cmd: Command | null = null;
  /** Its arguments (set with cmd): a background save's copy-on-write hook reads its keys. */
  argv: readonly string[] | null = null;
  timer: NodeJS.Timeout | null = null;

  constructor(client: BlockedClient, keys: readonly string[], type: BlockType, deadline: number, serve: ServeFn) {
    this.client = client;
    this.db = client.db;
    this.keys = keys;
    this.type = type;
    this.deadline = deadline;
    this.serve = serve;
  }
}

/** Per database: each waited key's waiters in blocking order, and its keys signalled and not yet served. */
interface DbWaiters {
  readonly db: Db;
  readonly byKey: Map<string, Set<Waiter>>;
  /** Redis's db->ready_keys: a key is queued once until its turn comes. */
  readonly ready: Set<string>;
  readonly hook: (db: Db, key: string) => void;
}

export class BlockedClients implements Blocking {
  private readonly dbs = new Map<Db, DbWaiters>();
  /** Waits by client id (CLIENT UNBLOCK). */
  private readonly byId = new Map<number, Waiter>();
  /** Signalled keys in signal order (Redis's server.ready_keys). */
  private ready: Array<{ dw: DbWaiters; key: string }> = [];
  private readonly hooks: WriteHooks;
  private readonly host: BlockingHost;
  private withDeadline = 0;

  constructor(hooks: WriteHooks, host: BlockingHost) {
    this.hooks = hooks;
    this.host = host;
  }

  get blockedClients(): number {
    return this.byId.size;
  }

  get timeoutClients(): number {
    return this.withDeadline;
  }

  block(client: Client, keys: readonly string[], type: BlockType, deadline: number, serve: ServeFn): boolean {
    // Every Client the executor hands to a handler is its own ClientState, a BlockedClient.
    const c = client as BlockedClient;
    // Redis's CLIENT_DENY_BLOCKING: a transaction runs to the end without waiting.
    if (c.multi !== null) return false;
    const w = new Waiter(c, [...new Set(keys)], type, deadline, serve);
    let dw = this.dbs.get(w.db);
    if (dw === undefined) {
      const created: DbWaiters = { db: w.db, byKey: new Map(), ready: new Set(), hook: (db, key) => this.signal(created, db, key) };
      this.dbs.set(w.db, (dw = created));
      this.hooks.set(w.db, 'ready', created.hook);
    }
    for (const key of w.keys) {
      let set = dw.byKey.get(key);
      if (set === undefined) dw.byKey.set(key, (set = new Set()));
      set.add(w);
    }
    c.block = w;
    this.byId.set(c.id, w);
    if (deadline !== 0) {
      this.withDeadline++;
      if (deadline !== Infinity) this.arm(w);
    }
    this.host.parked(c);
    return true;
  }

  unblock(id: number, error: boolean): boolean {
    const w = this.byId.get(id);
    if (w === undefined) return false;
    this.host.end(w, error ? 'unblock-error' : 'unblock');
    return true;
  }

  /** Forgets a wait: its keys, its timer, and the database's hook once nobody waits there. */
  remove(w: Waiter): void {
    if (this.byId.get(w.client.id) !== w) return;
    this.byId.delete(w.client.id);
    w.client.block = null;
    if (w.deadline !== 0) this.withDeadline--;
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = null;
    const dw = this.dbs.get(w.db)!;
    for (const key of w.keys) {
      const set = dw.byKey.get(key)!;
      set.delete(w);
      if (set.size === 0) dw.byKey.delete(key);
    }
    if (dw.byKey.size === 0) {
      // Ready keys still queued for this database find no waiter when their turn comes.
      this.dbs.delete(w.db);
      this.hooks.set(w.db, 'ready', null);
    }
  }

  /** The write hook of a database with waiters: queues `key` if someone waits on it and it exists. */
  private signal(dw: DbWaiters, db: Db, key: string): void {
    if (!dw.byKey.has(key) || dw.ready.has(key) || !db.dict.has(key)) return;
    dw.ready.add(key);
    this.ready.push({ dw, key });
    this.host.readied();
  }

  /**
   * Serves the clients waiting on every signalled key (see the contract). `now` is the time
   * expiry is judged against (Redis fixes the clock for the whole pass).
   */
  serveReady(now: number): void {
    while (this.ready.length > 0) {
      // Keys signalled while these are served (BLMOVE's destination) go to the next round.
      const round = this.ready;
      this.ready = [];
      for (const { dw, key } of round) {
        dw.ready.delete(key);
        const waiters = dw.byKey.get(key);
        if (waiters === undefined) continue;
        // A Set iterates in insertion order and tolerates deleting the element being visited.
        for (const w of waiters) {
          const v = dw.db.get(key, now);
          if (v === undefined) break;
          if (typeof v === 'string' || v.type !== w.type) continue;
          this.host.end(w, { key });
        }
      }
    }
  }

  /** Starts the wait's timer (see the contract on deadlines). */
  private arm(w: Waiter): void {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, w.deadline - Date.now() + 1));
    w.timer = setTimeout(() => {
      w.timer = null;
      if (w.client.block !== w) return;
      if (Date.now() <= w.deadline) this.arm(w);
      else this.host.end(w, 'timeout');
    }, delay);
    w.timer.unref();
  }
}
