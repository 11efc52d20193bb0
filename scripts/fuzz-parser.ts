/**
 * Coverage-guided fuzzing of the RESP request parser (src/protocol/parser.ts), self-contained:
 * V8's precise block coverage (node:inspector, Profiler.startPreciseCoverage with callCount and
 * detailed) tells which blocks of parser.ts an input reached; inputs that reach a new block, or a
 * block a new number of times (counts bucketed as AFL does: 1, 2, 3, 4-7, 8-15, ...), join the
 * corpus and are mutated further.
 *
 *   node scripts/fuzz-parser.ts [--seconds 60] [--seed 1]      fuzz (make fuzz)
 *   node scripts/fuzz-parser.ts <file>...                     run the target on saved inputs
 *
 * The target (`check()`, also used by test/unit/parser.corpus.test.ts) feeds one input to the
 * parser whole and again in chunks cut at points drawn from the input, with the pre-AUTH limits
 * and proto-max-bulk-len chosen by the input's first byte, and checks:
 * - nothing throws;
 * - both deliveries give the same commands and the same error;
 * - an error is one of Redis 7.0's protocol error texts;
 * - while waiting, the parser holds no more than the 64 KB line limit or the bulk it accepted;
 * - splitInline() on the input as one line does not throw.
 *
 * Corpus: fuzz/corpus/parser. The committed seeds are `seed-*`; inputs found by a run are saved
 * as `cov-<hash>` (ignored by git). A failing input goes to fuzz/crashes/<hash>.bin with the
 * failure in <hash>.txt; the run goes on, and exits non-zero at the end.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INLINE_MAX_SIZE, RequestParser, UNAUTH_MAX_BULK, splitInline } from '../src/protocol/parser.ts';
import { seeded } from '../test/helpers/random.ts';

/** Seeded choices (the parser fuzzer loads nothing but the parser and this). */
class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seeded(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = path.join(ROOT, 'fuzz/corpus/parser');
export const CRASHES = path.join(ROOT, 'fuzz/crashes');

const ERRORS = new Set([
  'Protocol error: invalid multibulk length', 'Protocol error: invalid bulk length', 'Protocol error: too big mbulk count string',
  'Protocol error: too big bulk count string', 'Protocol error: too big inline request', 'Protocol error: unbalanced quotes in request',
  'Protocol error: unauthenticated multibulk length', 'Protocol error: unauthenticated bulk length',
]);

interface Run {
  cmds: string[][];
  error: string | null;
}

function feed(chunks: Buffer[], maxBulkLen: number, authRequired: boolean): Run {
  const p = new RequestParser({ maxBulkLen });
  p.authRequired = authRequired;
  const cmds: string[][] = [];
  const cap = Math.max(INLINE_MAX_SIZE, (authRequired ? Math.min(UNAUTH_MAX_BULK, maxBulkLen) : maxBulkLen) + 1);
  for (const chunk of chunks) {
    p.push(chunk);
    let argv: string[] | null;
    while ((argv = p.next()) !== null) cmds.push(argv);
    if (p.error !== null) break;
    // Plus the last chunk: a line whose '\r' arrives in the chunk that crosses 64 KB waits for its
    // '\n' (one more byte) before it is judged, as in Redis.
    if (p.buffered > cap + chunk.length) throw new Error(`waiting with ${p.buffered} bytes buffered (limit ${cap} + ${chunk.length})`);
  }
  return { cmds, error: p.error };
}

/** The fuzz target: throws on any failure (see the file comment). */
export function check(input: Buffer): void {
  const mode = input.length > 0 ? input[0]! : 0;
  const authRequired = (mode & 1) !== 0;
  // A small proto-max-bulk-len makes the limit reachable by short inputs.
  const maxBulkLen = (mode & 2) !== 0 ? 64 : 512 * 1024 * 1024;
  const whole = feed([input], maxBulkLen, authRequired);
  if (whole.error !== null && !ERRORS.has(whole.error) && !/^Protocol error: expected '\$', got '[\s\S]'$/.test(whole.error)) {
    throw new Error(`unexpected error text ${JSON.stringify(whole.error)}`);
  }
  // Cut points drawn from the input itself, so a saved input replays exactly.
  const chunks: Buffer[] = [];
  let h = 2166136261;
  for (const byte of input.subarray(0, 64)) h = Math.imul(h ^ byte, 16777619);
  for (let at = 0; at < input.length;) {
    h = Math.imul(h ^ at, 16777619) >>> 0;
    // Small pieces, but not thousands of them for a 64 KB input (see docs/fuzzing.md: a line
    // arriving byte by byte costs quadratic copying).
    const n = 1 + (h % (input.length < 4096 ? 17 : Math.ceil(input.length / 32)));
    chunks.push(input.subarray(at, at + n));
    at += n;
  }
  const split = feed(chunks, maxBulkLen, authRequired);
  // Like Redis, the 64 KB limits apply to what is buffered with no line end *yet*: whether a
  // long line trips them depends on how it arrives. Only then may the outcomes differ.
  const tooBig = (e: string | null): boolean => e !== null && e.includes('too big');
  if (input.length > INLINE_MAX_SIZE && (tooBig(whole.error) || tooBig(split.error))) return;
  if (split.error !== whole.error) throw new Error(`split changed the error: ${JSON.stringify(whole.error)} vs ${JSON.stringify(split.error)}`);
  if (JSON.stringify(split.cmds) !== JSON.stringify(whole.cmds)) throw new Error('split changed the commands');
  splitInline(input.toString('latin1'));
}

// ----- the coverage loop ------------------------------------------------------------------

const TOKENS = ['*', '$', '\r\n', '\r', '\n', '\0', '"', "'", '\\', ' ', '\t', '\x0b', '-', '+', '0', '1', '9', '*1\r\n', '*2\r\n', '*0\r\n', '*-1\r\n',
  '$0\r\n', '$-1\r\n', '$4\r\n', '2147483647', '2147483648', '9223372036854775807', '99999999999999999999', '536870912', '16384', '16385', '10', '11',
  '\\x41', '\\x4g', '\\n', "\\'", '"a"b', 'PING', 'ECHO'];

function mutate(r: Rng, input: Buffer, corpus: Buffer[]): Buffer {
  let b = input;
  const insert = (at: number, piece: Buffer): Buffer => Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]);
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = r.int(b.length + 1);
    switch (r.int(8)) {
      case 0: if (at < b.length) { b = Buffer.from(b); b[at] = b[at]! ^ (1 << r.int(8)); } break;
      case 1: if (at < b.length) { b = Buffer.from(b); b[at] = r.int(256); } break;
      case 2: b = insert(at, Buffer.from(r.pick(TOKENS), 'latin1')); break;
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r.int(8))]); break;
      case 4: { // duplicate a slice
        const from = r.int(b.length + 1);
        b = insert(at, Buffer.from(b.subarray(from, from + 1 + r.int(32))));
        break;
      }
      case 5: { // splice in part of another corpus entry
        const other = r.pick(corpus);
        const from = r.int(other.length + 1);
        b = insert(at, other.subarray(from, from + 1 + r.int(64)));
        break;
      }
      case 6: if (at < b.length) { b = Buffer.from(b); b[at] = r.pick([13, 10, 0, 42, 36, 45, 48, 49, 57, 34, 39, 92, 32]); } break;
      default: // rarely, a run long enough for the 64 KB limits
        if (r.chance(0.05)) b = insert(at, Buffer.alloc(INLINE_MAX_SIZE - 2 + r.int(6), r.pick(['A', '1', '\0', ' '])));
    }
  }
  return b.length > 200000 ? b.subarray(0, 200000) : b;
}

