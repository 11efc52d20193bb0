/**
 * Property-based tests (fast-check) of the RESP request parser (src/protocol/parser.ts) and of
 * the reply writer (src/protocol/writer.ts).
 *
 * Properties
 * - Framing: any stream of valid commands (multibulk with binary arguments, inline lines with
 *   Redis's quoting, ignored `*0`/`*-1`/empty lines) split at any points into chunks parses to
 *   the same commands as the whole stream.
 * - Garbage: any bytes, split anyhow, give commands, then either "need more data" or one
 *   protocol error whose text is one of Redis 7.0's; never another exception. The outcome does
 *   not depend on the split, and after an error the parser stays dead.
 * - Bounded buffering: while the parser waits, what it holds never exceeds the 64 KB line limit
 *   or the bulk length it accepted (proto-max-bulk-len; 16384 before AUTH), whatever arrives.
 * - Limits at their boundaries, for random lengths on both sides.
 * - Writer: anything encoded decodes back (test/helpers/raw.ts decodeReply) to what was written.
 *
 * Seeds: fast-check prints the seed and the shrunk counterexample of a failure; rerun it with
 * `FC_SEED=<seed>` to replay.
 */

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { INLINE_MAX_SIZE, RequestParser, UNAUTH_MAX_BULK, UNAUTH_MAX_MULTIBULK, splitInline } from '../../src/protocol/parser.ts';
import { ReplyWriter, formatDouble } from '../../src/protocol/writer.ts';
import { decodeReply, replyLength, type Reply } from '../helpers/raw.ts';

const MB = 1024 * 1024;
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const params = (numRuns: number): fc.Parameters<unknown> => (SEED === undefined ? { numRuns } : { numRuns, seed: SEED });

/** Every error text the parser may produce: Redis 7.0's, from processMultibulkBuffer/processInlineBuffer. */
const PROTOCOL_ERRORS = new Set([
  'Protocol error: invalid multibulk length',
  'Protocol error: invalid bulk length',
  'Protocol error: too big mbulk count string',
  'Protocol error: too big bulk count string',
  'Protocol error: too big inline request',
  'Protocol error: unbalanced quotes in request',
  'Protocol error: unauthenticated multibulk length',
  'Protocol error: unauthenticated bulk length',
]);
const EXPECTED_DOLLAR = /^Protocol error: expected '\$', got '[\s\S]'$/;

interface Outcome {
  cmds: string[][];
  error: string | null;
  /** Largest `buffered` seen while the parser was waiting for more input. */
  maxWaiting: number;
}

interface FeedOpts {
  maxBulkLen?: number;
  authRequired?: boolean;
}

/** Pushes each chunk and drains every complete command after each push. */
function feed(chunks: Buffer[], opts: FeedOpts = {}): Outcome {
  const p = new RequestParser({ maxBulkLen: opts.maxBulkLen ?? 512 * MB });
  p.authRequired = opts.authRequired ?? false;
  const cmds: string[][] = [];
  let maxWaiting = 0;
  for (const chunk of chunks) {
    p.push(chunk);
    let argv: string[] | null;
    while ((argv = p.next()) !== null) cmds.push(argv);
    if (p.error !== null) {
      // Dead: nothing more comes out, whatever arrives.
      p.push(Buffer.from('PING\r\n*1\r\n$4\r\nPING\r\n'));
      expect(p.next()).toBeNull();
      break;
    }
    maxWaiting = Math.max(maxWaiting, p.buffered);
  }
  return { cmds, error: p.error, maxWaiting };
}

/** `buf` cut at the given offsets (any order, repeats allowed: empty chunks are fine too). */
function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = cuts.map((c) => c % (buf.length + 1)).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

// ----- generators -------------------------------------------------------------------------

/** A byte string: often short and printable, sometimes binary with CR, LF, NUL, quotes. */
const arg = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-zA-Z0-9:_-]{0,12}$/) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }).map(latin1) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('\r', '\n', '\0', '"', "'", '\\', ' ', '$', '*', 'x'), { maxLength: 12 }).map((a) => a.join('')) },
);
const argvArb = fc.array(arg, { minLength: 1, maxLength: 8 });

function multibulk(argv: readonly string[]): string {
  return `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

/** An inline line that splitInline must read back as `argv`: each argument quoted one way or another. */
function inlineQuoted(argv: readonly string[], style: number[]): string {
  return argv.map((a, i) => {
    const s = style[i % style.length]!;
    if (s === 0) {
      // Double quotes, every byte as \xHH.
      return `"${[...a].map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}"`;
    }
    if (s === 1) {
      // Double quotes with the named escapes where they apply, the rest literal.
      return `"${[...a].map((ch) => (ch === '"' ? '\\"' : ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\0' ? '\\x00' : ch)).join('')}"`;
    }
    // Single quotes: only \' is an escape; usable when nothing would end the line early.
    if (/[\n\0]/.test(a) || a.endsWith('\\')) return `"${[...a].map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}"`;
    return `'${a.replace(/'/g, "\\'")}'`;
  }).join(' ');
}

