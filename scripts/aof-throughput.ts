/**
 * AOF throughput: redis-benchmark SET rates against ringkv with no persistence, with
 * appendonly yes + appendfsync everysec, and with appendfsync always, each without pipelining
 * (-P 1) and with it (-P 16). Every configuration runs on its own server (started once, fresh
 * temp dir); the repetitions are interleaved (all configurations in turn, the order rotated each
 * round) so a noisy machine affects them alike; the report gives medians and the ratios the
 * issue asks about:
 *
 *   everysec / none        (want >= 0.85)
 *   always -P16 / everysec -P16   (want >= 0.1: group commit keeps it within 10x)
 *
 *   node scripts/aof-throughput.ts [--rounds 5] [--requests 200000] [--clients 50] [--io-threads 1] [--json out.json]
 *
 * The rates are redis-benchmark's own (--csv). It runs on the same machine as the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
}
const ROUNDS = Number(arg('rounds', '5'));
const REQUESTS = Number(arg('requests', '200000'));
const CLIENTS = arg('clients', '50');
const IO_THREADS = arg('io-threads', '1');
const JSON_OUT = arg('json', '');

interface Config {
  readonly name: string;
  readonly args: string[];
}

const CONFIGS: Config[] = [
  { name: 'none', args: ['--appendonly', 'no'] },
  { name: 'everysec', args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] },
  { name: 'always', args: ['--appendonly', 'yes', '--appendfsync', 'always'] },
];
const PIPELINES = [1, 16];

interface Server {
  port: number;
  stop(): void;
  dir: string;
}

async function startServer(cfg: Config): Promise<Server> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ringkv-aofbench-${cfg.name}-`));
  const proc = spawn(path.join(ROOT, 'bin/ringkv-server'),
    ['--port', '0', '--save', '', '--dir', dir, '--io-threads', IO_THREADS, ...cfg.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 20000;
  for (;;) {
    const m = /Listening on [^\s]+:(\d+)/.exec(out);
    if (m !== null && out.includes('Ready to accept connections')) {
      return { port: Number(m[1]), dir, stop: () => proc.kill('SIGTERM') };
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server ${cfg.name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One redis-benchmark SET run: requests per second. */
function benchSet(port: number, pipeline: number): number {
  const n = pipeline === 1 ? Math.round(REQUESTS / 2) : REQUESTS;
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-t', 'set', '-n', String(n), '-c', CLIENTS, '-P', String(pipeline),
    '-r', '1000000', '--csv', '-q'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('"SET"'));
  if (line === undefined) throw new Error(`no SET line in: ${r.stdout}`);
  return Number(line.split(',')[1]!.replace(/"/g, ''));
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const servers = new Map<string, Server>();
  for (const cfg of CONFIGS) servers.set(cfg.name, await startServer(cfg));
  const runs: Array<{ name: string; pipeline: number }> = [];
  for (const cfg of CONFIGS) for (const p of PIPELINES) runs.push({ name: cfg.name, pipeline: p });
  const rates = new Map<string, number[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no configuration always runs first (or last).
      const order = runs.map((_, i) => runs[(i + round) % runs.length]!);
      for (const r of order) {
        const key = `${r.name} -P${r.pipeline}`;
        const rps = benchSet(servers.get(r.name)!.port, r.pipeline);
        if (!rates.has(key)) rates.set(key, []);
        rates.get(key)!.push(rps);
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${key}: ${rps.toFixed(0)} SET/s\n`);
      }
    }
  } finally {
    for (const s of servers.values()) {
      s.stop();
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
  const med = (k: string): number => median(rates.get(k)!);
  const result = {
    when: new Date().toISOString(),
    env: { cores: os.availableParallelism(), loadavg: os.loadavg(), node: process.version, ioThreads: IO_THREADS, clients: CLIENTS, requests: REQUESTS, rounds: ROUNDS },
    medians: Object.fromEntries([...rates.keys()].map((k) => [k, Math.round(med(k))])),
    runs: Object.fromEntries(rates),
    ratios: {
      'everysec/none -P1': med('everysec -P1') / med('none -P1'),
      'everysec/none -P16': med('everysec -P16') / med('none -P16'),
      'always/everysec -P16': med('always -P16') / med('everysec -P16'),
      'always/everysec -P1': med('always -P1') / med('everysec -P1'),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (JSON_OUT !== '') writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
}

await main();
