/**
 * `ringkv bench`: parse options, load the suite, run it (runner.ts), write
 * results/<run-id>/results.json (validated), point results/latest at it, print the summary.
 *
 * Exit codes: 0 done (even with failed cells: they are in the notes); 2 usage error; 1 the run
 * itself failed.
 */

import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeResults } from '../results/schema.ts';
import type { Suite } from '../suites/suite.ts';
import { Progress } from './progress.ts';
import { runBench, runIdNow } from './runner.ts';
import { formatSummary } from './summary.ts';
import { defaultTargetIds, parseTargetId, ROOT } from './targets.ts';

export const USAGE = `usage: ringkv bench [options]
  --suite NAME|FILE   default (about 5 min on 2 cores), quick (under a minute), or a .ts/.json suite file
  --targets A,B,…     target ids (default: the suite's, else ${defaultTargetIds().join(',')}):
                      ringkv-N (io-threads N; N > 1 adaptive), ringkv-N-forced (io-threads-force yes),
                      redis-N (redis-server io-threads N, do-reads yes)
  --reps N            repetitions per cell (default: the suite's)
  --host H --port P   benchmark an already-running server instead (never started or stopped)
  --allow-flush       required with --host/--port: the harness runs FLUSHALL there before every run
  --pid PID           with --host/--port on this machine: its pid, to sample its CPU and RSS
  --taskset           pin servers and clients to separate CPUs with taskset
  --out DIR           results directory (default: results/<run-id>)
  --quiet             no progress display
  --profile           profile ringkv single vs threaded instead (ringkv profile; its options: ringkv profile --help)`;

/** The suite named (default, quick) or in a file (.json, or .ts/.js exporting default). */
export async function loadSuite(name: string): Promise<Suite> {
  let suite: unknown;
  if (/^[\w-]+$/.test(name) && existsSync(path.join(ROOT, 'src/lab/suites', `${name}.ts`))) {
    suite = ((await import(pathToFileURL(path.join(ROOT, 'src/lab/suites', `${name}.ts`)).href)) as { default: Suite }).default;
  } else if (existsSync(name)) {
    suite = name.endsWith('.json')
      ? JSON.parse(readFileSync(name, 'utf8'))
      : ((await import(pathToFileURL(path.resolve(name)).href)) as { default: Suite }).default;
  } else {
    throw new Error(`no suite "${name}" (built in: default, quick; or a file path)`);
  }
  const s = suite as Suite;
  if (typeof s?.name !== 'string' || !Array.isArray(s.cells) || !Number.isInteger(s.reps) || s.reps < 1) {
    throw new Error(`${name}: not a suite (want { name, description, reps >= 1, cells: [...] })`);
  }
  return s;
}

export async function benchMain(argv: string[]): Promise<number> {
  let suiteName = 'default';
  let targetIds: string[] | undefined;
  let reps: number | undefined;
  let host: string | undefined;
  let port: number | undefined;
  let pid: number | undefined;
  let taskset = false;
  let out: string | undefined;
  let quiet = false;
  let allowFlush = false;
  const want = (i: number): string => {
    const v = argv[i];
    if (v === undefined) throw new Error(`${argv[i - 1]} wants a value`);
    return v;
  };
  const positive = (s: string, what: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} wants a positive integer, got "${s}"`);
    return n;
  };
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      switch (a) {
        case '--suite': suiteName = want(++i); break;
        case '--targets': targetIds = want(++i).split(',').map((x) => x.trim()).filter((x) => x !== ''); break;
        case '--reps': reps = positive(want(++i), '--reps'); break;
        case '--host': host = want(++i); break;
        case '--port': port = positive(want(++i), '--port'); break;
        case '--pid': pid = positive(want(++i), '--pid'); break;
        case '--taskset': taskset = true; break;
        case '--out': out = want(++i); break;
        case '--quiet': quiet = true; break;
        case '--allow-flush': allowFlush = true; break;
        case '-h': case '--help': console.log(USAGE); return 0;
        case '--profile': return (await import('../profile/index.ts')).profileMain(argv.filter((x) => x !== '--profile')); // src/lab/profile
        default: throw new Error(`unknown option ${a}`);
      }
    }
    if (host !== undefined && port === undefined) throw new Error('--host wants --port too');
    if (port !== undefined && !allowFlush) throw new Error('--host/--port: the harness FLUSHALLs the server before every run; add --allow-flush if that is fine');
    for (const id of targetIds ?? []) parseTargetId(id);
  } catch (err) {
    console.error(`ringkv bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let suite: Suite;
  try {
    suite = await loadSuite(suiteName);
  } catch (err) {
    console.error(`ringkv bench: ${(err as Error).message}`);
    return 2;
  }
  const runId = out === undefined ? runIdNow(suite.name) : path.basename(path.resolve(out));
  const dir = out === undefined ? path.join(ROOT, 'results', runId) : path.resolve(out);
  const progress = new Progress({ quiet });
  try {
    const results = await runBench({
      suite, progress, runId, taskset,
      ...(targetIds === undefined ? {} : { targetIds }),
      ...(reps === undefined ? {} : { reps }),
      ...(port === undefined ? {} : { external: { host: host ?? '127.0.0.1', port, ...(pid === undefined ? {} : { pid }) } }),
    });
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'results.json');
    writeResults(file, results);
    // results/latest → this run, when the run is in results/ (an --out elsewhere, e.g. a test's
    // temp dir, leaves it alone).
    const latest = path.join(ROOT, 'results', 'latest');
    if (path.dirname(dir) === path.dirname(latest)) {
      try {
        rmSync(latest, { force: true });
        symlinkSync(path.basename(dir), latest);
      } catch {
        // a filesystem without symlinks: results/latest is a convenience only
      }
    }
    process.stdout.write(formatSummary(results, path.relative(process.cwd(), file) || file));
    return 0;
  } catch (err) {
    progress.clear();
    console.error(`ringkv bench: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
