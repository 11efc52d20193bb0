/**
 * get: GET only, for calibration against `redis-benchmark -t get` (same key names and lengths
 * as its `key:__rand_int__` with -r). Preload: every key present, so every GET hits.
 */

import { head } from '../loadgen/encoder.ts';
import { KEY, stringsPreload } from './strings.ts';
import { single, type Workload } from './types.ts';

const GET = head(2, 'GET');

export const get = {
  name: 'get',
  description: 'GET only (calibration against redis-benchmark -t get)',
  kinds: ['GET'],
  preload: stringsPreload,
  defaults: { keyDist: 'uniform', keyspace: 100_000, valueSize: 64 },
  connection(ctx) {
    const req = single(0);
    return (enc) => {
      enc.raw(GET);
      enc.key(KEY, ctx.nextKey());
      return req;
    };
  },
} as const satisfies Workload;
