/**
 * The event classes of keyspace notifications (`notify-keyspace-events`): one bit per class,
 * the parsing of Redis's flag letters and the spelling CONFIG GET shows.
 *
 * Contract
 * - The bits are what a command passes to ServerContext.notify() as the class of its event
 *   (NOTIFY_LIST for LPUSH…); the executor publishes an event only when its class bit and one
 *   of KEYSPACE/KEYEVENT are set.
 * - Letters, as Redis 7.0 reads them: K keyspace channel, E keyevent channel, g generic,
 *   $ string, l list, s set, h hash, z zset, x expired, e evicted, t stream, m key miss,
 *   d module, n new key, A = g$lshzxetd (not m, not n). Any other letter is an error.
 * - The spelling Redis prints (keyspaceEventsFlagsToString): "A" when every class of A is
 *   set, else the class letters in the order g $ l s h z x e t d n; then K, E, m. So with A
 *   set, "n" is not shown (but still in force) — `KEAn` reads back as "AKE". The config table
 *   therefore stores that spelling plus a trailing "n" in this one case (storedKeyspaceEvents),
 *   which CONFIG GET leaves out (shownKeyspaceEvents).
 *
 * Imports nothing.
 */

export const NOTIFY_KEYSPACE = 1 << 0;
export const NOTIFY_KEYEVENT = 1 << 1;
export const NOTIFY_GENERIC = 1 << 2;
export const NOTIFY_STRING = 1 << 3;
export const NOTIFY_LIST = 1 << 4;
export const NOTIFY_SET = 1 << 5;
export const NOTIFY_HASH = 1 << 6;
export const NOTIFY_ZSET = 1 << 7;
export const NOTIFY_EXPIRED = 1 << 8;
export const NOTIFY_EVICTED = 1 << 9;
export const NOTIFY_STREAM = 1 << 10;
export const NOTIFY_KEY_MISS = 1 << 11;
export const NOTIFY_MODULE = 1 << 12;
export const NOTIFY_NEW = 1 << 13;
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
  | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

/** Class letters in the order Redis prints them, when not all of A are set. */
const CLASS_LETTERS: ReadonlyArray<[string, number]> = [
  ['g', NOTIFY_GENERIC], ['$', NOTIFY_STRING], ['l', NOTIFY_LIST], ['s', NOTIFY_SET], ['h', NOTIFY_HASH],
  ['z', NOTIFY_ZSET], ['x', NOTIFY_EXPIRED], ['e', NOTIFY_EVICTED], ['t', NOTIFY_STREAM], ['d', NOTIFY_MODULE],
  ['n', NOTIFY_NEW],
];

const LETTER_BITS = new Map<string, number>([
  ...CLASS_LETTERS, ['A', NOTIFY_ALL], ['K', NOTIFY_KEYSPACE], ['E', NOTIFY_KEYEVENT], ['m', NOTIFY_KEY_MISS],
]);

export const ERR_KEYSPACE_EVENTS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** The bits of a flags string, or -1 if it holds a letter that is not a flag. */
export function parseKeyspaceEvents(s: string): number {
  let flags = 0;
  for (const ch of s) {
    const bit = LETTER_BITS.get(ch);
    if (bit === undefined) return -1;
    flags |= bit;
  }
  return flags;
}

/** The string CONFIG GET shows for `flags`. */
export function formatKeyspaceEvents(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out = 'A';
  else for (const [letter, bit] of CLASS_LETTERS) if ((flags & bit) !== 0) out += letter;
  if ((flags & NOTIFY_KEYSPACE) !== 0) out += 'K';
  if ((flags & NOTIFY_KEYEVENT) !== 0) out += 'E';
  if ((flags & NOTIFY_KEY_MISS) !== 0) out += 'm';
  return out;
}

/** The value the config table keeps: Redis's spelling, plus "n" when A hides it. */
export function storedKeyspaceEvents(flags: number): string {
  const s = formatKeyspaceEvents(flags);
  return s.startsWith('A') && (flags & NOTIFY_NEW) !== 0 ? `${s}n` : s;
}

/** What CONFIG GET shows of a stored value: Redis's spelling. */
export function shownKeyspaceEvents(stored: string): string {
  return stored.startsWith('A') && stored.endsWith('n') ? stored.slice(0, -1) : stored;
}
