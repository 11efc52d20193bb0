/**
 * What a write command is written to the AOF as (Redis's propagation), when that is not the
 * command as sent: relative times become absolute, and results that depend on the moment
 * (a float increment, a TTL) are written as their outcome, so replaying the file later gives
 * the same dataset. Checked against what redis-server 7.0.15 writes to its incr file.
 *
 * Contract
 * - `propagationRewrite(name, argv, db)` is called by the executor after a command that changed
 *   the dataset (keyspace.stats.dirty moved), with the client's database after the command, and
 *   returns the commands to write instead, or null to write argv as sent (keeping its case).
 * - Commands whose outcome only the handler knows (the elements SPOP or a blocking pop took)
 *   say it themselves through ServerContext.propagateAs; that takes precedence over this.
 *
 * Imports only the store.
 */

import type { Db } from '../store/db.ts';

/** The absolute expiry `key` has now, as PEXPIREAT takes it, or null when it has none. */
function expireOf(db: Db, key: string): string | null {
  const when = db.getExpire(key);
  return when === undefined ? null : String(when);
}

function isExpireOption(a: string): boolean {
  const l = a.toLowerCase();
  return l === 'ex' || l === 'px' || l === 'exat' || l === 'pxat';
}

/** The commands `argv` (run as command `name`, lower case) is propagated as; null: as sent. */
export function propagationRewrite(name: string, argv: readonly string[], db: Db): string[][] | null {
  const key = argv[1]!;
  switch (name) {
    case 'set': {
      // SET with an expiry: SET key value PXAT <ms> (the other options already took effect).
      // SET … GET without one: the same command less its GET.
      let expiry = false;
      let get = false;
      for (let i = 3; i < argv.length; i++) {
        if (isExpireOption(argv[i]!)) expiry = true;
        else if (argv[i]!.toLowerCase() === 'get') get = true;
      }
      if (expiry) {
        const at = expireOf(db, key);
        if (at === null) return db.dict.has(key) ? [['SET', key, argv[2]!]] : [['DEL', key]];
        return [['SET', key, argv[2]!, 'PXAT', at]];
      }
      if (get) return [argv.filter((a, i) => i < 3 || a.toLowerCase() !== 'get')];
      return null;
    }
    case 'setex':
    case 'psetex': {
      const at = expireOf(db, key);
      return at === null ? [['DEL', key]] : [['SET', key, argv[3]!, 'PXAT', at]];
    }
    case 'getex': {
      if (!db.dict.has(key)) return [['DEL', key]];
      const at = expireOf(db, key);
      return at === null ? [['PERSIST', key]] : [['PEXPIREAT', key, at]];
    }
    case 'getset':
      return [['SET', key, argv[2]!]];
    case 'getdel':
      return [['DEL', key]];
    case 'incrbyfloat': {
      const v = db.dict.get(key);
      return typeof v === 'string' ? [['SET', key, v, 'KEEPTTL']] : null;
    }
    case 'hincrbyfloat': {
      const h = db.dict.get(key) as unknown as Map<string, string> | undefined;
      const v = h?.get(argv[2]!);
      return v === undefined ? null : [['HSET', key, argv[2]!, v]];
    }
    case 'expire':
    case 'pexpire':
    case 'expireat':
    case 'pexpireat': {
      // A time already past deleted the key: DEL. Otherwise the absolute time, options kept.
      if (!db.dict.has(key)) return [['DEL', key]];
      if (name === 'pexpireat') return null;
      const at = expireOf(db, key);
      return at === null ? null : [['PEXPIREAT', key, at, ...argv.slice(3)]];
    }
    default:
      return null;
  }
}
