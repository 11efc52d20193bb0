/**
 * Shared pieces of the string workloads (cache, get, set): the `key:<n>` keys and their preload.
 */

import { head, keySlot } from '../loadgen/encoder.ts';
import type { Preload } from './types.ts';

export const KEY = keySlot('key:');

const MSET_KEYS = 100;

/** MSET key:<n> <value> for every key, 100 keys per MSET. */
export const stringsPreload: Preload = {
  describe: 'every key:<n> set to a value of valueSize bytes (MSET, 100 keys per command)',
  keysPerWrite: MSET_KEYS,
  write(enc, lo, hi, ctx) {
    enc.raw(head(1 + 2 * (hi - lo), 'MSET'));
    for (let k = lo; k < hi; k++) {
      enc.key(KEY, k);
      enc.raw(ctx.valueBulk);
    }
    return 1;
  },
};
