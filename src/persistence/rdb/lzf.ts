/**
 * LZF, the compression Redis applies to RDB strings (liblzf's format), written from the format's
 * description: a stream of runs, each starting with a control byte.
 *
 *   000LLLLL  + L+1 literal bytes                   (a literal run of 1..32 bytes)
 *   LLLooooo  + oooooooo                            (a back reference, L = 1..6: length L+2)
 *   111ooooo  + LLLLLLLL + oooooooo                 (a back reference, length LLLLLLLL+9)
 *
 * The offset is 13 bits (distance - 1, so up to 8192 bytes back); lengths run from 3 to 264.
 *
 * Contract
 * - `lzfCompress` (and `lzfCompressInto`, its allocation-free form) returns null (-1) when the output would not be shorter than `maxOut` bytes, as
 *   liblzf's lzf_compress returns 0 when the output buffer is too small; Redis then stores the
 *   string uncompressed.
 * - `lzfDecompress` checks every run against both buffers and throws on a malformed stream or a
 *   length mismatch: a corrupt file must fail loudly.
 *
 * Imports nothing.
 */

const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // 264

/**
 * One table reused by every call and never cleared: clearing 64 KB per call would cost more
 * than compressing a short string. A stale entry from an earlier input is harmless, because a
 * candidate is used only if it lies before the current position and its bytes really match:
 * a back reference is then correct whatever put it in the table.
 */
const table = new Int32Array(HASH_SIZE).fill(-1);

/** Compresses `input` into at most `maxOut` bytes, or null if it does not fit. */
export function lzfCompress(input: Uint8Array, maxOut: number): Buffer | null {
  const out = Buffer.allocUnsafe(Math.max(0, maxOut) + LZF_SLACK);
  const n = lzfCompressInto(input, input.length, maxOut, out);
  return n < 0 ? null : out.subarray(0, n);
}

/** Bytes `out` needs beyond `maxOut` for lzfCompressInto (a literal run may overshoot before the check). */
export const LZF_SLACK = MAX_LIT + 4;

/**
 * Compresses the first `n` bytes of `input` into `out` (at least `maxOut + LZF_SLACK` bytes),
 * allocating nothing: the compressed length, or -1 if it would not be shorter than `maxOut`.
 * The background save calls this once per string, so it must make no garbage.
 */
export function lzfCompressInto(input: Uint8Array, n: number, maxOut: number, out: Uint8Array): number {
  if (n < 4 || maxOut <= 0) return -1;
  let op = 1; // out[0] is the control byte of the first literal run
  let lit = 0;
  let ip = 0;
  const limit = maxOut;
  while (ip < n - 2) {
    const h = Math.imul((input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!, 0x9e3779b1) >>> (32 - HASH_BITS);
    const ref = table[h]!;
    table[h] = ip;
    const off = ip - ref - 1;
    if (ref >= 0 && ref < ip && off < MAX_OFF && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      // A match of at least 3 bytes: extend it.
      let len = 3;
      const maxLen = Math.min(MAX_REF, n - ip);
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      // Close the pending literal run (or drop its unused control byte).
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      if (op + 3 > limit) return -1;
      const l = len - 2;
      if (l < 7) {
        out[op++] = (l << 5) | (off >> 8);
      } else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // room for the next literal run's control byte
      // Index the positions inside the match too (cheaply: just the last two).
      ip += len;
      if (ip < n - 2) {
        for (let k = ip - 2; k < ip; k++) {
          const hk = Math.imul((input[k]! << 16) | (input[k + 1]! << 8) | input[k + 2]!, 0x9e3779b1) >>> (32 - HASH_BITS);
          table[hk] = k;
        }
      }
      continue;
    }
    if (op >= limit) return -1;
    out[op++] = input[ip++]!;
    if (++lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  while (ip < n) {
    if (op >= limit) return -1;
    out[op++] = input[ip++]!;
    if (++lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  if (op > limit) return -1;
  return op;
}

/**
 * Decompresses `input` into exactly `outLen` bytes; throws on a malformed stream. The result is
 * written into `into` (from offset 0) when it is big enough, else into a new Buffer.
 */
export function lzfDecompress(input: Uint8Array, outLen: number, into?: Buffer): Buffer {
  const out = into !== undefined && into.length >= outLen ? into : Buffer.allocUnsafe(outLen);
  let ip = 0;
  let op = 0;
  const n = input.length;
  while (ip < n) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > outLen) throw new Error('LZF: output overrun');
      if (ip + len > n) throw new Error('LZF: input overrun');
      for (let k = 0; k < len; k++) out[op++] = input[ip++]!;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= n) throw new Error('LZF: input overrun');
        len += input[ip++]!;
      }
      len += 2;
      if (ip >= n) throw new Error('LZF: input overrun');
      const ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
      if (ref < 0) throw new Error('LZF: back reference before the start');
      if (op + len > outLen) throw new Error('LZF: output overrun');
      for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
    }
  }
  if (op !== outLen) throw new Error(`LZF: decompressed ${op} bytes, expected ${outLen}`);
  return out;
}
