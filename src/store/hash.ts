/**
 * The hash value type.
 *
 * Contract
 * - A hash is a `Map<string, string>` of latin1 field → value: the value object is the Map
 *   itself (a subclass carrying the type name on its prototype), so a hash costs no wrapper
 *   object. Field names are Map keys, so `__proto__` and `constructor` are fields like any other.
 * - Iteration order is insertion order; setting an existing field keeps its place, and a field
 *   deleted and set again goes to the end. That is exactly the order of Redis's listpack
 *   encoding, which Redis uses for hashes of at most 512 fields whose fields and values are at
 *   most 64 bytes (isListpackShaped): for those, HGETALL/HKEYS/HVALS answer in the same order as Redis. Larger
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

/** Redis 7.0's defaults for the compact (listpack) hash encoding. */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
export const HASH_MAX_LISTPACK_VALUE = 64;

/**
 * Whether Redis would hold a hash with these contents as a listpack (at most 512 fields, every
 * field and value at most 64 bytes). HSCAN returns such a hash whole with cursor 0 and OBJECT
 * ENCODING names it "listpack". (Redis decides from the hash's history: one that once grew past
 * the limits stays a hash table; ringkv looks at what the hash holds now.)
 */
export function isListpackShaped(h: Map<string, string>): boolean {
  if (h.size > HASH_MAX_LISTPACK_ENTRIES) return false;
  for (const [f, v] of h) {
    if (f.length > HASH_MAX_LISTPACK_VALUE || v.length > HASH_MAX_LISTPACK_VALUE) return false;
  }
  return true;
}
