/**
 * cache: a read-through cache in front of a database. 80% GET, 20% SET of the same keys,
 * hot keys chosen by zipf (s = 0.99 by default, YCSB's skew). Preload: every key present.
 */

import { head } from '../loadgen/encoder.ts';
import { KEY, stringsPreload } from './strings.ts';
import { single, type Workload } from './types.ts';

const GET = head(2, 'GET');
const SET = head(3, 'SET');
const READ_SHARE = 0.8;

export const cache = {
  name: 'cache',
  description: 'GET/SET 80/20 on zipf-chosen keys (a read-through cache)',
  kinds: ['GET', 'SET'],
  preload: stringsPreload,
  defaults: { keyDist: 'zipf', keyspace: 100_000, valueSize: 64 },
  connection(ctx) {
    const get = single(0);
    const set = single(1);
    return (enc) => {
      const k = ctx.nextKey();
      if (ctx.rng.next() < READ_SHARE) {
        enc.raw(GET);
        enc.key(KEY, k);
        return get;
      }
      enc.raw(SET);
      enc.key(KEY, k);
      enc.raw(ctx.valueBulk);
      return set;
    };
  },
} as const satisfies Workload;
