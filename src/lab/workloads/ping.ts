/**
 * ping: PING only: the round trip with no keyspace work, the floor of every other workload.
 */

import { command } from '../loadgen/encoder.ts';
import { single, type Workload } from './types.ts';

const PING = command('PING');

export const ping = {
  name: 'ping',
  description: 'PING only (the round trip with no keyspace work)',
  kinds: ['PING'],
  preload: null,
  defaults: { keyDist: 'uniform', keyspace: 1, valueSize: 0 },
  connection() {
    const req = single(0);
    return (enc) => {
      enc.raw(PING);
      return req;
    };
  },
} as const satisfies Workload;
