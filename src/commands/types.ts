/**
 * The shapes every command family shares: the typed command spec (the one source of truth for
 * arity, flags and key positions), the client as a command sees it, and the server context a
 * handler may use.
 *
 * Contract
 * - A handler is `(client, argv, server) => void`. It writes its reply (exactly one, unless it
 *   blocks or is a subscription command) into `server.out`, already set to the client's RESP
 *   dialect. It never touches a socket and never learns which I/O front-end the client uses.
 * - argv[0] is the command name as sent; every argument is a latin1 byte string.
 * - Arity and authentication are checked by the executor before a handler runs.
 *
 * Imports only types.
 */

import type { Config } from '../config/config.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import type { Db } from '../store/db.ts';
import type { Keyspace } from '../store/keyspace.ts';

/**
 * Command flags, with Redis's names and meanings (COMMAND INFO shows them):
 * - write: may modify the keyspace.        - readonly: only reads keys.
 * - denyoom: refused when over maxmemory.  - admin: administrative (CONFIG, CLIENT KILL…).
 * - pubsub: pub/sub related.               - noscript: not allowed from scripts.
 * - blocking: may block the client.        - loading / stale: allowed while loading / stale.
 * - fast: O(1) or O(log N), never blocks.  - no_auth: runs before AUTH (AUTH, HELLO, QUIT).
 * - may_replicate: may produce replication traffic.
 * - no_multi: refused inside MULTI.        - allow_busy: allowed while a script is busy.
 * - sentinel: also in Sentinel mode.       - no_mandatory_keys: key arguments are optional.
 * - no_async_loading: refused while the dataset loads asynchronously (persistence commands).
 */
export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'admin' | 'pubsub' | 'noscript' | 'blocking' | 'loading'
  | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'fast' | 'no_auth' | 'may_replicate' | 'sentinel'
  | 'only_sentinel' | 'no_mandatory_keys' | 'no_multi' | 'allow_busy' | 'no_async_loading';

/** Command groups as COMMAND DOCS names them. */
export type CommandGroup =
  | 'generic' | 'string' | 'list' | 'set' | 'sorted-set' | 'hash' | 'pubsub' | 'transactions'
  | 'connection' | 'server' | 'scripting' | 'hyperloglog' | 'cluster' | 'sentinel' | 'geo'
  | 'stream' | 'bitmap';

export type Handler = (c: Client, argv: string[], s: ServerContext) => void;

/**
 * ACL categories, in the order Redis lists them (COMMAND INFO, ACL CAT). A command's categories
 * are the ones its flags imply (write → @write, readonly → @read, admin → @admin @dangerous,
 * pubsub → @pubsub, fast → @fast, blocking → @blocking, and @slow when not @fast) plus its
 * explicit ones: `CommandSpec.acl` when given, else the one its group implies (see
 * command-cmd.ts, aclCategories).
 */
export type AclCategory =
  | 'keyspace' | 'read' | 'write' | 'set' | 'sortedset' | 'list' | 'hash' | 'string' | 'bitmap'
  | 'hyperloglog' | 'geo' | 'stream' | 'pubsub' | 'admin' | 'fast' | 'slow' | 'blocking'
  | 'dangerous' | 'connection' | 'transaction' | 'scripting';

/** Key-spec flags (Redis 7 COMMAND INFO), in Redis's order. */
export type KeySpecFlag =
  | 'RO' | 'RW' | 'OW' | 'RM' | 'access' | 'update' | 'insert' | 'delete' | 'not_key' | 'incomplete'
  | 'variable_flags';

/**
 * A Redis 7 key specification: where the key arguments start (an index, or after a keyword
 * searched from `startFrom`) and how to find them from there (a range, or a count argument).
 * Offsets are relative to the start found, as in Redis.
 */
export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly KeySpecFlag[];
  readonly begin: { readonly index: number } | { readonly keyword: string; readonly startFrom: number };
  readonly find:
    | { readonly lastKey: number; readonly keyStep: number; readonly limit: number }
    | { readonly keyNumIdx: number; readonly firstKey: number; readonly keyStep: number };
}

export interface CommandSpec {
  /** Lower-case name; for a subcommand, its own word (e.g. "setname" under "client"). */
  readonly name: string;
  /** Argument count including the name: n means exactly n, -n means at least n. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Key positions: first, last (negative counts from the end) and step; 0 0 0 for no keys. */
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly group: CommandGroup;
  readonly since: string;
  readonly summary: string;
  readonly complexity: string;
  /** Absent for a container (CLIENT, CONFIG…), whose subcommands run instead. */
  readonly handler?: Handler;
  readonly subcommands?: readonly CommandSpec[];
  /**
   * Optional COMMAND INFO detail (Redis's command JSON). When absent: ACL categories come from
   * the flags and the group, there are no tips, and one key spec is derived from
   * firstKey/lastKey/step.
   */
  readonly acl?: readonly AclCategory[];
  /** Command tips ("nondeterministic_output", "request_policy:all_shards"…). */
  readonly tips?: readonly string[];
  readonly keySpecs?: readonly KeySpec[];
}

