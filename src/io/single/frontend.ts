/**
 * The classic single-threaded front-end (`io-threads 1`): sockets, RESP parsing, execution and
 * writes all on the main thread's event loop, as in Redis without io-threads.
 *
 * Contract
 * - One `data` event = one batch: every complete command in what was read runs in order, then
 *   all their replies leave in one `socket.write`. That is where pipelining pays.
 * - A protocol error is answered with Redis's text after the replies of the commands before it,
 *   and closes that connection only.
 * - A client whose unparsed input passes `client-query-buffer-limit` is closed without a reply,
 *   as Redis does.
 * - Back-pressure: when the kernel will not take more of a client's replies (`write()` returns
 *   false) we stop reading that client until its socket drains, so a client that pipelines
 *   without reading cannot make us buffer without bound. Nothing is dropped.
 */

import net from 'node:net';
import type { Config } from '../../config/config.ts';
import type { ClientState, ClientConnection } from '../../engine/client.ts';
import type { Engine } from '../../engine/engine.ts';
import { log } from '../../lib/log.ts';
import { RequestParser } from '../../protocol/parser.ts';
import { endpoint, Listeners, socketFd, type Bound } from '../listen.ts';

class Connection implements ClientConnection {
  readonly socket: net.Socket;
  readonly parser: RequestParser;
  client!: ClientState;
  private readonly engine: Engine;
  private readonly config: Config;
  private closing = false;

  constructor(socket: net.Socket, engine: Engine, config: Config) {
    this.socket = socket;
    this.engine = engine;
    this.config = config;
    this.parser = new RequestParser({ maxBulkLen: config.int('proto-max-bulk-len') });
  }

  deliver(bytes: Buffer): void {
    if (this.closing) return;
    if (!this.socket.write(bytes)) this.socket.pause();
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.destroy();
  }

  queryBufferLength(): number {
    return this.parser.buffered;
  }

  outputBufferLength(): number {
    return this.socket.writableLength;
  }

  onData(chunk: Buffer): void {
    if (this.closing) return;
    const engine = this.engine;
    const client = this.client;
    const parser = this.parser;
    engine.stats.totalNetInputBytes += chunk.length;
    engine.io.reads++;
    parser.authRequired = engine.authRequired(client);
    parser.push(chunk);
    let argv: string[] | null;
    while (!client.closeAfterReply && (argv = parser.next()) !== null) {
      engine.execute(client, argv);
      if (parser.authRequired) parser.authRequired = engine.authRequired(client);
    }
    if (parser.error !== null && !client.closeAfterReply) {
      engine.out.resp = client.resp;
      engine.out.error(`ERR ${parser.error}`);
      engine.countErrorReply(`ERR ${parser.error}`);
      log.verbose(`Protocol error (${parser.error}) from client: id=${client.id} addr=${client.addr}`);
      client.closeAfterReply = true;
    }
    const replies = engine.takeReplies();
    if (this.closing) return; // killed itself (CLIENT KILL): Redis drops its pending replies
    if (client.closeAfterReply) {
      this.closing = true;
      if (replies !== null) this.socket.end(replies);
      else this.socket.end();
      return;
    }
    if (replies !== null) {
      engine.io.writes++;
      if (!this.socket.write(replies)) this.socket.pause();
    }
    if (parser.buffered > this.config.int('client-query-buffer-limit')) {
      log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.addr} qbuf=${parser.buffered}`);
      this.close();
    }
  }
}

export class SingleFrontEnd {
  private readonly engine: Engine;
  private readonly config: Config;
  private readonly listeners: Listeners;
  private readonly sockets = new Set<net.Socket>();

  constructor(engine: Engine, config: Config) {
    this.engine = engine;
    this.config = config;
    this.listeners = new Listeners(engine, config, (socket) => this.accept(socket));
  }

  listen(): Promise<Bound[]> {
    return this.listeners.listen();
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const addr = endpoint(socket.remoteAddress, socket.remotePort);
    const conn = new Connection(socket, engine, this.config);
    conn.client = engine.connect(conn, addr, endpoint(socket.localAddress, socket.localPort), socketFd(socket));
    this.sockets.add(socket);
    socket.on('data', (chunk: Buffer) => conn.onData(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', (err) => log.verbose(`Client id=${conn.client.id} addr=${addr}: ${err.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      engine.disconnect(conn.client);
    });
  }

  /** Stops listening and closes every client connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await this.listeners.close();
  }
}
