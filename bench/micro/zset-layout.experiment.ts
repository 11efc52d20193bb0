/**
 * Experiment (not part of `npm run bench:micro`): how much of a random-member ZRANK on a
 * 1M-member sorted set is the tree's memory layout, rather than the work?
 *
 * Three order-statistic trees over the same 1M (score, member) pairs, asked for the rank of the
 * same 65,536 random scores, taking turns for 9 rounds in one process, medians:
 *
 *   objects  the ScoreTree of src/store/zset.ts, built by inserting the pairs in random order
 *            (as ZADD builds it): every node a JS object holding its own arrays, so one level
 *            of a descent is node → array object → backing store, scattered over the heap.
 *   packed   the same ScoreTree built by ScoreTree.fromSorted (as the store commands build
 *            their results): the same objects, allocated in order and full, so neighbours
 *            sit close on the heap. The difference from `objects` is placement, not layout.
 *   pool     a static stand-in for a pool layout: every leaf a fixed 64-slot run in one
 *            Float64Array (scores) and one array (members), every inner level the same in a
 *            Float64Array of separators and an Int32Array of counts; a child is an index, so
 *            a level costs the cache lines its binary search touches and nothing else.
 *
 * Both loops also read the queried member from one shared array, so both pay that miss. The
 * pool here cannot insert or delete (it is built once, leaves 48/64 full): it measures what a
 * pooled ScoreTree could gain, not a finished design. Results are in
 * docs/datatypes-performance.md.
 *
 * Run: node --max-old-space-size=6000 bench/micro/zset-layout.experiment.ts
 */

import { ScoreTree } from '../../src/store/zset.ts';

const N = 1_000_000;
const LEAF = 64;
const LEAF_FILL = 48;
const INNER = 32;
const INNER_FILL = 24;
const QUERIES = 1 << 16;
const ROUNDS = 9;

/** mulberry32, as bench/micro/complexity.bench.ts. */
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

interface Level {
  /** Separators (the first score under each child) and pair counts, INNER slots per node. */
  sep: Float64Array;
  cnt: Int32Array;
  /** Children per node. */
  len: Int32Array;
}

/** The static pool layout: built bottom-up from pairs in order (distinct scores). */
class PoolTree {
  private readonly leafScores: Float64Array;
  private readonly leafMembers: string[];
  private readonly leafLen: Int32Array;
  /** levels[0] is just above the leaves; the last level is the root. */
  private readonly levels: Level[] = [];

  constructor(members: readonly string[], scores: readonly number[]) {
    const n = members.length;
    const leaves = Math.ceil(n / LEAF_FILL);
    this.leafScores = new Float64Array(leaves * LEAF);
    this.leafMembers = new Array<string>(leaves * LEAF).fill('');
    this.leafLen = new Int32Array(leaves);
    let firsts: number[] = [];
    let counts: number[] = [];
    for (let l = 0; l < leaves; l++) {
      const from = l * LEAF_FILL;
      const to = Math.min(n, from + LEAF_FILL);
      for (let i = from; i < to; i++) {
        this.leafScores[l * LEAF + i - from] = scores[i]!;
        this.leafMembers[l * LEAF + i - from] = members[i]!;
      }
      this.leafLen[l] = to - from;
      firsts.push(scores[from]!);
      counts.push(to - from);
    }
    let nodes = leaves;
    while (nodes > 1) {
      const up = Math.ceil(nodes / INNER_FILL);
      const level: Level = { sep: new Float64Array(up * INNER), cnt: new Int32Array(up * INNER), len: new Int32Array(up) };
      const upFirsts: number[] = [];
      const upCounts: number[] = [];
      for (let u = 0; u < up; u++) {
        const from = u * INNER_FILL;
        const to = Math.min(nodes, from + INNER_FILL);
        let total = 0;
        for (let i = from; i < to; i++) {
          level.sep[u * INNER + i - from] = firsts[i]!;
          level.cnt[u * INNER + i - from] = counts[i]!;
          total += counts[i]!;
        }
        level.len[u] = to - from;
        upFirsts.push(firsts[from]!);
        upCounts.push(total);
      }
      this.levels.push(level);
      nodes = up;
      firsts = upFirsts;
      counts = upCounts;
    }
  }

