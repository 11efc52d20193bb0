/**
 * Unit tests for the load generator's pure parts (src/lab/loadgen): the seeded RNG and key
 * choosers, the zipf sampler's distribution, the request encoder and the reply scanner.
 *
 * What is pinned here
 * - Reproducibility: one seed, one sequence; different connections, different sequences.
 * - Zipf (rejection-inversion) matches the exact pmf r^-s / H(n,s) by a chi-square bound at
 *   p = 0.001 for several exponents, including s = 1 and s < 1; the same statistic for a wrong
 *   exponent is far beyond the bound, so the test can fail.
 * - The encoder's bytes parse back (with ringkv's own request parser) to the intended argv.
 * - The scanner finds the same reply boundaries, error flags and captured bytes whatever the
 *   chunking (every split point, and 1-byte chunks), across RESP2 and RESP3 types, nesting, and
 *   bulk payloads that contain CRLF.
 */

import { describe, expect, test } from 'vitest';
import { Encoder, bulks, head, keyName, keySlot } from '../../src/lab/loadgen/encoder.ts';
import { Rng, ZipfSampler, deriveSeed, keyChooser } from '../../src/lab/loadgen/rng.ts';
import { ReplyScanner, replyText } from '../../src/lab/loadgen/scanner.ts';
import { RequestParser } from '../../src/protocol/parser.ts';

describe('rng', () => {
  test('one seed gives one sequence; connections get different ones', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    const c = new Rng(deriveSeed(42, 0, 1));
    const d = new Rng(deriveSeed(42, 0, 2));
    expect(c.u32()).not.toBe(d.u32());
    expect(deriveSeed(1, 0, 0)).not.toBe(deriveSeed(1, 1, 0));
  });

  test('next() is in [0, 1) and roughly uniform', () => {
    const r = new Rng(7);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (x >= 0 && x < 1) bins[Math.floor(x * 10)]++;
      else outside++;
    }
    expect(outside).toBe(0);
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  test('sequential choosers of n connections cover the key space evenly', () => {
    const seen = new Array(100).fill(0);
    for (let c = 0; c < 4; c++) {
      const next = keyChooser('sequential', 100, new Rng(c), { index: c, of: 4 });
      const first = next();
      expect(first).toBe(c * 25);
      seen[first]++;
      for (let i = 1; i < 25; i++) seen[next()]++;
    }
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  test('uniform keys stay in range', () => {
    const next = keyChooser('uniform', 1000, new Rng(3));
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const k = next();
      if (!(Number.isInteger(k) && k >= 0 && k < 1000)) outside++;
    }
    expect(outside).toBe(0);
  });
});

/** Pearson's chi-square of observed rank counts against the exact zipf pmf. */
function chiSquare(counts: number[], n: number, s: number, total: number): number {
  let h = 0;
  for (let r = 1; r <= n; r++) h += r ** -s;
  let x = 0;
  for (let r = 1; r <= n; r++) {
    const e = (total * r ** -s) / h;
    x += (counts[r]! - e) ** 2 / e;
  }
  return x;
}

describe('zipf sampler', () => {
  const N = 50;
  const SAMPLES = 200_000;
  // Chi-square critical value, 49 degrees of freedom, p = 0.001.
  const CRITICAL = 85.35;

  for (const s of [0.5, 0.99, 1, 1.5]) {
    test(`s = ${s}: rank frequencies match r^-s within a chi-square bound`, () => {
      const z = new ZipfSampler(N, s);
      const rng = new Rng(1234);
      const counts = new Array(N + 1).fill(0);
      let outside = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const r = z.sample(rng);
        if (Number.isInteger(r) && r >= 1 && r <= N) counts[r]++;
        else outside++;
      }
      expect(outside).toBe(0);
      expect(chiSquare(counts, N, s, SAMPLES)).toBeLessThan(CRITICAL);
      // The same counts judged against a different exponent fail: the bound means something.
      expect(chiSquare(counts, N, s + 0.1, SAMPLES)).toBeGreaterThan(10 * CRITICAL);
    });
  }

  test('a large key space: the hottest key gets its share and every sample is in range', () => {
    const n = 1_000_000;
    const s = 0.99;
    const next = keyChooser('zipf', n, new Rng(9), { zipfS: s });
    let h = 0;
    for (let r = 1; r <= n; r++) h += r ** -s;
    let hottest = 0;
    const total = 200_000;
    let outside = 0;
    for (let i = 0; i < total; i++) {
      const k = next();
      if (!(Number.isInteger(k) && k >= 0 && k < n)) outside++;
      if (k === 0) hottest++;
    }
    expect(outside).toBe(0);
    const p = 1 / h;
    const sd = Math.sqrt(total * p * (1 - p));
    expect(Math.abs(hottest - total * p)).toBeLessThan(4 * sd);
  });
});

