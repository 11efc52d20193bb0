/**
 * Sharing the store's single write hook, `Db.onWrite`, between the engine modules that listen
 * to writes: WATCH (multi.ts) and blocked clients (blocking.ts).
 *
 * Contract
 * - Each listener says, per database, whether it wants to hear of that database's writes
 *   (`set(db, slot, fn)` / `set(db, slot, null)`); `Db.onWrite` is then the one function that
 *   calls exactly the listeners that want it, or null when none does. A database nobody
 *   watches and nobody waits on keeps a null hook, so its writes cost one null check, as before.
 * - Order: WATCH's listener runs before the blocked clients' one (neither depends on the other).
 *
 * Imports only types.
 */

import type { Db } from '../store/db.ts';

export type WriteHook = (db: Db, key: string) => void;
export type HookSlot = 'watch' | 'ready';

export class WriteHooks {
  private readonly byDb = new Map<Db, { watch: WriteHook | null; ready: WriteHook | null }>();

  /** Installs (fn) or removes (null) one listener of `db`'s writes. */
  set(db: Db, slot: HookSlot, fn: WriteHook | null): void {
    let h = this.byDb.get(db);
    if (h === undefined) {
      if (fn === null) return;
      this.byDb.set(db, (h = { watch: null, ready: null }));
    }
    h[slot] = fn;
    const { watch, ready } = h;
    if (watch !== null && ready !== null) {
      db.onWrite = (d, key) => {
        watch(d, key);
        ready(d, key);
      };
    } else {
      db.onWrite = watch ?? ready;
      if (watch === null && ready === null) this.byDb.delete(db);
    }
  }
}
