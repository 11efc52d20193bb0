/**
 * The append-only file, Redis 7 multi-part style (manifest.ts has the layout): every command
 * that changed the dataset is appended, as RESP, to the current incr file; at start-up the
 * base and the incr files are replayed; BGREWRITEAOF replaces them with a new base.
 *
 * Contract
 * - Wired by the composition root (src/server/main.ts), which passes the executor's hooks as
 *   plain functions (`AofWiring`): this module imports no engine code. `feed(db, argv)` is the
 *   propagation hook; `durability` is the executor's reply gate for appendfsync always.
 * - Writing: fed commands collect in a buffer (with a SELECT whenever the database changes, as
 *   Redis's feedAppendOnlyFile) and are written with one write() per event-loop turn
 *   (setImmediate), or sooner when the reply gate asks (`flush()`).
 * - fsync, by appendfsync (Redis's meaning):
 *     always    write + fdatasync before any reply of the turn leaves (the executor's gate,
 *               Engine.release / beforeRepliesLeave): one fdatasync per turn covers every
 *               command of every client in it: group commit. Synchronous, on the main thread,
 *               as Redis does it in beforeSleep. A failed write or fsync stops the server, as
 *               Redis does: a reply may never claim durability it does not have.
 *    everysec   write each turn; a background fdatasync (libuv's thread pool) once a second.
 *               A crash loses at most the last ~1-2 seconds.
 *         no   write each turn; the kernel flushes when it likes.
 *   no-appendfsync-on-rewrite yes skips the fsyncs while a rewrite runs.
 * - Rewrite (BGREWRITEAOF, CONFIG SET appendonly yes, automatic growth): the current buffer is
 *   made durable, a new incr file is opened and recorded in the manifest, and the keyspace is
 *   serialised at that same instant (synchronously: an RDB image via src/persistence/rdb when
 *   aof-use-rdb-preamble is yes, else commands), so the new base plus the new incr file are
 *   exactly the dataset. The base is written to a temp file, fsynced and renamed off the main
 *   thread's critical path (async I/O); then the manifest is replaced atomically (temp file,
 *   fsync, rename, fsync of the directory) and the files it no longer names are deleted.
 * - Loading (`load()`): manifest → base (RDB preamble or commands) → incr files, each command
 *   run through the executor's `execute` (a client without a socket). A torn tail of the last
 *   file is loaded up to its last complete command and truncated when aof-load-truncated is
 *   yes; otherwise, and for anything corrupt, `load()` throws an AofLoadError naming the file
 *   and the offset.
 *
 * Imports the store, the config, lib and persistence/rdb.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.ts';
import { log } from '../../lib/log.ts';
import type { Keyspace } from '../../store/keyspace.ts';
import type { Db } from '../../store/db.ts';
import { dutyCycle, loadRdb, Snapshot, writeRdb } from '../rdb/index.ts';
import { commandsBase, encodeCommand } from './base.ts';
import { Manifest, ManifestError, type AofFileInfo } from './manifest.ts';
import { readCommands } from './reader.ts';

export { Manifest, ManifestError } from './manifest.ts';
export { readCommands } from './reader.ts';

/** A start-up failure: what and where, for the log, before the server exits. */
export class AofLoadError extends Error {}

/** The executor's side, as plain functions (the composition root passes the engine's). */
export interface AofWiring {
  /** Turns propagation on (a hook receiving every change) or off. */
  setPropagation(hook: ((db: number, argv: readonly string[]) => void) | null): void;
  /** Installs the reply gate (appendfsync always) or removes it. */
  setDurability(d: { pending(): boolean; flush(): void } | null): void;
  /**
   * The executor's before-write hook (a snapshot's copy-on-write, src/persistence/rdb/snapshot.ts).
   * Without it, an RDB preamble is serialised in one synchronous pass.
   */
  setBeforeWrite?(fn: ((db: Db, argv: readonly string[], keys: readonly string[]) => void) | null): void;
  /** Whether a background save (BGSAVE) runs: a rewrite waits for it, as Redis's one child. */
  otherSaveActive?(): boolean;
  /** Commands run so far: slices are short while clients are active. */
  commandsProcessed?(): number;
}

