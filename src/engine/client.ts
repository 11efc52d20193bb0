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
import type { MultiState, TxClient, WatchedKey } from './multi.ts';
import type { SubClient, Subscriptions } from './pubsub.ts';

export interface ClientConnection {
  /**
   * Bytes for this client produced outside its own request batch: pub/sub messages, a blocked
   * client's late reply. Must keep the order of calls.
   */
  deliver(bytes: Buffer): void;
  /** Close the connection now (CLIENT KILL, idle timeout). Pending output may be dropped. */
  close(): void;
  /** Unparsed input held for this client, in bytes. */
  queryBufferLength(): number;
  /** Output accepted but not yet written to the socket, in bytes. */
  outputBufferLength(): number;
}

export class ClientState implements Client, TxClient, SubClient {
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
}
