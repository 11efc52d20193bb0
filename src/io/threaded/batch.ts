/**
 * The executor's work for one BATCH frame, main-thread side: run the client's commands and
 * queue one REPLY frame with their replies. frontend.ts calls it for every BATCH;
 * bench/micro/executor.bench.ts calls the same function, so the executor ceiling it reports
 * measures this very code rather than a copy.
 */

import type { ClientState } from '../../engine/client.ts';
import type { Engine } from '../../engine/engine.ts';
import { decodeBatch, Rep, type Outbox } from './frames.ts';

/**
 * Executes the commands of a BATCH body (`b[s, e)`) for `c` and queues their replies on
 * `replies` as one REPLY frame, copied once from the executor's writer. The frame counts the
 * commands answered in this batch — not one that blocked its client nor those held behind it,
 * whose replies come later through ClientConnection.deliver(). Returns true when a frame was
 * queued (the caller commits the ring).
 */
export function executeBatch(engine: Engine, c: ClientState, replies: Outbox | null, b: Buffer, s: number, e: number): boolean {
  let answered = 0;
  if (!c.closeAfterReply) {
    decodeBatch(b, s, e, (argv) => {
      if (engine.execute(c, argv)) answered++;
      return !c.closeAfterReply;
    });
  }
  const out = engine.out;
  let queued = false;
  if (replies !== null && (answered > 0 || out.len > 0)) {
    replies.sendReply(Rep.REPLY, Rep.RPART, c.id, answered, out.buf, 0, out.len);
    queued = true;
  }
  engine.clearReplies();
  return queued;
}
