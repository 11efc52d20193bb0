/**
 * Complexity: the cost of one sorted-set or list operation on a 1M-element value against the
 * same operation on a 1k-element one. The data-types issue asks that the ratio stay within 3×
 * for ZADD (a new member), ZRANK, ZRANGE 0 9, LPUSH, LPOP and LINDEX 0: O(1) or O(log N) in
 * practice, not only on paper (cache misses on a big structure count here, as they do in use).
 *
 * Two levels, each measured at both sizes:
 *   store   the value types alone (src/store/zset.ts ZSet, src/store/list.ts ListValue): the
 *           data structure's own cost, where a growing N shows most;
 *   engine  the commands through Engine.execute for one connected client (argv in, RESP reply
 *           out), as bench/micro/executor.bench.ts drives it: what a client gets, the fixed
 *           per-command cost included.
 *
 * What one tinybench iteration times: OPS operations of one kind on one value. Arguments are
 * built before timing. ZADD adds OPS members that are not in the set, with random scores, taken
 * in turn from a pool of fresh members (so inserts land all over the tree, not in one warm
 * leaf); afterEach removes them again, untimed, so the set keeps its size. ZRANK asks for
 * members drawn at random from the whole set; ZRANK hot asks for the same 16 members again and
 * again, so their descent paths stay in the CPU caches: the difference between the two is the
 * cost of cache misses, and ZRANK hot's ratio is close to the ratio of the work done (the tree's
 * descent length; test/unit/complexity.test.ts). ZADD hot re-adds those 16 members with new
 * random scores (an update: the Map entry and the old leaf are warm, the new place in the tree
 * is anywhere): the test scripts/zset-random-vs-hot.sh runs against redis-server (redis-benchmark
 * -r 16), whose figures docs/datatypes-performance.md sets beside these. LPUSH's elements are popped again in afterEach;
 * LPOP's are pushed in beforeEach; both untimed, so the list keeps its size too.
 *
 * Reported: one result per (level, operation, size) in operations/s; `complexityRatios` turns
 * them into ns per operation and the ratio 1M / 1k against the 3× limit. Medians, as every
 * micro-benchmark here: an occasional slow sample (a GC pause, or V8 rehashing a 1M-entry Map
 * after enough adds and deletes) moves the mean, which the JSON keeps, but not the median.
 *
 * Run alone: node bench/micro/complexity.bench.ts [--quick]
 */

import { Bench } from 'tinybench';
import { Config } from '../../src/config/config.ts';
import type { ClientConnection, ClientState } from '../../src/engine/client.ts';
import { Engine } from '../../src/engine/engine.ts';
import { ListValue } from '../../src/store/list.ts';
import { ZSet } from '../../src/store/zset.ts';
import { fromTask, printTable, type MicroResult } from './common.ts';

/** The limit on cost(1M) / cost(1k). */
export const RATIO_LIMIT = 3;

export interface ComplexityBenchOptions {
  /** tinybench time per task, ms. */
  time: number;
  /** The two sizes compared. */
  big: number;
  small: number;
  /** Operations per tinybench iteration. */
  ops: number;
}

export const DEFAULTS: ComplexityBenchOptions = { time: 1000, big: 1_000_000, small: 1_000, ops: 128 };

/** Fresh ZADD members cycled through (`ops` must divide it, and RANK_POOL). */
const FRESH_POOL = 1 << 16;
/** ZRANK members drawn from the set. */
const RANK_POOL = 1 << 16;
/** ZRANK hot asks for the same HOT members over and over: their paths stay in the CPU caches. */
const HOT = 16;
const OPS = ['ZADD new', 'ZADD hot', 'ZRANK', 'ZRANK hot', 'ZRANGE 0 9', 'LPUSH', 'LPOP', 'LINDEX 0'] as const;
type Op = typeof OPS[number];
type Level = 'store' | 'engine';

/** mulberry32: a small seeded PRNG, so every run builds the same values. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function label(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

const member = (i: number): string => `member:${i}`;
/** Scores are integers below 1e9, so the engine's text and the store's number agree. */
const score = (r: () => number): number => Math.floor(r() * 1e9);
const ELEMENT = 'x'.repeat(16);

/** A client whose replies are read from the engine's writer; nothing is ever pushed to it. */
class BenchConnection implements ClientConnection {
  deliver(): void {
    throw new Error('no pushes expected in this benchmark');
  }
  close(): void {}
  queryBufferLength(): number {
    return 0;
  }
  outputBufferLength(): number {
    return 0;
  }
}

