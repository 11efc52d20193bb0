/**
 * Test servers: a real ringkv process and a real redis-server, each started by the test on a
 * free loopback port and stopped with it.
 *
 * - `startRingkv()` runs bin/ringkv-server (the pinned Node, the server's V8 flags) with
 *   `--port 0` and reads the port it bound from its log.
 * - `startRedis()` runs the system's redis-server. When it is missing, `redisAvailable` is false:
 *   suites skip locally, but under CI (`CI` set) `requireRedis()` fails the run instead.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE = path.join(ROOT, 'node_modules/.bin/node');

export interface TestServer {
  readonly port: number;
  readonly host: string;
  readonly proc: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;

/** Under CI a missing redis-server is a failure, not a skip. */
export function requireRedis(): boolean {
  if (!redisAvailable && process.env.CI) {
    throw new Error('redis-server is not installed, and CI is set: the differential suite cannot run');
  }
  return redisAvailable;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function track(proc: ChildProcess): () => string {
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  return () => out;
}

async function stopProc(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(output: () => string, proc: ChildProcess, re: RegExp, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const m = re.exec(output());
    if (m !== null) return m;
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}):\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in time:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RingkvOptions {
  /** Extra environment variables for the server process (e.g. RINGKV_EXECUTOR_DELAY_US), on top of ours. */
  env?: Record<string, string>;
}

/**
 * Starts ringkv (through bin/ringkv-server, as users do) with extra `--option value` arguments
 * (e.g. ['--io-threads', '2']) and, optionally, extra environment variables.
 */
export async function startRingkv(args: string[] = [], opts: RingkvOptions = {}): Promise<TestServer> {
  // A config file, if any, comes first, as redis-server wants it.
  const file = args.length > 0 && !args[0]!.startsWith('--') ? args.slice(0, 1) : [];
  // The behaviour suite runs once per I/O mode: RINGKV_TEST_IO_THREADS picks the mode, unless
  // the test chose one itself.
  const mode = process.env.RINGKV_TEST_IO_THREADS;
  if (mode !== undefined && !args.includes('--io-threads')) args = [...args, '--io-threads', mode, '--io-threads-force', 'yes'];
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'), [...file, '--port', '0', ...args.slice(file.length)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
    env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
  });
  const output = track(proc);
  const m = await waitFor(output, proc, /Listening on [^\s]+:(\d+)\n[\s\S]*Ready to accept connections/, 'ringkv');
  return { port: Number(m[1]), host: '127.0.0.1', proc, output, stop: () => stopProc(proc) };
}

/** Starts a throw-away redis-server (no persistence) on a free port. */
export async function startRedis(args: string[] = []): Promise<TestServer> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', '/tmp', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = track(proc);
  await waitFor(output, proc, /Ready to accept connections/, 'redis-server');
  return { port, host: '127.0.0.1', proc, output, stop: () => stopProc(proc) };
}

/** Waits (up to `ms`) until the server's output matches `re`: log lines arrive through a pipe. */
export async function waitForOutput(server: TestServer, re: RegExp, ms = 2000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!re.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return server.output();
}