/** Runs one command of a file being loaded; returns the error reply's text, or null. */
export type AofExecute = (argv: string[]) => string | null;

type Status = 'ok' | 'err';

/** What C's strerror says for the errors a write or fsync can give (Node's messages differ). */
const STRERROR: Record<string, string> = {
  ENOSPC: 'No space left on device', EIO: 'Input/output error', EDQUOT: 'Disk quota exceeded', EBADF: 'Bad file descriptor',
  EFBIG: 'File too large', EROFS: 'Read-only file system', EACCES: 'Permission denied', EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument', ENOENT: 'No such file or directory',
};

function strerror(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined ? STRERROR[code] : undefined) ?? err.message;
}

export class Aof {
  private readonly config: Config;
  private readonly keyspace: Keyspace;
  private readonly wiring: AofWiring;
  private manifest = new Manifest();
  /** The open incr file (appending), or -1. */
  private fd = -1;
  private enabled = false;
  /** Commands fed and not yet written. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private writeScheduled = false;
  /** The database the incr file's last SELECT chose (-1: none yet in this file). */
  private selectedDb = -1;
  /** Bytes written since the last fdatasync, and whether a background one is running. */
  private unsynced = 0;
  private fsyncInFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFsyncAt = Date.now();

  // INFO persistence
  private rewriting = false;
  /** BGREWRITEAOF arrived while a BGSAVE ran: started by cron once it ends. */
  private scheduled = false;
  private rewriteStartedAt = 0;
  private lastRewriteSec = -1;
  private lastRewriteStatus: Status = 'ok';
  private lastWriteStatus: Status = 'ok';
  /** The failed write's error, as strerror words it (MISCONF). */
  private lastWriteError = '';
  private rewrites = 0;
  private consecutiveFailures = 0;
  /** aof_current_size: base + incr files; aof_base_size: the base's size. */
  private currentSize = 0;
  private baseSize = 0;
  /** The size after the last rewrite (or load), against which growth is measured. */
  private rewriteBaseSize = 0;

  constructor(config: Config, keyspace: Keyspace, wiring: AofWiring) {
    this.config = config;
    this.keyspace = keyspace;
    this.wiring = wiring;
    config.onChange((name, value) => {
      if (name === 'appendonly') {
        if (value === 'yes' && !this.enabled) this.start(true);
        else if (value === 'no' && this.enabled) this.stop();
      } else if (name === 'appendfsync' && this.enabled) {
        this.installGate();
      }
    });
  }

  // ---- paths -------------------------------------------------------------------------------

  private get dirName(): string {
    return this.config.get('appenddirname');
  }

  private get fileName(): string {
    return this.config.get('appendfilename');
  }

  private filePath(name: string): string {
    return path.join(this.dirName, name);
  }

  private get manifestName(): string {
    return `${this.fileName}.manifest`;
  }

  // ---- start-up ----------------------------------------------------------------------------

