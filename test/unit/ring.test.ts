/**
 * The SPSC ring: frames come out in order and intact, across wrap-arounds, with a full ring as
 * an ordinary outcome; and across two real threads (a worker producing, this thread consuming)
 * with the bell protocol, no frame is lost, duplicated or torn.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { Bell, createRing, RingConsumer, RingProducer } from '../../src/io/threaded/ring.ts';

function frame(i: number): Buffer {
  // Variable sizes, including ones that are not multiples of 4, with content derived from i.
  const n = (i * 7919) % 300;
  const b = Buffer.alloc(n + 4);
  b.writeUInt32LE(i, 0);
  for (let k = 0; k < n; k++) b[4 + k] = (i + k) & 0xff;
  return b;
}

describe('ring, one thread', () => {
  test('frames round-trip in order across many wrap-arounds', () => {
    const sab = createRing(4096);
    const p = new RingProducer(sab, new Bell(Bell.create()).word);
    const c = new RingConsumer(sab);
    const at = { offset: 0, length: 0 };
    let sent = 0;
    let got = 0;
    while (got < 20000) {
      while (sent < 20000) {
        const f = frame(sent);
        const off = p.reserve(f.length);
        if (off < 0) break;
        f.copy(p.bytes, off);
        sent++;
        if (sent % 5 === 0) p.commit();
      }
      p.commit();
      while (c.next(at)) {
        const f = frame(got);
        expect(at.length).toBe(f.length);
        expect(Buffer.compare(c.bytes.subarray(at.offset, at.offset + at.length), f)).toBe(0);
        got++;
      }
      c.release();
    }
    expect(p.stats().frames).toBe(20000);
  });

  test('a full ring refuses a frame without changing anything, and accepts it once drained', () => {
    const sab = createRing(1024);
    const p = new RingProducer(sab, new Bell(Bell.create()).word);
    const c = new RingConsumer(sab);
    let n = 0;
    while (p.reserve(100) >= 0) n++;
    p.commit();
    expect(n).toBe(9); // 9 × 104 bytes fit in 1024
    expect(p.stats().fullEvents).toBe(1);
    expect(p.reserve(100)).toBe(-1);
    const at = { offset: 0, length: 0 };
    expect(c.next(at)).toBe(true);
    c.release();
    expect(p.reserve(100)).toBeGreaterThanOrEqual(0);
  });

  test('frames larger than a quarter of the ring are refused loudly', () => {
    const p = new RingProducer(createRing(1024), new Bell(Bell.create()).word);
    expect(() => p.reserve(257)).toThrow(/exceeds/);
  });
});

describe('ring, two threads', () => {
  test('a worker produces 200k frames; the consumer sleeps on its bell and gets them all intact', async () => {
    const sab = createRing(1 << 16);
    const bellSab = Bell.create();
    const code = `
      const { workerData } = require('node:worker_threads');
      (async () => {
        const { RingProducer } = await import(${JSON.stringify(new URL('../../src/io/threaded/ring.ts', import.meta.url).href)});
        const p = new RingProducer(workerData.sab, new Int32Array(workerData.bell, 0, 1));
        const frame = (i) => { const n = (i * 7919) % 300; const b = Buffer.alloc(n + 4); b.writeUInt32LE(i, 0); for (let k = 0; k < n; k++) b[4 + k] = (i + k) & 0xff; return b; };
        for (let i = 0; i < 200000; i++) {
          const f = frame(i);
          let off;
          while ((off = p.reserve(f.length)) < 0) { p.commit(); await p.waitForSpace(50); }
          f.copy(p.bytes, off);
          if (i % 16 === 15) p.commit();
        }
        p.commit();
      })();`;
    // execArgv: [] — a plain Node worker, without the test runner's own flags and module hooks
    // (which a worker would inherit and which twice left it not running in full-suite runs).
    const w = new Worker(code, { eval: true, workerData: { sab, bell: bellSab }, execArgv: [] });
    // A worker that dies must fail the test with its reason, not leave the consumer waiting.
    let workerProblem: string | null = null;
    w.on('error', (err: Error) => { workerProblem = `worker error: ${err.stack ?? err.message}`; });
    w.on('exit', (code) => { if (code !== 0) workerProblem ??= `worker exited with code ${code}`; });
    const c = new RingConsumer(sab);
    const bell = new Bell(bellSab);
    const at = { offset: 0, length: 0 };
    let got = 0;
    let bad = 0;
    const deadline = Date.now() + 40000;
    while (got < 200000) {
      if (workerProblem !== null) throw new Error(`${workerProblem} (after ${got} frames)`);
      if (Date.now() > deadline) {
        throw new Error(`stalled after ${got} frames: ring ${JSON.stringify(c.stats())}, bell ${bell.value()}, worker alive ${w.threadId > 0}`);
      }
      const v = bell.value();
      while (c.next(at)) {
        const f = frame(got);
        if (at.length !== f.length || Buffer.compare(c.bytes.subarray(at.offset, at.offset + at.length), f) !== 0) bad++;
        got++;
      }
      c.release();
      if (got < 200000 && c.prepareSleep()) {
        // Raced with a plain timer so the watchdog above runs even if a wait never returned.
        await Promise.race([bell.wait(v, 1000), new Promise((r) => setTimeout(r, 1100))]);
        c.awake();
      }
    }
    await w.terminate();
    expect(bad).toBe(0);
    expect(got).toBe(200000);
  }, 60000);
});
