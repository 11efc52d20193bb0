/**
 * RDB persistence, the public face: what the server's composition root and the AOF code use.
 *
 * - `writeRdb(keyspace, opts)`: the whole keyspace as one RDB image, synchronously (SAVE, and
 *   the AOF rewrite's RDB preamble when it runs in one go).
 * - `loadRdb(buf, keyspace, opts)`: loads an image (start-up; an AOF base file's preamble).
 * - `Snapshot` (snapshot.ts): a point-in-time image serialised in time slices while commands
 *   keep running, with copy-on-write at key granularity (BGSAVE, and usable by an AOF rewrite).
 * - `RdbPersistence` (persistence.ts): SAVE/BGSAVE/LASTSAVE, save points, files, INFO fields.
 *
 * Imports only the store and this folder.
 */

import type { Keyspace } from '../../store/keyspace.ts';
import { RdbEncoder, type RdbWriteOptions } from './writer.ts';

export { RdbEncoder, type RdbWriteOptions } from './writer.ts';
export { loadRdb, CorruptError, type RdbLoadOptions, type RdbLoadResult } from './loader.ts';
export { crc64 } from './crc64.ts';
export { dutyCycle, Snapshot, type SnapshotSink } from './snapshot.ts';

/**
 * The whole keyspace as one RDB image, as of now, in one synchronous pass. Keys already expired
 * at `opts.now` are written too, as Redis writes them (the loader drops them).
 */
export function writeRdb(keyspace: Keyspace, opts: RdbWriteOptions): Buffer {
  const enc = new RdbEncoder(opts);
  const parts: Buffer[] = [];
  for (const db of keyspace.dbs) {
    if (db.size === 0) continue;
    enc.selectDb(db.index, db.size, db.expires.size);
    for (const [key, value] of db.dict) {
      enc.entry(key, value, db.expires.get(key));
      if (enc.pending > 1 << 20) parts.push(enc.take());
    }
  }
  parts.push(enc.finish());
  return Buffer.concat(parts);
}
