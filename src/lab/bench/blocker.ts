/**
 * The head-of-line scenario's blocking client, run as its own process by scenarios.ts:
 *
 *   node src/lab/bench/blocker.ts HOST PORT keys|scan SCAN_COUNT
 *
 * loops `KEYS *` (mode keys) or full `SCAN cursor COUNT n` iterations (mode scan) until a line
 * arrives on stdin, then prints `calls=<n> meanMs=<ms>` and exits. Prints `started` once its
 * first call is on the wire. A separate process, so that reading a million-key reply does not
 * stall the measuring client's event loop.
 */

import { RespConn, RespError } from './resp.ts';

const [host = '127.0.0.1', portText = '6379', mode = 'keys', countText = '100'] = process.argv.slice(2);
const c = await RespConn.connect(host, Number(portText));
c.discardArrays = mode === 'keys';
let stop = false;
process.stdin.on('data', () => { stop = true; });
process.stdin.on('end', () => { stop = true; });
let calls = 0;
let totalMs = 0;
let cursor = '0';
let first = true;
while (!stop) {
  const t0 = performance.now();
  const p = mode === 'keys' ? c.call('KEYS', '*') : c.call('SCAN', cursor, 'COUNT', countText);
  if (first) {
    process.stdout.write('started\n');
    first = false;
  }
  const r = await p;
  totalMs += performance.now() - t0;
  calls++;
  if (r instanceof RespError) throw new Error(`${mode}: ${r.message}`);
  if (mode === 'scan') cursor = String((r as [string, unknown])[0]);
}
process.stdout.write(`calls=${calls} meanMs=${(calls === 0 ? 0 : totalMs / calls).toFixed(3)}\n`);
c.close();
process.exit(0);
