/**
 * ringkv-server: the composition root. Reads the configuration the way redis-server does
 * (`ringkv-server [config-file] [--option value …]`), builds the engine and the I/O front-end,
 * and handles start-up and shutdown.
 */

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { applyConfigText, Config, ConfigError, configText } from '../config/config.ts';
import { Engine } from '../engine/engine.ts';
import { RdbLoadError, RdbPersistence } from '../persistence/rdb/persistence.ts';
import { SingleFrontEnd } from '../io/single/frontend.ts';
import { ThreadedFrontEnd } from '../io/threaded/frontend.ts';
import { log, type LogLevel } from '../lib/log.ts';
import { startProfileSampler } from '../lib/profile-sampler.ts';
import { installShutdown } from './shutdown.ts';
import { REDIS_COMPAT_VERSION } from '../commands/connection.ts';
import { Aof, AofLoadError } from '../persistence/aof/index.ts';
import type { ClientConnection } from '../engine/client.ts';

export const RINGKV_VERSION = '0.1.0';

const USAGE = `Usage: ringkv-server [/path/to/redis.conf] [--option value ...]
       ringkv-server -v | --version
       ringkv-server -h | --help

Examples:
       ringkv-server                      (defaults: port 6379, bind 127.0.0.1)
       ringkv-server ringkv.conf
       ringkv-server --port 7777 --io-threads 2
`;

/** Builds the configuration from the command line, or throws ConfigError. */
export function loadConfig(args: readonly string[]): Config {
  const config = new Config();
  let fileText = '';
  let rest = args;
  if (rest.length > 0 && !rest[0]!.startsWith('--')) {
    const file = rest[0]!;
    try {
      fileText = readFileSync(file, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new ConfigError(`Fatal error, can't open config file '${file}': ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`);
    }
    rest = rest.slice(1);
  }
  applyConfigText(config, configText(fileText, rest), RINGKV_VERSION);
  return config;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`ringkv server v=${RINGKV_VERSION} redis-compat=${REDIS_COMPAT_VERSION} node=${process.version}\n`);
    return;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  let config: Config;
  try {
    config = loadConfig(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  log.level = config.get('loglevel') as LogLevel;
  log.file = config.get('logfile');
  config.onChange((name, value) => {
    if (name === 'loglevel') log.level = value as LogLevel;
  });
  try {
    process.chdir(config.get('dir'));
  } catch (err) {
    process.stderr.write(`Can't chdir to '${config.get('dir')}': ${(err as Error).message}\n`);
    process.exit(1);
  }

  startProfileSampler('main'); // RINGKV_PROFILE_SAMPLES (ringkv profile); nothing when unset
  log.notice('oO0OoO0OoO0Oo ringkv is starting oO0OoO0OoO0Oo');
  log.notice(`ringkv version=${RINGKV_VERSION}, redis-compat=${REDIS_COMPAT_VERSION}, node=${process.version}, pid=${process.pid}, cores=${os.availableParallelism()}`);
  const engine = new Engine(config);
  // RDB persistence (src/persistence/rdb): the dump is loaded before listening (with
  // appendonly yes the AOF is loaded instead, as Redis does); BGSAVE's copy-on-write hook and
  // the save points reach the engine through its hooks.
  const rdb = new RdbPersistence(engine.keyspace, config, {
    setBeforeWrite: (fn) => {
      engine.beforeWrite = fn;
    },
    commandsProcessed: () => engine.stats.totalCommandsProcessed,
    // One background save-like job at a time, as Redis's one child: a BGSAVE waits for an AOF rewrite.
    otherSaveActive: () => aof.rewriteInProgress,
  });
  engine.persistence = rdb;
  engine.onCron = () => rdb.cron();
  if (!config.bool('appendonly')) {
    try {
      rdb.loadAtStartup();
    } catch (err) {
      if (!(err instanceof RdbLoadError)) throw err;
      log.warning(err.message);
      if (log.file !== '') process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
  }
  const aof = startAof(engine, config, rdb);
  const ioThreads = config.int('io-threads');
  const frontEnd = ioThreads > 1 ? new ThreadedFrontEnd(engine, config, ioThreads) : new SingleFrontEnd(engine, config);
  log.notice(ioThreads > 1 ? `Threaded I/O: ${ioThreads - 1} I/O threads, executor on the main thread` : 'Single-threaded I/O');
  let bound;
  try {
    bound = await frontEnd.listen();
  } catch (err) {
    log.warning(`Failed listening on port ${config.int('port')} (tcp): ${(err as Error).message}`);
    process.exit(1);
  }
  engine.startCron();
  for (const b of bound) log.notice(`Listening on ${b.address}:${b.port}`);
  log.notice('Server initialized');
  log.notice('Ready to accept connections tcp');

  // SHUTDOWN and SIGTERM/SIGINT (src/server/shutdown.ts): final save, the AOF's fsync, exit 0.
  installShutdown({ engine, frontEnd, finalSave: (always) => rdb.saveOnShutdown(always), beforeExit: [() => aof.shutdown()] });
}

/**
 * The append-only file (src/persistence/aof), wired to the executor's propagation hook and
 * reply gate, and loaded (when appendonly is yes) before any client is served: each command of
 * the files runs through the executor as a client without a socket.
 */
function startAof(engine: Engine, config: Config, rdb: RdbPersistence): Aof {
  const aof = new Aof(config, engine.keyspace, {
    setPropagation: (hook) => engine.setPropagation(hook),
    setDurability: (d) => {
      engine.durability = d;
    },
    // The rewrite's RDB preamble is a copy-on-write snapshot through the same executor hook as
    // BGSAVE's; the two never run at once (otherSaveActive on both sides).
    setBeforeWrite: (fn) => {
      engine.beforeWrite = fn;
    },
    otherSaveActive: () => rdb.bgsaveInProgress,
    commandsProcessed: () => engine.stats.totalCommandsProcessed,
  });
  engine.aof = aof;
  const loader: ClientConnection = { deliver: () => {}, close: () => {}, queryBufferLength: () => 0, outputBufferLength: () => 0 };
  const c = engine.connect(loader, '/aof-loading', '', -1);
  c.authenticated = true;
  try {
    aof.load((argv) => {
      engine.execute(c, argv);
      const reply = engine.takeReplies();
      if (reply === null || reply[0] !== 0x2d) return null;
      const text = reply.toString('latin1', 1);
      return text.slice(0, text.indexOf('\r'));
    });
  } catch (err) {
    if (!(err instanceof AofLoadError)) throw err;
    log.warning(err.message);
    process.exit(1);
  } finally {
    engine.disconnect(c);
    // The loading client is no connection anyone made.
    engine.stats.totalConnectionsReceived--;
  }
  return aof;
}

await main();
