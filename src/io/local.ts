/**
 * A client served entirely on the main thread: its socket read, parsed, executed and written
 * here. The single-threaded front-end serves every client this way; the threaded front-end
 * serves this way the clients that connect while its I/O threads are not engaged (adaptive
 * mode).
 *
 * Contract
 * - One `data` event = one batch: every complete command in what was read runs in order, then
 *   all their replies leave in one `socket.write`. That is where pipelining pays.
 * - A protocol error is answered with Redis's text after the replies of the commands before it,
 *   and closes that connection only (behind a blocked command, once that one is answered).
 * - A blocked client's commands are parsed as they come and held by the engine (see
 *   Engine.execute); their replies arrive later through deliver().
 * - A client whose unparsed input passes `client-query-buffer-limit` is closed without a reply,
 *   as Redis does.
 * - Back-pressure: when the kernel will not take more of a client's replies (`write()` returns
 *   false) we stop reading that client until its socket drains, so a client that pipelines
 *   without reading cannot make us buffer without bound. Nothing is dropped.
 * - Output that others make for a client (pub/sub) is bounded by client-output-buffer-limit:
 *   after each write the socket's pending bytes are checked against the client's class
 *   (src/io/outputlimit.ts); past the limit the client is closed, as Redis does.
 */

import type net from 'node:net';
import type { Config } from '../config/config.ts';
import type { ClientConnection, ClientState } from '../engine/client.ts';
import type { Engine } from '../engine/engine.ts';
import { log } from '../lib/log.ts';
import { RequestParser, type ParserLimits } from '../protocol/parser.ts';
import { OutputLimitState, type OutputLimits } from '../config/outputlimits.ts';
import { liveOutputLimits } from './outputlimit.ts';
import { endAndClose } from './closing.ts';

/** Parser limits that follow CONFIG SET: one object shared by every connection's parser. */
export function liveLimits(config: Config): ParserLimits {
  const limits = { maxBulkLen: config.int('proto-max-bulk-len') };
  config.onChange((name) => {
    if (name === 'proto-max-bulk-len') limits.maxBulkLen = config.int('proto-max-bulk-len');
  });
  return limits;
}

export class LocalConnection implements ClientConnection {
  readonly socket: net.Socket;
  readonly parser: RequestParser;
  client!: ClientState;
  private readonly engine: Engine;
  private readonly config: Config;
  private closing = false;
  /** A protocol error was held behind a blocked command (Engine.holdError): read no more. */
  private inputEnded = false;
  private readonly onClose: (c: LocalConnection) => void;
  private readonly outputLimits: OutputLimits;
  private readonly obuf = new OutputLimitState();

  /** Serves `socket` from now on; `onClose` runs once when it closes. */
  constructor(socket: net.Socket, engine: Engine, config: Config, limits: ParserLimits, onClose: (c: LocalConnection) => void) {
    this.socket = socket;
    this.engine = engine;
    this.config = config;
    this.parser = new RequestParser(limits);
    this.onClose = onClose;
    this.outputLimits = liveOutputLimits(config);
    socket.on('data', this.dataListener);
    socket.on('drain', this.drainListener);
    socket.on('error', this.errorListener);
    socket.on('close', this.closeListener);
  }

  private readonly dataListener = (chunk: Buffer): void => this.onData(chunk);
  private readonly drainListener = (): void => {
    this.socket.resume();
  };
  private readonly errorListener = (err: Error): void => {
    log.verbose(`Client id=${this.client.id} addr=${this.client.addr}: ${err.message}`);
  };
  private readonly closeListener = (): void => {
    this.closing = true;
    this.onClose(this);
  };

  /**
   * Bytes from outside this client's batch (pub/sub messages, late replies of a blocked client;
   * the count of commands answered is the threaded front-end's business). A burst of PUBLISHes
   * in one publisher batch would otherwise cost one write syscall per message per subscriber:
   * the socket is corked on the first delivery and uncorked once the current task ends, so the
   * burst leaves in one writev, in order with everything else written meanwhile.
   */
  deliver(bytes: Buffer, answered: number, end: boolean): void {
    // Through the durability gate (appendfsync always): see Engine.release.
    // (Without a gate, no closure: pub/sub fan-out comes through here once per subscriber.)
    if (this.engine.durability === null) this.deliverNow(bytes, answered, end);
    else this.engine.release(() => this.deliverNow(bytes, answered, end));
  }

  private deliverNow(bytes: Buffer, answered: number, end: boolean): void {
    if (this.closing) return;
    if (end) {
      this.closing = true;
      endAndClose(this.socket, bytes);
      return;
    }
    // Late replies of commands held behind a blocked one: one may have been AUTH or RESET.
    if (answered > 0) this.parser.authRequired = this.engine.authRequired(this.client);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    if (!this.socket.write(bytes)) this.socket.pause();
    this.checkOutputLimit();
  }

  /** client-output-buffer-limit: pending output is what the socket has not taken yet. */
  private checkOutputLimit(): void {
    const pending = this.socket.writableLength;
    if (pending === 0 && this.obuf.softSince === 0) return;
    const l = this.client.subs !== null ? this.outputLimits.pubsub : this.outputLimits.normal;
    if (this.obuf.overLimit(l, pending, Date.now())) {
      this.engine.outputLimitReached(this.client);
      // Closed now; the engine forgets the client when the socket's close event comes.
      this.close();
    }
  }

  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.destroy();
  }

  queryBufferLength(): number {
    return this.parser.buffered;
  }

  outputBufferLength(): number {
    return this.socket.writableLength;
  }

  /** Writes a batch's replies. */
  private send(replies: Buffer): void {
    if (this.closing) return;
    this.engine.io.writes++;
    if (!this.socket.write(replies)) this.socket.pause();
    this.checkOutputLimit();
  }

  onData(chunk: Buffer): void {
    if (this.closing || this.inputEnded) return;
    const engine = this.engine;
    const client = this.client;
    const parser = this.parser;
    engine.stats.totalNetInputBytes += chunk.length;
    engine.io.reads++;
    parser.authRequired = engine.authRequired(client);
    parser.push(chunk);
    let argv: string[] | null;
    while (!client.closeAfterReply && (argv = parser.next()) !== null) {
      engine.execute(client, argv);
      if (parser.authRequired) parser.authRequired = engine.authRequired(client);
    }
    if (parser.error !== null && !client.closeAfterReply) {
      log.verbose(`Protocol error (${parser.error}) from client: id=${client.id} addr=${client.addr}`);
      // Behind a blocked command, the error waits its turn and the engine closes after it.
      if (engine.holdError(client, `ERR ${parser.error}`, true, null)) {
        this.inputEnded = true;
      } else {
        engine.out.resp = client.resp;
        engine.out.error(`ERR ${parser.error}`);
        engine.countErrorReply(`ERR ${parser.error}`);
        client.closeAfterReply = true;
      }
    }
    const replies = engine.takeReplies();
    if (this.closing) return; // killed itself (CLIENT KILL): Redis drops its pending replies
    // The replies leave through the durability gate (appendfsync always: after the batch's
    // changes are on disk; see Engine.release), at once otherwise.
    if (client.closeAfterReply) {
      this.closing = true;
      engine.release(() => {
        endAndClose(this.socket, replies ?? undefined);
      });
      return;
    }
    if (replies !== null) {
      if (engine.durability === null) this.send(replies);
      else engine.release(() => this.send(replies));
    }
    if (parser.buffered > this.config.int('client-query-buffer-limit')) {
      log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.addr} qbuf=${parser.buffered}`);
      this.close();
    }
  }
}
