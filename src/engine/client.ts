/**
 * The engine's per-client state, and the narrow interface an I/O front-end implements so the
 * engine can reach a client's connection without knowing what kind it is.
 *
 * Contract
 * - The engine creates a ClientState in `Engine.connect()` and forgets it in `disconnect()`.
 * - Everything the engine may ask of a connection is in ClientConnection; whether the bytes go
 *   to a socket on this thread or through a ring to an I/O worker is the front-end's business.
 */

import type { Client } from '../commands/types.ts';
import type { Db } from '../store/db.ts';
import type { BlockedClient, Waiter } from './blocking.ts';
import type { MultiState, TxClient, WatchedKey } from './multi.ts';
import type { SubClient, Subscriptions } from './pubsub.ts';

export interface ClientConnection {
  /**
   * Bytes for this client produced outside its own request batch, in the order of calls:
   * pub/sub messages (`answered` 0), or the late replies of `answered` of its commands (a
   * blocked command served or timed out, and the commands held behind it; see Engine.execute).
   * `end`: close the connection once these bytes are written (QUIT, a protocol error, held
   * behind a blocked command).
   */
  deliver(bytes: Buffer, answered: number, end: boolean): void;
  /** Close the connection now (CLIENT KILL, idle timeout). Pending output may be dropped. */
  close(): void;
  /** Unparsed input held for this client, in bytes. */
  queryBufferLength(): number;
  /** Output accepted but not yet written to the socket, in bytes. */
  outputBufferLength(): number;
}

/**
 * An error a front-end found before the executor (a protocol error, an I/O worker's preflight
 * refusal), held in its turn behind a blocked command: `argv` (name and maybe subcommand) for
 * the statistics of a refused command, null for a protocol error; `close` after it.
 */
export interface HeldError {
  readonly error: string;
  readonly close: boolean;
  readonly argv: readonly string[] | null;
}

export class ClientState implements Client, TxClient, SubClient, BlockedClient {
  readonly id: number;
  db: Db;
  resp: 2 | 3 = 2;
  name = '';
  authenticated: boolean;
  closeAfterReply = false;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  readonly conn: ClientConnection;
  /** Set when the client is gone; late deliveries are dropped. */
  closed = false;
  /** MULTI state (src/engine/multi.ts): null outside MULTI. */
  multi: MultiState | null = null;
  /** WATCHed keys (src/engine/multi.ts), null when none; dirtyCas: one of them was touched. */
  watched: WatchedKey[] | null = null;
  dirtyCas = false;
  /** Pub/sub subscriptions (src/engine/pubsub.ts), null when none (not in subscribed mode). */
  subs: Subscriptions | null = null;
  /** The blocking command's wait (src/engine/blocking.ts), null when not blocked. */
  block: Waiter | null = null;
  /**
   * Commands (and front-end errors) that arrived while the client was blocked, or after it was
   * unblocked but before those were run: they run in order later (Engine.execute). Non-null
   * exactly while the client is blocked or has such a backlog, so the executor's fast path
   * tests one field.
   */
  held: Array<string[] | HeldError> | null = null;
  /** The size of the held commands (arguments plus 16 bytes each), for the query buffer limit. */
  heldBytes = 0;

  constructor(id: number, db: Db, conn: ClientConnection, addr: string, laddr: string, fd: number,
              now: number, authenticated: boolean) {
    this.id = id;
    this.db = db;
    this.conn = conn;
    this.addr = addr;
    this.laddr = laddr;
    this.fd = fd;
    this.createdAt = now;
    this.lastInteraction = now;
    this.authenticated = authenticated;
  }

  queryBufferLength(): number {
    return this.conn.queryBufferLength();
  }

  outputBufferLength(): number {
    return this.conn.outputBufferLength();
  }

  get multiCount(): number {
    return this.multi === null ? -1 : this.multi.queue.length;
  }

  get multiMem(): number {
    return this.multi === null ? 0 : this.multi.mem;
  }

  get subCount(): number {
    return this.subs === null ? 0 : this.subs.channel.size;
  }

  get psubCount(): number {
    return this.subs === null ? 0 : this.subs.pattern.size;
  }

  get ssubCount(): number {
    return this.subs === null ? 0 : this.subs.shard.size;
  }

  get blocked(): boolean {
    return this.block !== null;
  }
}
