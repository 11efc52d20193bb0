/**
 * The sorted set's ordered structure (ScoreTree, an order-statistic B+tree) against a naive
 * model: a sorted array of (score, member) pairs. Random operations from fixed seeds, with
 * tiny node capacities so that splits, merges and redistributions happen at every level, and
 * with the production capacities. After each step the tree's invariants are checked and its
 * answers compared with the model's. Also ZSet (Map + tree, the compact flag) and the set
 * value's intset/hashtable encodings.
 */

import { describe, expect, test } from 'vitest';
import { compareIntText, isInt64Text, SET_MAX_INTSET_ENTRIES, SetValue } from '../../src/store/set.ts';
import { ScoreTree, ZSet } from '../../src/store/zset.ts';
import { seededInt as rng } from '../helpers/random.ts';

type Pair = [number, string];

function less(a: Pair, b: Pair): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

class Model {
  pairs: Pair[] = [];
  lowerBound(p: Pair): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(this.pairs[mid]!, p)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(p: Pair): void {
    this.pairs.splice(this.lowerBound(p), 0, p);
  }
  delete(p: Pair): boolean {
    const i = this.lowerBound(p);
    if (i < this.pairs.length && this.pairs[i]![1] === p[1] && this.pairs[i]![0] === p[0]) {
      this.pairs.splice(i, 1);
      return true;
    }
    return false;
  }
}

function visitAll(t: ScoreTree, from: number, to: number, reverse: boolean): Pair[] {
  const out: Pair[] = [];
  t.visit(from, to, reverse, (m, s) => out.push([s, m]));
  return out;
}

/** Runs `steps` random operations on a tree with the given capacities, checking as it goes. */
function randomRun(seed: number, steps: number, leafMax: number, innerMax: number, keySpace: number): void {
  const r = rng(seed);
  const t = new ScoreTree(leafMax, innerMax);
  const model = new Model();
  const scoreOf = new Map<string, number>();
  // Few distinct scores, so ties (ordered by member) are common.
  const randomScore = () => [0, 1, 2, 3, -1, 2.5, -0, Infinity, -Infinity, r(1000) / 7][r(10)]!;
  for (let step = 0; step < steps; step++) {
    const op = r(100);
    const member = `m${r(keySpace)}`;
    const cur = scoreOf.get(member);
    if (op < 45) {
      if (cur === undefined) {
        const s = randomScore();
        t.insert(s, member);
        model.insert([s, member]);
        scoreOf.set(member, s);
      } else {
        const s = randomScore();
        t.update(cur, member, s);
        model.delete([cur, member]);
        model.insert([s, member]);
        scoreOf.set(member, s);
      }
    } else if (op < 75) {
      const expected = cur !== undefined;
      expect(t.delete(cur ?? 0, member)).toBe(expected);
      if (expected) {
        model.delete([cur, member]);
        scoreOf.delete(member);
      }
    } else if (op < 80 && model.pairs.length > 0) {
      const start = r(model.pairs.length);
      const count = 1 + r(Math.min(model.pairs.length - start, 1 + r(3) * leafMax * 2));
      const removed: string[] = [];
      t.deleteRange(start, count, (m) => removed.push(m));
      const gone = model.pairs.splice(start, count);
      expect(removed).toEqual(gone.map((p) => p[1]));
      for (const m of removed) scoreOf.delete(m);
    } else if (op < 90) {
      const x = randomScore();
      expect(t.countWhere((s) => s < x)).toBe(model.pairs.filter((p) => p[0] < x).length);
      expect(t.countWhere((s) => s <= x)).toBe(model.pairs.filter((p) => p[0] <= x).length);
    } else if (model.pairs.length > 0) {
      const a = r(model.pairs.length);
      const b = a + r(model.pairs.length - a);
      expect(visitAll(t, a, b, false)).toEqual(model.pairs.slice(a, b + 1));
      expect(visitAll(t, a, b, true)).toEqual(model.pairs.slice(a, b + 1).reverse());
      expect(t.memberAt(a)).toBe(model.pairs[a]![1]);
      expect(t.scoreAt(b)).toBe(model.pairs[b]![0]);
    }
    if (cur !== undefined && scoreOf.has(member)) {
      const s = scoreOf.get(member)!;
      expect(t.rankOf(s, member)).toBe(model.lowerBound([s, member]));
    }
    expect(t.size).toBe(model.pairs.length);
    if (step % 50 === 0 || leafMax === 4) t.check();
  }
  t.check();
  const [ms, ss] = t.toArrays();
  expect(ms).toEqual(model.pairs.map((p) => p[1]));
  expect(ss).toEqual(model.pairs.map((p) => p[0]));
}