/** One size's values and argument pools, at both levels. */
interface Fixture {
  n: number;
  zset: ZSet;
  list: ListValue;
  zkey: string;
  lkey: string;
  /** Fresh members and their scores (not in the set), used in turn by ZADD. */
  fresh: string[];
  freshScores: number[];
  freshArgv: string[][];
  /** Existing members, uniformly drawn, for ZRANK. */
  ranked: string[];
  rankArgv: string[][];
  /** ZADD hot: scores (drawn like the set's) and the engine's argv, member i is ranked[i % HOT]. */
  hotScores: number[];
  hotArgv: string[][];
  /** Where the next ZADD / ZRANK takes its arguments from. */
  hotAt: number;
  freshAt: number;
  rankAt: number;
}

function fixture(n: number, seed: number, engine: Engine, c: ClientState): Fixture {
  const r = rng(seed);
  const zkey = `z:${label(n)}`;
  const lkey = `l:${label(n)}`;
  const zset = new ZSet();
  const list = new ListValue();
  const BATCH = 1000;
  let zadd = ['ZADD', zkey];
  let rpush = ['RPUSH', lkey];
  for (let i = 0; i < n; i++) {
    const s = score(r);
    zset.add(member(i), s);
    list.pushTail(ELEMENT);
    zadd.push(String(s), member(i));
    rpush.push(ELEMENT);
    if (zadd.length - 2 === 2 * BATCH || i === n - 1) {
      engine.execute(c, zadd);
      engine.execute(c, rpush);
      engine.clearReplies();
      zadd = ['ZADD', zkey];
      rpush = ['RPUSH', lkey];
    }
  }
  const fresh: string[] = [];
  const freshScores: number[] = [];
  for (let i = 0; i < FRESH_POOL; i++) {
    fresh.push(`fresh:${i}`);
    freshScores.push(score(r));
  }
  const ranked: string[] = [];
  for (let i = 0; i < RANK_POOL; i++) ranked.push(member(Math.floor(r() * n)));
  const hotScores: number[] = [];
  for (let i = 0; i < RANK_POOL; i++) hotScores.push(score(r));
  return {
    hotScores,
    hotArgv: hotScores.map((sc, i) => ['ZADD', zkey, String(sc), ranked[i & (HOT - 1)]!]),
    hotAt: 0,
    n, zset, list, zkey, lkey, fresh, freshScores, ranked,
    freshArgv: fresh.map((m, i) => ['ZADD', zkey, String(freshScores[i]), m]),
    rankArgv: ranked.map((m) => ['ZRANK', zkey, m]),
    freshAt: 0,
    rankAt: 0,
  };
}

/** The three hooks of one task: the timed body and its untimed set-up and clean-up. */
interface TaskFns {
  fn: () => void;
  beforeEach?: () => void;
  afterEach?: () => void;
}

/** Keeps results alive so the optimiser cannot drop the calls that produce them. */
let sink = 0;

function storeTask(op: Op, f: Fixture, k: number): TaskFns {
  const z = f.zset;
  const l = f.list;
  switch (op) {
    case 'ZADD new':
      return {
        fn: () => {
          for (let i = f.freshAt, end = i + k; i < end; i++) z.add(f.fresh[i]!, f.freshScores[i]!);
        },
        afterEach: () => {
          for (let i = f.freshAt, end = i + k; i < end; i++) z.remove(f.fresh[i]!);
          f.freshAt = (f.freshAt + k) % FRESH_POOL;
        },
      };
    case 'ZADD hot':
      // ZADD's update path (zaddGeneric): the member's score, then the tree moves it.
      return {
        fn: () => {
          for (let i = f.hotAt, end = i + k; i < end; i++) {
            const m = f.ranked[i & (HOT - 1)]!;
            const to = f.hotScores[i]!;
            const from = z.score(m)!;
            if (from !== to) z.update(m, from, to);
          }
        },
        afterEach: () => {
          f.hotAt = (f.hotAt + k) % RANK_POOL;
        },
      };
    case 'ZRANK':
      return {
        fn: () => {
          for (let i = f.rankAt, end = i + k; i < end; i++) sink += z.rank(f.ranked[i]!);
        },
        afterEach: () => {
          f.rankAt = (f.rankAt + k) % RANK_POOL;
        },
      };
    case 'ZRANK hot':
      return {
        fn: () => {
          for (let i = 0; i < k; i++) sink += z.rank(f.ranked[i & (HOT - 1)]!);
        },
      };
    case 'ZRANGE 0 9': {
      const visit = (m: string, s: number): void => {
        sink += m.length + s;
      };
      return { fn: () => { for (let i = 0; i < k; i++) z.tree.visit(0, Math.min(9, z.size - 1), false, visit); } };
    }
    case 'LPUSH':
      return {
        fn: () => { for (let i = 0; i < k; i++) l.pushHead(ELEMENT); },
        afterEach: () => { for (let i = 0; i < k; i++) l.popHead(); },
      };
    case 'LPOP':
      return {
        beforeEach: () => { for (let i = 0; i < k; i++) l.pushHead(ELEMENT); },
        fn: () => { for (let i = 0; i < k; i++) sink += l.popHead()!.length; },
      };
    case 'LINDEX 0':
      return { fn: () => { for (let i = 0; i < k; i++) sink += l.at(0).length; } };
  }
}