  /** How many pairs score below `score` (its rank, scores being distinct). */
  rankOf(score: number): number {
    let node = 0;
    let n = 0;
    for (let d = this.levels.length - 1; d >= 0; d--) {
      const { sep, cnt, len } = this.levels[d]!;
      const base = node * INNER;
      let lo = 1;
      let hi = len[node]! - 1;
      let pick = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (sep[base + mid]! <= score) {
          pick = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      for (let j = 0; j < pick; j++) n += cnt[base + j]!;
      node = node * INNER_FILL + pick;
    }
    const base = node * LEAF;
    let lo = 0;
    let hi = this.leafLen[node]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.leafScores[base + mid]! < score) lo = mid + 1;
      else hi = mid;
    }
    return n + lo;
  }

  memberAt(leaf: number, i: number): string {
    return this.leafMembers[leaf * LEAF + i]!;
  }
}

const r = rng(5);
const pairs: Array<[number, string]> = [];
const seen = new Set<number>();
while (pairs.length < N) {
  const s = Math.floor(r() * 1e12);
  if (seen.has(s)) continue;
  seen.add(s);
  pairs.push([s, `member:${pairs.length}`]);
}
pairs.sort((a, b) => a[0] - b[0]);
const members = pairs.map((p) => p[1]);
const scores = pairs.map((p) => p[0]);

const objects = new ScoreTree();
const order = [...Array(N).keys()];
for (let i = N - 1; i > 0; i--) {
  const j = Math.floor(r() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
for (const i of order) objects.insert(scores[i]!, members[i]!);
const pool = new PoolTree(members, scores);
const packed = ScoreTree.fromSorted(members, scores);

const ranks = new Int32Array(QUERIES);
for (let i = 0; i < QUERIES; i++) ranks[i] = Math.floor(r() * N);
for (let i = 0; i < 1000; i++) {
  const k = ranks[i]!;
  if (pool.rankOf(scores[k]!) !== k || objects.rankOf(scores[k]!, members[k]!) !== k ||
      packed.rankOf(scores[k]!, members[k]!) !== k) throw new Error(`rank mismatch at ${k}`);
}

let sink = 0;
const timeA: number[] = [];
const timeB: number[] = [];
const timeC: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let t0 = performance.now();
  for (let i = 0; i < QUERIES; i++) {
    const k = ranks[i]!;
    sink += objects.rankOf(scores[k]!, members[k]!);
  }
  timeA.push(((performance.now() - t0) * 1e6) / QUERIES);
  t0 = performance.now();
  for (let i = 0; i < QUERIES; i++) {
    const k = ranks[i]!;
    const m = members[k]!; // the same member read as the objects loop does
    sink += pool.rankOf(scores[k]!) + (m.length === 0 ? 1 : 0);
  }
  timeB.push(((performance.now() - t0) * 1e6) / QUERIES);
  t0 = performance.now();
  for (let i = 0; i < QUERIES; i++) {
    const k = ranks[i]!;
    sink += packed.rankOf(scores[k]!, members[k]!);
  }
  timeC.push(((performance.now() - t0) * 1e6) / QUERIES);
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log(`1M pairs, random rank, ${ROUNDS} rounds taking turns, median ns per lookup:`);
console.log(`  objects (ScoreTree)  ${median(timeA).toFixed(0)}  rounds ${timeA.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`  packed (fromSorted)  ${median(timeC).toFixed(0)}  rounds ${timeC.map((x) => x.toFixed(0)).join(' ')}`);
console.log(`  pool (static)        ${median(timeB).toFixed(0)}  rounds ${timeB.map((x) => x.toFixed(0)).join(' ')}`);
if (sink === 0.5) console.log(pool.memberAt(0, 0)); // never: keeps `sink` observable
