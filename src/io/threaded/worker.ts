/**
 * An I/O worker thread (`io-threads N` runs N-1 of them): owns the sockets the main thread
 * hands it, reads and parses them, checks each command's name and arity, and sends the
 * commands of each socket read to the executor as one BATCH frame through its request ring.
 * It takes reply frames from its reply ring and writes them, one write per socket per turn.
 *
 * Contract
 * - Loads protocol and ring code only (the lint holds this): it never sees the keyspace. The
 *   command table's shape arrives in workerData.
 * - Per-client order is kept: a client's commands go out in order in FIFO frames; an error the
 *   worker finds itself is written directly only when none of that client's commands is in
 *   flight, and otherwise travels as an ECHO frame behind them.
 * - Ring full (request ring): this worker stops reading all its sockets until the executor
 *   frees space; nothing is dropped (frames wait in the Outbox, in order).
 * - A socket that does not take its replies (write() returns false) is not read until it
 *   drains, as in the single-threaded front-end.
 * - client-output-buffer-limit is checked here, after each write, on the socket's pending
 *   bytes and the class the executor last sent (Rep.CLASS); past it the socket is closed and
 *   the executor told (Req.LIMIT). See src/io/outputlimit.ts.
 */

import type net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { RequestParser } from '../../protocol/parser.ts';
import { OutputLimitState } from '../../config/outputlimits.ts';
import { endAndClose } from '../closing.ts';
import { CLOSE_SILENTLY, preflight, type CommandShapes } from '../../protocol/preflight.ts';
import { BatchEncoder, encodeReject, HEADER, Joiner, Outbox, REJECT_CLOSE, REJECT_WRITTEN, Rep, Req } from './frames.ts';
import { Bell, RingConsumer, RingProducer } from './ring.ts';
import { W, type WorkerInit, type ToWorker } from './protocol.ts';
import { startProfileSampler } from '../../lib/profile-sampler.ts';

const init = workerData as WorkerInit;
startProfileSampler(`io-thread-${init.index + 1}`); // RINGKV_PROFILE_SAMPLES (ringkv profile); nothing when unset
const shapes: CommandShapes = new Map(init.shapes.map(([name, arity, subs]) => [name, { arity, subcommands: subs === null ? null : new Map(subs) }]));
const requests = new Outbox(new RingProducer(init.requestRing, new Bell(init.mainBell).word));
const replies = new RingConsumer(init.replyRing);
const bell = new Bell(init.workerBell);
/** Counters the main thread reads for INFO (see W in protocol.ts). */
const stats = new Float64Array(init.stats);
/** Shared by every client's parser, so a CONFIG SET reaches them all. */
const limits = { maxBulkLen: init.maxBulkLen };
let queryBufferLimit = init.queryBufferLimit;
let outputLimits = init.outputLimits;

interface WClient {
  readonly id: number;
  readonly socket: net.Socket;
  readonly parser: RequestParser;
  /** Commands (and errors it did not write itself) sent to the executor and not yet answered. */
  inFlight: number;
  /** No more input is read (protocol error, QUIT, CLOSE). */
  closing: boolean;
  /** Reply byte ranges gathered during one drain of the reply ring. */
  out: Buffer[];
  outLen: number;
  closeAfterWrite: boolean;
  /** Paused because its socket would not take more replies. */
  slow: boolean;
  /** Subscribed (Rep.CLASS): checked against the pubsub output limit, else the normal one. */
  pubsub: boolean;
  readonly obuf: OutputLimitState;
}

const clients = new Map<number, WClient>();
const encoder = new BatchEncoder();
const joiner = new Joiner();
let readsPaused = false;

function send(kind: number, clientId: number, body: Buffer, prefix: Buffer | null = null): void {
  requests.send(kind, Req.PART, clientId, body, prefix);
}

function sanitize(text: string): string {
  return text.includes('\r') || text.includes('\n') ? text.replace(/[\r\n]/g, ' ') : text;
}

/** Sends the commands gathered from this read as one BATCH frame. */
function flushBatch(c: WClient): void {
  if (encoder.commands === 0) return;
  c.inFlight += encoder.commands;
  stats[W.commands] += encoder.commands;
  send(Req.BATCH, c.id, encoder.body());
  encoder.reset();
}

