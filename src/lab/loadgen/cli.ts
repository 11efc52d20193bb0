/**
 * A small command line over runLoad, for trying the generator by hand:
 *
 *   node src/lab/loadgen/cli.ts --port 6379 --workload cache --connections 50 --threads 2 \
 *        --pipeline 1 --duration 5 [--rate 20000] [--warmup 1] [--keyspace N] \
 *        [--dist uniform|zipf|sequential] [--zipf-s 0.99] [--value-size 64] [--no-preload] \
 *        [--seed 1] [--host 127.0.0.1]
 *
 * Prints the LoadResult as JSON. Durations are in seconds. Options left out take the
 * workload's advice (key distribution, key space, value size). `ringkv bench` is the real
 * entry point; this is the generator alone.
 */

import { parseArgs } from 'node:util';
import { getWorkload, WORKLOADS } from '../workloads/index.ts';
import { runLoad } from './index.ts';
import type { KeyDist } from './rng.ts';

const { values: v } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '6379' },
    workload: { type: 'string', default: 'get' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '1' },
    pipeline: { type: 'string', default: '1' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rate: { type: 'string' },
    keyspace: { type: 'string' },
    dist: { type: 'string' },
    'zipf-s': { type: 'string' },
    'value-size': { type: 'string' },
    'no-preload': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});

if (v.help) {
  process.stdout.write(`usage: node src/lab/loadgen/cli.ts --port P --workload NAME [options]\nworkloads: ${Object.keys(WORKLOADS).join(', ')}\n`);
  process.exit(0);
}

const w = getWorkload(v.workload);
const num = (s: string | undefined, dflt: number): number => (s === undefined ? dflt : Number(s));
const result = await runLoad({
  host: v.host,
  port: num(v.port, 6379),
  workload: w.name,
  connections: num(v.connections, 50),
  threads: num(v.threads, 1),
  pipeline: num(v.pipeline, 1),
  durationMs: num(v.duration, 5) * 1000,
  warmupMs: num(v.warmup, 1) * 1000,
  ...(v.rate === undefined ? {} : { rate: Number(v.rate) }),
  keyspace: num(v.keyspace, w.defaults.keyspace),
  keyDist: (v.dist ?? w.defaults.keyDist) as KeyDist,
  ...(v['zipf-s'] === undefined ? {} : { zipfS: Number(v['zipf-s']) }),
  valueSize: num(v['value-size'], w.defaults.valueSize),
  preload: !v['no-preload'],
  seed: num(v.seed, 1),
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
