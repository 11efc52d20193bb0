/**
 * A generator thread's entry: one Shard (shard.ts) per thread. Talks to index.ts in three typed
 * messages: → {type: 'ready'} once every connection is up (or {type: 'error'}), ← {type: 'go',
 * at} with the common start as an absolute time (performance.timeOrigin + now(), since each
 * thread's now() has its own origin), → {type: 'done', result}.
 */

import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { getWorkload } from '../workloads/index.ts';
import { Shard, type ShardConfig, type ShardResult } from './shard.ts';

export type ToMain = { type: 'ready' } | { type: 'error'; message: string } | { type: 'done'; result: ShardResult };
export interface ToShard { type: 'go'; at: number }

const port = parentPort!;
const cfg = workerData as ShardConfig;
const send = (m: ToMain): void => port.postMessage(m);

try {
  const shard = new Shard(cfg, getWorkload(cfg.workload));
  await shard.connect();
  port.once('message', (m: ToShard) => {
    shard.run(m.at - performance.timeOrigin).then(
      (result) => send({ type: 'done', result }),
      (e: unknown) => send({ type: 'error', message: String(e) }),
    );
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