/** SHUTDOWN's options: `save` true (SAVE), false (NOSAVE), null (save if save points are set). */
export interface ShutdownRequest {
  readonly save: boolean | null;
  readonly now: boolean;
  readonly force: boolean;
}

/** Call statistics of one command or subcommand (INFO commandstats). */
export interface CommandStats {
  /** "get", or "client|list" for a subcommand. */
  readonly fullName: string;
  readonly calls: number;
  /** Microseconds spent in the handler, summed (may be fractional). */
  readonly usec: number;
  /** Refused before running (arity, unknown subcommand, NOAUTH). */
  readonly rejectedCalls: number;
  /** Ran and replied with an error. */
  readonly failedCalls: number;
}

/** A client as commands see it. The engine owns the object; I/O front-ends own the socket. */
export interface Client {
  readonly id: number;
  db: Db;
  /** RESP dialect chosen with HELLO. */
  resp: 2 | 3;
  name: string;
  authenticated: boolean;
  /** Set by QUIT and fatal errors: the front-end closes the connection once replies are out. */
  closeAfterReply: boolean;
  readonly addr: string;
  readonly laddr: string;
  /** Socket file descriptor, or -1 where the front-end cannot tell. */
  readonly fd: number;
  /** ms timestamps. */
  readonly createdAt: number;
  lastInteraction: number;
  /** Full name of the last command run ("client|list" for subcommands). */
  lastCommand: string;
  /** Query-buffer and output-buffer sizes, as the front-end knows them. */
  queryBufferLength(): number;
  outputBufferLength(): number;
  /**
   * Transaction and pub/sub state as CLIENT LIST shows it: commands queued since MULTI (-1
   * outside MULTI) and the bytes of their arguments, whether a WATCHed key was touched, and the
   * number of channels, patterns and shard channels subscribed to.
   */
  readonly multiCount: number;
  readonly multiMem: number;
  readonly dirtyCas: boolean;
  readonly subCount: number;
  readonly psubCount: number;
  readonly ssubCount: number;
  /** Parked by a blocking command (BLPOP…) until served, timed out or unblocked: CLIENT LIST's b flag. */
  readonly blocked: boolean;
}

export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  /** Wall clock (ms) of the last CONFIG RESETSTAT, or of start-up. */
  resetAt: number;
  /** Error replies sent, and their count by first word ("ERR", "WRONGTYPE"): INFO errorstats. */
  totalErrorReplies: number;
  readonly errorCodes: Map<string, number>;
  /** Rates sampled by the engine's cron over the last ~1.6 s, as Redis's instantaneous_* fields. */
  instantaneousOpsPerSec: number;
  instantaneousInputKbps: number;
  instantaneousOutputKbps: number;
  /** Keys evicted under maxmemory (src/engine/evict.ts): INFO evicted_keys. */
  evictedKeys: number;
}

