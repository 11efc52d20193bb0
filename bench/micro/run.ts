/**
 * Runs every micro-benchmark of the threaded-I/O design, prints one table, and writes
 * results/micro-<timestamp>.json (environment + every result) for docs/threaded-io.md.
 *
 *   node bench/micro/run.ts [--e2e] [--quick]      (npm run bench:micro, make bench-micro)
 *
 *   ring.bench.ts      SAB ring vs postMessage (one and 256 per post), 32 and 256-byte messages
 *   parser.bench.ts    RequestParser commands/s and MB/s on pipelined GET, SET, MSET, inline PING
 *   executor.bench.ts  the executor ceiling: commands/s drained from pre-filled request rings
 *   complexity.bench.ts  sorted-set and list operations on 1M- vs 1k-element values (store and
 *                      engine level), and the ratio 1M/1k per operation, whose limit is ≤ 3×
 *   e2e.ts             (--e2e) redis-benchmark against single-threaded ringkv, and the ratio
 *                      executor ceiling / end-to-end, whose target is ≥ 3×
 *
 * --quick cuts repetitions and times (a smoke run, a few seconds); its numbers are not for docs.
 * The machine may be shared: every figure is a median over repetitions or samples, and the
 * JSON keeps min/max/mad and the load average so a noisy run can be recognised as one.
 * A missed target (ceiling ≥ 3×, complexity ratio ≤ 3×) is reported, not turned into a failing
 * exit code: this is measurement.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { environment, human, printTable, type MicroResult } from './common.ts';
import { complexityRatios, printRatios, runComplexityBench, DEFAULTS as COMPLEXITY_DEFAULTS } from './complexity.bench.ts';
import { runE2e, redisBenchmarkAvailable, DEFAULTS as E2E_DEFAULTS } from './e2e.ts';
import { runExecutorBench, DEFAULTS as EXECUTOR_DEFAULTS } from './executor.bench.ts';
import { runParserBench, DEFAULTS as PARSER_DEFAULTS } from './parser.bench.ts';
import { runRingBench, DEFAULTS as RING_DEFAULTS } from './ring.bench.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The design target: the executor drains at least this many times what ringkv serves end to end. */
const CEILING_TARGET = 3;

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--e2e' && a !== '--quick') {
    console.error(`usage: node bench/micro/run.ts [--e2e] [--quick]  (unknown argument ${a})`);
    process.exit(2);
  }
}
const quick = args.has('--quick');
const e2e = args.has('--e2e');
if (e2e && !redisBenchmarkAvailable()) {
  console.error('--e2e needs redis-benchmark (Debian: redis-tools)');
  process.exit(2);
}

const options = {
  ring: quick ? { repetitions: 2, messages: { ring: 300_000, post: 20_000, 'post-batched': 300_000 } } : RING_DEFAULTS,
  parser: quick ? { time: 200 } : PARSER_DEFAULTS,
  executor: quick ? { time: 300 } : EXECUTOR_DEFAULTS,
  complexity: quick ? { ...COMPLEXITY_DEFAULTS, time: 150 } : COMPLEXITY_DEFAULTS,
  e2e: quick ? { repetitions: 1 } : E2E_DEFAULTS,
};

const env = environment();
console.log(`ringkv micro-benchmarks — node ${env.node}, ${env.cpuModel} ×${env.cpuCount} (parallelism ${env.availableParallelism}), ` +
  `kernel ${env.kernel}, load ${env.loadAvg.join(' ')}${quick ? ', QUICK' : ''}`);

const started = performance.now();
const results: MicroResult[] = [];
const sections: Array<[string, () => Promise<MicroResult[]>]> = [
  ['ring vs postMessage', () => runRingBench(options.ring)],
  ['parser', () => runParserBench(options.parser)],
  ['executor ceiling', () => runExecutorBench(options.executor)],
  ['complexity (1M vs 1k)', () => runComplexityBench(options.complexity)],
];
if (e2e) sections.push(['end to end (redis-benchmark, io-threads 1)', () => runE2e(options.e2e)]);
for (const [title, run] of sections) {
  const t0 = performance.now();
  process.stdout.write(`  ${title}… `);
  results.push(...(await run()));
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.log('');
printTable(results);

interface Comparison {
  command: string;
  executorCeiling: number;
  endToEnd: number;
  ratio: number;
  target: number;
  met: boolean;
}
const comparisons: Comparison[] = [];
if (e2e) {
  console.log('');
  for (const [exec, end, command] of [['GET', 'GET single-threaded', 'GET'], ['SET 64B', 'SET single-threaded', 'SET']] as const) {
    const ceiling = results.find((r) => r.suite === 'executor' && r.name === exec)!.median;
    const e = results.find((r) => r.suite === 'e2e' && r.name === end)!.median;
    const ratio = ceiling / e;
    comparisons.push({ command, executorCeiling: ceiling, endToEnd: e, ratio, target: CEILING_TARGET, met: ratio >= CEILING_TARGET });
    console.log(`${command}: executor ceiling ${human(ceiling)}/s vs end-to-end single-threaded ${human(e)}/s = ` +
      `${ratio.toFixed(2)}× (target ≥ ${CEILING_TARGET}×: ${ratio >= CEILING_TARGET ? 'met' : 'NOT met'})`);
  }
}

const complexity = complexityRatios(results);
console.log('');
printRatios(complexity);

const seconds = (performance.now() - started) / 1000;
const dir = path.join(ROOT, 'results');
mkdirSync(dir, { recursive: true });
const stamp = env.date.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const file = path.join(dir, `micro-${stamp}.json`);
writeFileSync(file, JSON.stringify({
  kind: 'ringkv-micro',
  environment: { ...env, loadAvgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
  flags: { e2e, quick },
  options,
  seconds: Math.round(seconds * 10) / 10,
  results,
  comparisons,
  complexity,
}, null, 2) + '\n');
console.log(`\n${seconds.toFixed(1)} s; wrote ${path.relative(ROOT, file)}`);
