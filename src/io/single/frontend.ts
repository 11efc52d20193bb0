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

/** The part of a socket's handle we read the file descriptor from (not in Node's typings). */
interface HandleWithFd {
  fd?: number;
}

export function socketFd(socket: net.Socket): number {
  const h = (socket as unknown as { _handle?: HandleWithFd })._handle;
  return typeof h?.fd === 'number' ? h.fd : -1;
}

export function endpoint(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

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
    if (replies !== null && !this.socket.write(replies)) this.socket.pause();
    if (parser.buffered > this.config.int('client-query-buffer-limit')) {
      log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.addr} qbuf=${parser.buffered}`);
      this.close();
    }
  }
}

export class SingleFrontEnd {
  private readonly engine: Engine;
  private readonly config: Config;
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  constructor(engine: Engine, config: Config) {
    this.engine = engine;
    this.config = config;
  }

  /** Listens on every `bind` address; resolves once all listen (a '-' prefix makes one optional). */
  async listen(): Promise<Array<{ address: string; port: number }>> {
    const port = this.config.int('port');
    const addrs = this.config.get('bind').split(/\s+/).filter((a) => a !== '');
    const bound: Array<{ address: string; port: number }> = [];
    for (const raw of addrs) {
      const optional = raw.startsWith('-');
      const host = optional ? raw.slice(1) : raw;
      const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: host === '*' ? '0.0.0.0' : host, port, backlog: this.config.int('tcp-backlog') }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        if (optional) {
          log.warning(`Warning: Could not create server TCP listening socket ${host}:${port}: ${(err as Error).message}`);
          continue;
        }
        throw err;
      }
      this.servers.push(server);
      const a = server.address() as net.AddressInfo;
      bound.push({ address: a.address, port: a.port });
    }
    return bound;
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const addr = endpoint(socket.remoteAddress, socket.remotePort);
    const refusal = engine.refusal(socket.remoteAddress ?? '');
    if (refusal !== null) {
      engine.stats.rejectedConnections++;
      socket.on('error', () => {});
      socket.end(`-${refusal}\r\n`);
      return;
    }
    const keepalive = this.config.int('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
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
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }
}