  /**
   * Start-up, before clients are served. With appendonly yes: loads the files the manifest
   * names (or creates a first base and incr file when there are none) and starts appending.
   * With appendonly no: only reads the manifest, so a later rewrite continues its numbering.
   * Throws AofLoadError for anything that must stop the server.
   */
  load(execute: AofExecute): void {
    const manifestPath = this.filePath(this.manifestName);
    let text: string | null = null;
    try {
      text = fs.readFileSync(manifestPath, 'latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AofLoadError(`Can't open the AOF manifest ${manifestPath} for reading: ${(err as Error).message}`);
      }
    }
    if (text !== null) {
      try {
        this.manifest = Manifest.parse(text);
      } catch (err) {
        if (err instanceof ManifestError) throw new AofLoadError(`Bad AOF manifest ${manifestPath}: ${err.message}`);
        throw err;
      }
    }
    if (!this.config.bool('appendonly')) return;
    if (text === null) {
      // No AOF yet: a first base (of the empty dataset) and incr file, as Redis 7 creates them
      // (synchronously there, so not counted in aof_rewrites).
      this.start(false);
      return;
    }
    const t0 = performance.now();
    const files: AofFileInfo[] = [];
    if (this.manifest.base !== null) files.push(this.manifest.base);
    files.push(...this.manifest.incrs);
    let total = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const t1 = performance.now();
      total += this.loadFile(f, i === files.length - 1, execute);
      log.notice(`DB loaded from ${f.type === 'b' ? 'base' : 'incr'} file ${f.name}: ${((performance.now() - t1) / 1000).toFixed(3)} seconds`);
    }
    log.notice(`DB loaded from append only file: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
    this.baseSize = this.manifest.base === null ? 0 : this.sizeOf(this.manifest.base.name);
    this.currentSize = total;
    this.rewriteBaseSize = total;
    // Appending goes on in the last incr file (a fresh one if the manifest has none).
    if (this.manifest.incrs.length === 0) {
      fs.mkdirSync(this.dirName, { recursive: true });
      const incr: AofFileInfo = { name: `${this.fileName}.${this.manifest.incrSeq + 1}.incr.aof`, seq: this.manifest.incrSeq + 1, type: 'i' };
      this.fd = fs.openSync(this.filePath(incr.name), 'a');
      this.manifest.incrs.push(incr);
      this.persistManifest(this.manifest);
    } else {
      this.fd = fs.openSync(this.filePath(this.manifest.incrs[this.manifest.incrs.length - 1]!.name), 'a');
    }
    this.enable();
  }

  private sizeOf(name: string): number {
    try {
      return fs.statSync(this.filePath(name)).size;
    } catch {
      return 0;
    }
  }

  /** Loads one file of the manifest; returns its size (after any truncation). */
  private loadFile(f: AofFileInfo, last: boolean, execute: AofExecute): number {
    const p = this.filePath(f.name);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(p);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new AofLoadError(e.code === 'ENOENT'
        ? `The AOF file ${f.name} doesn't exist (named by the manifest in ${this.dirName})`
        : `Can't open the AOF file ${f.name} for reading: ${e.message}`);
    }
    if (buf.length === 0) return 0;
    let from = 0;
    if (buf.length >= 5 && buf.toString('latin1', 0, 5) === 'REDIS') {
      log.notice('Reading RDB base file on AOF loading...');
      try {
        const r = loadRdb(buf, this.keyspace, { keepExpired: true });
        log.notice(`Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
        from = r.end;
      } catch (err) {
        throw new AofLoadError(`Bad file format reading the RDB preamble of the append only file ${f.name}: ${(err as Error).message}`);
      }
      if (from >= buf.length) return buf.length;
    }
    // Where a torn tail is cut: after the last complete command, or before an unfinished MULTI.
    let validUpTo = from;
    let multiStart = -1;
    let commandStart = from;
    const end = readCommands(buf, from, (argv, e) => {
      const name = argv[0]!.toLowerCase();
      if (name === 'multi') multiStart = commandStart;
      else if (name === 'exec') multiStart = -1;
      const err = execute(argv);
      if (err !== null && err.startsWith('ERR unknown command')) {
        throw new AofLoadError(`Unknown command '${argv[0]}' reading the append only file ${f.name} at offset ${commandStart}`);
      }
      // Redis runs a loaded command past every server-level check; ours go through the
      // executor, so a refusal (maxmemory too low for the data) must stop start-up, not drop data.
      if (err !== null && (err.startsWith('OOM') || err.startsWith('MISCONF'))) {
        throw new AofLoadError(`Can't load the append only file ${f.name}: the command at offset ${commandStart} was refused (${err})`);
      }
      commandStart = e;
      if (multiStart < 0) validUpTo = e;
    });
    if (end.kind === 'corrupt') {
      throw new AofLoadError(`Bad file format reading the append only file ${f.name} at offset ${end.at} (${end.why}): make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
    }
    if (end.kind === 'ok' && multiStart < 0) return buf.length;
    // A torn tail (or a transaction without its EXEC): the queued part of MULTI is dropped.
    if (multiStart >= 0) execute(['DISCARD']);
    const at = end.kind === 'truncated' ? end.at : multiStart;
    if (!last) {
      throw new AofLoadError(`Unexpected end of file reading the append only file ${f.name} at offset ${at}, which is not the last file of the AOF`);
    }
    if (!this.config.bool('aof-load-truncated')) {
      throw new AofLoadError(`Unexpected end of file reading the append only file ${f.name} at offset ${at}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
    }
    log.warning(`!!! Warning: short read while loading the AOF file ${f.name}!!!`);
    log.warning(`!!! Truncating the AOF ${f.name} at offset ${validUpTo} !!!`);
    try {
      fs.truncateSync(p, validUpTo);
    } catch (err) {
      throw new AofLoadError(`Error truncating the AOF file ${f.name}: ${(err as Error).message}`);
    }
    log.warning(`AOF ${f.name} loaded anyway because aof-load-truncated is enabled`);
    return validUpTo;
  }

  // ---- on / off ----------------------------------------------------------------------------

  /** appendonly yes at run time (or at start-up with no AOF yet): a rewrite makes the base. */
  private start(counted = true): void {
    fs.mkdirSync(this.dirName, { recursive: true });
    const r = this.rewrite(true, counted);
    if ('error' in r) log.warning(`Can't start the append only file: ${r.error}`);
  }

  private enable(): void {
    this.enabled = true;
    this.selectedDb = -1;
    this.wiring.setPropagation((db, argv) => this.feed(db, argv));
    this.installGate();
    if (this.timer === null) {
      this.timer = setInterval(() => this.cron(), 100);
      this.timer.unref();
    }
  }

  private installGate(): void {
    this.wiring.setDurability(this.config.get('appendfsync') === 'always' ? this.gate : null);
  }

  /** appendonly no at run time: what was fed is written and synced, then appending stops. */
  private stop(): void {
    this.writePending(true);
    this.wiring.setPropagation(null);
    this.wiring.setDurability(null);
    this.enabled = false;
    this.closeFd(this.fd);
    this.fd = -1;
    log.notice('AOF disabled');
  }

  /** Shutdown: everything fed is written and synced. */
  shutdown(): void {
    if (!this.enabled) return;
    this.writePending(true);
    log.notice('Calling fsync() on the AOF file.');
  }

  // ---- appending ---------------------------------------------------------------------------

  /** The propagation hook: `argv` changed database `db` (negative: no SELECT needed). */
  feed(db: number, argv: readonly string[]): void {
    if (db >= 0 && db !== this.selectedDb) {
      const sel = encodeCommand(['SELECT', String(db)]);
      this.pending.push(sel);
      this.pendingBytes += sel.length;
      this.selectedDb = db;
    }
    const s = encodeCommand(argv);
    this.pending.push(s);
    this.pendingBytes += s.length;
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(this.writeTurn);
    }
  }

  private readonly writeTurn = (): void => {
    this.writeScheduled = false;
    this.writePending(this.config.get('appendfsync') === 'always');
  };

  /** The reply gate for appendfsync always (see Engine.release). */
  private readonly gate = {
    pending: (): boolean => this.pendingBytes > 0,
    flush: (): void => this.writePending(true),
  };

  /** Writes what was fed; with `sync`, fdatasyncs too (unless a rewrite says not to). */
  private writePending(sync: boolean): void {
    if (this.fd < 0) return;
    if (this.pendingBytes > 0) {
      const buf = Buffer.from(this.pending.length === 1 ? this.pending[0]! : this.pending.join(''), 'latin1');
      let off = 0;
      try {
        while (off < buf.length) off += fs.writeSync(this.fd, buf, off);
      } catch (err) {
        // What did reach the file stays there; only the rest is written again on the retry,
        // so no command is written twice.
        if (off > 0) {
          this.pending = [buf.toString('latin1', off)];
          this.pendingBytes = buf.length - off;
          this.currentSize += off;
          this.unsynced += off;
        }
        this.writeFailed(err as Error);
        return;
      }
      this.pending = [];
      this.pendingBytes = 0;
      this.currentSize += buf.length;
      this.unsynced += buf.length;
      if (this.lastWriteStatus === 'err') log.warning('AOF write error looks solved, Redis can write again.');
      this.lastWriteStatus = 'ok';
    }
    if (sync && this.unsynced > 0 && !(this.rewriting && this.config.bool('no-appendfsync-on-rewrite'))) {
      try {
        fs.fdatasyncSync(this.fd);
      } catch (err) {
        this.writeFailed(err as Error);
        return;
      }
      this.unsynced = 0;
      this.lastFsyncAt = Date.now();
    }
  }

  /**
   * A failed write or fsync. With appendfsync always a reply would claim durability we do not
   * have: stop, as Redis does. Otherwise keep the data and retry on the next turn.
   */
  private writeFailed(err: Error): void {
    this.lastWriteStatus = 'err';
    this.lastWriteError = strerror(err);
    if (this.config.get('appendfsync') === 'always') {
      log.warning(`Can't recover from AOF write error when the AOF fsync policy is 'always' (${err.message}). Exiting...`);
      process.exit(1);
    }
    log.warning(`Error writing to the AOF file: ${this.lastWriteError}`);
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setTimeout(this.writeTurn, 100);
    }
  }