/** What handlers may reach of the server. Implemented by the engine. */
export interface ServerContext {
  readonly keyspace: Keyspace;
  readonly config: Config;
  /** Where the current command's reply goes. */
  readonly out: ReplyWriter;
  readonly stats: ServerStats;
  /** Start time of the current command, Unix ms. */
  readonly now: number;
  /** Wall-clock start of the server, Unix ms. */
  readonly startedAt: number;
  /** Every connected client. */
  clients(): Iterable<Client>;
  clientById(id: number): Client | undefined;
  /** Disconnects another client (CLIENT KILL); the caller's own connection closes after its reply. */
  kill(c: Client): void;
  /** The command table, for COMMAND. */
  commands(): Iterable<CommandSpec>;
  command(name: string): CommandSpec | undefined;
  /** Every command and subcommand's call statistics (INFO commandstats). */
  commandStats(): Iterable<CommandStats>;
  /** CONFIG RESETSTAT: zeroes the server, keyspace, error and command statistics. */
  resetStats(): void;
  /**
   * INFO sections contributed from outside the command layer (the I/O front-end's "threads"):
   * lower-case section name → its "field:value" lines.
   */
  extraInfo(): ReadonlyMap<string, () => string[]>;
  /** Whether `c` must AUTH before anything else. */
  authRequired(c: Client): boolean;
  /** Socket read/write counts as the front-end knows them (INFO stats and server). */
  ioCounters(): IoCounters;
  /**
   * DEBUG subcommands contributed by the front-end (e.g. "io-thread-crash"): lower-case name →
   * action taking the arguments after the subcommand, returning an error text or null.
   */
  debugActions(): ReadonlyMap<string, (args: string[]) => string | null>;
  /** MULTI/EXEC/WATCH state (src/engine/multi.ts). */
  readonly transactions: Transactions;
  /** The pub/sub registry (src/engine/pubsub.ts). */
  readonly pubsub: PubSub;
  /** Blocked clients (src/engine/blocking.ts): BLPOP and the other blocking commands. */
  readonly blocking: Blocking;
  /**
   * RDB persistence (SAVE, BGSAVE, LASTSAVE, INFO's rdb_* fields, the save at shutdown),
   * supplied by the composition root (src/persistence/rdb); null when the server runs without it.
   */
  persistence: PersistenceControl | null;
  /**
   * SHUTDOWN (src/commands/shutdown.ts): asks the composition root to save if needed and exit.
   * true: the server is exiting (the caller gets no reply); false: the final save failed and
   * FORCE was not given, the server stays up (the reason is in the log).
   */
  requestShutdown(o: ShutdownRequest): boolean;
  /**
   * Keyspace notifications (Redis's notifyKeyspaceEvent): publishes `event` about `key` of
   * `db` on __keyspace@<db>__:<key> and/or `key` on __keyevent@<db>__:<event>, if
   * notify-keyspace-events enables class `type` (a NOTIFY_* bit of
   * src/config/keyspace-events.ts). Disabled, it costs one integer test. A handler calls it
   * after the change, in Redis's order; "new", "keymiss" and "expired" come from the store.
   */
  notify(type: number, event: string, db: Db, key: string): void;
  /**
   * AOF propagation (Redis's rewriteClientCommandVector / alsoPropagate): if the running command
   * (or the serving of a blocked client) changes the dataset, `cmds` are written to the AOF in
   * place of the command as sent; none writes nothing. The last call wins. Handlers whose
   * outcome only they know use it (SPOP → SREM, BLPOP → LPOP); the rest are rewritten by the
   * executor (src/engine/propagate.ts).
   */
  propagateAs(...cmds: string[][]): void;
  /**
   * The append-only file (BGREWRITEAOF, INFO's aof_* fields), supplied by the composition root
   * (src/persistence/aof); null when the server runs without it.
   */
  aof: AofControl | null;
}

/** What the commands layer may ask of the AOF (src/persistence/aof), without importing it. */
export interface AofControl {
  /** BGREWRITEAOF: the reply's text, or an error text starting with "ERR". */
  bgrewriteaof(): { ok: string } | { error: string };
  /**
   * INFO persistence's aof_* lines: `head` from aof_enabled to aof_last_cow_size, `tail` the
   * lines Redis adds after module_fork_last_cow_size while the AOF is on (aof_current_size…).
   */
  info(): { head: string[]; tail: string[] };
  /**
   * The MISCONF error text while the AOF is on and its last write failed (Redis refuses writes
   * and PING until a write succeeds again), else null.
   */
  writeError(): string | null;
}

/**
 * The transaction state machine as the commands of src/commands/transactions.ts drive it. The
 * commands write the replies of MULTI, DISCARD, WATCH and UNWATCH and their errors; EXEC's reply
 * is written here, since it is the replies of the commands queued.
 */
export interface Transactions {
  inMulti(c: Client): boolean;
  /** Enters MULTI (the caller checked it is not in MULTI yet). */
  begin(c: Client): void;
  /** Runs or aborts the queued commands and leaves MULTI, writing EXEC's reply (in MULTI). */
  exec(c: Client): void;
  /** Leaves MULTI, forgetting the queued commands and the watched keys (in MULTI). */
  discard(c: Client): void;
  /** Watches `keys` of the client's database (outside MULTI). */
  watch(c: Client, keys: readonly string[]): void;
  /** Forgets every watched key, and that one was touched. */
  unwatch(c: Client): void;
}

/**
 * Pub/sub subscriptions of three kinds, with separate namespaces: channels (SUBSCRIBE),
 * patterns (PSUBSCRIBE) and shard channels (SSUBSCRIBE).
 */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/**
 * The pub/sub registry as the commands of src/commands/pubsub.ts drive it. Subscribing and
 * unsubscribing change state only; the confirmations are the commands' replies. Publishing
 * delivers to every subscriber in its own RESP dialect.
 */
