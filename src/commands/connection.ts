/**
 * Connection commands: PING ECHO SELECT HELLO AUTH QUIT RESET.
 *
 * QUIT is answered by the executor itself (Redis handles it before command lookup, so it works
 * with any arguments and before AUTH); its entry here is for COMMAND and the docs.
 */

import { cstr } from '../protocol/preflight.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, parseInt64 } from './util.ts';

/** Redis version whose behaviour ringkv matches; HELLO and INFO report it for client compatibility. */
export const REDIS_COMPAT_VERSION = '7.0.15';

const ERR_AUTH_NOPASS =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
const ERR_WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** PING [message] */
function pingCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length > 2) {
    s.out.error("ERR wrong number of arguments for 'ping' command");
  } else if (c.resp === 2 && c.subCount + c.psubCount + c.ssubCount > 0) {
    // In RESP2 subscribed mode the reply has the shape of a message: ["pong", message or ""].
    s.out.arrayLen(2);
    s.out.bulk('pong');
    s.out.bulk(argv.length === 2 ? argv[1]! : '');
  } else if (argv.length === 1) {
    s.out.simple('PONG');
  } else {
    s.out.bulk(argv[1]!);
  }
}

/** ECHO message */
function echoCommand(_c: Client, argv: string[], s: ServerContext): void {
  s.out.bulk(argv[1]!);
}

/** SELECT index */
function selectCommand(c: Client, argv: string[], s: ServerContext): void {
  const n = parseInt64(argv[1]!);
  if (n === null || typeof n === 'bigint' || n < -2147483648 || n > 2147483647) {
    s.out.error('ERR value is not an integer or out of range');
    return;
  }
  const db = s.keyspace.dbs[n];
  if (n < 0 || db === undefined) {
    s.out.error('ERR DB index is out of range');
    return;
  }
  c.db = db;
  s.out.ok();
}

/**
 * Checks a username/password pair against the only user ringkv has, "default". With no
 * requirepass the default user has no password, and any password is accepted (as Redis's
 * "nopass").
 */
function checkPassword(s: ServerContext, user: string, pass: string): boolean {
  if (user !== 'default') return false;
  const required = s.config.get('requirepass');
  return required === '' || pass === required;
}

/** AUTH [username] password */
function authCommand(c: Client, argv: string[], s: ServerContext): void {
  if (argv.length > 3) {
    s.out.error('ERR syntax error');
    return;
  }
  if (argv.length === 2 && s.config.get('requirepass') === '') {
    s.out.error(ERR_AUTH_NOPASS);
    return;
  }
  const user = argv.length === 3 ? argv[1]! : 'default';
  const pass = argv[argv.length - 1]!;
  if (!checkPassword(s, user, pass)) {
    s.out.error(ERR_WRONGPASS);
    return;
  }
  c.authenticated = true;
  s.out.ok();
}

/** A valid client name: printable ASCII without spaces (Redis's clientSetName rule). */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

export const ERR_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function helloCommand(c: Client, argv: string[], s: ServerContext): void {
  const out = s.out;
  let ver = 0;
  let i = 1;
  if (argv.length >= 2) {
    const v = parseInt64(argv[i++]!);
    if (v === null) {
      out.error('ERR Protocol version is not an integer or out of range');
      return;
    }
    if (v < 2 || v > 3) {
      out.error('NOPROTO unsupported protocol version');
      return;
    }
    ver = Number(v);
  }
  let user: string | null = null;
  let pass: string | null = null;
  let name: string | null = null;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (eqi(opt, 'auth') && more >= 2) {
      user = argv[i + 1]!;
      pass = argv[i + 2]!;
      i += 2;
    } else if (eqi(opt, 'setname') && more >= 1) {
      name = argv[i + 1]!;
      i++;
    } else {
      out.error(`ERR Syntax error in HELLO option '${cstr(opt)}'`);
      return;
    }
  }
  if (user !== null && pass !== null) {
    if (!checkPassword(s, user, pass)) {
      out.error(ERR_WRONGPASS);
      return;
    }
    c.authenticated = true;
  }
  if (s.authRequired(c)) {
    out.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (name !== null) {
    if (!validClientName(name)) {
      out.error(ERR_CLIENT_NAME);
      return;
    }
    c.name = name;
  }
  if (ver !== 0) {
    c.resp = ver as 2 | 3;
    out.resp = c.resp;
  }
  out.mapLen(7);
  out.bulk('server');
  out.bulk('redis');
  out.bulk('version');
  out.bulk(REDIS_COMPAT_VERSION);
  out.bulk('proto');
  out.int(c.resp);
  out.bulk('id');
  out.int(c.id);
  out.bulk('mode');
  out.bulk('standalone');
  out.bulk('role');
  out.bulk('master');
  out.bulk('modules');
  out.arrayLen(0);
}

function quitCommand(c: Client, _argv: string[], s: ServerContext): void {
  c.closeAfterReply = true;
  s.out.ok();
}

/**
 * RESET: back to a new connection's state. Leaves MULTI and unwatches, drops every
 * subscription without confirmations, selects database 0, speaks RESP2, forgets the name, and
 * is unauthenticated again when a password is required.
 */
function resetCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.transactions.discard(c);
  for (const kind of ['channel', 'shard', 'pattern'] as const) {
    for (const name of s.pubsub.subscriptions(c, kind)) s.pubsub.unsubscribe(c, kind, name);
  }
  c.db = s.keyspace.dbs[0]!;
  c.resp = 2;
  s.out.resp = 2;
  c.name = '';
  c.authenticated = s.config.get('requirepass') === '';
  s.out.simple('RESET');
}

export const connectionCommands = [
  { name: 'ping', arity: -1, flags: ['fast', 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', since: '1.0.0',
    summary: 'Returns the server\'s liveliness response.', complexity: 'O(1)', handler: pingCommand },
  { name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', since: '1.0.0',
    summary: 'Returns the given string.', complexity: 'O(1)', handler: echoCommand },
  { name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', since: '1.0.0',
    summary: 'Changes the selected database.', complexity: 'O(1)', handler: selectCommand },
  { name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', since: '1.0.0', summary: 'Authenticates the connection.', complexity: 'O(N) where N is the number of passwords defined for the user', handler: authCommand },
  { name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', since: '6.0.0', summary: 'Handshakes with the Redis server.', complexity: 'O(1)', handler: helloCommand },
  { name: 'quit', arity: -1, flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', since: '1.0.0', summary: 'Closes the connection.', complexity: 'O(1)', handler: quitCommand },
  { name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', since: '6.2.0', summary: 'Reset the connection', complexity: 'O(1)', handler: resetCommand },
] as const satisfies readonly CommandSpec[];
