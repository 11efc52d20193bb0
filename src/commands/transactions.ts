/**
 * Transaction commands: MULTI EXEC DISCARD WATCH UNWATCH.
 *
 * Contract
 * - The state machine and the watched-key registry are the executor's (src/engine/multi.ts),
 *   reached through `ServerContext.transactions`; these handlers check the state, answer the
 *   errors with Redis 7.0's texts and call it.
 * - Queuing is the executor's too: inside MULTI it answers +QUEUED for every command but EXEC,
 *   DISCARD, MULTI, WATCH, QUIT and RESET, so MULTI and WATCH run here only to refuse.
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';

/** MULTI */
function multiCommand(c: Client, _argv: string[], s: ServerContext): void {
  if (s.transactions.inMulti(c)) {
    s.out.error('ERR MULTI calls can not be nested');
    return;
  }
  s.transactions.begin(c);
  s.out.ok();
}

/** EXEC */
function execCommand(c: Client, _argv: string[], s: ServerContext): void {
  if (!s.transactions.inMulti(c)) {
    s.out.error('ERR EXEC without MULTI');
    return;
  }
  s.transactions.exec(c);
}

/** DISCARD */
function discardCommand(c: Client, _argv: string[], s: ServerContext): void {
  if (!s.transactions.inMulti(c)) {
    s.out.error('ERR DISCARD without MULTI');
    return;
  }
  s.transactions.discard(c);
  s.out.ok();
}

/** WATCH key [key ...] */
function watchCommand(c: Client, argv: string[], s: ServerContext): void {
  if (s.transactions.inMulti(c)) {
    s.out.error('ERR WATCH inside MULTI is not allowed');
    return;
  }
  s.transactions.watch(c, argv.slice(1));
  s.out.ok();
}

/** UNWATCH */
function unwatchCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.transactions.unwatch(c);
  s.out.ok();
}

const TX = { group: 'transactions', since: '1.2.0' } as const;
const NO_KEYS = { firstKey: 0, lastKey: 0, step: 0 } as const;

export const transactionCommands = [
  { name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], ...NO_KEYS, ...TX, since: '2.0.0',
    summary: 'Discard all commands issued after MULTI', complexity: 'O(N), when N is the number of queued commands',
    handler: discardCommand },
  { name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], ...NO_KEYS, ...TX,
    summary: 'Execute all commands issued after MULTI', complexity: 'Depends on commands in the transaction',
    handler: execCommand },
  { name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], ...NO_KEYS, ...TX,
    summary: 'Mark the start of a transaction block', complexity: 'O(1)', handler: multiCommand },
  { name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], ...NO_KEYS, ...TX, since: '2.2.0',
    summary: 'Forget about all watched keys', complexity: 'O(1)', handler: unwatchCommand },
  { name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], firstKey: 1, lastKey: -1, step: 1,
    ...TX, since: '2.2.0', summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    complexity: 'O(1) for every key.', handler: watchCommand },
] as const satisfies readonly CommandSpec[];
