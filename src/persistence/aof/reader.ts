/**
 * Reads the commands of an AOF file (a base in command form, or an incr file): RESP arrays of
 * bulk strings, one after another, as Redis's loadSingleAppendOnlyFile reads them.
 *
 * Contract
 * - `readCommands(buf, from, each)` calls `each(argv, end)` for every complete command from
 *   offset `from`, `end` being the offset just past it, and returns how the file ended:
 *   `ok`, `truncated` (the last command is incomplete: a torn tail) or `corrupt` (bytes that
 *   are not a command), with the offset where the problem starts.
 * - Lines starting with '#' between commands are annotations (Redis 7's timestamps) and are
 *   skipped.
 * - Arguments are latin1 byte strings, as everywhere in ringkv.
 *
 * Imports nothing of ours.
 */

export type ReadEnd =
  | { readonly kind: 'ok' }
  | { readonly kind: 'truncated'; readonly at: number }
  | { readonly kind: 'corrupt'; readonly at: number; readonly why: string };

const CR = 13;
const LF = 10;

/** The integer on the line starting at `p` (after its type byte): [value, next] or null if no CR LF yet. */
function lineInt(buf: Buffer, p: number): [number, number] | null | 'bad' {
  const cr = buf.indexOf(CR, p);
  if (cr < 0 || cr + 1 >= buf.length) return null;
  if (buf[cr + 1] !== LF) return 'bad';
  const text = buf.toString('latin1', p, cr);
  if (!/^-?\d+$/.test(text)) return 'bad';
  return [Number(text), cr + 2];
}

/** Reads commands from `buf[from…]`; see the contract. `each` may throw to stop the reading. */
export function readCommands(buf: Buffer, from: number, each: (argv: string[], end: number) => void): ReadEnd {
  let p = from;
  const n = buf.length;
  while (p < n) {
    const start = p;
    const t = buf[p]!;
    if (t === 0x23) {
      // '#' annotation: skipped to the end of its line.
      const lf = buf.indexOf(LF, p);
      if (lf < 0) return { kind: 'truncated', at: start };
      p = lf + 1;
      continue;
    }
    if (t !== 0x2a) return { kind: 'corrupt', at: start, why: `expected '*', got byte 0x${t.toString(16).padStart(2, '0')}` };
    const count = lineInt(buf, p + 1);
    if (count === null) return { kind: 'truncated', at: start };
    if (count === 'bad' || count[0] < 1) return { kind: 'corrupt', at: start, why: 'invalid array length' };
    p = count[1];
    const argv: string[] = new Array(count[0]);
    for (let i = 0; i < count[0]; i++) {
      if (p >= n) return { kind: 'truncated', at: start };
      if (buf[p] !== 0x24) return { kind: 'corrupt', at: p, why: `expected '$', got byte 0x${buf[p]!.toString(16).padStart(2, '0')}` };
      const len = lineInt(buf, p + 1);
      if (len === null) return { kind: 'truncated', at: start };
      if (len === 'bad' || len[0] < 0) return { kind: 'corrupt', at: p, why: 'invalid bulk length' };
      const s = len[1];
      const e = s + len[0];
      if (e + 2 > n) return { kind: 'truncated', at: start };
      if (buf[e] !== CR || buf[e + 1] !== LF) return { kind: 'corrupt', at: e, why: 'bulk string not followed by CR LF' };
      argv[i] = buf.toString('latin1', s, e);
      p = e + 2;
    }
    each(argv, p);
  }
  return { kind: 'ok' };
}
