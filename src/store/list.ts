/**
 * The list value type: a growable ring-buffer deque of latin1 byte strings.
 *
 * Contract
 * - O(1) amortised push and pop at both ends, O(1) access by index: the elements live in one
 *   JS array whose capacity is a power of two, read through a head index and a length.
 *   Redis's quicklist is also O(1) at the ends but O(N) by index; LINDEX and LSET here are
 *   O(1) anywhere. Inserting or removing in the middle shifts the shorter side, O(N).
 * - No per-element wrapper: a slot holds the element's string itself, and a free slot holds
 *   `undefined` so a popped string can be collected.
 * - Never empty in a database: the commands delete a key whose list they emptied, as Redis does.
 *   This module allows an empty list (a fresh one, or one being drained) and does not care.
 * - Indexes passed in are already checked to lie in range; nothing here validates them.
 *
 * Imports nothing of ours but its siblings.
 *
 *   capacity 8, head 6, length 4:
 *
 *     index:  0    1    2    3    4    5    6    7
 *           [ c ][ d ][   ][   ][   ][   ][ a ][ b ]
 *                                          ^ head
 *   element i is at (head + i) & (capacity - 1): a, b, c, d.
 *   pushHead writes at (head - 1) & mask and moves head there; pushTail writes at
 *   (head + length) & mask. A full ring doubles, copying the elements to the front of a new array.
 */

import type { TypedValue } from './db.ts';

/** The smallest ring; a one-element list costs this many slots. */
const MIN_CAPACITY = 4;

/** The smallest power of two that is >= n and >= MIN_CAPACITY. */
function capacityFor(n: number): number {
  let c = MIN_CAPACITY;
  while (c < n) c *= 2;
  return c;
}

export class ListValue implements TypedValue {
  /** The ring: capacity (a power of two) slots, `undefined` where free. */
  private items: Array<string | undefined>;
  private head = 0;
  private len = 0;

  /** An empty list with room for `capacity` elements before it first grows. */
  constructor(capacity = MIN_CAPACITY) {
    this.items = new Array<string | undefined>(capacityFor(capacity));
  }

  /** On the prototype, not in every instance: TYPE, SCAN TYPE and dupValue read it. */
  get type(): string {
    return 'list';
  }

  get length(): number {
    return this.len;
  }

  /** Makes room for `n` more elements at once (LPUSH with many arguments grows once). */
  reserve(n: number): void {
    if (this.len + n > this.items.length) this.resize(capacityFor(this.len + n));
  }

  pushHead(v: string): void {
    if (this.len === this.items.length) this.resize(this.items.length * 2);
    const h = (this.head - 1) & (this.items.length - 1);
    this.items[h] = v;
    this.head = h;
    this.len++;
  }

  pushTail(v: string): void {
    if (this.len === this.items.length) this.resize(this.items.length * 2);
    this.items[(this.head + this.len) & (this.items.length - 1)] = v;
    this.len++;
  }

  /** Removes and returns the first element; undefined when empty. */
  popHead(): string | undefined {
    if (this.len === 0) return undefined;
    const items = this.items;
    const v = items[this.head];
    items[this.head] = undefined;
    this.head = (this.head + 1) & (items.length - 1);
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Removes and returns the last element; undefined when empty. */
  popTail(): string | undefined {
    if (this.len === 0) return undefined;
    const items = this.items;
    const at = (this.head + this.len - 1) & (items.length - 1);
    const v = items[at];
    items[at] = undefined;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** The element at `i`, 0 <= i < length. */
  at(i: number): string {
    return this.items[(this.head + i) & (this.items.length - 1)]!;
  }

  /** Replaces the element at `i`, 0 <= i < length. */
  setAt(i: number, v: string): void {
    this.items[(this.head + i) & (this.items.length - 1)] = v;
  }

  /** The index of the first element equal to `v`, or -1. */
  indexOf(v: string): number {
    for (let i = 0; i < this.len; i++) if (this.at(i) === v) return i;
    return -1;
  }

  /**
   * Inserts `v` so that it becomes element `i` (0 <= i <= length): the elements before it move
   * one slot towards the head, or those after it one slot towards the tail, whichever are fewer.
   */
  insertAt(i: number, v: string): void {
    if (i === 0) return this.pushHead(v);
    if (i === this.len) return this.pushTail(v);
    if (this.len === this.items.length) this.resize(this.items.length * 2);
    const items = this.items;
    const mask = items.length - 1;
    if (i < this.len - i) {
      const h = (this.head - 1) & mask;
      for (let k = 0; k < i; k++) items[(h + k) & mask] = items[(h + k + 1) & mask];
      this.head = h;
    } else {
      for (let k = this.len; k > i; k--) items[(this.head + k) & mask] = items[(this.head + k - 1) & mask];
    }
    items[(this.head + i) & mask] = v;
    this.len++;
  }

  /**
   * Keeps only elements [start, start + n) (LTRIM): O(removed) when the kept run sits at one
   * end, which is LTRIM's common use (keep the latest N).
   */
  keepRange(start: number, n: number): void {
    const items = this.items;
    const mask = items.length - 1;
    for (let k = 0; k < start; k++) items[(this.head + k) & mask] = undefined;
    for (let k = start + n; k < this.len; k++) items[(this.head + k) & mask] = undefined;
    this.head = (this.head + start) & mask;
    this.len = n;
    this.maybeShrink();
  }

  /**
   * Removes elements equal to `v` (LREM): all of them when `count` is 0, else the first `count`
   * from the head (count > 0) or from the tail (count < 0). One compacting pass; returns how
   * many were removed.
   */
  removeEqual(v: string, count: number): number {
    const items = this.items;
    const mask = items.length - 1;
    const n = this.len;
    const limit = count === 0 ? n : Math.abs(count);
    let removed = 0;
    if (count >= 0) {
      // Walk from the head, sliding kept elements down over removed ones.
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = items[(this.head + r) & mask]!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) items[(this.head + w) & mask] = x;
        w++;
      }
      for (let k = w; k < n; k++) items[(this.head + k) & mask] = undefined;
    } else {
      // Walk from the tail, sliding kept elements up; the head moves up by the number removed.
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = items[(this.head + r) & mask]!;
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) items[(this.head + w) & mask] = x;
        w--;
      }
      for (let k = 0; k <= w; k++) items[(this.head + k) & mask] = undefined;
      this.head = (this.head + removed) & mask;
    }
    this.len = n - removed;
    if (removed !== 0) this.maybeShrink();
    return removed;
  }

  /** A copy that shares nothing mutable (COPY). */
  dup(): ListValue {
    const copy = new ListValue(this.len);
    for (let i = 0; i < this.len; i++) copy.items[i] = this.at(i);
    copy.len = this.len;
    return copy;
  }

  /** The elements, head first (tests and debugging). */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.len; i++) out.push(this.at(i));
    return out;
  }

  /** Moves the elements to the front of a new ring of `capacity` slots. */
  private resize(capacity: number): void {
    const next = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.len; i++) next[i] = this.at(i);
    this.items = next;
    this.head = 0;
  }

  /**
   * Gives memory back once the list uses under a quarter of its ring: the new ring is the
   * smallest power of two holding twice the elements, so another shrink needs the length to
   * halve again, and a push right after cannot trigger a grow. Amortised O(1).
   */
  private maybeShrink(): void {
    const cap = this.items.length;
    if (cap > MIN_CAPACITY && this.len < cap >>> 2) this.resize(capacityFor(this.len * 2));
  }
}