/**
 * Errors this worker answers itself during one onData() call, written when it ends (nothing
 * can overtake them: the executor's replies come later), so that a `host:`/`POST` later in the
 * same read can drop them as Redis does. `localClose`: close after writing them.
 */
let localOut: Buffer[] = [];
let localClose = false;

/** Writes what localError() gathered in this onData() call. */
function flushLocal(c: WClient): void {
  if (localOut.length === 0) return;
  const data = localOut.length === 1 ? localOut[0]! : Buffer.concat(localOut);
  localOut = [];
  if (localClose) endAndClose(c.socket, data);
  else c.socket.write(data);
  localClose = false;
}

/**
 * Answers an error found here, in order with the replies still to come from the executor, and
 * tells the executor so INFO counts it (see REJECT in frames.ts).
 */
function localError(c: WClient, argv: readonly string[] | null, text: string, closeAfter: boolean): void {
  const error = sanitize(text);
  stats[W.localErrors]++;
  let flags = closeAfter ? REJECT_CLOSE : 0;
  if (c.inFlight === 0 && requests.empty) {
    localOut.push(Buffer.from(`-${error}\r\n`, 'latin1'));
    if (closeAfter) localClose = true;
    flags |= REJECT_WRITTEN;
  } else {
    // The executor answers it in its turn (maybe only once a blocked command is served).
    c.inFlight++;
  }
  if (closeAfter) c.closing = true;
  send(Req.REJECT, c.id, encodeReject(flags, argv, error));
}

function onData(c: WClient, chunk: Buffer): void {
  if (c.closing) return;
  stats[W.bytesIn] += chunk.length;
  stats[W.reads]++;
  const parser = c.parser;
  parser.push(chunk);
  let argv: string[] | null;
  while ((argv = parser.next()) !== null) {
    const err = preflight(shapes, argv);
    if (err === null) {
      encoder.add(argv);
      continue;
    }
    if (err === CLOSE_SILENTLY) {
      // `host:`/`POST`: the commands before it run (the executor also logs this one and drops
      // the client), but no reply is written, not even theirs: the socket goes now.
      encoder.add(argv);
      flushBatch(c);
      localOut = [];
      localClose = false;
      c.closing = true;
      c.socket.destroy();
      requests.commit();
      return;
    }
    flushBatch(c);
    localError(c, argv, err, false);
  }
  flushBatch(c);
  if (parser.error !== null) localError(c, null, `ERR ${parser.error}`, true);
  flushLocal(c);
  if (parser.error === null && parser.buffered > queryBufferLimit) {
    // Redis closes such a client without a reply.
    c.closing = true;
    c.socket.destroy();
  }
  requests.commit();
  if (!requests.empty) pauseReads();
}

/** Request ring full: stop reading every socket until the Outbox has drained into the ring. */
function pauseReads(): void {
  if (readsPaused) return;
  readsPaused = true;
  stats[W.fullPauses]++;
  for (const c of clients.values()) c.socket.pause();
  void (async () => {
    while (!requests.flush()) {
      requests.commit();
      await requests.ring.waitForSpace(100);
    }
    requests.commit();
    readsPaused = false;
    for (const c of clients.values()) if (!c.slow && !c.closing) c.socket.resume();
  })();
}

function adopt(socket: net.Socket, id: number, authRequired: boolean): void {
  const parser = new RequestParser(limits);
  parser.authRequired = authRequired;
  const c: WClient = { id, socket, parser, inFlight: 0, closing: false, out: [], outLen: 0, closeAfterWrite: false, slow: false,
    pubsub: false, obuf: new OutputLimitState() };
  clients.set(id, c);
  stats[W.clients] = clients.size;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => onData(c, chunk));
  socket.on('drain', () => {
    c.slow = false;
    if (!readsPaused && !c.closing) socket.resume();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clients.delete(id);
    joiner.drop(id);
    stats[W.clients] = clients.size;
    send(Req.GONE, id, Buffer.alloc(0));
    requests.commit();
  });
  if (readsPaused) socket.pause();
  else socket.resume();
}

// ---- replies --------------------------------------------------------------------------------

const at = { offset: 0, length: 0 };
const touched: WClient[] = [];