describe('ScoreTree vs a sorted array', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`tiny nodes (4/4), seed ${seed}`, () => randomRun(seed, 4000, 4, 4, 300));
  }
  test('small nodes (8/5), many keys', () => randomRun(11, 20000, 8, 5, 3000));
  test('production capacities, large key space', () => randomRun(7, 30000, 64, 32, 20000));

  test('ascending and descending bulk inserts, then deletes from both ends', () => {
    const t = new ScoreTree(4, 4);
    for (let i = 0; i < 500; i++) t.insert(i, `a${i}`);
    for (let i = 0; i < 500; i++) t.insert(-i - 1, `b${i}`);
    t.check();
    expect(t.size).toBe(1000);
    expect(t.memberAt(0)).toBe('b499');
    expect(t.memberAt(999)).toBe('a499');
    for (let i = 0; i < 400; i++) {
      t.deleteRange(0, 1);
      t.deleteRange(t.size - 1, 1);
    }
    t.check();
    expect(t.size).toBe(200);
    expect(t.memberAt(0)).toBe('b99');
    t.deleteRange(0, 200);
    t.check();
    expect(t.size).toBe(0);
    t.insert(1, 'x');
    t.check();
    expect(t.memberAt(0)).toBe('x');
  });

  test('fromSorted builds a valid tree for every size around the capacities', () => {
    for (let n = 0; n < 200; n++) {
      const ms = Array.from({ length: n }, (_, i) => `k${String(i).padStart(4, '0')}`);
      const ss = ms.map((_, i) => Math.floor(i / 3));
      const t = ScoreTree.fromSorted(ms, ss, 4, 4);
      t.check();
      expect(t.toArrays()).toEqual([ms, ss]);
      if (n > 0) expect(t.rankOf(ss[n - 1]!, ms[n - 1]!)).toBe(n - 1);
      // ...and it stays valid under inserts and deletes
      t.insert(1.5, 'zz');
      t.delete(0, 'k0000');
      t.check();
    }
  });

  test('ties are ordered by member bytes, -0 equals 0', () => {
    const t = new ScoreTree();
    for (const m of ['b', 'a', '\xff', '\x00', 'ab', '']) t.insert(0, m);
    t.insert(-0, 'c');
    expect(t.toArrays()[0]).toEqual(['', '\x00', 'a', 'ab', 'b', 'c', '\xff']);
    expect(t.delete(0, 'c')).toBe(true);
    expect(t.delete(-0, 'a')).toBe(true);
    expect(t.countWhere((_s, m) => m < 'b')).toBe(3);
  });

  test('rank and in-place score updates keep the order', () => {
    const t = new ScoreTree(8, 4);
    for (let i = 0; i < 100; i++) t.insert(i * 10, `p${i}`);
    t.update(500, 'p50', 501); // stays between neighbours: rewritten in place
    t.update(510, 'p51', 5); // moves far
    t.check();
    expect(t.rankOf(501, 'p50')).toBe(51); // p51 now sits before it
    expect(t.rankOf(5, 'p51')).toBe(1);
  });
});

