/**
 * CLIENT and the subcommands ringkv implements: ID SETNAME GETNAME INFO LIST KILL UNBLOCK HELP.
 * Unknown subcommands are answered by the executor ("unknown subcommand … Try CLIENT HELP.").
 *
 * Contract
 * - CLIENT LIST / CLIENT INFO lines carry Redis 7.0.15's fields in Redis's order. Fields ringkv
 *   knows (id, addresses, fd, name, age, idle, flags P x b d, db, sub, psub, ssub, multi,
 *   multi-mem, buffers, last command, RESP version) are real; the rest are the values an
 *   ordinary Redis client shows (user=default, redir=-1), and the memory fields are estimates
 *   from our buffer sizes.
 * - CLIENT KILL of the calling client replies first and then closes (ServerContext.kill).
 * - A client with subscriptions is of type "pubsub" (Redis's CLIENT_PUBSUB flag, in RESP2 and
 *   RESP3 alike); every other client is "normal": ringkv has no replicas.
 */

import { cstr } from '../protocol/preflight.ts';
import { ERR_CLIENT_NAME, validClientName } from './connection.ts';
import { replyHelp } from './server.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, ERR_NOT_INT, ERR_SYNTAX, parseInt64 } from './util.ts';

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** Redis's getClientTypeByName ("slave" is the old name of "replica"). */
function clientTypeByName(name: string): ClientType | null {
  const l = name.toLowerCase();
  if (l === 'normal' || l === 'master' || l === 'replica' || l === 'pubsub') return l;
  if (l === 'slave') return 'replica';
  return null;
}

function clientType(c: Client): ClientType {
  return c.subCount + c.psubCount + c.ssubCount > 0 ? 'pubsub' : 'normal';
}

/** The flags field: P subscribed, x in MULTI, b blocked, d a WATCHed key was touched; N for none. */
function clientFlags(c: Client): string {
  let f = '';
  if (c.subCount + c.psubCount + c.ssubCount > 0) f += 'P';
  if (c.multiCount >= 0) f += 'x';
  if (c.blocked) f += 'b';
  if (c.dirtyCas) f += 'd';
  return f === '' ? 'N' : f;
}

/** The reply buffer every Redis client has (PROTO_REPLY_CHUNK_BYTES), counted in tot-mem. */
const REPLY_BUFFER = 16 * 1024;
/** Redis's initial read buffer (PROTO_IOBUF_LEN), reported as rbs. */
const READ_BUFFER = 16 * 1024;

/**
 * One CLIENT LIST line (no newline), Redis's catClientInfoString. `self` is the calling client,
 * running `cmd` with `argv`: Redis shows that command for itself, and its arguments' size.
 */
