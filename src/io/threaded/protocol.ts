/**
 * The messages (postMessage, not rings) between the main thread and an I/O worker, and the
 * layout of the worker's statistics block. Rings carry the traffic; these carry set-up: the
 * sockets themselves (a net.Socket is transferred, which only postMessage can do), limit
 * changes, and the test hook that crashes a worker.
 */

import type net from 'node:net';
import type { OutputLimits } from '../../config/outputlimits.ts';

/** What a worker is started with (workerData). */
export interface WorkerInit {
  index: number;
  requestRing: SharedArrayBuffer;
  replyRing: SharedArrayBuffer;
  /** The executor's bell (rung by every worker) and this worker's own. */
  mainBell: SharedArrayBuffer;
  workerBell: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  /** [name, arity, subcommands as [name, arity][] or null], for preflight. */
  shapes: Array<[string, number, Array<[string, number]> | null]>;
  maxBulkLen: number;
  queryBufferLimit: number;
  /** client-output-buffer-limit, enforced by the worker on its own sockets. */
  outputLimits: OutputLimits;
  /** Poll the reply ring this long before sleeping (0: no core to spare; see frontend.ts). */
  spinMs: number;
}

export type ToWorker =
  | { type: 'socket'; socket: net.Socket; clientId: number; authRequired: boolean }
  | { type: 'limits'; maxBulkLen: number; queryBufferLimit: number; outputLimits: OutputLimits }
  | { type: 'crash' };

/**
 * The worker's statistics: a Float64Array over a SharedArrayBuffer, written only by the worker
 * (plain stores: a stale read costs INFO nothing), read by the main thread for INFO.
 *
 *   word  0  clients         sockets it owns now
 *   word  1  commands        commands sent to the executor
 *   word  2  bytesIn         bytes read from sockets
 *   word  3  bytesOut        bytes written to sockets
 *   word  4  reads           socket reads (io_threaded_reads_processed)
 *   word  5  writes          socket writes (io_threaded_writes_processed)
 *   word  6  wakeups         times it was woken from sleep by the executor's bell
 *   word  7  fullPauses      times the request ring was full and reading paused
 *   word  8  localErrors     errors answered without the executor (unknown command, arity, protocol)
 */
export const W = {
  clients: 0,
  commands: 1,
  bytesIn: 2,
  bytesOut: 3,
  reads: 4,
  writes: 5,
  wakeups: 6,
  fullPauses: 7,
  localErrors: 8,
} as const;
export const W_WORDS = 16;