  /** Whether a rewrite runs (a BGSAVE waits for it). */
  get rewriteInProgress(): boolean {
    return this.rewriting;
  }

  /** Every 100 ms: a scheduled rewrite, everysec's background fsync, the automatic rewrite check. */
  private cron(): void {
    if (this.scheduled && !this.rewriting && this.wiring.otherSaveActive?.() !== true) {
      this.scheduled = false;
      this.rewrite(false);
    }
    if (!this.enabled) return;
    if (this.config.get('appendfsync') === 'everysec' && this.unsynced > 0 && this.fsyncInFlight === null &&
        Date.now() - this.lastFsyncAt >= 1000 && !(this.rewriting && this.config.bool('no-appendfsync-on-rewrite'))) {
      this.backgroundFsync();
    }
    const pct = this.config.int('auto-aof-rewrite-percentage');
    if (pct > 0 && !this.rewriting && !this.scheduled && this.wiring.otherSaveActive?.() !== true && this.currentSize > this.config.int('auto-aof-rewrite-min-size')) {
      const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1;
      const growth = Math.floor((this.currentSize * 100) / base) - 100;
      if (growth >= pct) {
        log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.rewrite(false);
      }
    }
  }

  /** fdatasync on libuv's thread pool; the main thread goes on. */
  private backgroundFsync(): void {
    const fd = this.fd;
    const covered = this.unsynced;
    this.unsynced = 0;
    this.lastFsyncAt = Date.now();
    this.fsyncInFlight = new Promise<void>((resolve) => {
      fs.fdatasync(fd, (err) => {
        if (err !== null) {
          this.unsynced += covered;
          this.lastWriteStatus = 'err';
          log.warning(`Error syncing the AOF file: ${err.message}`);
        }
        this.fsyncInFlight = null;
        resolve();
      });
    });
  }

