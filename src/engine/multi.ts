/**
 * Transactions: MULTI/EXEC/DISCARD, each client's queueing state machine, and WATCH/UNWATCH,
 * the registry of watched keys that makes EXEC fail once a watched key has changed.
 *
 * Contract
 * - A client is outside MULTI (`multi === null`) or in MULTI with a queue. In MULTI the executor
 *   asks `refusalInMulti()` and `queues()` about each command that passed lookup, arity and
 *   authentication: a refused command marks the transaction aborted (as does every command the
 *   executor refuses earlier, through `flagTransaction()`), and EXEC then answers EXECABORT;
 *   the others are queued and answered +QUEUED, except the few that act at once.
 * - EXEC runs the queue through the executor's `call` (the same path as a top-level command, so
 *   statistics count each queued command), every reply inside one array. Errors of the queued
 *   commands stay inside that array and do not stop the others.
 * - WATCH relies on the store's single write hook, `Db.onWrite` (called after every change of a
 *   key's value or TTL, deletions and expiry included), shared with blocked clients through
 *   WriteHooks (hooks.ts): this module's listener is installed only on a database that has
 *   watched keys and removed when the last one goes, so a write to a database nobody watches
 *   (or waits on) costs one null check.
 * - Redis 7.0's expiry rules: a watched key that expires before EXEC (deleted by expiry, or only
 *   past its time at EXEC) makes EXEC fail; a key that was already past its time when WATCH ran
 *   does not, unless it is written afterwards.
 * - The commands of src/commands/transactions.ts drive this through the `Transactions`
 *   interface of ServerContext, which speaks of `Client`. Every Client the executor hands to a
 *   handler is its own ClientState, which is a TxClient; `tx()` makes that one cast.
 */

import { FLAG, type Command } from '../commands/table.ts';
import type { Client, Transactions as TransactionsApi } from '../commands/types.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import type { Db } from '../store/db.ts';
import type { WriteHooks } from './hooks.ts';

/** One command queued between MULTI and EXEC, already looked up and checked. */
export interface QueuedCommand {
  readonly cmd: Command;
  readonly argv: string[];
}

/** A client's MULTI state, from MULTI to EXEC, DISCARD, RESET or disconnection. */
export class MultiState {
  readonly queue: QueuedCommand[] = [];
  /** Bytes of the queued arguments plus 8 per argument (Redis's multi-mem). */
  mem = 0;
  /** A command was refused while queuing: EXEC answers EXECABORT and runs nothing. */
  aborted = false;

  add(cmd: Command, argv: string[]): void {
    this.queue.push({ cmd, argv });
    let n = 8 * argv.length;
    for (const a of argv) n += a.length;
    this.mem += n;
  }
}

/**
 * One key watched by one client. `expired`: the key was already past its time (but not yet
 * deleted) when WATCH ran, so its deletion by expiry is no change (Redis 7.0's watchedKey).
 */
export interface WatchedKey {
  readonly client: TxClient;
  readonly db: Db;
  readonly key: string;
  expired: boolean;
}

/** What this module keeps on a client (the engine's ClientState has these fields). */
export interface TxClient extends Client {
  multi: MultiState | null;
  /** Keys this client watches, null when none. */
  watched: WatchedKey[] | null;
  /** A watched key was touched: the next EXEC answers a null array. */
  dirtyCas: boolean;
}

/** Runs a command that passed every check (the executor's call, with statistics). */
export type CallFn = (c: TxClient, cmd: Command, argv: string[]) => void;

const ERR_EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
const EXECABORT_BECAUSE = 'EXECABORT Transaction discarded because of: ';
const ERR_NO_MULTI = 'ERR Command not allowed inside a transaction';

/** Commands that act at once inside MULTI instead of being queued (Redis's processCommand). */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** See the contract: the executor's clients are TxClients. */
function tx(c: Client): TxClient {
  return c as TxClient;
}

/** A command refused before it could be queued aborts the transaction (Redis's flagTransaction). */
export function flagTransaction(c: TxClient): void {
  if (c.multi !== null) c.multi.aborted = true;
}

/** In MULTI: the refusal of a command flagged no_multi, or null. */
export function refusalInMulti(c: TxClient, cmd: Command): string | null {
  return c.multi !== null && (cmd.bits & FLAG.no_multi) !== 0 ? ERR_NO_MULTI : null;
}

/** In MULTI: whether `cmd` is queued rather than run now. */
export function queues(c: TxClient, cmd: Command): boolean {
  return c.multi !== null && !NOT_QUEUED.has(cmd.fullName);
}

export class Transactions implements TransactionsApi {
  /** Watched keys by database: key → the clients' entries watching it. */
  private readonly watchers = new Map<Db, Map<string, WatchedKey[]>>();
  private readonly hook = (db: Db, key: string): void => this.touch(db, key);
  private readonly out: ReplyWriter;
  private readonly call: CallFn;
  /** The running command's time (ms): expiry is judged as of it, as Redis does. */
  private readonly clock: () => number;
  private readonly hooks: WriteHooks;

  constructor(out: ReplyWriter, call: CallFn, clock: () => number, hooks: WriteHooks) {
    this.out = out;
    this.call = call;
    this.clock = clock;
    this.hooks = hooks;
  }

