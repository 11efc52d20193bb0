/**
 * The RESP request parser's work is linear in the bytes it receives, whatever the split
 * (docs/fuzzing.md: a 64 KB line sent one byte per read used to cost ~2 GB of copying).
 *
 * Asserts work, not time: RequestParser counts the bytes it copies into its own buffer
 * (`copiedBytes`) and the bytes it examines in searches for a line end that found none yet
 * (`scannedBytes`: the searches that used to start over from the line's start on every push). Each
 * case feeds a request in pieces and requires both counts to stay within a small constant
 * times the input size; the old parser, which re-joined and re-scanned the whole unfinished
 * line on every push, would need about n²/2 for these inputs. Also checks that the common
 * case, whole commands per read, copies nothing at all.
 */

import { describe, expect, test } from 'vitest';
import { BIG_ARG, INLINE_MAX_SIZE, RequestParser } from '../../src/protocol/parser.ts';

const MB = 1024 * 1024;

function resp(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

interface Result {
  cmds: string[][];
  error: string | null;
  copied: number;
  scanned: number;
  bytes: number;
}

/** Feeds `text` in pieces of the given sizes (cycled), draining commands after each push. */
function feed(text: string, sizes: readonly number[]): Result {
  const all = Buffer.from(text, 'latin1');
  const p = new RequestParser({ maxBulkLen: 512 * MB });
  const cmds: string[][] = [];
  let k = 0;
  for (let i = 0; i < all.length && p.error === null;) {
    const n = sizes[k++ % sizes.length]!;
    p.push(all.subarray(i, i + n));
    i += n;
    let argv: string[] | null;
    while ((argv = p.next()) !== null) cmds.push(argv);
  }
  return { cmds, error: p.error, copied: p.copiedBytes, scanned: p.scannedBytes, bytes: all.length };
}

/** Linear: at most 4 copies and 3 examinations per byte received. */
function expectLinear(r: Result): void {
  expect(r.copied).toBeLessThanOrEqual(4 * r.bytes);
  expect(r.scanned).toBeLessThanOrEqual(3 * r.bytes);
}

const ONE = [1];
const SMALL = [1, 2, 3, 5, 7, 11, 13];

describe('parser work is linear in the input, whatever the split', () => {
  test('a 64 KB inline line, one byte per push', () => {
    const arg = 'x'.repeat(INLINE_MAX_SIZE - 'ECHO \r\n'.length);
    const r = feed(`ECHO ${arg}\r\n`, ONE);
    expect(r.error).toBeNull();
    expect(r.cmds).toEqual([['ECHO', arg]]);
    expectLinear(r);
  });

  test('a long *N line, one byte per push, ends in its protocol error', () => {
    const r = feed(`*${'1'.repeat(60_000)}\r\n`, ONE);
    expect(r.error).toBe('Protocol error: invalid multibulk length');
    expectLinear(r);
  });

  test('a long $N line, one byte per push, ends in its protocol error', () => {
    const r = feed(`*1\r\n$${'1'.repeat(60_000)}\r\n`, ONE);
    expect(r.error).toBe('Protocol error: invalid bulk length');
    expectLinear(r);
  });

  test('an unterminated line with a NUL, one byte per push, until the size limit', () => {
    const r = feed(`PING\0${'y'.repeat(INLINE_MAX_SIZE)}\r\nPING\r\n`, ONE);
    expect(r.error).toBe('Protocol error: too big inline request');
    expect(r.cmds).toEqual([]);
    expectLinear(r);
  });

  test('bulk bodies below and above the big-argument size, one byte per push', () => {
    const small = 'a'.repeat(BIG_ARG - 1);
    const big = 'b'.repeat(BIG_ARG * 3);
    const r = feed(resp(['SET', 'k', small]) + resp(['SET', 'k', big]), ONE);
    expect(r.error).toBeNull();
    expect(r.cmds).toEqual([['SET', 'k', small], ['SET', 'k', big]]);
    expectLinear(r);
  });

  test('many pipelined commands in small uneven pieces', () => {
    let text = '';
    const want: string[][] = [];
    for (let i = 0; i < 300; i++) {
      const argv = ['MSET', `key:${i}`, 'v'.repeat(i * 7), 'other', 'z'.repeat(i % 13)];
      want.push(argv);
      text += resp(argv);
      want.push(['PING', String(i)]);
      text += `PING ${i}\r\n`;
    }
    for (const sizes of [ONE, SMALL, [4096, 1, 9000]]) {
      const r = feed(text, sizes);
      expect(r.error).toBeNull();
      expect(r.cmds).toEqual(want);
      expectLinear(r);
    }
  });

  test('whole commands per push are parsed in place: nothing is copied', () => {
    const cmds = [resp(['GET', 'key:1']), resp(['SET', 'key:1', 'x'.repeat(64)]), 'PING\r\n', resp(['MSET', 'a', '1', 'b', '2'])];
    const p = new RequestParser({ maxBulkLen: 512 * MB });
    let n = 0;
    for (let i = 0; i < 200; i++) {
      p.push(Buffer.from(cmds[i % cmds.length]! + cmds[(i + 1) % cmds.length]!, 'latin1'));
      while (p.next() !== null) n++;
    }
    expect(n).toBe(400);
    expect(p.copiedBytes).toBe(0);
  });
});