  /** Closes `fd` once no background fsync uses it. */
  private closeFd(fd: number): void {
    if (fd < 0) return;
    const inFlight = this.fsyncInFlight;
    if (inFlight === null) fs.closeSync(fd);
    else void inFlight.then(() => fs.closeSync(fd));
  }

  // ---- rewrite -----------------------------------------------------------------------------

  /** BGREWRITEAOF, as the command sees it. */
  bgrewriteaof(): { ok: string } | { error: string } {
    if (this.rewriting) return { error: 'ERR Background append only file rewriting already in progress' };
    if (this.wiring.otherSaveActive?.() === true) {
      this.scheduled = true;
      return { ok: 'Background append only file rewriting scheduled' };
    }
    const r = this.rewrite(false);
    return 'error' in r ? r : { ok: 'Background append only file rewriting started' };
  }

  /**
   * Starts a rewrite: see the contract. `starting`: appendonly is being switched on (the new
   * incr file becomes the one appended to, and propagation starts).
   */
  private rewrite(starting: boolean, counted = true): { ok: true } | { error: string } {
    if (this.rewriting) return { error: 'ERR Background append only file rewriting already in progress' };
    const t0 = Date.now();
    let incr: AofFileInfo | null = null;
    const m = this.manifest.clone();
    try {
      fs.mkdirSync(this.dirName, { recursive: true });
      if (this.enabled || starting) {
        // Everything fed so far goes to the old incr file, durably; then a new one takes over.
        this.writePending(true);
        const seq = m.incrSeq + 1;
        incr = { name: `${this.fileName}.${seq}.incr.aof`, seq, type: 'i' };
        const fd = fs.openSync(this.filePath(incr.name), 'a');
        // The new incr file is recorded at once, so a crash during the rewrite loses nothing
        // (Redis 7 does the same). When appendonly is being switched on, the old files are
        // stale: with an empty dataset (start-up) the incr file alone is the whole AOF;
        // otherwise the manifest changes only once the base is written.
        if (!starting) {
          m.incrs.push(incr);
          this.persistManifest(m);
          this.manifest = m.clone();
        } else if (this.keyspace.size === 0) {
          if (m.base !== null) m.history.push(m.base);
          m.history.push(...m.incrs);
          m.base = null;
          m.incrs = [incr];
          this.persistManifest(m);
          this.manifest = m.clone();
        }
        this.closeFd(this.fd);
        this.fd = fd;
        this.selectedDb = -1;
        this.unsynced = 0;
      }
    } catch (err) {
      this.lastRewriteStatus = 'err';
      this.consecutiveFailures++;
      return { error: `ERR Can't open the append-only file: ${(err as Error).message}` };
    }
    // The point in time: the keyspace now, with every later change in the new incr file. An
    // RDB preamble is a copy-on-write Snapshot serialised in slices between command batches
    // (BGSAVE's, src/persistence/rdb/snapshot.ts) when the executor's hook is available and no
    // BGSAVE holds it; otherwise the image is made now, in one pass.
    const preamble = this.config.bool('aof-use-rdb-preamble');
    const opts = { compression: true, checksum: true, aofBase: true, now: t0 };
    let image: Buffer | ((sink: (chunk: Buffer) => Promise<void>) => Promise<void>);
    const setHook = this.wiring.setBeforeWrite;
    if (preamble && setHook !== undefined && this.wiring.otherSaveActive?.() !== true && this.keyspace.size > 0) {
      // BGSAVE's duty cycle (src/persistence/rdb/snapshot.ts): short pauses while clients are busy.
      const { budget, gap } = dutyCycle(() => this.wiring.commandsProcessed?.() ?? -1);
      let out: ((chunk: Buffer) => Promise<void>) | null = null;
      const snap = new Snapshot(this.keyspace, opts, (chunk) => out!(chunk), budget, gap);
      setHook((db, argv, keys) => snap.beforeCommand(db, argv, keys));
      image = async (sink) => {
        out = sink;
        try {
          await snap.run();
        } finally {
          setHook(null);
        }
      };
    } else {
      image = preamble ? writeRdb(this.keyspace, opts) : commandsBase(this.keyspace);
    }
    const baseSeq = m.baseSeq + 1;
    const baseName = `${this.fileName}.${baseSeq}.base.${preamble ? 'rdb' : 'aof'}`;
    this.rewriting = true;
    this.rewriteStartedAt = t0;
    log.notice(`Background append only file rewriting started by pid ${process.pid}`);
    if (starting) this.enable();
    void this.finishRewrite(image, baseName, baseSeq, incr, t0, counted);
    return { ok: true };
  }