/** One element of a valid stream and the commands it stands for. */
const streamItem: fc.Arbitrary<[string, string[][]]> = fc.oneof(
  { weight: 6, arbitrary: argvArb.map((argv): [string, string[][]] => [multibulk(argv), [argv]]) },
  {
    weight: 3,
    arbitrary: fc.tuple(argvArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('\r\n', '\n'), fc.constantFrom('', ' ', '  \t'))
      .map(([argv, style, eol, pad]): [string, string[][]] => [`${pad}${inlineQuoted(argv, style)}${pad}${eol}`, [argv]]),
  },
  {
    weight: 2,
    // Bare words: no quotes, blanks or terminators inside.
    arbitrary: fc.array(fc.stringMatching(/^[a-zA-Z0-9:_.$*+-]{1,10}$/), { minLength: 1, maxLength: 6 })
      .filter((argv) => !argv[0]!.startsWith('*'))
      .map((argv): [string, string[][]] => [`${argv.join(' ')}\r\n`, [argv]]),
  },
  { weight: 1, arbitrary: fc.constantFrom<[string, string[][]]>(['*0\r\n', []], ['*-1\r\n', []], ['*-7\r\n', []], ['\r\n', []], ['\n', []], ['   \t \r\n', []]) },
);

const validStream = fc.array(streamItem, { minLength: 1, maxLength: 12 }).map((items) => ({
  bytes: Buffer.from(items.map(([s]) => s).join(''), 'latin1'),
  cmds: items.flatMap(([, c]) => c),
}));

const cuts = fc.array(fc.nat(), { maxLength: 12 });

/** Mostly-protocol-looking garbage: fragments of valid frames, wrong lengths, bad bytes. */
const fragment = fc.oneof(
  fc.constantFrom('*', '$', '\r', '\n', '\r\n', '\0', '"', "'", '\\', ' ', '-', '+', ':'),
  fc.constantFrom('*1\r\n', '*2\r\n', '*-1\r\n', '*0\r\n', '*2147483647\r\n', '*2147483648\r\n', '*01\r\n', '*+1\r\n', '*\r\n', '*11\r\n'),
  fc.constantFrom('$4\r\n', '$0\r\n', '$-1\r\n', '$\r\n', '$abc\r\n', '$536870912\r\n', '$536870913\r\n', '$4294967296\r\n', '$16385\r\n', '$04\r\n'),
  fc.constantFrom('PING', 'ECHO', 'SET', 'GET', 'x', '"a b"', "'c'", '"a"b', '\\x41', 'PINGxx'),
  fc.integer({ min: -3, max: 100000 }).map(String),
  fc.uint8Array({ maxLength: 16 }).map(latin1),
);
const garbage = fc.oneof(
  { weight: 3, arbitrary: fc.array(fragment, { maxLength: 30 }).map((a) => Buffer.from(a.join(''), 'latin1')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)) },
  // A valid stream with a few bytes flipped, dropped or inserted.
  {
    weight: 2,
    arbitrary: fc.tuple(validStream, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([s, edits]) => {
        const bytes = [...s.bytes];
        for (const [at, op, v] of edits) {
          const i = at % (bytes.length + 1);
          if (op === 0 && i < bytes.length) bytes[i] = v;
          else if (op === 1) bytes.splice(i, 1);
          else bytes.splice(i, 0, v);
        }
        return Buffer.from(bytes);
      }),
  },
);

function checkError(error: string | null): void {
  if (error === null) return;
  expect(PROTOCOL_ERRORS.has(error) || EXPECTED_DOLLAR.test(error), `unexpected error text ${JSON.stringify(error)}`).toBe(true);
}

// ----- properties --------------------------------------------------------------------------