function engineTask(op: Op, f: Fixture, k: number, engine: Engine, c: ClientState): TaskFns {
  const run = (argv: string[]): void => {
    engine.execute(c, argv);
  };
  const clear = (): void => engine.clearReplies();
  switch (op) {
    case 'ZADD new': {
      const zrem = f.fresh.map((m) => ['ZREM', f.zkey, m]);
      return {
        fn: () => { for (let i = f.freshAt, end = i + k; i < end; i++) run(f.freshArgv[i]!); },
        afterEach: () => {
          for (let i = f.freshAt, end = i + k; i < end; i++) run(zrem[i]!);
          f.freshAt = (f.freshAt + k) % FRESH_POOL;
          clear();
        },
      };
    }
    case 'ZADD hot':
      return {
        fn: () => { for (let i = f.hotAt, end = i + k; i < end; i++) run(f.hotArgv[i]!); },
        afterEach: () => {
          f.hotAt = (f.hotAt + k) % RANK_POOL;
          clear();
        },
      };
    case 'ZRANK':
      return {
        fn: () => { for (let i = f.rankAt, end = i + k; i < end; i++) run(f.rankArgv[i]!); },
        afterEach: () => {
          f.rankAt = (f.rankAt + k) % RANK_POOL;
          clear();
        },
      };
    case 'ZRANK hot':
      return { fn: () => { for (let i = 0; i < k; i++) run(f.rankArgv[i & (HOT - 1)]!); }, afterEach: clear };
    case 'ZRANGE 0 9': {
      const argv = ['ZRANGE', f.zkey, '0', '9'];
      return { fn: () => { for (let i = 0; i < k; i++) run(argv); }, afterEach: clear };
    }
    case 'LPUSH': {
      const push = ['LPUSH', f.lkey, ELEMENT];
      const pop = ['LPOP', f.lkey];
      return {
        fn: () => { for (let i = 0; i < k; i++) run(push); },
        afterEach: () => {
          for (let i = 0; i < k; i++) run(pop);
          clear();
        },
      };
    }
    case 'LPOP': {
      const push = ['LPUSH', f.lkey, ELEMENT];
      const pop = ['LPOP', f.lkey];
      return {
        beforeEach: () => {
          for (let i = 0; i < k; i++) run(push);
          clear();
        },
        fn: () => { for (let i = 0; i < k; i++) run(pop); },
        afterEach: clear,
      };
    }
    case 'LINDEX 0': {
      const argv = ['LINDEX', f.lkey, '0'];
      return { fn: () => { for (let i = 0; i < k; i++) run(argv); }, afterEach: clear };
    }
  }
}

/** Checks, untimed, that the engine answers each operation as expected on the built values. */
function check(engine: Engine, c: ClientState, f: Fixture): void {
  const reply = (argv: string[]): string => {
    engine.execute(c, argv);
    const b = engine.takeReplies();
    return b === null ? '' : b.toString('latin1');
  };
  const expect = (argv: string[], want: string | RegExp): void => {
    const got = reply(argv);
    if (typeof want === 'string' ? got !== want : !want.test(got)) {
      throw new Error(`complexity: ${argv.join(' ')} answered ${JSON.stringify(got)}`);
    }
  };
  expect(['ZCARD', f.zkey], `:${f.n}\r\n`);
  expect(['LLEN', f.lkey], `:${f.n}\r\n`);
  expect(f.rankArgv[0]!, /^:\d+\r\n$/);
  expect(['ZRANGE', f.zkey, '0', '9'], f.n >= 10 ? /^\*10\r\n/ : /^\*\d+\r\n/);
  expect(f.freshArgv[0]!, ':1\r\n');
  expect(['ZREM', f.zkey, f.fresh[0]!], ':1\r\n');
  expect(['LINDEX', f.lkey, '0'], `$${ELEMENT.length}\r\n${ELEMENT}\r\n`);
  if (f.zset.size !== f.n || f.list.length !== f.n) throw new Error('complexity: store values have the wrong size');
}

