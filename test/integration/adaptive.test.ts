/**
 * Adaptive threaded I/O (io-threads 3, io-threads-force no): under light load clients are
 * served on the main thread and the I/O threads stay idle; once engaged (here by DEBUG
 * IO-THREADS-ENGAGE, as the policy would under load with an idle core), new clients go to the
 * threads while earlier ones stay where they are — both keep working. The test picks its own
 * mode, so it means the same in both projects.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient } from '../helpers/raw.ts';
import { startRingkv, waitForOutput, type TestServer } from '../helpers/servers.ts';
import { infoField } from '../helpers/scratch.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startRingkv(['--io-threads', '3', '--io-threads-force', 'no', '--enable-debug-command', 'yes']);
});
afterAll(async () => server?.stop());


test('light load stays on the main thread; engaged threads take new clients; both keep working', async () => {
  const early = await RawClient.connect(server.port);
  for (let i = 0; i < 50; i++) expect((await early.command('INCR', 'n')).toString()).toBe(`:${i + 1}\r\n`);
  let info = (await early.command('INFO', 'threads')).toString();
  expect(infoField(info, 'io_threads_mode')).toBe('adaptive');
  expect(infoField(info, 'io_threads_active')).toBe('0');
  expect(infoField(info, 'main_thread_clients')).toBe('1');
  expect(infoField(info, 'io_threaded_reads_processed')).toBe('0');

  expect((await early.command('DEBUG', 'IO-THREADS-ENGAGE')).toString()).toBe('+OK\r\n');
  expect(await waitForOutput(server, /I\/O threads engaged/)).toMatch(/I\/O threads engaged for new clients \(DEBUG IO-THREADS-ENGAGE\)/);
  const late = await RawClient.connect(server.port);
  for (let i = 0; i < 50; i++) expect((await late.command('INCR', 'n')).toString()).toBe(`:${i + 51}\r\n`);
  expect((await early.command('INCR', 'n')).toString()).toBe(':101\r\n');
  info = (await late.command('INFO', 'threads')).toString();
  expect(infoField(info, 'io_threads_active')).toBe('1');
  expect(infoField(info, 'main_thread_clients')).toBe('1'); // the early client did not move
  expect(Number(infoField(info, 'io_threaded_reads_processed'))).toBeGreaterThanOrEqual(51);
  early.close();
  late.close();
});

test('with io-threads-force yes there is nothing to engage', async () => {
  const forced = await startRingkv(['--io-threads', '2', '--io-threads-force', 'yes', '--enable-debug-command', 'yes']);
  try {
    const c = await RawClient.connect(forced.port);
    expect((await c.command('DEBUG', 'IO-THREADS-ENGAGE')).toString()).toBe('-ERR the I/O threads are forced on (io-threads-force yes)\r\n');
    const info = (await c.command('INFO', 'threads')).toString();
    expect(infoField(info, 'io_threads_mode')).toBe('forced');
    expect(infoField(info, 'main_thread_clients')).toBe('0');
    c.close();
  } finally {
    await forced.stop();
  }
});
