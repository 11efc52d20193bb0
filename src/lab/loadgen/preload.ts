/**
 * Key-space preload: runs a workload's Preload over keys [0, keyspace) on a few connections,
 * pipelined (a window of commands in flight per connection, written in batches), before any
 * shard starts. Any error reply fails the preload: a benchmark over a half-filled key space
 * would measure something else.
 */

import net from 'node:net';
import type { Workload } from '../workloads/types.ts';
import { Encoder } from './encoder.ts';
import { ReplyScanner } from './scanner.ts';
import { contextFor } from './shard.ts';
import type { KeyDist } from './rng.ts';

/** Writes (not replies) in flight per connection. */
const WINDOW = 32;
const CONNECTIONS = 2;

export interface PreloadOptions {
  host: string;
  port: number;
  keyspace: number;
  keyDist: KeyDist;
  zipfS: number;
  valueSize: number;
  seed: number;
}

export async function preloadKeyspace(w: Workload, o: PreloadOptions): Promise<void> {
  const p = w.preload;
  if (p === null) return;
  const per = p.keysPerWrite;
  const writes = Math.ceil(o.keyspace / per);
  let nextWrite = 0;
  const ctx = contextFor(o, 0, 0, 0, 1);
  const one = (): Promise<void> => new Promise<void>((resolve, reject) => {
    const enc = new Encoder();
    let owed = 0;
    let inflight = 0;
    const replyCounts: number[] = [];
    let error: string | null = null;
    const sock = net.connect({ host: o.host, port: o.port, noDelay: true });
    const scanner = new ReplyScanner((err, raw) => {
      if (err && error === null) error = raw === null ? 'error reply' : raw.toString('latin1').trim();
      owed--;
      if (--replyCounts[0]! === 0) {
        replyCounts.shift();
        inflight--;
      }
    });
    scanner.capture = true;
    const pump = (): void => {
      if (error !== null) {
        sock.destroy();
        reject(new Error(`preload of '${w.name}' failed: ${error}`));
        return;
      }
      while (inflight < WINDOW && nextWrite < writes) {
        const lo = nextWrite++ * per;
        const n = p.write(enc, lo, Math.min(o.keyspace, lo + per), ctx);
        replyCounts.push(n);
        owed += n;
        inflight++;
      }
      const b = enc.take();
      if (b !== null) sock.write(b);
      if (owed === 0 && nextWrite >= writes) {
        sock.end();
        resolve();
      }
    };
    sock.on('connect', pump);
    sock.on('data', (d: Buffer) => {
      scanner.scan(d);
      scanner.capture = true;
      pump();
    });
    sock.on('error', reject);
  });
  const conns = Math.min(CONNECTIONS, writes);
  await Promise.all(Array.from({ length: conns }, one));
}
