/**
 * The sorted set value: a Map from member to score for O(1) ZSCORE, plus an order-statistic
 * B+tree (ScoreTree) of (score, member) pairs for everything ordered: ranks, score and lex
 * ranges, pops, range deletion.
 *
 * Contract
 * - Members are latin1 byte strings, so JS string comparison (`<`) is Redis's memcmp order.
 *   Pairs are ordered by score, then by member; -0 and 0 compare equal, as in C.
 * - A member is in the Map if and only if its (score, member) pair is in the tree. ZSet keeps
 *   the two in step; ScoreTree knows nothing of the Map and trusts its caller not to insert a
 *   pair twice.
 * - Complexity as Redis documents for its skip list: insert, delete and rank are O(log N),
 *   a range of M elements is O(log N + M).
 * - `compact` mirrors Redis's listpack encoding, which clients can observe in two places:
 *   ZSCAN answers a listpack-encoded set in one call with cursor 0 (a skip-list one by dict
 *   cursor), and a listpack stores scores as text, which loses the sign of -0. A set starts
 *   compact and stops being so, for good, when it grows past 128 members or takes a member
 *   longer than 64 bytes (zset-max-listpack-entries / -value, fixed at Redis's defaults here).
 *   Store commands decide the flag for their result as Redis's zsetConvertToListpackIfNeeded.
 *
 * Why a B+tree rather than Redis's skip list: the ordering and the O(log N) bounds are the same,
 * but a skip-list node is a JS object with arrays of forward pointers and spans, well over
 * 100 bytes per member, where a tree leaf keeps members and scores in two flat arrays (one
 * pointer and one unboxed double per member). Leaderboards, a benchmark scenario, are one big
 * sorted set, so this is most of the memory a sorted set costs.
 *
 * Imports nothing of ours but its siblings.
 */

import type { TypedValue } from './db.ts';

export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;

// ---- the order-statistic B+tree ------------------------------------------------------------------

