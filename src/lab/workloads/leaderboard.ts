/**
 * leaderboard: one game's sorted set `lb` of players `player:<n>`:
 *   40%  ZINCRBY lb <1..10> player:<n>          (a score update)
 *   30%  ZREVRANGE lb 0 9 WITHSCORES            (the top-10 page)
 *   30%  ZREVRANK lb player:<n>                 (a player's own rank)
 * Every request touches the one key, as a real leaderboard does: a hot key by design.
 * Preload: every player in `lb` with a seeded score in [0, 100000) (ZADD, 100 per command).
 */

import { bulks, head, keySlot } from '../loadgen/encoder.ts';
import { Rng } from '../loadgen/rng.ts';
import { single, type Workload } from './types.ts';

const PLAYER = keySlot('player:');
const LB = bulks('lb');
const ZINCRBY = head(4, 'ZINCRBY', 'lb');
const TOP10 = head(5, 'ZREVRANGE', 'lb', '0', '9', 'WITHSCORES');
const ZREVRANK = head(3, 'ZREVRANK', 'lb');
const ZADD_PER = 100;

export const leaderboard = {
  name: 'leaderboard',
  description: 'one sorted set: 40% ZINCRBY, 30% ZREVRANGE 0 9 WITHSCORES, 30% ZREVRANK',
  kinds: ['ZINCRBY', 'ZREVRANGE', 'ZREVRANK'],
  preload: {
    describe: 'the sorted set lb holding every player:<n> with a seeded score in [0, 100000) (ZADD, 100 per command)',
    keysPerWrite: ZADD_PER,
    write(enc, lo, hi) {
      const rng = new Rng(lo);
      enc.raw(head(2 + 2 * (hi - lo), 'ZADD'));
      enc.raw(LB);
      for (let k = lo; k < hi; k++) {
        enc.int(rng.int(100_000));
        enc.key(PLAYER, k);
      }
      return 1;
    },
  },
  defaults: { keyDist: 'zipf', keyspace: 100_000, valueSize: 0 },
  connection(ctx) {
    const incr = single(0);
    const top = single(1);
    const rank = single(2);
    return (enc) => {
      const r = ctx.rng.next();
      if (r < 0.4) {
        enc.raw(ZINCRBY);
        enc.int(1 + ctx.rng.int(10));
        enc.key(PLAYER, ctx.nextKey());
        return incr;
      }
      if (r < 0.7) {
        enc.raw(TOP10);
        return top;
      }
      enc.raw(ZREVRANK);
      enc.key(PLAYER, ctx.nextKey());
      return rank;
    };
  },
} as const satisfies Workload;
