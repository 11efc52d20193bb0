/**
 * diffSuite for RESP3: each script runs after HELLO 3 on both servers, and is compared byte for
 * byte like diffSuite's, except for HELLO's own reply, whose `id` field is the connection's
 * client id (the two servers number their connections differently) and is masked.
 *
 * Usage: diffSuiteResp3('lists', { 'LPOP nulls': [['LPOP', 'nokey'], ...] });
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runScript, type Script } from './diff.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from './servers.ts';

export function diffSuiteResp3(name: string, scripts: Record<string, Script>): void {
  describe.skipIf(!requireRedis())(`differential: ${name} in RESP3`, () => {
    let ringkv: TestServer;
    let redis: TestServer;
    beforeAll(async () => {
      [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
    });
    afterAll(async () => {
      await Promise.all([ringkv?.stop(), redis?.stop()]);
    });
    for (const [title, body] of Object.entries(scripts)) {
      test(title, async () => {
        const script: Script = [['HELLO', '3'], ...body];
        const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
        const mask = (r: string[]) => [r[0]!.replace(/(\$2\r\nid\r\n):\d+/, '$1:?'), ...r.slice(1)];
        expect(mask(mine)[0]).toMatch(/^%7\r\n/);
        const show = (replies: string[]) => script.map((argv, i) => `${argv.map(String).join(' ')} -> ${JSON.stringify(replies[i])}`);
        expect(show(mask(mine))).toEqual(show(mask(theirs)));
      });
    }
  });
}