describe('valid streams', () => {
  test('any valid command stream, split at any points, parses to the same commands', () => {
    fc.assert(fc.property(validStream, cuts, ({ bytes, cmds }, cutAt) => {
      const whole = feed([bytes]);
      expect(whole.error).toBeNull();
      expect(whole.cmds).toEqual(cmds);
      const split = feed(splitAt(bytes, cutAt));
      expect(split).toEqual({ ...whole, maxWaiting: split.maxWaiting });
    }), params(2000));
  });

  test('byte-at-a-time delivery gives the same commands', () => {
    fc.assert(fc.property(validStream, ({ bytes, cmds }) => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
      expect(feed(chunks).cmds).toEqual(cmds);
    }), params(300));
  });

  test('inline quoting round-trips through splitInline', () => {
    fc.assert(fc.property(argvArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), (argv, style) => {
      expect(splitInline(inlineQuoted(argv, style))).toEqual(argv);
    }), params(2000));
  });

  test('large bulk arguments (the chunk-collecting path) split anywhere', () => {
    fc.assert(fc.property(fc.integer({ min: 30 * 1024, max: 80 * 1024 }), fc.integer({ min: 0, max: 255 }), cuts, (size, fill, cutAt) => {
      const payload = Buffer.alloc(size, fill).toString('latin1');
      const bytes = Buffer.from(multibulk(['SET', 'k', payload]) + multibulk(['GET', 'k']), 'latin1');
      const out = feed(splitAt(bytes, cutAt));
      expect(out.error).toBeNull();
      expect(out.cmds.length).toBe(2);
      expect(out.cmds[0]![2] === payload).toBe(true);
      expect(out.cmds[1]).toEqual(['GET', 'k']);
    }), params(60));
  });
});

describe('garbage', () => {
  test('any bytes give commands, need-more-data or a Redis protocol error, independent of the split', () => {
    fc.assert(fc.property(garbage, cuts, fc.boolean(), (bytes, cutAt, authRequired) => {
      const whole = feed([bytes], { authRequired });
      checkError(whole.error);
      const split = feed(splitAt(bytes, cutAt), { authRequired });
      checkError(split.error);
      expect(split.cmds).toEqual(whole.cmds);
      expect(split.error).toEqual(whole.error);
    }), params(5000));
  });

  test('garbage after valid commands does not change the commands before it', () => {
    fc.assert(fc.property(validStream, garbage, ({ bytes, cmds }, junk) => {
      const out = feed([Buffer.concat([bytes, junk])]);
      checkError(out.error);
      expect(out.cmds.slice(0, cmds.length)).toEqual(cmds);
    }), params(2000));
  });

  test('waiting never holds more than the 64 KB line limit or an accepted bulk', () => {
    // Long runs with no terminator, in random chunk sizes, after a random valid prefix.
    const longRun = fc.tuple(
      fc.constantFrom('', '*', '*1\r\n', '*2\r\n$3\r\nSET\r\n', '*1\r\n$', '*1\r\n$70000\r\n', '*1\r\n$16384\r\n', '*1\r\n$2000000\r\n', 'SET "', "'", '*100\r\n'),
      fc.constantFrom('A', '1', '\0', ' ', '$', '"'),
      fc.integer({ min: 1000, max: 200000 }),
      fc.array(fc.integer({ min: 1, max: 40000 }), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
    );
    fc.assert(fc.property(longRun, ([prefix, fill, total, sizes, authRequired]) => {
      const maxBulkLen = 1 * MB;
      const body = Buffer.concat([Buffer.from(prefix, 'latin1'), Buffer.alloc(total, fill)]);
      const chunks: Buffer[] = [];
      for (let at = 0, i = 0; at < body.length; i++) {
        const n = sizes[i % sizes.length]!;
        chunks.push(body.subarray(at, at + n));
        at += n;
      }
      const out = feed(chunks, { maxBulkLen, authRequired });
      checkError(out.error);
      const bulkCap = authRequired ? UNAUTH_MAX_BULK : maxBulkLen;
      // A bulk being collected may hold up to its accepted length plus its CRLF; anything else
      // waits only while it stays within the inline limit (plus the chunk that tipped it).
      expect(out.maxWaiting).toBeLessThanOrEqual(Math.max(INLINE_MAX_SIZE, bulkCap + 1));
    }), params(300));
  });
});

describe('limits at their boundaries', () => {
  test('bulk lengths up to proto-max-bulk-len are accepted, above it refused', () => {
    fc.assert(fc.property(fc.integer({ min: MB, max: 1024 * MB }), fc.integer({ min: -5, max: 5 }), (maxBulkLen, delta) => {
      const len = maxBulkLen + delta;
      const out = feed([Buffer.from(`*1\r\n$${len}\r\n`)], { maxBulkLen });
      expect(out.error).toBe(len > maxBulkLen ? 'Protocol error: invalid bulk length' : null);
      // Accepted or not, the claim is not allocated.
      expect(out.maxWaiting).toBeLessThan(64);
    }), params(500));
  });

  test('unauthenticated: at most 10 arguments of at most 16384 bytes; authenticated, no such limit', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40000 }), fc.boolean(), (count, len, authRequired) => {
      const head = feed([Buffer.from(`*${count}\r\n$${len}\r\n`)], { authRequired });
      const expected = authRequired && count > UNAUTH_MAX_MULTIBULK ? 'Protocol error: unauthenticated multibulk length'
        : authRequired && len > UNAUTH_MAX_BULK ? 'Protocol error: unauthenticated bulk length' : null;
      expect(head.error).toBe(expected);
    }), params(1000));
  });

  test('length lines and inline lines: 65536 unterminated bytes wait, 65537 are refused', () => {
    fc.assert(fc.property(fc.constantFrom('inline', 'mbulk', 'bulk'), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 512, max: 70000 }), (kind, delta, chunk) => {
      const prefix = kind === 'inline' ? '' : kind === 'mbulk' ? '*' : '*1\r\n$';
      const fill = kind === 'inline' ? 'A' : '1';
      const start = kind === 'bulk' ? 4 : 0;
      const total = INLINE_MAX_SIZE + delta;
      const body = Buffer.concat([Buffer.from(prefix), Buffer.alloc(total - prefix.length + start, fill)]);
      const chunks: Buffer[] = [];
      for (let at = 0; at < body.length; at += chunk) chunks.push(body.subarray(at, at + chunk));
      const out = feed(chunks);
      const want = kind === 'inline' ? 'Protocol error: too big inline request'
        : kind === 'mbulk' ? 'Protocol error: too big mbulk count string' : 'Protocol error: too big bulk count string';
      // (Chunks of at least 512 bytes: smaller ones cost quadratic copying, docs/fuzzing.md.)
      // Counted from the start of the line: for a bulk-length line, after the "*1\r\n" before it.
      expect(out.error).toBe(total > INLINE_MAX_SIZE ? want : null);
    }), params(100));
  });
});

