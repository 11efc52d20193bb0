/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], as Redis 7.0 parses and answers it.
 *
 * Contract
 * - The options are checked here (syntax errors, ABORT); the shutdown itself is the
 *   composition root's (src/server/shutdown.ts), reached through ServerContext.requestShutdown:
 *   it saves when asked or when save points are configured (unless NOSAVE), and either
 *   schedules the exit, or reports that it could not save, and the server stays up.
 * - On success the caller gets no reply: its connection closes as the server exits (Redis
 *   exits inside the command). On a failed save: `-ERR Errors trying to SHUTDOWN. Check logs.`
 * - NOW and FORCE are accepted; ringkv has no replicas to wait for (NOW) and FORCE makes a
 *   failed final save not stop the exit, as in Redis.
 * - ABORT cancels a shutdown that waits for replicas; ringkv never has one waiting, so it
 *   always answers Redis's "No shutdown in progress." error.
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, ERR_SYNTAX } from './util.ts';

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
function shutdownCommand(c: Client, argv: string[], s: ServerContext): void {
  let nosave = false;
  let save = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (eqi(a, 'nosave')) nosave = true;
    else if (eqi(a, 'save')) save = true;
    else if (eqi(a, 'now')) now = true;
    else if (eqi(a, 'force')) force = true;
    else if (eqi(a, 'abort')) abort = true;
    else {
      s.out.error(ERR_SYNTAX);
      return;
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    s.out.error(ERR_SYNTAX);
    return;
  }
  if (abort) {
    s.out.error('ERR No shutdown in progress.');
    return;
  }
  if (!s.requestShutdown({ save: nosave ? false : save ? true : null, now, force })) {
    s.out.error('ERR Errors trying to SHUTDOWN. Check logs.');
    return;
  }
  // Exiting: no reply, the connection closes with the server.
  c.closeAfterReply = true;
}

export const shutdownCommands = [
  { name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk and then shut down the server',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)', handler: shutdownCommand },
] as const satisfies readonly CommandSpec[];
