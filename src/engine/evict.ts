/**
 * maxmemory and maxmemory-policy: Redis's performEvictions, as the executor runs it before a
 * command while maxmemory is set.
 *
 * Contract
 * - `fits()` answers whether used memory (src/lib/memory.ts) is within maxmemory, evicting
 *   keys first under an evicting policy. false means out of memory: the executor then refuses
 *   commands that may grow memory with Redis's OOM error (engine.ts, Engine.guard).
 * - Freed memory is not visible at once: V8 reclaims an evicted value only at its next GC. So
 *   the bytes an eviction frees are estimated (key and value sizes, see `estimate`) and
 *   subtracted from the measured figure until V8's next full (mark-sweep) collection, which
 *   is when old-space garbage goes (seen through a PerformanceObserver on 'gc' entries);
 *   without that, one burst of writes over the limit would evict every key. A young-generation
 *   scavenge does not count: evicted values have usually been promoted already.
 * - Policies (docs/limits.md): noeviction evicts nothing; volatile-ttl samples
 *   maxmemory-samples keys with a TTL in every database and evicts the one closest to expiry,
 *   as Redis; allkeys-random / volatile-random evict a random key (of all, or with a TTL).
 *   ringkv keeps no per-key access clock, so allkeys-lru / volatile-lru / *-lfu evict by age
 *   instead: the oldest key created (first in the Map's insertion order) among those eligible.
 * - Each eviction deletes through Db.delete (the write hooks see it, as Redis's
 *   deleteEvictedKey signals a modified key) and counts in stats.evictedKeys (INFO evicted_keys).
 */

import type { Keyspace } from '../store/keyspace.ts';
import type { Db, Value } from '../store/db.ts';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { usedMemory } from '../lib/memory.ts';

/** At most this many keys are evicted for one command (Redis bounds its loop by time). */
const MAX_EVICTIONS_PER_CALL = 1000;

/** A rough size of a key and its value, in bytes (what evicting it may give back). */
function estimate(key: string, v: Value): number {
  const overhead = 80; // the Map entry, the key string header, the expiry entry if any
  if (typeof v === 'string') return overhead + key.length + v.length;
  const sized = v as unknown as { size?: number; length?: number };
  const n = typeof sized.size === 'number' ? sized.size : typeof sized.length === 'number' ? sized.length : 1;
  return overhead + key.length + 64 * n;
}

export class Evictor {
  private readonly keyspace: Keyspace;
  private readonly stats: { evictedKeys: number };
  /** Estimated bytes evicted that V8 has not reclaimed yet (reset by a full GC). */
  private pendingFree = 0;
  private gcObserver: PerformanceObserver | null = null;
  /** Where the volatile-ttl sampling resumes in each database. */
  private readonly ttlIt = new Map<Db, Iterator<[string, number]>>();

  /** Told of each eviction after the delete (keyspace notifications' "evicted"). */
  private readonly onEvict: ((db: Db, key: string) => void) | null;

  constructor(keyspace: Keyspace, stats: { evictedKeys: number }, onEvict: ((db: Db, key: string) => void) | null = null) {
    this.keyspace = keyspace;
    this.stats = stats;
    this.onEvict = onEvict;
  }

  /** Used memory as the limit sees it: measured, less what evictions freed but V8 still holds. */
  used(): number {
    return Math.max(0, usedMemory() - this.pendingFree);
  }

  /** A new limit or policy (CONFIG SET): start from the measurement alone. */
  resetEstimate(): void {
    this.pendingFree = 0;
  }

  /** Within `maxmemory` (after evicting under `policy` if need be)? */
  fits(maxmemory: number, policy: string, samples: number, now: number): boolean {
    let used = this.used();
    if (used <= maxmemory) return true;
    if (policy === 'noeviction') return false;
    if (this.gcObserver === null) this.watchGc();
    for (let n = 0; n < MAX_EVICTIONS_PER_CALL && used > maxmemory; n++) {
      const freed = this.evictOne(policy, samples, now);
      if (freed === 0) return false; // nothing left to evict
      this.pendingFree += freed;
      used -= freed;
    }
    return used <= maxmemory;
  }

  /** Forgets the estimate of freed bytes after each full GC: the measurement is true again. */
  private watchGc(): void {
    this.gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.pendingFree = 0;
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  /** Evicts one key chosen by `policy`; returns its estimated size, 0 when none is eligible. */
  private evictOne(policy: string, samples: number, now: number): number {
    const volatile = policy.startsWith('volatile-');
    let best: { db: Db; key: string } | null = null;
    let bestTtl = Infinity;
    for (const db of this.keyspace.dbs) {
      if (db.size === 0 || (volatile && db.expires.size === 0)) continue;
      if (policy === 'volatile-ttl') {
        for (const [key, when] of this.sampleTtl(db, samples)) {
          if (when < bestTtl) {
            bestTtl = when;
            best = { db, key };
          }
        }
      } else if (policy.endsWith('-random')) {
        const key = volatile ? this.sampleTtl(db, 1 + Math.floor(Math.random() * samples)).pop()?.[0] : db.randomKey(now);
        if (key !== undefined && key !== null) best = { db, key };
        if (best !== null && Math.random() < 0.5) break;
      } else {
        // lru/lfu without an access clock: the oldest key created.
        const first = (volatile ? db.expires.keys() : db.dict.keys()).next();
        if (!first.done) best = { db, key: first.value };
        break;
      }
    }
    if (best === null) return 0;
    const v = best.db.dict.get(best.key);
    if (v === undefined) {
      best.db.expires.delete(best.key);
      return 1;
    }
    const size = estimate(best.key, v);
    best.db.delete(best.key);
    this.stats.evictedKeys++;
    this.onEvict?.(best.db, best.key);
    return size;
  }

  /** Up to `n` [key, expiry] entries of `db`'s TTL table, resuming where the last call stopped. */
  private sampleTtl(db: Db, n: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    let it = this.ttlIt.get(db);
    let restarted = false;
    while (out.length < n) {
      if (it === undefined) it = db.expires.entries();
      const r = it.next();
      if (r.done) {
        it = undefined;
        if (restarted) break;
        restarted = true;
        continue;
      }
      out.push(r.value);
    }
    if (it === undefined) this.ttlIt.delete(db);
    else this.ttlIt.set(db, it);
    return out;
  }
}
