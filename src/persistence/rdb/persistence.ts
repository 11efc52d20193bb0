/**
 * RDB persistence for a running server: SAVE, BGSAVE (point-in-time, without fork), LASTSAVE,
 * save points, loading at start-up, the save at shutdown, and INFO persistence's rdb_* fields.
 *
 * Contract
 * - The composition root (src/server/main.ts) builds one `RdbPersistence`, loads the dump with
 *   `loadAtStartup()` before listening, calls `cron()` from the engine's cron, and gives the
 *   commands this object as `ServerContext.persistence` (the PersistenceControl interface of
 *   src/commands/types.ts, matched structurally: persistence does not import commands).
 * - The executor's copy-on-write hook is installed through `setBeforeWrite` only while a
 *   background save runs, so an idle server pays one null test per write command.
 * - Files are relative to the working directory, which is `dir` (the server chdirs there at
 *   start-up and on CONFIG SET dir, as Redis does). A save writes `temp-<pid>.rdb` (a background
 *   one `temp-bgsave-<pid>.rdb`), fsyncs it,
 *   renames it over `dbfilename` and fsyncs the directory: a crash at any point leaves either
 *   the old dump or the new one, never a torn file under the real name.
 * - Replies and log lines follow Redis 7.0 (rdb.c): "Background saving started", "ERR
 *   Background save already in progress", "Background saving scheduled", "DB saved on disk".
 *
 * Imports only the store, config, lib and this folder.
 */

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/config.ts';
import { log } from '../../lib/log.ts';
import type { Db } from '../../store/db.ts';
import type { Keyspace } from '../../store/keyspace.ts';
import { CorruptError, loadRdb } from './loader.ts';
import { dutyCycle, Snapshot } from './snapshot.ts';
import { RdbEncoder, type RdbWriteOptions } from './writer.ts';

/** The executor's hook before a write command (or a blocked client's serving) runs. */
export type BeforeWriteHook = (db: Db, argv: readonly string[], keys: readonly string[]) => void;

export interface RdbHooks {
  /** Installs (fn) or removes (null) the executor's before-write hook. */
  setBeforeWrite(fn: BeforeWriteHook | null): void;
  /** Whether another "child" (an AOF rewrite) is running, which a BGSAVE must wait for. */
  otherSaveActive?(): boolean;
  /** Commands run so far (any counter that moves when clients are active): picks slice sizes. */
  commandsProcessed?(): number;
}

/** After a failed background save, automatic saves wait this long (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY_MS = 5000;

export const ERR_BGSAVE_IN_PROGRESS = 'ERR Background save already in progress';
const ERR_OTHER_CHILD =
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
export const ERR_MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** A start-up load that failed: what, and where. */
export class RdbLoadError extends Error {}

/** Save points from the `save` option's text: [[seconds, changes], ...]. */
export function parseSavePoints(text: string): Array<[number, number]> {
  const w = text.trim().split(/\s+/).filter((x) => x !== '');
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < w.length; i += 2) out.push([Number(w[i]), Number(w[i + 1])]);
  return out;
}

/** Writes `pieces` to `fd` completely. */
function writeAll(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse to fsync a directory; the rename itself is done.
  }
}

export class RdbPersistence {
  private readonly keyspace: Keyspace;
  private readonly config: Config;
  private readonly hooks: RdbHooks;
  private snapshot: Snapshot | null = null;
  private scheduled = false;
  /** keyspace.stats.dirty as of the last successful save (Redis's dirty after a save is 0). */
  private dirtyAtSave = 0;
  private dirtyAtBgsaveStart = 0;
  private lastSaveAt: number;
  private lastBgsaveOk = true;
  private lastBgsaveTry = 0;
  private lastBgsaveSec = -1;
  private saves = 0;
  private lastCowBytes = 0;
  private lastLoadLoaded = 0;
  private lastLoadExpired = 0;
  private savePoints: Array<[number, number]>;
  /** The longest slice of the last background save, ms (scripts/bgsave-pause.ts reads it). */
  lastLongestSliceMs = 0;
  /** The running background save's completion, for tests and shutdown. */
  current: Promise<boolean> | null = null;