  /** The rewrite's file work, off the critical path: base, manifest, deletions. */
  private async finishRewrite(image: Buffer | ((sink: (chunk: Buffer) => Promise<void>) => Promise<void>), baseName: string, baseSeq: number, incr: AofFileInfo | null,
                              t0: number, counted: boolean): Promise<void> {
    const temp = this.filePath(`temp-rewriteaof-bg-${process.pid}.aof`);
    let size = 0;
    try {
      const fh = await fs.promises.open(temp, 'w');
      try {
        if (Buffer.isBuffer(image)) {
          await fh.writeFile(image);
          size = image.length;
        } else {
          await image(async (chunk) => {
            let off = 0;
            while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
            size += chunk.length;
          });
        }
        await fh.datasync();
      } finally {
        await fh.close();
      }
      log.notice(`Successfully created the temporary AOF base file temp-rewriteaof-bg-${process.pid}.aof`);
      await fs.promises.rename(temp, this.filePath(baseName));
      log.notice(`Successfully renamed the temporary AOF base file temp-rewriteaof-bg-${process.pid}.aof into ${baseName}`);
      // The new manifest: the new base, the incr files written since the rewrite began; every
      // file before them becomes history, deleted below.
      const m = this.manifest.clone();
      const old: AofFileInfo[] = [...m.history];
      if (m.base !== null) old.push(m.base);
      // (The incr file opened when the rewrite began, and any after it; with AOF off, none.)
      const keep = incr === null ? [] : m.incrs.filter((f) => f.seq >= incr.seq);
      for (const f of m.incrs) if (!keep.includes(f)) old.push(f);
      m.base = { name: baseName, seq: baseSeq, type: 'b' };
      m.incrs = incr !== null && keep.length === 0 ? [incr] : keep;
      m.history = [];
      this.persistManifest(m);
      this.manifest = m;
      for (const f of old) {
        if (m.incrs.some((i) => i.name === f.name) || f.name === baseName) continue;
        log.notice(`Removing the history file ${f.name} in the background`);
        await fs.promises.unlink(this.filePath(f.name)).catch(() => {});
      }
      this.baseSize = size;
      let incrSize = 0;
      for (const f of m.incrs) incrSize += this.sizeOf(f.name);
      this.currentSize = size + incrSize;
      this.rewriteBaseSize = this.currentSize;
      this.lastRewriteStatus = 'ok';
      this.consecutiveFailures = 0;
      if (counted) this.rewrites++;
      log.notice('Background AOF rewrite finished successfully');
    } catch (err) {
      // A snapshot that never ran (the temp file could not be opened) still holds the hook.
      if (!Buffer.isBuffer(image)) this.wiring.setBeforeWrite?.(null);
      this.lastRewriteStatus = 'err';
      this.consecutiveFailures++;
      log.warning(`Background AOF rewrite failed: ${(err as Error).message}`);
      await fs.promises.unlink(temp).catch(() => {});
    } finally {
      this.lastRewriteSec = Math.round((Date.now() - t0) / 1000);
      this.rewriting = false;
    }
  }

