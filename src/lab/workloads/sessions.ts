/**
 * sessions: a web session store. Each session is a hash `sess:<n>` (user, created, last seen,
 * data of valueSize bytes) with a TTL. Read-mostly, as a session middleware is:
 *   70%  HGETALL sess:<n>                       (load the session on a request)
 *   20%  HGET sess:<n> user                     (an auth check)
 *   10%  HSET sess:<n> last <ms> data <value>   (save it; one write with
 *        + EXPIRE sess:<n> 1800                  the sliding expiry: 2 replies)
 * Preload: every session present with its 4 fields and a 1800 s TTL (HSET + EXPIRE per key).
 */

import { bulks, head, keySlot } from '../loadgen/encoder.ts';
import { single, type Preload, type Workload } from './types.ts';

const SESS = keySlot('sess:');
const TTL = '1800';
const HGETALL = head(2, 'HGETALL');
const HGET = head(3, 'HGET');
const USER = bulks('user');
const HSET = head(6, 'HSET');
const LAST = bulks('last');
const DATA = bulks('data');
const EXPIRE = head(3, 'EXPIRE');
const TTL_ARG = bulks(TTL);

const preload: Preload = {
  describe: 'every sess:<n> a hash {user, created, last, data (valueSize bytes)} with a 1800 s TTL (HSET + EXPIRE)',
  keysPerWrite: 50,
  write(enc, lo, hi, ctx) {
    const now = String(Date.now());
    for (let k = lo; k < hi; k++) {
      enc.raw(head(10, 'HSET'));
      enc.key(SESS, k);
      enc.raw(bulks('user', `user${k}`, 'created', now, 'last', now, 'data'));
      enc.raw(ctx.valueBulk);
      enc.raw(EXPIRE);
      enc.key(SESS, k);
      enc.raw(TTL_ARG);
    }
    return 2 * (hi - lo);
  },
};

export const sessions = {
  name: 'sessions',
  description: 'session store: hashes with a TTL, 70% HGETALL, 20% HGET, 10% HSET + EXPIRE',
  kinds: ['HGETALL', 'HGET', 'HSET+EXPIRE'],
  preload,
  defaults: { keyDist: 'zipf', keyspace: 100_000, valueSize: 64 },
  connection(ctx) {
    const getall = single(0);
    const hget = single(1);
    const save = single(2, 2);
    return (enc) => {
      const k = ctx.nextKey();
      const r = ctx.rng.next();
      if (r < 0.7) {
        enc.raw(HGETALL);
        enc.key(SESS, k);
        return getall;
      }
      if (r < 0.9) {
        enc.raw(HGET);
        enc.key(SESS, k);
        enc.raw(USER);
        return hget;
      }
      enc.raw(HSET);
      enc.key(SESS, k);
      enc.raw(LAST);
      enc.int(Date.now());
      enc.raw(DATA);
      enc.raw(ctx.valueBulk);
      enc.raw(EXPIRE);
      enc.key(SESS, k);
      enc.raw(TTL_ARG);
      return save;
    };
  },
} as const satisfies Workload;
