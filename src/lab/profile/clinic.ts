/**
 * clinic (clinic doctor, clinic flame …), optional: run against a ringkv target with the same
 * load, unattended, its HTML kept in the profile directory. clinic is unmaintained and heavy
 * (≈700 packages), so it is not a dependency of the project:
 *
 *   - found at $RINGKV_CLINIC (the path of clinic's bin.js), node_modules/clinic, or the cache
 *     node_modules/.cache/ringkv-clinic (in that order);
 *   - with `--clinic-install` (make profile CLINIC=…) missing, it is installed into that cache
 *     with `npm install --ignore-scripts clinic@CLINIC_VERSION` (it needs no install scripts).
 *
 * Unattended: clinic asks for usage-statistics permission on first run and, in a shell without a
 * TTY, quietly exits 0 having done nothing; NO_INSIGHT=1 stops the question (its `--no-insight`
 * is not an option). Also CI=true, NO_UPDATE_NOTIFIER=1, `--open=false`, stdin closed. The load
 * runs through clinic's `--on-port` (the load generator's CLI); when it ends clinic stops the
 * server (SIGINT: ringkv's shutdown path) and writes its HTML.
 *
 * Failure never breaks the built-in profiles: every outcome is a ClinicOutcome with a message.
 * Known on Node 26 (checked here, clinic 13.0.0): doctor, flame and heapprofiler work;
 * bubbleprof never finishes (its async_hooks collection hangs; it was broken on Node 20 too), so
 * it is cut off after its time limit with that message.
 */

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { freePort, ROOT, type TargetSpec } from '../bench/targets.ts';
import type { ClinicOutcome } from './summary.ts';

export const CLINIC_VERSION = '13.0.0';
export const CLINIC_TOOLS = ['doctor', 'flame', 'bubbleprof', 'heapprofiler'] as const;
const NODE = process.execPath;
const CACHE = path.join(ROOT, 'node_modules/.cache/ringkv-clinic');

const KNOWN: Record<string, string> = {
  bubbleprof: 'clinic bubbleprof does not finish on Node 26 (nor on Node 20 here): its async_hooks collection hangs',
};

/** clinic's bin.js, or null. */
export function findClinic(): string | null {
  const c = [process.env.RINGKV_CLINIC, path.join(ROOT, 'node_modules/clinic/bin.js'), path.join(CACHE, 'node_modules/clinic/bin.js')];
  for (const p of c) if (p !== undefined && p !== '' && existsSync(p)) return p;
  return null;
}

/** Installs clinic into the cache (no install scripts); returns bin.js or an error message. */
export function installClinic(log: (s: string) => void): string | { error: string } {
  log(`installing clinic@${CLINIC_VERSION} into ${path.relative(process.cwd(), CACHE) || CACHE} (once; about a minute)…`);
  mkdirSync(CACHE, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', CACHE, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `clinic@${CLINIC_VERSION}`],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000 });
  const bin = path.join(CACHE, 'node_modules/clinic/bin.js');
  if (r.status !== 0 || !existsSync(bin)) return { error: `npm install clinic failed: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ') || r.error?.message || `exit ${r.status}`}` };
  return bin;
}

export interface ClinicRun {
  bin: string;
  tool: string;
  spec: TargetSpec;
  /** The profile directory; clinic's output goes to <dir>/clinic/<tool>-<target>/. */
  dir: string;
  /** Load generator CLI arguments (without --port). */
  loadArgs: string[];
  durationMs: number;
}

/** Runs one clinic tool; never throws. */
export async function runClinic(o: ClinicRun): Promise<ClinicOutcome> {
  const dest = path.join(o.dir, 'clinic', `${o.tool}-${o.spec.id}`);
  mkdirSync(dest, { recursive: true });
  const port = await freePort();
  const load = [NODE, path.join(ROOT, 'src/lab/loadgen/cli.ts'), '--port', String(port), ...o.loadArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const args = [o.bin, o.tool, '--open=false', '--dest', dest, '--on-port', `${load} > /dev/null`, '--',
    NODE, '--max-semi-space-size=8', path.join(ROOT, 'src/server/main.ts'),
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...o.spec.args];
  // No --dir: the server would chdir there, and clinic looks for the trace file Node writes into
  // the working directory (dest).
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_INSIGHT: '1', NO_UPDATE_NOTIFIER: '1' };
  delete env.RINGKV_PROFILE_SAMPLES;
  delete env.RINGKV_NODE_FLAGS;
  // Its own process group, so a hang is cut off with everything it started.
  const child = spawn(NODE, args, { cwd: dest, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-8000); });
  child.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-8000); });
  const limitMs = o.durationMs + 90_000;
  let timedOut = false;
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 5000).unref();
  }, limitMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  kill('SIGKILL'); // anything it left behind in its group
  const html = readdirSync(dest).find((f) => f.endsWith(`.clinic-${o.tool}.html`));
  const rel = (f: string): string => path.relative(o.dir, path.join(dest, f));
  if (html !== undefined) return { tool: `${o.tool} (${o.spec.id})`, ok: true, html: rel(html), message: 'ok' };
  const why = timedOut
    ? `no result after ${Math.round(limitMs / 1000)} s; stopped${KNOWN[o.tool] ? ` (${KNOWN[o.tool]})` : ''}`
    : `exited ${code} without an HTML file${KNOWN[o.tool] ? ` (${KNOWN[o.tool]})` : ''}: ${out.trim().split('\n').slice(-3).join(' | ')}`;
  return { tool: `${o.tool} (${o.spec.id})`, ok: false, message: `clinic ${o.tool} did not work on Node ${process.version}: ${why}` };
}
