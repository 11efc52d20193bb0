/**
 * An exact software model of the C `long double` arithmetic INCRBYFLOAT relies on.
 *
 * Why this exists: Redis 7.0 parses both operands of INCRBYFLOAT with strtold, adds them as
 * `long double` (on x86-64 Linux, the x87 80-bit extended format: 64-bit significand, 15-bit
 * exponent), and prints the sum with printf("%.17Lf") before trimming trailing zeros (util.c's
 * ld2string in LD_STR_HUMAN mode). Seventeen fractional digits are more than a 64-bit significand
 * holds once the integer part has a few digits, so the representation error shows:
 * INCRBYFLOAT of 12345.6789 on an empty key answers "12345.67889999999999961". Neither JS
 * doubles nor exact decimal arithmetic reproduce that, so this module does what the hardware
 * does, on BigInts:
 *
 *   parse  : decimal or hex text → exact rational → rounded to nearest, ties to even, to a
 *            64-bit significand (strtold), with gradual underflow (denormals down to 2^-16445)
 *            and overflow past (2^64 - 1) · 2^16320.
 *   add    : exact sum of the two values → the same rounding (x87 addition in round-to-nearest).
 *   format : the exact binary value → rounded to 17 fractional digits, ties to even (glibc
 *            printf is exact and honours the rounding mode), trailing zeros trimmed.
 *
 * Every step is exact, so the model agrees bit for bit with Redis built for x86-64, including at
 * very large magnitudes (INCRBYFLOAT k 1e400 answers all 401 digits Redis prints). It would
 * differ from a Redis built where `long double` is IEEE quad (aarch64 Linux) or plain double
 * (Windows, some ARM): those builds print other noise digits. Cost: a few BigInt operations
 * per call, microseconds; INCRBYFLOAT is not a hot path.
 *
 * Imports nothing of ours.
 */

/** A finite extended value: (-1)^neg · mant · 2^exp, with 0 <= mant < 2^64. */
export interface LongDouble {
  readonly neg: boolean;
  /** 'inf' and 'nan' values ignore mant and exp. */
  readonly kind: 'finite' | 'inf' | 'nan';
  readonly mant: bigint;
  readonly exp: number;
}

