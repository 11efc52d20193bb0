/**
 * One logical database (SELECT n): the key → value dictionary and the key → expiry dictionary,
 * with Redis's lazy expiry on access and the bookkeeping behind SCAN and RANDOMKEY.
 *
 * Contract
 * - Keys and string values are latin1 byte strings (see src/protocol/parser.ts). A string value
 *   is stored as the JS string itself: no wrapper object, which is most of what keeps a key of a
 *   small value near Redis's memory cost. Other types are objects with a `type` tag.
 * - Keys live in a `Map`, so `__proto__` and `constructor` are keys like any other.
 * - Expiry times are absolute Unix milliseconds, kept only for keys that have one (as Redis's
 *   `expires` dict). The caller passes `now`; this module never reads a clock.
 * - Every read goes through `lookup()`, which deletes a key whose time has passed (lazy expiry).
 *   Active expiry (the sampling cycle) lives in keyspace.ts.
 * - `onDelete`/`onWrite` are the single places the engine hooks into (WATCH, keyspace events,
 *   snapshot copy-on-write); this module calls them and knows nothing of what they do.
 *
 * Imports nothing of ours but its siblings.
 */

import { globMatch } from './glob.ts';

/** A non-string value: lists, hashes, sets and sorted sets carry their type name. */
export interface TypedValue {
  readonly type: string;
  /**
   * An independent deep copy (COPY). Optional: without it, dupValue copies the object
   * structurally. A type that keeps state in `#private` fields or in closures must provide it.
   */
  dup?(): TypedValue;
}

export type Value = string | TypedValue;

export function typeName(v: Value): string {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * A copy of `v` that shares nothing mutable with it (COPY). Strings are immutable and shared.
 * Other values use their own `dup()`, or else a structural deep copy that keeps prototypes (so
 * class instances keep their methods) and copies Maps, Sets, arrays, typed arrays and Buffers,
 * preserving shared references and cycles inside the value.
 */
export function dupValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (typeof v.dup === 'function') return v.dup();
  return deepCopy(v, new Map()) as TypedValue;
}

function deepCopy(x: unknown, seen: Map<object, unknown>): unknown {
  if (typeof x !== 'object' || x === null) return x; // primitives; functions are shared
  const known = seen.get(x);
  if (known !== undefined) return known;
  let copy: unknown;
  if (Buffer.isBuffer(x)) {
    copy = Buffer.from(x);
  } else if (ArrayBuffer.isView(x)) {
    copy = x instanceof DataView
      ? new DataView(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength))
      : (x as unknown as Uint8Array).slice();
  } else if (x instanceof ArrayBuffer) {
    copy = x.slice(0);
  } else if (Array.isArray(x)) {
    const a: unknown[] = new Array(x.length);
    seen.set(x, a);
    for (let i = 0; i < x.length; i++) a[i] = deepCopy(x[i], seen);
    return a;
  } else if (x instanceof Map) {
    const m = new Map();
    seen.set(x, m);
    for (const [k, v] of x) m.set(deepCopy(k, seen), deepCopy(v, seen));
    return m;
  } else if (x instanceof Set) {
    const st = new Set();
    seen.set(x, st);
    for (const v of x) st.add(deepCopy(v, seen));
    return st;
  } else if (x instanceof Date) {
    copy = new Date(x.getTime());
  } else {
    const o = Object.create(Object.getPrototypeOf(x)) as Record<PropertyKey, unknown>;
    seen.set(x, o);
    for (const k of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k)!;
      if ('value' in d) d.value = deepCopy(d.value, seen);
      Object.defineProperty(o, k, d);
    }
    return o;
  }
  seen.set(x, copy);
  return copy;
}

export interface DbStats {
  /**
   * Changes to the dataset since start-up (Redis's server.dirty): one per key written by a
   * command. Persistence reads it (save points, rdb_changes_since_last_save; a command that
   * moved it is propagated to the AOF). Expiry deletions do not count, as in Redis.
   */
  dirty: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
}

/** How SCAN remembers where a cursor stands. See Db.scan. */
interface ScanState {
  readonly it: Iterator<string>;
  readonly db: Db;
  /** Entries still to visit before the iteration ends: the database's size when it began. */
  left: number;
}

