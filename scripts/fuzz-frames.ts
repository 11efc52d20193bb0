/**
 * Frame fuzzer at the TCP level: generated request bytes (valid frames, mutated, truncated,
 * garbage, huge lengths, over-long lines) sent to ringkv and, byte for byte the same, to a real
 * redis-server; what each answers until it closes (or until every expected reply is in) must be
 * identical.
 *
 *   node scripts/fuzz-frames.ts [--seed 1] [--frames 1000000] [--io-threads 4] [--lanes 8] [--no-redis]
 *
 * Contract
 * - A batch is 1 to 60 frames sent on a fresh connection in 1 to 3 writes. Frames use only
 *   commands whose replies depend on nothing but the frame (PING, ECHO, reads of keys nobody
 *   sets, unknown commands, arity errors, unknown subcommands), so both servers must answer
 *   alike. Batches whose bytes parse (with our own parser, src/protocol/parser.ts) into any
 *   other known command are dropped before sending.
 * - `host:` and `POST` (rare frames): both servers close silently, dropping the replies of the
 *   commands read with them. So a batch holding one goes to both in one write of at most 16 KB
 *   (one read of Redis's, PROTO_IOBUF_LEN), and nothing but the close may come back; larger
 *   such batches are dropped.
 * - The parser tells how many replies to wait for and whether a protocol error must follow; a
 *   server that sends less within 5 s is reported as hanging.
 * - Checks: no mismatch with redis-server (each one saved to fuzz/frames/mismatch-*.bin), no
 *   hang, ringkv still running at the end, and a bystander connection, open all along, answers
 *   PING after every 100th batch: a protocol error closes only the connection that sent it.
 * - Everything is a function of the seed; the summary line gives the counts.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { COMMANDS } from '../src/commands/table.ts';
import { INLINE_MAX_SIZE, RequestParser } from '../src/protocol/parser.ts';
import { RawClient, encodeCommand, replyLength } from '../test/helpers/raw.ts';
import { ROOT, startRedis, startRingkv, type TestServer } from '../test/helpers/servers.ts';
import { Rng } from './fuzz-diff.ts';

/** Commands a frame may carry: their replies depend on the frame alone. */
const SAFE = new Set(['ping', 'echo', 'get', 'exists', 'strlen', 'type', 'ttl', 'llen', 'scard', 'hlen', 'zcard', 'hget', 'sismember', 'lindex', 'client', 'config', 'object']);
const KNOWN = new Set(COMMANDS.map((c) => c.name));
/**
 * Both servers close on these without a reply (Redis's "possible security attack" check),
 * dropping the replies of the commands read with them (see the contract).
 */
const SILENT_CLOSE = new Set(['host:', 'post']);
/** Redis's read size: a batch with a silent close must arrive in one read. */
const ONE_READ = 16 * 1024;

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** One frame that some real command would be: argv of safe commands, well-formed or nearly. */
function safeArgv(r: Rng): string[] {
  const word = (): string => r.pick(['nokey', 'a', '', 'x y', '\r\n', '\0', '"q"', "'", '*1', '$3', 'k'.repeat(r.range(1, 200)), String(r.range(-5, 100))]);
  switch (r.int(10)) {
    case 0: return ['PING', ...(r.chance(0.5) ? [word()] : [])];
    case 1: return ['ECHO', r.chance(0.05) ? 'e'.repeat(r.range(30000, 40000)) : word()];
    case 2: return [r.pick(['GET', 'get', 'STRLEN', 'TYPE', 'TTL', 'LLEN', 'SCARD', 'HLEN', 'ZCARD']), `nokey${r.int(5)}`];
    case 3: return ['EXISTS', ...r.some(1, 4, () => `nokey${r.int(5)}`)];
    case 4: return [r.pick(['HGET', 'SISMEMBER', 'LINDEX']), 'nokey', word()];
    case 5: return [r.pick(['GET', 'ECHO', 'PING', 'EXISTS']), ...r.some(0, 4, word)].slice(0, r.chance(0.5) ? 1 : 6); // arity
    case 6: return [r.pick(['CLIENT', 'CONFIG', 'OBJECT']), r.pick(['FOO', 'nosuch', '', 'x\r\ny'])]; // unknown subcommand
    case 7: return [r.pick(['FOO', 'nosuchcmd', '', 'G\0ET', 'x'.repeat(r.range(100, 300))]), ...r.some(0, 5, word)];
    case 8: return r.chance(0.02) ? [r.pick(['POST', 'post', 'Host:', 'host:', 'HOST:']), ...r.some(0, 2, word)] : ['PING'];
    default: return ['PING'];
  }
}