  constructor(keyspace: Keyspace, config: Config, hooks: RdbHooks) {
    this.keyspace = keyspace;
    this.config = config;
    this.hooks = hooks;
    this.lastSaveAt = Date.now();
    this.savePoints = parseSavePoints(config.get('save'));
    config.onChange((name, value) => {
      if (name === 'save') this.savePoints = parseSavePoints(value);
      if (name === 'dir') {
        try {
          process.chdir(value);
        } catch (err) {
          log.warning(`Can't chdir to '${value}': ${(err as Error).message}`);
        }
      }
    });
  }

  private writeOptions(): RdbWriteOptions {
    return { compression: this.config.bool('rdbcompression'), checksum: this.config.bool('rdbchecksum') };
  }

  private get filename(): string {
    return this.config.get('dbfilename');
  }

  // ---- start-up ----------------------------------------------------------------------------

  /**
   * Loads `dbfilename` if it exists. Returns false when there is none. Throws RdbLoadError,
   * saying what and where, for a file that cannot be read or is corrupt.
   */
  loadAtStartup(): boolean {
    const file = this.filename;
    const where = path.resolve(file);
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return false;
      throw new RdbLoadError(`Fatal error loading the DB: can't read ${where}: ${e.message}. Exiting.`);
    }
    const t0 = performance.now();
    try {
      const r = loadRdb(buf, this.keyspace, { checksum: this.config.bool('rdbchecksum') });
      if (r.end !== buf.length) throw new CorruptError(`${buf.length - r.end} bytes after the end of the RDB data`);
      this.lastLoadLoaded = r.keysLoaded;
      this.lastLoadExpired = r.keysExpired;
      log.notice(`Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
    } catch (err) {
      if (!(err instanceof CorruptError)) throw err;
      for (const db of this.keyspace.dbs) db.clear();
      this.keyspace.stats.dirty = 0;
      throw new RdbLoadError(`Fatal error loading the DB: ${where} is not a valid RDB file: ${err.message}. Exiting.`);
    }
    log.notice(`DB loaded from disk: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
    this.dirtyAtSave = this.keyspace.stats.dirty;
    return true;
  }

  // ---- SAVE --------------------------------------------------------------------------------

  /** Writes the keyspace to `dbfilename` now, synchronously. Returns an error text or null. */
  save(): string | null {
    if (this.snapshot !== null) return ERR_BGSAVE_IN_PROGRESS;
    // rdb_saves counts attempts, as Redis's stat_rdb_saves (SAVE and BGSAVE, not the shutdown save).
    this.saves++;
    return this.saveNow() ? null : 'ERR';
  }

  private saveNow(): boolean {
    const tmp = `temp-${process.pid}.rdb`;
    const dirty = this.keyspace.stats.dirty;
    let fd = -1;
    try {
      fd = openSync(tmp, 'w');
      const enc = new RdbEncoder(this.writeOptions());
      for (const db of this.keyspace.dbs) {
        if (db.size === 0) continue;
        enc.selectDb(db.index, db.size, db.expires.size);
        for (const [key, value] of db.dict) {
          enc.entry(key, value, db.expires.get(key));
          if (enc.pending >= 1 << 20) writeAll(fd, enc.take());
        }
      }
      writeAll(fd, enc.finish());
      fsyncSync(fd);
      closeSync(fd);
      fd = -1;
      renameSync(tmp, this.filename);
      fsyncDir(path.dirname(path.resolve(this.filename)));
    } catch (err) {
      log.warning(`Failed saving the DB: ${(err as Error).message}`);
      if (fd >= 0) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
      return false;
    }
    log.notice('DB saved on disk');
    this.dirtyAtSave = dirty;
    this.lastSaveAt = Date.now();
    // As Redis's rdbSave: a good foreground save clears a failed background one.
    this.lastBgsaveOk = true;
    return true;
  }

  // ---- BGSAVE ------------------------------------------------------------------------------

  /** BGSAVE [SCHEDULE]; `inExec`: called from a transaction (Redis schedules it then). */
  bgsave(schedule: boolean, inExec = false): { ok: string } | { error: string } {
    if (this.snapshot !== null) return { error: ERR_BGSAVE_IN_PROGRESS };
    if (this.hooks.otherSaveActive?.() === true || inExec) {
      if (schedule || inExec) {
        this.scheduled = true;
        return { ok: 'Background saving scheduled' };
      }
      return { error: ERR_OTHER_CHILD };
    }
    this.startBgsave();
    return { ok: 'Background saving started' };
  }

  get bgsaveInProgress(): boolean {
    return this.snapshot !== null;
  }

  private startBgsave(): void {
    // Not SAVE's temp-<pid>.rdb: an abandoned background save may still have a write in flight
    // on its file when the shutdown save (SAVE's path) starts.
    const tmp = `temp-bgsave-${process.pid}.rdb`;
    const target = this.filename;
    const dir = path.dirname(path.resolve(target));
    this.lastBgsaveTry = Date.now();
    this.saves++;
    this.dirtyAtBgsaveStart = this.keyspace.stats.dirty;
    let fh: Awaited<ReturnType<typeof openFile>> | null = null;
    let opening: Promise<void> | null = null;
    const sink = async (chunk: Buffer): Promise<void> => {
      if (fh === null) {
        opening ??= openFile(tmp, 'w').then((h) => {
          fh = h;
        });
        await opening;
      }
      let off = 0;
      while (off < chunk.length) off += (await fh!.write(chunk, off, chunk.length - off)).bytesWritten;
    };
    const { budget, gap } = dutyCycle(() => this.hooks.commandsProcessed?.() ?? -1);
    const snap = new Snapshot(this.keyspace, this.writeOptions(), sink, budget, gap);
    this.snapshot = snap;
    this.hooks.setBeforeWrite((db, argv, keys) => snap.beforeCommand(db, argv, keys));
    log.notice(`Background saving started by pid ${process.pid}`);
    const started = snap.startedAt;
    this.current = (async (): Promise<boolean> => {
      try {
        await snap.run();
        if (fh === null) throw new Error('nothing was written');
        await (fh as Awaited<ReturnType<typeof openFile>>).sync();
        await (fh as Awaited<ReturnType<typeof openFile>>).close();
        fh = null;
        if (this.snapshot !== snap) throw new Error('aborted');
        renameSync(tmp, target);
        fsyncDir(dir);
        return true;
      } catch (err) {
        if (fh !== null) await (fh as Awaited<ReturnType<typeof openFile>>).close().catch(() => undefined);
        try {
          unlinkSync(tmp);
        } catch {
          // never created, or already gone
        }
        if ((err as Error).message !== 'aborted') log.warning(`Background saving error: ${(err as Error).message}`);
        return false;
      }
    })().then((ok) => {
      if (this.snapshot === snap) this.bgsaveDone(snap, ok, started);
      return ok;
    });
  }

  private bgsaveDone(snap: Snapshot, ok: boolean, started: number): void {
    this.snapshot = null;
    this.current = null;
    this.hooks.setBeforeWrite(null);
    this.lastBgsaveSec = Math.floor((Date.now() - started) / 1000);
    this.lastCowBytes = snap.cowBytes;
    this.lastLongestSliceMs = snap.longestSliceMs;
    this.lastBgsaveOk = ok;
    if (ok) {
      this.dirtyAtSave = this.dirtyAtBgsaveStart;
      this.lastSaveAt = Date.now();
      log.notice(`DB saved on disk (${snap.keysTotal} keys, ${snap.cowKeys} copied on write, ${snap.slices} slices, longest ${snap.longestSliceMs.toFixed(2)} ms, ${snap.longestSliceCpuMs.toFixed(2)} ms CPU)`);
      log.notice('Background saving terminated with success');
    } else {
      log.warning('Background saving terminated with error');
    }
  }

  /** Stops a running background save (its temp file is removed). */
  private abortBgsave(): void {
    const snap = this.snapshot;
    if (snap === null) return;
    snap.abort(new Error('aborted'));
    this.snapshot = null;
    this.current = null;
    this.hooks.setBeforeWrite(null);
    this.lastBgsaveOk = false;
    log.warning('Background saving aborted');
  }

  // ---- LASTSAVE, shutdown, refusals --------------------------------------------------------

  /** Unix seconds of the last successful save (start-up time before the first). */
  lastSave(): number {
    return Math.floor(this.lastSaveAt / 1000);
  }

  hasSavePoints(): boolean {
    return this.savePoints.length > 0;
  }

  /**
   * The save at SHUTDOWN / SIGTERM, as Redis's prepareForShutdown: when save points are set
   * (or `force`, SHUTDOWN SAVE), a running background save is abandoned and the keyspace is
   * saved synchronously. Returns false if that save failed (SHUTDOWN then refuses, unless
   * FORCE); true when it succeeded or no save was due.
   */
  saveOnShutdown(force = false): boolean {
    if (!force && !this.hasSavePoints()) return true;
    this.abortBgsave();
    log.notice('Saving the final RDB snapshot before exiting.');
    const ok = this.saveNow();
    if (!ok) log.warning('Error trying to save the DB, can\'t exit.');
    return ok;
  }

  /**
   * The MISCONF error writes are refused with while the last background save failed
   * (stop-writes-on-bgsave-error yes and save points set), else null. Enforced by the caller.
   */
  writeError(): string | null {
    // Called before every write command: the common case answers with one field test.
    if (this.lastBgsaveOk) return null;
    if (this.config.bool('stop-writes-on-bgsave-error') && this.hasSavePoints()) return ERR_MISCONF;
    return null;
  }

  // ---- cron --------------------------------------------------------------------------------

  /** Save points and a scheduled BGSAVE, checked from the engine's cron (Redis's serverCron). */
  cron(now = Date.now()): void {
    if (this.snapshot !== null || this.hooks.otherSaveActive?.() === true) return;
    if (this.scheduled) {
      this.scheduled = false;
      this.startBgsave();
      return;
    }
    const changes = this.keyspace.stats.dirty - this.dirtyAtSave;
    for (const [seconds, need] of this.savePoints) {
      if (changes >= need && now - this.lastSaveAt > seconds * 1000 &&
        (this.lastBgsaveOk || now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_MS)) {
        log.notice(`${need} changes in ${seconds} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }

  // ---- INFO --------------------------------------------------------------------------------

  /** INFO persistence, from `loading` to `rdb_last_load_keys_loaded`, in Redis 7.0's order. */
  info(): string[] {
    const snap = this.snapshot;
    const now = Date.now();
    return [
      'loading:0',
      'async_loading:0',
      `current_cow_peak:${snap?.cowBytes ?? 0}`,
      `current_cow_size:${snap?.cowBytes ?? 0}`,
      'current_cow_size_age:0',
      `current_fork_perc:${snap === null || snap.keysTotal === 0 ? '0.00' : ((snap.keysDone * 100) / snap.keysTotal).toFixed(2)}`,
      `current_save_keys_processed:${snap?.keysDone ?? 0}`,
      `current_save_keys_total:${snap?.keysTotal ?? 0}`,
      `rdb_changes_since_last_save:${this.keyspace.stats.dirty - this.dirtyAtSave}`,
      `rdb_bgsave_in_progress:${snap === null ? 0 : 1}`,
      `rdb_last_save_time:${this.lastSave()}`,
      `rdb_last_bgsave_status:${this.lastBgsaveOk ? 'ok' : 'err'}`,
      `rdb_last_bgsave_time_sec:${this.lastBgsaveSec}`,
      `rdb_current_bgsave_time_sec:${snap === null ? -1 : Math.floor((now - snap.startedAt) / 1000)}`,
      `rdb_saves:${this.saves}`,
      `rdb_last_cow_size:${this.lastCowBytes}`,
      `rdb_last_load_keys_expired:${this.lastLoadExpired}`,
      `rdb_last_load_keys_loaded:${this.lastLoadLoaded}`,
    ];
  }
}