export function clientInfoLine(c: Client, s: ServerContext, self: Client, cmd: string, argv: readonly string[]): string {
  const now = s.now;
  const qbuf = c.queryBufferLength();
  const omem = c.outputBufferLength();
  const isSelf = c === self;
  let argvMem = 0;
  if (isSelf) for (const a of argv) argvMem += a.length;
  // The caller runs a command while in MULTI only inside EXEC: Redis then shows EXEC's name
  // and argument size (EXEC takes no arguments: "EXEC" is 4 bytes).
  if (isSelf && c.multiCount >= 0) {
    cmd = 'exec';
    argvMem = 4;
  }
  const multiMem = c.multiMem;
  const qbufFree = qbuf > 0 ? Math.max(0, READ_BUFFER * 2 - qbuf) : 0;
  const totMem = qbuf + qbufFree + argvMem + multiMem + REPLY_BUFFER + omem;
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${Math.max(0, Math.floor((now - c.createdAt) / 1000))}` +
    ` idle=${Math.max(0, Math.floor((now - c.lastInteraction) / 1000))}` +
    ` flags=${clientFlags(c)} db=${c.db.index} sub=${c.subCount} psub=${c.psubCount} ssub=${c.ssubCount}` +
    ` multi=${c.multiCount} qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=${READ_BUFFER} rbp=${Math.max(qbuf, isSelf ? READ_BUFFER : 0)}` +
    ` obl=0 oll=0 omem=${omem} tot-mem=${totMem} events=${omem > 0 ? 'rw' : 'r'}` +
    ` cmd=${isSelf ? cmd : c.lastCommand} user=default redir=-1 resp=${c.resp}`;
}

/** CLIENT ID */
function clientIdCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.out.int(c.id);
}

/** CLIENT SETNAME connection-name (an empty name clears it) */
function clientSetnameCommand(c: Client, argv: string[], s: ServerContext): void {
  const name = argv[2]!;
  if (!validClientName(name)) {
    s.out.error(ERR_CLIENT_NAME);
    return;
  }
  c.name = name;
  s.out.ok();
}

/** CLIENT GETNAME */
function clientGetnameCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.out.bulkOrNull(c.name === '' ? null : c.name);
}

/** CLIENT INFO */
function clientInfoCommand(c: Client, argv: string[], s: ServerContext): void {
  s.out.verbatim(`${clientInfoLine(c, s, c, 'client|info', argv)}\n`);
}

/** CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]] */
function clientListCommand(c: Client, argv: string[], s: ServerContext): void {
  let chosen: Client[];
  if (argv.length === 2) {
    chosen = [...s.clients()];
  } else if (argv.length === 4 && eqi(argv[2]!, 'type')) {
    const type = clientTypeByName(argv[3]!);
    if (type === null) {
      s.out.error(`ERR Unknown client type '${cstr(argv[3]!)}'`);
      return;
    }
    chosen = [...s.clients()].filter((x) => clientType(x) === type);
  } else if (argv.length > 3 && eqi(argv[2]!, 'id')) {
    chosen = [];
    const ids: number[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInt64(argv[i]!);
      if (id === null) {
        s.out.error('ERR Invalid client ID');
        return;
      }
      // Ids beyond 2^53 are valid int64s that name no client.
      if (typeof id === 'number') ids.push(id);
    }
    for (const id of ids) {
      const x = s.clientById(id);
      if (x !== undefined) chosen.push(x);
    }
  } else {
    s.out.error(ERR_SYNTAX);
    return;
  }
  let text = '';
  for (const x of chosen) text += `${clientInfoLine(x, s, c, 'client|list', argv)}\n`;
  s.out.verbatim(text);
}

/** The filters of CLIENT KILL's new form; undefined means "any". */
interface KillFilter {
  id?: number;
  type?: ClientType;
  addr?: string;
  laddr?: string;
  user?: string;
  skipMe: boolean;
}

/**
 * CLIENT KILL ip:port
 * CLIENT KILL [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username]
 *             [ADDR ip:port] [LADDR ip:port] [SKIPME YES|NO] ...
 *
 * The old form answers OK or "No such client" and may kill the caller; the new form answers
 * the number of clients killed and skips the caller unless SKIPME NO.
 */
function clientKillCommand(c: Client, argv: string[], s: ServerContext): void {
  const filter: KillFilter = { skipMe: true };
  const oldForm = argv.length === 3;
  if (oldForm) {
    filter.addr = argv[2]!;
    filter.skipMe = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i]!;
      if (i + 1 >= argv.length) {
        s.out.error(ERR_SYNTAX);
        return;
      }
      const val = argv[i + 1]!;
      if (eqi(opt, 'id')) {
        const id = parseInt64(val);
        if (id === null || id < 1) {
          s.out.error('ERR client-id should be greater than 0');
          return;
        }
        filter.id = Number(id);
      } else if (eqi(opt, 'type')) {
        const type = clientTypeByName(val);
        if (type === null) {
          s.out.error(`ERR Unknown client type '${cstr(val)}'`);
          return;
        }
        filter.type = type;
      } else if (eqi(opt, 'addr')) {
        filter.addr = val;
      } else if (eqi(opt, 'laddr')) {
        filter.laddr = val;
      } else if (eqi(opt, 'user')) {
        // "default" is the only user ringkv has.
        if (val !== 'default') {
          s.out.error(`ERR No such user '${cstr(val)}'`);
          return;
        }
        filter.user = val;
      } else if (eqi(opt, 'skipme')) {
        if (eqi(val, 'yes')) filter.skipMe = true;
        else if (eqi(val, 'no')) filter.skipMe = false;
        else {
          s.out.error(ERR_SYNTAX);
          return;
        }
      } else {
        s.out.error(ERR_SYNTAX);
        return;
      }
    }
  }
  const victims: Client[] = [];
  for (const x of s.clients()) {
    if (filter.addr !== undefined && x.addr !== filter.addr) continue;
    if (filter.laddr !== undefined && x.laddr !== filter.laddr) continue;
    if (filter.type !== undefined && clientType(x) !== filter.type) continue;
    if (filter.id !== undefined && x.id !== filter.id) continue;
    if (filter.skipMe && x === c) continue;
    victims.push(x);
  }
  for (const x of victims) s.kill(x);
  if (oldForm) {
    if (victims.length === 0) s.out.error('ERR No such client');
    else s.out.ok();
  } else {
    s.out.int(victims.length);
  }
}

/**
 * CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
 *
 * Ends a blocked client's wait now: it is answered as on a timeout (a null array), or with
 * "-UNBLOCKED client unblocked via CLIENT UNBLOCK". 1 if that client was blocked, else 0. As in
 * Redis, the reason is checked before the id, and a fifth argument is a subcommand syntax error.
 */
function clientUnblockCommand(_c: Client, argv: string[], s: ServerContext): void {
  if (argv.length > 4) {
    s.out.error(`ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1]!)}'. Try CLIENT HELP.`);
    return;
  }
  let error = false;
  if (argv.length === 4) {
    if (eqi(argv[3]!, 'error')) error = true;
    else if (!eqi(argv[3]!, 'timeout')) {
      s.out.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = parseInt64(argv[2]!);
  if (id === null) {
    s.out.error(ERR_NOT_INT);
    return;
  }
  s.out.int(typeof id === 'number' && s.blocking.unblock(id, error) ? 1 : 0);
}

const HELP = [
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
];

/** CLIENT HELP */
function clientHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'client', HELP);
}

