/**
 * The executor: runs every client's commands, one at a time, on the main thread.
 *
 * Contract
 * - I/O-agnostic. A front-end calls `connect()` for a new connection, `execute(client, argv)`
 *   for each parsed command, `takeReplies()` once after a batch to get the bytes to send, and
 *   `disconnect()` when the connection ends. Replies for *other* clients (pub/sub, CLIENT KILL)
 *   leave through their ClientConnection. Nothing here imports src/io.
 * - Blocking commands (src/engine/blocking.ts). A client parked by BLPOP & co. runs nothing
 *   more until its wait ends: `execute()` holds its later commands (ClientState.held) and
 *   answers false, "not answered in this batch"; errors its front-end finds meanwhile are held
 *   too (`holdError`). The wait ends after another client's command makes a key ready (served
 *   right after that command, after EXEC for a transaction), at its deadline, or by CLIENT
 *   UNBLOCK; its reply then leaves through ClientConnection.deliver, counted as one answered
 *   command, and the held commands run at the next setImmediate (Redis runs them from
 *   beforeSleep), their replies delivered together with their count. The counts let a threaded
 *   front-end know when nothing of a client is in flight (src/io/threaded/frames.ts, REPLY).
 * - One command at a time, to completion: that is what makes INCR atomic with no locks, and
 *   it is the same in every I/O mode.
 * - Checks in Redis 7.0's order (server.c processCommand): QUIT, lookup (unknown command or
 *   subcommand), arity, authentication, then, inside MULTI or in RESP2 subscribed mode, the
 *   no_multi and subscribed-mode refusals and MULTI's queueing (multi.ts, pubsub.ts), then the
 *   handler. A refusal inside MULTI aborts the transaction (EXECABORT at EXEC).
 * - Background work (active expiry, idle timeouts) runs from `cron()` at `hz`, time-bounded.
 */

import type { Config } from '../config/config.ts';
import { COMMANDS, CommandTable, FLAG, type Command } from '../commands/table.ts';
import { keyPositions, keySpecsOf } from '../commands/command-cmd.ts';
import type { BeforeWriteHook, PersistenceControl } from '../commands/types.ts';
import { clientInfoLine } from '../commands/client.ts';
import type { ShutdownRequest } from '../commands/types.ts';
import type { AofControl, Client, CommandSpec, CommandStats, IoCounters, ServerContext, ServerStats } from '../commands/types.ts';
import { log } from '../lib/log.ts';
import { ReplyWriter } from '../protocol/writer.ts';
import { isSecurityWarning, SECURITY_WARNING } from '../protocol/preflight.ts';
import { Keyspace } from '../store/keyspace.ts';
import type { Db } from '../store/db.ts';
import {
  NOTIFY_EVICTED, NOTIFY_KEY_MISS, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_EXPIRED, NOTIFY_NEW, parseKeyspaceEvents,
} from '../config/keyspace-events.ts';
import { Evictor } from './evict.ts';
import { BlockedClients, type WaitEnd, type Waiter } from './blocking.ts';
import { ClientState, type ClientConnection, type HeldError } from './client.ts';
import { WriteHooks } from './hooks.ts';
import { flagTransaction, queues, refusalInMulti, Transactions } from './multi.ts';
import { propagationRewrite } from './propagate.ts';
import { PubSubRegistry, refusalInPubSub } from './pubsub.ts';

export type { IoCounters };

/**
 * Where the changes commands make are propagated (the AOF): `argv` ran in database `db`; a
 * negative `db` means "in whatever database is selected" (MULTI/EXEC around a transaction).
 */
export type PropagateHook = (db: number, argv: readonly string[]) => void;

/**
 * The durability gate (appendfsync always): `pending()` says the changes of commands already
 * answered are not yet durable, so no reply may leave; `flush()` makes them durable (write +
 * fdatasync). See Engine.release.
 */
export interface Durability {
  pending(): boolean;
  flush(): void;
}

/** The keys a command's key specs name in `argv` (the before-write hook's view of a write). */
function commandKeys(cmd: Command, argv: readonly string[]): string[] {
  return keyPositions(keySpecsOf(cmd.spec), argv).map(([i]) => argv[i]!);
}

/** One call in this many (a power of two) is timed for INFO commandstats' usec. */
const TIMING_SAMPLE = 16;

/**
 * RINGKV_EXECUTOR_DELAY_US: a fixed busy delay added to every command, for experiments and
 * tests that need a slow executor (back-pressure) or a known regression (the CI gate). Read once
 * at start-up; 0 (the default) costs one comparison per command.
 */
const EXECUTOR_DELAY_MS = Number(process.env.RINGKV_EXECUTOR_DELAY_US ?? 0) / 1000;

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const ERR_NOAUTH = 'NOAUTH Authentication required.';
export const ERR_OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const ERR_MAXCLIENTS = 'ERR max number of clients reached';
export const ERR_DENIED =
  "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";

function isLoopback(addr: string): boolean {
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.') || addr.startsWith('/');
}

/** What C's printf("%s") shows of an argument: everything before its first NUL byte. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** Redis's rejectCommandFormat for an unknown command: the first args, 128 chars at most. */
function unknownCommandText(argv: string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cstr(argv[i]!).slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${cstr(argv[0]!).slice(0, 128)}', with args beginning with: ${args}`;
}

/** How many rate samples instantaneous_* metrics average (Redis's STATS_METRIC_SAMPLES). */
const RATE_SAMPLES = 16;

