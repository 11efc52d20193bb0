/**
 * DEBUG: the few subcommands ringkv has, gated like Redis 7 by `enable-debug-command`
 * (no | yes | local; default no).
 *
 *   DEBUG SLEEP <seconds>          blocks the executor (head-of-line blocking experiments)
 *   DEBUG IO-THREAD-CRASH <n>      ringkv: makes I/O thread n (1-based) crash, to exercise
 *                                  the threaded front-end's recovery; an error in io-threads 1
 *   DEBUG THROW                    ringkv: throws inside the handler, to exercise the
 *                                  executor's guard (an error reply, the server lives on)
 *   DEBUG HELP
 *
 * Front-end specific actions arrive as ServerContext.debugActions(), registered by the front-end,
 * so this file knows no front-end.
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';
import { parseFloatArg } from './util.ts';

const ERR_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

function isLocal(addr: string): boolean {
  return addr.startsWith('127.') || addr.startsWith('[::1]') || addr.startsWith('[::ffff:127.');
}

const HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'IO-THREAD-CRASH <n>',
  '    (ringkv) Make I/O thread <n> crash; its clients are disconnected and the thread replaced.',
  'THROW',
  '    (ringkv) Throw inside this command, as a bug would; the executor answers an error.',
  'HELP',
  '    Print this help.',
];

/** Blocks this thread for `ms` without spinning. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** DEBUG subcommand [args] */
function debugCommand(c: Client, argv: string[], s: ServerContext): void {
  const mode = s.config.get('enable-debug-command');
  if (mode === 'no' || (mode === 'local' && !isLocal(c.addr))) {
    s.out.error(ERR_NOT_ALLOWED);
    return;
  }
  const sub = argv[1]!.toLowerCase();
  if (sub === 'help' && argv.length === 2) {
    s.out.arrayLen(HELP.length);
    for (const line of HELP) s.out.simple(line);
  } else if (sub === 'throw' && argv.length === 2) {
    throw new Error('DEBUG THROW');
  } else if (sub === 'sleep' && argv.length === 3) {
    const secs = parseFloatArg(argv[2]!);
    if (secs === null || !Number.isFinite(secs)) {
      s.out.error('ERR value is not a valid float');
      return;
    }
    if (secs > 0) sleepSync(secs * 1000);
    s.out.ok();
  } else {
    const action = s.debugActions().get(sub);
    if (action === undefined) {
      s.out.error(`ERR unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
      return;
    }
    const err = action(argv.slice(2));
    if (err === null) s.out.ok();
    else s.out.error(err);
  }
}

export const debugCommands = [
  { name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '1.0.0',
    summary: 'A container for debugging commands.', complexity: 'Depends on subcommand.', handler: debugCommand },
] as const satisfies readonly CommandSpec[];
