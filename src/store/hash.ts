/**
 * The hash value type, and the cursor table behind HSCAN.
 *
 * Contract
 * - A hash is a `Map<string, string>` of latin1 field → value: the value object is the Map
 *   itself (a subclass carrying the type name on its prototype), so a hash costs no wrapper
 *   object. Field names are Map keys, so `__proto__` and `constructor` are fields like any other.
 * - Iteration order is insertion order; setting an existing field keeps its place, and a field
 *   deleted and set again goes to the end. That is exactly the order of Redis's listpack
 *   encoding, which Redis uses for hashes of at most 128 fields whose fields and values are at
 *   most 64 bytes: for those, HGETALL/HKEYS/HVALS answer in the same order as Redis. Larger
 *   hashes are in hash-table order in Redis, which no one can rely on.
 * - Never empty in a database: the commands delete a key whose hash they emptied.
 * - HSCAN cursors are ids of live Map iterators, kept in a `HashCursors` table (one per
 *   keyspace, owned by the command layer), with the same guarantees as Db.scan.
 *
 * Imports nothing of ours but its siblings.
 */

import type { TypedValue } from './db.ts';
import { globMatch } from './glob.ts';

export class HashValue extends Map<string, string> implements TypedValue {
  /** On the prototype, not in every instance: TYPE, SCAN TYPE and dupValue read it. */
  get type(): string {
    return 'hash';
  }

  /** A copy that shares nothing mutable (COPY); dupValue's structural copy would lose the class. */
  dup(): HashValue {
    return new HashValue(this);
  }
}

/** Where one HSCAN iteration stands. */
interface HashScanState {
  readonly hash: HashValue;
  readonly it: Iterator<[string, string]>;
  /** Entries still to visit before the iteration ends: the hash's size when it began. */
  left: number;
}

/** Live HSCAN cursors kept per keyspace; the oldest is forgotten beyond this. */
const MAX_CURSORS = 1024;

/**
 * Up to MAX_SMALL fields are returned in one HSCAN call with cursor 0, as Redis does for a
 * listpack-encoded hash (whose limit is the same 128 entries).
 */
export const HSCAN_SMALL = 128;

/** HSCAN cursor ids → iteration state, oldest forgotten first. */
export class HashCursors {
  private readonly live = new Map<number, HashScanState>();
  private nextId = 1;

  put(st: HashScanState): number {
    const id = this.nextId++;
    if (this.nextId > Number.MAX_SAFE_INTEGER) this.nextId = 1;
    this.live.set(id, st);
    if (this.live.size > MAX_CURSORS) this.live.delete(this.live.keys().next().value as number);
    return id;
  }

  /** The state behind cursor `id` if it iterates `hash` (the same object), removed from the table. */
  take(id: number, hash: HashValue): HashScanState | undefined {
    const st = this.live.get(id);
    if (st === undefined || st.hash !== hash) return undefined;
    this.live.delete(id);
    return st;
  }

  clear(): void {
    this.live.clear();
  }
}

/**
 * One HSCAN step: up to `count` entries visited, those whose field matches `pattern` (null:
 * all) returned as a flat [field, value, ...] list, with the next cursor (0 at the end).
 *
 * A hash of at most HSCAN_SMALL fields is returned whole, cursor 0, whatever the cursor and
 * count say (Redis's listpack case). Otherwise cursor 0 starts a Map iterator; an unknown
 * cursor (never issued, used already, forgotten, or issued for another hash or an earlier
 * incarnation of this key) restarts the iteration, so fields may repeat but none is missed.
 * As in Db.scan, a Map iterator yields the fields present at its start before any added later,
 * so stopping after `size at start` entries returns every field present for the whole
 * iteration, and the iteration ends even while fields keep being added.
 */
export function hashScan(hash: HashValue, cursor: number, count: number, cursors: HashCursors,
                         pattern: string | null): [number, string[]] {
  const out: string[] = [];
  if (hash.size <= HSCAN_SMALL) {
    for (const [f, v] of hash) {
      if (pattern === null || globMatch(pattern, f)) out.push(f, v);
    }
    return [0, out];
  }
  let st = cursor === 0 ? undefined : cursors.take(cursor, hash);
  if (st === undefined) st = { hash, it: hash.entries(), left: hash.size };
  for (let visited = 0; visited < count && st.left > 0; visited++) {
    const r = st.it.next();
    if (r.done) return [0, out];
    st.left--;
    const [f, v] = r.value;
    if (pattern === null || globMatch(pattern, f)) out.push(f, v);
  }
  return [st.left === 0 ? 0 : cursors.put(st), out];
}
