/**
 * Deterministic micro-workloads for instruction counting (`ringkv gate --icount`, run under
 * `valgrind --tool=callgrind` by src/lab/gate/icount.ts). Unlike the tinybench files beside it,
 * nothing here is timed: each workload does a fixed amount of work on fixed input, so the
 * number of instructions it executes is a property of the code, not of the machine's load.
 *
 *   node bench/micro/icount.ts --workload parser --iterations 20 [--root <checkout>]
 *   (src/lab/gate/icount.ts runs a type-stripped copy of this file and of the tree under
 *   valgrind with --jitless and fixed seeds)
 *
 *   parser    RequestParser over a buffer of 500 pipelined GETs and 500 SETs (64-byte values),
 *             fed in 16 KiB chunks, drained after each chunk (as an I/O worker does)
 *   ring      a 64 KiB SAB ring, producer and consumer on this one thread: 1000 frames of 32
 *             bytes reserved, written, committed in batches of 16, then read and released
 *   executor  the engine executing 500 SET and 500 GET commands of one client, replies cleared
 *             after each batch of 16 (as the threaded front-end's executeBatch does)
 *
 * --root points at another checkout (a worktree of the base ref): the workload then imports
 * that tree's src/, so one copy of this file measures both sides of an A/B comparison.
 * Determinism: the caller's V8 flags remove the JIT (tier-up timing), background threads (GC
 * helpers) and seed randomness; it differences two iteration counts so start-up cost cancels.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

const root = path.resolve(arg('--root', HERE));
const workload = arg('--workload', 'parser');
const iterations = Number(arg('--iterations', '10'));
if (!Number.isInteger(iterations) || iterations < 0) throw new Error('--iterations wants an integer >= 0');

/** Imports `rel` from the root; a pre-stripped copy of a tree (src/lab/gate/icount.ts) has .js files instead. */
async function load<T>(rel: string): Promise<T> {
  const file = path.join(root, rel);
  const js = file.replace(/\.ts$/, '.js');
  return (await import(pathToFileURL(existsSync(file) ? file : js).href)) as T;
}

function resp(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

const VALUE = 'x'.repeat(64);
const key = (i: number): string => `key:${String(i).padStart(12, '0')}`;

async function parser(): Promise<number> {
  const { RequestParser } = await load<typeof import('../../src/protocol/parser.ts')>('src/protocol/parser.ts');
  let text = '';
  for (let i = 0; i < 500; i++) text += resp(['GET', key(i)]) + resp(['SET', key(i), VALUE]);
  const all = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += 16384) chunks.push(all.subarray(i, i + 16384));
  let sink = 0;
  for (let it = 0; it < iterations; it++) {
    const p = new RequestParser({ maxBulkLen: 512 * 1024 * 1024 });
    for (const c of chunks) {
      p.push(c);
      let argv: string[] | null;
      while ((argv = p.next()) !== null) sink += argv.length;
    }
  }
  return sink;
}

async function ring(): Promise<number> {
  const r = await load<typeof import('../../src/io/threaded/ring.ts')>('src/io/threaded/ring.ts');
  const sab = r.createRing(1 << 16);
  const producer = new r.RingProducer(sab, new r.Bell(r.Bell.create()).word);
  const consumer = new r.RingConsumer(sab);
  const at = { offset: 0, length: 0 };
  let sink = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < 1000; i += 16) {
      for (let j = 0; j < 16; j++) {
        const off = producer.reserve(32);
        if (off < 0) throw new Error('ring full');
        producer.bytes.fill(j, off, off + 32);
      }
      producer.commit();
      while (consumer.next(at)) sink += producer.bytes[at.offset]! + at.length;
      consumer.release();
    }
  }
  return sink;
}

async function executor(): Promise<number> {
  const { Config } = await load<typeof import('../../src/config/config.ts')>('src/config/config.ts');
  const { Engine } = await load<typeof import('../../src/engine/engine.ts')>('src/engine/engine.ts');
  const engine = new Engine(new Config());
  const conn = {
    client: undefined as unknown,
    authRequired: false,
    deliver(): void {},
    close(): void {},
    queryBufferLength: (): number => 0,
    outputBufferLength: (): number => 0,
  };
  const c = engine.connect(conn as never, '127.0.0.1:40000', '127.0.0.1:6379', -1);
  conn.client = c;
  const commands: string[][] = [];
  for (let i = 0; i < 500; i++) commands.push(['SET', key(i), VALUE]);
  for (let i = 0; i < 500; i++) commands.push(['GET', key(i)]);
  let sink = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < commands.length; i++) {
      engine.execute(c, commands[i]!);
      if ((i & 15) === 15) {
        sink += engine.out.len;
        engine.clearReplies();
      }
    }
    sink += engine.out.len;
    engine.clearReplies();
  }
  return sink;
}

const workloads: Record<string, () => Promise<number>> = { parser, ring, executor };
const run = workloads[workload];
if (run === undefined) throw new Error(`unknown workload ${workload} (${Object.keys(workloads).join(', ')})`);
const sink = await run();
if (iterations > 0 && sink === 0) throw new Error('workload did nothing');
console.log(`${workload} ${iterations} ${sink}`);
process.exit(0);
