/**
 * The keyspace: the numbered databases, their shared statistics, and active expiry.
 *
 * Active expiry follows Redis's sampling cycle (expire.c, activeExpireCycle): visit up to
 * SAMPLE keys that have a TTL in each database, delete the expired ones, and go on with the same
 * database while more than STALE_PERCENT of a sample was expired, all within a time budget so a
 * cycle never stalls the executor. Where Redis samples random buckets, we resume a persistent
 * iterator over each database's `expires` map, so successive cycles sweep it end to end.
 *
 * Imports nothing of ours but its siblings.
 */

import { Db, ScanCursors, type DbStats } from './db.ts';

const SAMPLE = 20;
const STALE_PERCENT = 10;

export class Keyspace {
  readonly dbs: Db[];
  readonly stats: DbStats = { dirty: 0, expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0 };
  readonly scanCursors = new ScanCursors();
  /** Database where the next active-expiry cycle starts (Redis's current_db). */
  private expireDb = 0;

  constructor(databases: number) {
    this.dbs = [];
    for (let i = 0; i < databases; i++) this.dbs.push(new Db(i, this.stats));
  }

  /** Total keys in all databases. */
  get size(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  flushAll(): void {
    for (const db of this.dbs) db.clear();
    this.scanCursors.clear();
  }

  /**
   * One active-expiry cycle: returns the number of keys deleted. `clock()` is read every few
   * samples so the cycle stops within `budgetMs`.
   */
  activeExpireCycle(clock: () => number, budgetMs: number): number {
    const start = clock();
    const deadline = start + budgetMs;
    let deleted = 0;
    const n = this.dbs.length;
    for (let visitedDbs = 0; visitedDbs < n; visitedDbs++) {
      const db = this.dbs[this.expireDb]!;
      this.expireDb = (this.expireDb + 1) % n;
      for (;;) {
        if (db.expires.size === 0) break;
        const now = clock();
        if (now >= deadline) return deleted;
        let sampled = 0;
        let expired = 0;
        while (sampled < SAMPLE && sampled < db.expires.size) {
          if (db.expireIt === null) db.expireIt = db.expires.entries();
          let r = db.expireIt.next();
          if (r.done) {
            // Wrap around within the sample, so a sweep ending mid-sample does not cost the
            // database its turn in this cycle.
            db.expireIt = db.expires.entries();
            r = db.expireIt.next();
            if (r.done) break;
          }
          sampled++;
          const [key, when] = r.value;
          if (when <= now && db.expireIfNeeded(key, now)) expired++;
        }
        deleted += expired;
        if (sampled === 0 || expired * 100 <= sampled * STALE_PERCENT) break;
      }
    }
    return deleted;
  }
}
