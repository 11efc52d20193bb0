/**
 * The glob matcher (src/store/glob.ts) against Redis 7.0's stringmatchlen rules.
 *
 * Two kinds of check: hand-picked cases whose answers were confirmed on a real redis-server
 * (the same patterns run as KEYS in test/diff/keys.test.ts), and a randomized cross-check
 * against `reference` below, a plain recursive backtracker written from the C semantics with
 * no pruning. The matcher under test uses a single backtrack point instead of recursion, so
 * the fuzz is what shows the two strategies agree.
 */

import { describe, expect, test } from 'vitest';
import { globMatch } from '../../src/store/glob.ts';

/** Exhaustive recursive matcher: cursor walk over pattern and string, as the C code does. */
function reference(p: string, s: string, nocase = false): boolean {
  const lo = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const sc = (c: number) => (c >= 128 ? c - 256 : c);
  const eq = (a: number, b: number) => (nocase ? lo(a) === lo(b) : a === b);
  const go = (pi: number, si: number): boolean => {
    const pl = p.length;
    const sl = s.length;
    while (pi < pl && si < sl) {
      const pc = p.charCodeAt(pi);
      if (pc === 42) {
        while (pi + 1 < pl && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === pl) return true;
        for (let k = si; k < sl; k++) if (go(pi + 1, k)) return true;
        return false;
      } else if (pc === 63) {
        si++;
      } else if (pc === 91) {
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let m = false;
        for (;;) {
          if (p[pi] === '\\' && pl - pi >= 2) {
            pi++;
            if (p.charCodeAt(pi) === s.charCodeAt(si)) m = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi >= pl) {
            pi--;
            break;
          } else if (pl - pi >= 3 && p[pi + 1] === '-') {
            let a = sc(p.charCodeAt(pi));
            let b = sc(p.charCodeAt(pi + 2));
            let c = sc(s.charCodeAt(si));
            if (a > b) [a, b] = [b, a];
            if (nocase) [a, b, c] = [lo(a), lo(b), lo(c)];
            pi += 2;
            if (c >= a && c <= b) m = true;
          } else if (eq(p.charCodeAt(pi), s.charCodeAt(si))) {
            m = true;
          }
          pi++;
        }
        if (not) m = !m;
        if (!m) return false;
        si++;
      } else {
        if (pc === 92 && pl - pi >= 2) pi++;
        if (!eq(p.charCodeAt(pi), s.charCodeAt(si))) return false;
        si++;
      }
      pi++;
      if (si === sl) {
        while (p[pi] === '*') pi++;
        break;
      }
    }
    return pi >= pl && si === sl;
  };
  return go(0, 0);
}

describe('globMatch: Redis cases', () => {
  const cases: Array<[string, string, boolean]> = [
    ['', '', true],
    ['*', '', false], // only KEYS/SCAN's "*" shortcut matches the empty key
    ['**', '', false],
    ['', 'a', false],
    ['*', 'abc', true],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['*a', 'a', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxbc', false],
    ['a*b*c', 'aXbYbZc', true],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['h?llo', 'hello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true], // reversed range
    ['h[a-b]llo', 'hcllo', false],
    ['[]a]', ']', false], // "[]" is an empty set, then "a]" literal
    ['[]a]', 'a', false],
    ['[a-]', ']', true], // range a..] (0x5d..0x61)
    ['[a-]', '-', false],
    ['[a-]', '^', true],
    ['a[bc', 'ab', true], // unterminated set runs to the end
    ['a[bc', 'ac', true],
    ['a[bc', 'abc', false],
    ['a[', 'ab', false],
    ['a[^', 'ab', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\', '\\', true], // trailing lone backslash is literal
    ['a\\', 'a\\', true],
    ['[\\]]', ']', true],
    ['[\\-]', '-', true],
    ['[a\\-z]', 'b', false],
    ['[\\', '\\', true], // unterminated: "\" with nothing after is a member
    ['[a-\xff]', '\xff', true], // signed char: the range is -1..97
    ['[a-\xff]', '0', true],
    ['[a-\xff]', '\x80', false],
    ['[a-\xff]', 'b', false],
    ['[\x80-\xff]', '\x90', true],
    ['[\x00-\x7f]', '\x90', false],
    ['*a*a*a*b', 'a'.repeat(20), false],
  ];
  for (const [p, s, want] of cases) {
    test(`${JSON.stringify(p)} ~ ${JSON.stringify(s)} = ${want}`, () => {
      expect(globMatch(p, s)).toBe(want);
      expect(reference(p, s)).toBe(want);
    });
  }
});

describe('globMatch: nocase', () => {
  const cases: Array<[string, string, boolean]> = [
    ['HELLO', 'hello', true],
    ['h[A-C]llo', 'hbllo', true],
    ['[\\A]', 'a', false], // an escaped set member compares exactly
    ['[\\A]', 'A', true],
    ['\\A', 'a', true], // outside a set the escape folds
    ['[Z-a]', 'z', false], // swapped before folding: z..a is empty
    ['[^X]', 'x', false],
  ];
  for (const [p, s, want] of cases) {
    test(`${JSON.stringify(p)} ~i ${JSON.stringify(s)} = ${want}`, () => {
      expect(globMatch(p, s, true)).toBe(want);
      expect(reference(p, s, true)).toBe(want);
    });
  }
});

describe('globMatch: randomized against the recursive reference', () => {
  // A tiny deterministic PRNG so failures reproduce.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const PATTERN_CHARS = ['a', 'b', 'c', '*', '?', '[', ']', '^', '-', '\\', 'A', '\xe9'];
  const STRING_CHARS = ['a', 'b', 'c', ']', '-', '^', '\\', '*', 'A', '\xe9'];
  const pick = (chars: string[], len: number) => {
    let r = '';
    for (let i = 0; i < len; i++) r += chars[rand(chars.length)];
    return r;
  };

  test('50,000 random pattern/string pairs agree, case-sensitive and not', () => {
    const mismatches: string[] = [];
    for (let i = 0; i < 50000; i++) {
      const p = pick(PATTERN_CHARS, rand(9));
      const s = pick(STRING_CHARS, rand(7));
      const nocase = (i & 1) === 1;
      if (globMatch(p, s, nocase) !== reference(p, s, nocase)) mismatches.push(`${JSON.stringify(p)} ${JSON.stringify(s)} nocase=${nocase}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  test('a pathological pattern finishes quickly', () => {
    const t0 = performance.now();
    expect(globMatch(`${'a*'.repeat(2000)}b`, 'a'.repeat(5000))).toBe(false);
    expect(globMatch(`${'*a'.repeat(3000)}`, 'a'.repeat(3000))).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
