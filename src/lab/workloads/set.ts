/**
 * set: SET only, for calibration against `redis-benchmark -t set`. No preload.
 */

import { head } from '../loadgen/encoder.ts';
import { KEY } from './strings.ts';
import { single, type Workload } from './types.ts';

const SET = head(3, 'SET');

export const set = {
  name: 'set',
  description: 'SET only (calibration against redis-benchmark -t set)',
  kinds: ['SET'],
  preload: null,
  defaults: { keyDist: 'uniform', keyspace: 100_000, valueSize: 64 },
  connection(ctx) {
    const req = single(0);
    return (enc) => {
      enc.raw(SET);
      enc.key(KEY, ctx.nextKey());
      enc.raw(ctx.valueBulk);
      return req;
    };
  },
} as const satisfies Workload;
