/**
 * `client-output-buffer-limit`: parsing, merging and printing the option in Redis's syntax, and
 * the rule that decides when a client's pending output is over its class's limit.
 *
 * Contract
 * - The option's value is `<class> <hard> <soft> <soft-seconds>` repeated; classes are
 *   `normal`, `replica` (alias `slave`) and `pubsub`; hard and soft are byte sizes (k/kb/m/mb/g/gb
 *   suffixes), soft-seconds a non-negative integer. A CONFIG SET or config line names only the
 *   classes it changes; the others keep their values (Redis's updateClientOutputBufferLimit).
 *   CONFIG GET prints all three classes, `slave` spelt as Redis 7.0 spells it.
 * - `overLimit()` is Redis's checkClientOutputBufferLimits: over when pending ≥ hard (hard > 0),
 *   or when pending has stayed ≥ soft (soft > 0) for more than soft-seconds; the time over the
 *   soft limit is measured from the first check that found it so, and reset by a check that
 *   finds it below. It is called where output is queued for a client, so (as in Redis) a
 *   client is only judged when something is added to its output.
 * - Front-ends own "pending": what they hold for the client that the socket has not accepted
 *   (docs/limits.md says what that is in each I/O mode).
 *
 * Imports nothing of ours except the byte-size parser.
 */

import { parseBytes } from './units.ts';

export interface ClassLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Client classes, in the order CONFIG GET prints them. */
export const CLIENT_CLASSES = ['normal', 'replica', 'pubsub'] as const;
export type ClientClass = (typeof CLIENT_CLASSES)[number];

export type OutputLimits = Record<ClientClass, ClassLimit>;

export const OUTPUT_LIMIT_DEFAULT = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

const ERR_ARGS = 'Wrong number of arguments in buffer limit configuration.';
const ERR_CLASS = 'Invalid client class specified in buffer limit configuration.';
const ERR_VALUE = 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';

function className(word: string): ClientClass | null {
  const w = word.toLowerCase();
  if (w === 'normal' || w === 'pubsub' || w === 'replica') return w;
  if (w === 'slave') return 'replica';
  return null;
}

/**
 * Parses a value naming some classes: the classes it sets, or Redis's error text (after
 * "CONFIG SET failed (possibly related to argument '…') - ").
 */
export function parseOutputLimits(value: string): Map<ClientClass, ClassLimit> | string {
  const words = value.split(/\s+/).filter((w) => w !== '');
  if (words.length % 4 !== 0) return ERR_ARGS;
  const out = new Map<ClientClass, ClassLimit>();
  for (let i = 0; i < words.length; i += 4) {
    const cls = className(words[i]!);
    if (cls === null) return ERR_CLASS;
    const hard = parseBytes(words[i + 1]!);
    const soft = parseBytes(words[i + 2]!);
    const secs = /^-?\d+$/.test(words[i + 3]!) ? Number(words[i + 3]) : NaN;
    if (!(hard >= 0) || !(soft >= 0) || !(secs >= 0)) return ERR_VALUE;
    out.set(cls, { hard, soft, softSeconds: secs });
  }
  return out;
}

/** The value as CONFIG GET prints it: every class, in Redis's order and spelling. */
export function formatOutputLimits(limits: OutputLimits): string {
  return CLIENT_CLASSES.map((c) => {
    const l = limits[c];
    return `${c === 'replica' ? 'slave' : c} ${l.hard} ${l.soft} ${l.softSeconds}`;
  }).join(' ');
}

/** The full limits an option value stands for (classes it does not name keep the defaults). */
export function outputLimitsOf(value: string): OutputLimits {
  const limits = parseOutputLimits(OUTPUT_LIMIT_DEFAULT) as Map<ClientClass, ClassLimit>;
  const set = parseOutputLimits(value);
  if (typeof set !== 'string') for (const [c, l] of set) limits.set(c, l);
  return { normal: limits.get('normal')!, replica: limits.get('replica')!, pubsub: limits.get('pubsub')! };
}

/** `current` with the classes `value` names replaced: what a CONFIG SET stores. */
export function mergeOutputLimits(value: string, current: string): string {
  const merged = outputLimitsOf(current);
  const set = parseOutputLimits(value);
  if (typeof set !== 'string') for (const [c, l] of set) merged[c] = l;
  return formatOutputLimits(merged);
}

/**
 * One client's standing against its class's limit: how long it has been over the soft limit.
 * `overLimit` returns true when the client must be closed.
 */
export class OutputLimitState {
  /** When a check first found the client at or over the soft limit (ms), 0 when below. */
  softSince = 0;

  overLimit(l: ClassLimit, pending: number, now: number): boolean {
    if (l.hard > 0 && pending >= l.hard) return true;
    if (l.soft > 0 && pending >= l.soft) {
      if (this.softSince === 0) {
        this.softSince = now;
        return false;
      }
      return now - this.softSince > l.softSeconds * 1000;
    }
    this.softSince = 0;
    return false;
  }
}
