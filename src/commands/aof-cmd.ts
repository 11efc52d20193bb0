/**
 * BGREWRITEAOF: starts a background rewrite of the append-only file (src/persistence/aof does
 * the work, reached through ServerContext.aof).
 *
 * Contract
 * - Replies exactly as Redis 7.0: "Background append only file rewriting started", or
 *   "Background append only file rewriting scheduled" when it must wait, or Redis's error when
 *   one is already running.
 * - With no AOF machinery wired (a server built without persistence) it answers an error
 *   rather than pretending.
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';

/** BGREWRITEAOF */
function bgrewriteaofCommand(_c: Client, _argv: string[], s: ServerContext): void {
  if (s.aof === null) {
    s.out.error('ERR Background append only file rewriting is not available');
    return;
  }
  const r = s.aof.bgrewriteaof();
  if ('ok' in r) s.out.simple(r.ok);
  else s.out.error(r.error);
}

export const aofCommands = [
  { name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', since: '1.0.0', summary: 'Asynchronously rewrite the append-only file', complexity: 'O(1)',
    handler: bgrewriteaofCommand },
] as const satisfies readonly CommandSpec[];
