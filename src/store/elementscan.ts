/**
 * Cursors for the element scans (SSCAN, ZSCAN, and any collection kept in a JS Map): the same
 * design as Db.scan's, applied to one collection. A cursor names a live Map iterator; a call
 * visits at most COUNT entries and hands back the cursor of where it stopped (0 at the end).
 *
 * Why this keeps SCAN's guarantee (every element present for the whole iteration is returned):
 * a Map iterator yields live entries in insertion order and follows the Map through growth,
 * shrinking and rehashing; an element added after the iteration began goes after all those
 * that were there at the start. So the first `size at start` entries visited include every
 * element present throughout, and stopping there bounds the work even under constant churn.
 *
 * A cursor is tied to the Map it walks. A cursor that is unknown, already used, forgotten
 * (beyond MAX_CURSORS newer ones), or that belongs to another Map (another key, or the same
 * key after its value was replaced) restarts the iteration: elements may repeat, which SCAN
 * allows, but none is missed.
 *
 * Imports nothing of ours.
 */

const MAX_CURSORS = 4096;

interface ElementScan<T> {
  readonly it: Iterator<T>;
  readonly owner: object;
  /** Entries still to visit before the iteration ends. */
  left: number;
}

export class ElementCursors<T> {
  private readonly live = new Map<number, ElementScan<T>>();
  private nextId = 1;

  /**
   * One scan step over `owner`: resumes `cursor` (0, or one this table issued) or starts over
   * with `begin()`, passes at most `count` entries to `visit`, and returns the next cursor.
   */
  step(cursor: number, owner: object, size: number, begin: () => Iterator<T>, count: number,
       visit: (entry: T) => void): number {
    let st = cursor === 0 ? undefined : this.live.get(cursor);
    if (st !== undefined) {
      this.live.delete(cursor);
      if (st.owner !== owner) st = undefined;
    }
    if (st === undefined) st = { it: begin(), owner, left: size };
    for (let visited = 0; visited < count && st.left > 0; visited++) {
      const r = st.it.next();
      if (r.done === true) return 0;
      st.left--;
      visit(r.value);
    }
    if (st.left === 0) return 0;
    const id = this.nextId++;
    if (this.nextId > Number.MAX_SAFE_INTEGER) this.nextId = 1;
    this.live.set(id, st);
    if (this.live.size > MAX_CURSORS) this.live.delete(this.live.keys().next().value as number);
    return id;
  }
}
