/**
 * ratelimit: a fixed-window rate limiter, one counter per user per window:
 *   INCR rl:<window>:<user>  +  EXPIRE rl:<window>:<user> 60 NX
 * sent together in one write (2 replies, one request). This is the pipelined form, not
 * MULTI/EXEC: since Redis 7, EXPIRE's NX option sets the TTL only when the key has none, so
 * the window's first hit sets it and the others leave it alone; there is no read-modify-write
 * to protect, and a crash between the two commands leaves at worst a counter without TTL for
 * one window, which the next INCR + EXPIRE NX fixes. (Limiters that must run on Redis < 7 wrap
 * INCR + EXPIRE in MULTI/EXEC instead; this workload models a Redis 7 client.)
 * The window is the wall clock's current minute, so keys turn over as a real limiter's do.
 * No preload: counters appear with traffic.
 */

import { bulks, head, keySlot, type KeySlot } from '../loadgen/encoder.ts';
import { single, type Workload } from './types.ts';

const WINDOW_S = 60;
const INCR = head(2, 'INCR');
const EXPIRE = head(4, 'EXPIRE');
const EXPIRE_ARGS = bulks(String(WINDOW_S), 'NX');

export const ratelimit = {
  name: 'ratelimit',
  description: 'fixed-window rate limiter: INCR + EXPIRE 60 NX per user per minute, pipelined together',
  kinds: ['INCR+EXPIRE'],
  preload: null,
  defaults: { keyDist: 'zipf', keyspace: 100_000, valueSize: 0 },
  connection(ctx) {
    const req = single(0, 2);
    let window = -1;
    let slot: KeySlot = keySlot('rl:');
    return (enc) => {
      const w = Math.floor(Date.now() / (WINDOW_S * 1000));
      if (w !== window) {
        window = w;
        slot = keySlot(`rl:${w}:`);
      }
      const user = ctx.nextKey();
      enc.raw(INCR);
      enc.key(slot, user);
      enc.raw(EXPIRE);
      enc.key(slot, user);
      enc.raw(EXPIRE_ARGS);
      return req;
    };
  },
} as const satisfies Workload;
