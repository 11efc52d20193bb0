/**
 * An AOF base file in command form (aof-use-rdb-preamble no): the keyspace as the commands that
 * rebuild it, as Redis's rewriteAppendOnlyFileRio writes them: SELECT per database, then per
 * key SET / RPUSH / SADD / ZADD / HMSET (at most 64 items a command) and PEXPIREAT for a TTL.
 *
 * Contract
 * - `commandsBase(keyspace)` encodes the keyspace as it is now, synchronously (the caller picks
 *   the moment: a rewrite's point in time). Keys whose time has passed are written too, with
 *   their PEXPIREAT, as Redis does; replay expires them.
 * - Scores are written in the shortest text that reads back as the same double (Redis writes
 *   %.17g; both parse to the same value).
 *
 * Imports only the store.
 */

import type { Keyspace } from '../../store/keyspace.ts';
import type { Value } from '../../store/db.ts';
import type { ListValue } from '../../store/list.ts';
import type { SetValue } from '../../store/set.ts';
import type { ZSet } from '../../store/zset.ts';

/** Items per command (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const ITEMS_PER_CMD = 64;

/** One command in RESP, as a latin1 string. */
export function encodeCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

function scoreText(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** The commands that rebuild `key` with `value`, appended to `out` (items in chunks). */
function keyCommands(key: string, value: Value, out: string[]): void {
  if (typeof value === 'string') {
    out.push(encodeCommand(['SET', key, value]));
    return;
  }
  const chunked = (cmd: string, items: Iterable<string[]>): void => {
    let args: string[] = [cmd, key];
    let k = 0;
    for (const it of items) {
      args.push(...it);
      if (++k === ITEMS_PER_CMD) {
        out.push(encodeCommand(args));
        args = [cmd, key];
        k = 0;
      }
    }
    if (k > 0) out.push(encodeCommand(args));
  };
  switch (value.type) {
    case 'list':
      chunked('RPUSH', (value as ListValue).toArray().map((e) => [e]));
      return;
    case 'set':
      chunked('SADD', [...(value as SetValue).members()].map((m) => [m]));
      return;
    case 'zset':
      chunked('ZADD', [...(value as ZSet).dict].map(([m, sc]) => [scoreText(sc), m]));
      return;
    case 'hash':
      chunked('HMSET', [...(value as unknown as Map<string, string>)].map(([f, v]) => [f, v]));
      return;
    default:
      throw new Error(`cannot write a value of type '${value.type}' to the AOF`);
  }
}

/** The whole keyspace as a command-form base file. */
export function commandsBase(keyspace: Keyspace): Buffer {
  const parts: Buffer[] = [];
  let out: string[] = [];
  let bytes = 0;
  const spill = (): void => {
    parts.push(Buffer.from(out.join(''), 'latin1'));
    out = [];
    bytes = 0;
  };
  for (const db of keyspace.dbs) {
    if (db.size === 0) continue;
    out.push(encodeCommand(['SELECT', String(db.index)]));
    for (const [key, value] of db.dict) {
      const before = out.length;
      keyCommands(key, value, out);
      const when = db.expires.get(key);
      if (when !== undefined) out.push(encodeCommand(['PEXPIREAT', key, String(when)]));
      for (let i = before; i < out.length; i++) bytes += out[i]!.length;
      if (bytes > 1 << 20) spill();
    }
  }
  spill();
  return Buffer.concat(parts);
}