function inline(argv: string[]): string {
  return `${argv.map((a) => (/^[!-~]+$/.test(a) && !/["']/.test(a) ? a : `"${[...a].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}"`)).join(' ')}\r\n`;
}

const FRAGMENTS = ['*', '$', '\r', '\n', '\r\n', '\0', '"', "'", '\\', ' ', '*1\r\n', '*2\r\n', '*0\r\n', '*-1\r\n', '$4\r\n', '$0\r\n', '$-1\r\n', '$\r\n',
  '*abc\r\n', '$abc\r\n', '*01\r\n', '*+1\r\n', 'PING', 'ECHO', '"a"b', "'a'b", '\\x4', '*2147483647\r\n', '*2147483648\r\n', '$536870912\r\n',
  '$536870913\r\n', '$4294967296\r\n', '*1\r\n$4294967296\r\n', '*99999999999999999999\r\n', '$-0\r\n', '*1\r\r\n'];

/** One frame of a random kind; the counts of each kind go into `kinds`. */
function frame(r: Rng, kinds: Record<string, number>): Buffer {
  const kind = r.pick(['valid', 'valid', 'valid', 'inline', 'mutated', 'mutated', 'truncated', 'garbage', 'fragments', 'huge']);
  kinds[kind] = (kinds[kind] ?? 0) + 1;
  switch (kind) {
    case 'valid': return encodeCommand(safeArgv(r));
    case 'inline': return b(inline(safeArgv(r)));
    case 'mutated': {
      const bytes = [...(r.chance(0.7) ? encodeCommand(safeArgv(r)) : b(inline(safeArgv(r))))];
      for (let n = r.range(1, 3); n > 0; n--) {
        const i = r.int(bytes.length + 1);
        const op = r.int(3);
        const v = r.chance(0.5) ? r.pick([13, 10, 0, 42, 36, 45, 48, 57, 34, 39, 92, 32]) : r.int(256);
        if (op === 0 && i < bytes.length) bytes[i] = v;
        else if (op === 1) bytes.splice(i, 1);
        else bytes.splice(i, 0, v);
      }
      return Buffer.from(bytes);
    }
    case 'truncated': {
      const f = encodeCommand(safeArgv(r));
      return f.subarray(0, r.int(f.length));
    }
    case 'garbage': {
      const n = r.range(1, 64);
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = r.int(256);
      return out;
    }
    case 'fragments': return b(r.some(1, 8, () => r.pick(FRAGMENTS)).join(''));
    default: {
      // Huge claims, and (rarely) over-long lines with no terminator at all.
      if (r.chance(0.02)) {
        const fill = r.pick(['A', '1', 'x']);
        const prefix = r.pick(['', '*', '*1\r\n$', 'ECHO "']);
        return b(prefix + fill.repeat(65537 + r.int(3000)));
      }
      return b(r.pick(['*2147483647\r\n', '*1\r\n$536870912\r\n', '*1\r\n$536870913\r\n', '*1\r\n$4294967296\r\n', '*1\r\n$9223372036854775807\r\n',
        '*1\r\n$99999999999999999999\r\n', '*1\r\n$16385\r\n', '*100000\r\n$4\r\nPING\r\n', '*3\r\n$3\r\nGET\r\n']));
    }
  }
}

