/**
 * RESP request parsing: commands/s and MB/s of src/protocol/parser.ts RequestParser on
 * pipelined input.
 *
 * Why: in the threaded front-end parsing is the work the I/O workers take off the executor's
 * thread; in the single-threaded one the executor's thread does it itself. Its rate says how
 * much a worker can feed one executor (how many workers an executor needs before it, not the
 * workers, is the bottleneck), and how much of the single-threaded budget parsing eats.
 *
 * Scenarios (each a buffer of COMMANDS pipelined commands, as redis-benchmark -P sends them):
 *   GET         *2 GET key:NNNNNNNNNNNN                           (16-byte keys, as redis-benchmark)
 *   SET 64B     *3 SET key:NNNNNNNNNNNN <64-byte value>
 *   MSET x10    *21 MSET followed by 10 key/value pairs of that shape
 *   PING inline "PING\r\n" (the inline form, split by Redis's quoting rules)
 * and, fed one byte per push() (a client that trickles its bytes; the parser must stay linear):
 *   MSET x10 1B/read   the MSET x10 buffer above
 *   inline 60KB 1B/read  SMALL commands, each one inline line of 60 KB ("ECHO xxx…")
 *
 * One tinybench iteration parses the whole buffer with a fresh parser, fed in 64 KiB chunks
 * (the most one socket read delivers) unless the scenario says otherwise, draining next() after
 * each chunk exactly as the worker's onData does. So it includes the join of a command split
 * across two reads. Not included: the preflight check and the BATCH encoding that follow in the
 * worker.
 *
 * Run alone: node bench/micro/parser.bench.ts
 */

import { Bench } from 'tinybench';
import { RequestParser } from '../../src/protocol/parser.ts';
import { fromTask, printTable, type MicroResult } from './common.ts';

/** Commands per pipelined buffer (one tinybench iteration). */
const COMMANDS = 1000;
/** Bytes per push(): net.Socket's read size. */
const CHUNK = 64 * 1024;
/** Commands per iteration of the 60 KB inline scenario. */
const SMALL = 4;

function resp(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

function key(i: number): string {
  return `key:${String(i).padStart(12, '0')}`;
}

const VALUE = 'x'.repeat(64);

interface Scenario {
  name: string;
  /** The pipelined buffer. */
  text: string;
  /** Bytes per push(). */
  chunk: number;
  commands: number;
}

function scenarios(): Scenario[] {
  const get: string[] = [];
  const set: string[] = [];
  const mset: string[] = [];
  const ping: string[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    get.push(resp(['GET', key(i)]));
    set.push(resp(['SET', key(i), VALUE]));
    const argv = ['MSET'];
    for (let j = 0; j < 10; j++) argv.push(key(i * 10 + j), VALUE);
    mset.push(resp(argv));
    ping.push('PING\r\n');
  }
  const big = `ECHO ${'x'.repeat(60 * 1024)}\r\n`.repeat(SMALL);
  const whole = (name: string, text: string): Scenario => ({ name, text, chunk: CHUNK, commands: COMMANDS });
  return [
    whole('GET', get.join('')), whole('SET 64B', set.join('')), whole('MSET x10', mset.join('')), whole('PING inline', ping.join('')),
    { name: 'MSET x10 1B/read', text: mset.join(''), chunk: 1, commands: COMMANDS },
    { name: 'inline 60KB 1B/read', text: big, chunk: 1, commands: SMALL },
  ];
}

function chunks(text: string, size: number): Buffer[] {
  const all = Buffer.from(text, 'latin1');
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.subarray(i, i + size));
  return out;
}

const limits = { maxBulkLen: 512 * 1024 * 1024 };

/** Parses every chunk; returns the number of arguments seen (a sink the JIT cannot drop). */
function parseAll(input: readonly Buffer[], commands: number): number {
  const parser = new RequestParser(limits);
  let args = 0;
  let cmds = 0;
  for (const c of input) {
    parser.push(c);
    let argv: string[] | null;
    while ((argv = parser.next()) !== null) {
      args += argv.length;
      cmds++;
    }
  }
  if (cmds !== commands || parser.error !== null) throw new Error(`parsed ${cmds} of ${commands} commands (${parser.error ?? 'no error'})`);
  return args;
}

export interface ParserBenchOptions {
  /** tinybench time per task, ms. */
  time: number;
}

export const DEFAULTS: ParserBenchOptions = { time: 1500 };

export async function runParserBench(opts: ParserBenchOptions = DEFAULTS): Promise<MicroResult[]> {
  const bench = new Bench({ name: 'parser', time: opts.time, warmupTime: 300, iterations: 20 });
  const byName = new Map<string, Scenario>();
  let sink = 0;
  for (const sc of scenarios()) {
    const input = chunks(sc.text, sc.chunk);
    byName.set(sc.name, sc);
    parseAll(input, sc.commands); // checks the input parses to exactly that many commands
    bench.add(sc.name, () => {
      sink += parseAll(input, sc.commands);
    });
  }
  await bench.run();
  if (sink === 0) throw new Error('nothing parsed');
  return bench.tasks.map((t) => {
    const sc = byName.get(t.name)!;
    const bytes = sc.text.length;
    return fromTask('parser', t, 'commands/s', sc.commands, bytes / sc.commands,
      { commandsPerIteration: sc.commands, bytesPerIteration: bytes, chunkBytes: sc.chunk });
  });
}

if (import.meta.main) printTable(await runParserBench());
