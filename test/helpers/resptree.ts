/**
 * A RESP2/RESP3 reply as a tree of its raw texts, for comparing replies whose element order is
 * not defined (SMEMBERS, HGETALL, KEYS…): the differential suites and the differential fuzzer.
 * No vitest here, so scripts can import it.
 */

/** One parsed RESP value: its whole text, and its children for aggregates. */
export interface ReplyNode {
  readonly head: string;
  readonly text: string;
  readonly children: ReplyNode[] | null;
}

/** Parses one RESP2/RESP3 value at `pos`; returns it and the position after it. */
export function parseReplyTree(r: string, pos: number): [ReplyNode, number] {
  const eol = r.indexOf('\r\n', pos);
  const head = r.slice(pos, eol);
  const t = head[0];
  let at = eol + 2;
  if (t === '$' || t === '=' || t === '!') {
    const n = Number(head.slice(1));
    if (n >= 0) at += n + 2;
    return [{ head, text: r.slice(pos, at), children: null }, at];
  }
  if (t === '*' || t === '~' || t === '%' || t === '>' || t === '|') {
    let n = Number(head.slice(1));
    if (n < 0) return [{ head, text: r.slice(pos, at), children: null }, at];
    if (t === '%' || t === '|') n *= 2;
    const children: ReplyNode[] = [];
    for (let i = 0; i < n; i++) {
      const [child, next] = parseReplyTree(r, at);
      children.push(child);
      at = next;
    }
    return [{ head, text: r.slice(pos, at), children }, at];
  }
  return [{ head, text: r.slice(pos, at), children: null }, at];
}

/** Elements in groups of `width` (1, or 2 for member/score pairs), sorted by their text. */
export function sortedGroups(kids: ReplyNode[], width: number): string {
  const groups: string[] = [];
  for (let i = 0; i < kids.length; i += width) groups.push(kids.slice(i, i + width).map((c) => c.text).join(''));
  return groups.sort().join('');
}
