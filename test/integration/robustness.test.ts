/**
 * The executor survives a handler that throws: the client gets an error reply in place of the
 * half-written one, its connection and every other client's go on, and the log has the stack.
 * Runs in both I/O modes (the threaded project sets RINGKV_TEST_IO_THREADS).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient } from '../helpers/raw.ts';
import { startRingkv, waitForOutput, type TestServer } from '../helpers/servers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startRingkv(['--enable-debug-command', 'yes']);
});
afterAll(async () => server?.stop());

test('a throwing handler answers an error and the server keeps serving', async () => {
  const a = await RawClient.connect(server.port);
  const b = await RawClient.connect(server.port);
  expect((await a.command('SET', 'k', 'v')).toString()).toBe('+OK\r\n');
  // Pipelined: the error takes the throwing command's place, the commands around it still run.
  a.write('*1\r\n$4\r\nPING\r\n*2\r\n$5\r\nDEBUG\r\n$5\r\nTHROW\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  expect((await a.readReply()).toString()).toBe('+PONG\r\n');
  expect((await a.readReply()).toString()).toBe("-ERR internal error in 'debug': DEBUG THROW\r\n");
  expect((await a.readReply()).toString()).toBe('$1\r\nv\r\n');
  expect((await b.command('GET', 'k')).toString()).toBe('$1\r\nv\r\n');
  expect(await waitForOutput(server, /threw/)).toMatch(/Command 'debug' from client id=\d+ threw/);
  const stats = (await b.command('INFO', 'errorstats')).toString();
  expect(stats).toMatch(/errorstat_ERR:count=1\b/);
  a.close();
  b.close();
});
