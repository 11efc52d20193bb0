/**
 * The classic single-threaded front-end (`io-threads 1`): sockets, RESP parsing, execution and
 * writes all on the main thread's event loop, as in Redis without io-threads. Each client is a
 * LocalConnection (src/io/local.ts), which holds the batching, error and back-pressure rules.
 */

import net from 'node:net';
import type { Config } from '../../config/config.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ParserLimits } from '../../protocol/parser.ts';
import { LocalConnection, liveLimits } from '../local.ts';
import { endpoint, Listeners, socketFd, type Bound } from '../listen.ts';

export class SingleFrontEnd {
  private readonly engine: Engine;
  private readonly config: Config;
  private readonly listeners: Listeners;
  private readonly sockets = new Set<net.Socket>();
  private readonly limits: ParserLimits;

  constructor(engine: Engine, config: Config) {
    this.engine = engine;
    this.config = config;
    this.listeners = new Listeners(engine, config, (socket) => this.accept(socket));
    this.limits = liveLimits(config);
  }

  listen(): Promise<Bound[]> {
    return this.listeners.listen();
  }

  private accept(socket: net.Socket): void {
    const engine = this.engine;
    const conn = new LocalConnection(socket, engine, this.config, this.limits, (c) => {
      this.sockets.delete(c.socket);
      engine.disconnect(c.client);
    });
    conn.client = engine.connect(conn, endpoint(socket.remoteAddress, socket.remotePort),
      endpoint(socket.localAddress, socket.localPort), socketFd(socket));
    this.sockets.add(socket);
  }

  /** Stops listening and closes every client connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await this.listeners.close();
  }
}
