/**
 * Glob-style pattern matching with Redis's rules (util.c stringmatchlen), used by KEYS, SCAN
 * MATCH, CONFIG GET and, later, PSUBSCRIBE.
 *
 * `*` any run of bytes, `?` one byte, `[abc]` a set, `[^abc]` its complement, `[a-z]` a range
 * (either order), `\x` a literal x. An unterminated `[` matches to the end of the pattern, as in
 * Redis. Strings are latin1 byte strings; `nocase` folds ASCII letters only.
 *
 * Imports nothing of ours.
 */

function fold(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return match(pattern, 0, str, 0, nocase, 0);
}

function match(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  // Redis bounds recursion (nesting) to stop pathological patterns; so do we.
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (let k = si; k <= slen; k++) {
        if (match(p, pi + 1, s, k, nocase, depth + 1)) return true;
      }
      return false;
    }
    if (si >= slen) break;
    const sc = s.charCodeAt(si);
    if (pc === 63 /* ? */) {
      si++;
      pi++;
      continue;
    }
    if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let matched = false;
      for (;;) {
        if (pi >= plen) {
          pi--; // unterminated: Redis steps back so the loop's pi++ ends the pattern
          break;
        }
        const c = p.charCodeAt(pi);
        if (c === 92 /* \ */ && pi + 1 < plen) {
          pi++;
          if (fold(p.charCodeAt(pi), nocase) === fold(sc, nocase)) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = fold(c, nocase);
          let end = fold(p.charCodeAt(pi + 2), nocase);
          if (start > end) [start, end] = [end, start];
          pi += 2;
          const f = fold(sc, nocase);
          if (f >= start && f <= end) matched = true;
        } else if (fold(c, nocase) === fold(sc, nocase)) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
      pi++;
      continue;
    }
    if (pc === 92 /* \ */ && pi + 1 < plen) {
      pi++;
    }
    if (fold(p.charCodeAt(pi), nocase) !== fold(sc, nocase)) return false;
    si++;
    pi++;
  }
  while (pi < plen && p.charCodeAt(pi) === 42) pi++;
  return pi >= plen && si >= slen;
}