const SUB = { firstKey: 0, lastKey: 0, step: 0, group: 'connection' } as const;
const USER_FLAGS = ['noscript', 'loading', 'stale'] as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

export const clientCommands = [
  { name: 'client', arity: -2, flags: [], ...SUB, since: '2.4.0', summary: 'A container for client connection commands',
    complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'getname', arity: 2, flags: USER_FLAGS, ...SUB, since: '2.6.9', summary: 'Get the current connection name',
        complexity: 'O(1)', handler: clientGetnameCommand },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], ...SUB, since: '5.0.0',
        summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', handler: clientHelpCommand },
      { name: 'id', arity: 2, flags: USER_FLAGS, ...SUB, since: '5.0.0', summary: 'Returns the client ID for the current connection',
        complexity: 'O(1)', handler: clientIdCommand },
      { name: 'info', arity: 2, flags: USER_FLAGS, ...SUB, since: '6.2.0',
        summary: 'Returns information about the current client connection.', complexity: 'O(1)',
        tips: ['nondeterministic_output'], handler: clientInfoCommand },
      { name: 'kill', arity: -3, flags: ADMIN_FLAGS, ...SUB, since: '2.4.0', summary: 'Kill the connection of a client',
        complexity: 'O(N) where N is the number of client connections', handler: clientKillCommand },
      { name: 'list', arity: -2, flags: ADMIN_FLAGS, ...SUB, since: '2.4.0', summary: 'Get the list of client connections',
        complexity: 'O(N) where N is the number of client connections', tips: ['nondeterministic_output'],
        handler: clientListCommand },
      { name: 'setname', arity: 3, flags: USER_FLAGS, ...SUB, since: '2.6.9', summary: 'Set the current connection name',
        complexity: 'O(1)', handler: clientSetnameCommand },
      { name: 'unblock', arity: -3, flags: ADMIN_FLAGS, ...SUB, since: '5.0.0',
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        complexity: 'O(log N) where N is the number of client connections', handler: clientUnblockCommand },
    ],
  },
] as const satisfies readonly CommandSpec[];
