/**
 * Closing a client after its last reply (QUIT, a protocol error, CLIENT KILL of oneself) as
 * Redis does: the reply is written, then the connection is closed for good, and nothing more
 * is read from it meanwhile.
 *
 * A plain `socket.end()` only half-closes: until the peer closes its side, Node keeps reading
 * (and allocating for) whatever the client goes on sending — a client streaming a 4 GB bulk
 * or an endless inline line after its error would make the server take in data it then
 * throws away. Here reading stops at once (what the client sends waits in the kernel's
 * buffers, then its writes block), the reply and a FIN go out, and the socket is destroyed
 * shortly after (LINGER_MS) unless the client closed first.
 */

import type net from 'node:net';

/** How long the client has to read the last reply before unread input resets the connection. */
const LINGER_MS = 1000;

export function endAndClose(socket: net.Socket, last?: Buffer): void {
  socket.pause();
  socket.once('finish', () => {
    // Closing at once with the client's input unread makes the kernel send a reset, which can
    // overtake the reply on the client's side: give it a moment to read, reading nothing more.
    const t = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(t));
  });
  if (last === undefined) socket.end();
  else socket.end(last);
}
