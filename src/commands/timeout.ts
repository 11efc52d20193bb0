/**
 * The timeout argument of the blocking commands (BLPOP … BZMPOP): seconds as a float, turned
 * into a deadline the way Redis 7.0's getTimeoutFromObjectOrReply does.
 *
 * Contract
 * - The text is parsed as a C `long double` (string2ld: decimal, hex, "inf", no spaces, no NaN;
 *   src/commands/longdouble.ts), else "ERR timeout is not a float or out of range".
 * - Milliseconds = ceil(seconds × 1000) computed in long double, then converted to a 64-bit
 *   integer; out of that range (inf, 1e400, 9223372036854775807) the conversion gives INT64_MIN
 *   on x86-64, so those are "ERR timeout is negative", as is anything below 0. Because of the
 *   ceiling, a small negative value (-0.0001) is 0: wait forever; 0.0001 waits 1 ms.
 * - A positive value becomes now + ms. A sum past INT64_MAX wraps to a negative time in Redis,
 *   which its timeout table sorts after every real deadline: it never fires. That is returned
 *   as Infinity (forever, but the client still counts as having a deadline).
 *
 * Imports nothing of ours but its siblings.
 */

import type { ReplyWriter } from '../protocol/writer.ts';
import { parseLongDouble } from './longdouble.ts';

const ERR_TIMEOUT_FLOAT = 'ERR timeout is not a float or out of range';
const ERR_TIMEOUT_NEGATIVE = 'ERR timeout is negative';
const INT64_MAX = (1n << 63n) - 1n;
const SIGNIFICAND_BITS = 64;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * ceil(seconds × 1000) as long double arithmetic gives it: the product rounded to a 64-bit
 * significand (nearest, ties to even), then the ceiling. Null when it does not fit an int64.
 */
function millisCeil(neg: boolean, mant: bigint, exp: number): bigint | null {
  let m = mant * 1000n;
  let e = exp;
  const bits = bitLength(m);
  if (bits > SIGNIFICAND_BITS) {
    const shift = BigInt(bits - SIGNIFICAND_BITS);
    let q = m >> shift;
    const rem = m - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    m = q;
    e += bits - SIGNIFICAND_BITS;
  }
  let whole: bigint;
  if (e >= 0) {
    if (bitLength(m) + e > 64) return null;
    whole = m << BigInt(e);
  } else if (-e > bitLength(m) + 1) {
    whole = 0n; // a fraction below one: its ceiling is 1 (positive) or -0 (negative)
    if (m !== 0n && !neg) return 1n;
  } else {
    const shift = BigInt(-e);
    whole = m >> shift;
    if (!neg && whole << shift !== m) whole += 1n; // the ceiling of a positive fraction
  }
  if (neg) whole = -whole;
  return whole > INT64_MAX || whole < -INT64_MAX ? null : whole;
}

/**
 * The deadline (Unix ms) a timeout argument gives at `now`: 0 for no deadline, Infinity for one
 * that never comes (see the contract); null after replying an error.
 */
export function timeoutOrReply(out: ReplyWriter, arg: string, now: number): number | null {
  let ms: bigint | null;
  // The common spellings ("0", "5") without the long double model.
  if (arg.length <= 9 && /^[0-9]+$/.test(arg)) {
    ms = BigInt(arg) * 1000n;
  } else {
    const v = parseLongDouble(arg);
    if (v === null || v.kind === 'nan') {
      out.error(ERR_TIMEOUT_FLOAT);
      return null;
    }
    ms = v.kind === 'inf' ? null : millisCeil(v.neg, v.mant, v.exp);
  }
  if (ms === null || ms < 0n) {
    out.error(ERR_TIMEOUT_NEGATIVE);
    return null;
  }
  if (ms === 0n) return 0;
  const deadline = ms + BigInt(now);
  return deadline > INT64_MAX ? Infinity : Number(deadline);
}
