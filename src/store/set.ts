/**
 * The set value, in Redis 7.0's two encodings, because clients can see which one a set has:
 *
 * - intset: every member is the canonical text of a 64-bit integer (what string2ll accepts:
 *   no '+', no leading zeros, no "-0") and there are at most 512 of them
 *   (set-max-intset-entries, fixed at Redis's default here). Members are kept sorted by
 *   numeric value, so SMEMBERS, SSCAN and the set operations answer in ascending numeric order,
 *   byte for byte as Redis does. Lookups are binary searches, O(log N) on at most 512 entries.
 * - hashtable: any other set. Members are the keys of a Map (member → index into `list`) and
 *   `list` holds them densely for O(1) uniform random picks (SPOP, SRANDMEMBER); a removal moves
 *   the last entry into the hole. Replies follow the Map's insertion order, where Redis follows
 *   its hash order: both are "no particular order".
 *
 * Like Redis, a set converts from intset to hashtable when it takes a non-integer member or
 * grows past 512, and never back: only commands that build a new set (the *STORE commands,
 * SPOP's rebuild) start again from an intset.
 *
 * SSCAN over a hashtable set walks the Map's live iterator (see elementscan.ts), which follows
 * the Map through insertions and deletions; an intset is answered in one call, as in Redis.
 *
 * Imports nothing of ours but its siblings.
 */

import type { TypedValue } from './db.ts';

export const SET_MAX_INTSET_ENTRIES = 512;

/** Whether `s` is what Redis's string2ll accepts: an int64 in canonical decimal form. */
export function isInt64Text(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  if (first < 49 || first > 57) return false;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  if (n - i < 19) return true;
  // 19 digits may overflow: compare with the limits' text (same length, so as strings).
  if (n - i > 19) return false;
  return i === 0 ? s <= '9223372036854775807' : s <= '-9223372036854775808';
}

/**
 * Numeric order of two canonical int64 texts, without parsing: the sign first, then the length
 * (more digits is further from zero), then the digits.
 */
export function compareIntText(a: string, b: string): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  if (a.length !== b.length) return (a.length < b.length) !== na ? -1 : 1;
  if (a === b) return 0;
  return (a < b) !== na ? -1 : 1;
}

export class SetValue implements TypedValue {
  readonly type = 'set';
  /** intset encoding: sorted canonical integer texts; null once a hashtable. */
  private ints: string[] | null;
  /** hashtable encoding: member → its index in `list`. */
  private pos: Map<string, number> | null;
  private list: string[] | null;

  /** An empty set, intset-encoded (Redis's createIntsetObject) unless `intset` is false. */
  constructor(intset = true) {
    this.ints = intset ? [] : null;
    this.pos = intset ? null : new Map();
    this.list = intset ? null : [];
  }

  /** The empty set Redis creates to hold `first` (setTypeCreate). */
  static forMember(first: string): SetValue {
    return new SetValue(isInt64Text(first));
  }

  get size(): number {
    return this.ints !== null ? this.ints.length : this.list!.length;
  }

  get isIntset(): boolean {
    return this.ints !== null;
  }

  /** The position of `m` in the intset, or -(insertion point) - 1. */
  private search(m: string): number {
    const a = this.ints!;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareIntText(a[mid]!, m);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(m: string): boolean {
    if (this.ints !== null) return isInt64Text(m) && this.search(m) >= 0;
    return this.pos!.has(m);
  }

  /** Adds `m`; false if it was already a member. */
  add(m: string): boolean {
    if (this.ints !== null) {
      if (isInt64Text(m)) {
        const at = this.search(m);
        if (at >= 0) return false;
        this.ints.splice(-at - 1, 0, m);
        if (this.ints.length > SET_MAX_INTSET_ENTRIES) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    const pos = this.pos!;
    if (pos.has(m)) return false;
    pos.set(m, this.list!.length);
    this.list!.push(m);
    return true;
  }

  /** Removes `m`; false if it was not a member. */
  remove(m: string): boolean {
    if (this.ints !== null) {
      if (!isInt64Text(m)) return false;
      const at = this.search(m);
      if (at < 0) return false;
      this.ints.splice(at, 1);
      return true;
    }
    const pos = this.pos!;
    const i = pos.get(m);
    if (i === undefined) return false;
    pos.delete(m);
    const list = this.list!;
    const last = list.pop()!;
    if (i < list.length) {
      list[i] = last;
      pos.set(last, i); // an existing key: its place in the Map's order does not change
    }
    return true;
  }

  /** A uniformly random member of a non-empty set. */
  random(): string {
    const a = this.ints ?? this.list!;
    return a[Math.floor(Math.random() * a.length)]!;
  }

  /** The members in reply order: ascending for an intset, the Map's order for a hashtable. */
  members(): IterableIterator<string> {
    return this.ints !== null ? this.ints.values() : this.pos!.keys();
  }

  /** The Map a hashtable set's SSCAN walks, or null for an intset (answered in one call). */
  scanMap(): Map<string, number> | null {
    return this.pos;
  }

  private toHashtable(): void {
    const ints = this.ints!;
    const pos = new Map<string, number>();
    for (let i = 0; i < ints.length; i++) pos.set(ints[i]!, i);
    this.pos = pos;
    this.list = ints;
    this.ints = null;
  }

  dup(): SetValue {
    const copy = new SetValue(this.ints !== null);
    if (this.ints !== null) {
      copy.ints = this.ints.slice();
    } else {
      copy.pos = new Map(this.pos!);
      copy.list = this.list!.slice();
    }
    return copy;
  }
}
