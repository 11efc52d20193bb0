/**
 * The data-types issue's complexity requirement, asserted on structure instead of time: the
 * work one operation does on a 1M-element value is at most 3× the work on a 1k-element one.
 * Time itself is measured in bench/micro/complexity.bench.ts; a timed unit test would only
 * measure the machine it runs on (and the cache: see docs/datatypes-performance.md).
 *
 * Sorted sets (ZADD of a new member, ZRANK, ZRANGE 0 9): each is one root-to-leaf descent of
 * the ScoreTree (src/store/zset.ts) plus work bounded by the node capacities (a binary search
 * in each node, a sum over at most innerMax counts, at most two leaves walked for 10 members),
 * plus one Map operation. Node capacities do not depend on N, so the work is proportional to
 * the descent's length, height + 1. Asserted: after 1M members added in random order (as ZADD
 * adds them) the tree is valid (every node within its capacities), its height is within what
 * the minimum fills allow, and the descent is at most 3× the 1k one.
 *
 * Lists (LPUSH, LPOP, LINDEX 0): the ring (src/store/list.ts) reaches any element with one
 * mask, so LINDEX does not depend on N; pushes and pops are O(1) amortised if resizing copies
 * O(N) elements in total over N operations and does not thrash at a capacity boundary.
 * Asserted by watching the ring array's identity (a new array = one resize copying `length`
 * elements), not by timing.
 */

import { describe, expect, test } from 'vitest';
import { ListValue } from '../../src/store/list.ts';
import { ZSet } from '../../src/store/zset.ts';
import { seeded } from '../helpers/random.ts';

const BIG = 1_000_000;
const SMALL = 1_000;

/** A sorted set of n members with random scores, built with ZSet.add (ZADD's path). */
function randomZSet(n: number, seed: number): ZSet {
  const r = seeded(seed);
  const z = new ZSet();
  for (let i = 0; i < n; i++) z.add(`member:${i}`, Math.floor(r() * 1e9));
  return z;
}

/** The tree's private shape (bracket access: read-only, for this test). */
function shape(z: ZSet): { height: number; leafMin: number; leafMax: number; innerMin: number; innerMax: number } {
  const t = z.tree;
  return { height: t['height'], leafMin: t['leafMin'], leafMax: t['leafMax'], innerMin: t['innerMin'], innerMax: t['innerMax'] };
}

/**
 * The greatest height a valid tree of n pairs can have: a tree of height h >= 1 has a root of
 * at least 2 children, inner nodes of at least innerMin, leaves of at least leafMin pairs, so
 * n >= 2 * innerMin^(h-1) * leafMin.
 */
function maxHeight(n: number, leafMin: number, innerMin: number): number {
  let h = 0;
  while (2 * innerMin ** h * leafMin <= n) h++;
  return h;
}

describe('sorted set: the descent is the work, and it stays short', () => {
  let bigSet: ZSet | null = null;
  const big1M = (): ZSet => (bigSet ??= randomZSet(BIG, 2));

  test('1M members: a valid tree, height within the fill bound, descent ≤ 3× the 1k one', () => {
    const small = randomZSet(SMALL, 1);
    const big = big1M();
    expect(big.size).toBe(BIG);
    // Every node within its capacities (and counts, order, links): per-node work is bounded.
    big.tree.check();
    small.tree.check();
    const s = shape(small);
    const b = shape(big);
    expect(b.leafMax).toBe(s.leafMax);
    expect(b.innerMax).toBe(s.innerMax);
    expect(b.height).toBeLessThanOrEqual(maxHeight(BIG, b.leafMin, b.innerMin));
    expect(s.height).toBeGreaterThanOrEqual(1); // 1k pairs do not fit one leaf: the 1k descent is not trivially short
    expect(b.height + 1).toBeLessThanOrEqual(3 * (s.height + 1));
  });

  test('ZRANK and ZRANGE 0 9 answer through that descent, correctly at 1M', () => {
    const z = big1M();
    const [members, scores] = z.tree.toArrays();
    for (const rank of [0, 1, 9, 12345, 500000, BIG - 1]) {
      expect(z.rank(members[rank]!)).toBe(rank);
      expect(z.tree.memberAt(rank)).toBe(members[rank]);
    }
    const first10: string[] = [];
    z.tree.visit(0, 9, false, (m) => first10.push(m));
    expect(first10).toEqual(members.slice(0, 10));
    let ordered = true;
    for (let i = 1; i < scores.length; i++) if (scores[i - 1]! > scores[i]!) ordered = false;
    expect(ordered).toBe(true);
  });
});

/**
 * Runs `op` `times` times, looking at the ring array after each call: a new array is one
 * resize, which copied the elements present when it ran. Nothing is wrapped or instrumented.
 */
function countResizes(list: ListValue, times: number, op: (i: number) => void): { resizes: number; copied: number } {
  let resizes = 0;
  let copied = 0;
  let ring = list['items'];
  for (let i = 0; i < times; i++) {
    const before = list.length;
    op(i);
    const now = list['items'];
    if (now !== ring) {
      resizes++;
      copied += Math.min(before, list.length);
      ring = now;
    }
  }
  return { resizes, copied };
}

describe('list: O(1) index math and amortised O(1) pushes and pops', () => {
  test('the ring is a power of two at most 4× the length, so LINDEX is one mask at any size', () => {
    for (const n of [SMALL, BIG]) {
      const l = new ListValue();
      for (let i = 0; i < n; i++) l.pushTail(String(i));
      const cap = l['items'].length;
      expect(cap & (cap - 1)).toBe(0);
      expect(cap).toBeLessThanOrEqual(4 * n);
      expect(l.at(0)).toBe('0');
      expect(l.at(n - 1)).toBe(String(n - 1));
    }
  });

  test('1M LPUSH then 1M LPOP copy O(N) elements in all, in O(log N) resizes', () => {
    const l = new ListValue();
    const push = countResizes(l, BIG, () => l.pushHead('x'));
    expect(push.resizes).toBeLessThanOrEqual(Math.ceil(Math.log2(BIG)));
    expect(push.copied).toBeLessThanOrEqual(2 * BIG);
    const pop = countResizes(l, BIG, () => l.popHead());
    expect(l.length).toBe(0);
    expect(pop.resizes).toBeLessThanOrEqual(Math.ceil(Math.log2(BIG)));
    expect(pop.copied).toBeLessThanOrEqual(BIG);
  });

  test('LPUSH/LPOP alternating at a capacity boundary does not resize every time', () => {
    for (const n of [SMALL, BIG]) {
      const l = new ListValue();
      // Exactly full: the next push grows the ring; then a shrink must not follow the next pop.
      const cap = 2 ** Math.ceil(Math.log2(n));
      for (let i = 0; i < cap; i++) l.pushTail('x');
      expect(l['items'].length).toBe(cap);
      const churn = countResizes(l, 20_000, (i) => (i % 2 === 0 ? l.pushHead('y') : l.popHead()));
      expect(churn.resizes).toBeLessThanOrEqual(1);
      // And just above a shrink threshold (a quarter of the ring), popping and pushing back.
      const low = new ListValue();
      for (let i = 0; i < cap; i++) low.pushTail('x');
      while (low.length > cap / 4) low.popHead();
      const churn2 = countResizes(low, 20_000, (i) => (i % 2 === 0 ? low.popHead() : low.pushHead('y')));
      expect(churn2.resizes).toBeLessThanOrEqual(1);
    }
  });
});
