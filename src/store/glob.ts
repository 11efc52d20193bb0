/**
 * Glob-style pattern matching with the rules of Redis 7.0's stringmatchlen (util.c), used by
 * KEYS, SCAN MATCH, CONFIG GET and, later, PSUBSCRIBE.
 *
 * Syntax: `*` any run of bytes, `?` one byte, `[abc]` a set, `[^abc]` its complement, `[a-z]` a
 * range (either order), `\x` a literal x (a lone trailing `\` is a literal backslash). Strings
 * are latin1 byte strings; `nocase` folds ASCII letters only (C-locale tolower).
 *
 * Redis's quirks, kept on purpose because replies must match byte for byte:
 * - An empty string matches only the empty pattern: `*` does not match "". KEYS and SCAN never
 *   notice, because they treat the exact pattern "*" as "everything" before calling the matcher.
 * - An unterminated `[` swallows the rest of the pattern as set members: `a[bc` matches "ab".
 * - Inside a set, `\x` compares x exactly, even with `nocase`.
 * - Ranges compare bytes as C `char`, which is signed on the machines Redis runs on: bytes
 *   0x80-0xff sort below 0x00, so `[a-\xff]` means "0xff..0x7f, then 0x00..a".
 *   Range ends are swapped (when reversed) before case folding, as Redis does.
 * - `[a-]` is the range a..`]`, not "a or -": the `]` is consumed as the range's end.
 *
 * Redis backtracks recursively at each `*`, and cuts the search short with skipLongerMatches.
 * That pruning makes the result equal to the classic one-backtrack-point algorithm used here:
 * remember only the most recent `*`, and when the pattern after it fails, let that `*` eat one
 * more byte. Each pattern element other than `*` consumes exactly one byte, which is what makes
 * an earlier `*` useless to revisit. No recursion, so no depth limit, and O(len(p) * len(s))
 * at worst, where a naive backtracker is exponential on patterns like `a*a*a*a*b`.
 *
 * Imports nothing of ours.
 */

const STAR = 42; // *
const QUESTION = 63; // ?
const OPEN = 91; // [
const CLOSE = 93; // ]
const CARET = 94; // ^
const BACKSLASH = 92; // \
const DASH = 45; // -

/** C-locale tolower: ASCII capitals only; any other value (including negatives) unchanged. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as a signed C char. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
  if (slen === 0) return plen === 0; // Redis's loop never starts on an empty string
  let pi = 0;
  let si = 0;
  /** Pattern index just past the most recent `*` (-1: none yet), and where its run ends. */
  let starP = -1;
  let starS = 0;
  while (si < slen) {
    if (pi < plen) {
      if (pattern.charCodeAt(pi) === STAR) {
        do pi++; while (pi < plen && pattern.charCodeAt(pi) === STAR);
        if (pi === plen) return true; // a trailing * matches whatever is left
        starP = pi;
        starS = si;
        continue;
      }
      const next = matchElement(pattern, pi, str.charCodeAt(si), nocase);
      if (next >= 0) {
        pi = next;
        si++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP;
    si = ++starS;
  }
  while (pi < plen && pattern.charCodeAt(pi) === STAR) pi++;
  return pi === plen;
}

/**
 * Matches the one pattern element starting at `pi` (not a `*`) against byte `c`. Returns the
 * index just past the element, or -1 if it does not match.
 */
function matchElement(p: string, pi: number, c: number, nocase: boolean): number {
  const plen = p.length;
  const pc = p.charCodeAt(pi);
  if (pc === QUESTION) return pi + 1;
  if (pc === OPEN) {
    let i = pi + 1;
    const not = i < plen && p.charCodeAt(i) === CARET;
    if (not) i++;
    let matched = false;
    for (;;) {
      const x = p.charCodeAt(i); // NaN past the end
      if (x === BACKSLASH && plen - i >= 2) {
        i++;
        if (p.charCodeAt(i) === c) matched = true;
      } else if (x === CLOSE) {
        break;
      } else if (i >= plen) {
        i = plen - 1; // unterminated: the set runs to the end of the pattern
        break;
      } else if (plen - i >= 3 && p.charCodeAt(i + 1) === DASH) {
        let start = signed(x);
        let end = signed(p.charCodeAt(i + 2));
        let b = signed(c);
        if (start > end) [start, end] = [end, start];
        if (nocase) {
          start = lower(start);
          end = lower(end);
          b = lower(b);
        }
        i += 2;
        if (b >= start && b <= end) matched = true;
      } else if (nocase ? lower(x) === lower(c) : x === c) {
        matched = true;
      }
      i++;
    }
    return matched !== not ? i + 1 : -1;
  }
  if (pc === BACKSLASH && plen - pi >= 2) {
    const x = p.charCodeAt(pi + 1);
    return (nocase ? lower(x) === lower(c) : x === c) ? pi + 2 : -1;
  }
  return (nocase ? lower(pc) === lower(c) : pc === c) ? pi + 1 : -1;
}