export interface PubSub {
  /** Adds a subscription; false if the client already had it. */
  subscribe(c: Client, kind: SubscriptionKind, name: string): boolean;
  /** Removes a subscription; false if the client did not have it. */
  unsubscribe(c: Client, kind: SubscriptionKind, name: string): boolean;
  /** The client's subscriptions of one kind, in the order they were made. */
  subscriptions(c: Client, kind: SubscriptionKind): string[];
  /** Sends `message` to the subscribers of `channel` (and of matching patterns unless `shard`); returns how many got it. */
  publish(channel: string, message: string, shard: boolean): number;
  /** Channels (or shard channels) with at least one subscriber, matching `pattern` if given. */
  channels(shard: boolean, pattern: string | null): string[];
  /** Subscribers of a channel (or shard channel), pattern subscribers not counted. */
  subscriberCount(shard: boolean, channel: string): number;
  /** Distinct patterns subscribed to by any client. */
  readonly patternCount: number;
  /** Distinct channels (and shard channels) with subscribers. */
  readonly channelCount: number;
  readonly shardChannelCount: number;
}

/** What INFO reports of socket I/O; each front-end counts in its own way. */
export interface IoCounters {
  /** total_reads_processed / total_writes_processed: socket reads and writes, all threads. */
  reads: number;
  writes: number;
  /** io_threaded_reads_processed / io_threaded_writes_processed: those done by I/O threads. */
  threadedReads: number;
  threadedWrites: number;
  /** io_threads_active: I/O threads are in use now. */
  threadsActive: boolean;
}

/** The value types a client can block on. */
export type BlockType = 'list' | 'zset';

/**
 * Serves a blocked client once `key` (of the client's database) holds a non-empty value of the
 * type it waits for: pops what the blocking command pops and writes its reply (exactly one) to
 * `s.out`, already set to the client's RESP dialect. The executor calls it after the command that
 * made the key ready (after EXEC for a transaction), as Redis's handleClientsBlockedOnKeys does.
 */
export type ServeFn = (c: Client, key: string, s: ServerContext) => void;

/**
 * Blocking commands as the command families drive them. A command that finds nothing to pop
 * calls `block()` and writes no reply; the client's reply comes later, from `serve`, or the null
 * array of a timeout, and its later commands wait until then (the executor holds them).
 */
export interface Blocking {
  /**
   * Parks `c` on `keys` (duplicates ignored) of its database until one of them holds a
   * non-empty `type` value, or until `deadline` (Unix ms; 0 waits forever). Returns false, and
   * parks nothing, when the client may not block (inside MULTI/EXEC): the command then answers
   * as if it had timed out at once.
   */
  block(c: Client, keys: readonly string[], type: BlockType, deadline: number, serve: ServeFn): boolean;
  /**
   * CLIENT UNBLOCK: a blocked client answered now, as on a timeout or with the UNBLOCKED error.
   * Returns false if no client `id` is blocked.
   */
  unblock(id: number, error: boolean): boolean;
  /** INFO clients: blocked_clients, and clients_in_timeout_table (those with a deadline). */
  readonly blockedClients: number;
  readonly timeoutClients: number;
}

/**
 * What the commands layer (and shutdown) may ask of RDB persistence (src/persistence/rdb),
 * without importing it.
 */
export interface PersistenceControl {
  /** SAVE: writes the dump synchronously. Null on success, else the error text ("ERR ..."). */
  save(): string | null;
  /** BGSAVE [SCHEDULE]; `inExec`: run by EXEC (Redis schedules it then). The reply's text, or an error text. */
  bgsave(schedule: boolean, inExec: boolean): { ok: string } | { error: string };
  /** LASTSAVE: Unix seconds of the last successful save (start-up time before the first). */
  lastSave(): number;
  /** INFO persistence's lines from `loading` to `rdb_last_load_keys_loaded`, in Redis 7.0's order. */
  info(): string[];
  /**
   * The save at SHUTDOWN / SIGTERM (Redis's prepareForShutdown): when save points are set, or
   * `force` (SHUTDOWN SAVE), abandons a running background save and saves synchronously.
   * False if that save failed (SHUTDOWN then refuses unless FORCE); true otherwise.
   */
  saveOnShutdown(force?: boolean): boolean;
  /** Whether any `save` point is configured. */
  hasSavePoints(): boolean;
  /**
   * The MISCONF error text while the last background save failed, stop-writes-on-bgsave-error
   * is yes and save points are set (write commands must be refused), else null.
   */
  writeError(): string | null;
}

/**
 * The executor's hook before a write command runs in `db` (a background save's copy-on-write):
 * `keys` are the key arguments its key specs name.
 */
export type BeforeWriteHook = (db: Db, argv: readonly string[], keys: readonly string[]) => void;
