/**
 * Unit tests for the RESP request parser (src/protocol/parser.ts), fed bytes directly.
 *
 * What is pinned here
 * - Chunking never changes the outcome: a pipeline split at every byte offset, at every pair of
 *   offsets, in 1-byte chunks and all at once yields the same argv sequence and the same error.
 * - Inline requests split the way Redis 7.0's sdssplitargs does (facts checked against a real
 *   redis-server: only space, \t, \r, \n end a bare word, a NUL byte before the line end means
 *   "no line yet", since Redis searches its query buffer with strchr()).
 * - Every error text and threshold of processMultibulkBuffer/processInlineBuffer, at the boundary.
 * - Memory: a client's claimed bulk length is never allocated up front, and `buffered` reports
 *   what actually arrived.
 * - Robustness: thousands of seeded random byte strings never make push()/next() throw.
 */

import { describe, expect, test } from 'vitest';
import { BIG_ARG, INLINE_MAX_SIZE, RequestParser, parseLength, splitInline } from '../../src/protocol/parser.ts';
import { seeded as prng } from '../helpers/random.ts';

const MB = 1024 * 1024;
const LIMITS = { maxBulkLen: 512 * MB };

interface Outcome {
  cmds: string[][];
  error: string | null;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Pushes each chunk and drains every complete command after each push. */
function feed(chunks: Buffer[], opts: { maxBulkLen?: number; authRequired?: boolean } = {}): Outcome {
  const p = new RequestParser({ maxBulkLen: opts.maxBulkLen ?? LIMITS.maxBulkLen });
  p.authRequired = opts.authRequired ?? false;
  const cmds: string[][] = [];
  for (const chunk of chunks) {
    p.push(chunk);
    let argv: string[] | null;
    while ((argv = p.next()) !== null) cmds.push(argv);
    if (p.error !== null) break;
  }
  return { cmds, error: p.error };
}

function whole(input: string | Buffer, opts?: { maxBulkLen?: number; authRequired?: boolean }): Outcome {
  return feed([typeof input === 'string' ? b(input) : input], opts);
}

function bytewise(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

function chunked(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

function multibulk(...argv: string[]): string {
  return `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

describe('multibulk framing is independent of how bytes arrive', () => {
  const pipeline = b(
    multibulk('SET', 'key', 'value') +
    '*0\r\n' +
    multibulk('GET', 'key') +
    '*-1\r\n' +
    multibulk('ECHO', '') +
    'PING\r\n' +
    multibulk('SET', 'bin', '\r\n\0*$\xff') +
    '\r\n' +
    'ECHO "a b" \'c\'\n' +
    multibulk('DEL', 'a', 'b', 'c', 'd'),
  );
  const expected = [
    ['SET', 'key', 'value'],
    ['GET', 'key'],
    ['ECHO', ''],
    ['PING'],
    ['SET', 'bin', '\r\n\0*$\xff'],
    ['ECHO', 'a b', 'c'],
    ['DEL', 'a', 'b', 'c', 'd'],
  ];

  test('all at once', () => {
    expect(whole(pipeline)).toEqual({ cmds: expected, error: null });
  });

  test('in 1-byte chunks', () => {
    expect(feed(bytewise(pipeline))).toEqual({ cmds: expected, error: null });
  });

  test('split at every byte offset', () => {
    for (let i = 0; i <= pipeline.length; i++) {
      const got = feed([pipeline.subarray(0, i), pipeline.subarray(i)]);
      expect(got, `split at ${i}`).toEqual({ cmds: expected, error: null });
    }
  });

  test('split at every pair of byte offsets', () => {
    const n = pipeline.length;
    for (let i = 0; i <= n; i += 1) {
      for (let j = i; j <= n; j += 1) {
        const got = feed([pipeline.subarray(0, i), pipeline.subarray(i, j), pipeline.subarray(j)]);
        if (got.error !== null || got.cmds.length !== expected.length) {
          expect(got, `split at ${i}, ${j}`).toEqual({ cmds: expected, error: null });
        }
      }
    }
    expect(feed([pipeline.subarray(0, 7), pipeline.subarray(7, 40), pipeline.subarray(40)]).cmds).toEqual(expected);
  });

  test('empty chunks change nothing', () => {
    const chunks: Buffer[] = [];
    for (const c of chunked(pipeline, 5)) chunks.push(Buffer.alloc(0), c, Buffer.alloc(0));
    expect(feed(chunks)).toEqual({ cmds: expected, error: null });
  });

  test('commands are returned one at a time, and next() is null until a command completes', () => {
    const p = new RequestParser(LIMITS);
    expect(p.next()).toBeNull();
    p.push(b('*2\r\n$4\r\nECHO\r\n$3\r\nab'));
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
    p.push(b('c\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI'));
    expect(p.next()).toEqual(['ECHO', 'abc']);
    expect(p.next()).toEqual(['PING']);
    expect(p.next()).toBeNull();
    p.push(b('NG\r\n'));
    expect(p.next()).toEqual(['PING']);
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
  });

  test('*0 and *-1 are skipped silently, even many in a row', () => {
    expect(whole('*0\r\n*-1\r\n*0\r\n*-100\r\n' + multibulk('PING'))).toEqual({ cmds: [['PING']], error: null });
  });

  test('the two bytes after a length line or a payload are skipped unchecked, like Redis', () => {
    expect(whole('*1\rX$4\rXPINGXY*1\r\n$1\r\nAzz')).toEqual({ cmds: [['PING'], ['A']], error: null });
  });

  test('multibulk with many arguments', () => {
    const args = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const buf = b(multibulk(...args));
    expect(whole(buf).cmds).toEqual([args]);
    expect(feed(chunked(buf, 7)).cmds).toEqual([args]);
  });
});

describe('binary payloads', () => {
  test('all 256 byte values survive in keys and values', () => {
    const rev = [...ALL_BYTES].reverse().join('');
    const buf = b(multibulk('SET', ALL_BYTES, rev) + multibulk(ALL_BYTES));
    const expected = [['SET', ALL_BYTES, rev], [ALL_BYTES]];
    expect(whole(buf)).toEqual({ cmds: expected, error: null });
    expect(feed(bytewise(buf))).toEqual({ cmds: expected, error: null });
  });

  test('each single byte value as an argument', () => {
    for (let i = 0; i < 256; i++) {
      const ch = String.fromCharCode(i);
      expect(whole(multibulk('ECHO', ch)).cmds, `byte ${i}`).toEqual([['ECHO', ch]]);
    }
  });
});

describe('large bulks (the BIG_ARG path)', () => {
  const sizes = [BIG_ARG - 1, BIG_ARG, BIG_ARG + 1, 100_000, 3 * MB + 17];

  for (const size of sizes) {
    test(`${size}-byte payload in many chunks, followed by another command`, () => {
      const payload = Buffer.alloc(size);
      for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;
      const buf = Buffer.concat([b(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`), payload, b('\r\n' + multibulk('GET', 'k'))]);
      const expected = [['SET', 'k', payload.toString('latin1')], ['GET', 'k']];
      expect(whole(buf)).toEqual({ cmds: expected, error: null });
      expect(feed(chunked(buf, 1000))).toEqual({ cmds: expected, error: null });
      expect(feed(chunked(buf, 65536))).toEqual({ cmds: expected, error: null });
      // Irregular chunk sizes, so chunk edges land inside the header, the payload and the CRLF.
      const rnd = prng(size);
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length;) {
        const n = 1 + Math.floor(rnd() * 40000);
        chunks.push(buf.subarray(i, i + n));
        i += n;
      }
      expect(feed(chunks)).toEqual({ cmds: expected, error: null });
    });
  }

  test('the payload split exactly before, inside and after its trailing CRLF', () => {
    const size = BIG_ARG * 2;
    const payload = 'x'.repeat(size);
    const buf = b(multibulk('ECHO', payload) + multibulk('PING'));
    const end = buf.indexOf('*1\r\n$4\r\nPING');
    for (const cut of [end - 3, end - 2, end - 1, end, end + 1]) {
      expect(feed([buf.subarray(0, cut), buf.subarray(cut)]).cmds, `cut at ${cut}`).toEqual([['ECHO', payload], ['PING']]);
    }
  });

  test('buffered counts what arrived while a big bulk is collected', () => {
    const p = new RequestParser(LIMITS);
    p.push(b(`*2\r\n$4\r\nECHO\r\n$${BIG_ARG * 4}\r\n`));
    expect(p.next()).toBeNull();
    expect(p.buffered).toBe(0);
    let sent = 0;
    for (let i = 0; i < 4; i++) {
      p.push(Buffer.alloc(BIG_ARG - 10, 0x61));
      sent += BIG_ARG - 10;
      expect(p.next()).toBeNull();
      expect(p.buffered).toBe(sent);
    }
    p.push(Buffer.alloc(40, 0x61));
    expect(p.next()).toBeNull(); // the CRLF is still missing
    p.push(b('\r\n'));
    expect(p.next()).toEqual(['ECHO', 'a'.repeat(BIG_ARG * 4)]);
    expect(p.buffered).toBe(0);
    expect(p.error).toBeNull();
  });
});

