/**
 * Benchmark targets: what each target id means, and starting/stopping each one as a fresh
 * server process on a free loopback port.
 *
 * Target ids (`--targets a,b,…`):
 *   ringkv-1            ringkv, io-threads 1 (the single-threaded front-end)
 *   ringkv-N            ringkv, io-threads N, adaptive (the default: clients go to the I/O threads
 *                       only while the main thread is saturated and a core is idle; on a 2-core box
 *                       running its own load generator, that is rarely)
 *   ringkv-N-forced     ringkv, io-threads N, io-threads-force yes (every client on an I/O thread:
 *                       the threaded path itself)
 *   redis-1             redis-server, io-threads 1
 *   redis-N             redis-server, io-threads N, io-threads-do-reads yes
 *   external            --host/--port: a server the harness neither starts nor stops
 *
 * redis-server targets need `redis-server` on PATH; without it they are listed as unavailable
 * with the reason (never silently dropped). Each started server gets its own empty temp dir and
 * no persistence (`--save '' --appendonly no`). With `cpus` set the server runs under
 * `taskset -c cpus` (taskset execs, so the pid is the server's).
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '../results/schema.ts';
import { waitForPong } from './resp.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface TargetSpec {
  id: string;
  label: string;
  kind: Target['kind'];
  ioThreads: number;
  /** Server arguments beyond port/dir/persistence. */
  args: string[];
}

/** The default set: ringkv single, ringkv threaded (adaptive and forced), redis-server single and threaded. */
export function defaultTargetIds(cores = os.availableParallelism()): string[] {
  const n = Math.max(2, Math.min(cores, 4));
  return ['ringkv-1', `ringkv-${n}`, `ringkv-${n}-forced`, 'redis-1', `redis-${n}`];
}

export function parseTargetId(id: string): TargetSpec {
  const m = /^(ringkv|redis)-(\d+)(-forced)?$/.exec(id);
  if (id === 'external') return { id, label: 'external server', kind: 'external', ioThreads: 0, args: [] };
  if (m === null) throw new Error(`unknown target "${id}" (want ringkv-N, ringkv-N-forced, redis-N or external)`);
  const n = Number(m[2]);
  if (n < 1 || n > 128) throw new Error(`target "${id}": io-threads must be 1..128`);
  if (m[1] === 'ringkv') {
    if (n === 1) {
      if (m[3] !== undefined) throw new Error(`target "${id}": -forced needs io-threads > 1`);
      return { id, label: 'ringkv io-threads 1', kind: 'ringkv', ioThreads: 1, args: [] };
    }
    return m[3] === undefined
      ? { id, label: `ringkv io-threads ${n} (adaptive)`, kind: 'ringkv', ioThreads: n, args: ['--io-threads', String(n)] }
      : { id, label: `ringkv io-threads ${n} (forced)`, kind: 'ringkv', ioThreads: n, args: ['--io-threads', String(n), '--io-threads-force', 'yes'] };
  }
  if (m[3] !== undefined) throw new Error(`target "${id}": -forced is a ringkv mode`);
  return n === 1
    ? { id, label: 'redis-server io-threads 1', kind: 'redis', ioThreads: 1, args: [] }
    : { id, label: `redis-server io-threads ${n}`, kind: 'redis', ioThreads: n, args: ['--io-threads', String(n), '--io-threads-do-reads', 'yes'] };
}

/** Whether a command is on PATH (as the children will see it: `env` PATH). */
export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** redis-server's version ("7.0.15"), or null when it is not on PATH. */
export function redisServerVersion(): string | null {
  if (!onPath('redis-server')) return null;
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(r.stdout ?? '')?.[1] ?? null;
}

/** The schema's Target record of a spec, available or with the reason it is not. */
export function describeTarget(spec: TargetSpec, args: string[] = spec.args): Target {
  const t: Target = { id: spec.id, label: spec.label, kind: spec.kind, ioThreads: spec.ioThreads, args, available: true };
  if (spec.kind === 'redis' && !onPath('redis-server')) {
    t.available = false;
    t.reason = 'redis-server not found on PATH';
  }
  return t;
}

export interface RunningTarget {
  spec: TargetSpec;
  host: string;
  port: number;
  /** The server's pid (0 for an external server: no /proc sampling). */
  pid: number;
  /** Everything the server printed (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now (the lab's one way to pick a port). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Stops a child process: SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
export async function stopProc(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface StartOptions {
  /** taskset CPU list for the server (e.g. "0"), or undefined for no pinning. */
  cpus?: string;
  /** The server's environment (default: this process's), e.g. RINGKV_NODE_FLAGS for `ringkv profile`. */
  env?: NodeJS.ProcessEnv;
}

/** Starts a fresh server for `spec` on a free loopback port and waits until it answers PING. */
export async function startTarget(spec: TargetSpec, opts: StartOptions = {}): Promise<RunningTarget> {
  if (spec.kind === 'external') throw new Error('an external target is not started by the harness');
  const dir = mkdtempSync(path.join(os.tmpdir(), `ringkv-bench-${spec.id}-`));
  const port = await freePort();
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let cmd = spec.kind === 'ringkv' ? path.join(ROOT, 'bin/ringkv-server') : 'redis-server';
  let argv = [...common, ...spec.args];
  if (opts.cpus !== undefined) {
    argv = ['-c', opts.cpus, cmd, ...argv];
    cmd = 'taskset';
  }
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, env: opts.env ?? process.env });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20000); });
  proc.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20000); });
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (err) => reject(err)));
  try {
    await Promise.race([waitForPong('127.0.0.1', port, 20000, () => proc.exitCode === null && proc.signalCode === null), spawnError]);
  } catch (err) {
    await stopProc(proc);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${spec.label} did not start: ${(err as Error).message}\n${out}`);
  }
  return {
    spec,
    host: '127.0.0.1',
    port,
    pid: proc.pid!,
    output: () => out,
    stop: async () => {
      await stopProc(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An already-running server (`--host/--port`): never started or stopped, no /proc sampling unless it is local and `pid` is given. */
export function externalTarget(host: string, port: number, pid = 0): RunningTarget {
  return {
    spec: { id: 'external', label: `external ${host}:${port}`, kind: 'external', ioThreads: 0, args: [] },
    host,
    port,
    pid,
    output: () => '',
    stop: async () => {},
  };
}