/** Live SCAN cursors kept per keyspace; the oldest is forgotten beyond this. */
const MAX_SCAN_CURSORS = 4096;

export class Db {
  readonly index: number;
  readonly dict = new Map<string, Value>();
  readonly expires = new Map<string, number>();
  readonly stats: DbStats;
  /** Called after a key's value or TTL changed (signalModifiedKey). */
  onWrite: ((db: Db, key: string) => void) | null = null;
  /**
   * Called after a key was deleted because its time had passed (lazy or active expiry), so the
   * AOF can record the deletion as a DEL (Redis's propagateDeletion).
   */
  onExpire: ((db: Db, key: string) => void) | null = null;

  /**
   * A command changed `key` in place (a list push, a hash field): counts one change (dirty) and
   * tells the write hook. Every write path ends here or in set/replace/delete/setExpire/persist.
   */
  touch(key: string): void {
    this.stats.dirty++;
    this.onWrite?.(this, key);
  }

  /**
   * Keyspace notifications' two store-level events, null when nobody listens (the engine sets
   * them only while notify-keyspace-events asks for them): `onNew` before set() adds a key
   * that was not there (Redis's dbAdd, "new"), `onMiss` when lookupRead() finds no live key
   * ("keymiss").
   */
  onNew: ((db: Db, key: string) => void) | null = null;
  onMiss: ((db: Db, key: string) => void) | null = null;

  /** Rotating iterator used by RANDOMKEY and the active-expiry cycle resumes here. */
  private randomIt: Iterator<string> | null = null;
  expireIt: Iterator<[string, number]> | null = null;

  constructor(index: number, stats: DbStats) {
    this.index = index;
    this.stats = stats;
  }

  get size(): number {
    return this.dict.size;
  }

  /** Deletes `key` if its time has passed. Returns true if it was deleted. */
  expireIfNeeded(key: string, now: number): boolean {
    const when = this.expires.get(key);
    if (when === undefined || when > now) return false;
    this.dict.delete(key);
    this.expires.delete(key);
    this.stats.expiredKeys++;
    this.onWrite?.(this, key);
    this.onExpire?.(this, key);
    return true;
  }

