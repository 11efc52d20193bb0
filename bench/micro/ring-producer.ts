/**
 * The producer thread of ring.bench.ts: sends `n` fixed-size messages to the main thread, on
 * each request, by the transport it was started with. Not a benchmark on its own.
 *
 * Contract
 * - workerData picks the transport once: 'ring' (a RingProducer over the SharedArrayBuffer it is
 *   given, commit() every `batch` frames, the consumer's bell rung by commit() when it sleeps),
 *   'post' (one postMessage per message) or 'post-batched' (`batch` messages copied into one
 *   Uint8Array per postMessage).
 * - Main posts `{ n }`; the worker sends messages 0..n-1, each starting with its sequence number
 *   (u32 little-endian), so the consumer can check order and count. Nothing else is sent back:
 *   the run ends when the consumer has seen message n-1.
 * - A full ring is handled as the real worker handles it (worker.ts pauseReads): commit what is
 *   reserved, wait for the consumer to free space (RingProducer.waitForSpace), retry.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Bell, RingProducer } from '../../src/io/threaded/ring.ts';

export interface ProducerInit {
  mode: 'ring' | 'post' | 'post-batched';
  size: number;
  /** 'ring' only: the ring's buffer and the consumer's bell. */
  ring?: SharedArrayBuffer;
  bell?: SharedArrayBuffer;
  /** 'ring': frames per commit(); 'post-batched': messages per postMessage. */
  batch: number;
}

const init = workerData as ProducerInit;
const size = init.size;
/** The message body: arbitrary bytes, the first four overwritten with the sequence number. */
const template = Buffer.alloc(size, 0x61);

function seq(bytes: Uint8Array, at: number, i: number): void {
  bytes[at] = i & 0xff;
  bytes[at + 1] = (i >>> 8) & 0xff;
  bytes[at + 2] = (i >>> 16) & 0xff;
  bytes[at + 3] = i >>> 24;
}

async function viaRing(producer: RingProducer, n: number, commitEvery: number): Promise<void> {
  const bytes = producer.bytes;
  for (let i = 0; i < n; i++) {
    let at = producer.reserve(size);
    while (at < 0) {
      producer.commit();
      await producer.waitForSpace(100);
      at = producer.reserve(size);
    }
    bytes.set(template, at);
    seq(bytes, at, i);
    if (i % commitEvery === commitEvery - 1) producer.commit();
  }
  producer.commit();
}

function viaPost(n: number): void {
  for (let i = 0; i < n; i++) {
    // A fresh ArrayBuffer of exactly `size` bytes: structured clone copies a view's whole
    // backing buffer, so a pooled Buffer would send kilobytes per message.
    const m = new Uint8Array(size);
    m.set(template);
    seq(m, 0, i);
    parentPort!.postMessage(m);
  }
}

function viaPostBatched(n: number, batch: number): void {
  for (let first = 0; first < n; first += batch) {
    const k = Math.min(batch, n - first);
    const m = new Uint8Array(k * size);
    for (let j = 0; j < k; j++) {
      m.set(template, j * size);
      seq(m, j * size, first + j);
    }
    parentPort!.postMessage(m);
  }
}

const producer = init.mode === 'ring' ? new RingProducer(init.ring!, new Bell(init.bell!).word) : null;

parentPort!.on('message', (msg: { n: number }) => {
  if (producer !== null) void viaRing(producer, msg.n, init.batch);
  else if (init.mode === 'post') viaPost(msg.n);
  else viaPostBatched(msg.n, init.batch);
});
