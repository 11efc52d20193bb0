/**
 * Helpers every command family uses: Redis's error texts, strict number parsing with Redis's
 * rules (string2ll, string2ld), and typed key lookups that answer WRONGTYPE themselves.
 *
 * Helpers named `…OrReply` write the error reply and return null when they fail, so a handler
 * reads `const n = intOrReply(s, arg); if (n === null) return;` (Redis's getLongLongFromObjectOrReply).
 */

import type { Db, Value } from '../store/db.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import type { ServerContext } from './types.ts';

export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INT = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_NO_SUCH_KEY = 'ERR no such key';

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/**
 * Parses a signed 64-bit integer with string2ll's rules: optional '-', digits, no '+', no
 * leading zeros, no spaces. Returns a number when it is a safe integer, a bigint otherwise,
 * and null when the text is not an int64.
 */
export function parseInt64(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) return Number(s);
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return null;
  if (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(b);
  return b;
}

/** parseInt64 that writes "value is not an integer or out of range" on failure. */
export function intOrReply(out: ReplyWriter, s: string, err = ERR_NOT_INT): number | bigint | null {
  const v = parseInt64(s);
  if (v === null) out.error(err);
  return v;
}

/**
 * An int64 argument that must also fit a JS safe integer (counts, offsets, indexes, times).
 * Values beyond ±2^53 are refused with `err`, which only differs from Redis for arguments no
 * real workload sends (and for which Redis would answer an error or an empty result anyway).
 */
export function safeIntOrReply(out: ReplyWriter, s: string, err = ERR_NOT_INT): number | null {
  const v = parseInt64(s);
  if (v === null || typeof v === 'bigint') {
    out.error(err);
    return null;
  }
  return v;
}

/** Adds two int64s; null on overflow. */
export function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (r > INT64_MAX || r < INT64_MIN) return null;
  return r;
}

/**
 * Parses a float argument as Redis's string2ld/strtold does for commands: decimal or exponent
 * notation, "inf"/"-inf"/"+inf" (and "infinity"), no NaN, no surrounding spaces.
 */
export function parseFloatArg(s: string): number | null {
  if (s.length === 0 || s.length > 5000) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    if (/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(s)) return parseHexFloat(s);
    return null;
  }
  return Number(s);
}

function parseHexFloat(s: string): number | null {
  const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(s);
  if (m === null) return null;
  let v = parseInt(m[2]!, 16);
  const frac = m[3] ?? '';
  for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
  v *= 2 ** Number(m[4] ?? 0);
  return m[1] === '-' ? -v : v;
}

/** Reads a string value for a read command: undefined if missing, null after replying WRONGTYPE. */
export function getStringOrReply(s: ServerContext, db: Db, key: string): string | undefined | null {
  const v = db.lookupRead(key, s.now);
  if (v === undefined || typeof v === 'string') return v;
  s.out.error(ERR_WRONGTYPE);
  return null;
}

/** Like getStringOrReply, for commands that write (no hit/miss accounting). */
export function getStringForWriteOrReply(s: ServerContext, db: Db, key: string): string | undefined | null {
  const v: Value | undefined = db.get(key, s.now);
  if (v === undefined || typeof v === 'string') return v;
  s.out.error(ERR_WRONGTYPE);
  return null;
}

/** A value class (ListValue, HashValue, SetValue, ZSet…) as `instanceof` takes it. */
type ValueClass<T> = abstract new (...args: never[]) => T;

/**
 * The value at `key` for a read command if it is a `T`: undefined if missing, null after
 * answering WRONGTYPE. Counted as a keyspace hit or miss (Redis's lookupKeyRead).
 */
export function typedForRead<T>(s: ServerContext, db: Db, key: string, cls: ValueClass<T>): T | undefined | null {
  const v = db.lookupRead(key, s.now);
  if (v === undefined || v instanceof cls) return v as T | undefined;
  s.out.error(ERR_WRONGTYPE);
  return null;
}

/** Like typedForRead, for commands that write (no hit/miss accounting: lookupKeyWrite). */
export function typedForWrite<T>(s: ServerContext, db: Db, key: string, cls: ValueClass<T>): T | undefined | null {
  const v = db.get(key, s.now);
  if (v === undefined || v instanceof cls) return v as T | undefined;
  s.out.error(ERR_WRONGTYPE);
  return null;
}

/** Case-insensitive equality against a lower-case ASCII word. */
export function eqi(arg: string, lower: string): boolean {
  return arg.length === lower.length && arg.toLowerCase() === lower;
}

export const ERR_INT32_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

/**
 * Redis's getIntFromObjectOrReply: an int64 argument that must fit a C int. Non-integers get
 * "value is not an integer or out of range"; integers outside the int range get their own error.
 */
export function int32OrReply(out: ReplyWriter, s: string): number | null {
  const v = parseInt64(s);
  if (v === null) {
    out.error(ERR_NOT_INT);
    return null;
  }
  if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
    out.error(ERR_INT32_RANGE);
    return null;
  }
  return v;
}
