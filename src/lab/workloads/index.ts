/**
 * The workload registry: every workload by name. One file per workload beside this one; see
 * types.ts for what a workload is.
 */

import { cache } from './cache.ts';
import { get } from './get.ts';
import { latest } from './latest.ts';
import { leaderboard } from './leaderboard.ts';
import { lock } from './lock.ts';
import { ping } from './ping.ts';
import { ratelimit } from './ratelimit.ts';
import { sessions } from './sessions.ts';
import { set } from './set.ts';
import type { Workload } from './types.ts';

export type { Workload } from './types.ts';

export const WORKLOADS: Readonly<Record<string, Workload>> = {
  cache, sessions, ratelimit, lock, leaderboard, latest, get, set, ping,
};

export function getWorkload(name: string): Workload {
  const w = WORKLOADS[name];
  if (w === undefined) throw new Error(`unknown workload '${name}' (known: ${Object.keys(WORKLOADS).join(', ')})`);
  return w;
}