/** Adds a sample (the oldest drops out beyond RATE_SAMPLES) and returns the mean. */
function pushMean(a: number[], v: number): number {
  // A counter reset by CONFIG RESETSTAT between samples must not give a negative rate.
  a.push(Math.max(0, v));
  if (a.length > RATE_SAMPLES) a.shift();
  let sum = 0;
  for (const x of a) sum += x;
  return sum / a.length;
}

/**
 * Redis's instantaneous_* metrics: every 100 ms or more (from cron), the rate of commands and
 * of network bytes since the previous sample; the published value is the mean of the last 16.
 */
class RateSampler {
  private readonly ops: number[] = [];
  private readonly inBytes: number[] = [];
  private readonly outBytes: number[] = [];
  /** Counters as of the previous sample; the first sample measures from start-up (or reset). */
  private lastAt = performance.now();
  private lastOps = 0;
  private lastIn = 0;
  private lastOut = 0;

  sample(st: ServerStats): void {
    const now = performance.now();
    const dt = now - this.lastAt;
    // A 10 Hz cron fires a little early now and then; skipping that tick keeps rates steady.
    if (dt < 90) return;
    st.instantaneousOpsPerSec = Math.round(pushMean(this.ops, ((st.totalCommandsProcessed - this.lastOps) * 1000) / dt));
    st.instantaneousInputKbps = pushMean(this.inBytes, ((st.totalNetInputBytes - this.lastIn) * 1000) / dt) / 1024;
    st.instantaneousOutputKbps = pushMean(this.outBytes, ((st.totalNetOutputBytes - this.lastOut) * 1000) / dt) / 1024;
    this.lastAt = now;
    this.lastOps = st.totalCommandsProcessed;
    this.lastIn = st.totalNetInputBytes;
    this.lastOut = st.totalNetOutputBytes;
  }

  /** After CONFIG RESETSTAT: the counters restart from zero now. */
  reset(): void {
    this.ops.length = 0;
    this.inBytes.length = 0;
    this.outBytes.length = 0;
    this.lastAt = performance.now();
    this.lastOps = 0;
    this.lastIn = 0;
    this.lastOut = 0;
  }
}

export class Engine implements ServerContext {
  readonly keyspace: Keyspace;
  readonly config: Config;
  readonly out = new ReplyWriter();
  readonly stats: ServerStats;
  now = Date.now();
  readonly startedAt = Date.now();
  readonly table = new CommandTable(COMMANDS);

  private readonly clientMap = new Map<number, ClientState>();
  private nextClientId = 1;
  /** Encodes replies addressed to other clients than the one whose batch is running. */
  private readonly pushOut = new ReplyWriter();
  private readonly extra = new Map<string, () => string[]>();
  private cronTimer: NodeJS.Timeout | null = null;
  private readonly samples = new RateSampler();
  /** The client whose command is running, so CLIENT KILL of oneself closes after the reply. */
  private current: ClientState | null = null;
  /** The listeners of Db.onWrite: WATCH and blocked clients. */
  private readonly hooks = new WriteHooks();
  /** MULTI/EXEC/WATCH (src/engine/multi.ts); EXEC runs its queue through call(). */
  readonly transactions = new Transactions(this.out, (c, cmd, argv) => this.call(c as ClientState, cmd, argv), () => this.now,
    this.hooks);
  /** Blocked clients (src/engine/blocking.ts); every wait ends in endWait(). */
  readonly blocking = new BlockedClients(this.hooks, {
    parked: (c) => this.parked(c as ClientState),
    readied: () => {
      this.attention = true;
    },
    end: (w, how) => this.endWait(w, how),
  });
  /**
   * Set when the running command blocked its client or made a key ready: execute() tests this
   * one field after each command and does the rest (afterCommand) only when it is set.
   */
  private attention = false;
  /** Clients whose wait ended with commands held, to run at the next setImmediate. */
  private readonly unblocked: ClientState[] = [];
  private unblockedScheduled = false;
  /** Pub/sub (src/engine/pubsub.ts); messages leave through deliver(). */
  readonly pubsub = new PubSubRegistry((c, encode) => this.deliver(c as ClientState, encode));
  /** RDB persistence (SAVE, BGSAVE, LASTSAVE, INFO), supplied by the composition root; null without it. */
  persistence: PersistenceControl | null = null;
  /**
   * Called before a write command runs (top-level, queued by EXEC, or a blocked client being
   * served) with the keys its key specs name: a background save's copy-on-write hook
   * (src/persistence/rdb/snapshot.ts), installed only while a save runs, so otherwise it costs
   * one null test per command.
   */
  beforeWrite: BeforeWriteHook | null = null;
  /** Called at each cron step, after active expiry (RDB save points). */
  onCron: (() => void) | null = null;
  /** The AOF's control surface for BGREWRITEAOF and INFO (set by the composition root). */
  aof: AofControl | null = null;
  /** Propagation (see setPropagation): null = off, and call() does no extra work. */
  private propagateHook: PropagateHook | null = null;
  /** The operations of the execution unit running (a command, a transaction, a serving). */
  private unitOps: Array<[number, readonly string[]]> | null = null;
  /** What the running command asked to be propagated as (propagateAs), or null. */
  private override: string[][] | null = null;
  /** The durability gate (appendfsync always), or null: replies leave at once. */
  durability: Durability | null = null;
  private readonly gated: Array<() => void> = [];
  private gateScheduled = false;