// ----- reply writer ------------------------------------------------------------------------

type W =
  | { t: 'simple'; v: string } | { t: 'error'; v: string } | { t: 'int'; v: number } | { t: 'bulk'; v: string }
  | { t: 'null' } | { t: 'double'; v: number } | { t: 'array'; v: W[] } | { t: 'map'; v: Array<[W, W]> } | { t: 'set'; v: W[] };

const line = fc.stringMatching(/^[ -~]{0,20}$/);
const writeArb: fc.Arbitrary<W> = fc.letrec<{ w: W }>((tie) => ({
  w: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    line.map((v): W => ({ t: 'simple', v })),
    line.map((v): W => ({ t: 'error', v: `ERR ${v}` })),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }).map((v): W => ({ t: 'int', v })),
    fc.uint8Array({ maxLength: 50 }).map((u): W => ({ t: 'bulk', v: latin1(u) })),
    fc.constant<W>({ t: 'null' }),
    fc.double().map((v): W => ({ t: 'double', v })),
    fc.array(tie('w'), { maxLength: 5 }).map((v): W => ({ t: 'array', v })),
    fc.array(fc.tuple(tie('w'), tie('w')), { maxLength: 3 }).map((v): W => ({ t: 'map', v })),
    fc.array(tie('w'), { maxLength: 4 }).map((v): W => ({ t: 'set', v })),
  ),
})).w;

function write(w: ReplyWriter, x: W): void {
  switch (x.t) {
    case 'simple': return w.simple(x.v);
    case 'error': return w.error(x.v);
    case 'int': return w.int(x.v);
    case 'bulk': return w.bulk(x.v);
    case 'null': return w.nullBulk();
    case 'double': return w.double(x.v);
    case 'array': w.arrayLen(x.v.length); for (const e of x.v) write(w, e); return;
    case 'map': w.mapLen(x.v.length); for (const [k, v] of x.v) { write(w, k); write(w, v); } return;
    case 'set': w.setLen(x.v.length); for (const e of x.v) write(w, e); return;
  }
}

/** What decodeReply should give back for `x` in protocol `resp`. */
function expected(x: W, resp: 2 | 3): Reply {
  switch (x.t) {
    case 'simple': return x.v;
    case 'error': return { error: x.v };
    case 'int': return x.v;
    case 'bulk': return x.v;
    case 'null': return null;
    case 'double': return formatDouble(x.v);
    case 'array': case 'set': return x.v.map((e) => expected(e, resp));
    case 'map': return x.v.flatMap(([k, v]) => [expected(k, resp), expected(v, resp)]);
  }
}

describe('reply writer', () => {
  test('anything encoded decodes back, in RESP2 and RESP3, as one complete reply', () => {
    fc.assert(fc.property(fc.array(writeArb, { minLength: 1, maxLength: 4 }), fc.constantFrom<2 | 3>(2, 3), (replies, resp) => {
      const w = new ReplyWriter();
      w.resp = resp;
      for (const r of replies) write(w, r);
      const bytes = w.take();
      let at = 0;
      for (const r of replies) {
        const n = replyLength(bytes, at);
        expect(n).toBeGreaterThan(0);
        expect(decodeReply(bytes.subarray(at, at + n))).toEqual(expected(r, resp));
        at += n;
      }
      expect(at).toBe(bytes.length);
    }), params(2000));
  });
});
