/**
 * Server configuration: the typed table of every option ringkv understands, parsing of values
 * in redis.conf syntax, and the live values that CONFIG GET/SET read and change.
 *
 * Contract
 * - OPTIONS is the one source of truth: the config file reader, the command line, CONFIG GET,
 *   CONFIG SET and docs/config.md (checked by a test) all come from it.
 * - Values are parsed as Redis parses them: integers and byte sizes with k/kb/m/mb/g/gb
 *   suffixes (k = 1000, kb = 1024), yes/no booleans, enums, and strings.
 * - An option ringkv does not implement yet is absent, so a config file using it fails loudly at
 *   start-up rather than being silently ignored.
 *
 * Imports nothing of ours but its leaf helpers (units.ts, outputlimits.ts, keyspace-events.ts).
 */

import { mergeOutputLimits, OUTPUT_LIMIT_DEFAULT, parseOutputLimits } from './outputlimits.ts';
import { parseBytes } from './units.ts';
import { ERR_KEYSPACE_EVENTS, parseKeyspaceEvents, shownKeyspaceEvents, storedKeyspaceEvents } from './keyspace-events.ts';

export { parseBytes };

export type OptionType = 'int' | 'bytes' | 'bool' | 'enum' | 'string';

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly default: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** CONFIG SET may change it while running. */
  readonly mutable: boolean;
  readonly doc: string;
  /** Extra check on a parsed value; returns an error text or null. */
  readonly check?: (v: string) => string | null;
  /** Maps an accepted value to the one stored (Redis clamps `hz` to 1..500 this way). */
  readonly normalize?: (v: string) => string;
  /**
   * For an option whose value may name only some of its parts (client-output-buffer-limit):
   * the value to store given the accepted one and the current one.
   */
  readonly merge?: (v: string, current: string) => string;
  /** Maps the stored value to the one CONFIG GET shows, where Redis prints less than it keeps. */
  readonly show?: (v: string) => string;
}

/** The words of a `save` value as Redis splits them (single spaces), each read with strtoll. */
function saveWords(v: string): number[] | null {
  if (v === '') return [];
  const out: number[] = [];
  for (const w of v.split(' ')) {
    if (!/^[ \t\n\v\f\r]*[+-]?\d*$/.test(w)) return null;
    const t = w.trim();
    out.push(t === '' || t === '+' || t === '-' ? 0 : Number(t));
  }
  return out;
}

/** `save` points: pairs of <seconds >= 1> <changes >= 0>, or "" for none (Redis's setConfigSaveOption). */
function checkSavePoints(v: string): string | null {
  const w = saveWords(v);
  if (w === null || w.length % 2 !== 0) return 'Invalid save parameters';
  for (let i = 0; i < w.length; i++) if (!Number.isSafeInteger(w[i]) || w[i]! < (i % 2 === 0 ? 1 : 0)) return 'Invalid save parameters';
  return null;
}

function normalizeSavePoints(v: string): string {
  return saveWords(v)!.join(' ');
}

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

