/**
 * The hash value type.
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
 * - HSCAN walks the Map's live iterator (src/store/elementscan.ts): every field present for the
 *   whole iteration is returned, and the iteration ends even while fields keep being added.
 *
 * Imports nothing of ours but its siblings.
 */

import type { TypedValue } from './db.ts';

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

/**
 * HSCAN returns a hash of at most this many fields whole, with cursor 0, as Redis does for a
 * listpack-encoded hash (whose limit is the same 128 entries). Bigger hashes are walked with a
 * live Map iterator (src/store/elementscan.ts).
 */
export const HSCAN_SMALL = 128;