  constructor(config: Config) {
    this.config = config;
    this.keyspace = new Keyspace(config.int('databases'));
    this.stats = {
      totalConnectionsReceived: 0,
      totalCommandsProcessed: 0,
      rejectedConnections: 0,
      totalNetInputBytes: 0,
      totalNetOutputBytes: 0,
      resetAt: Date.now(),
      totalErrorReplies: 0,
      errorCodes: new Map(),
      instantaneousOpsPerSec: 0,
      instantaneousInputKbps: 0,
      instantaneousOutputKbps: 0,
      evictedKeys: 0,
    };
    this.evictor = new Evictor(this.keyspace, this.stats, (db, key) => this.notify(NOTIFY_EVICTED, 'evicted', db, key));
    config.onChange((name) => {
      if (name === 'hz' && this.cronTimer !== null) this.startCron();
      if (name === 'notify-keyspace-events') this.configureNotifications();
      if (name === 'maxmemory') this.configureLimits();
    });
    this.configureLimits();
    this.configureNotifications();
  }

  // ---- keyspace notifications --------------------------------------------------------------

  /**
   * The event classes published (notify-keyspace-events), or 0 when neither K nor E is set:
   * notify() tests this one integer, so disabled notifications cost nothing more.
   */
  private notifyFlags = 0;
  /** The store's "expired" listener (Db.onExpire is shared with propagation; see expireHooks). */
  private expireNotify: ((db: Db, key: string) => void) | null = null;
  private expirePropagate: ((db: Db, key: string) => void) | null = null;

  /** Reads notify-keyspace-events and installs the store hooks it needs ("new", "keymiss", "expired"). */
  private configureNotifications(): void {
    const flags = parseKeyspaceEvents(this.config.get('notify-keyspace-events'));
    this.notifyFlags = (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) === 0 ? 0 : flags;
    const on = (bit: number): boolean => (this.notifyFlags & bit) !== 0;
    const onNew = on(NOTIFY_NEW) ? (db: Db, key: string): void => this.notify(NOTIFY_NEW, 'new', db, key) : null;
    const onMiss = on(NOTIFY_KEY_MISS) ? (db: Db, key: string): void => this.notify(NOTIFY_KEY_MISS, 'keymiss', db, key) : null;
    for (const db of this.keyspace.dbs) {
      db.onNew = onNew;
      db.onMiss = onMiss;
    }
    this.expireNotify = on(NOTIFY_EXPIRED) ? (db, key) => this.notify(NOTIFY_EXPIRED, 'expired', db, key) : null;
    this.expireHooks();
  }

  /** Db.onExpire: the "expired" event, then propagation's DEL, whichever are on. */
  private expireHooks(): void {
    const a = this.expireNotify;
    const b = this.expirePropagate;
    const fn = a !== null && b !== null ? (db: Db, key: string): void => {
      a(db, key);
      b(db, key);
    } : a ?? b;
    for (const db of this.keyspace.dbs) db.onExpire = fn;
  }

  notify(type: number, event: string, db: Db, key: string): void {
    const flags = this.notifyFlags;
    if ((flags & type) === 0) return;
    if ((flags & NOTIFY_KEYSPACE) !== 0) this.pubsub.publish(`__keyspace@${db.index}__:${key}`, event, false);
    if ((flags & NOTIFY_KEYEVENT) !== 0) this.pubsub.publish(`__keyevent@${db.index}__:${event}`, key, false);
  }

  // ---- connections -------------------------------------------------------------------------

  /**
   * Why a new connection from `addr` must be refused, as the error line Redis sends before
   * closing it, or null to accept it.
   */
  refusal(addr: string): string | null {
    if (this.clientMap.size >= this.config.int('maxclients')) return ERR_MAXCLIENTS;
    if (this.config.bool('protected-mode') && this.config.get('requirepass') === '' && !isLoopback(addr)) {
      return ERR_DENIED;
    }
    return null;
  }

  connect(conn: ClientConnection, addr: string, laddr: string, fd: number): ClientState {
    const now = Date.now();
    const c = new ClientState(this.nextClientId++, this.keyspace.dbs[0]!, conn, addr, laddr, fd, now,
      this.config.get('requirepass') === '');
    this.clientMap.set(c.id, c);
    this.stats.totalConnectionsReceived++;
    return c;
  }

  /** Forgets a client. Idempotent: a killed client is forgotten at once and again on close. */
  disconnect(c: ClientState): void {
    if (c.closed) return;
    c.closed = true;
    this.clientMap.delete(c.id);
    this.transactions.release(c);
    this.pubsub.release(c);
    // A blocked client leaves the keys' waiting lists; what it had sent since is dropped.
    if (c.block !== null) this.blocking.remove(c.block);
    c.held = null;
    c.heldBytes = 0;
  }

  get connectedClients(): number {
    return this.clientMap.size;
  }

  // ---- execution ---------------------------------------------------------------------------

  /**
   * The zero-copy alternative to takeReplies(), for a front-end that copies the batch's reply
   * bytes somewhere itself (a reply ring): they are `out.buf[0, out.len)`; call this once they
   * are copied.
   */
  clearReplies(): void {
    this.stats.totalNetOutputBytes += this.out.len;
    this.out.reset();
  }