export const OPTIONS = [
  { name: 'port', type: 'int', default: '6379', min: 0, max: 65535, mutable: false, doc: 'TCP port to listen on (0 = do not listen).' },
  { name: 'bind', type: 'string', default: '127.0.0.1', mutable: false, doc: 'Addresses to listen on, space separated.' },
  { name: 'protected-mode', type: 'bool', default: 'yes', mutable: true, doc: 'With no password set, accept only loopback clients.' },
  { name: 'requirepass', type: 'string', default: '', mutable: true, doc: 'Password of the default user; empty = no AUTH required.' },
  { name: 'databases', type: 'int', default: '16', min: 1, max: INT_MAX, mutable: false, doc: 'Number of logical databases (SELECT 0..n-1).' },
  { name: 'maxclients', type: 'int', default: '10000', min: 1, max: UINT_MAX, mutable: true, doc: 'Most simultaneous client connections.' },
  { name: 'timeout', type: 'int', default: '0', min: 0, max: INT_MAX, mutable: true, doc: 'Close a client idle for this many seconds (0 = never).' },
  { name: 'io-threads', type: 'int', default: '1', min: 1, max: 128, mutable: false, doc: 'Threads doing socket I/O, including the main one (1 = single-threaded front-end).' },
  { name: 'io-threads-force', type: 'bool', default: 'no', mutable: false, doc: 'With io-threads > 1: yes = every client is served by an I/O thread; no = adaptive: new clients go to the I/O threads only while the main thread is saturated and a core is idle, else they are served on the main thread.' },
  { name: 'loglevel', type: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning'], mutable: true, doc: 'Log verbosity.' },
  { name: 'logfile', type: 'string', default: '', mutable: false, doc: 'Log file path; empty = standard output.' },
  { name: 'dir', type: 'string', default: '.', mutable: true, doc: 'Working directory for persistence files.' },
  { name: 'dbfilename', type: 'string', default: 'dump.rdb', mutable: true, doc: 'RDB dump file name, in dir (loaded at start-up, written by SAVE/BGSAVE).',
    check: (v) => (v === '' || v.includes('/') ? 'dbfilename can\'t be a path, just a filename' : null) },
  { name: 'save', type: 'string', default: '', mutable: true, doc: 'RDB save points, "<seconds> <changes> ..." (BGSAVE after that many changes in that many seconds); "" = none. Several save lines in a config file add up, as in Redis. Default "" (Redis: "3600 1 300 100 60 10000").',
    check: checkSavePoints, normalize: normalizeSavePoints },
  { name: 'rdbcompression', type: 'bool', default: 'yes', mutable: true, doc: 'LZF-compress strings over 20 bytes in RDB files.' },
  { name: 'rdbchecksum', type: 'bool', default: 'yes', mutable: false, doc: 'Write a CRC-64 at the end of RDB files, and check it when loading.' },
  { name: 'stop-writes-on-bgsave-error', type: 'bool', default: 'yes', mutable: true, doc: 'Refuse writes (MISCONF) while the last background save failed and save points are set.' },
  { name: 'appendonly', type: 'bool', default: 'no', mutable: true, doc: 'Append-only file persistence (docs/persistence.md). CONFIG SET appendonly yes writes a base file first.' },
  { name: 'appendfilename', type: 'string', default: 'appendonly.aof', mutable: false, doc: 'Base name of the AOF files (<name>.<seq>.base.rdb, <name>.<seq>.incr.aof, <name>.manifest).',
    check: (v) => (v === '' || v.includes('/') || v === '.' || v === '..' ? 'appendfilename can\'t be a path, just a filename' : null) },
  { name: 'appenddirname', type: 'string', default: 'appendonlydir', mutable: false, doc: 'Directory (inside dir) holding the AOF files and their manifest.',
    check: (v) => (v === '' || v.includes('/') || v === '.' || v === '..' ? 'appenddirname can\'t be a path, just a dirname' : null) },
  { name: 'appendfsync', type: 'enum', default: 'everysec', values: ['everysec', 'always', 'no'], mutable: true, doc: 'AOF fsync policy: always (no reply before the write is on disk; group commit), everysec (background fsync each second), no (the kernel decides).' },
  { name: 'no-appendfsync-on-rewrite', type: 'bool', default: 'no', mutable: true, doc: 'Skip the AOF fsync while a rewrite runs.' },
  { name: 'auto-aof-rewrite-percentage', type: 'int', default: '100', min: 0, max: INT_MAX, mutable: true, doc: 'Rewrite the AOF when it grew by this percentage over its size after the last rewrite (0 = never).' },
  { name: 'auto-aof-rewrite-min-size', type: 'bytes', default: '67108864', min: 0, max: LLONG_MAX, mutable: true, doc: 'No automatic AOF rewrite below this size.' },
  { name: 'aof-load-truncated', type: 'bool', default: 'yes', mutable: true, doc: 'At start-up, load a torn AOF tail up to the last complete command (and truncate it) instead of refusing to start.' },
  { name: 'aof-use-rdb-preamble', type: 'bool', default: 'yes', mutable: true, doc: 'An AOF rewrite writes its base file in RDB format (else as commands).' },
  { name: 'aof-timestamp-enabled', type: 'bool', default: 'no', mutable: true, doc: 'Accepted for compatibility; only "no" (no timestamp annotations).',
    check: (v) => (v === 'no' ? null : 'AOF timestamp annotations are not supported') },
  { name: 'hz', type: 'int', default: '10', min: 0, max: INT_MAX, mutable: true, doc: 'Background task frequency (active expiry cycles per second); clamped to 1..500.',
    normalize: (v) => String(Math.min(500, Math.max(1, Number(v)))) },
  { name: 'proto-max-bulk-len', type: 'bytes', default: '536870912', min: 1024 * 1024, max: LLONG_MAX, mutable: true, doc: 'Largest bulk string a client may send.' },
  { name: 'client-query-buffer-limit', type: 'bytes', default: '1073741824', min: 1024 * 1024, max: LLONG_MAX, mutable: true, doc: 'Most unparsed input held for one client before it is closed.' },
  { name: 'tcp-backlog', type: 'int', default: '511', min: 0, max: INT_MAX, mutable: false, doc: 'listen() backlog.' },
  { name: 'tcp-keepalive', type: 'int', default: '300', min: 0, max: INT_MAX, mutable: true, doc: 'TCP keepalive interval in seconds (0 = off).' },
  { name: 'enable-debug-command', type: 'enum', default: 'no', values: ['no', 'yes', 'local'], mutable: false, doc: 'Allow the DEBUG command: no, yes, or local (loopback clients only).' },
  { name: 'notify-keyspace-events', type: 'string', default: '', mutable: true,
    doc: 'Keyspace notifications to publish: K (__keyspace@<db>__ channels) and/or E (__keyevent@<db>__ channels), with the event classes g generic, $ string, l list, s set, h hash, z zset, x expired, e evicted, t stream, m key miss, d module, n new key, A = g$lshzxetd. Empty = none.',
    check: (v) => (parseKeyspaceEvents(v) < 0 ? ERR_KEYSPACE_EVENTS : null),
    normalize: (v) => storedKeyspaceEvents(parseKeyspaceEvents(v)), show: shownKeyspaceEvents },
  // ---- limits and eviction (docs/limits.md) ----
  { name: 'client-output-buffer-limit', type: 'string', default: OUTPUT_LIMIT_DEFAULT, mutable: true,
    doc: 'Per client class (normal, replica/slave, pubsub): hard limit, soft limit and seconds over the soft limit after which a client whose pending output exceeds them is closed (0 = none). A value may name only some classes.',
    check: (v) => { const r = parseOutputLimits(v); return typeof r === 'string' ? r : null; }, merge: mergeOutputLimits },
  { name: 'maxmemory', type: 'bytes', default: '0', min: 0, max: LLONG_MAX, mutable: true, doc: 'Memory limit for the dataset (0 = none); past it, maxmemory-policy applies.' },
  { name: 'maxmemory-policy', type: 'enum', default: 'noeviction',
    values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], mutable: true,
    doc: 'What to do past maxmemory: noeviction refuses commands that may grow memory with an OOM error; the others evict keys (see docs/limits.md for how ringkv approximates each).' },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: INT_MAX, mutable: true, doc: 'Keys sampled per eviction.' },
  { name: 'daemonize', type: 'bool', default: 'no', mutable: false, doc: 'Accepted for compatibility; only "no" is supported.',
    check: (v) => (v === 'no' ? null : 'daemonize is not supported; run under a supervisor') },
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof OPTIONS)[number]['name'];

