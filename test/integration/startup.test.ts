/**
 * Start-up configuration, differentially: ringkv-server and redis-server given the same bad
 * config file or `--option` arguments print the same FATAL CONFIG FILE ERROR report (same line
 * number, same quoted line, same reason; only the version banner differs) and exit 1. A good
 * config file is applied (CONFIG GET shows its values).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RawClient } from '../helpers/raw.ts';
import { requireRedis, ROOT, startRingkv, type TestServer } from '../helpers/servers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ringkv-startup-'));

function conf(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function run(bin: string, args: string[]): { code: number | null; text: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10000 });
  // The banner names the program and version; everything after it must match.
  const text = `${r.stdout}${r.stderr}`.replace(/\(ringkv [^)]*\)|\(Redis [^)]*\)/, '(VERSION)');
  return { code: r.status, text };
}

const cases: Array<[string, string[]]> = [
  ['non-integer port', ['--port', 'abc']],
  ['unknown option', ['--foo', 'bar']],
  ['missing value', ['--port']],
  ['second occurrence bad: line 3', ['--port', '7399', '--port', 'abc']],
  ['out of range', ['--maxclients', '0']],
  ['bad memory value', ['--proto-max-bulk-len', '10xb']],
  ['bad boolean', ['--protected-mode', 'maybe']],
  ['bad enum', ['--loglevel', 'loud']],
  ['value with spaces', ['--port', '7399 7400']],
  ['file: unknown option on line 3', [conf('a.conf', '# comment\nport 7399\nfoobar yes\n')]],
  ['file: unbalanced quotes', [conf('b.conf', 'requirepass "abc\n')]],
  ['file then bad argument', [conf('c.conf', 'port 7399\n\n\n'), '--port', 'abc']],
  ['missing file', [path.join(dir, 'nope.conf')]],
];

describe.skipIf(!requireRedis())('start-up configuration errors match redis-server', () => {
  for (const [title, args] of cases) {
    test(title, () => {
      const mine = run(path.join(ROOT, 'bin/ringkv-server'), args);
      const theirs = run('redis-server', args);
      expect(theirs.code).toBe(1);
      expect(mine.code).toBe(1);
      if (title === 'missing file') {
        // Redis logs this one through its logger (pid, date); compare the message.
        const msg = /Fatal error, can't open config file '[^']*': No such file or directory/;
        expect(theirs.text).toMatch(msg);
        expect(mine.text).toMatch(msg);
      } else {
        expect(mine.text).toBe(theirs.text);
      }
    });
  }
});

describe('a config file is applied', () => {
  let server: TestServer;
  afterAll(async () => server?.stop());
  test('values from the file and the command line, the latter winning', async () => {
    const file = conf('good.conf', 'databases 4\ntimeout 30\nmaxclients 123\n');
    server = await startRingkv([file, '--maxclients', '77']);
    const c = await RawClient.connect(server.port);
    expect((await c.command('CONFIG', 'GET', 'databases')).toString()).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
    expect((await c.command('CONFIG', 'GET', 'timeout')).toString()).toBe('*2\r\n$7\r\ntimeout\r\n$2\r\n30\r\n');
    expect((await c.command('CONFIG', 'GET', 'maxclients')).toString()).toBe('*2\r\n$10\r\nmaxclients\r\n$2\r\n77\r\n');
    expect((await c.command('SELECT', '4')).toString()).toBe('-ERR DB index is out of range\r\n');
    c.close();
  });
});