  /** The live value of `key`, expiring it first if due. No hit/miss accounting. */
  get(key: string, now: number): Value | undefined {
    const v = this.dict.get(key);
    if (v === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key, now)) return undefined;
    return v;
  }

  /** A read lookup: like get(), and counted in keyspace_hits / keyspace_misses. */
  lookupRead(key: string, now: number): Value | undefined {
    const v = this.get(key, now);
    if (v === undefined) {
      this.stats.keyspaceMisses++;
      this.onMiss?.(this, key);
    } else this.stats.keyspaceHits++;
    return v;
  }

  has(key: string, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /**
   * Stores `value` under `key`. Like Redis's setKey, an existing TTL is removed unless
   * `keepTtl` is set.
   */
  set(key: string, value: Value, keepTtl = false): void {
    if (this.onNew !== null && !this.dict.has(key)) this.onNew(this, key);
    this.dict.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    this.touch(key);
  }

  /** Replaces the value of a key known to exist, keeping its TTL (APPEND, INCR, SETRANGE). */
  replace(key: string, value: Value): void {
    this.dict.set(key, value);
    this.touch(key);
  }

  delete(key: string): boolean {
    if (!this.dict.delete(key)) return false;
    if (this.expires.size !== 0) this.expires.delete(key);
    this.touch(key);
    return true;
  }

  /** Sets an absolute expiry in ms on an existing key. */
  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
    this.touch(key);
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  persist(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    this.touch(key);
    return true;
  }

  /** Removes every key. The caller signals watchers (FLUSHDB touches every watched key). */
  clear(): void {
    this.stats.dirty += this.dict.size;
    this.dict.clear();
    this.expires.clear();
    this.randomIt = null;
    this.expireIt = null;
  }

  /** All live keys matching `pattern` (KEYS). O(N), like Redis. */
  keys(pattern: string, now: number): string[] {
    const out: string[] = [];
    const all = pattern === '*';
    for (const key of this.dict.keys()) {
      if (!all && !globMatch(pattern, key)) continue;
      const when = this.expires.get(key);
      if (when !== undefined && when <= now) continue; // Redis skips (and expires) these
      out.push(key);
    }
    return out;
  }

  /**
   * A key chosen by stepping a rotating iterator a random distance: O(1) amortised, never the
   * same key twice in a row when there are several, but not uniformly random (a Map has no
   * random access). Expired keys met on the way are deleted.
   */
  randomKey(now: number): string | null {
    let tries = this.dict.size + 1;
    while (this.dict.size > 0 && tries-- > 0) {
      let skip = 1 + Math.floor(Math.random() * 8);
      let key: string | undefined;
      while (skip-- > 0) {
        if (this.randomIt === null) this.randomIt = this.dict.keys();
        const r = this.randomIt.next();
        if (r.done) {
          this.randomIt = null;
          skip++;
          continue;
        }
        key = r.value;
      }
      if (key !== undefined && !this.expireIfNeeded(key, now)) return key;
    }
    return null;
  }

  /**
   * One SCAN step. Cursor 0 starts a new iteration; the returned cursor (0 at the end) names a
   * live Map iterator kept in `cursors`. A cursor that is unknown (never issued, already used,
   * from another database, or forgotten after MAX_SCAN_CURSORS newer ones) restarts the
   * iteration: keys may repeat, which SCAN allows, but none is missed.
   *
   * Why every key present for the whole iteration is returned, and why it ends:
   * a Map iterator yields the live entries in insertion order, following the map as it grows,
   * shrinks or rehashes. A key inserted after the iteration began (or deleted and inserted
   * again) goes after every key that was there at the start, so the keys present at the start
   * and still present come first, and there are at most `size at start` of them. Stopping after
   * that many entries therefore misses none of them, and bounds the work even when keys are
   * added faster than SCAN walks: without the bound, a busy cache's iteration would never end,
   * where Redis's ends once it has walked its bucket table.
   *
   * Like Redis, COUNT is work done, not keys returned: at most `count` entries are visited.
   * The visited keys are filtered in Redis's order (scanGenericCommand): `pattern` (null: all),
   * then `type` (lower-case type name, or null), checked with a read lookup that counts a
   * keyspace hit or miss and expires the key if due, then expiry, which deletes a key whose
   * time has passed. So, as in Redis, `TYPE none` returns a key that the type lookup itself
   * just expired.
   */
  scan(cursor: number, count: number, cursors: ScanCursors, now: number,
       pattern: string | null, type: string | null): [number, string[]] {
    let st = cursor === 0 ? undefined : cursors.take(cursor, this);
    if (st === undefined) st = { it: this.dict.keys(), db: this, left: this.dict.size };
    const out: string[] = [];
    for (let visited = 0; visited < count && st.left > 0; visited++) {
      const r = st.it.next();
      if (r.done) return [0, out];
      st.left--;
      const key = r.value;
      if (pattern !== null && !globMatch(pattern, key)) continue;
      if (type !== null) {
        const v = this.lookupRead(key, now);
        if ((v === undefined ? 'none' : typeName(v)) !== type) continue;
      }
      if (this.expires.size !== 0 && this.expireIfNeeded(key, now)) continue;
      out.push(key);
    }
    return [st.left === 0 ? 0 : cursors.put(st), out];
  }
}

/** The table of live SCAN cursors: cursor number → iterator, oldest forgotten first. */
export class ScanCursors {
  private readonly live = new Map<number, ScanState>();
  private nextId = 1;

  /** Keeps `st` under a new cursor id, forgetting the oldest cursor beyond MAX_SCAN_CURSORS. */
  put(st: ScanState): number {
    const id = this.nextId++;
    if (this.nextId > Number.MAX_SAFE_INTEGER) this.nextId = 1;
    this.live.set(id, st);
    if (this.live.size > MAX_SCAN_CURSORS) {
      const oldest = this.live.keys().next().value as number;
      this.live.delete(oldest);
    }
    return id;
  }

  /** The state behind cursor `id` if it belongs to `db`, removed from the table. */
  take(id: number, db: Db): ScanState | undefined {
    const st = this.live.get(id);
    if (st === undefined || st.db !== db) return undefined;
    this.live.delete(id);
    return st;
  }

  clear(): void {
    this.live.clear();
  }
}