describe('inline commands', () => {
  const cases: Array<[string, string[][]]> = [
    ['PING\r\n', [['PING']]],
    ['PING\n', [['PING']]],
    ['SET  a   b\t c\r\n', [['SET', 'a', 'b', 'c']]],
    ['  leading and trailing  \r\n', [['leading', 'and', 'trailing']]],
    ['\r\n\n  \r\n\t\nPING\r\n', [['PING']]],
    ['ECHO "a b"\r\n', [['ECHO', 'a b']]],
    ['ECHO "\\x41\\x62\\xff\\x00"\r\n', [['ECHO', 'Ab\xff\0']]],
    ['ECHO "\\x4g\\xZZ"\r\n', [['ECHO', 'x4gxZZ']]],
    ['ECHO "\\n\\r\\t\\b\\a\\\\\\"\\q"\r\n', [['ECHO', '\n\r\t\b\x07\\"q']]],
    ["ECHO 'a\\'b' 'c\\d' '\"'\r\n", [['ECHO', "a'b", 'c\\d', '"']]],
    ['ECHO "" \'\'\r\n', [['ECHO', '', '']]],
    ['ECHO ab"cd"\r\n', [['ECHO', 'abcd']]], // a quote may open inside a word
    ['ECHO a\rb\r\n', [['ECHO', 'a', 'b']]], // a bare \r separates, as in Redis
    ['ECHO a\x0bb a\x0cb\r\n', [['ECHO', 'a\x0bb', 'a\x0cb']]], // \v and \f do not end a bare word...
    ['\x0b\x0cECHO\x0b "a"\x0b\r\n', [['ECHO\x0b', 'a']]], // ...but are skipped before one, and may follow a quote
    ['ECHO \xff\x80\x01\r\n', [['ECHO', '\xff\x80\x01']]],
    ['A\nB\r\nC\n', [['A'], ['B'], ['C']]],
    ['ECHO x\r\r\n', [['ECHO', 'x']]],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => {
      expect(whole(input)).toEqual({ cmds: expected, error: null });
      expect(feed(bytewise(b(input)))).toEqual({ cmds: expected, error: null });
    });
  }

  test('a line without its newline is incomplete, not an error', () => {
    const p = new RequestParser(LIMITS);
    p.push(b('ECHO "abc\\'));
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
    expect(p.buffered).toBe(10);
    p.push(b('x41"\r\n'));
    expect(p.next()).toEqual(['ECHO', 'abcA']);
    expect(p.buffered).toBe(0);
  });

  test('a NUL byte before the newline means "no line yet" (Redis finds the line end with strchr)', () => {
    // Checked against redis-server 7.0.15: no reply, the connection stays open.
    const p = new RequestParser(LIMITS);
    p.push(b('ECHO a\0b c\r\nPING\r\n'));
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
    // ...until more than INLINE_MAX_SIZE bytes wait behind it.
    p.push(Buffer.alloc(INLINE_MAX_SIZE, 0x61));
    expect(p.next()).toBeNull();
    expect(p.error).toBe('Protocol error: too big inline request');
  });

  test('unbalanced quotes', () => {
    for (const line of ['ECHO "abc\r\n', "ECHO 'abc\r\n", 'ECHO "abc\\"\r\n', 'ECHO "abc\\\r\n', 'ECHO "a"b\r\n', "ECHO 'a'b\r\n", 'ECHO ab"cd"ef\r\n']) {
      expect(whole(line), line).toEqual({ cmds: [], error: 'Protocol error: unbalanced quotes in request' });
    }
  });

  test('commands before an invalid line are still returned', () => {
    expect(whole('PING\r\nECHO "x\r\nPING\r\n')).toEqual({ cmds: [['PING']], error: 'Protocol error: unbalanced quotes in request' });
  });

  test('splitInline directly', () => {
    expect(splitInline('')).toEqual([]);
    expect(splitInline('   ')).toEqual([]);
    expect(splitInline('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(splitInline('"unterminated')).toBeNull();
  });
});

describe('errors and limits', () => {
  const errors: Array<[string, string | Buffer, string, { maxBulkLen?: number; authRequired?: boolean }?]> = [
    ['non-numeric multibulk length', '*x\r\n', 'Protocol error: invalid multibulk length'],
    ['empty multibulk length', '*\r\n', 'Protocol error: invalid multibulk length'],
    ['"+1" multibulk length', '*+1\r\n', 'Protocol error: invalid multibulk length'],
    ['"01" multibulk length', '*01\r\n', 'Protocol error: invalid multibulk length'],
    ['"-0" multibulk length', '*-0\r\n', 'Protocol error: invalid multibulk length'],
    ['multibulk length with a space', '*1 \r\n', 'Protocol error: invalid multibulk length'],
    ['multibulk length above INT_MAX', '*2147483648\r\n', 'Protocol error: invalid multibulk length'],
    ['multibulk length of 11 digits', '*99999999999\r\n', 'Protocol error: invalid multibulk length'],
    ['multibulk length of 25 digits', `*${'9'.repeat(25)}\r\n`, 'Protocol error: invalid multibulk length'],
    ['non-numeric bulk length', '*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
    ['empty bulk length', '*1\r\n$\r\n', 'Protocol error: invalid bulk length'],
    ['negative bulk length', '*1\r\n$-5\r\n', 'Protocol error: invalid bulk length'],
    ['bulk length -1', '*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['bulk length "-0"', '*1\r\n$-0\r\n', 'Protocol error: invalid bulk length'],
    ['bulk length 4294967296', '*1\r\n$4294967296\r\n', 'Protocol error: invalid bulk length'],
    ['bulk length above proto-max-bulk-len', `*1\r\n$${512 * MB + 1}\r\n`, 'Protocol error: invalid bulk length'],
    ['bulk length above a lowered proto-max-bulk-len', `*1\r\n$${MB + 1}\r\n`, 'Protocol error: invalid bulk length', { maxBulkLen: MB }],
    ['expected $', '*1\r\nx\r\n', "Protocol error: expected '$', got 'x'"],
    ['expected $ in the second argument', '*2\r\n$4\r\nECHO\r\n:1\r\n', "Protocol error: expected '$', got ':'"],
    ['expected $, got a newline', '*1\r\n\n\r\n', "Protocol error: expected '$', got '\n'"],
    ['unauthenticated multibulk length', '*11\r\n', 'Protocol error: unauthenticated multibulk length', { authRequired: true }],
    ['unauthenticated bulk length', '*2\r\n$4\r\nAUTH\r\n$16385\r\n', 'Protocol error: unauthenticated bulk length', { authRequired: true }],
    ['too big mbulk count string', `*${'1'.repeat(INLINE_MAX_SIZE)}`, 'Protocol error: too big mbulk count string'],
    ['too big bulk count string', `*1\r\n$${'1'.repeat(INLINE_MAX_SIZE)}`, 'Protocol error: too big bulk count string'],
    ['too big inline request', 'a'.repeat(INLINE_MAX_SIZE + 1), 'Protocol error: too big inline request'],
    ['unbalanced quotes', 'SET "a\r\n', 'Protocol error: unbalanced quotes in request'],
  ];
  for (const [title, input, error, opts] of errors) {
    test(title, () => {
      const buf = typeof input === 'string' ? b(input) : input;
      expect(whole(buf, opts)).toEqual({ cmds: [], error });
      // The same error arrives when the bytes trickle in (large inputs in 1 KB chunks).
      const chunks = buf.length > 4096 ? chunked(buf, 1024) : bytewise(buf);
      expect(feed(chunks, opts)).toEqual({ cmds: [], error });
      // And after a valid command, which is still returned.
      expect(feed([b(multibulk('PING')), ...chunks], opts)).toEqual({ cmds: [['PING']], error });
    });
  }

  test('boundaries: values at each limit are accepted', () => {
    expect(whole('*2147483647\r\n').error).toBeNull();
    expect(whole(`*1\r\n$${512 * MB}\r\n`).error).toBeNull();
    expect(whole(`*1\r\n$${MB}\r\n`, { maxBulkLen: MB }).error).toBeNull();
    expect(whole('*10\r\n', { authRequired: true }).error).toBeNull();
    expect(whole('*2\r\n$4\r\nAUTH\r\n$16384\r\n', { authRequired: true }).error).toBeNull();
    expect(whole('*11\r\n').error).toBeNull();
    expect(whole('*1\r\n$16385\r\n').error).toBeNull();
    // Exactly INLINE_MAX_SIZE bytes without a line end is still "incomplete".
    expect(whole(`*${'1'.repeat(INLINE_MAX_SIZE - 1)}`).error).toBeNull();
    expect(whole(`*1\r\n$${'1'.repeat(INLINE_MAX_SIZE - 1)}`).error).toBeNull();
    expect(whole('a'.repeat(INLINE_MAX_SIZE)).error).toBeNull();
    // A complete long inline line is fine when its newline is already there.
    expect(whole(`ECHO ${'a'.repeat(INLINE_MAX_SIZE * 2)}\r\n`).cmds).toEqual([['ECHO', 'a'.repeat(INLINE_MAX_SIZE * 2)]]);
  });

  test('authRequired can be switched off between commands', () => {
    const p = new RequestParser(LIMITS);
    p.authRequired = true;
    p.push(b(multibulk('AUTH', 'pw') + '*11\r\n'));
    expect(p.next()).toEqual(['AUTH', 'pw']);
    p.authRequired = false;
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
  });

  test('a NUL byte before a length line\'s \\r means "incomplete", as with Redis\'s strchr', () => {
    // Checked against redis-server 7.0.15: no reply, the connection stays open.
    for (const input of ['*1\0\r\n$4\r\nPING\r\n', '*1\r\n$4\0\r\nPING\r\n', '*1\r\n\0\r\nPING\r\n']) {
      expect(whole(input), JSON.stringify(input)).toEqual({ cmds: [], error: null });
    }
    // Once more than INLINE_MAX_SIZE bytes wait, it is the "too big" error.
    const tail = Buffer.alloc(INLINE_MAX_SIZE, 0x0d);
    expect(feed([b('*1\0\r\n'), tail]).error).toBe('Protocol error: too big mbulk count string');
    expect(feed([b('*1\r\n$4\0\r\n'), tail]).error).toBe('Protocol error: too big bulk count string');
  });

  test('after an error the parser stays dead and holds no input', () => {
    const p = new RequestParser(LIMITS);
    p.push(b('*x\r\n' + multibulk('PING')));
    expect(p.next()).toBeNull();
    expect(p.error).toBe('Protocol error: invalid multibulk length');
    expect(p.buffered).toBe(0);
    p.push(b(multibulk('PING')));
    expect(p.next()).toBeNull();
    expect(p.error).toBe('Protocol error: invalid multibulk length');
  });
});

describe('buffered accounting and memory', () => {
  test('buffered is the bytes received and not yet returned', () => {
    const p = new RequestParser(LIMITS);
    expect(p.buffered).toBe(0);
    const cmd = b(multibulk('SET', 'k', 'v'));
    p.push(cmd.subarray(0, 10));
    expect(p.next()).toBeNull();
    // Redis reports the whole unfinished command as query buffer; so do we, or less, never more.
    expect(p.buffered).toBeLessThanOrEqual(10);
    p.push(Buffer.concat([cmd.subarray(10), cmd]));
    expect(p.next()).toEqual(['SET', 'k', 'v']);
    expect(p.buffered).toBe(cmd.length);
    expect(p.next()).toEqual(['SET', 'k', 'v']);
    expect(p.buffered).toBe(0);
    p.push(b('PING\r\nPI'));
    expect(p.next()).toEqual(['PING']);
    expect(p.buffered).toBe(2);
  });

  test('a 500 MB claimed bulk with 10 bytes sent allocates nothing close to the claim', () => {
    const p = new RequestParser(LIMITS);
    const before = process.memoryUsage();
    p.push(b('*2\r\n$3\r\nSET\r\n$500000000\r\n0123456789'));
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
    expect(p.buffered).toBeLessThan(100);
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(50 * MB);
    expect(after.rss - before.rss).toBeLessThan(100 * MB);
    // Many such clients at once still cost almost nothing.
    const parsers: RequestParser[] = [];
    for (let i = 0; i < 1000; i++) {
      const q = new RequestParser(LIMITS);
      q.push(b(`*1\r\n$${500_000_000 + i}\r\nabc`));
      expect(q.next()).toBeNull();
      parsers.push(q);
    }
    const last = process.memoryUsage();
    expect(last.arrayBuffers - before.arrayBuffers).toBeLessThan(50 * MB);
    expect(parsers.reduce((n, q) => n + q.buffered, 0)).toBeLessThan(10_000);
  });

  test('a small claimed bulk just waits for its bytes', () => {
    const p = new RequestParser(LIMITS);
    p.push(b('*1\r\n$100\r\nabc'));
    expect(p.next()).toBeNull();
    expect(p.buffered).toBeLessThanOrEqual(3 + 9);
  });
});

describe('parseLength', () => {
  const buf = (s: string) => b(s);
  const cases: Array<[string, number]> = [
    ['0', 0], ['1', 1], ['-1', -1], ['123', 123], ['2147483647', 2147483647], ['9007199254740991', 9007199254740991],
    ['', NaN], ['-', NaN], ['-0', NaN], ['01', NaN], ['+1', NaN], [' 1', NaN], ['1 ', NaN], ['1a', NaN], ['0x10', NaN],
    ['99999999999999999999', NaN], ['999999999999999999999', NaN],
  ];
  for (const [s, v] of cases) {
    test(JSON.stringify(s), () => {
      expect(parseLength(buf(`[${s}]`), 1, s.length + 1)).toBe(v);
    });
  }
});

describe('random garbage never throws', () => {
  const KNOWN = /^Protocol error: (invalid multibulk length|invalid bulk length|expected '\$', got '[\s\S]'|unbalanced quotes in request|too big (mbulk count string|bulk count string|inline request)|unauthenticated (multibulk|bulk) length)$/;
  const ALPHABET = b('*$\r\n0123456789-+ "\'\\x\0\t\x0bab');

  function garbage(rnd: () => number): Buffer {
    const n = Math.floor(rnd() * 120);
    const out = Buffer.alloc(n);
    const mode = rnd();
    for (let i = 0; i < n; i++) {
      // Mostly protocol-ish bytes, so the parser gets deep into its states; sometimes anything.
      out[i] = mode < 0.3 ? Math.floor(rnd() * 256) : ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
    }
    // Half of them start as a plausible request.
    if (rnd() < 0.5) return Buffer.concat([b(multibulk('SET', 'k', 'v').slice(0, Math.floor(rnd() * 30))), out]);
    return out;
  }

  function run(chunks: Buffer[], authRequired: boolean): Outcome {
    const p = new RequestParser({ maxBulkLen: 1024 * 1024 });
    p.authRequired = authRequired;
    const cmds: string[][] = [];
    for (const c of chunks) {
      p.push(c);
      for (;;) {
        const argv = p.next();
        if (argv === null) break;
        expect(Array.isArray(argv)).toBe(true);
        expect(argv.length).toBeGreaterThan(0);
        for (const a of argv) expect(typeof a).toBe('string');
        cmds.push(argv);
      }
      if (p.error !== null) {
        expect(p.error).toMatch(KNOWN);
        expect(p.next()).toBeNull();
        break;
      }
      expect(p.buffered).toBeGreaterThanOrEqual(0);
    }
    return { cmds, error: p.error };
  }

  test('5000 seeded random byte strings, whole and chunked, agree and never throw', () => {
    const rnd = prng(0xC0FFEE);
    let errors = 0;
    let commands = 0;
    for (let iter = 0; iter < 5000; iter++) {
      const input = garbage(rnd);
      const auth = rnd() < 0.2;
      const a = run([input], auth);
      const cut = Math.floor(rnd() * (input.length + 1));
      const c = run([input.subarray(0, cut), input.subarray(cut)], auth);
      expect(c, `iteration ${iter}: ${JSON.stringify(input.toString('latin1'))} cut at ${cut}`).toEqual(a);
      if (iter % 10 === 0) {
        expect(run(bytewise(input), auth), `iteration ${iter} bytewise`).toEqual(a);
      }
      if (a.error !== null) errors++;
      commands += a.cmds.length;
    }
    // The generator is useful only if it reaches both outcomes often.
    expect(errors).toBeGreaterThan(500);
    expect(commands).toBeGreaterThan(500);
  });

  test('uniformly random bytes', () => {
    const rnd = prng(42);
    for (let iter = 0; iter < 3000; iter++) {
      const input = Buffer.alloc(Math.floor(rnd() * 300));
      for (let i = 0; i < input.length; i++) input[i] = Math.floor(rnd() * 256);
      expect(() => run(chunked(input, 1 + Math.floor(rnd() * 50)), false)).not.toThrow();
    }
  });
});
