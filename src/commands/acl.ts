/**
 * ACL, for the one user ringkv has: `default`, whose password is `requirepass` (nopass when it
 * is empty), allowed every command, key and channel. WHOAMI USERS LIST HELP.
 *
 * Contract
 * - Replies are Redis 7.0's for a server configured only with requirepass: ACL LIST prints the
 *   rule line Redis prints (`user default on nopass ~* &* +@all`, or `#<sha256 of the
 *   password>` in place of nopass).
 * - Users cannot be created or changed (no SETUSER, DELUSER, GETUSER, CAT, LOG, …): those are
 *   unknown subcommands here, answered with Redis's unknown-subcommand error by the executor.
 *   AUTH with a username (src/commands/connection.ts) accepts only `default`.
 */

import { createHash } from 'node:crypto';
import { replyHelp } from './server.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';

/** The rule line of the default user, as ACL LIST shows it. */
function defaultUserRule(s: ServerContext): string {
  const pass = s.config.get('requirepass');
  const auth = pass === '' ? 'nopass' : `#${createHash('sha256').update(Buffer.from(pass, 'latin1')).digest('hex')}`;
  return `user default on ${auth} ~* &* +@all`;
}

/** ACL WHOAMI */
function aclWhoamiCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.bulk('default');
}

/** ACL USERS */
function aclUsersCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.arrayLen(1);
  s.out.bulk('default');
}

/** ACL LIST */
function aclListCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.arrayLen(1);
  s.out.bulk(defaultUserRule(s));
}

const HELP = [
  'LIST',
  '    Show users details in config file format.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

/** ACL HELP */
function aclHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'acl', HELP);
}

const SUB = { firstKey: 0, lastKey: 0, step: 0, group: 'server' } as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

export const aclCommands = [
  { name: 'acl', arity: -2, flags: [], ...SUB, since: '6.0.0', summary: 'A container for Access List Control commands ',
    complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'help', arity: 2, flags: ['loading', 'stale'], ...SUB, since: '6.0.0', summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)', handler: aclHelpCommand },
      { name: 'list', arity: 2, flags: ADMIN_FLAGS, ...SUB, since: '6.0.0', summary: 'List the current ACL rules in ACL config file format',
        complexity: 'O(N). Where N is the number of configured users.', handler: aclListCommand },
      { name: 'users', arity: 2, flags: ADMIN_FLAGS, ...SUB, since: '6.0.0', summary: 'List the username of all the configured ACL rules',
        complexity: 'O(N). Where N is the number of configured users.', handler: aclUsersCommand },
      { name: 'whoami', arity: 2, flags: ['noscript', 'loading', 'stale'], ...SUB, since: '6.0.0',
        summary: 'Return the name of the user associated to the current connection', complexity: 'O(1)', handler: aclWhoamiCommand },
    ],
  },
] as const satisfies readonly CommandSpec[];