interface Expectation {
  replies: number;
  error: string | null;
  /** The batch uses a command we must not send; drop it. */
  unsafe: boolean;
  /** A `host:`/`POST` closes the connection with no reply: send the batch in one write. */
  silent: boolean;
}

/** What a Redis-compatible server must do with `bytes`, from our parser. */
function expectation(bytes: Buffer): Expectation {
  const p = new RequestParser({ maxBulkLen: 512 * 1024 * 1024 });
  p.push(bytes);
  let replies = 0;
  let unsafe = false;
  let argv: string[] | null;
  while ((argv = p.next()) !== null) {
    const name = argv[0]!.toLowerCase();
    if (SILENT_CLOSE.has(name)) {
      // Nothing after it is read; nothing before it in the same read is answered.
      return { replies: 0, error: null, unsafe: unsafe || bytes.length > ONE_READ, silent: true };
    }
    if ((KNOWN.has(name) && !SAFE.has(name)) || name === 'quit') unsafe = true;
    if (name === 'client' || name === 'config' || name === 'object') {
      // Only their unknown-subcommand errors (and arity errors) are safe.
      const sub = (argv[1] ?? '').toLowerCase();
      if (argv.length >= 2 && ['help', 'list', 'info', 'id', 'getname', 'get', 'kill', 'setname', 'set', 'resetstat', 'rewrite', 'encoding', 'freq', 'idletime', 'refcount',
        'pause', 'unpause', 'reply', 'no-evict', 'tracking', 'trackinginfo', 'caching', 'getredir', 'unblock', 'no-touch'].includes(sub)) unsafe = true;
    }
    replies++;
  }
  return { replies, error: p.error, unsafe, silent: false };
}

interface Seen {
  bytes: Buffer;
  closed: boolean;
  /** Every expected reply arrived (and the close, after a protocol error). */
  complete: boolean;
  /** The connection was reset: bytes already received may have been dropped by the kernel. */
  reset: boolean;
}

/**
 * Sends `chunks` on a fresh connection; collects what comes back until the expected replies
 * are in (and the close, after a protocol error) or `timeoutMs` passes.
 */
async function exchange(port: number, chunks: Buffer[], exp: Expectation, timeoutMs: number): Promise<Seen> {
  const sock = net.connect({ port, host: '127.0.0.1' });
  sock.setNoDelay(true);
  const parts: Buffer[] = [];
  let got = 0;
  let replies = 0;
  let closed = false;
  let reset = false;
  return new Promise<Seen>((resolve) => {
    let done = false;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ bytes: Buffer.concat(parts), closed, complete, reset });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('connect', () => {
      for (const ch of chunks) sock.write(ch);
    });
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (exp.error !== null || exp.silent) return; // only the close ends it
      const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      let at = 0;
      replies = 0;
      for (;;) {
        const n = replyLength(all, at);
        if (n < 0) break;
        at += n;
        replies++;
      }
      if (replies >= exp.replies && at === got) finish(true);
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') reset = true;
    });
    sock.on('close', () => {
      closed = true;
      finish(exp.error !== null || exp.silent || replies >= exp.replies);
    });
    if (exp.error === null && !exp.silent && exp.replies === 0) sock.once('connect', () => setImmediate(() => finish(true)));
  });
}

const TOO_BIG = /-ERR Protocol error: too big (inline request|mbulk count string|bulk count string)\r\n$/;

/** One side ended on a 64 KB "too big" error, and before it both said the same (one a prefix of the other). */
function longLineTiming(a: Buffer, b: Buffer): boolean {
  const sa = a.toString('latin1');
  const sb = b.toString('latin1');
  if (!TOO_BIG.test(sa) && !TOO_BIG.test(sb)) return false;
  const cut = (s: string): string => s.replace(TOO_BIG, '');
  const [x, y] = [cut(sa), cut(sb)];
  return x.startsWith(y) || y.startsWith(x);
}