const byName = new Map<string, OptionSpec>(OPTIONS.map((o) => [o.name, o]));

export function optionSpec(name: string): OptionSpec | undefined {
  return byName.get(name.toLowerCase());
}


/**
 * Checks and normalises one value for `spec`. Returns [normalised, null] or [null, error], the
 * error worded as Redis words it after "CONFIG SET failed (possibly related to argument 'x') - ".
 */
export function parseValue(spec: OptionSpec, raw: string): [string, null] | [null, string] {
  let v = raw;
  switch (spec.type) {
    case 'int':
    case 'bytes': {
      // Plain integers follow string2ll (no '+', no leading zeros, no "-0"); sizes, memtoull.
      const n = spec.type === 'bytes' ? parseBytes(v) : (/^(0|-?[1-9]\d*)$/.test(v) ? Number(v) : NaN);
      if (!Number.isSafeInteger(n)) {
        return [null, spec.type === 'bytes' ? 'argument must be a memory value' : 'argument couldn\'t be parsed into an integer'];
      }
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        // Our "long long" bound is the largest safe integer; Redis names the real one.
        const max = spec.max === LLONG_MAX ? '9223372036854775807' : spec.max;
        return [null, `argument must be between ${spec.min} and ${max} inclusive`];
      }
      v = String(n);
      break;
    }
    case 'bool': {
      const l = v.toLowerCase();
      if (l !== 'yes' && l !== 'no') return [null, 'argument must be \'yes\' or \'no\''];
      v = l;
      break;
    }
    case 'enum': {
      const l = v.toLowerCase();
      if (!spec.values!.includes(l)) return [null, `argument(s) must be one of the following: ${spec.values!.join(', ')}`];
      v = l;
      break;
    }
    case 'string':
      break;
  }
  const problem = spec.check?.(v) ?? null;
  if (problem !== null) return [null, problem];
  return [spec.normalize?.(v) ?? v, null];
}

/** The live configuration: every option's current value as a string, plus typed accessors. */
export class Config {
  private readonly values = new Map<string, string>();
  private readonly listeners: Array<(name: OptionName, value: string) => void> = [];

  constructor() {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
  }

