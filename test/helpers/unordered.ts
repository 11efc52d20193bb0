/**
 * A differential harness for replies whose order is unspecified: like diffSuite (each script
 * from FLUSHALL on a fresh connection, ringkv and redis-server compared), but the replies of
 * the commands named in `unordered` have their array elements sorted before the comparison.
 *
 * Why: Redis answers a hashtable-encoded set (SMEMBERS, SINTER, SSCAN…) in its hash order and
 * ringkv in insertion order. Both are "no particular order", so only the contents can be
 * compared. Intset-encoded sets answer in numeric order on both servers; keep those commands out
 * of `unordered` to compare their order byte for byte.
 *
 * Sorting applies to a top-level array or set of scalars (SMEMBERS, SRANDMEMBER with a count…)
 * and to the element list of a scan reply (`*2` of a cursor and an array). A script may start
 * with HELLO 3; HELLO's reply is masked where it carries the connection id.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runScript, type Script } from './diff.ts';
import { parseReplyTree as parse, sortedGroups as sorted, type ReplyNode as Node } from './resptree.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from './servers.ts';

/**
 * The reply with its elements sorted (see the file comment), `width` elements at a time (2 for
 * a flat list of member/score pairs, as ZSCAN answers); anything else unchanged.
 */
export function sortReply(reply: string, width = 1): string {
  if (reply === '') return reply;
  const [node] = parse(reply, 0);
  const kids = node.children;
  if (kids === null) return reply;
  const scalars = (k: Node[]) => k.every((c) => c.children === null);
  if (scalars(kids)) return `${node.head}\r\n${sorted(kids, width)}`;
  if (kids.length === 2 && kids[0]!.children === null && kids[1]!.children !== null && scalars(kids[1]!.children)) {
    const inner = kids[1]!;
    return `${node.head}\r\n${kids[0]!.text}${inner.head}\r\n${sorted(inner.children!, width)}`;
  }
  return reply;
}

/**
 * `unordered` names the commands whose replies are sorted; "ZSCAN:2" sorts member/score pairs.
 */
export function diffSuiteUnordered(name: string, unordered: readonly string[], scripts: Record<string, Script>): void {
  const sortThese = new Map<string, number>();
  for (const u of unordered) {
    const [cmd, width] = u.split(':');
    sortThese.set(cmd!.toLowerCase(), Number(width ?? 1));
  }
  describe.skipIf(!requireRedis())(`differential: ${name}`, () => {
    let ringkv: TestServer;
    let redis: TestServer;
    beforeAll(async () => {
      [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    });
    afterAll(async () => {
      await Promise.all([ringkv?.stop(), redis?.stop()]);
    });
    for (const [title, script] of Object.entries(scripts)) {
      test(title, async () => {
        const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
        const show = (replies: string[]) => script.map((argv, i) => {
          const cmd = String(argv[0]).toLowerCase();
          let r = replies[i]!;
          if (cmd === 'hello') r = r.replace(/(\$2\r\nid\r\n):\d+/, '$1:?');
          const width = sortThese.get(cmd);
          if (width !== undefined) r = sortReply(r, width);
          return `${argv.map(String).join(' ')} -> ${JSON.stringify(r)}`;
        });
        expect(show(mine)).toEqual(show(theirs));
      });
    }
  });
}