describe('ZSet', () => {
  test('Map and tree stay in step; compact until 129 members', () => {
    const z = new ZSet();
    for (let i = 0; i < 128; i++) z.add(`m${i}`, i % 7);
    expect(z.compact).toBe(true);
    z.add('m128', 1);
    expect(z.compact).toBe(false);
    z.remove('m128');
    expect(z.compact).toBe(false); // never converts back
    expect(z.size).toBe(128);
    expect(z.tree.size).toBe(128);
    expect(z.rank('m0')).toBe(0);
    expect(z.rank('nope')).toBe(-1);
    z.update('m0', 0, 100);
    expect(z.rank('m0')).toBe(127);
    z.removeRange(0, 10);
    expect(z.size).toBe(118);
    expect(z.tree.size).toBe(118);
    z.tree.check();
  });

  test('a long member ends compactness; a compact set stores -0 as 0', () => {
    const z = new ZSet();
    expect(Object.is(z.add('a', -0), 0)).toBe(true);
    z.add('x'.repeat(65), -0);
    expect(z.compact).toBe(false);
    expect(Object.is(z.score('x'.repeat(65)), -0)).toBe(true);
  });

  test('fromSorted decides compactness like zsetConvertToListpackIfNeeded', () => {
    expect(ZSet.fromSorted(['a'], [-0]).compact).toBe(true);
    expect(Object.is(ZSet.fromSorted(['a'], [-0]).score('a'), 0)).toBe(true);
    expect(ZSet.fromSorted(['y'.repeat(65)], [1]).compact).toBe(false);
    const many = Array.from({ length: 129 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    expect(ZSet.fromSorted(many, many.map(() => 1)).compact).toBe(false);
  });

  test('dup is independent', () => {
    const z = new ZSet();
    for (let i = 0; i < 300; i++) z.add(`m${i}`, i);
    const d = z.dup();
    z.remove('m1');
    expect(d.size).toBe(300);
    expect(d.score('m1')).toBe(1);
    expect(d.compact).toBe(false);
    d.tree.check();
  });
});

describe('SetValue', () => {
  test('int64 text recognition is string2ll\'s', () => {
    for (const ok of ['0', '-1', '9223372036854775807', '-9223372036854775808', '123']) expect(isInt64Text(ok)).toBe(true);
    for (const bad of ['', '-', '+1', '01', '-0', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', '1.0', 'a']) {
      expect(isInt64Text(bad)).toBe(false);
    }
  });

  test('numeric order of int texts', () => {
    const xs = ['5', '-5', '10', '-10', '0', '9223372036854775807', '-9223372036854775808', '99', '-99', '100'];
    const sorted = xs.slice().sort(compareIntText);
    expect(sorted).toEqual(xs.slice().sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  });

  test('intset stays sorted, converts on a string or past 512 entries', () => {
    const s = SetValue.forMember('3');
    for (const m of ['3', '1', '-2', '10', '1']) s.add(m);
    expect([...s.members()]).toEqual(['-2', '1', '3', '10']);
    expect(s.isIntset).toBe(true);
    expect(s.has('01')).toBe(false);
    expect(s.remove('1')).toBe(true);
    s.add('x');
    expect(s.isIntset).toBe(false);
    expect(new Set(s.members())).toEqual(new Set(['-2', '3', '10', 'x']));
    const big = new SetValue();
    for (let i = 0; i < SET_MAX_INTSET_ENTRIES; i++) big.add(String(i));
    expect(big.isIntset).toBe(true);
    big.add('100000');
    expect(big.isIntset).toBe(false);
    expect(big.size).toBe(SET_MAX_INTSET_ENTRIES + 1);
  });

  test('hashtable removal keeps membership and the dense list consistent', () => {
    const r = rng(99);
    const s = new SetValue(false);
    const model = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const m = `e${r(200)}`;
      if (r(2) === 0) expect(s.add(m)).toBe(!model.has(m)), model.add(m);
      else expect(s.remove(m)).toBe(model.has(m)), model.delete(m);
      if (model.size > 0) expect(model.has(s.random())).toBe(true);
    }
    expect(s.size).toBe(model.size);
    expect(new Set(s.members())).toEqual(model);
  });
});
