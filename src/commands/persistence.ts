/**
 * RDB persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE.
 *
 * Contract
 * - The work is done by `s.persistence` (src/persistence/rdb, through the PersistenceControl
 *   interface of types.ts); this file parses arguments and writes Redis 7.0's replies:
 *   SAVE → +OK, or -ERR when the save failed (Redis answers a bare "ERR"), or "ERR Background
 *   save already in progress"; BGSAVE → "+Background saving started", "+Background saving
 *   scheduled" (SCHEDULE while another save-like job runs, or any BGSAVE run by EXEC), or an
 *   error; LASTSAVE → the Unix time of the last successful save.
 * - SAVE is no_multi (the executor refuses it inside MULTI, as Redis does).
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, ERR_SYNTAX } from './util.ts';

/** SAVE */
function saveCommand(_c: Client, _argv: string[], s: ServerContext): void {
  const err = s.persistence === null ? 'ERR' : s.persistence.save();
  if (err === null) s.out.ok();
  else s.out.error(err);
}

/** BGSAVE [SCHEDULE] */
function bgsaveCommand(c: Client, argv: string[], s: ServerContext): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && eqi(argv[1]!, 'schedule')) schedule = true;
    else return s.out.error(ERR_SYNTAX);
  }
  if (s.persistence === null) return s.out.error('ERR');
  const r = s.persistence.bgsave(schedule, s.transactions.inMulti(c));
  if ('ok' in r) s.out.simple(r.ok);
  else s.out.error(r.error);
}

/** LASTSAVE */
function lastsaveCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.int(s.persistence === null ? Math.floor(s.startedAt / 1000) : s.persistence.lastSave());
}

export const persistenceCommands = [
  { name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk',
    complexity: 'O(N) where N is the total number of keys in all databases', handler: saveCommand },
  { name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', since: '1.0.0', summary: 'Asynchronously save the dataset to disk', complexity: 'O(1)',
    handler: bgsaveCommand },
  { name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0, group: 'server',
    since: '1.0.0', summary: 'Get the UNIX time stamp of the last successful save to disk', complexity: 'O(1)',
    acl: ['admin', 'dangerous'], tips: ['nondeterministic_output'], handler: lastsaveCommand },
] as const satisfies readonly CommandSpec[];
