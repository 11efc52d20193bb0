/**
 * latest: "latest visitors" lists, one per page `latest:<n>`, capped at 10 entries:
 *   50%  LPUSH latest:<n> visitor:<m>  +  LTRIM latest:<n> 0 9   (a visit: one write, 2 replies)
 *   50%  LRANGE latest:<n> 0 9                                   (show the list)
 * Pages are chosen by the key distribution, visitors uniformly among keyspace ids.
 * Preload: every page's list holding 10 visitors (RPUSH per key).
 */

import { bulks, head, keySlot } from '../loadgen/encoder.ts';
import { single, type Workload } from './types.ts';

const PAGE = keySlot('latest:');
const VISITOR = keySlot('visitor:');
const LPUSH = head(3, 'LPUSH');
const LTRIM = head(4, 'LTRIM');
const LRANGE = head(4, 'LRANGE');
const RANGE = bulks('0', '9');
const RPUSH10 = head(12, 'RPUSH');

export const latest = {
  name: 'latest',
  description: 'capped lists: 50% LPUSH + LTRIM 0 9 (pipelined), 50% LRANGE 0 9',
  kinds: ['LPUSH+LTRIM', 'LRANGE'],
  preload: {
    describe: 'every latest:<n> a list of 10 visitor ids (RPUSH per key)',
    keysPerWrite: 20,
    write(enc, lo, hi, ctx) {
      for (let k = lo; k < hi; k++) {
        enc.raw(RPUSH10);
        enc.key(PAGE, k);
        for (let i = 0; i < 10; i++) enc.key(VISITOR, (k * 10 + i) % ctx.keyspace);
      }
      return hi - lo;
    },
  },
  defaults: { keyDist: 'zipf', keyspace: 100_000, valueSize: 0 },
  connection(ctx) {
    const visit = single(0, 2);
    const view = single(1);
    return (enc) => {
      const page = ctx.nextKey();
      if (ctx.rng.next() < 0.5) {
        enc.raw(LPUSH);
        enc.key(PAGE, page);
        enc.key(VISITOR, ctx.rng.int(ctx.keyspace));
        enc.raw(LTRIM);
        enc.key(PAGE, page);
        enc.raw(RANGE);
        return visit;
      }
      enc.raw(LRANGE);
      enc.key(PAGE, page);
      enc.raw(RANGE);
      return view;
    };
  },
} as const satisfies Workload;