  get(name: OptionName): string {
    return this.values.get(name)!;
  }

  int(name: OptionName): number {
    return Number(this.values.get(name));
  }

  bool(name: OptionName): boolean {
    return this.values.get(name) === 'yes';
  }

  /** Sets an already-validated value and tells the listeners. */
  set(name: OptionName, value: string): void {
    const merge = byName.get(name)?.merge;
    if (merge !== undefined) value = merge(value, this.values.get(name)!);
    this.values.set(name, value);
    for (const l of this.listeners) l(name, value);
  }

  onChange(listener: (name: OptionName, value: string) => void): void {
    this.listeners.push(listener);
  }

  /** Every option, in table order, with its current value. */
  entries(): Array<[OptionName, string]> {
    return OPTIONS.map((o) => [o.name, this.values.get(o.name)!]);
  }
}

export class ConfigError extends Error {}

/**
 * Splits a redis.conf line into arguments: blanks separate, "double" and 'single' quotes group
 * (with the same escapes as inline commands). Returns null for unbalanced quotes.
 */
export function splitConfigLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    let cur = '';
    const q = line[i];
    if (q === '"' || q === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          if (q === '"') {
            if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
              cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
              i += 4;
              continue;
            }
            cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
            i += 2;
            continue;
          }
          if (e === "'") {
            cur += "'";
            i += 2;
            continue;
          }
        }
        if (c === q) {
          closed = true;
          i++;
          break;
        }
        cur += c;
        i++;
      }
      if (!closed || (i < n && !/\s/.test(line[i]!))) return null;
    } else {
      while (i < n && !/\s/.test(line[i]!)) cur += line[i++];
    }
    out.push(cur);
  }
  return out;
}

/** Options that take several words (`bind 127.0.0.1 ::1`, `save 3600 1 300 100`). */
const MULTI_WORD = new Set(['bind', 'save', 'client-output-buffer-limit']);

/**
 * Applies a redis.conf text to `config`. Throws ConfigError in the shape of Redis's report:
 *
 *     *** FATAL CONFIG FILE ERROR (ringkv x.y.z) ***
 *     Reading the configuration file, at line N
 *     >>> 'the line'
 *     reason, in Redis's wording
 *
 * Line numbers count as Redis counts them over the text given (see configText()).
 */
export function applyConfigText(config: Config, text: string, version: string): void {
  const lines = text.split('\n');
  let savesSeen = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (why: string): never => {
      throw new ConfigError(
        `\n*** FATAL CONFIG FILE ERROR (ringkv ${version}) ***\nReading the configuration file, at line ${i + 1}\n>>> '${line}'\n${why}`,
      );
    };
    const args = splitConfigLine(line);
    if (args === null) fail('Unbalanced quotes in configuration line');
    const [name, ...rest] = args!;
    const spec = optionSpec(name!);
    if (spec === undefined) fail('Bad directive or wrong number of arguments');
    let value: string;
    if (MULTI_WORD.has(spec!.name)) value = rest.join(' ');
    else if (rest.length !== 1) fail('wrong number of arguments');
    else value = rest[0]!;
    const [v, err] = parseValue(spec!, value!);
    if (err !== null) fail(err);
    // Save lines add up: the first one replaces the default, the next ones append, `save ""` clears.
    if (spec!.name === 'save') {
      config.set('save', savesSeen++ > 0 && v !== '' && config.get('save') !== '' ? `${config.get('save')} ${v}` : v!);
      continue;
    }
    config.set(spec!.name as OptionName, v!);
  }
}

/** An argument quoted as Redis's sdscatrepr quotes it, so splitConfigLine gives it back. */
function reprArg(a: string): string {
  const escapes: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b' };
  let out = '"';
  for (const ch of a) {
    const c = ch.charCodeAt(0);
    if (escapes[ch] !== undefined) out += escapes[ch];
    else if (c < 32 || c > 126) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The configuration text redis-server builds from a file and `--name value …` arguments: the
 * file, a newline, then one line per `--name` with each value quoted. (So with no file the
 * first option is on line 2, as in Redis's error reports.) A bare `--save` means `save ""`.
 */
export function configText(fileText: string, args: readonly string[]): string {
  let options = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') && a.length > 2) {
      if (options !== '') options += '\n';
      options += `${a.slice(2)} `;
      const next = args[i + 1];
      if (a === '--save' && (next === undefined || next.startsWith('--'))) options += '"" ';
    } else {
      if (options === '') throw new ConfigError(`Invalid argument '${a}': options are given as --name value`);
      options += `${reprArg(a)} `;
    }
  }
  return `${fileText}\n${options}`;
}
