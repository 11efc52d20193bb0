/**
 * Generic key commands (Redis's db.c and expire.c): DEL EXISTS TYPE EXPIRE… SCAN KEYS.
 */

import type { Client, CommandSpec, ServerContext } from './types.ts';

/** DEL key [key ...] */
function delCommand(c: Client, argv: string[], s: ServerContext): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    if (c.db.get(argv[i]!, s.now) !== undefined && c.db.delete(argv[i]!)) n++;
  }
  s.out.int(n);
}

export const keyCommands = [
  { name: 'del', arity: -2, flags: ['write'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', since: '1.0.0',
    summary: 'Deletes one or more keys.', complexity: 'O(N) where N is the number of keys that will be removed.', handler: delCommand },
] as const satisfies readonly CommandSpec[];
