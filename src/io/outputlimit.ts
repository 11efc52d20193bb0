/**
 * client-output-buffer-limit for the front-ends: the live limits (following CONFIG SET) that
 * every connection of a server checks its pending output against.
 *
 * Where each I/O mode checks (the rule itself is OutputLimitState in src/config/outputlimits.ts):
 * - Main thread (io-threads 1, and the threaded front-end's main-thread clients): after every
 *   write to the socket — a batch's replies, a pub/sub message, a late reply — pending is the
 *   socket's writableLength (Node's buffer, corked bytes included).
 * - I/O threads: the worker checks its own sockets after each write of drained replies, with
 *   the client class the executor last told it (Rep.CLASS). The executor's per-worker Outbox
 *   is not per client and is drained by the worker whatever its sockets do, so a slow client's
 *   bytes pile up in its socket's buffer, where the worker sees them; no cross-thread round
 *   trip per write. The worker closes the socket and reports it (Req.LIMIT), the executor logs.
 */

import type { Config } from '../config/config.ts';
import { outputLimitsOf, type OutputLimits } from '../config/outputlimits.ts';

const live = new WeakMap<Config, OutputLimits>();

/** The limits of `config`, one object per Config, updated in place on CONFIG SET. */
export function liveOutputLimits(config: Config): OutputLimits {
  let limits = live.get(config);
  if (limits === undefined) {
    const l = outputLimitsOf(config.get('client-output-buffer-limit'));
    config.onChange((name, value) => {
      if (name === 'client-output-buffer-limit') Object.assign(l, outputLimitsOf(value));
    });
    live.set(config, (limits = l));
  }
  return limits;
}
