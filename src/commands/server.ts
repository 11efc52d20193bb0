/**
 * Server commands that act on the whole keyspace or the server clock: DBSIZE FLUSHDB FLUSHALL
 * TIME, plus the HELP reply every container command (CLIENT, CONFIG, COMMAND) shares.
 *
 * The rest of the introspection family lives beside this file: INFO (info.ts), CLIENT
 * (client.ts), CONFIG (config-cmd.ts) and COMMAND (command-cmd.ts).
 *
 * Contract
 * - FLUSHDB/FLUSHALL accept ASYNC and SYNC and always free synchronously: dropping a Map is
 *   one call, and there is no background thread to hand the work to.
 * - A flush tells `Db.onWrite` about every key it removes (when a hook is installed), so WATCH
 *   sees a flushed key as modified, as Redis's touchAllWatchedKeysInDb does.
 */

import type { Db } from '../store/db.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { eqi, ERR_SYNTAX } from './util.ts';

/**
 * Redis's addReplyHelp: "<NAME> <subcommand> … Subcommands are:", the family's lines, then
 * HELP. Each line is a status reply.
 */
export function replyHelp(out: ReplyWriter, container: string, lines: readonly string[]): void {
  out.arrayLen(lines.length + 3);
  out.simple(`${container.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) out.simple(l);
  out.simple('HELP');
  out.simple('    Prints this help.');
}

/** DBSIZE */
function dbsizeCommand(c: Client, _argv: string[], s: ServerContext): void {
  s.out.int(c.db.size);
}

/** Removes every key of `db`, telling the write hook about each first. */
export function flushDb(db: Db): void {
  const hook = db.onWrite;
  if (hook !== null) for (const key of db.dict.keys()) hook(db, key);
  db.clear();
}

/** The optional ASYNC|SYNC argument of FLUSHDB and FLUSHALL; false after a syntax error reply. */
function flushModeOrReply(argv: string[], s: ServerContext): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2 && (eqi(argv[1]!, 'async') || eqi(argv[1]!, 'sync'))) return true;
  s.out.error(ERR_SYNTAX);
  return false;
}

/** FLUSHDB [ASYNC|SYNC] */
function flushdbCommand(c: Client, argv: string[], s: ServerContext): void {
  if (!flushModeOrReply(argv, s)) return;
  flushDb(c.db);
  s.keyspace.stats.dirty++; // a flush counts (and is propagated) even when nothing was there
  s.out.ok();
}

/** FLUSHALL [ASYNC|SYNC] */
function flushallCommand(_c: Client, argv: string[], s: ServerContext): void {
  if (!flushModeOrReply(argv, s)) return;
  for (const db of s.keyspace.dbs) {
    if (db.onWrite !== null) flushDb(db);
  }
  s.keyspace.flushAll();
  s.keyspace.stats.dirty++; // a flush counts (and is propagated) even when nothing was there
  s.out.ok();
}

/** TIME: [unix seconds, microseconds], both as bulk strings. */
function timeCommand(_c: Client, _argv: string[], s: ServerContext): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const sec = Math.floor(us / 1e6);
  s.out.arrayLen(2);
  s.out.bulk(String(sec));
  s.out.bulk(String(us - sec * 1e6));
}

export const serverCommands = [
  { name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '1.0.0',
    summary: 'Return the number of keys in the selected database', complexity: 'O(1)',
    acl: ['keyspace'], tips: ['request_policy:all_shards', 'response_policy:agg_sum'], handler: dbsizeCommand },
  { name: 'flushdb', arity: -1, flags: ['write'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '1.0.0',
    summary: 'Remove all keys from the current database', complexity: 'O(N) where N is the number of keys in the selected database',
    acl: ['keyspace', 'dangerous'], tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], handler: flushdbCommand },
  { name: 'flushall', arity: -1, flags: ['write'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '1.0.0',
    summary: 'Remove all keys from all databases', complexity: 'O(N) where N is the total number of keys in all databases',
    acl: ['keyspace', 'dangerous'], tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], handler: flushallCommand },
  { name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '2.6.0',
    summary: 'Return the current server time', complexity: 'O(1)', tips: ['nondeterministic_output'], handler: timeCommand },
] as const satisfies readonly CommandSpec[];