function gather(c: WClient, piece: Buffer): void {
  if (c.out.length === 0 && !c.closeAfterWrite) touched.push(c);
  c.out.push(piece);
  c.outLen += piece.length;
}

/** Takes every frame in the reply ring; writes each touched client's bytes in one write. */
function drainReplies(): void {
  const bytes = replies.bytes;
  while (replies.next(at)) {
    const start = at.offset;
    const end = start + at.length;
    const kind = bytes[start]!;
    const id = bytes.readUInt32LE(start + 4);
    const c = clients.get(id);
    switch (kind) {
      case Rep.RPART:
        joiner.piece(id, bytes, start + HEADER, end);
        break;
      case Rep.REPLY: {
        // The count leads the whole body, which may have come in pieces.
        const [b, s, e] = joiner.finish(id, bytes, start + HEADER, end);
        if (c === undefined) break;
        c.inFlight -= b.readUInt32LE(s);
        // The ring's bytes are reused once released, and a socket write completes later: copy.
        if (e > s + 4) gather(c, b === bytes ? Buffer.from(b.subarray(s + 4, e)) : b.subarray(s + 4, e));
        break;
      }
      case Rep.CLOSE:
        if (c === undefined) break;
        c.closing = true;
        if (c.out.length === 0 && !c.closeAfterWrite) touched.push(c);
        c.closeAfterWrite = true;
        break;
      case Rep.KILL:
        if (c !== undefined) {
          c.closing = true;
          c.socket.destroy();
        }
        break;
      case Rep.AUTH:
        if (c !== undefined) c.parser.authRequired = bytes[start + HEADER] === 1;
        break;
      case Rep.CLASS:
        if (c !== undefined) c.pubsub = bytes[start + HEADER] === 1;
        break;
    }
  }
  replies.release();
  for (const c of touched) {
    if (c.out.length > 0 && !c.socket.destroyed) {
      const data = c.out.length === 1 ? c.out[0]! : Buffer.concat(c.out, c.outLen);
      stats[W.bytesOut] += data.length;
      stats[W.writes]++;
      if (c.closeAfterWrite) endAndClose(c.socket, data);
      else {
        if (!c.socket.write(data)) {
          c.slow = true;
          c.socket.pause();
        }
        checkOutputLimit(c);
      }
    } else if (c.closeAfterWrite) {
      endAndClose(c.socket);
    }
    c.out = [];
    c.outLen = 0;
  }
  touched.length = 0;
}

/** client-output-buffer-limit on what the socket has not taken yet (see src/io/outputlimit.ts). */
function checkOutputLimit(c: WClient): void {
  const pending = c.socket.writableLength;
  if (pending === 0 && c.obuf.softSince === 0) return;
  if (!c.obuf.overLimit(c.pubsub ? outputLimits.pubsub : outputLimits.normal, pending, Date.now())) return;
  c.closing = true;
  send(Req.LIMIT, c.id, Buffer.alloc(0));
  requests.commit();
  c.socket.destroy();
}

/** Polls for replies up to init.spinMs before sleeping (0 on machines without spare cores). */
function spinForReplies(): boolean {
  const until = performance.now() + init.spinMs;
  do {
    if (replies.hasData()) return true;
  } while (performance.now() < until);
  return false;
}

async function replyLoop(): Promise<void> {
  for (;;) {
    const v = bell.value();
    drainReplies();
    if (init.spinMs > 0 && spinForReplies()) {
      // Let socket events in between, then drain again.
      await new Promise<void>((r) => setImmediate(r));
      continue;
    }
    if (replies.prepareSleep()) {
      await bell.wait(v);
      replies.awake();
      stats[W.wakeups]++;
    }
  }
}

parentPort!.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'socket':
      adopt(m.socket, m.clientId, m.authRequired);
      break;
    case 'limits':
      limits.maxBulkLen = m.maxBulkLen;
      queryBufferLimit = m.queryBufferLimit;
      outputLimits = m.outputLimits;
      break;
    case 'crash':
      // Test hook (DEBUG-style): die as a crashed worker would.
      throw new Error(`I/O thread ${init.index + 1} crashed on request (DEBUG IO-THREAD-CRASH)`);
  }
});

void replyLoop();