describe('encoder', () => {
  test('commands parse back to the intended argv', () => {
    const enc = new Encoder();
    const KEY = keySlot('key:');
    const value = 'v'.repeat(100);
    const valueBulk = bulks(value);
    const want: string[][] = [];
    const chunks: Buffer[] = [];
    const rng = new Rng(5);
    // Enough commands to cross several slabs.
    for (let i = 0; i < 5000; i++) {
      const k = rng.int(1e12);
      switch (i % 4) {
        case 0:
          enc.raw(head(2, 'GET'));
          enc.key(KEY, k);
          want.push(['GET', keyName('key:', k)]);
          break;
        case 1:
          enc.raw(head(3, 'SET'));
          enc.key(KEY, k);
          enc.raw(valueBulk);
          want.push(['SET', keyName('key:', k), value]);
          break;
        case 2:
          enc.raw(head(4, 'ZINCRBY', 'lb'));
          enc.int(-k);
          enc.str('m\r\n\u00ff');
          want.push(['ZINCRBY', 'lb', String(-k), 'm\r\n\u00ff']);
          break;
        default:
          enc.raw(head(1 + 2 * 40, 'MSET'));
          for (let j = 0; j < 40; j++) {
            enc.key(KEY, j);
            enc.raw(valueBulk);
          }
          want.push(['MSET', ...Array.from({ length: 40 }, (_, j) => [keyName('key:', j), value]).flat()]);
      }
      if (i % 7 === 0) {
        const b = enc.take();
        if (b !== null) chunks.push(Buffer.from(b));
      }
    }
    const last = enc.take();
    if (last !== null) chunks.push(Buffer.from(last));
    expect(enc.take()).toBeNull();
    const p = new RequestParser({ maxBulkLen: 512 * 1024 * 1024 });
    p.push(Buffer.concat(chunks));
    const got: string[][] = [];
    let argv: string[] | null;
    while ((argv = p.next()) !== null) got.push(argv);
    expect(p.error).toBeNull();
    expect(got).toEqual(want);
  });

  test('keys are 12 digits, zero-padded', () => {
    expect(keyName('key:', 42)).toBe('key:000000000042');
    const enc = new Encoder();
    enc.key(keySlot('k:'), 999_999_999_999);
    expect(enc.take()!.toString('latin1')).toBe('$14\r\nk:999999999999\r\n');
  });
});

describe('reply scanner', () => {
  /** Replies, each with whether it carries an error. */
  const REPLIES: Array<[string, boolean]> = [
    ['+OK\r\n', false],
    ['-ERR wrong\r\n', true],
    [':12345\r\n', false],
    ['$5\r\nhello\r\n', false],
    ['$-1\r\n', false],
    ['$6\r\na\r\nb\r\n\r\n', false], // payload with CRLFs in it
    ['$0\r\n\r\n', false],
    ['*0\r\n', false],
    ['*-1\r\n', false],
    ['*3\r\n$1\r\na\r\n:2\r\n*2\r\n+x\r\n$2\r\nyz\r\n', false],
    ['*2\r\n+QUEUED\r\n-ERR inside\r\n', true], // an EXEC with a failed command
    ['%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n:2\r\n', false],
    ['~2\r\n+a\r\n+b\r\n', false],
    ['_\r\n', false],
    ['#t\r\n', false],
    [',1.5\r\n', false],
    ['(123456789012345678901234567890\r\n', false],
    ['=8\r\ntxt:abcd\r\n', false],
    ['!9\r\nERR bulky\r\n', true],
    ['>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n', false],
    ['|1\r\n+key\r\n+val\r\n:7\r\n', false], // an attribute, then the reply it annotates
    ['*2\r\n*2\r\n*0\r\n$3\r\nabc\r\n*-1\r\n', false],
    [`$${300}\r\n${'z'.repeat(300)}\r\n`, false],
  ];
  const stream = Buffer.from(REPLIES.map(([r]) => r).join(''), 'latin1');

  function scanAll(chunks: Buffer[]): Array<[string, boolean]> {
    const out: Array<[string, boolean]> = [];
    const sc = new ReplyScanner((err, raw) => {
      out.push([raw!.toString('latin1'), err]);
      sc.capture = true;
    });
    sc.capture = true;
    // The scanner may keep views of a chunk only during scan(): reuse one buffer as a socket's
    // onread does, so a kept view would show up as corrupted bytes.
    const scratch = Buffer.alloc(stream.length);
    for (const c of chunks) {
      c.copy(scratch);
      sc.scan(scratch.subarray(0, c.length));
      scratch.fill(0x21);
    }
    return out;
  }

  test('all at once', () => {
    expect(scanAll([stream])).toEqual(REPLIES);
  });

  test('split at every offset', () => {
    for (let i = 1; i < stream.length; i++) {
      expect(scanAll([stream.subarray(0, i), stream.subarray(i)])).toEqual(REPLIES);
    }
  });

  test('one byte at a time', () => {
    const chunks = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(scanAll(chunks)).toEqual(REPLIES);
  });

  test('without capture it still counts replies and errors', () => {
    const errs: boolean[] = [];
    const sc = new ReplyScanner((err, raw) => {
      expect(raw).toBeNull();
      errs.push(err);
    });
    for (let i = 0; i < stream.length; i += 3) sc.scan(stream.subarray(i, i + 3));
    expect(errs).toEqual(REPLIES.map(([, e]) => e));
  });

  test('replyText', () => {
    const b = (s: string): Buffer => Buffer.from(s, 'latin1');
    expect(replyText(b('$5\r\nhello\r\n'))).toBe('hello');
    expect(replyText(b('$-1\r\n'))).toBeNull();
    expect(replyText(b('*-1\r\n'))).toBeNull();
    expect(replyText(b('_\r\n'))).toBeNull();
    expect(replyText(b('+OK\r\n'))).toBe('OK');
  });
});