  /**
   * Runs one command for `c`; its reply is appended to the batch taken by takeReplies().
   * Returns whether the command was answered in this batch: false when it blocked its client,
   * or was held because the client is blocked (its reply comes later, through deliver()).
   */
  execute(c: ClientState, argv: string[]): boolean {
    // A blocked client (or one whose held commands have not run yet) runs nothing now.
    if (c.held !== null) return this.hold(c, argv);
    if (EXECUTOR_DELAY_MS > 0) busyWait(EXECUTOR_DELAY_MS);
    const out = this.out;
    out.resp = c.resp;
    const now = Date.now();
    this.now = now;
    c.lastInteraction = now;
    const name = argv[0]!;
    let cmd: Command | undefined = this.table.lookup(name);
    if (cmd === undefined) {
      if (name.length === 4 && name.toLowerCase() === 'quit') {
        out.ok();
        c.closeAfterReply = true;
        return true;
      }
      if (isSecurityWarning(name)) {
        this.securityWarning(c);
        return true;
      }
      out.error(unknownCommandText(argv));
      this.countError('ERR');
      flagTransaction(c);
      return true;
    }
    if (cmd.subcommands !== null && argv.length >= 2) {
      const sub = cmd.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        out.error(`ERR unknown subcommand '${cstr(argv[1]!).slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`);
        // Redis counts no rejected call here: no command was found to charge it to.
        this.countError('ERR');
        flagTransaction(c);
        return true;
      }
      cmd = sub;
    }
    const arity = cmd.spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.refuse(c, cmd, `ERR wrong number of arguments for '${cmd.fullName}' command`);
      return true;
    }
    if (!c.authenticated && (cmd.bits & FLAG.no_auth) === 0 && this.authRequired(c)) {
      this.refuse(c, cmd, ERR_NOAUTH);
      return true;
    }
    // Inside MULTI, or subscribed in RESP2, a command may be refused (no_multi; not allowed in
    // subscribed mode), and inside MULTI most are queued for EXEC instead of run (multi.ts).
    // While maxmemory is set or persistence can fail, the OOM and MISCONF refusals come
    // between those two, as in Redis (guard()).
    if (c.multi !== null || c.subs !== null) {
      const refusal = refusalInMulti(c, cmd) ?? this.guard(c, cmd) ?? refusalInPubSub(c, cmd);
      if (refusal !== null) {
        this.refuse(c, cmd, refusal);
        return true;
      }
      if (queues(c, cmd)) {
        c.multi!.add(cmd, argv);
        out.simple('QUEUED');
        c.lastCommand = cmd.fullName;
        return true;
      }
    } else if (this.maxmemory > 0 || ((cmd.bits & FLAG.write) !== 0 && (this.persistence !== null || this.aof !== null)) || cmd.fullName === 'ping') {
      // The common case (no MULTI, not subscribed): guard() only when it can refuse.
      const refusal = this.guard(c, cmd);
      if (refusal !== null) {
        this.refuse(c, cmd, refusal);
        return true;
      }
    }
    this.call(c, cmd, argv);
    c.lastCommand = cmd.fullName;
    if (this.attention) return this.afterCommand(c, cmd, argv);
    return true;
  }

  // ---- limits: maxmemory (src/engine/evict.ts) and refused writes (MISCONF) ----------------

  /** maxmemory's evictions and used-memory figure. */
  readonly evictor: Evictor;
  private maxmemory = 0;

  private configureLimits(): void {
    const prev = this.maxmemory;
    this.maxmemory = this.config.int('maxmemory');
    this.evictor.resetEstimate();
    if (this.maxmemory > 0 && this.maxmemory !== prev) {
      const used = this.evictor.used();
      if (used > this.maxmemory) {
        log.warning(`WARNING: the new maxmemory value set via CONFIG SET (${this.maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
      }
    }
  }

  /**
   * Redis's out-of-memory and disk-error refusals (processCommand), in its order: with
   * maxmemory set, evictions first, then OOM for a command that may grow memory (denyoom, an
   * EXEC whose queue has one, or anything queued inside MULTI but EXEC/DISCARD/QUIT/RESET);
   * then MISCONF for writes and PING while persistence says writes must stop
   * (PersistenceControl.writeError: the last background save failed, with
   * stop-writes-on-bgsave-error and save points; AofControl.writeError: the last AOF write failed).
   */
  private guard(c: ClientState, cmd: Command): string | null {
    if (this.maxmemory > 0) {
      const cfg = this.config;
      if (!this.evictor.fits(this.maxmemory, cfg.get('maxmemory-policy'), cfg.int('maxmemory-samples'), this.now)) {
        let deny = (cmd.bits & FLAG.denyoom) !== 0;
        const name = cmd.fullName;
        if (c.multi !== null) {
          if (name === 'exec') deny = c.multi.queue.some((q) => (q.cmd.bits & FLAG.denyoom) !== 0);
          else if (name !== 'discard' && name !== 'quit' && name !== 'reset') deny = true;
        }
        if (deny) return ERR_OOM;
      }
    }
    if ((this.persistence !== null || this.aof !== null) && ((cmd.bits & FLAG.write) !== 0 || cmd.fullName === 'ping')) {
      // RDB's refusal first, then the AOF's (a failed write with appendfsync everysec/no).
      return this.persistence?.writeError() ?? this.aof?.writeError() ?? null;
    }
    return null;
  }

  /**
   * After a command that blocked its client or made keys ready (see `attention`): serves the
   * clients waiting on ready keys, as Redis's handleClientsBlockedOnKeys after each command
   * (EXEC included, not the commands it runs). Returns whether `c`'s command was answered.
   */
  private afterCommand(c: ClientState, cmd: Command, argv: readonly string[]): boolean {
    if (c.block !== null && c.block.cmd === null) {
      c.block.cmd = cmd;
      c.block.argv = argv;
    }
    this.now = Date.now();
    this.blocking.serveReady(this.now);
    this.attention = false;
    return c.held === null;
  }

  /**
   * Holds a command of a blocked client. What is held is what Redis would keep unparsed in the
   * client's query buffer, so the same limit applies: past client-query-buffer-limit bytes the
   * client is closed without a reply, as Redis closes it.
   */
  private hold(c: ClientState, argv: string[]): false {
    c.held!.push(argv);
    for (const a of argv) c.heldBytes += a.length + 16;
    if (c.heldBytes > this.config.int('client-query-buffer-limit')) {
      log.warning(`Closing client that reached max query buffer length while blocked: id=${c.id} addr=${c.addr} held=${c.heldBytes}`);
      c.closeAfterReply = true; // stops the front-end's loop over the rest of the batch
      c.conn.close();
      this.disconnect(c);
    }
    return false;
  }

  /**
   * `host:` or `POST` (src/protocol/preflight.ts, isSecurityWarning): the client is dropped at
   * once, its replies not yet sent with it (the front-end skips them once closing), and the
   * event is logged at most once a minute, as Redis's securityWarningCommand does.
   */
  private securityWarning(c: ClientState): void {
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - this.securityWarningLogged) > 60) {
      log.warning(SECURITY_WARNING);
      this.securityWarningLogged = now;
    }
    c.closeAfterReply = true; // stops the front-end's loop over the rest of the batch
    c.conn.close();
    this.disconnect(c);
  }

  /** When securityWarning() last logged, in seconds (Redis's static logged_time). */
  private securityWarningLogged = 0;

  /** A client was just parked: its later commands are held from now on. */
  private parked(c: ClientState): void {
    if (c.held === null) c.held = [];
    this.attention = true;
  }

  /**
   * Ends a wait (blocking.ts calls this): writes the reply (the served pop, a null array for a
   * timeout or CLIENT UNBLOCK TIMEOUT, the UNBLOCKED error), delivers it as one answered
   * command, and lets the client's held commands run. Statistics as Redis's
   * updateStatsOnUnblock: the blocking command's call was counted when it blocked; an error
   * reply, or any CLIENT UNBLOCK, makes it a failed call.
   */
  private endWait(w: Waiter, how: WaitEnd): void {
    const c = w.client as ClientState;
    // The reply is encoded in the shared writer after whatever the running batch holds, then
    // cut out of it: handlers write to `out`, and this may run in the middle of a batch.
    const out = this.out;
    const resp = out.resp;
    const mark = out.len;
    out.resp = c.resp;
    if (typeof how === 'object') {
      // A served pop is propagated as what it did (its serving function says, propagateAs).
      const prop = this.propagateHook !== null;
      const dirty = this.keyspace.stats.dirty;
      const top = prop && this.unitOps === null;
      if (top) this.unitOps = [];
      if (prop) this.override = null;
      if (this.beforeWrite !== null) {
        this.beforeWrite(w.db, w.argv ?? [], w.cmd !== null && w.argv !== null ? commandKeys(w.cmd, w.argv) : w.keys);
      }
      try {
        w.serve(c, how.key, this);
      } catch (err) {
        // As call()'s guard: a bug in a serving function answers an error, the server goes on.
        out.truncate(mark);
        out.error(`ERR internal error in '${w.cmd?.fullName ?? 'blocking command'}': ${(err as Error).message ?? String(err)}`);
        log.warning(`Serving blocked client id=${c.id} threw: ${(err as Error).stack ?? String(err)}`);
      }
      if (prop) {
        if (this.keyspace.stats.dirty !== dirty && this.override !== null) {
          for (const a of this.override) this.unitOps!.push([c.db.index, a]);
        }
        this.override = null;
        if (top) this.endUnit();
      }
    } else if (how === 'unblock-error') out.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    else out.nullArray();
    if (w.cmd !== null) {
      if (out.len > mark && out.buf[mark] === 45) this.countFailure(w.cmd, mark);
      else if (how === 'unblock') w.cmd.failedCalls++;
    }
    // Redis's call() sees the error reply given to the target during CLIENT UNBLOCK ERROR and
    // counts that CLIENT UNBLOCK as a failed call as well.
    if (how === 'unblock-error') {
      const unblock = this.table.lookup('client')?.subcommands?.get('unblock');
      if (unblock !== undefined) unblock.failedCalls++;
    }
    const bytes = Buffer.from(out.buf.subarray(mark, out.len));
    out.truncate(mark);
    out.resp = resp;
    this.blocking.remove(w);
    this.stats.totalNetOutputBytes += bytes.length;
    c.conn.deliver(bytes, 1, false);
    if (c.held !== null && c.held.length === 0) {
      c.held = null;
    } else if (c.held !== null) {
      this.unblocked.push(c);
      if (!this.unblockedScheduled) {
        this.unblockedScheduled = true;
        setImmediate(this.runUnblocked);
      }
    }
  }

  /**
   * Runs the held commands of the clients whose wait ended, in the order the waits ended, as
   * Redis's processUnblockedClients does from beforeSleep: after the batch (and the other
   * events) that unblocked them, so a pipeline behind the pushing command sees no difference.
   */
  private readonly runUnblocked = (): void => {
    this.unblockedScheduled = false;
    while (this.unblocked.length > 0) {
      const c = this.unblocked.shift()!;
      if (!c.closed && c.block === null && c.held !== null) this.runHeld(c);
    }
  };

  /** Runs `c`'s held commands until one blocks it again; delivers their replies at once. */
  private runHeld(c: ClientState): void {
    const queue = c.held!;
    c.held = null;
    c.heldBytes = 0;
    const out = this.out;
    const mark = out.len;
    let answered = 0;
    let i = 0;
    while (i < queue.length && c.held === null && !c.closeAfterReply) {
      const item = queue[i++]!;
      if (Array.isArray(item)) {
        if (this.execute(c, item)) answered++;
      } else {
        this.answerHeldError(c, item);
        answered++;
      }
    }
    // Blocked again: the rest waits behind that command. After QUIT it is dropped.
    // (execute() may have set `held`: TypeScript cannot see that.)
    const again = c.held as ClientState['held'];
    if (again !== null) {
      for (; i < queue.length; i++) {
        const item = queue[i]!;
        again.push(item);
        if (Array.isArray(item)) for (const a of item) c.heldBytes += a.length + 16;
      }
    }
    const n = out.len - mark;
    if (n === 0 && answered === 0 && !c.closeAfterReply) return;
    const bytes = Buffer.from(out.buf.subarray(mark, out.len));
    out.truncate(mark);
    this.stats.totalNetOutputBytes += n;
    c.conn.deliver(bytes, answered, c.closeAfterReply);
  }

  /**
   * For a front-end that found an error before the executor (protocol error, preflight): when
   * `c`'s commands are being held, the error is held behind them and answered in its turn,
   * closing the connection after it if `close`, and this returns true. Otherwise it returns
   * false and the front-end answers it now, as usual. `argv` (name, maybe subcommand) for a
   * refused command's statistics, null for a protocol error.
   */
  holdError(c: ClientState, error: string, close: boolean, argv: readonly string[] | null): boolean {
    if (c.held === null) return false;
    c.held.push({ error, close, argv });
    return true;
  }

  /** A held error's turn: counted as the front-end would have counted it, then answered. */
  private answerHeldError(c: ClientState, e: HeldError): void {
    if (e.argv === null) this.countErrorReply(e.error);
    else this.countRejection(e.argv, e.error, c);
    this.out.resp = c.resp;
    this.out.error(e.error);
    if (e.close) c.closeAfterReply = true;
  }

  /**
   * Answers a command refused before it ran, as Redis's rejectCommand: a rejected call, an
   * error counted by its code; inside MULTI it aborts the transaction, and EXEC itself refused
   * leaves MULTI with an EXECABORT error saying why (Transactions.rejection).
   */
  private refuse(c: ClientState, cmd: Command, error: string): void {
    const text = this.transactions.rejection(c, cmd, error);
    this.out.error(text);
    cmd.rejectedCalls++;
    this.countErrorReply(text);
  }

  /**
   * Runs a command that passed every check, with its statistics: a top-level command, or one
   * queued by MULTI when EXEC runs it (then `current` is EXEC's client already).
   */
  private call(c: ClientState, cmd: Command, argv: string[]): void {
    const out = this.out;
    const mark = out.len;
    if (this.beforeWrite !== null && (cmd.bits & FLAG.write) !== 0) this.beforeWrite(c.db, argv, commandKeys(cmd, argv));
    const caller = this.current;
    this.current = c;
    const prop = this.propagateHook !== null;
    let dirty = 0;
    let outer: string[][] | null = null;
    let top = false;
    if (prop) {
      dirty = this.keyspace.stats.dirty;
      outer = this.override;
      this.override = null;
      if (this.unitOps === null) {
        this.unitOps = [];
        top = true;
      }
    }
    // Timing every call would cost a quarter of a GET's time (two performance.now() calls, measured
    // with the in-process GET loop), so one call in SAMPLE is timed and counted SAMPLE times.
    try {
      if ((cmd.calls & (TIMING_SAMPLE - 1)) === 0) {
        const t0 = performance.now();
        cmd.spec.handler!(c, argv, this);
        cmd.usec += (performance.now() - t0) * 1000 * TIMING_SAMPLE;
      } else {
        cmd.spec.handler!(c, argv, this);
      }
    } catch (err) {
      // A bug in one handler must not take every client down with the process (Redis would
      // abort on a failed assertion; one Node process serves everyone). The half-written reply
      // is replaced by an error, and the log has the stack. What the handler changed before it
      // threw stays changed: say so rather than pretend otherwise.
      out.truncate(mark);
      out.error(`ERR internal error in '${cmd.fullName}': ${(err as Error).message ?? String(err)}`);
      log.warning(`Command '${cmd.fullName}' from client id=${c.id} threw; its effects up to the error remain: ${(err as Error).stack ?? String(err)}`);
    }
    this.current = caller;
    if (prop) {
      // EXEC's own change count is its commands', each propagated by its own call().
      if (this.keyspace.stats.dirty !== dirty && cmd.fullName !== 'exec') {
        const cmds = this.override ?? propagationRewrite(cmd.fullName, argv, c.db) ?? [argv];
        for (const a of cmds) this.unitOps!.push([c.db.index, a]);
      }
      this.override = outer;
      if (top) this.endUnit();
    }
    // An error reply ('-' in both RESP versions) makes this a failed call (INFO commandstats).
    if (out.len > mark && out.buf[mark] === 45) this.countFailure(cmd, mark);
    cmd.calls++;
    this.stats.totalCommandsProcessed++;
  }

  /** The replies of the batch just executed, or null if there are none. */
  takeReplies(): Buffer | null {
    if (this.out.len === 0) return null;
    const b = this.out.take();
    this.stats.totalNetOutputBytes += b.length;
    return b;
  }

  /**
   * Sends bytes encoded by `encode` to another client, outside its own batch (pub/sub,
   * unblocked clients). The writer is set to that client's RESP dialect.
   */
  deliver(c: ClientState, encode: (out: ReplyWriter) => void): void {
    if (c.closed) return;
    // For the client whose command is running (PUBLISH to its own channel), the bytes join its
    // replies in order: Redis puts the message before PUBLISH's own reply.
    if (c === this.current) {
      encode(this.out);
      return;
    }
    const w = this.pushOut;
    w.resp = c.resp;
    encode(w);
    const b = w.take();
    this.stats.totalNetOutputBytes += b.length;
    c.conn.deliver(b, 0, false);
  }

  // ---- propagation (AOF) and the durability gate -------------------------------------------

  /**
   * Turns propagation on (a hook) or off (null). While on, every command that changed the
   * dataset (keyspace.stats.dirty moved) is handed to the hook after it ran, as Redis's call()
   * propagates: rewritten where replay must not depend on the moment (propagate.ts,
   * propagateAs), the commands of a transaction (or a command propagated as several) wrapped in
   * MULTI/EXEC, keys deleted by expiry as DEL at once.
   */
  setPropagation(hook: PropagateHook | null): void {
    this.propagateHook = hook;
    // A key found expired while a command runs is part of that command's unit (Redis 7.0:
    // a write on an expired key is written as MULTI, DEL, the write, EXEC); active expiry's
    // deletions stand alone.
    this.expirePropagate = hook === null ? null : (db: { index: number }, key: string): void => {
      if (this.unitOps !== null) this.unitOps.push([db.index, ['DEL', key]]);
      else hook(db.index, ['DEL', key]);
    };
    this.expireHooks();
  }

  propagateAs(...cmds: string[][]): void {
    this.override = cmds;
  }

  /** The execution unit ended: its operations go to the hook, several wrapped in MULTI/EXEC. */
  private endUnit(): void {
    const ops = this.unitOps!;
    this.unitOps = null;
    const hook = this.propagateHook;
    if (hook === null || ops.length === 0) return;
    if (ops.length === 1) {
      hook(ops[0]![0], ops[0]![1]);
      return;
    }
    hook(ops[0]![0], ['MULTI']);
    for (const [db, argv] of ops) hook(db, argv);
    hook(-1, ['EXEC']);
  }

  /**
   * Front-ends send every reply through here (Redis's "no reply before the write is durable"
   * with appendfsync always). Without a gate, or with nothing waiting, `send` runs now.
   * Otherwise it queues, and once per event-loop turn (setImmediate, after every socket read
   * of the turn ran) the gate makes the turn's changes durable in one write + fdatasync and
   * then releases every queued reply in order: group commit. While anything waits, later
   * replies queue behind it even if they changed nothing, since a read could show a change
   * not yet on disk.
   */
  release(send: () => void): void {
    const d = this.durability;
    if (d === null || (this.gated.length === 0 && !d.pending())) {
      send();
      return;
    }
    this.gated.push(send);
    if (!this.gateScheduled) {
      this.gateScheduled = true;
      setImmediate(this.openGate);
    }
  }

  private readonly openGate = (): void => {
    this.gateScheduled = false;
    this.durability?.flush();
    const sends = this.gated.splice(0);
    for (const send of sends) send();
  };

  /**
   * For a front-end that publishes a turn's replies itself (the threaded one's reply rings):
   * call before publishing them, once per turn; makes the turn's changes durable when the gate
   * is on, and costs one null check when it is not.
   */
  beforeRepliesLeave(): void {
    const d = this.durability;
    if (d !== null && d.pending()) d.flush();
  }

  // ---- ServerContext -----------------------------------------------------------------------

  clients(): Iterable<Client> {
    return this.clientMap.values();
  }

  clientById(id: number): Client | undefined {
    return this.clientMap.get(id);
  }

  kill(c: Client): void {
    const state = this.clientMap.get(c.id);
    if (state === undefined) return;
    if (state === this.current) {
      state.closeAfterReply = true;
      return;
    }
    state.conn.close();
    // Gone now, for every later command (a second CLIENT KILL, CLIENT LIST), even where the
    // front-end learns of the closed socket only later (an I/O thread's GONE frame).
    this.disconnect(state);
  }

  /** Set by the composition root (src/server/shutdown.ts); null: SHUTDOWN cannot exit. */
  private shutdownHook: ((o: ShutdownRequest) => boolean) | null = null;

  setShutdown(hook: ((o: ShutdownRequest) => boolean) | null): void {
    this.shutdownHook = hook;
  }

  requestShutdown(o: ShutdownRequest): boolean {
    if (this.shutdownHook === null) {
      log.warning('SHUTDOWN: this server has no shutdown handler (an in-process engine)');
      return false;
    }
    return this.shutdownHook(o);
  }

  /**
   * A front-end closes `c` for client-output-buffer-limit (src/io/outputlimit.ts): Redis's
   * log line. The front-end closes the connection; the engine forgets the client on close.
   */
  outputLimitReached(c: ClientState): void {
    log.warning(`Client ${clientInfoLine(c, this, c, c.lastCommand, [])} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  }

  commands(): Iterable<CommandSpec> {
    return this.table.all.map((c) => c.spec);
  }

  command(name: string): CommandSpec | undefined {
    return this.table.lookup(name)?.spec;
  }

  commandStats(): Iterable<CommandStats> {
    return this.table.everything();
  }

  resetStats(): void {
    const st = this.stats;
    st.totalConnectionsReceived = 0;
    st.totalCommandsProcessed = 0;
    st.rejectedConnections = 0;
    st.totalNetInputBytes = 0;
    st.totalNetOutputBytes = 0;
    st.totalErrorReplies = 0;
    st.evictedKeys = 0;
    st.errorCodes.clear();
    st.resetAt = Date.now();
    const ks = this.keyspace.stats;
    ks.expiredKeys = 0;
    ks.keyspaceHits = 0;
    ks.keyspaceMisses = 0;
    for (const cmd of this.table.everything()) {
      cmd.calls = 0;
      cmd.usec = 0;
      cmd.rejectedCalls = 0;
      cmd.failedCalls = 0;
    }
    this.samples.reset();
    st.instantaneousOpsPerSec = 0;
    st.instantaneousInputKbps = 0;
    st.instantaneousOutputKbps = 0;
  }

  /**
   * Counts a command refused before it reached execute() (an I/O worker's preflight, see
   * src/protocol/preflight.ts) as execute() counts its own refusals: a rejected call of the
   * command or subcommand when there is one, and the error in INFO errorstats.
   */
  countRejection(argv: readonly string[], error: string, c?: ClientState): void {
    let cmd = this.table.lookup(argv[0]!);
    if (cmd !== undefined && cmd.subcommands !== null && argv.length >= 2) {
      cmd = cmd.subcommands.get(argv[1]!.toLowerCase());
    }
    // The transaction state changes as if the executor had refused it (the worker wrote the
    // same text, src/protocol/preflight.ts): MULTI aborted, or left for EXEC.
    if (c !== undefined) this.transactions.rejection(c, cmd ?? null, error);
    if (cmd !== undefined) cmd.rejectedCalls++;
    const space = error.indexOf(' ');
    this.countError(space < 0 ? error : error.slice(0, space));
  }

  /** Counts an error reply made outside any command (a protocol error), by its text. */
  countErrorReply(error: string): void {
    const space = error.indexOf(' ');
    this.countError(space < 0 ? error : error.slice(0, space));
  }

  /** Counts an error reply by its first word, as INFO errorstats shows it. */
  private countError(code: string): void {
    const st = this.stats;
    st.totalErrorReplies++;
    // Redis stops adding new codes at 128 (a flood of user-made codes must not grow the table).
    const n = st.errorCodes.get(code);
    if (n !== undefined) st.errorCodes.set(code, n + 1);
    else if (st.errorCodes.size < 128) st.errorCodes.set(code, 1);
  }

  /** A handler replied with an error starting at `mark` in the writer. */
  private countFailure(cmd: Command, mark: number): void {
    cmd.failedCalls++;
    const buf = this.out.buf;
    const end = Math.min(this.out.len, mark + 64);
    let i = mark + 1;
    while (i < end && buf[i] !== 32 && buf[i] !== 13) i++;
    this.countError(buf.toString('latin1', mark + 1, i));
  }

  extraInfo(): ReadonlyMap<string, () => string[]> {
    return this.extra;
  }

  /** Socket I/O counts; the single-threaded front-end counts into `io` directly. */
  readonly io: IoCounters = { reads: 0, writes: 0, threadedReads: 0, threadedWrites: 0, threadsActive: false };
  /** A front-end that counts elsewhere (I/O threads) replaces this. */
  ioSource: () => IoCounters = () => this.io;
  private readonly debug = new Map<string, (args: string[]) => string | null>();

  ioCounters(): IoCounters {
    return this.ioSource();
  }

  debugActions(): ReadonlyMap<string, (args: string[]) => string | null> {
    return this.debug;
  }

  /** Lets a front-end add a DEBUG subcommand (lower-case name). */
  addDebugAction(name: string, action: (args: string[]) => string | null): void {
    this.debug.set(name, action);
  }

  /** Lets a front-end add an INFO section (e.g. "threads"). */
  addInfoSection(name: string, lines: () => string[]): void {
    this.extra.set(name, lines);
  }

  /**
   * The command table's shape (names, arities, subcommands) as plain data, for I/O workers that
   * run the preflight checks themselves (src/protocol/preflight.ts). Names in both cases.
   */
  commandShapes(): Array<[string, number, Array<[string, number]> | null]> {
    const out: Array<[string, number, Array<[string, number]> | null]> = [];
    for (const cmd of this.table.all) {
      const subs = cmd.subcommands === null ? null : [...cmd.subcommands.values()].map((s): [string, number] => [s.spec.name, s.spec.arity]);
      out.push([cmd.spec.name, cmd.spec.arity, subs], [cmd.spec.name.toUpperCase(), cmd.spec.arity, subs]);
    }
    return out;
  }

  authRequired(c: Client): boolean {
    return !c.authenticated && this.config.get('requirepass') !== '';
  }

  // ---- background work ---------------------------------------------------------------------

  startCron(): void {
    this.stopCron();
    const period = 1000 / this.config.int('hz');
    this.cronTimer = setInterval(() => this.cron(), period);
    this.cronTimer.unref();
  }

  stopCron(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  /** One background step: active expiry within 25% of the period (as Redis), idle timeouts. */
  cron(): void {
    this.samples.sample(this.stats);
    const period = 1000 / this.config.int('hz');
    this.keyspace.activeExpireCycle(Date.now, period / 4);
    this.onCron?.();
    const timeout = this.config.int('timeout');
    if (timeout > 0) {
      const now = Date.now();
      for (const c of this.clientMap.values()) {
        // Redis spares blocked clients (their own timeout is their business).
        if (c.block === null && now - c.lastInteraction > timeout * 1000) {
          log.verbose(`Closing idle client id=${c.id} addr=${c.addr}`);
          c.conn.close();
        }
      }
    }
  }
}
