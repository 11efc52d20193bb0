/**
 * What every front-end does the same way: listen on the `bind` addresses, screen a new
 * connection (maxclients, protected mode), and name its endpoints.
 *
 * A front-end gives `Listeners` a function that takes an accepted socket which passed the
 * screening; `Listeners` owns the listening sockets and closes them on shutdown.
 */

import net from 'node:net';
import type { Config } from '../config/config.ts';
import type { Engine } from '../engine/engine.ts';
import { log } from '../lib/log.ts';

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

export interface Bound {
  address: string;
  port: number;
}

export class Listeners {
  private readonly servers: net.Server[] = [];
  private readonly engine: Engine;
  private readonly config: Config;
  private readonly take: (socket: net.Socket) => void;
  private readonly options: net.ServerOpts;

  /** `pauseOnConnect` for front-ends that hand the socket to another thread before reading. */
  constructor(engine: Engine, config: Config, take: (socket: net.Socket) => void, options: net.ServerOpts = {}) {
    this.engine = engine;
    this.config = config;
    this.take = take;
    this.options = { noDelay: true, ...options };
  }

  /** Listens on every `bind` address; resolves once all listen (a '-' prefix makes one optional). */
  async listen(): Promise<Bound[]> {
    const port = this.config.int('port');
    const addrs = this.config.get('bind').split(/\s+/).filter((a) => a !== '');
    const bound: Bound[] = [];
    for (const raw of addrs) {
      const optional = raw.startsWith('-');
      const host = optional ? raw.slice(1) : raw;
      const server = net.createServer(this.options, (socket) => this.accept(socket));
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

  /** Refuses with Redis's error line (maxclients, protected mode) or passes the socket on. */
  private accept(socket: net.Socket): void {
    const refusal = this.engine.refusal(socket.remoteAddress ?? '');
    if (refusal !== null) {
      this.engine.stats.rejectedConnections++;
      socket.on('error', () => {});
      socket.end(`-${refusal}\r\n`);
      return;
    }
    const keepalive = this.config.int('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    this.take(socket);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }
}
