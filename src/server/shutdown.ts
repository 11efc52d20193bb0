/**
 * Shutting down as Redis 7.0 does (prepareForShutdown / finishShutdown), for SHUTDOWN and for
 * SIGTERM/SIGINT: one path, so both save, log and exit the same way.
 *
 * Contract
 * - A signal is handled between events, so the batch being executed has finished (Redis sets
 *   shutdown_asap and acts from serverCron, after the current command). SHUTDOWN runs inside
 *   its command: the save happens there (so a failure can be answered), the exit right after
 *   the batch (setImmediate).
 * - The final save (RDB, src/persistence/rdb) runs when save points are configured or SAVE was
 *   given, not with NOSAVE. If it fails, without FORCE the server stays up: SHUTDOWN answers
 *   its error, a signal only logs it (Redis keeps serving too). Then `beforeExit` steps run
 *   (the AOF's final flush and fsync), the listeners and every connection close, the I/O
 *   threads stop, and the process exits with 0.
 * - A second SIGINT while a shutdown is under way exits at once with 1 ("You insist..."), as in
 *   Redis.
 * - Log lines are Redis's, with "ringkv" where Redis names itself.
 */

import type { ShutdownRequest } from '../commands/types.ts';
import type { Engine } from '../engine/engine.ts';
import { log } from '../lib/log.ts';

export interface ShutdownDeps {
  readonly engine: Engine;
  readonly frontEnd: { close(): Promise<void> };
  /** The final save: RdbPersistence.saveOnShutdown (`always`: SAVE given); false if it failed. Null without RDB. */
  readonly finalSave: ((always: boolean) => boolean) | null;
  /** Steps after a successful save, before the connections close (the AOF's fsync). */
  readonly beforeExit: ReadonlyArray<() => void>;
}

export function installShutdown(d: ShutdownDeps): void {
  let exiting = false;

  /** Redis's prepareForShutdown: true when the server is exiting, false when it stays up. */
  const prepare = (o: ShutdownRequest): boolean => {
    log.warning('User requested shutdown...');
    if (o.save !== false && d.finalSave !== null && !d.finalSave(o.save === true)) {
      if (!o.force) {
        log.warning('Errors trying to shut down the server. Check the logs for more information.');
        return false;
      }
      log.warning('Error trying to save the DB. Exit anyway.');
    }
    exiting = true;
    for (const step of d.beforeExit) step();
    d.engine.stopCron();
    setImmediate(() => {
      void d.frontEnd.close().then(() => {
        log.warning('ringkv is now ready to exit, bye bye...');
        process.exit(0);
      });
    });
    return true;
  };

  d.engine.setShutdown(prepare);

  const onSignal = (signal: 'SIGTERM' | 'SIGINT'): void => {
    if (exiting) {
      if (signal === 'SIGINT') {
        log.warning('You insist... exiting now.');
        process.exit(1);
      }
      return;
    }
    log.warning(`Received ${signal} scheduling shutdown...`);
    prepare({ save: null, now: false, force: false });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