export async function runComplexityBench(opts: ComplexityBenchOptions = DEFAULTS): Promise<MicroResult[]> {
  if (FRESH_POOL % opts.ops !== 0 || RANK_POOL % opts.ops !== 0) throw new Error(`ops must divide ${FRESH_POOL}`);
  const engine = new Engine(new Config());
  const c = engine.connect(new BenchConnection(), '127.0.0.1:40000', '127.0.0.1:6379', -1);
  const fixtures = [fixture(opts.small, 1, engine, c), fixture(opts.big, 2, engine, c)];
  for (const f of fixtures) check(engine, c, f);
  const bench = new Bench({ name: 'complexity', time: opts.time, warmupTime: Math.min(300, opts.time), iterations: 10 });
  const meta = new Map<string, { level: Level; op: Op; size: number }>();
  for (const level of ['store', 'engine'] as const) {
    for (const op of OPS) {
      for (const f of fixtures) {
        const name = `${level} ${op} ${label(f.n)}`;
        const t = level === 'store' ? storeTask(op, f, opts.ops) : engineTask(op, f, opts.ops, engine, c);
        meta.set(name, { level, op, size: f.n });
        bench.add(name, t.fn, {
          ...(t.beforeEach === undefined ? {} : { beforeEach: t.beforeEach }),
          ...(t.afterEach === undefined ? {} : { afterEach: t.afterEach }),
        });
      }
    }
  }
  await bench.run();
  // The values must have kept their sizes through every iteration (the hooks undo the timed work).
  for (const f of fixtures) check(engine, c, f);
  if (sink === 0.5) console.log(''); // never: keeps `sink` observable
  return bench.tasks.map((t) => {
    const m = meta.get(t.name)!;
    return fromTask('complexity', t, 'ops/s', opts.ops, undefined, { level: m.level, op: m.op, size: m.size });
  });
}

export interface ComplexityRatio {
  level: string;
  op: string;
  small: number;
  big: number;
  /** Median ns per operation at each size. */
  nsSmall: number;
  nsBig: number;
  /** nsBig / nsSmall. */
  ratio: number;
  limit: number;
  met: boolean;
}

/** Pairs each (level, op) result at the big size with the one at the small size. */
export function complexityRatios(results: readonly MicroResult[]): ComplexityRatio[] {
  const mine = results.filter((r) => r.suite === 'complexity');
  const out: ComplexityRatio[] = [];
  for (const r of mine) {
    const p = r.params!;
    const other = mine.find((x) => x.params!.level === p.level && x.params!.op === p.op && x !== r)!;
    if (Number(p.size) < Number(other.params!.size)) continue;
    const nsBig = 1e9 / r.median;
    const nsSmall = 1e9 / other.median;
    const ratio = nsBig / nsSmall;
    out.push({ level: String(p.level), op: String(p.op), small: Number(other.params!.size), big: Number(p.size), nsSmall, nsBig,
      ratio, limit: RATIO_LIMIT, met: ratio <= RATIO_LIMIT });
  }
  return out;
}

export function printRatios(rows: readonly ComplexityRatio[]): void {
  for (const r of rows) {
    console.log(`${r.level.padEnd(6)} ${r.op.padEnd(10)} ${r.nsSmall.toFixed(0).padStart(6)} ns @${label(r.small)}  ` +
      `${r.nsBig.toFixed(0).padStart(6)} ns @${label(r.big)}  ratio ${r.ratio.toFixed(2)}× ` +
      `(limit ${r.limit}×: ${r.met ? 'met' : 'NOT met'})`);
  }
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const results = await runComplexityBench(quick ? { ...DEFAULTS, time: 150 } : DEFAULTS);
  printTable(results);
  console.log('');
  printRatios(complexityRatios(results));
}