  /** Replaces the manifest atomically: temp file, fsync, rename, fsync of the directory. */
  private persistManifest(m: Manifest): void {
    const dir = this.dirName;
    const temp = path.join(dir, `temp-${this.manifestName}`);
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, m.format(), null, 'latin1');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path.join(dir, this.manifestName));
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }

  /** Redis's writeCommandsDeniedByDiskError for the AOF. */
  writeError(): string | null {
    if (!this.enabled || this.lastWriteStatus === 'ok') return null;
    return `MISCONF Errors writing to the AOF file: ${this.lastWriteError}`;
  }

  // ---- INFO --------------------------------------------------------------------------------

  info(): { head: string[]; tail: string[] } {
    const head = [
      `aof_enabled:${this.enabled ? 1 : 0}`,
      `aof_rewrite_in_progress:${this.rewriting ? 1 : 0}`,
      `aof_rewrite_scheduled:${this.scheduled ? 1 : 0}`,
      `aof_last_rewrite_time_sec:${this.lastRewriteSec}`,
      `aof_current_rewrite_time_sec:${this.rewriting ? Math.round((Date.now() - this.rewriteStartedAt) / 1000) : -1}`,
      `aof_last_bgrewrite_status:${this.lastRewriteStatus}`,
      `aof_rewrites:${this.rewrites}`,
      `aof_rewrites_consecutive_failures:${this.consecutiveFailures}`,
      `aof_last_write_status:${this.lastWriteStatus}`,
      'aof_last_cow_size:0',
    ];
    if (!this.enabled) return { head, tail: [] };
    const tail = [
      `aof_current_size:${this.currentSize + this.pendingBytes}`,
      `aof_base_size:${this.baseSize}`,
      'aof_pending_rewrite:0',
      `aof_buffer_length:${this.pendingBytes}`,
      `aof_pending_bio_fsync:${this.fsyncInFlight === null ? 0 : 1}`,
      'aof_delayed_fsync:0',
    ];
    return { head, tail };
  }
}