  /**
   * Redis's rejectCommand for a command refused before it ran (`cmd` null when none was found):
   * inside MULTI the transaction is aborted. EXEC itself refused (arity, NOAUTH, subscribed
   * mode) discards the transaction and its watched keys, in MULTI or not, and its error says
   * so: "EXECABORT Transaction discarded because of: " and the error without "ERR ".
   * Returns the error to send.
   */
  rejection(client: Client, cmd: Command | null, error: string): string {
    const c = tx(client);
    if (cmd !== null && cmd.fullName === 'exec') {
      this.discard(c);
      return error.startsWith('EXECABORT ') ? error : `${EXECABORT_BECAUSE}${error.startsWith('ERR ') ? error.slice(4) : error}`;
    }
    flagTransaction(c);
    return error;
  }

  inMulti(c: Client): boolean {
    return tx(c).multi !== null;
  }

  begin(c: Client): void {
    tx(c).multi = new MultiState();
  }

  /**
   * EXEC: aborted → EXECABORT; a watched key touched or expired → null array; else the replies
   * of the queued commands in one array. Leaves MULTI and unwatches everything in every case.
   */
  exec(client: Client): void {
    const c = tx(client);
    const m = c.multi!;
    if (!c.dirtyCas && this.watchedKeyExpired(c)) c.dirtyCas = true;
    if (m.aborted || c.dirtyCas) {
      if (m.aborted) this.out.error(ERR_EXECABORT);
      else this.out.nullArray();
      this.discard(c);
      return;
    }
    // Unwatch first: the transaction's own writes must not touch its keys (and cost nothing).
    this.unwatchAll(c);
    this.out.arrayLen(m.queue.length);
    // The client stays in MULTI while its queue runs, as in Redis (CLIENT INFO shows flags=x,
    // SUBSCRIBE is allowed); nothing can be queued meanwhile, since `call` bypasses the gate.
    for (const q of m.queue) this.call(c, q.cmd, q.argv);
    c.multi = null;
    c.dirtyCas = false;
  }

  discard(client: Client): void {
    const c = tx(client);
    c.multi = null;
    c.dirtyCas = false;
    this.unwatchAll(c);
  }

  watch(client: Client, keys: readonly string[]): void {
    const c = tx(client);
    // Already doomed: watching more changes nothing.
    if (c.dirtyCas) return;
    for (const key of keys) this.watchKey(c, c.db, key);
  }

  unwatch(client: Client): void {
    const c = tx(client);
    this.unwatchAll(c);
    c.dirtyCas = false;
  }

  /** A client going away: its queue and its watched keys. */
  release(c: TxClient): void {
    c.multi = null;
    this.unwatchAll(c);
  }

  private watchKey(c: TxClient, db: Db, key: string): void {
    let keys = this.watchers.get(db);
    if (keys === undefined) {
      keys = new Map();
      this.watchers.set(db, keys);
      this.hooks.set(db, 'watch', this.hook);
    }
    let list = keys.get(key);
    if (list !== undefined) {
      for (const w of list) if (w.client === c) return;
    }
    const when = db.getExpire(key);
    const wk: WatchedKey = { client: c, db, key, expired: when !== undefined && when <= this.clock() };
    if (list === undefined) keys.set(key, (list = []));
    list.push(wk);
    if (c.watched === null) c.watched = [];
    c.watched.push(wk);
  }

  private unwatchAll(c: TxClient): void {
    const mine = c.watched;
    if (mine === null) return;
    c.watched = null;
    for (const wk of mine) {
      const keys = this.watchers.get(wk.db)!;
      const list = keys.get(wk.key)!;
      list.splice(list.indexOf(wk), 1);
      if (list.length !== 0) continue;
      keys.delete(wk.key);
      if (keys.size !== 0) continue;
      this.watchers.delete(wk.db);
      this.hooks.set(wk.db, 'watch', null);
    }
  }

  /**
   * The write hook: `key` of `db` changed (or was deleted, or expired). Every client watching
   * it is marked dirty and, as in Redis, stops watching anything (its EXEC fails anyway).
   *
   * An entry flagged `expired` (the key was past its time at WATCH) is not a change when the
   * key is now gone or still past its time (its deletion by expiry, a flush): the flag is
   * cleared, so a later write does count. A key that is present and alive was overwritten.
   */
  private touch(db: Db, key: string): void {
    const list = this.watchers.get(db)?.get(key);
    if (list === undefined) return;
    // Backwards: unwatchAll removes the entry at i (each client appears once per key).
    for (let i = list.length - 1; i >= 0; i--) {
      const wk = list[i]!;
      if (wk.expired) {
        wk.expired = false;
        const when = db.getExpire(key);
        if (!db.dict.has(key) || (when !== undefined && when <= this.clock())) continue;
      }
      wk.client.dirtyCas = true;
      this.unwatchAll(wk.client);
    }
  }

  /** Redis's isWatchedKeyExpired: a key alive at WATCH is past its time now. */
  private watchedKeyExpired(c: TxClient): boolean {
    if (c.watched === null) return false;
    const now = this.clock();
    for (const wk of c.watched) {
      if (wk.expired) continue;
      const when = wk.db.getExpire(wk.key);
      if (when !== undefined && when <= now) return true;
    }
    return false;
  }
}