/** A leaf: up to leafMax pairs in order, linked to its neighbours for range walks. */
class Leaf {
  members: string[] = [];
  scores: number[] = [];
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

/**
 * An inner node. `counts[i]` is the number of pairs under `children[i]`. The separator
 * (sepScores[i], sepMembers[i]) for i >= 1 is a lower bound of child i that is above every
 * pair of child i-1:
 *
 *     child 0          | sep[1] <= child 1 < sep[2] <= child 2 ...
 *
 * sep[0] is kept only so the arrays stay aligned; it is not maintained and never read.
 * Separators may go stale after deletions (the pair they came from is gone) and stay valid.
 */
class Inner {
  children: Array<Leaf | Inner> = [];
  counts: number[] = [];
  sepScores: number[] = [];
  sepMembers: string[] = [];
}

/**
 * The descent path of the last operation: the inner node at each depth and the child taken.
 * Shared by every tree (one command runs at a time and nothing here re-enters).
 */
const pathNodes: Inner[] = [];
const pathIdx: number[] = [];

/** (s1, m1) < (s2, m2)? */
function keyLess(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

/** The child of `inner` whose range holds (score, member): the last i >= 1 with sep[i] <= key, else 0. */
function childFor(inner: Inner, score: number, member: string): number {
  const ss = inner.sepScores;
  const sm = inner.sepMembers;
  let lo = 1;
  let hi = inner.children.length - 1;
  let pick = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = ss[mid]!;
    if (s < score || (s === score && sm[mid]! <= member)) {
      pick = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return pick;
}

/** The first index in `leaf` whose pair is >= (score, member). */
function lowerBound(leaf: Leaf, score: number, member: string): number {
  const ss = leaf.scores;
  const ms = leaf.members;
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = ss[mid]!;
    if (s < score || (s === score && ms[mid]! < member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sum(a: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i]!;
  return n;
}

/**
 * A predicate true for a prefix of the order (every pair below some bound): how range bounds
 * are asked. `countWhere` returns the length of that prefix, that is the rank where the rest
 * begins.
 */
export type Below = (score: number, member: string) => boolean;

/**
 * An ordered multiset of (score, member) pairs with rank support: a B+tree whose inner nodes
 * count the pairs under each child. Every node but the root holds between a quarter and all
 * of its capacity, so the height is O(log N).
 */
export class ScoreTree {
  private root: Leaf | Inner = new Leaf();
  /** Inner levels above the leaves (0: the root is a leaf). */
  private height = 0;
  private readonly leafMax: number;
  private readonly leafMin: number;
  private readonly innerMax: number;
  private readonly innerMin: number;
  size = 0;
  /** Index within the leaf found by the last `locate`. */
  private locIdx = 0;

  /** Node capacities; small ones are for tests, which want many splits and merges. */
  constructor(leafMax = 64, innerMax = 32) {
    if (leafMax < 4 || innerMax < 4) throw new RangeError('node capacity below 4');
    this.leafMax = leafMax;
    this.leafMin = leafMax >>> 2;
    this.innerMax = innerMax;
    // At least two children, so a non-root inner node always has a sibling to lean on.
    this.innerMin = Math.max(2, innerMax >>> 2);
  }

  /**
   * A tree of pairs already in order (strictly increasing), built bottom-up in O(N): leaves
   * and inner nodes evenly filled to capacity.
   */
  static fromSorted(members: readonly string[], scores: readonly number[], leafMax = 64, innerMax = 32): ScoreTree {
    const t = new ScoreTree(leafMax, innerMax);
    const n = members.length;
    if (n === 0) return t;
    let level: Array<Leaf | Inner> = [];
    let counts: number[] = [];
    let minS: number[] = [];
    let minM: string[] = [];
    let prev: Leaf | null = null;
    for (const [from, to] of evenChunks(n, leafMax)) {
      const leaf = new Leaf();
      leaf.members = members.slice(from, to);
      leaf.scores = scores.slice(from, to);
      leaf.prev = prev;
      if (prev !== null) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(to - from);
      minS.push(scores[from]!);
      minM.push(members[from]!);
    }
    while (level.length > 1) {
      const up: Inner[] = [];
      const upCounts: number[] = [];
      const upS: number[] = [];
      const upM: string[] = [];
      for (const [from, to] of evenChunks(level.length, innerMax)) {
        const inner = new Inner();
        inner.children = level.slice(from, to);
        inner.counts = counts.slice(from, to);
        inner.sepScores = minS.slice(from, to);
        inner.sepMembers = minM.slice(from, to);
        up.push(inner);
        upCounts.push(sum(inner.counts));
        upS.push(minS[from]!);
        upM.push(minM[from]!);
      }
      level = up;
      counts = upCounts;
      minS = upS;
      minM = upM;
      t.height++;
    }
    t.root = level[0]!;
    t.size = n;
    return t;
  }

  /** Descends to the leaf where (score, member) belongs, recording the path. */
  private descend(score: number, member: string): Leaf {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const i = childFor(inner, score, member);
      pathNodes[d] = inner;
      pathIdx[d] = i;
      node = inner.children[i]!;
    }
    return node as Leaf;
  }

  /** Descends to the leaf holding rank `rank` (0 <= rank < size), recording the path; sets locIdx. */
  private locate(rank: number): Leaf {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const counts = inner.counts;
      let i = 0;
      while (rank >= counts[i]!) rank -= counts[i++]!;
      pathNodes[d] = inner;
      pathIdx[d] = i;
      node = inner.children[i]!;
    }
    this.locIdx = rank;
    return node as Leaf;
  }

  /** Adds `delta` to the counts along the recorded path. */
  private adjust(delta: number): void {
    for (let d = 0; d < this.height; d++) pathNodes[d]!.counts[pathIdx[d]!]! += delta;
  }

  /** Inserts a pair that is not in the tree. */
  insert(score: number, member: string): void {
    const leaf = this.descend(score, member);
    const i = lowerBound(leaf, score, member);
    if (i === leaf.members.length) {
      leaf.members.push(member);
      leaf.scores.push(score);
    } else {
      leaf.members.splice(i, 0, member);
      leaf.scores.splice(i, 0, score);
    }
    this.adjust(1);
    this.size++;
    if (leaf.members.length > this.leafMax) this.splitLeaf(leaf);
  }

  /** Removes a pair; false if it was not there. */
  delete(score: number, member: string): boolean {
    const leaf = this.descend(score, member);
    const i = lowerBound(leaf, score, member);
    if (i >= leaf.members.length || leaf.members[i] !== member || leaf.scores[i] !== score) return false;
    leaf.members.splice(i, 1);
    leaf.scores.splice(i, 1);
    this.adjust(-1);
    this.size--;
    this.fixLeaf(leaf);
    return true;
  }

  /**
   * Moves `member` from score `from` to score `to`. When the new pair still sits between its
   * neighbours in the same leaf (a small ZINCRBY), the score is rewritten in place.
   */
  update(from: number, member: string, to: number): void {
    const leaf = this.descend(from, member);
    const i = lowerBound(leaf, from, member);
    const ms = leaf.members;
    const ss = leaf.scores;
    if (i > 0 && i < ms.length - 1 && ms[i] === member &&
        keyLess(ss[i - 1]!, ms[i - 1]!, to, member) && keyLess(to, member, ss[i + 1]!, ms[i + 1]!)) {
      ss[i] = to;
      return;
    }
    this.delete(from, member);
    this.insert(to, member);
  }

  /** How many pairs are below (score, member): its rank when present. */
  rankOf(score: number, member: string): number {
    let node = this.root;
    let n = 0;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const i = childFor(inner, score, member);
      const counts = inner.counts;
      for (let j = 0; j < i; j++) n += counts[j]!;
      node = inner.children[i]!;
    }
    return n + lowerBound(node as Leaf, score, member);
  }

  /** The number of pairs for which `below` holds, `below` being true on a prefix of the order. */
  countWhere(below: Below): number {
    let node = this.root;
    let n = 0;
    for (let d = 0; d < this.height; d++) {
      const inner = node as Inner;
      const ss = inner.sepScores;
      const sm = inner.sepMembers;
      let lo = 1;
      let hi = inner.children.length - 1;
      let pick = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (below(ss[mid]!, sm[mid]!)) {
          pick = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      const counts = inner.counts;
      for (let j = 0; j < pick; j++) n += counts[j]!;
      node = inner.children[pick]!;
    }
    const leaf = node as Leaf;
    let lo = 0;
    let hi = leaf.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (below(leaf.scores[mid]!, leaf.members[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return n + lo;
  }

  memberAt(rank: number): string {
    const leaf = this.locate(rank);
    return leaf.members[this.locIdx]!;
  }

  scoreAt(rank: number): number {
    const leaf = this.locate(rank);
    return leaf.scores[this.locIdx]!;
  }

  /**
   * Calls `fn` for the pairs of ranks from..to (inclusive, 0 <= from <= to < size), in order,
   * or from `to` down to `from` when `reverse`.
   */
  visit(from: number, to: number, reverse: boolean, fn: (member: string, score: number) => void): void {
    let n = to - from + 1;
    if (n <= 0) return;
    let leaf = this.locate(reverse ? to : from);
    let i = this.locIdx;
    for (;;) {
      fn(leaf.members[i]!, leaf.scores[i]!);
      if (--n === 0) return;
      if (reverse) {
        if (--i < 0) {
          leaf = leaf.prev!;
          i = leaf.members.length - 1;
        }
      } else if (++i === leaf.members.length) {
        leaf = leaf.next!;
        i = 0;
      }
    }
  }

  /**
   * Removes `count` pairs from rank `start` on, calling `removed` for each member. A leaf's
   * worth is cut per descent, so this is O(M + (M/B + 1) log N) for M pairs.
   */
  deleteRange(start: number, count: number, removed?: (member: string) => void): void {
    while (count > 0) {
      const leaf = this.locate(start);
      const i = this.locIdx;
      const k = Math.min(count, leaf.members.length - i);
      const gone = leaf.members.splice(i, k);
      leaf.scores.splice(i, k);
      if (removed !== undefined) for (let j = 0; j < gone.length; j++) removed(gone[j]!);
      this.adjust(-k);
      this.size -= k;
      count -= k;
      this.fixLeaf(leaf);
    }
  }

  /** Every pair in order, as two arrays (for copies and whole-set replies). */
  toArrays(): [string[], number[]] {
    const members: string[] = [];
    const scores: number[] = [];
    if (this.size === 0) return [members, scores];
    let leaf: Leaf | null = this.locate(0);
    while (leaf !== null) {
      for (let i = 0; i < leaf.members.length; i++) {
        members.push(leaf.members[i]!);
        scores.push(leaf.scores[i]!);
      }
      leaf = leaf.next;
    }
    return [members, scores];
  }

  // ---- growing ------------------------------------------------------------------------------

  /** Splits an over-full leaf at the end of the recorded path. */
  private splitLeaf(leaf: Leaf): void {
    const half = leaf.members.length >>> 1;
    const right = new Leaf();
    right.members = leaf.members.splice(half);
    right.scores = leaf.scores.splice(half);
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.addChild(this.height - 1, leaf.members.length, right, right.members.length, right.scores[0]!, right.members[0]!);
  }

  /**
   * After the child taken at `depth` split: puts `right` (with `rightCount` pairs, lower bound
   * sepS/sepM) just after it, the left part keeping `leftCount`. depth -1 grows a new root.
   */
  private addChild(depth: number, leftCount: number, right: Leaf | Inner, rightCount: number, sepS: number,
                   sepM: string): void {
    if (depth < 0) {
      const root = new Inner();
      root.children = [this.root, right];
      root.counts = [leftCount, rightCount];
      root.sepScores = [sepS, sepS];
      root.sepMembers = [sepM, sepM];
      this.root = root;
      this.height++;
      return;
    }
    const parent = pathNodes[depth]!;
    const i = pathIdx[depth]!;
    parent.children.splice(i + 1, 0, right);
    parent.counts[i] = leftCount;
    parent.counts.splice(i + 1, 0, rightCount);
    parent.sepScores.splice(i + 1, 0, sepS);
    parent.sepMembers.splice(i + 1, 0, sepM);
    if (parent.children.length > this.innerMax) this.splitInner(depth);
  }

  private splitInner(depth: number): void {
    const node = pathNodes[depth]!;
    const half = node.children.length >>> 1;
    const right = new Inner();
    right.children = node.children.splice(half);
    right.counts = node.counts.splice(half);
    right.sepScores = node.sepScores.splice(half);
    right.sepMembers = node.sepMembers.splice(half);
    // right's sep[0] came from node's sep[half], half >= 1: a real separator, so it serves as
    // the lower bound of the whole new node.
    this.addChild(depth - 1, sum(node.counts), right, sum(right.counts), right.sepScores[0]!, right.sepMembers[0]!);
  }

  // ---- shrinking ----------------------------------------------------------------------------

  /**
   * Restores the fill of a leaf at the end of the recorded path that may have dropped below
   * leafMin: merge it with a sibling when both fit in one leaf, else even them out.
   */
  private fixLeaf(leaf: Leaf): void {
    if (this.height === 0 || leaf.members.length >= this.leafMin) return;
    const depth = this.height - 1;
    const parent = pathNodes[depth]!;
    const at = pathIdx[depth]!;
    const li = at > 0 ? at - 1 : 0;
    const left = parent.children[li] as Leaf;
    const right = parent.children[li + 1] as Leaf;
    const total = left.members.length + right.members.length;
    if (total <= this.leafMax) {
      for (let j = 0; j < right.members.length; j++) {
        left.members.push(right.members[j]!);
        left.scores.push(right.scores[j]!);
      }
      left.next = right.next;
      if (right.next !== null) right.next.prev = left;
      parent.counts[li] = total;
      removeChild(parent, li + 1);
      this.fixInner(depth);
      return;
    }
    const keepLeft = total >>> 1;
    if (left.members.length > keepLeft) {
      right.members = left.members.splice(keepLeft).concat(right.members);
      right.scores = left.scores.splice(keepLeft).concat(right.scores);
    } else {
      const k = keepLeft - left.members.length;
      const ms = right.members.splice(0, k);
      const ss = right.scores.splice(0, k);
      for (let j = 0; j < k; j++) {
        left.members.push(ms[j]!);
        left.scores.push(ss[j]!);
      }
    }
    parent.counts[li] = left.members.length;
    parent.counts[li + 1] = right.members.length;
    parent.sepScores[li + 1] = right.scores[0]!;
    parent.sepMembers[li + 1] = right.members[0]!;
  }

  /** fixLeaf for the inner node at `depth` of the recorded path; collapses a one-child root. */
  private fixInner(depth: number): void {
    const node = pathNodes[depth]!;
    if (depth === 0) {
      if (node.children.length === 1) {
        this.root = node.children[0]!;
        this.height--;
      }
      return;
    }
    if (node.children.length >= this.innerMin) return;
    const parent = pathNodes[depth - 1]!;
    const at = pathIdx[depth - 1]!;
    const li = at > 0 ? at - 1 : 0;
    const left = parent.children[li] as Inner;
    const right = parent.children[li + 1] as Inner;
    // right's own sep[0] is not maintained; the parent's separator bounds all of right.
    const boundS = parent.sepScores[li + 1]!;
    const boundM = parent.sepMembers[li + 1]!;
    const total = left.children.length + right.children.length;
    if (total <= this.innerMax) {
      right.sepScores[0] = boundS;
      right.sepMembers[0] = boundM;
      for (let j = 0; j < right.children.length; j++) {
        left.children.push(right.children[j]!);
        left.counts.push(right.counts[j]!);
        left.sepScores.push(right.sepScores[j]!);
        left.sepMembers.push(right.sepMembers[j]!);
      }
      parent.counts[li]! += parent.counts[li + 1]!;
      removeChild(parent, li + 1);
      this.fixInner(depth - 1);
      return;
    }
    const keepLeft = total >>> 1;
    let moved: number;
    if (left.children.length > keepLeft) {
      // The moved children keep their own separators (indexes >= 1 in left: real ones).
      right.sepScores[0] = boundS;
      right.sepMembers[0] = boundM;
      const c = left.children.splice(keepLeft);
      const n = left.counts.splice(keepLeft);
      const ss = left.sepScores.splice(keepLeft);
      const sm = left.sepMembers.splice(keepLeft);
      right.children = c.concat(right.children);
      right.counts = n.concat(right.counts);
      right.sepScores = ss.concat(right.sepScores);
      right.sepMembers = sm.concat(right.sepMembers);
      moved = -sum(n);
    } else {
      const k = keepLeft - left.children.length;
      const c = right.children.splice(0, k);
      const n = right.counts.splice(0, k);
      const ss = right.sepScores.splice(0, k);
      const sm = right.sepMembers.splice(0, k);
      ss[0] = boundS;
      sm[0] = boundM;
      for (let j = 0; j < k; j++) {
        left.children.push(c[j]!);
        left.counts.push(n[j]!);
        left.sepScores.push(ss[j]!);
        left.sepMembers.push(sm[j]!);
      }
      moved = sum(n);
    }
    parent.counts[li]! += moved;
    parent.counts[li + 1]! -= moved;
    parent.sepScores[li + 1] = right.sepScores[0]!;
    parent.sepMembers[li + 1] = right.sepMembers[0]!;
  }

  /**
   * Checks every structural invariant (tests only): counts, separators, order, fill, links.
   * Throws on the first violation.
   */
  check(): void {
    const leaves: Leaf[] = [];
    let last: [number, string] | null = null;
    const walk = (node: Leaf | Inner, depth: number, isRoot: boolean): number => {
      if (depth === this.height) {
        const leaf = node as Leaf;
        if (leaf.members.length !== leaf.scores.length) throw new Error('leaf arrays differ');
        if (!isRoot && (leaf.members.length < this.leafMin || leaf.members.length > this.leafMax)) {
          throw new Error(`leaf fill ${leaf.members.length}`);
        }
        for (let i = 0; i < leaf.members.length; i++) {
          const s = leaf.scores[i]!;
          const m = leaf.members[i]!;
          if (last !== null && !keyLess(last[0], last[1], s, m)) throw new Error('pairs out of order');
          last = [s, m];
        }
        leaves.push(leaf);
        return leaf.members.length;
      }
      const inner = node as Inner;
      const n = inner.children.length;
      if (inner.counts.length !== n || inner.sepScores.length !== n || inner.sepMembers.length !== n) {
        throw new Error('inner arrays differ');
      }
      if (isRoot ? n < 2 : n < this.innerMin || n > this.innerMax) throw new Error(`inner fill ${n}`);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const before = last;
        const c = walk(inner.children[i]!, depth + 1, false);
        if (c !== inner.counts[i]) throw new Error('count mismatch');
        total += c;
        if (i > 0) {
          const s = inner.sepScores[i]!;
          const m = inner.sepMembers[i]!;
          // sep[i] is above everything before child i and at most child i's first pair.
          if (before !== null && !keyLess(before[0], before[1], s, m)) throw new Error('separator not above left');
          const first = firstPair(inner.children[i]!);
          if (first !== null && keyLess(first[0], first[1], s, m)) throw new Error('separator above child');
        }
      }
      return total;
    };
    const total = walk(this.root, 0, true);
    if (total !== this.size) throw new Error('size mismatch');
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i]!.prev !== (i > 0 ? leaves[i - 1] : null)) throw new Error('prev link');
      if (leaves[i]!.next !== (i + 1 < leaves.length ? leaves[i + 1] : null)) throw new Error('next link');
    }
  }
}

function firstPair(node: Leaf | Inner): [number, string] | null {
  while (!(node instanceof Leaf)) node = node.children[0]!;
  return node.members.length === 0 ? null : [node.scores[0]!, node.members[0]!];
}

function removeChild(parent: Inner, i: number): void {
  parent.children.splice(i, 1);
  parent.counts.splice(i, 1);
  parent.sepScores.splice(i, 1);
  parent.sepMembers.splice(i, 1);
}

/** [from, to) ranges cutting n items into the fewest chunks of at most `max`, sizes within one. */
function evenChunks(n: number, max: number): Array<[number, number]> {
  const chunks = Math.ceil(n / max);
  const base = Math.floor(n / chunks);
  const extra = n % chunks;
  const out: Array<[number, number]> = [];
  let at = 0;
  for (let i = 0; i < chunks; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push([at, at + len]);
    at += len;
  }
  return out;
}

// ---- the sorted set value ------------------------------------------------------------------------

export class ZSet implements TypedValue {
  readonly type = 'zset';
  readonly dict: Map<string, number>;
  tree: ScoreTree;
  /** Redis would hold this set as a listpack (see the file comment). */
  compact: boolean;

  constructor(compact = true, dict = new Map<string, number>(), tree = new ScoreTree()) {
    this.compact = compact;
    this.dict = dict;
    this.tree = tree;
  }

  /**
   * A set holding pairs already in order, encoded as Redis's store commands leave their
   * result: compact when it has at most 128 members of at most 64 bytes.
   */
  static fromSorted(members: string[], scores: number[]): ZSet {
    let compact = members.length <= ZSET_MAX_LISTPACK_ENTRIES;
    for (let i = 0; compact && i < members.length; i++) {
      if (members[i]!.length > ZSET_MAX_LISTPACK_VALUE) compact = false;
    }
    if (compact) for (let i = 0; i < scores.length; i++) if (scores[i] === 0) scores[i] = 0; // -0 → 0
    const dict = new Map<string, number>();
    for (let i = 0; i < members.length; i++) dict.set(members[i]!, scores[i]!);
    return new ZSet(compact, dict, ScoreTree.fromSorted(members, scores));
  }

  get size(): number {
    return this.dict.size;
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  /** Adds a member that is not in the set. Returns the score stored (a compact set has no -0). */
  add(member: string, score: number): number {
    if (this.compact) {
      if (this.dict.size >= ZSET_MAX_LISTPACK_ENTRIES || member.length > ZSET_MAX_LISTPACK_VALUE) this.compact = false;
      else if (score === 0) score = 0;
    }
    this.dict.set(member, score);
    this.tree.insert(score, member);
    return score;
  }

  /** Changes the score of a member from `from` (its current score) to `to`. */
  update(member: string, from: number, to: number): void {
    if (this.compact && to === 0) to = 0;
    this.dict.set(member, to);
    this.tree.update(from, member, to);
  }

  remove(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.tree.delete(score, member);
    return true;
  }

  /** The 0-based rank of a member in ascending order, or -1. */
  rank(member: string): number {
    const score = this.dict.get(member);
    return score === undefined ? -1 : this.tree.rankOf(score, member);
  }

  /** Removes `count` members from rank `start` on. */
  removeRange(start: number, count: number): void {
    this.tree.deleteRange(start, count, (m) => this.dict.delete(m));
  }

  dup(): ZSet {
    const [members, scores] = this.tree.toArrays();
    return new ZSet(this.compact, new Map(this.dict), ScoreTree.fromSorted(members, scores));
  }
}