const SIGNIFICAND_BITS = 64;
/** Exponent of the smallest denormal's unit: the least value above zero is 2^-16445. */
const MIN_UNIT_EXP = -16445;
/** A finite value's top bit lies below 2^16384. */
const MAX_TOP_EXP = 16384;
/** strtold's text limit as Redis applies it (string2ld's MAX_LONG_DOUBLE_CHARS buffer). */
const MAX_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, kind: 'finite', mant: 0n, exp: 0 };
const NEG_ZERO: LongDouble = { neg: true, kind: 'finite', mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds (m + ε) · 2^e, where ε is an infinitesimal present when `sticky` is set, to the
 * extended format: nearest, ties to even. `m` must carry at least two bits below the rounding
 * position whenever `sticky` is set (callers give 66+ bits). Returns 'inf' on overflow.
 */
function round(neg: boolean, m: bigint, e: number, sticky: boolean): LongDouble {
  if (m === 0n) return neg ? NEG_ZERO : ZERO;
  const bits = bitLength(m);
  const fe = Math.max(e + bits - SIGNIFICAND_BITS, MIN_UNIT_EXP);
  let q = m;
  let exp = e;
  if (fe > e) {
    const shift = fe - e;
    exp = fe;
    if (shift > bits + 1) {
      q = 0n; // far below half a unit, sticky or not
    } else {
      const big = BigInt(shift);
      q = m >> big;
      const rem = m - (q << big);
      const half = 1n << (big - 1n);
      if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
      if (q === 1n << 64n) {
        q >>= 1n;
        exp++;
      }
    }
  }
  if (q === 0n) return neg ? NEG_ZERO : ZERO;
  if (bitLength(q) + exp > MAX_TOP_EXP) return { neg, kind: 'inf', mant: 0n, exp: 0 };
  return { neg, kind: 'finite', mant: q, exp };
}

const DECIMAL = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^[+-]?inf(inity)?$/i;

/**
 * Parses `s` as Redis's string2ld does: the whole text must be one strtold number (decimal, hex
 * with an optional binary exponent, "inf"/"infinity" in any case, an optional sign), without
 * leading spaces, shorter than 5 KiB; NaN is refused, and so is a nonzero number that overflows
 * or underflows to zero (strtold's ERANGE). A denormal result is accepted. Returns null when
 * refused.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_CHARS) return null;
  let m = DECIMAL.exec(s);
  if (m !== null) return parseDecimal(m[1] === '-', (m[2] ?? '') + (m[3] ?? m[4] ?? ''), (m[3] ?? m[4] ?? '').length, m[5]);
  m = HEX.exec(s);
  if (m !== null) return parseHex(m[1] === '-', (m[2] ?? '') + (m[3] ?? m[4] ?? ''), (m[3] ?? m[4] ?? '').length, m[5]);
  if (INFINITY.test(s)) return { neg: s.charCodeAt(0) === 45, kind: 'inf', mant: 0n, exp: 0 };
  return null;
}

/** digits · 10^(exponent - fracLen). */
function parseDecimal(neg: boolean, digits: string, fracLen: number, exponent: string | undefined): LongDouble | null {
  let start = 0;
  while (start < digits.length && digits.charCodeAt(start) === 48) start++;
  if (start === digits.length) return neg ? NEG_ZERO : ZERO;
  const sig = digits.slice(start);
  const e10 = Number(exponent ?? '0') - fracLen;
  // Decimal exponent of the leading digit: outside these bounds the value surely overflows
  // (max ≈ 1.19e4932) or rounds to zero (half the least denormal ≈ 1.8e-4951).
  const lead = sig.length - 1 + e10;
  if (lead > 4932) return null;
  if (lead < -4952) return null;
  const d = BigInt(sig);
  let r: LongDouble;
  if (e10 >= 0) {
    r = round(neg, d * 10n ** BigInt(e10), 0, false);
  } else {
    const den = 10n ** BigInt(-e10);
    const k = Math.max(0, 67 + bitLength(den) - bitLength(d));
    const num = d << BigInt(k);
    const q = num / den;
    r = round(neg, q, -k, q * den !== num);
  }
  return r.kind === 'inf' || r.mant === 0n ? null : r;
}

/** hexDigits · 2^(exponent - 4 · fracLen). */
function parseHex(neg: boolean, digits: string, fracLen: number, exponent: string | undefined): LongDouble | null {
  const h = BigInt(`0x${digits}`);
  if (h === 0n) return neg ? NEG_ZERO : ZERO;
  const e2 = Number(exponent ?? '0') - 4 * fracLen;
  const top = bitLength(h) - 1 + e2;
  if (top >= MAX_TOP_EXP) return null;
  if (top < MIN_UNIT_EXP - 2) return null;
  const r = round(neg, h, e2, false);
  return r.kind === 'inf' || r.mant === 0n ? null : r;
}

/** a + b, rounded as x87 addition in round-to-nearest. May return 'inf' or 'nan'. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { neg: false, kind: 'nan', mant: 0n, exp: 0 };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return { neg: false, kind: 'nan', mant: 0n, exp: 0 };
    return a.kind === 'inf' ? a : b;
  }
  if (a.mant === 0n && b.mant === 0n) return a.neg && b.neg ? NEG_ZERO : ZERO;
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const ma = a.mant << BigInt(a.exp - e);
  const mb = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -ma : ma) + (b.neg ? -mb : mb);
  if (sum === 0n) return ZERO; // x + (-x) is +0 when rounding to nearest
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

const TEN17 = 10n ** 17n;

/**
 * printf("%.17Lf") of a finite value, then Redis's LD_STR_HUMAN touch: trailing fractional
 * zeros and a bare '.' removed, and "-0" written "0".
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  let scaled: bigint;
  if (v.exp >= 0) {
    scaled = (v.mant << BigInt(v.exp)) * TEN17;
  } else {
    const num = v.mant * TEN17;
    const sh = BigInt(-v.exp);
    scaled = num >> sh;
    const rem = num - (scaled << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  let digits = scaled.toString();
  if (digits.length < 18) digits = '0'.repeat(18 - digits.length) + digits;
  const intPart = digits.slice(0, -17);
  const frac = digits.slice(-17).replace(/0+$/, '');
  const text = frac.length === 0 ? intPart : `${intPart}.${frac}`;
  if (text === '0') return '0';
  return v.neg ? `-${text}` : text;
}
