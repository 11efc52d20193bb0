/**
 * String commands (Redis's t_string.c): GET SET and their family.
 *
 * Values are latin1 byte strings stored directly in the database (see src/store/db.ts).
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';
import { getStringOrReply } from './util.ts';

/** GET key */
function getCommand(c: Client, argv: string[], s: ServerContext): void {
  const v = getStringOrReply(s, c.db, argv[1]!);
  if (v === null) return;
  s.out.bulkOrNull(v);
}

/** SET key value (options to come) */
function setCommand(c: Client, argv: string[], s: ServerContext): void {
  c.db.set(argv[1]!, argv[2]!);
  s.out.ok();
}

export const stringCommands = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Returns the string value of a key.', complexity: 'O(1)', handler: getCommand },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', since: '1.0.0',
    summary: 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.', complexity: 'O(1)', handler: setCommand },
] as const satisfies readonly CommandSpec[];