function bucket(n: number): number {
  return n <= 3 ? n : n < 8 ? 4 : n < 16 ? 5 : n < 32 ? 6 : n < 128 ? 7 : 8;
}

interface Cov {
  session: Session;
  parserUrl: string;
}

/** Coverage features of the code run since the last call: "function:start-end:bucket". */
async function features(cov: Cov): Promise<string[]> {
  const { result } = await cov.session.post('Profiler.takePreciseCoverage');
  const out: string[] = [];
  for (const script of result) {
    if (script.url !== cov.parserUrl) continue;
    for (const fn of script.functions) {
      for (const r of fn.ranges) if (r.count > 0) out.push(`${fn.functionName}:${r.startOffset}-${r.endOffset}:${bucket(r.count)}`);
    }
  }
  return out;
}

const sha = (b: Buffer): string => createHash('sha1').update(b).digest('hex').slice(0, 16);

function saveCrash(input: Buffer, e: unknown): string {
  mkdirSync(CRASHES, { recursive: true });
  const name = sha(input);
  writeFileSync(path.join(CRASHES, `${name}.bin`), input);
  writeFileSync(path.join(CRASHES, `${name}.txt`), `${(e as Error).stack ?? String(e)}\n`);
  return name;
}

export function loadCorpus(): Buffer[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS).sort().map((f) => readFileSync(path.join(CORPUS, f)));
}