export interface FrameFuzzResult {
  frames: number;
  batches: number;
  bytes: number;
  dropped: number;
  protocolErrors: Record<string, number>;
  kinds: Record<string, number>;
  mismatches: number;
  /** Batches ended by `host:`/`POST` (the connection closed with no reply). */
  silentCloses: number;
  /** Batches where redis-server's connection was reset and only a prefix could be compared. */
  resets: number;
  /** Batches with a line over 64 KB where the two servers split it into reads differently. */
  longLineSplits: number;
  hangs: number;
  bystanderFailures: number;
  alive: boolean;
  ms: number;
}

export interface FrameFuzzOptions {
  seed: number;
  frames: number;
  lanes?: number;
  redisPort?: number;
  timeoutMs?: number;
  log?: (s: string) => void;
}

/** Runs the fuzzer against a started ringkv (and redis-server, if given). */
export async function fuzzFrames(ringkv: TestServer, opts: FrameFuzzOptions): Promise<FrameFuzzResult> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const res: FrameFuzzResult = { frames: 0, batches: 0, bytes: 0, dropped: 0, protocolErrors: {}, kinds: {}, silentCloses: 0, mismatches: 0, resets: 0, longLineSplits: 0, hangs: 0, bystanderFailures: 0, alive: true, ms: 0 };
  const bystander = await RawClient.connect(ringkv.port);
  const outDir = path.join(ROOT, 'fuzz/frames');
  let batchNo = 0;
  const lane = async (laneNo: number): Promise<void> => {
    const r = new Rng((opts.seed * 7919 + laneNo * 104729) >>> 0);
    while (res.frames < opts.frames) {
      const n = r.range(1, 60);
      const frames: Buffer[] = [];
      for (let i = 0; i < n; i++) frames.push(frame(r, res.kinds));
      const bytes = Buffer.concat(frames);
      const exp = expectation(bytes);
      if (exp.unsafe) {
        res.dropped++;
        continue;
      }
      const cuts = r.some(0, 2, () => String(r.int(bytes.length + 1))).map(Number).sort((x, y) => x - y);
      const chunks: Buffer[] = [];
      let prev = 0;
      for (const c of [...cuts, bytes.length]) {
        if (c > prev) chunks.push(bytes.subarray(prev, c));
        prev = Math.max(prev, c);
      }
      const timeoutMs = opts.timeoutMs ?? 5000;
      // redis-server gets the batch in one write: when it closes on a protocol error with bytes
      // still unread, its kernel answers later bytes with a reset, which can wipe replies not yet
      // read on our side. ringkv reads everything, so it gets the split writes.
      const [mine, theirs] = await Promise.all([
        exchange(ringkv.port, exp.silent ? [bytes] : chunks, exp, timeoutMs),
        opts.redisPort === undefined ? Promise.resolve(null) : exchange(opts.redisPort, [bytes], exp, timeoutMs),
      ]);
      res.frames += n;
      res.batches++;
      res.bytes += bytes.length;
      if (exp.error !== null) res.protocolErrors[exp.error] = (res.protocolErrors[exp.error] ?? 0) + 1;
      if (exp.silent) res.silentCloses++;
      const no = batchNo++;
      // A reset redis-server connection may have lost replies: then only a prefix is comparable.
      const lossy = theirs !== null && theirs.reset && mine.bytes.subarray(0, theirs.bytes.length).equals(theirs.bytes);
      if (lossy) res.resets++;
      // A line over 64 KB whose end comes later trips the limit or not depending on how the bytes
      // were split into reads, in Redis as in ringkv: then the outcomes may part at that line.
      const same = theirs === null || (mine.bytes.equals(theirs.bytes) && mine.closed === theirs.closed);
      const timing = !same && !lossy && bytes.length > INLINE_MAX_SIZE && longLineTiming(mine.bytes, theirs!.bytes);
      if (timing) res.longLineSplits++;
      const bad = !same && !lossy && !timing;
      const hang = !mine.complete && (theirs === null || theirs.complete);
      if (bad || hang) {
        if (bad) res.mismatches++;
        if (hang) res.hangs++;
        mkdirSync(outDir, { recursive: true });
        const file = path.join(outDir, `${bad ? 'mismatch' : 'hang'}-${opts.seed}-${no}.bin`);
        writeFileSync(file, bytes);
        log(`${bad ? 'MISMATCH' : 'HANG'} batch ${no} (${bytes.length} bytes, saved to ${path.relative(ROOT, file)}):\n` +
          `  ringkv:       ${JSON.stringify(mine.bytes.toString('latin1').slice(0, 600))} closed=${mine.closed}\n` +
          (theirs === null ? '' : `  redis-server: ${JSON.stringify(theirs.bytes.toString('latin1').slice(0, 600))} closed=${theirs.closed}\n`));
      }
      if (no % 100 === 0) {
        try {
          const pong = await bystander.command('PING');
          if (pong.toString() !== '+PONG\r\n') throw new Error(pong.toString());
        } catch (e) {
          res.bystanderFailures++;
          log(`bystander failed after batch ${no}: ${(e as Error).message}`);
        }
      }
      if (no % 5000 === 0 && no > 0) log(`  ${res.frames} frames, ${res.batches} batches`);
    }
  };
  await Promise.all(Array.from({ length: opts.lanes ?? 8 }, (_, i) => lane(i)));
  bystander.close();
  res.alive = ringkv.proc.exitCode === null && ringkv.proc.signalCode === null;
  if (res.alive) {
    const c = await RawClient.connect(ringkv.port);
    res.alive = (await c.command('PING')).toString() === '+PONG\r\n';
    c.close();
  }
  res.ms = Date.now() - t0;
  return res;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1]! : dflt;
  };
  const seed = Number(opt('seed', '1'));
  const frames = Number(opt('frames', '1000000'));
  const threads = opt('io-threads', '');
  const lanes = Number(opt('lanes', '8'));
  const withRedis = !args.includes('--no-redis');
  const ringkv = await startRingkv(threads === '' ? [] : ['--io-threads', threads, '--io-threads-force', 'yes']);
  const redis = withRedis ? await startRedis(process.env.FUZZ_REDIS_VERBOSE ? ['--loglevel', 'verbose'] : []) : null;
  try {
    const res = await fuzzFrames(ringkv, { seed, frames, lanes, redisPort: redis?.port, log: (s) => console.log(s) });
    console.log(`fuzz-frames: seed ${seed}, io-threads ${threads || 1}${withRedis ? ', compared with redis-server' : ''}: ` +
      `${res.frames} frames in ${res.batches} batches (${(res.bytes / 1e6).toFixed(1)} MB), ${res.dropped} batches dropped as unsafe, ${res.silentCloses} closed silently (host:/POST), ` +
      `${res.mismatches} mismatches (${res.resets} compared as a prefix after a reset, ${res.longLineSplits} parted at a 64 KB line), ${res.hangs} hangs, ${res.bystanderFailures} bystander failures, ringkv ${res.alive ? 'alive' : 'DEAD'}, ${(res.ms / 1000).toFixed(1)} s`);
    console.log(`  frame kinds: ${JSON.stringify(res.kinds)}`);
    console.log(`  protocol errors: ${JSON.stringify(res.protocolErrors)}`);
    if (res.mismatches > 0 && redis !== null) {
      console.log(`redis-server exit: ${redis.proc.exitCode} ${redis.proc.signalCode}; log (tail):\n${redis.output().slice(-2000)}`);
    }
    process.exitCode = res.mismatches + res.hangs + res.bystanderFailures === 0 && res.alive ? 0 : 1;
  } finally {
    await Promise.all([ringkv.stop(), redis?.stop()]);
  }
}

if (import.meta.main) await main();