async function fuzz(seconds: number, seed: number): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const parserUrl = new URL('../src/protocol/parser.ts', import.meta.url).href;
  const cov: Cov = { session, parserUrl };
  const r = new Rng(seed);
  const corpus = loadCorpus();
  if (corpus.length === 0) corpus.push(Buffer.from('*1\r\n$4\r\nPING\r\n'));
  const seen = new Set<string>();
  const crashes = new Map<string, string>();
  await features(cov); // reset
  const run = async (input: Buffer): Promise<boolean> => {
    try {
      check(input);
    } catch (e) {
      const key = (e as Error).message.replace(/\d+/g, 'N');
      if (!crashes.has(key)) {
        crashes.set(key, saveCrash(input, e));
        console.log(`FAILURE: ${(e as Error).message} (saved fuzz/crashes/${crashes.get(key)}.bin)`);
      }
    }
    let fresh = false;
    for (const f of await features(cov)) {
      if (!seen.has(f)) {
        seen.add(f);
        fresh = true;
      }
    }
    return fresh;
  };
  for (const c of corpus) await run(c);
  const t0 = Date.now();
  let execs = 0;
  let lastLog = t0;
  mkdirSync(CORPUS, { recursive: true });
  while (Date.now() - t0 < seconds * 1000) {
    // Recent finds first; mostly small inputs (a 64 KB one costs ~30 times more to run).
    const small = corpus.filter((c) => c.length < 4096);
    const parent = r.chance(0.2) ? corpus[corpus.length - 1 - r.int(Math.min(corpus.length, 8))]!
      : r.pick(r.chance(0.9) && small.length > 0 ? small : corpus);
    const child = mutate(r, parent, corpus);
    execs++;
    if (await run(child)) {
      corpus.push(child);
      writeFileSync(path.join(CORPUS, `cov-${sha(child)}`), child);
    }
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      console.log(`  ${((lastLog - t0) / 1000).toFixed(0)} s: ${execs} execs, corpus ${corpus.length}, features ${seen.size}, failures ${crashes.size}`);
    }
  }
  console.log(`fuzz-parser: seed ${seed}, ${seconds} s: ${execs} execs (${Math.round(execs / seconds)}/s), corpus ${corpus.length}, ` +
    `coverage features ${seen.size}, failures ${crashes.size}`);
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
  return crashes.size;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (files.length > 0) {
    let failed = 0;
    for (const f of files) {
      try {
        check(readFileSync(f));
        console.log(`ok    ${f}`);
      } catch (e) {
        failed++;
        console.log(`FAIL  ${f}: ${(e as Error).message}`);
      }
    }
    process.exitCode = failed > 0 ? 1 : 0;
    return;
  }
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : dflt;
  };
  const failures = await fuzz(Number(opt('seconds', '60')), Number(opt('seed', String(Date.now() % 100000))));
  process.exitCode = failures > 0 ? 1 : 0;
}

if (import.meta.main) await main();
